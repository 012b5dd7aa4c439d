//! Documentation sites: Experience League guides, each a folder with a `TOC.md`, in two
//! languages. Sidebar from the TOC (order, groups, current page, relative links), the
//! folder tree without one, light pages, the search index loaded on demand, `exl-id`
//! pairing, broken anchors as warnings, and a home that lists the guides.

use crate::common;

use common::*;

const SITE: &str = "title:\n  en: Docs\n  fr: Docs\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n";

const TOC_EN: &str = r#"---
user-guide-title: "[!DNL Demo] Guide"
user-guide-description: Everything about the demo.
---
# [!DNL Demo] {#demo}

- [Start](start.md)
- Setup {#setup}
   - [Install](install.md)
   - Advanced {#advanced}
      - [Tune](advanced/tune.md)
   - {hide-from-toc} [Secret](secret.md)
- [Elsewhere](https://example.org/)
- [Changelog](https://github.com/example/demo/blob/main/CHANGELOG.md)
- Hidden only {#hidden-only}
   - {hide-from-toc} [Secret again](secret.md)
- [Search](https://example.org/search.html){target="_blank"}
"#;

const TOC_FR: &str = r#"---
user-guide-title: Guide [!DNL Demo]
user-guide-description: Tout sur la démo.
---
# Démo {#demo}

+ [Démarrer](demarrer.md)
+ Installation {#setup}
    + [Installer](install.md)
    + Avancé {#advanced}
        + [Régler](advanced/tune.md)
"#;

/// A two-language guide; the French start page was renamed and keeps its `exl-id`.
pub(crate) fn guide_site() -> TestSite {
    let site = TestSite::new(SITE);
    site.write("content/en/help/demo/TOC.md", TOC_EN);
    site.write("content/fr/help/demo/TOC.md", TOC_FR);
    let page = |lang: &str, file: &str, title: &str, exl: &str, body: &str| {
        site.write(
            &format!("content/{lang}/help/demo/{file}"),
            &format!("---\ntitle: {title}\nexl-id: {exl}\n---\n{body}\n"),
        );
    };
    page("en", "start.md", "Start", "id-start", "Welcome.");
    page(
        "en",
        "install.md",
        "Install",
        "id-install",
        "## Steps\n\nSee [start](start.md).",
    );
    page("en", "advanced/tune.md", "Tune", "id-tune", "Tuning.");
    page(
        "en",
        "secret.md",
        "Secret",
        "id-secret",
        "Hidden from the menu.",
    );
    page("en", "orphan.md", "Orphan", "id-orphan", "Not in the TOC.");
    page("fr", "demarrer.md", "Démarrer", "id-start", "Bienvenue.");
    page(
        "fr",
        "install.md",
        "Installer",
        "id-install",
        "Voir [démarrer](demarrer.md).",
    );
    page("fr", "advanced/tune.md", "Régler", "id-tune", "Réglage.");
    page("fr", "secret.md", "Secret", "id-secret", "Caché.");
    page(
        "fr",
        "orphan.md",
        "Orphelin",
        "id-orphan",
        "Hors du sommaire.",
    );
    site
}

/// The labels of the entries of a menu list (its own `li`s, not the nested ones).
fn entries(list: &scraper::ElementRef<'_>) -> Vec<String> {
    list.children()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| e.value().name() == "li")
        .map(|li| label(&li))
        .collect()
}

/// A menu entry's label: a group's summary, else the entry's text.
fn label(li: &scraper::ElementRef<'_>) -> String {
    let details = li
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .find(|e| e.value().name() == "details");
    let summary = details.and_then(|d| {
        d.children()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "summary")
    });
    match summary {
        Some(s) => text(&s),
        None => text(li),
    }
}

/// Adobe's guides write `&trade;`, `&eacute;`, `&hellip;` in titles, descriptions and
/// `TOC.md` labels (Experience Manager Screens: `Android&trade; Player` in every page's
/// menu): each is its character wherever a reader sees it, once.
#[test]
fn named_entities_in_front_matter_and_the_toc_are_their_characters() {
    let site = guide_site();
    let toc = TOC_EN.replace("[Start](start.md)", "[Android&trade; Start](start.md)");
    site.write("content/en/help/demo/TOC.md", &toc);
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start with Android&trade; &amp; more\ndescription: \"&Eacute;t&eacute; &hellip; &rarr; next\"\nexl-id: id-start\n---\nWelcome.\n",
    );
    site.build().ok();
    let html = site.html("en/help/demo/start/index.html");
    assert_eq!(
        text(&select(&html, "main h1")[0]),
        "Start with Android™ & more"
    );
    assert!(text(&select(&html, "title")[0]).starts_with("Start with Android™ & more · "));
    assert_eq!(text(&select(&html, ".lead")[0]), "Été … → next");
    let current = select(&html, ".guide-nav a[aria-current=page]");
    assert_eq!(text(&current[0]), "Android™ Start");
    let index = site.read_output("assets/search-en.js");
    assert!(index.contains("Start with Android™ & more"), "{index}");
    assert!(
        !index.contains("&trade;")
            && !site
                .read_output("en/help/demo/install/index.html")
                .contains("&amp;trade;")
    );
}

#[test]
fn the_sidebar_follows_the_toc() {
    let site = guide_site();
    site.build().ok();
    let page = "en/help/demo/install/index.html";
    let html = site.html(page);
    let nav = select(&html, ".guide-nav nav");
    assert_eq!(nav.len(), 1, "one guide menu");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Demo Guide");
    let top = entries(&select(&html, ".guide-nav nav > ul")[0]);
    // A page of another site is a link out, even when its name ends in `.md`.
    // A group of hidden entries only is left out; an attribute list is not shown.
    assert_eq!(top, ["Start", "Setup", "Elsewhere", "Changelog", "Search"]);
    let groups: Vec<String> = select(&html, ".guide-nav details details > summary")
        .iter()
        .map(text)
        .collect();
    assert_eq!(groups, ["Advanced"], "nested group");
    let inner = entries(&select(&html, ".guide-nav nav > ul > li > details > ul")[0]);
    assert_eq!(inner, ["Install", "Advanced"], "hidden entry left out");
    // The current page is marked, and its group is open; the other group is closed.
    let current = select(&html, ".guide-nav a[aria-current=page]");
    assert_eq!(current.len(), 1);
    assert_eq!(text(&current[0]), "Install");
    let setup = &select(&html, ".guide-nav nav > ul > li > details")[0];
    assert_eq!(
        label(&select(&html, ".guide-nav nav > ul > li")[1]),
        "Setup"
    );
    assert!(setup.value().attr("open").is_some());
    assert!(
        select(&html, ".guide-nav details details")[0]
            .value()
            .attr("open")
            .is_none()
    );
    // Every internal link is relative, as short as it goes from the page (the pages of
    // big guides link hundreds of others), and reaches a file of the output.
    let mut hrefs = Vec::new();
    for a in select(&html, ".guide-nav a") {
        let href = attr(&a, "href");
        if href.starts_with("https://") {
            assert_eq!(attr(&a, "rel"), "external");
            continue;
        }
        assert!(!href.starts_with('/') && !href.contains(':'), "{href}");
        let target = resolve(page, &href);
        assert!(site.output(&target).is_file(), "{href} -> {target}");
        hrefs.push(href);
    }
    assert!(
        hrefs.contains(&"../start/index.html".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"index.html".to_string()),
        "its own: {hrefs:?}"
    );
    // The French page has the French menu.
    let html = site.html("fr/help/demo/install/index.html");
    let top = entries(&select(&html, ".guide-nav nav > ul")[0]);
    assert_eq!(top, ["Démarrer", "Installation"]);
    assert_eq!(
        text(&select(&html, ".guide-nav a[aria-current=page]")[0]),
        "Installer"
    );
}

/// A `TOC.md` written by hand may have no `# Heading`: its `user-guide-title` names the
/// guide, and it is no page without a title (that was an error at `TOC.md:1:1`).
#[test]
fn a_toc_without_a_heading_is_named_by_its_front_matter() {
    let site = guide_site();
    let without_heading: String = TOC_FR
        .lines()
        .filter(|l| !l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("content/fr/help/demo/TOC.md", &without_heading);
    site.build().ok();
    let html = site.html("fr/help/demo/install/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Guide Demo");
    assert_eq!(
        entries(&select(&html, ".guide-nav nav > ul")[0]),
        ["Démarrer", "Installation"]
    );
    let current = select(&html, ".guide-nav a[aria-current=page]");
    assert_eq!(text(&current[0]), "Installer");
}

#[test]
fn toc_md_is_not_a_page_and_a_page_outside_it_keeps_the_guide_menu() {
    let site = guide_site();
    site.build().ok();
    let files = output_files(&site);
    assert!(
        files.iter().all(|f| !f.to_lowercase().contains("toc")),
        "{files:?}"
    );
    let index = site.read_output("assets/search-en.js");
    assert!(
        !index.contains("help/demo/toc") && !index.contains("Demo Guide"),
        "{index}"
    );
    let html = site.html("en/help/demo/orphan/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Demo Guide");
    assert!(select(&html, ".guide-nav a[aria-current=page]").is_empty());
    // The hidden page belongs to the guide too.
    let html = site.html("en/help/demo/secret/index.html");
    assert_eq!(select(&html, ".guide-nav").len(), 1);
}

#[test]
fn pages_are_light_and_load_the_search_index_on_demand() {
    let site = guide_site();
    // A big guide: 400 pages in the TOC.
    let mut toc = String::from("---\nuser-guide-title: Big\n---\n# Big\n\n");
    for i in 0..400 {
        toc.push_str(&format!("- [Page number {i}](p{i}.md)\n"));
        site.write(
            &format!("content/en/help/big/p{i}.md"),
            &format!("---\ntitle: Page number {i}\n---\nText {i}.\n"),
        );
    }
    site.write("content/en/help/big/TOC.md", &toc);
    site.build().ok();
    for page in [
        "en/help/demo/install/index.html",
        "en/help/big/p7/index.html",
        "en/index.html",
    ] {
        let bytes = site.read_output(page);
        let start = bytes.find("<main").expect("main");
        let end = bytes.rfind("</main>").expect("/main") + "</main>".len();
        let chrome = bytes.len() - (end - start);
        assert!(chrome < 60_000, "{page}: {chrome} bytes outside <main>");
        let html = site.html(page);
        for script in select(&html, "script[src]") {
            let src = attr(&script, "src");
            assert!(!src.contains("search-en"), "{page} loads {src}");
        }
        let form = &select(&html, "form.search")[0];
        let index = attr(form, "data-index");
        assert!(index.ends_with("assets/search-en.js"), "{index}");
        assert!(site.output(&resolve(page, &index)).is_file());
    }
    // A page of one guide carries that guide's menu only.
    let html = site.html("en/help/demo/install/index.html");
    assert!(!html.html().contains("Page number"));
}

#[test]
fn exl_id_pairs_renamed_translations() {
    let site = guide_site();
    site.build().ok();
    let html = site.html("en/help/demo/start/index.html");
    let switch = select(&html, ".language-switcher a[hreflang=fr]");
    assert_eq!(
        resolve("en/help/demo/start/index.html", &attr(&switch[0], "href")),
        "fr/help/demo/demarrer/index.html"
    );
    let html = site.html("fr/help/demo/demarrer/index.html");
    let switch = select(&html, ".language-switcher a[hreflang=en]");
    assert_eq!(
        resolve(
            "fr/help/demo/demarrer/index.html",
            &attr(&switch[0], "href")
        ),
        "en/help/demo/start/index.html"
    );
    // Links written to the French file name still resolve.
    let html = site.html("fr/help/demo/install/index.html");
    let link = select(&html, ".prose a")
        .into_iter()
        .find(|a| text(a) == "démarrer")
        .expect("link");
    assert_eq!(
        resolve("fr/help/demo/install/index.html", &attr(&link, "href")),
        "fr/help/demo/demarrer/index.html"
    );
    // No missing translation: the pair is one key.
    let run = site.run(&["check"]);
    assert!(
        !run.stderr().contains("has no translation"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("exl-id"), "{}", run.stderr());
    // A French page copied with its `exl-id`: neither French file is paired by it any
    // more, and the copy says so, at its `exl-id`, naming the first.
    site.write(
        "content/fr/help/demo/zcopie.md",
        "---\ntitle: Copie\nexl-id: id-start\n---\nCopie.\n",
    );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/fr/help/demo/zcopie.md:3:1: `exl-id` `id-start` is also that of content/fr/help/demo/demarrer.md"),
        "{err}"
    );
    assert_eq!(err.matches("is also that of").count(), 1, "{err}");
    let html = site.html("en/help/demo/start/index.html");
    let switch = select(&html, ".language-switcher a[hreflang=fr]");
    assert_ne!(
        resolve("en/help/demo/start/index.html", &attr(&switch[0], "href")),
        "fr/help/demo/demarrer/index.html"
    );
}

#[test]
fn a_missing_anchor_warns_and_fails_only_in_strict_mode() {
    let site = guide_site();
    site.write(
        "content/en/help/demo/orphan.md",
        "---\ntitle: Orphan\nexl-id: id-orphan\n---\nSee [steps](install.md#steps)\nand [nothing](install.md#no-such-part).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("no such anchor"), "{}", run.stderr());
    assert!(
        !run.stderr().contains("link to `#steps`"),
        "an existing anchor is fine"
    );
    site.build().ok();
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("no-such-part"));
    // A missing page stays an error, and the translation table is printed anyway.
    site.write(
        "content/en/help/demo/orphan.md",
        "---\ntitle: Orphan\nexl-id: id-orphan\n---\nSee [gone](gone.md).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("gone.md"), "{}", run.stderr());
    assert!(run.stdout().contains("translation key"), "{}", run.stdout());
    assert!(run.stdout().contains("help/demo/start"), "{}", run.stdout());
}

#[test]
fn a_toc_link_to_no_page_is_an_error_on_its_line() {
    let site = guide_site();
    site.write(
        "content/en/help/demo/TOC.md",
        "---\nuser-guide-title: Demo\n---\n# Demo\n\n- [Start](start.md)\n- [Gone](gone.md)\n",
    );
    let out = site.build().fails();
    assert!(
        out.contains("content/en/help/demo/TOC.md:7:3") && out.contains("gone.md"),
        "{out}"
    );
}

#[test]
fn a_documentation_home_lists_its_guides() {
    let site = guide_site();
    site.build().ok();
    let html = site.html("en/index.html");
    let cards = select(&html, ".guide-card a");
    assert_eq!(cards.len(), 1);
    assert!(text(&cards[0]).contains("Demo Guide"));
    assert!(text(&cards[0]).contains("Everything about the demo."));
    assert_eq!(
        resolve("en/index.html", &attr(&cards[0], "href")),
        "en/help/demo/start/index.html"
    );
    assert!(select(&html, ".team-map, #home-roles, #home-teams").is_empty());
    assert!(select(&html, ".site-nav").is_empty(), "no empty menu");
    assert!(!site.output("en/checklist/index.html").exists());
    assert!(!site.output("en/roles/index.html").exists() && !site.output("en/teams").exists());
    let fr = site.html("fr/index.html");
    assert!(text(&select(&fr, ".guide-card a")[0]).contains("Tout sur la démo."));
    // A site of one guide: the first level of its menu too, each entry to its page (a
    // group to its first page; a link out of the site, or a group of hidden pages, to
    // none, so left out).
    for (page, sections) in [
        (
            "en/index.html",
            [
                ("Start", "en/help/demo/start/index.html"),
                ("Setup", "en/help/demo/install/index.html"),
            ],
        ),
        (
            "fr/index.html",
            [
                ("Démarrer", "fr/help/demo/demarrer/index.html"),
                ("Installation", "fr/help/demo/install/index.html"),
            ],
        ),
    ] {
        let links: Vec<(String, String)> = select(&site.html(page), "#home-contents ~ ul a")
            .iter()
            .map(|a| (text(a), resolve(page, &attr(a, "href"))))
            .collect();
        let expected: Vec<(String, String)> = sections
            .iter()
            .map(|(label, url)| (label.to_string(), url.to_string()))
            .collect();
        assert_eq!(links, expected, "{page}");
    }
    // With a second guide the home lists the guides alone.
    site.write(
        "content/en/help/other/TOC.md",
        "---\nuser-guide-title: Other\n---\n# Other\n\n- [One](one.md)\n- [Two](two.md)\n",
    );
    for file in ["one", "two"] {
        site.write(
            &format!("content/en/help/other/{file}.md"),
            &format!("---\ntitle: {file}\n---\nText.\n"),
        );
    }
    site.build().ok();
    let html = site.html("en/index.html");
    assert_eq!(select(&html, ".guide-card").len(), 2);
    assert!(select(&html, "#home-contents").is_empty());
}

/// Adobe's Knowledge Base is one folder of articles, no `TOC.md` and no `_index`: the
/// home leads to them, and their menu's title to the first of them; its drafts marked
/// `hidefromtoc` are not in the menu.
#[test]
fn a_folder_of_pages_without_a_toc_is_a_guide_on_the_home() {
    let site = TestSite::new(SITE);
    for (file, title) in [("ka-2", "Why builds fail"), ("ka-1", "How to start")] {
        site.write(
            &format!("content/en/articles/{file}.md"),
            &format!("---\ntitle: {title}\n---\nText.\n"),
        );
    }
    // Adobe's `hidefromtoc`: built, out of the menu; a folder of such pages too.
    for file in ["ka-0", "drafts/ka-9"] {
        site.write(
            &format!("content/en/articles/{file}.md"),
            "---\ntitle: A draft\nhidefromtoc: yes\n---\nText.\n",
        );
    }
    site.build().ok();
    assert!(site.output("en/articles/ka-0/index.html").exists());
    let menu = text(&select(&site.html("en/articles/ka-1/index.html"), ".guide-nav")[0]);
    assert!(
        !menu.contains("draft") && !menu.contains("A draft"),
        "{menu}"
    );
    let html = site.html("en/index.html");
    let cards = select(&html, ".guide-card a");
    assert_eq!(cards.len(), 1, "{}", html.html());
    assert_eq!(text(&cards[0]), "Articles");
    assert_eq!(
        resolve("en/index.html", &attr(&cards[0], "href")),
        "en/articles/ka-1/index.html"
    );
    let page = site.html("en/articles/ka-2/index.html");
    let title = &select(&page, ".guide-title a")[0];
    assert_eq!(text(title), "Articles");
    assert_eq!(
        resolve("en/articles/ka-2/index.html", &attr(title, "href")),
        "en/articles/ka-1/index.html"
    );
}

/// Adobe's Commerce Learn guide keeps its `TOC.md` in `help/home/` and lists pages of the
/// folders beside it: they carry that guide's menu, not their folder's tree.
#[test]
fn a_page_outside_the_toc_folder_that_the_toc_lists_carries_its_menu() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/home/TOC.md",
        "---\nuser-guide-title: Tutorials\n---\n# Tutorials\n\n+ [Overview](overview.md)\n+ Cloud {#cloud}\n    + [Scaling](../cloud/scaling.md)\n",
    );
    let page = |path: &str, title: &str| {
        site.write(
            &format!("content/en/help/{path}"),
            &format!("---\ntitle: {title}\n---\nText.\n"),
        );
    };
    page("home/overview.md", "Overview");
    page("cloud/scaling.md", "How the cloud scales");
    page("cloud/unlisted.md", "Unlisted");
    site.build().ok();
    let html = site.html("en/help/cloud/scaling/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Tutorials");
    assert_eq!(
        text(&select(&html, ".guide-nav a[aria-current=page]")[0]),
        "Scaling"
    );
    // A page no TOC lists keeps its folder's tree.
    let html = site.html("en/help/cloud/unlisted/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Help");
}

/// A page with Adobe's `hidefromtoc: yes` is out of the menu even where its `TOC.md`
/// lists it (Audience Manager's English `TOC.md` lists such a page; it showed in nine
/// menus), and still built.
#[test]
fn a_page_hidden_from_the_toc_is_out_of_the_menu_that_lists_it() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/TOC.md",
        "---\nuser-guide-title: Manager\n---\n# Manager\n\n+ [Shown](shown.md)\n+ [Hidden](hidden.md)\n",
    );
    site.write(
        "content/en/help/shown.md",
        "---\ntitle: Shown\n---\nText.\n",
    );
    site.write(
        "content/en/help/hidden.md",
        "---\ntitle: Hidden\nhide: yes\nhidefromtoc: yes\n---\nText.\n",
    );
    site.build().ok();
    let html = site.html("en/help/shown/index.html");
    let entries: Vec<String> = select(&html, ".guide-nav li a").iter().map(text).collect();
    assert_eq!(entries, ["Shown"]);
    let hidden = site.html("en/help/hidden/index.html");
    assert_eq!(text(&select(&hidden, "h1")[0]), "Hidden");
    // A guide of such pages alone leads to its first one, not nowhere.
    site.write(
        "content/en/help/data/TOC.md",
        "---\nuser-guide-title: Data\n---\n# Data\n\n+ [Overview](overview.md)\n",
    );
    site.write(
        "content/en/help/data/overview.md",
        "---\ntitle: Overview\nhidefromtoc: yes\n---\nText.\n",
    );
    site.build().ok();
    let home = site.html("en/index.html");
    let to_data: Vec<String> = select(&home, "main a")
        .iter()
        .filter(|a| text(a).contains("Data"))
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(to_data, ["../en/help/data/overview/index.html"]);
}

/// A page out of the menu whose file is outside the guide's folder is the guide's too
/// (Mix Modeler's `{hide-from-toc} [Test](../releases/test.md)`): it carries the guide's
/// menu, and is no guide of its own on the home.
#[test]
fn a_hidden_toc_entry_outside_the_guide_s_folder_is_the_guide_s() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/main/TOC.md",
        "---\nuser-guide-title: Modeler\n---\n# Modeler\n\n+ [Shown](shown.md)\n\
         + {hide-from-toc} [Test](../releases/test.md)\n",
    );
    site.write(
        "content/en/help/main/shown.md",
        "---\ntitle: Shown\n---\nText.\n",
    );
    site.write(
        "content/en/help/releases/test.md",
        "---\ntitle: Test\n---\nText.\n",
    );
    site.build().ok();
    let test = site.html("en/help/releases/test/index.html");
    assert_eq!(text(&select(&test, ".guide-title")[0]), "Modeler");
    let home = site.html("en/index.html");
    let guides: Vec<String> = select(&home, "main .card-title").iter().map(text).collect();
    assert_eq!(guides, ["Modeler"]);
}

/// A `TOC.md` of one language is no menu for another's pages, except the default
/// language's: Adobe's Data Workbench has `help/home/TOC.md` in French only, and its
/// English pages, which the English `help/TOC.md` lists, showed the French menu.
#[test]
fn a_toc_in_another_language_than_the_default_is_not_the_menu_of_its_pages() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/TOC.md",
        "---\nuser-guide-title: Workbench\n---\n# Workbench\n\n+ [Page A](home/a.md)\n",
    );
    site.write(
        "content/fr/help/home/TOC.md",
        "---\nuser-guide-title: Guide français\n---\n# Guide\n\n+ [Page A en français](a.md)\n",
    );
    for lang in ["en", "fr"] {
        site.write(
            &format!("content/{lang}/help/home/a.md"),
            &format!("---\ntitle: A {lang}\n---\nText.\n"),
        );
    }
    site.build().ok();
    let html = site.html("en/help/home/a/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Workbench");
    assert_eq!(
        text(&select(&html, ".guide-nav a[aria-current=page]")[0]),
        "Page A"
    );
    let home = site.html("en/index.html");
    assert!(!home.html().contains("Guide français"));
    // French pages keep their own menu.
    let html = site.html("fr/help/home/a/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Guide français");
}

/// Past 200 entries, a page's menu opens only the groups that hold it; another group is
/// a link to its first page, whose menu opens it: every page stays light.
#[test]
fn a_large_menu_opens_only_the_groups_that_hold_the_page() {
    let site = TestSite::new(SITE);
    let mut toc = String::from("---\nuser-guide-title: Big\n---\n# Big\n\n");
    let groups = ["g0", "g1", "g2", "g3", "g4", "g5"];
    for group in groups {
        toc.push_str(&format!("+ Group {group} {{#{group}}}\n"));
        for n in 0..35 {
            toc.push_str(&format!("    + [{group} {n}]({group}/p{n}.md)\n"));
            site.write(
                &format!("content/en/help/big/{group}/p{n}.md"),
                &format!("---\ntitle: {group} {n}\n---\nText.\n"),
            );
        }
    }
    // A group of links out of the site only (Workfront Learn's "Microsoft Teams") has no
    // page to open it on: it is shown whole, folded.
    toc.push_str("+ Elsewhere {#elsewhere}\n    + [Out](https://example.org/out)\n");
    site.write("content/en/help/big/TOC.md", &toc);
    site.build().ok();
    let html = site.html("en/help/big/g0/p5/index.html");
    // The guide's title, the open group's 35 entries, a link for each other group.
    assert_eq!(select(&html, ".guide-nav a").len(), 1 + 35 + 5 + 1);
    let out = &select(&html, ".guide-nav details:not([open]) a[rel=external]")[0];
    assert_eq!(attr(out, "href"), "https://example.org/out");
    assert_eq!(
        text(&select(&html, ".guide-nav a[aria-current=page]")[0]),
        "g0 5"
    );
    let branches: Vec<String> = select(&html, ".guide-nav li.menu-branch a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        branches,
        ["Group g1", "Group g2", "Group g3", "Group g4", "Group g5"]
    );
    let branch = &select(&html, ".guide-nav li.menu-branch a")[0];
    assert_eq!(attr(branch, "href"), "../../g1/p0/index.html");
    // There, its group is open and the first is the link.
    let html = site.html("en/help/big/g1/p0/index.html");
    let branch = &select(&html, ".guide-nav li.menu-branch a")[0];
    assert_eq!(text(branch), "Group g0");
    assert_eq!(select(&html, ".guide-nav details[open] a").len(), 35);
}

#[test]
fn without_a_toc_the_folder_tree_is_the_menu() {
    let site = TestSite::new(SITE);
    let page = |path: &str, title: &str, weight: i32| {
        site.write(
            &format!("content/en/notes/{path}"),
            &format!("---\ntitle: {title}\nweight: {weight}\n---\nText.\n"),
        );
    };
    page("_index.md", "Notes", 0);
    page("zeta.md", "Zeta", 1);
    page("alpha.md", "Alpha", 2);
    page("deep/_index.md", "Deep notes", 0);
    page("deep/inner.md", "Inner", 0);
    site.write(
        "content/en/about.md",
        "---\ntitle: About\n---\nAt the root.\n",
    );
    site.build().ok();
    let html = site.html("en/notes/deep/inner/index.html");
    assert_eq!(text(&select(&html, ".guide-title")[0]), "Notes");
    let top = entries(&select(&html, ".guide-nav nav > ul")[0]);
    assert_eq!(top, ["Zeta", "Alpha", "Deep notes"]);
    assert_eq!(
        text(&select(&html, ".guide-nav a[aria-current=page]")[0]),
        "Inner"
    );
    // A page at the content root has no sidebar; it is in the header menu.
    let html = site.html("en/about/index.html");
    assert!(select(&html, ".guide-nav").is_empty());
    let header: Vec<String> = select(&html, ".site-nav a").iter().map(text).collect();
    assert_eq!(header, ["About"]);
}

/// A `TOC.md` group of many entries is shown whole: no page lists it otherwise (Learning
/// Manager's "Administrator" group, 65 entries, was cut to 17 around the page, and 48 of
/// its pages could be reached only page by page).
/// Menu entries are written once for the pages that show them alike (see
/// `site::menu_memo`): from every page, each link of its menu still leads to the page it
/// names, whether the page is alone in its folder (its siblings' links are its own), has a
/// page below it that a group it is not in lists (its link to it is its own), or is one
/// folder deeper.
#[test]
fn every_menu_link_leads_to_its_page_from_every_page() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/g/TOC.md",
        "---\nuser-guide-title: G\n---\n# G {#g}\n\n- [One](one.md)\n- Group A {#a}\n   - [Section](section.md)\n   - [Two](two.md)\n- Group B {#b}\n   - [Child](section/child.md)\n   - [Three](deep/three.md)\n   - Inner {#inner}\n      - [Four](deep/four.md)\n",
    );
    let pages = [
        ("one", "One"),
        ("section", "Section"),
        ("two", "Two"),
        ("section/child", "Child"),
        ("deep/three", "Three"),
        ("deep/four", "Four"),
    ];
    for (file, title) in pages {
        site.write(
            &format!("content/en/help/g/{file}.md"),
            &format!("---\ntitle: {title}\n---\nText.\n"),
        );
    }
    site.build().ok();
    for (file, _) in pages {
        let page = format!("en/help/g/{file}/index.html");
        let html = site.html(&page);
        let links = select(&html, ".guide-nav nav > ul a");
        assert_eq!(links.len(), pages.len(), "{page}");
        for a in links {
            let href = attr(&a, "href");
            let target = resolve(&page, &href);
            assert!(site.output(&target).is_file(), "{page}: {target}");
            // As short as it goes: up to the folders both are in, then down.
            let (from, to): (Vec<&str>, Vec<&str>) =
                (page.split('/').collect(), target.split('/').collect());
            let shared = from
                .iter()
                .zip(&to)
                .take_while(|(a, b)| a == b)
                .count()
                .min(from.len() - 1);
            let shortest = "../".repeat(from.len() - 1 - shared) + &to[shared..].join("/");
            assert_eq!(href, shortest, "{page}");
            let shown = site.html(&target);
            assert_eq!(
                text(&select(&shown, "main h1")[0]),
                text(&a),
                "{page}: {target}"
            );
        }
    }
}

#[test]
fn a_toc_group_of_many_entries_is_shown_whole() {
    let site = TestSite::new(SITE);
    let mut toc =
        String::from("---\nuser-guide-title: Big\n---\n# Big {#big}\n\n- Administrator {#admin}\n");
    for k in 0..65 {
        toc.push_str(&format!("  - [Task {k:02}](t{k:02}.md)\n"));
        site.write(
            &format!("content/en/help/big/t{k:02}.md"),
            &format!("---\ntitle: Task {k:02}\n---\nText.\n"),
        );
    }
    site.write("content/en/help/big/TOC.md", &toc);
    site.build().ok();
    let html = site.html("en/help/big/t00/index.html");
    let entries: Vec<String> = select(&html, ".guide-nav details li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(entries.len(), 65, "{entries:?}");
    assert_eq!(entries[64], "Task 64");
    assert!(select(&html, ".menu-more").is_empty());
}

#[test]
fn a_folder_of_many_pages_shows_the_entries_around_the_current_one() {
    let site = TestSite::new(SITE);
    for k in 0..200 {
        site.write(
            &format!("content/en/roles/r{k:03}.md"),
            &format!("---\ntitle: Role {k:03}\nweight: {k}\n---\nText.\n"),
        );
    }
    site.build().ok();
    // A menu of 200 entries on each of 200 pages would make the site grow with the
    // square of its size: each page lists its neighbours, between `…`.
    let html = site.html("en/roles/r100/index.html");
    let menu: Vec<String> = select(&html, ".guide-nav nav > ul > li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(menu.len(), 17 + 2, "{menu:?}");
    assert_eq!(menu[0], "…");
    assert_eq!(menu[1], "Role 092");
    assert_eq!(menu[9], "Role 100");
    assert_eq!(menu[17], "Role 108");
    assert_eq!(menu[18], "…");
    // At the ends of the folder, the window keeps its length.
    let first = site.html("en/roles/r000/index.html");
    let menu: Vec<String> = select(&first, ".guide-nav nav > ul > li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(menu.first().map(String::as_str), Some("Role 000"));
    assert_eq!(menu.len(), 17 + 1);
    let last = site.html("en/roles/r199/index.html");
    let menu: Vec<String> = select(&last, ".guide-nav nav > ul > li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(menu.last().map(String::as_str), Some("Role 199"));
    assert_eq!(menu.len(), 17 + 1);
}
