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

/// A site's own `progress` string is the one every progress bar shows, typeset as the
/// page's text is (a no-break space before the French colon), the counts in their places.
#[test]
fn progress_texts_follow_the_sites_own_string() {
    let site = site();
    site.write("i18n/fr.yaml", "progress: \"Fait : {done} sur {total}\"\n");
    site.build().ok();
    let role = site.html("fr/roles/chef-de-projet/index.html");
    let progress: Vec<String> = select(&role, ".progress-text").iter().map(text).collect();
    assert_eq!(progress, ["Fait\u{a0}: 0 sur 2", "Fait\u{a0}: 1 sur 3"]);
    assert_eq!(
        attr(&select(&role, ".progress-text")[0], "data-text"),
        "Fait\u{a0}: {done} sur {total}"
    );
    let team = site.html("fr/teams/entrepot/index.html");
    assert_eq!(
        text(&select(&team, ".progress-text")[0]),
        "Fait\u{a0}: 1 sur 3"
    );
    // The checklist page: the language's progress and each group's.
    let page = site.html("fr/checklist/index.html");
    let all: Vec<String> = select(&page, ".progress-text").iter().map(text).collect();
    assert_eq!(
        all,
        [
            "Fait\u{a0}: 1 sur 5",
            "Fait\u{a0}: 1 sur 3",
            "Fait\u{a0}: 0 sur 2"
        ]
    );
    // Each group is found by its page's key, as the jump list names it.
    let ids: Vec<String> = select(&page, ".checklist-group")
        .iter()
        .map(|g| attr(g, "id"))
        .collect();
    assert_eq!(
        ids,
        ["group-teams-warehouse", "group-roles-project-manager"]
    );
    let jumps: Vec<String> = select(&page, ".checklist-jump a[href^='#group-']")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        jumps,
        ["#group-teams-warehouse", "#group-roles-project-manager"]
    );
    let title = attr(&select(&page, ".checklist-group")[0], "aria-labelledby");
    assert_eq!(text(&select(&page, &format!("h3#{title}"))[0]), "Entrepôt");
    // English keeps the theme's.
    let en = site.html("en/teams/warehouse/index.html");
    assert_eq!(text(&select(&en, ".progress-text")[0]), "0 of 1 done");
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
    // A small site: every group here, no part files.
    assert_eq!(json["parts"], serde_json::json!([]));
    let groups = json["groups"].as_array().expect("groups");
    let keys: Vec<(&str, &str)> = groups
        .iter()
        .map(|g| (g["language"].as_str().unwrap(), g["key"].as_str().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [
            ("fr", "teams/warehouse"),
            ("fr", "roles/project-manager"),
            ("en", "teams/warehouse"),
            ("en", "roles/project-manager")
        ]
    );
    let team = &groups[0];
    assert_eq!(team["title"], "Entrepôt");
    assert_eq!(team["kind"], "team");
    assert_eq!(team["path"], "fr/teams/entrepot/index.html");
    assert_eq!(team["url"], "https://example.org/team/fr/teams/entrepot/");
    assert_eq!(team["items"][0]["id"], "wh-date");
    assert_eq!(team["items"][0]["text"], "La date de lancement");
    assert_eq!(team["items"][0]["done"], false);
    assert_eq!(team["items"][1]["done"], true);
    // A role names the teams it keeps informed, whose items are theirs alone: each item
    // of a language once.
    assert_eq!(
        groups[1]["depends_on"],
        serde_json::json!(["teams/warehouse"])
    );
    let mut ids: Vec<(&str, &str)> = groups
        .iter()
        .flat_map(|g| {
            let lang = g["language"].as_str().unwrap();
            g["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |i| (lang, i["id"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(ids.len(), 5 + 2);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5 + 2, "no item twice in a language");
    // An explicit id is the same in both languages.
    assert!(ids.contains(&("fr", "pm-charter")) && ids.contains(&("en", "pm-charter")));
    for g in groups {
        let path = g["path"].as_str().expect("path");
        assert!(site.output(path).is_file(), "{path}");
    }
}

/// Teams, then roles: `roles` roles of `per_role` items in French, a few in English (so
/// that French alone is split into parts). One team item is done by default.
pub(crate) fn split_site(roles: usize, per_role: usize) -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/teams/warehouse.fr.md",
        "---\ntitle: Entrepôt\nslug: entrepot\nchecklist:\n  - id: wh-date\n    text: La date\n---\n- [x] Réserver la salle\n",
    );
    site.write(
        "content/teams/warehouse.en.md",
        "---\ntitle: Warehouse\nchecklist:\n  - id: wh-date\n    text: The date\n---\n",
    );
    for r in 0..roles {
        let items: String = (0..per_role)
            .map(|i| format!("  - id: r{r}-{i}\n    text: Étape {i} du rôle {r}\n"))
            .collect();
        site.write(
            &format!("content/roles/role-{r:04}.fr.md"),
            &format!("---\ntitle: Rôle {r:04}\nweight: {r}\ndepends_on: [warehouse]\nonboarding:\n{items}---\n"),
        );
    }
    site.write(
        "content/roles/role-0000.en.md",
        "---\ntitle: Role 0\nonboarding:\n  - id: r0-0\n    text: Step 0\n---\n",
    );
    site
}

/// The output paths of a language's checklist parts, as its first page lists them.
fn parts_of(site: &TestSite, lang: &str) -> Vec<String> {
    let first = format!("{lang}/checklist/index.html");
    select(&site.html(&first), ".checklist-parts li a")
        .iter()
        .map(|a| resolve(&first, &attr(a, "href")))
        .collect()
}

#[test]
fn a_large_checklist_page_comes_in_parts_each_item_once() {
    // 2 team items, then 230 roles of 20 items: 4,602 items, parts of at most 2,000.
    let site = split_site(230, 20);
    site.build().ok();
    let parts = parts_of(&site, "fr");
    assert!(parts.len() >= 3, "{parts:?}");
    // Numbered from the page itself, with nothing past the last.
    for (n, path) in parts.iter().enumerate().skip(1) {
        assert_eq!(*path, format!("fr/checklist/{}/index.html", n + 1));
    }
    let after = format!("fr/checklist/{}/index.html", parts.len() + 1);
    assert!(!site.output(&after).exists());
    let mut seen: Vec<String> = Vec::new();
    for (n, path) in parts.iter().enumerate() {
        let size = std::fs::metadata(site.output(path)).expect("part").len();
        assert!(size < 1_000_000, "{path}: {size} bytes");
        let html = site.html(path);
        // Every part lists every part, itself marked; the links lead to them.
        let links = select(&html, ".checklist-parts li a");
        let targets: Vec<String> = links
            .iter()
            .map(|a| resolve(path, &attr(a, "href")))
            .collect();
        assert_eq!(targets, parts, "{path}");
        let current: Vec<String> = select(&html, ".checklist-parts a[aria-current=page]")
            .iter()
            .map(|a| resolve(path, &attr(a, "href")))
            .collect();
        assert_eq!(current, std::slice::from_ref(path));
        // Folded, the list says which part this is.
        assert_eq!(
            text(
                &select(
                    &html,
                    ".checklist-parts details:not([open]) summary .jump-count"
                )[0]
            ),
            format!("({} / {})", n + 1, parts.len())
        );
        // Each part's data script for the export exists and holds its items.
        let data = resolve(path, &attr(&links[n], "data-checklist-items"));
        let script = site.read_output(&data);
        assert!(script.starts_with("(window.equipeChecklistItems"), "{data}");
        // The summary, which counts the whole language from the ids script, shows once
        // that has run (tests/browser/checklist_parts.mjs): built, it holds no count.
        let summary = select(&html, ".checklist-summary[hidden] .progress");
        assert_eq!(summary.len(), 1);
        assert_eq!(
            text(&select(&html, ".checklist-summary .progress-text")[0]),
            ""
        );
        assert_eq!(select(&html, "article[data-checklist-all]").len(), 1);
        let ids = resolve(path, &attr(&select(&html, "article script[src]")[0], "src"));
        assert_eq!(ids, "fr/checklist/data/ids.js");
        // The next part is linked at the end, except from the last.
        let next: Vec<String> = select(&html, ".checklist-next a[rel=next]")
            .iter()
            .map(|a| resolve(path, &attr(a, "href")))
            .collect();
        assert_eq!(
            next,
            parts
                .get(n + 1)
                .map(std::string::ToString::to_string)
                .into_iter()
                .collect::<Vec<_>>()
        );
        let boxes = select(&html, "input.check");
        assert!(boxes.len() <= 2_000, "{path}: {}", boxes.len());
        for b in &boxes {
            assert!(script.contains(&format!("\"{}\"", attr(b, "data-check"))));
        }
        seen.extend(boxes.iter().map(|b| attr(b, "data-check")));
    }
    // Teams first, on the first part; every item on exactly one part.
    assert_eq!(seen[0], "wh-date");
    let count = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!((count, seen.len()), (4_602, 4_602));
    let ids = site.read_output("fr/checklist/data/ids.js");
    assert_eq!(ids.matches("\"r").count(), 4_600);
    // English, with one item, is one page as before.
    let en = site.html("en/checklist/index.html");
    assert!(select(&en, ".checklist-parts").is_empty());
    assert!(!site.output("en/checklist/2/index.html").exists());
    assert!(!site.output("en/checklist/data/ids.js").exists());
    // Every part is in the sitemap.
    let sitemap = site.read_output("sitemap.xml");
    for part in &parts {
        let part = part.trim_end_matches("index.html");
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/team/{part}</loc>")),
            "{part}"
        );
    }

    // checklists.json: French groups in one file per part, English inline; each item once.
    let index: serde_json::Value =
        serde_json::from_str(&site.read_output("checklists.json")).expect("JSON");
    let inline = index["groups"].as_array().expect("groups");
    assert!(inline.iter().all(|g| g["language"] == "en"));
    let files = index["parts"].as_array().expect("parts");
    assert_eq!(files.len(), parts.len());
    let mut items: Vec<String> = Vec::new();
    for f in files {
        assert_eq!(f["language"], "fr");
        let path = f["path"].as_str().expect("path");
        let size = std::fs::metadata(site.output(path))
            .expect("part file")
            .len();
        assert!(size < 1_000_000, "{path}: {size} bytes");
        let part: serde_json::Value = serde_json::from_str(&site.read_output(path)).expect("JSON");
        let groups = part["groups"].as_array().expect("groups");
        assert_eq!(f["groups"].as_u64(), Some(groups.len() as u64));
        let before = items.len();
        items.extend(groups.iter().flat_map(|g| {
            g["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
        }));
        assert_eq!(f["items"].as_u64(), Some((items.len() - before) as u64));
    }
    let count = items.len();
    items.sort();
    items.dedup();
    assert_eq!((count, items.len()), (4_602, 4_602));
}

/// Each part of a language's checklists: its page, its items script and its JSON file,
/// with their text.
fn part_files(site: &TestSite, lang: &str) -> Vec<[(String, String); 3]> {
    parts_of(site, lang)
        .into_iter()
        .enumerate()
        .map(|(n, page)| {
            let data = format!("{lang}/checklist/data/{}.js", n + 1);
            let json = format!("checklists/{lang}-{}.json", n + 1);
            [page, data, json].map(|path| {
                let text = site.read_output(&path);
                (path, text)
            })
        })
        .collect()
}

/// Changes a letter of the output's file at `path` and gives it back its mtime: what a
/// build keeps of its last output (a file of the same size and mtime, see
/// `output::Stamp`) keeps the letter, what it makes again does not.
fn mark_as_last_built(site: &TestSite, path: &str) -> String {
    let file = site.output(path);
    let modified = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    let mut bytes = std::fs::read(&file).expect("read");
    let letter = bytes
        .iter()
        .position(u8::is_ascii_lowercase)
        .expect("a letter");
    bytes[letter] = bytes[letter].to_ascii_uppercase();
    std::fs::write(&file, &bytes).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(modified))
        .expect("mtime set");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn a_role_added_or_removed_changes_its_own_part_of_the_checklists() {
    let site = split_site(230, 20);
    site.build().ok();
    let before = part_files(&site, "fr");
    let ids = site.read_output("fr/checklist/data/ids.js");
    // A role among the others (after `Rôle 0114`, of the same weight), with one item.
    let role = "content/roles/role-0114-bis.fr.md";
    site.write(
        role,
        "---\ntitle: Rôle 0114 bis\nweight: 114\nonboarding:\n  - id: bis-1\n    text: Une étape de plus\n---\n",
    );
    let marked: Vec<[String; 3]> = before
        .iter()
        .map(|files| {
            files
                .clone()
                .map(|(path, _)| mark_as_last_built(&site, &path))
        })
        .collect();
    site.build().ok();
    let after = part_files(&site, "fr");
    // Its part holds it; every other part is as it was, page, items and JSON: kept, not
    // made again (each part's files were keyed by where their groups were among the
    // pages, which the role moved, so every part was made again, to the same bytes).
    let holding: Vec<usize> = (0..after.len())
        .filter(|&n| after[n][0].1.contains("data-check=\"bis-1\""))
        .collect();
    assert_eq!(holding.len(), 1);
    assert!(after[holding[0]][1].1.contains("\"bis-1\""));
    assert!(!before.contains(&after[holding[0]]));
    for (n, files) in after.iter().enumerate() {
        if n != holding[0] {
            let texts = files.clone().map(|(_, text)| text);
            assert!(marked.contains(&texts), "{} made again", files[0].0);
        }
    }
    // The ids of every item, which the summary counts, have it.
    assert_ne!(site.read_output("fr/checklist/data/ids.js"), ids);
    // Removed again: every part as before.
    std::fs::remove_file(site.path(role)).expect("remove");
    site.build().ok();
    let again = part_files(&site, "fr");
    assert_eq!(again.len(), before.len());
    let texts = |files: &[(String, String); 3]| files.clone().map(|(_, text)| text);
    let remade: Vec<&String> = again
        .iter()
        .filter(|files| !marked.contains(&texts(files)))
        .map(|files| &files[0].0)
        .collect();
    assert_eq!(remade, [&before[holding[0]][0].0]);
    assert!(before.contains(&again[holding[0]]));
    assert_eq!(site.read_output("fr/checklist/data/ids.js"), ids);
}

#[test]
fn a_page_at_a_checklist_part_path_is_an_error() {
    let site = split_site(120, 20);
    site.write(
        "content/checklist/2.fr.md",
        "---\ntitle: Deux\n---\nTexte.\n",
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains("`fr/checklist/2/index.html` is the checklist page"),
        "{stderr}"
    );
}

#[test]
fn the_example_site_has_one_checklist_page_a_language() {
    let site = TestSite::example();
    site.build().ok();
    for lang in ["fr", "en"] {
        let html = site.html(&format!("{lang}/checklist/index.html"));
        assert!(
            select(
                &html,
                ".checklist-parts, [data-checklist-all], .checklist-next"
            )
            .is_empty()
        );
        assert!(select(&html, ".checklist-group").len() > 10);
        assert!(
            !site
                .output(&format!("{lang}/checklist/2/index.html"))
                .exists()
        );
        assert!(!site.output(&format!("{lang}/checklist/data")).exists());
    }
    let json: serde_json::Value =
        serde_json::from_str(&site.read_output("checklists.json")).expect("JSON");
    assert_eq!(json["parts"], serde_json::json!([]));
    assert!(!site.output("checklists").exists());
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

/// Ticks are kept by item id: two items with one id are ticked together. A team's file
/// copied to start another with its `id:`s kept, an `id:` twice in one file and a task's
/// text twice in one body are each a warning at the item, and the build goes on;
/// translations that share their ids, as they should, are not.
#[test]
fn items_that_share_an_id_are_a_warning_at_the_item() {
    let site = site();
    site.write(
        "content/teams/support.en.md",
        "---\ntitle: Support\nchecklist:\n  - id: wh-date\n    text: The launch date\n---\n",
    );
    site.write(
        "content/teams/shipping.en.md",
        "---\ntitle: Shipping\nchecklist:\n  - id: ship-a\n    text: One\n  - id: ship-a\n    text: Two\n---\n- [ ] Call the carrier\n- [ ] Call the carrier\n",
    );
    let stderr = site.build().ok().stderr();
    // In the site's order (by key): support's item comes before the warehouse's.
    assert!(
        stderr.contains(
            "content/teams/warehouse.en.md:4:5: checklist item id `wh-date` is also that of an item of `teams/support` (content/teams/support.en.md)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/teams/shipping.en.md:6:5: checklist item id `ship-a` is also that of an earlier item of this page"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/teams/shipping.en.md:10:1: checklist item id `teams-shipping-"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a task's id comes from its text: word the two tasks apart"),
        "{stderr}"
    );
    // The French warehouse shares `wh-date` with its English translation only.
    assert_eq!(stderr.matches("checklist item id").count(), 3, "{stderr}");
    // The items are all on the checklist page: nothing was dropped.
    let en = site.html("en/checklist/index.html");
    let ids: Vec<String> = select(&en, "input.check")
        .iter()
        .map(|i| attr(i, "data-check"))
        .collect();
    assert_eq!(ids.iter().filter(|id| *id == "wh-date").count(), 2);
    assert_eq!(ids.iter().filter(|id| *id == "ship-a").count(), 2);

    // Many at once, each at its own item and task (found once for the page, not once a
    // warning: 50,000 such items took 73 s).
    let items: String = (0..200)
        .map(|i| format!("  - Item {}\n", i % 100))
        .collect();
    let tasks: String = (0..200)
        .map(|i| format!("- [ ] Task {}\n", i % 100))
        .collect();
    site.write(
        "content/teams/many.en.md",
        &format!("---\ntitle: Many\nchecklist:\n{items}---\n{tasks}"),
    );
    let stderr = site.build().ok().stderr();
    for n in [100, 150, 199] {
        // Item `n` is on line 4 + n; task `n` on line 4 + 200 + 1 + n.
        assert!(
            stderr.contains(&format!(
                "content/teams/many.en.md:{}:5: checklist item id",
                4 + n
            )),
            "item {n}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "content/teams/many.en.md:{}:1: checklist item id",
                205 + n
            )),
            "task {n}: {stderr}"
        );
    }
    let warned = stderr
        .lines()
        .filter(|l| l.contains("content/teams/many.en.md:") && l.contains("checklist item id"))
        .count();
    assert_eq!(warned, 200, "{stderr}");
}
