//! Checklists and the team map in the built HTML (no browser): the `<lang>/checklist/`
//! page with its groups and progress, `checklists.json`, and the home page's SVG map.

use crate::common;

use common::{TWO_LANGUAGES, TestSite, attr, resolve, select, text};

/// Two languages, two roles, one outside team; a task list done by default.
fn site() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    site.write("content/_index.en.md", "---\ntitle: Home\n---\n");
    site.write(
        "content/roles/project-manager.fr.md",
        "---\ntitle: Chef de projet\nslug: chef-de-projet\nweight: 1\nworks_with: [tester]\ndepends_on: [warehouse]\nonboarding:\n  - id: pm-charter\n    text: Lire la charte\n  - Rencontrer le sponsor\n---\n",
    );
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: Project manager\nweight: 1\nworks_with: [tester]\ndepends_on: [warehouse]\nonboarding:\n  - id: pm-charter\n    text: Read the charter\n---\n",
    );
    site.write(
        "content/roles/tester.fr.md",
        "---\ntitle: Testeur\nslug: testeur\nweight: 2\n---\n",
    );
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\nweight: 2\n---\n",
    );
    site.write(
        "content/teams/warehouse.fr.md",
        "---\ntitle: Entrepôt\nslug: entrepot\nchecklist:\n  - id: wh-date\n    text: La date de lancement\n---\n- [x] Réserver la salle\n- [ ] Envoyer le planning\n",
    );
    site.write(
        "content/teams/warehouse.en.md",
        "---\ntitle: Warehouse\nchecklist:\n  - id: wh-date\n    text: The launch date\n---\n",
    );
    site
}

#[test]
fn checklist_page_groups_every_checklist_with_progress() {
    let site = site();
    site.build().ok();
    let fr = site.html("fr/checklist/index.html");
    assert_eq!(text(&select(&fr, "h1")[0]), "Listes de contrôle");
    let groups = select(&fr, ".checklist-group");
    // The outside team first, then the role with an onboarding list; no empty group.
    assert_eq!(groups.len(), 2);
    assert_eq!(text(&select(&fr, ".checklist-group h3")[0]), "Entrepôt");
    assert_eq!(
        text(&select(&fr, ".checklist-group h3")[1]),
        "Chef de projet"
    );
    let ids: Vec<String> = select(&fr, "input.check")
        .iter()
        .map(|i| attr(i, "data-check"))
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&"wh-date".to_string()) && ids.contains(&"pm-charter".to_string()));
    // One task is done by default: it is checked, and counted.
    assert_eq!(select(&fr, "input.check[checked]").len(), 1);
    let progress: Vec<String> = select(&fr, ".progress-text").iter().map(text).collect();
    assert_eq!(
        progress,
        ["1 sur 5 faits", "1 sur 3 faits", "0 sur 2 faits"],
        "{progress:?}"
    );
    let bar = select(&fr, ".checklist-summary progress")[0];
    assert_eq!(
        (attr(&bar, "value"), attr(&bar, "max")),
        ("1".into(), "5".into())
    );
    // The script has the untranslated template to update the text with.
    assert_eq!(
        attr(&select(&fr, ".progress-text")[0], "data-text"),
        "{done} sur {total} faits"
    );

    let en = site.html("en/checklist/index.html");
    assert_eq!(text(&select(&en, ".progress-text")[0]), "0 of 2 done");
    // Links: group titles to their pages, the switcher to the other checklist page.
    for a in select(&en, ".checklist-group .group-link a") {
        let target = resolve("en/checklist/index.html", &attr(&a, "href"));
        assert!(site.output(&target).is_file(), "{target}");
    }
    let switch = select(&en, ".language-switcher a")[0];
    assert_eq!(
        resolve("en/checklist/index.html", &attr(&switch, "href")),
        "fr/checklist/index.html"
    );
    // Every page links to its language's checklist page, marked current there.
    let home = site.html("en/index.html");
    assert!(
        select(&home, ".site-nav a")
            .iter()
            .any(|a| resolve("en/index.html", &attr(a, "href")) == "en/checklist/index.html")
    );
    assert_eq!(
        text(&select(&en, ".site-nav a[aria-current=page]")[0]),
        "Checklists"
    );
    // The site identity for storage keys, and the script, on every page.
    let html = select(&home, "html")[0];
    assert_eq!(attr(&html, "data-site"), "https://example.org/team/");
    // The script is linked by its fingerprinted name, which exists.
    let script = select(&home, "script[src]")
        .iter()
        .map(|s| attr(s, "src"))
        .find(|src| src.starts_with("../assets/checklist.") && src.ends_with(".js"))
        .expect("checklist script linked");
    assert!(site.output(script.trim_start_matches("../")).is_file());
    let sitemap = site.read_output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/team/en/checklist/</loc>"));
    assert!(sitemap.contains("hreflang=\"fr\" href=\"https://example.org/team/fr/checklist/\""));
}

#[test]
fn role_and_team_pages_show_progress_of_their_lists() {
    let site = site();
    site.build().ok();
    let role = site.html("fr/roles/chef-de-projet/index.html");
    // Its onboarding list, then the checklist of the team it keeps informed.
    let progress: Vec<String> = select(&role, ".progress-text").iter().map(text).collect();
    assert_eq!(progress, ["0 sur 2 faits", "1 sur 3 faits"]);
    let team = site.html("en/teams/warehouse/index.html");
    assert_eq!(text(&select(&team, ".progress-text")[0]), "0 of 1 done");
}

#[test]
fn checklists_json_lists_every_item_deterministically() {
    let site = site();
    site.build().ok();
    let first = site.read_output("checklists.json");
    site.build().ok();
    assert_eq!(first, site.read_output("checklists.json"));
    let json: serde_json::Value = serde_json::from_str(&first).expect("valid JSON");
    assert_eq!(json["site"], "https://example.org/team/");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 5 + 2);
    let first = &items[0];
    assert_eq!(first["id"], "wh-date");
    assert_eq!(first["language"], "fr");
    assert_eq!(first["text"], "La date de lancement");
    assert_eq!(first["group"]["key"], "teams/warehouse");
    assert_eq!(first["group"]["title"], "Entrepôt");
    assert_eq!(first["path"], "fr/teams/entrepot/index.html");
    assert_eq!(first["url"], "https://example.org/team/fr/teams/entrepot/");
    // An explicit id is the same in both languages.
    let languages: Vec<&str> = items
        .iter()
        .filter(|i| i["id"] == "pm-charter")
        .filter_map(|i| i["language"].as_str())
        .collect();
    assert_eq!(languages, ["fr", "en"]);
    for item in items {
        let path = item["path"].as_str().expect("path");
        assert!(site.output(path).is_file(), "{path}");
    }
}

#[test]
fn home_pages_show_the_team_map() {
    let site = site();
    site.build().ok();
    for (lang, title) in [("fr", "Carte de l’équipe"), ("en", "Team map")] {
        let from = format!("{lang}/index.html");
        let home = site.html(&from);
        // One drawing for screens, one for phones, the same graph.
        assert_eq!(select(&home, ".team-map-narrow svg.team-map-svg").len(), 1);
        assert_eq!(
            select(&home, ".team-map-narrow svg a").len(),
            select(&home, ".team-map-wide svg a").len()
        );
        let svg = select(&home, ".team-map-wide svg.team-map-svg");
        assert_eq!(svg.len(), 1);
        assert_eq!(attr(&svg[0], "viewBox").split(' ').count(), 4);
        assert_eq!(text(&select(&home, "svg title")[0]), title);
        assert!(!text(&select(&home, "svg desc")[0]).is_empty());
        // One row per role, each a link; the team is a column of the grid.
        let links = select(&home, ".team-map-wide svg a.map-row");
        assert_eq!(links.len(), 2, "two roles");
        assert_eq!(
            select(&home, ".team-map-wide svg .map-column-team").len(),
            1
        );
        for a in links {
            let target = resolve(&from, &attr(&a, "href"));
            assert!(site.output(&target).is_file(), "{target}");
        }
        // One `works_with` link, marked in both roles' rows; one `depends_on`.
        assert_eq!(select(&home, ".team-map-wide svg .map-works-with").len(), 2);
        assert_eq!(select(&home, ".team-map-wide svg .map-depends-on").len(), 1);
    }
}

#[test]
fn a_content_page_at_the_checklist_path_is_an_error_naming_both() {
    let site = site();
    site.write(
        "content/checklist.fr.md",
        "---\ntitle: Ma liste\nslug: checklist\n---\nTexte.\n",
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains("content/checklist.fr.md")
            && stderr.contains("`fr/checklist/index.html` is the checklist page"),
        "{stderr}"
    );
}

#[test]
fn a_site_too_large_for_a_readable_map_gets_none() {
    let site = TestSite::new(TWO_LANGUAGES);
    for i in 0..85 {
        site.write(
            &format!("content/roles/r{i}.fr.md"),
            &format!("---\ntitle: Rôle {i}\n---\n"),
        );
    }
    site.build().ok();
    let home = site.html("fr/index.html");
    assert!(select(&home, "svg.team-map-svg").is_empty());
    assert_eq!(
        select(&home, ".role-card").len(),
        85,
        "the roles are still listed"
    );
}
