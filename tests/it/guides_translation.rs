//! Guides as translation pipelines leave them: links written for Experience League's
//! heading ids, English `#anchors` kept in machine-translated French pages (sent to the
//! French heading at the same place, or reported when that place is not certain), and
//! `source-git-commit` compared with the history of a real git repository.

use std::process::Command;

use crate::common;

use common::*;

const SITE: &str = "title:\n  en: Docs\n  fr: Docs\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n";

/// English and French versions of a page whose headings get different ids in each.
const TARGET_EN: &str = "---\ntitle: Certificates\n---\n## Provision SSL/TLS certificates\n\nText.\n\n### Renew\n\nText.\n\n## `CRON_CONSUMERS_RUNNER`\n\nText.\n";
const TARGET_FR: &str = "---\ntitle: Certificats\n---\n## Provisionner les certificats SSL/TLS\n\nTexte.\n\n### Renouveler\n\nTexte.\n\n## `CRON_CONSUMERS_RUNNER`\n\nTexte.\n";

/// A guide whose pages link the target's headings as Experience League ids them.
fn translated_guide() -> TestSite {
    let site = TestSite::new(SITE);
    site.write("content/en/help/demo/certificates.md", TARGET_EN);
    site.write("content/fr/help/demo/certificates.md", TARGET_FR);
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start\n---\nSee [certificates](certificates.md#provision-ssltls-certificates), [renewal](certificates.md#renew) and [the variable](certificates.md#cron_consumers_runner).\n",
    );
    // Machine translation kept the English anchors.
    site.write(
        "content/fr/help/demo/start.md",
        "---\ntitle: Démarrer\n---\nVoir [les certificats](certificates.md#provision-ssltls-certificates), [le renouvellement](certificates.md#renew) et [la variable](certificates.md#cron_consumers_runner).\n",
    );
    site
}

/// The fragments the links of `page` to `target` name, each with whether `target` has
/// that id.
fn linked_ids(site: &TestSite, page: &str, target: &str) -> Vec<(String, bool)> {
    let html = site.html(page);
    let ids: Vec<String> = select(&site.html(target), "[id]")
        .iter()
        .map(|e| attr(e, "id"))
        .collect();
    select(&html, "main a[href*='#']")
        .iter()
        .map(|a| attr(a, "href"))
        .filter(|href| resolve(page, href.split('#').next().unwrap_or("")) == target)
        .map(|href| {
            let id = href.rsplit_once('#').map(|(_, f)| f.to_string()).unwrap();
            let exists = ids.contains(&id);
            (id, exists)
        })
        .collect()
}

#[test]
fn english_anchors_of_a_french_page_go_to_the_french_headings() {
    let site = translated_guide();
    let run = site.build().ok();
    assert!(!run.stderr().contains("anchor"), "{}", run.stderr());
    assert_eq!(
        linked_ids(
            &site,
            "en/help/demo/start/index.html",
            "en/help/demo/certificates/index.html"
        ),
        [
            ("provision-ssl-tls-certificates".to_string(), true),
            ("renew".to_string(), true),
            ("cron-consumers-runner".to_string(), true)
        ]
    );
    assert_eq!(
        linked_ids(
            &site,
            "fr/help/demo/start/index.html",
            "fr/help/demo/certificates/index.html"
        ),
        [
            ("provisionner-les-certificats-ssl-tls".to_string(), true),
            ("renouveler".to_string(), true),
            ("cron-consumers-runner".to_string(), true)
        ]
    );
    // The ids equipe writes are its own, whatever the links ask for.
    let html = site.read_output("en/help/demo/certificates/index.html");
    assert!(!html.contains("id=\"provision-ssltls-certificates\""));
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("anchor"), "{}", run.stderr());
    assert!(run.stdout().contains("translation key"), "{}", run.stdout());
}

/// Guides link a page's `# Title` by its id, which equipe shows as the page's `<h1>`
/// (the link goes to the page), and ids of an older rule without `_` or `-`, or in
/// capitals.
#[test]
fn links_to_a_title_or_an_id_of_an_older_rule_land_on_the_page() {
    let site = TestSite::new(SITE);
    // Machine translation changed the French heading a little.
    let headings = [
        ("en", "PHP settings", "consumers_wait_for_messages"),
        ("fr", "Paramètres PHP", "consumer_wait_for_messages"),
    ];
    for (lang, title, heading) in headings {
        site.write(
            &format!("content/{lang}/help/demo/php.md"),
            &format!("---\ntitle: {title}\n---\n# {title}\n\n## {heading}\n\nText.\n"),
        );
        site.write(
            &format!("content/{lang}/help/demo/start.md"),
            "---\ntitle: Start\n---\nSee [settings](php.md#php-settings), [the option](php.md#consumerswaitformessages) and [again](php.md#Consumers-Wait-For-Messages).\n",
        );
    }
    let run = site.build().ok();
    assert!(!run.stderr().contains("anchor"), "{}", run.stderr());
    for (lang, _, heading) in headings {
        let id = heading.replace('_', "-");
        let page = format!("{lang}/help/demo/start/index.html");
        let hrefs: Vec<String> = select(&site.html(&page), "main .prose a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        let php = format!("../../../../{lang}/help/demo/php/index.html");
        let section = format!("{php}#{id}");
        assert_eq!(hrefs, [php.clone(), section.clone(), section]);
        let target = format!("{lang}/help/demo/php/index.html");
        assert_eq!(
            linked_ids(&site, &page, &target),
            [(id.clone(), true), (id, true)]
        );
    }
}

/// The body's `# Title` may word the title otherwise than the front matter (Adobe's
/// Commerce guide: `title: Configure IMS user permissions`, `# User permissions and
/// IMS`): a link by the heading's id lands on the page as well, in both languages, and
/// so does one by an id that differs only in `_` and `-` (Dynamic Media Classic's
/// `#uploading_files` for `{#uploading-files}`).
#[test]
fn a_link_to_the_body_s_own_title_lands_on_the_page() {
    let site = TestSite::new(SITE);
    for (lang, title, heading) in [
        (
            "en",
            "Configure IMS user permissions",
            "User permissions and IMS {#ims}",
        ),
        ("fr", "Configurer les autorisations", "Autorisations et IMS"),
    ] {
        site.write(
            &format!("content/{lang}/help/demo/perm.md"),
            &format!("---\ntitle: {title}\n---\n# {heading}\n\nText.\n"),
        );
        site.write(
            &format!("content/{lang}/help/demo/start.md"),
            "---\ntitle: Start\n---\n[Words](perm.md#user-permissions-and-ims), \
             [its id](perm.md#ims), [gone](perm.md#user-permissions), \
             [an older id](perm.md#user_permissions_and_ims).\n",
        );
    }
    let run = site.build().ok();
    for lang in ["en", "fr"] {
        let page = format!("{lang}/help/demo/start/index.html");
        let hrefs: Vec<String> = select(&site.html(&page), "main .prose a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        let perm = format!("../../../../{lang}/help/demo/perm/index.html");
        assert_eq!(
            hrefs,
            [
                perm.clone(),
                perm.clone(),
                format!("{perm}#user-permissions"),
                perm.clone(),
            ]
        );
    }
    // The page shows the body's heading; the browser's tab, the front matter's title.
    for (lang, heading, title) in [
        (
            "en",
            "User permissions and IMS",
            "Configure IMS user permissions",
        ),
        ("fr", "Autorisations et IMS", "Configurer les autorisations"),
    ] {
        let doc = site.html(&format!("{lang}/help/demo/perm/index.html"));
        assert_eq!(text(&select(&doc, "main h1")[0]), heading);
        assert!(text(&select(&doc, "title")[0]).starts_with(&format!("{title} · ")));
    }
    // The same words, French typography and markers aside, show as the title does.
    site.write(
        "content/fr/help/demo/colon.md",
        "---\ntitle: \"Réglages : PHP\"\n---\n# Réglages : [!DNL PHP]\n\nTexte.\n",
    );
    site.build().ok();
    let doc = site.html("fr/help/demo/colon/index.html");
    let h1 = text(&select(&doc, "main h1")[0]);
    assert_eq!(h1, "Réglages\u{a0}: PHP");
    assert!(text(&select(&doc, "title")[0]).starts_with(&format!("{h1} · ")));
    // Only the anchor no title names is reported, once per language.
    let warned = run.stderr();
    assert_eq!(warned.matches("no such anchor").count(), 2, "{warned}");
    assert_eq!(
        warned.matches("link to `#user-permissions`").count(),
        2,
        "{warned}"
    );
}

/// A section named as the page (Workfront's "Create an Agile team", under the page's
/// `# Create an Agile team`) gets `-1`, as Experience League, which shows the title's
/// heading, numbers it: links to it name `#create-an-agile-team-1`. A link by the
/// section's words without the number still finds it, as before.
#[test]
fn a_section_named_as_the_page_is_numbered_after_the_title() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/demo/team.md",
        "---\ntitle: Create an Agile team\n---\n# Create an Agile team\n\nIntro.\n\n\
         ## Access\n\nText.\n\n## Create an Agile team\n\nSteps.\n",
    );
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start\n---\n[The steps](team.md#create-an-agile-team-1), \
         [the page](team.md#create-an-agile-team).\n",
    );
    let run = site.build().ok();
    assert!(!run.stderr().contains("no such anchor"), "{}", run.stderr());
    let doc = site.html("en/help/demo/team/index.html");
    let ids: Vec<String> = select(&doc, "main .prose h2")
        .iter()
        .map(|h| attr(h, "id"))
        .collect();
    assert_eq!(ids, ["access", "create-an-agile-team-1"]);
    let hrefs: Vec<String> = select(&site.html("en/help/demo/start/index.html"), "main .prose a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    let team = "../../../../en/help/demo/team/index.html";
    assert_eq!(
        hrefs,
        [
            format!("{team}#create-an-agile-team-1"),
            format!("{team}#create-an-agile-team-1")
        ]
    );
}

#[test]
fn an_anchor_whose_place_in_the_translation_is_not_certain_is_reported_as_such() {
    let site = translated_guide();
    // The translation lost one of two `###` headings: which one is not certain.
    site.write(
        "content/en/help/demo/certificates.md",
        "---\ntitle: Certificates\n---\n## Setup\n\n### First step\n\n### Second step\n\n## After\n",
    );
    site.write(
        "content/fr/help/demo/certificates.md",
        "---\ntitle: Certificats\n---\n## Installation\n\n### Étape\n\n## Ensuite\n",
    );
    site.write(
        "content/fr/help/demo/start.md",
        "---\ntitle: Démarrer\n---\nVoir [l'étape](certificates.md#second-step), [la suite](certificates.md#after)\net [rien](certificates.md#nowhere).\n",
    );
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start\n---\nSee [the step](certificates.md#second-step).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("link to `#second-step`: untranslated anchor not mapped"),
        "{err}"
    );
    assert!(
        err.contains("content/fr/help/demo/start.md:4:6"),
        "the warning points at the link: {err}"
    );
    // Said once, not again as "no such anchor"; an anchor no page has still is one.
    assert!(!err.contains("`#second-step`: no such anchor"), "{err}");
    assert!(err.contains("`#nowhere`: no such anchor"), "{err}");
    assert!(
        !err.contains("`#after`"),
        "the heading after is certain: {err}"
    );
    site.build().ok();
    assert_eq!(
        linked_ids(
            &site,
            "fr/help/demo/start/index.html",
            "fr/help/demo/certificates/index.html"
        ),
        [
            // Left as written: reported above.
            ("second-step".to_string(), false),
            ("ensuite".to_string(), true),
            ("nowhere".to_string(), false)
        ]
    );
    assert_eq!(site.run(&["check", "--strict"]).code(), 1);
}

/// A French page that links hundreds of sections of a long page whose translation has a
/// heading more: each link is sent to its French heading (the two pages' headings aligned
/// once, not once a link: 1,000 such links took 2.8 s). Past 4,000,000 pairs of headings
/// (two pages of 2,001 headings), the pages are not aligned: each link is reported, and
/// the build goes on (two pages of 3,000 headings never finished building).
#[test]
fn many_links_to_a_long_translated_page_are_mapped_by_one_alignment() {
    let site = translated_guide();
    let long = |headings: usize, lang: &str| {
        let (title, extra, word) = match lang {
            "en" => ("Reference", "", "Option"),
            _ => ("Référence", "### En plus\n\n", "Réglage"),
        };
        let sections: String = (0..headings)
            .map(|i| format!("## {word} {i}\n\nText.\n\n"))
            .collect();
        format!("---\ntitle: {title}\n---\n{extra}{sections}")
    };
    let links = |n: usize| -> String {
        (0..n)
            .map(|i| format!("[{i}](reference.md#option-{i}) "))
            .collect()
    };
    site.write("content/en/help/demo/reference.md", &long(300, "en"));
    site.write("content/fr/help/demo/reference.md", &long(300, "fr"));
    site.write(
        "content/fr/help/demo/start.md",
        &format!("---\ntitle: Démarrer\n---\n{}\n", links(300)),
    );
    let run = site.build().ok();
    assert!(!run.stderr().contains("anchor"), "{}", run.stderr());
    let linked = linked_ids(
        &site,
        "fr/help/demo/start/index.html",
        "fr/help/demo/reference/index.html",
    );
    let expected: Vec<(String, bool)> = (0..300).map(|i| (format!("reglage-{i}"), true)).collect();
    assert_eq!(linked, expected);
    // Too long to align: reported at each link, not built for ever.
    site.write("content/en/help/demo/reference.md", &long(2001, "en"));
    site.write("content/fr/help/demo/reference.md", &long(2001, "fr"));
    site.write(
        "content/fr/help/demo/start.md",
        &format!("---\ntitle: Démarrer\n---\n{}\n", links(2001)),
    );
    let run = site.build().ok();
    assert_eq!(
        run.stderr()
            .matches("untranslated anchor not mapped")
            .count(),
        2001,
        "{}",
        run.stderr().lines().take(20).collect::<Vec<_>>().join("\n")
    );
}

/// A translation that lacks its source's newest section (Mix Modeler's French release
/// notes): by levels alone, which `##` is missing is not certain; the years in the
/// headings pair the one that holds none.
#[test]
fn a_section_the_translation_lacks_leaves_the_headings_its_numbers_tell_apart_paired() {
    let site = translated_guide();
    site.write(
        "content/en/help/demo/releases.md",
        "---\ntitle: Release notes\n---\n## August 2026\n\nA.\n\n## March 2026\n\nM.\n\n## February 2026\n\nF.\n\n## Release strategy\n\nS.\n",
    );
    site.write(
        "content/fr/help/demo/releases.md",
        "---\ntitle: Notes de mise à jour\n---\n## Mars 2026\n\nM.\n\n## Février 2026\n\nF.\n\n## Stratégie de publication\n\nS.\n",
    );
    site.write(
        "content/fr/help/demo/start.md",
        "---\ntitle: Démarrer\n---\nVoir [la stratégie](releases.md#release-strategy), [mars](releases.md#march-2026) et [août](releases.md#august-2026).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(!err.contains("`#release-strategy`"), "{err}");
    // Every heading above holds 2026: which month is missing is still not certain.
    assert!(
        err.contains("link to `#march-2026`: untranslated anchor not mapped"),
        "{err}"
    );
    assert!(
        err.contains("link to `#august-2026`: untranslated anchor not mapped"),
        "{err}"
    );
    site.build().ok();
    assert_eq!(
        linked_ids(
            &site,
            "fr/help/demo/start/index.html",
            "fr/help/demo/releases/index.html"
        ),
        [
            ("strategie-de-publication".to_string(), true),
            ("march-2026".to_string(), false),
            ("august-2026".to_string(), false)
        ]
    );
}

fn has_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: no git command");
    }
    found
}

#[test]
fn a_translation_made_before_the_last_commit_of_its_source_is_outdated() {
    if !has_git() {
        return;
    }
    let site = TestSite::new(SITE);
    let source = "content/en/help/demo/page.md";
    site.write(source, "---\ntitle: Page\n---\nVersion 1.\n");
    site.git(&["init", "-q"]);
    site.git(&["add", "."]);
    site.git(&["commit", "-qm", "one"]);
    let one = site.git(&["rev-parse", "HEAD"]);
    // A commit that leaves the source alone, then translations made from each commit.
    site.write("content/en/help/demo/other.md", "---\ntitle: Other\n---\n");
    site.git(&["add", "."]);
    site.git(&["commit", "-qm", "two"]);
    let two = site.git(&["rev-parse", "HEAD"]);
    let translation = |file: &str, commit: &str| {
        site.write(
            &format!("content/fr/help/demo/{file}"),
            &format!("---\ntitle: Page\nsource-git-commit: {commit}\n---\nVersion 1.\n"),
        );
    };
    translation("page.md", &one);
    translation("other.md", &two);
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("out of date"), "{}", run.stderr());
    assert!(!run.stdout().contains("OUTDATED"), "{}", run.stdout());
    // The source changes in a third commit: the translation made from the first is late.
    site.write(source, "---\ntitle: Page\n---\nVersion 2.\n");
    site.git(&["commit", "-qam", "three"]);
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr().contains(&format!(
            "translation may be out of date: content/en/help/demo/page.md changed in git after commit {}",
            &one[..12]
        )),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("content/fr/help/demo/page.md:3:1"),
        "at its source-git-commit: {}",
        run.stderr()
    );
    assert_eq!(run.stderr().matches("out of date").count(), 1);
    let table = site.run(&["translations"]).ok().stdout();
    let row = |key: &str| {
        table
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no row {key} in {table}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("help/demo/page "), ["source", "OUTDATED"]);
    assert_eq!(row("help/demo/other "), ["source", "ok"]);
    // Without a repository the records are ignored, quietly.
    std::fs::remove_dir_all(site.path(".git")).expect("remove .git");
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("out of date"), "{}", run.stderr());
    assert!(!run.stderr().contains("git"), "{}", run.stderr());
    assert!(run.stdout().contains("help/demo/page"), "{}", run.stdout());
}

/// A link to a `#fragment` of its own page, English anchors kept by machine translation
/// included: sent to the French heading at the same place, as links to other pages are;
/// one to no heading is a warning in each language.
#[test]
fn english_anchors_of_a_french_page_to_itself_go_to_its_french_headings() {
    let site = TestSite::new(SITE);
    site.write(
        "content/en/help/demo/certificates.md",
        &format!("{TARGET_EN}\nSee [renewal](#renew) and [nothing](#no-such-part).\n"),
    );
    site.write(
        "content/fr/help/demo/certificates.md",
        &format!("{TARGET_FR}\nVoir [le renouvellement](#renew) et [rien](#no-such-part).\n"),
    );
    let run = site.build().ok();
    let err = run.stderr();
    assert_eq!(err.matches("link to `#no-such-part`").count(), 2, "{err}");
    assert!(!err.contains("`#renew`"), "{err}");
    for (lang, renew) in [("en", "renew"), ("fr", "renouveler")] {
        let page = format!("{lang}/help/demo/certificates/index.html");
        let hrefs: Vec<String> = select(&site.html(&page), "main .prose p a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(
            hrefs,
            [format!("#{renew}"), "#no-such-part".to_string()],
            "{lang}"
        );
    }
}

/// Links of raw HTML (`<a href>`, and Markdown links in an HTML table's cells) have their
/// anchors checked and mapped as Markdown links do: to another page and to the page
/// itself, a missing one reported at its line.
#[test]
fn anchors_of_raw_html_links_are_checked_and_mapped_as_markdown_ones() {
    let site = TestSite::new(SITE);
    site.write("content/en/help/demo/certificates.md", TARGET_EN);
    site.write("content/fr/help/demo/certificates.md", TARGET_FR);
    let links = |see: &str| {
        format!(
            "<p>{see} <a href=\"certificates.md#renew\">renewal</a>, <a href=\"#usage\">usage</a>, <a href=\"certificates.md#gone\">gone</a>.</p>\n\n<table><tr><td>[variable](certificates.md#cron_consumers_runner)</td><td><a href=\"#nowhere\">nowhere</a></td></tr></table>\n"
        )
    };
    site.write(
        "content/en/help/demo/start.md",
        &format!(
            "---\ntitle: Start\n---\n## Usage\n\nText.\n\n{}",
            links("See")
        ),
    );
    // Machine translation kept the English anchors; the heading is French.
    site.write(
        "content/fr/help/demo/start.md",
        &format!(
            "---\ntitle: Démarrer\n---\n## Utilisation\n\nTexte.\n\n{}",
            links("Voir")
        ),
    );
    let run = site.build().ok();
    let err = run.stderr();
    // At each link's URL.
    for (lang, gone) in [("en", 90), ("fr", 91)] {
        assert!(
            err.contains(&format!("content/{lang}/help/demo/start.md:8:{gone}:"))
                && err.contains(&format!("content/{lang}/help/demo/start.md:10:83:")),
            "{lang}: {err}"
        );
    }
    assert_eq!(err.matches("`#gone`").count(), 2, "{err}");
    assert_eq!(err.matches("`#nowhere`").count(), 2, "{err}");
    assert!(
        !err.contains("`#renew`") && !err.contains("`#usage`"),
        "{err}"
    );
    for (lang, renew, usage) in [
        ("en", "renew", "usage"),
        ("fr", "renouveler", "utilisation"),
    ] {
        let page = format!("{lang}/help/demo/start/index.html");
        // Each page's link from the guide's folder (they are written from the site's root).
        let hrefs: Vec<String> = select(&site.html(&page), "main .prose a:not(.anchor)")
            .iter()
            .map(|a| attr(a, "href"))
            .map(|h| {
                h.rsplit_once("/demo/")
                    .map_or(h.clone(), |(_, r)| r.to_string())
            })
            .collect();
        assert_eq!(
            hrefs,
            [
                format!("certificates/index.html#{renew}"),
                format!("#{usage}"),
                "certificates/index.html#gone".to_string(),
                "certificates/index.html#cron-consumers-runner".to_string(),
                "#nowhere".to_string(),
            ],
            "{lang}"
        );
    }
    assert_eq!(site.run(&["check", "--strict"]).code(), 1);
}

/// Right after a link with the words it would show, a link without words is left out:
/// Substance 3D writes `[Sharing sbsar Files…](https://helpx…)[](sharing….md)`, which
/// Experience League shows once; equipe showed the words twice. A warning says so.
#[test]
fn an_empty_link_after_a_link_with_its_words_is_left_out() {
    let site = TestSite::new(SITE);
    site.write("content/en/help/demo/certificates.md", TARGET_EN);
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start\n---\n* [Certificates](https://example.org/certs.html)[](certificates.md)\n* [Other](https://example.org/other.html)[](certificates.md)\n",
    );
    let err = site.build().ok().stderr();
    assert!(
        err.contains("start.md:4:49: link to `certificates.md` has no text, right after a link with the words it would show: left out"),
        "{err}"
    );
    let items: Vec<(String, usize)> = select(
        &site.html("en/help/demo/start/index.html"),
        "main .prose li",
    )
    .iter()
    .map(|li| {
        (
            text(li),
            li.select(&scraper::Selector::parse("a").expect("selector"))
                .count(),
        )
    })
    .collect();
    assert_eq!(
        items,
        [
            ("Certificates".to_string(), 1),
            // After a link with other words, it shows its page's title.
            ("OtherCertificates".to_string(), 2)
        ]
    );
}

/// Machine translation moves a link's words out of its brackets (`dans vos [ ](x.md)
/// paramètres`): such a link shows its page's title, or its address for a link out, with
/// a warning at its place, rather than nothing to click.
#[test]
fn a_link_left_without_words_shows_its_page_s_title_or_its_address() {
    let site = TestSite::new(SITE);
    site.write("content/en/help/demo/certificates.md", TARGET_EN);
    site.write("content/fr/help/demo/certificates.md", TARGET_FR);
    site.write(
        "content/fr/help/demo/start.md",
        "---\ntitle: Démarrer\n---\nDans vos [ ](certificates.md) certificats.\n\nLa politique de l’Adobe [](https://www.example.org/privacy/).\n\nVoir [les certificats](certificates.md).\n",
    );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/fr/help/demo/start.md:4:10: link to `certificates.md` has no text"),
        "{err}"
    );
    assert!(
        err.contains("content/fr/help/demo/start.md:6:25: link to `https://www.example.org/privacy/` has no text"),
        "{err}"
    );
    // The box under each names the same place.
    assert!(
        err.contains("[content/fr/help/demo/start.md:6:25]"),
        "{err}"
    );
    let page = "fr/help/demo/start/index.html";
    let links: Vec<(String, String)> = select(&site.html(page), "main .prose p a")
        .iter()
        .map(|a| (text(a), attr(a, "href")))
        .collect();
    assert_eq!(links.len(), 3, "{links:?}");
    assert_eq!(links[0].0, "Certificats");
    assert_eq!(
        resolve(page, &links[0].1),
        "fr/help/demo/certificates/index.html"
    );
    assert_eq!(
        links[1],
        (
            "www.example.org/privacy".to_string(),
            "https://www.example.org/privacy/".to_string()
        )
    );
    // A link with words is as it was.
    assert_eq!(links[2].0, "les certificats");
    assert_eq!(site.run(&["check", "--strict"]).code(), 1);
}

/// `equipe init` makes French the default language; Experience League's French files say
/// they are translations (`source-git-commit:`) and its English ones say nothing. Built
/// that way, a warning at `default_language` names English as the source: without it,
/// each English `#anchor` left in a French page is a missing anchor. With English the
/// default, or with French pages that do not say so, there is no such warning.
#[test]
fn french_translations_as_the_default_language_are_pointed_out() {
    let site = translated_guide();
    let french_default = "title:\n  en: Docs\n  fr: Docs\ndefault_language: fr\nlanguages:\n  fr: Français\n  en: English\n";
    site.write("site.yaml", french_default);
    let marked = |text: &str| text.replacen("---\n", "---\nsource-git-commit: 15b1c90\n", 1);
    for page in ["certificates", "start"] {
        let path = format!("content/fr/help/demo/{page}.md");
        let text = std::fs::read_to_string(site.path(&path)).expect("a page of the guide");
        site.write(&path, &marked(&text));
    }
    // What it says, its lines joined as the terminal's width wrapped them.
    let flat = |said: String| -> String {
        let words = said.split_whitespace().filter(|w| *w != "│");
        words.collect::<Vec<_>>().join(" ")
    };
    let said = flat(site.build().ok().stderr());
    assert!(
        said.contains("site.yaml:4:19: the `fr` pages are translations (2 of 2 record what they were translated from"),
        "{said}"
    );
    assert!(said.contains("set `default_language: en`"), "{said}");
    assert!(
        said.contains("no such anchor"),
        "the hint is what it says: {said}"
    );
    let check = flat(site.run(&["check"]).stderr());
    assert!(
        check.contains("`en` looks like the source language, not `fr`"),
        "{check}"
    );

    // As the hint says: no hint, and the anchors go to the French headings.
    site.write(
        "site.yaml",
        &french_default.replace("default_language: fr", "default_language: en"),
    );
    let said = site.build().ok().stderr();
    assert!(
        !said.contains("source language") && !said.contains("anchor"),
        "{said}"
    );

    // French the default, its pages not saying they are translations: no hint.
    site.write("site.yaml", french_default);
    site.write("content/fr/help/demo/certificates.md", TARGET_FR);
    let said = site.build().ok().stderr();
    assert!(
        !said.contains("source language"),
        "one of two pages: {said}"
    );
}
