//! Building fixture sites through the CLI and reading the HTML back.

use crate::common;

use std::collections::BTreeSet;

use common::*;

#[test]
fn example_site_has_nine_roles_and_three_teams_per_language() {
    let site = TestSite::example();
    site.build().ok();
    for (lang, roles, teams) in [
        ("fr", "fr/roles/", "fr/teams/"),
        ("en", "en/roles/", "en/teams/"),
    ] {
        let files = output_files(&site);
        let role_pages = files
            .iter()
            .filter(|f| f.starts_with(roles) && f.matches('/').count() == 3)
            .count();
        let team_pages = files
            .iter()
            .filter(|f| f.starts_with(teams) && f.matches('/').count() == 3)
            .count();
        assert_eq!(role_pages, 9, "{lang} role pages");
        assert_eq!(team_pages, 3, "{lang} team pages");
    }
    let home = site.html("fr/index.html");
    assert_eq!(attr(&select(&home, "html")[0], "lang"), "fr");
    assert!(select(&home, ".role-card").len() >= 9);
    assert!(site.output("fr/roles/chef-de-projet/index.html").exists());
    assert!(site.output("en/roles/project-manager/index.html").exists());
    assert!(site.output("fr/teams/entrepot/index.html").exists());
    assert!(site.output("404.html").exists());
    assert!(site.output("index.html").exists());
}

#[test]
fn every_link_in_the_example_site_resolves() {
    let site = TestSite::example();
    site.build().ok();
    let files: BTreeSet<String> = output_files(&site).into_iter().collect();
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.ends_with(".html") && *f != "404.html")
    {
        let html = site.html(file);
        for element in select(&html, "a[href], link[href], script[src], img[src]") {
            let href = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap_or_default();
            if href.starts_with("https://") || href.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (href, None),
            };
            let path = if target.is_empty() {
                file.clone()
            } else {
                resolve(file, target)
            };
            assert!(
                files.contains(&path),
                "{file}: link `{href}` -> `{path}` does not exist"
            );
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let target_html = site.html(&path);
                let ids = select(&target_html, &format!("[id=\"{fragment}\"]"));
                assert!(
                    !ids.is_empty(),
                    "{file}: link `{href}`: no id `{fragment}` in {path}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = TestSite::example();
    site.build().ok();
    let first: Vec<(String, Vec<u8>)> = output_files(&site)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.output(&f)).expect("read");
            (f, bytes)
        })
        .collect();
    site.build().ok();
    let second: Vec<(String, Vec<u8>)> = output_files(&site)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.output(&f)).expect("read");
            (f, bytes)
        })
        .collect();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between two builds", a.0);
    }
}

fn two_language_site() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/_index.fr.md",
        "---\ntitle: Accueil\n---\nBienvenue.\n",
    );
    site.write("content/_index.en.md", "---\ntitle: Home\n---\nWelcome.\n");
    site.write(
        "content/roles/project-manager.fr.md",
        "---\ntitle: Chef de projet\nslug: chef-de-projet\nweight: 1\nworks_with: [tester]\ndepends_on: [warehouse]\nonboarding:\n  - id: pm-charter\n    text: Lire la charte\n---\nVoir le [testeur](tester.md) et l'[entrepôt](../teams/warehouse.md#risques).\n",
    );
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: Project manager\nweight: 1\nworks_with: [tester]\ndepends_on: [warehouse]\n---\nSee the [tester](tester.md).\n",
    );
    site.write(
        "content/roles/tester.fr.md",
        "---\ntitle: Testeur\nslug: testeur\nweight: 2\n---\nTeste.\n",
    );
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\nweight: 2\n---\nTests.\n",
    );
    site.write(
        "content/teams/warehouse.fr.md",
        "---\ntitle: Entrepôt\nslug: entrepot\nrisks: [Retards]\nchecklist:\n  - La date de lancement\n---\n## Risques\n\nTexte.\n",
    );
    site.write(
        "content/teams/warehouse.en.md",
        "---\ntitle: Warehouse\n---\nText.\n",
    );
    site.write(
        "content/only-french.fr.md",
        "---\ntitle: Seulement en français\n---\nTexte.\n",
    );
    site.write("content/links.en.md", "---\ntitle: Links\n---\n[French only](only-french.md) and [PM](/roles/project-manager.md)\n");
    site
}

#[test]
fn suffix_layout_urls_translations_and_links() {
    let site = two_language_site();
    site.build().ok();
    let pm = site.html("fr/roles/chef-de-projet/index.html");
    assert_eq!(text(&select(&pm, "h1")[0]), "Chef de projet");
    // Language switcher points at the translation.
    let switch = select(&pm, ".language-switcher a");
    assert_eq!(
        attr(&switch[0], "href"),
        "../../../en/roles/project-manager/index.html"
    );
    assert_eq!(attr(&switch[0], "hreflang"), "en");
    // Alternates.
    let alternates: Vec<String> = select(&pm, "link[rel=alternate]")
        .iter()
        .map(|l| attr(l, "hreflang"))
        .collect();
    assert!(alternates.contains(&"en".to_string()) && alternates.contains(&"fr".to_string()));
    // Body links go to the page in the same language, fragment kept.
    let body_links: Vec<String> = select(&pm, ".prose a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert!(
        body_links.contains(&"../../../fr/roles/testeur/index.html".to_string()),
        "{body_links:?}"
    );
    assert!(
        body_links.contains(&"../../../fr/teams/entrepot/index.html#risques".to_string()),
        "{body_links:?}"
    );
    // works_with and depends_on.
    let works: Vec<String> = select(
        &pm,
        "#works-with ~ ul a, section[aria-labelledby=works-with] a",
    )
    .iter()
    .map(text)
    .collect();
    assert!(works.iter().any(|w| w.contains("Testeur")), "{works:?}");
    // The team lists the roles that depend on it (reverse link).
    let team = site.html("fr/teams/entrepot/index.html");
    let depended: Vec<String> = select(&team, "section[aria-labelledby=depended-by] a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(depended, vec!["Chef de projet"]);
    // Checklist items carry their ids.
    let checks: Vec<String> = select(&pm, "input[data-check]")
        .iter()
        .map(|i| attr(i, "data-check"))
        .collect();
    assert!(checks.contains(&"pm-charter".to_string()), "{checks:?}");
}

#[test]
fn missing_translation_links_to_default_language_with_hreflang() {
    let site = two_language_site();
    site.build().ok();
    let page = site.html("en/links/index.html");
    let link = select(&page, ".prose a")
        .into_iter()
        .find(|a| text(a) == "French only")
        .expect("link");
    assert_eq!(attr(&link, "href"), "../../fr/only-french/index.html");
    assert_eq!(attr(&link, "hreflang"), "fr");
    let pm = select(&page, ".prose a")
        .into_iter()
        .find(|a| text(a) == "PM")
        .expect("link");
    assert_eq!(
        attr(&pm, "href"),
        "../../en/roles/project-manager/index.html"
    );
    // A page with no translation switches to the other language's home.
    let only = site.html("fr/only-french/index.html");
    assert_eq!(
        attr(&select(&only, ".language-switcher a")[0], "href"),
        "../../en/index.html"
    );
}

#[test]
fn folder_layout_gives_the_same_site() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/fr/_index.md", "---\ntitle: Accueil\n---\n");
    site.write("content/en/_index.md", "---\ntitle: Home\n---\n");
    site.write(
        "content/fr/roles/project-manager.md",
        "---\ntitle: Chef de projet\nslug: chef-de-projet\n---\n[Testeur](tester.md)\n",
    );
    site.write(
        "content/en/roles/project-manager.md",
        "---\ntitle: Project manager\n---\n",
    );
    site.write("content/fr/roles/tester.md", "---\ntitle: Testeur\n---\n");
    site.build().ok();
    let pm = site.html("fr/roles/chef-de-projet/index.html");
    assert_eq!(
        attr(&select(&pm, ".language-switcher a")[0], "href"),
        "../../../en/roles/project-manager/index.html"
    );
    assert_eq!(
        attr(&select(&pm, ".prose a")[0], "href"),
        "../../../fr/roles/tester/index.html"
    );
}

#[test]
fn seed_like_page_builds_with_entities_decoded_once() {
    let site = TestSite::new("title: x\nlanguages: {fr: Français}\n");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-like");
    copy_dir(&fixture, site.root());
    site.build().ok();
    let html = site.read_output("fr/equipe-de-projet/index.html");
    assert!(
        html.contains("besoin d’une équipe"),
        "entity decoded, apostrophe typographic"
    );
    assert!(!html.contains("&amp;#39;"), "never double-escaped");
    let doc = site.html("fr/equipe-de-projet/index.html");
    // The body's `# Équipes de projet` is the page's heading; the front matter's title
    // is the browser's.
    assert_eq!(text(&select(&doc, "h1")[0]), "Équipes de projet");
    assert!(text(&select(&doc, "title")[0]).starts_with("Équipes de projet & dépendances · "));
    assert_eq!(
        select(&doc, "h1").len(),
        1,
        "the body's leading # title is not repeated"
    );
    let description = attr(&select(&doc, "meta[name=description]")[0], "content");
    assert_eq!(
        description,
        "Constituez l’équipe qu’il faut à votre projet de commerce électronique."
    );
}

#[test]
fn the_seed_document_itself_builds_when_present() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/equipe-de-projet.fr.md");
    let Ok(text_of_seed) = std::fs::read_to_string(&seed) else {
        say("SKIPPED: ../shared/seed/equipe-de-projet.fr.md not found beside the repository");
        return;
    };
    let site = TestSite::new("title: Guide\nlanguages: {fr: Français}\n");
    site.write("content/equipe-de-projet.fr.md", &text_of_seed);
    site.build().ok();
    let doc = site.html("fr/equipe-de-projet/index.html");
    // Its front matter says `title: Équipes de projet`, its body `# Équipe de projet`:
    // the page shows the body's, as Experience League does.
    assert_eq!(text(&select(&doc, "h1")[0]), "Équipe de projet");
    assert_eq!(text(&select(&doc, "title")[0]), "Équipes de projet · Guide");
    assert!(
        site.read_output("fr/equipe-de-projet/index.html")
            .contains("d’une équipe")
    );
}

#[test]
fn script_in_a_title_is_escaped() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/roles/x.fr.md",
        "---\ntitle: \"<script>alert(1)</script> Rôle\"\n---\n",
    );
    site.build().ok();
    let raw = site.read_output("fr/roles/x/index.html");
    assert!(!raw.contains("<script>alert(1)"), "title must be escaped");
    assert!(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt; Rôle"));
    let home = site.read_output("fr/index.html");
    assert!(!home.contains("<script>alert(1)"));
}

#[test]
fn sitemap_and_robots_use_the_base_url() {
    let site = two_language_site();
    site.run(&["build", "--base-url", "https://deploy.example.net/preview"])
        .ok();
    let sitemap = site.read_output("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://deploy.example.net/preview/fr/roles/chef-de-projet/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains(
        "hreflang=\"en\" href=\"https://deploy.example.net/preview/en/roles/project-manager/\""
    ));
    let robots = site.read_output("robots.txt");
    assert!(robots.contains("Sitemap: https://deploy.example.net/preview/sitemap.xml"));
}

/// `page.permalink` and each translation's `permalink` (what the default theme's canonical
/// and alternate links show): the base URL and the page's URL without `index.html`, made
/// again when the base URL changes (the pages are then made again, not taken from the
/// build cache), and none without a base URL.
#[test]
fn pages_name_their_address_on_the_web() {
    let site = two_language_site();
    let links = |path: &str| -> Vec<(String, String, String)> {
        let html = site.html(path);
        let mut found: Vec<(String, String, String)> = select(&html, "link[rel=canonical]")
            .iter()
            .map(|l| ("canonical".into(), String::new(), attr(l, "href")))
            .collect();
        found.extend(
            select(&html, "link[rel=alternate]")
                .iter()
                .map(|l| ("alternate".into(), attr(l, "hreflang"), attr(l, "href"))),
        );
        found.extend(
            select(&html, "meta[property='og:url']")
                .iter()
                .map(|m| ("og:url".into(), String::new(), attr(m, "content"))),
        );
        found
    };
    let link = |kind: &str, lang: &str, href: &str| (kind.into(), lang.into(), href.into());
    for base in [
        "https://example.org/team/",
        "https://deploy.example.net/preview/",
    ] {
        site.run(&["build", "--base-url", base]).ok();
        let pm_fr = format!("{base}fr/roles/chef-de-projet/");
        let pm_en = format!("{base}en/roles/project-manager/");
        // Each page names itself, its translation, and the French one as the default.
        for (path, (lang, own), (other_lang, other)) in [
            (
                "fr/roles/chef-de-projet/index.html",
                ("fr", &pm_fr),
                ("en", &pm_en),
            ),
            (
                "en/roles/project-manager/index.html",
                ("en", &pm_en),
                ("fr", &pm_fr),
            ),
        ] {
            assert_eq!(
                links(path),
                [
                    link("canonical", "", own),
                    link("alternate", lang, own),
                    link("alternate", other_lang, other),
                    link("alternate", "x-default", &pm_fr),
                    link("og:url", "", own),
                ],
                "{path}"
            );
        }
        let checklist = format!("{base}fr/checklist/");
        assert!(
            links("fr/checklist/index.html").contains(&link("canonical", "", &checklist)),
            "{base}"
        );
        // The language choice at the root names each language's home.
        assert_eq!(
            links("index.html"),
            [
                link("canonical", "", base),
                link("alternate", "fr", &format!("{base}fr/")),
                link("alternate", "en", &format!("{base}en/")),
            ]
        );
    }
    // Without a base URL: links between the pages alone, no canonical address.
    site.write(
        "site.yaml",
        &common::TWO_LANGUAGES.replace("base_url: https://example.org/team/\n", ""),
    );
    site.build().ok();
    let pm = links("fr/roles/chef-de-projet/index.html");
    assert!(pm.iter().all(|(kind, ..)| kind == "alternate"), "{pm:?}");
    assert!(
        pm.contains(&link(
            "alternate",
            "en",
            "../../../en/roles/project-manager/index.html"
        )),
        "{pm:?}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/wip.fr.md",
        "---\ntitle: Brouillon\ndraft: true\n---\n",
    );
    site.build().ok();
    assert!(!site.output("fr/wip/index.html").exists());
    site.run(&["build", "--drafts"]).ok();
    assert!(site.output("fr/wip/index.html").exists());
}

/// YAML 1.1's words are read as meant; another word is no boolean (Adobe's Workfront
/// guide publishes 330 pages with `draft: Probably`): published, with a warning there.
#[test]
fn a_draft_written_as_a_word() {
    let site = TestSite::new(TWO_LANGUAGES);
    let page = |name: &str, draft: &str| {
        site.write(
            &format!("content/{name}.fr.md"),
            &format!("---\ntitle: {name}\nauthor: Courtney\ndraft: {draft}\n---\nTexte.\n"),
        );
    };
    page("oui", "Yes");
    page("non", "no");
    page("peut-etre", "Probably");
    let run = site.build().ok();
    assert!(!site.output("fr/oui/index.html").exists());
    assert!(site.output("fr/non/index.html").exists());
    assert!(site.output("fr/peut-etre/index.html").exists());
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/peut-etre.fr.md:4")
            && stderr.contains("`draft: Probably` is neither true nor false"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("neither true nor false").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn unknown_front_matter_keys_reach_templates_and_near_misses_warn() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "templates/page.html",
        "{{ page.extra[\"ht-degree\"] }}|{{ page.extra[\"workflow-type\"] }}",
    );
    site.write(
        "content/a.fr.md",
        "---\ntitle: A\nht-degree: 0%\nworkflow-type: tm+mt\nweigth: 3\n---\n",
    );
    let run = site.build().ok();
    assert_eq!(site.read_output("fr/a/index.html"), "0%|tm+mt");
    let stderr = run.stderr();
    assert!(
        stderr.contains("unknown front matter key `weigth`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `weight`?"), "{stderr}");
    assert!(stderr.contains("content/a.fr.md:5"), "{stderr}");
}

#[test]
fn site_theme_folder_and_template_override() {
    let site = two_language_site();
    site.write(
        "templates/team.html",
        "<p class=custom>{{ page.title }}</p>{{ content }}",
    );
    site.build().ok();
    assert_eq!(
        site.read_output("fr/teams/entrepot/index.html"),
        "<p class=custom>Entrepôt</p><h2 id=\"risques\">Risques <a class=\"anchor\" href=\"#risques\" aria-labelledby=\"risques\">#</a></h2>\n<p>Texte.</p>\n"
    );
    // Role pages still use the built-in theme.
    assert!(
        site.read_output("fr/roles/testeur/index.html")
            .contains("<html lang=\"fr\"")
    );
}

/// Lists of pages (the menu's, a page's related pages) give each page's title, URL and
/// checklist progress; the items are the page's own `page.checklist` and, in a role's
/// `depends_on`, what to tell each team. The menu, which lists every role, has none.
#[test]
fn lists_of_pages_give_each_pages_progress() {
    let site = two_language_site();
    site.write(
        "templates/role.html",
        "{% for t in page.depends_on %}{{ t.title }} {{ t.url }} {{ t.kind }} {{ t.progress.done }}/{{ t.progress.total }} {% for i in t.checklist %}{{ i.text }}{% endfor %};{% endfor %}\
         {% for r in nav.roles %}{{ r.title }} {{ r.progress.total }} {{ r.checklist is defined }};{% endfor %}\
         {% for i in page.checklist %}{{ i.id }};{% endfor %}",
    );
    site.build().ok();
    assert_eq!(
        site.read_output("fr/roles/chef-de-projet/index.html"),
        "Entrepôt fr/teams/entrepot/index.html team 0/1 La date de lancement;Chef de projet 1 false;Testeur 0 false;pm-charter;"
    );
}
#[test]
fn role_and_team_order_follows_weight_then_title() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/roles/b.fr.md",
        "---\ntitle: Bêta\nweight: 1\n---\n",
    );
    site.write(
        "content/roles/a.fr.md",
        "---\ntitle: Alpha\nweight: 2\n---\n",
    );
    site.write("content/roles/d.fr.md", "---\ntitle: Aaa\nweight: 2\n---\n");
    site.write("content/roles/c.fr.md", "---\ntitle: Aaa\nweight: 2\n---\n");
    site.build().ok();
    let home = site.html("fr/index.html");
    let titles: Vec<String> = select(&home, ".role-card .card-title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(titles, vec!["Bêta", "Aaa", "Aaa", "Alpha"]);
    // The same weight and title: by translation key.
    let links: Vec<String> = select(&home, ".role-card a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert!(
        links[1].contains("roles/c/") && links[2].contains("roles/d/"),
        "{links:?}"
    );
    // The roles section lists them in the same order.
    let section = site.html("fr/roles/index.html");
    let listed: Vec<String> = select(&section, ".role-card .card-title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(listed, titles);
}

#[test]
fn images_and_files_beside_content_or_in_static_are_linked_and_copied() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write_bytes("content/roles/org-chart.png", b"\x89PNG fake");
    site.write("static/docs/charter.pdf", "%PDF fake");
    site.write(
        "content/roles/a.fr.md",
        "---\ntitle: A\n---\n![Organigramme](org-chart.png)\n\n[La charte](/docs/charter.pdf)\n",
    );
    site.build().ok();
    let page = site.html("fr/roles/a/index.html");
    let img = attr(&select(&page, ".prose img")[0], "src");
    assert_eq!(img, "../../../roles/org-chart.png");
    assert_eq!(
        resolve("fr/roles/a/index.html", &img),
        "roles/org-chart.png"
    );
    assert!(site.output("roles/org-chart.png").exists());
    let pdf = attr(&select(&page, ".prose a")[0], "href");
    assert_eq!(resolve("fr/roles/a/index.html", &pdf), "docs/charter.pdf");
    assert!(site.output("docs/charter.pdf").exists());
}

#[test]
fn a_missing_image_is_an_error_with_its_line() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/a.fr.md",
        "---\ntitle: A\n---\n\n![x](missing.png)\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("content/a.fr.md:5:1") && err.contains("missing.png"),
        "{err}"
    );
}

/// A link written alike in several pages goes to its page from each: from a section's own
/// page and a page of that section (one folder of `content/`, two depths of the output),
/// and from another folder, where the same words name another page. (A build resolves
/// such links once for pages alike. One thread renders them, in two runs of pages: the
/// pages that link come first, in this order, and the pages after them fill the second.)
#[test]
fn a_link_written_alike_in_several_pages_goes_where_it_says_from_each() {
    let site = TestSite::new("title: Guide\nlanguages: {fr: Français}\n")
        .with_env("RAYON_NUM_THREADS", "1");
    let link = "Voir [la suite](b.md) et [la suite encore](b.md#fin).\n";
    for (file, title) in [
        ("autre/_index.md", "Autre"),
        ("autre/b.md", "Autre B"),
        ("autre/c.md", "Autre C"),
        ("guide/a.md", "Guide A"),
        ("guide/b.md", "Guide B"),
    ] {
        site.write(
            &format!("content/{file}"),
            &format!("---\ntitle: {title}\n---\n{link}\n## Fin\n"),
        );
    }
    for n in 0..8 {
        site.write(
            &format!("content/zeta/p{n}.md"),
            &format!("---\ntitle: P{n}\n---\nText.\n"),
        );
    }
    site.build().ok();
    for (page, target) in [
        ("fr/autre/index.html", "Autre B"),
        ("fr/autre/b/index.html", "Autre B"),
        ("fr/autre/c/index.html", "Autre B"),
        ("fr/guide/a/index.html", "Guide B"),
        ("fr/guide/b/index.html", "Guide B"),
    ] {
        let doc = site.html(page);
        let hrefs: Vec<String> = select(&doc, ".prose a:not(.anchor)")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(hrefs.len(), 2, "{page}: {hrefs:?}");
        for href in hrefs {
            let landed = resolve(page, &href);
            let h1 = text(&select(&site.html(&landed), "h1")[0]);
            assert_eq!(h1, target, "{page}: `{href}` leads to {landed}");
        }
    }
}
