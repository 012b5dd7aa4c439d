//! A build after an edit of pages' text alone (`src/body_edit.rs`): when only pages'
//! text changed, and nothing other pages show of them, the build makes those pages' files
//! (and their search index) again and leaves every other file as it was; it gives exactly
//! the files a first build gives. Any other edit runs the build as usual.

use crate::build_cache::{changed, first_build};
use crate::common::{TestSite, assert_same, files};
use crate::rebuild::{mtimes, tick};

const PAGE: &str = "content/roles/tester.en.md";
const PAGE_FILE: &str = "en/roles/tester/index.html";
/// Another page, and an edit of its title, which other pages show.
const DESIGNER: &str = "content/roles/designer.en.md";
const RETITLED: (&str, &str) = ("title: Designer", "title: UX designer");

/// What the build says when it took this way.
const EDITED: &str = "only their text changed";

/// The way a build is expected to take.
#[derive(Clone, Copy, PartialEq)]
enum Way {
    /// The page's text alone: its file made from its body's record.
    TextAlone,
    /// The build runs, with its cache.
    Runs,
}
use Way::{Runs, TextAlone};

/// Replaces `from` by `to` in `file` (after a tick, for a new mtime), builds, asserts
/// that the build took `way` and gave a first build's files; returns what it said.
#[track_caller]
fn edit(site: &TestSite, file: &str, (from, to): (&str, &str), way: Way) -> String {
    tick();
    let text = std::fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{file} has no `{from}`");
    site.write(file, &text.replacen(from, to, 1));
    let said = site.build().ok().stderr();
    let what = format!("`{from}` -> `{to}` in {file}");
    assert_eq!(said.contains(EDITED), way == TextAlone, "{what}: {said}");
    assert_same(&files(&site.output("")), &first_build(site), &what);
    said
}

#[test]
fn an_edit_of_a_page_s_text_rewrites_its_file_and_no_other() {
    let site = TestSite::example();
    site.build().ok();
    let before = mtimes(&site.output(""));

    // Emphasis: the page's words, and its search entry, are the same.
    let emphasis = ("the clumsiest customer's", "the *clumsiest* customer's");
    let said = edit(&site, PAGE, emphasis, TextAlone);
    assert!(
        said.contains("built 1 page(s) again") && said.contains("(1 file(s) written, the other"),
        "{said}"
    );
    let after = mtimes(&site.output(""));
    assert_eq!(changed(&before, &after), vec![PAGE_FILE.to_string()]);
    assert!(site.read_output(PAGE_FILE).contains("<em>clumsiest</em>"));

    // A new word: the English search index too.
    let said = edit(
        &site,
        PAGE,
        ("a product goes", "a zanzibar product goes"),
        TextAlone,
    );
    assert!(said.contains("(2 file(s) written, the other"), "{said}");
    let again = mtimes(&site.output(""));
    assert_eq!(
        changed(&after, &again),
        vec!["assets/search-en.js".to_string(), PAGE_FILE.to_string()]
    );
    assert!(site.read_output("assets/search-en.js").contains("zanzibar"));

    // Nothing changed since: nothing to do.
    tick();
    let said = site.build().ok().stderr();
    assert!(said.contains("nothing changed"), "{said}");
    assert_eq!(mtimes(&site.output("")), again);
}

/// Each of these edits changes what the rest of the site, or the page around its text,
/// shows: the build runs (with its cache), and gives a first build's files. They pile
/// up, with edits of the text alone between them (the last one leaves a warning: a page
/// with a warning is built as usual, to find its warnings again).
#[test]
fn an_edit_that_shows_elsewhere_runs_the_build() {
    let site = TestSite::example();
    site.build().ok();
    let runs: &[(&str, &str)] = &[
        // A link to another page.
        (
            "out of stock during",
            "out of stock ([see the designer](designer.md)) during",
        ),
        // A task.
        (
            "End-to-end tests",
            "- [ ] Warn the warehouse\n\nEnd-to-end tests",
        ),
        // A link to a section.
        (
            "during checkout.",
            "during checkout (see [below](#what-to-test-before-launch)).",
        ),
        // The front matter.
        ("title: Tester", "title: Quality tester"),
        // A link to a missing section: a warning.
        (
            "End-to-end tests",
            "[Gone](designer.md#no-such-part) End-to-end tests",
        ),
    ];
    for (i, &change) in runs.iter().enumerate() {
        edit(&site, PAGE, change, Runs);
        // Then the page's text alone, which that build recorded again.
        let way = if i + 1 < runs.len() { TextAlone } else { Runs };
        edit(&site, PAGE, ("The tester puts", "The tester now puts"), way);
        edit(&site, PAGE, ("The tester now puts", "The tester puts"), way);
    }
}

/// The way a build takes after text edits leaves the next builds right: a build that runs
/// reads the edited pages again (its cache has them as they were), a page edited back to
/// its first text is made again, an output file changed by hand is made again.
#[test]
fn builds_after_text_edits_stay_right() {
    let site = TestSite::example();
    site.build().ok();
    let first = files(&site.output(""));
    let original = std::fs::read_to_string(site.path(PAGE)).expect("page");

    edit(
        &site,
        PAGE,
        ("The tester puts", "The tester always puts"),
        TextAlone,
    );
    // Another page's front matter: the build runs, with this page as it is now.
    let designer = DESIGNER;
    edit(&site, designer, RETITLED, Runs);
    assert!(site.read_output(PAGE_FILE).contains("always puts"));
    // Back as it was: the build cache has that text's body, and its page is made again.
    edit(
        &site,
        designer,
        ("title: UX designer", "title: Designer"),
        Runs,
    );
    edit(
        &site,
        PAGE,
        ("The tester always puts", "The tester puts"),
        TextAlone,
    );
    assert_same(&files(&site.output("")), &first, "every edit undone");

    // Two pages at once, one of each language.
    tick();
    let fr = "content/roles/tester.fr.md";
    let fr_text = std::fs::read_to_string(site.path(fr)).expect("French page");
    site.write(
        PAGE,
        &original.replace("The tester puts", "The tester puts zanzibar"),
    );
    let body_start = fr_text.find("\n---\n").expect("front matter") + 5;
    site.write(
        fr,
        &format!(
            "{}Une phrase de plus.\n\n{}",
            &fr_text[..body_start],
            &fr_text[body_start..]
        ),
    );
    let said = site.build().ok().stderr();
    assert!(said.contains("built 2 page(s) again"), "{said}");
    assert_same(&files(&site.output("")), &first_build(&site), "two pages");
    // A heading then: its table of contents too (see the next test).
    edit(&site, fr, ("## ", "## Bis "), TextAlone);

    // An output file changed by hand: the build runs, and makes it again.
    std::fs::write(site.output(PAGE_FILE), "changed by hand").expect("write");
    edit(&site, PAGE, ("zanzibar", "zanzibars"), Runs);
}

/// A build with its cache leaves the records of the bodies it reuses where they are in
/// the last build's file and appends those of the bodies it makes again, while the file
/// is mostly records of pages as they are; past that, it writes the file anew. Text edits
/// after either are made alone, from records old and new, and give a first build's files.
#[test]
fn a_build_with_its_cache_appends_to_the_records() {
    let site = TestSite::example();
    site.build().ok();
    let records = || std::fs::read(site.path(".public.equipe-edits")).expect("records");
    let first = records();

    let designer = DESIGNER;
    edit(&site, designer, RETITLED, Runs);
    let appended = records();
    assert!(
        appended.len() > first.len() && appended.starts_with(&first),
        "appended to: {} bytes, then {}",
        first.len(),
        appended.len()
    );
    // A page whose record the first build wrote, and the page the last build made again.
    edit(
        &site,
        PAGE,
        ("The tester puts", "The tester always puts"),
        TextAlone,
    );
    edit(&site, designer, ("## ", "## Bis "), TextAlone);

    // Titles edited back and forth: the file grows by each build's records until it is
    // written anew, no larger than twice the records it holds (and a build's own).
    let mut sizes = Vec::new();
    for n in 0..24 {
        let (from, to) = match n % 2 {
            0 => ("title: UX designer", "title: Designer"),
            _ => ("title: Designer", "title: UX designer"),
        };
        edit(&site, designer, (from, to), Runs);
        sizes.push(records().len());
    }
    assert!(
        sizes.windows(2).any(|w| w[1] < w[0]),
        "written anew at some point: {sizes:?}"
    );
    let largest = sizes.iter().max().copied().unwrap_or_default();
    assert!(
        largest < 3 * first.len(),
        "{largest} bytes, {first:?} at first",
        first = first.len()
    );
    edit(
        &site,
        PAGE,
        ("The tester always puts", "The tester puts"),
        TextAlone,
    );
    edit(&site, designer, ("## Bis ", "## "), TextAlone);
}

/// A build with its cache killed once it appended records to the file, before it ended
/// them: the file is not read as it is. The next build runs (the killed one removed the
/// stamp), writes the file anew, and text edits are made alone again.
#[test]
fn records_appended_by_a_killed_build_are_not_read() {
    if !crate::output_safety::has_test_hooks() {
        return;
    }
    let site = TestSite::example();
    site.build().ok();
    let records = || std::fs::read(site.path(".public.equipe-edits")).expect("records");
    let first = records();
    tick();
    let text = std::fs::read_to_string(site.path(DESIGNER)).expect("page");
    site.write(DESIGNER, &text.replacen(RETITLED.0, RETITLED.1, 1));
    site.build_killed_at("staged");
    let left = records();
    assert!(
        left.len() > first.len() && left.starts_with(&first),
        "appended to before the kill"
    );
    edit(
        &site,
        PAGE,
        ("The tester puts", "The tester always puts"),
        Runs,
    );
    assert!(!records().starts_with(&left), "written anew");
    edit(
        &site,
        PAGE,
        ("The tester always puts", "The tester puts"),
        TextAlone,
    );
}

/// The facts a heading edit renders a table of contents with are the last build's: a
/// build whose theme shows a page's headings elsewhere too (here their number) records
/// none, and a file appended to by it does not keep an earlier build's.
#[test]
fn a_heading_edit_takes_no_facts_from_an_earlier_build() {
    let site = TestSite::example();
    site.build().ok();
    let role = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/role.html"),
    )
    .expect("the default role template");
    let shown = "{{ content }}";
    assert!(role.contains(shown), "{role}");
    tick();
    site.write(
        "templates/role.html",
        &role.replacen(
            shown,
            "{{ content }}<p class=\"sections\">{{ page.toc | length }}</p>",
            1,
        ),
    );
    let said = site.build().ok().stderr();
    assert!(said.contains("page bodies reused"), "{said}");
    let added = (
        "## What to test before launch",
        "## Journeys\n\n## What to test before launch",
    );
    edit(&site, PAGE, added, Runs);
    assert!(
        site.read_output(PAGE_FILE)
            .contains("<p class=\"sections\">")
    );
}

/// An edit of a page's headings changes its file in two places, its body and its table of
/// contents (`toc.html`, outside the body): made so too, while no link names its sections
/// nor its translations' (links to those are aligned with its headings). Once one does,
/// the build runs.
#[test]
fn a_heading_edit_rewrites_its_page_while_no_link_names_its_sections() {
    let site = TestSite::example();
    site.build().ok();
    let before = mtimes(&site.output(""));
    let renamed = ("## What to test before launch", "## What to test first");
    edit(&site, PAGE, renamed, TextAlone);
    let page = site.read_output(PAGE_FILE);
    assert!(
        page.contains(
            "<li class=\"toc-2\"><a href=\"#what-to-test-first\">What to test first</a></li>"
        ),
        "{page}"
    );
    // The page and its entry in the search index (its headings).
    assert_eq!(
        changed(&before, &mtimes(&site.output(""))),
        vec!["assets/search-en.js".to_string(), PAGE_FILE.to_string()]
    );
    // A heading added, one removed: the table of contents grows and shrinks.
    let added = ("End-to-end tests", "### Journeys\n\nEnd-to-end tests");
    edit(&site, PAGE, added, TextAlone);
    assert!(
        site.read_output(PAGE_FILE)
            .contains("href=\"#journeys\">Journeys</a>")
    );
    edit(&site, PAGE, ("### Journeys\n\n", ""), TextAlone);
    // A translation's headings alike.
    let fr = "content/roles/tester.fr.md";
    edit(&site, fr, ("## Le rôle", "## Son rôle"), TextAlone);

    // A link to a section the page's template writes names none of its headings: they
    // are still edited so, but into one the link would come to.
    let designer = "content/roles/designer.fr.md";
    let link = ("## Avec qui", "[Voir](tester.md#onboarding)\n\n## Avec qui");
    edit(&site, designer, link, Runs);
    edit(&site, fr, ("## Son rôle", "## Le rôle"), TextAlone);
    edit(&site, fr, ("## Le rôle", "## Onboarding"), Runs);
    edit(&site, fr, ("## Onboarding", "## Le rôle"), Runs);
    edit(&site, fr, ("## Le rôle", "## Son rôle"), TextAlone);
    // A link to a section of the English page by its id: an edit that keeps the id is
    // still made so (an element given an id too), one that takes it away runs the build
    // (the link is then broken).
    let link = ("## Who with", "[See](tester.md#the-role)\n\n## Who with");
    edit(&site, "content/roles/designer.en.md", link, Runs);
    let heading = ("## What to test first", "## What to test");
    edit(&site, PAGE, heading, TextAlone);
    let id = ("Journey |", "Journey <span id=\"journeys\"></span> |");
    edit(&site, PAGE, id, TextAlone);
    edit(&site, PAGE, ("## The role", "## Role"), Runs);
    edit(&site, fr, ("## Son rôle", "## Le rôle"), TextAlone);
    // Its text alone still is.
    edit(
        &site,
        PAGE,
        ("The tester puts", "The tester now puts"),
        TextAlone,
    );
}

/// Machine translation keeps English `#anchors` in French pages' links: such a link goes
/// to the French heading at the English heading's place, so both pages' headings take
/// part in it and run the build. A link by the French id names the French page's alone,
/// and only an edit that takes that id away runs the build.
#[test]
fn a_heading_edit_of_pages_a_translated_link_aligns_runs_the_build() {
    let site = TestSite::new(
        "title: Docs\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n",
    );
    let (en, fr) = (
        "content/en/help/demo/certificates.md",
        "content/fr/help/demo/certificates.md",
    );
    site.write(en, "---\ntitle: Certificates\n---\n## Provision\n\nText.\n\n## Renew\n\nText.\n\n## Revoke\n\nText.\n");
    site.write(fr, "---\ntitle: Certificats\n---\n## Provisionner\n\nTexte.\n\n## Renouveler\n\nTexte.\n\n## Révoquer\n\nTexte.\n");
    let start = "content/fr/help/demo/start.md";
    site.write(start, "---\ntitle: Démarrer\n---\nVoir les certificats.\n");
    site.write(
        "content/en/help/demo/start.md",
        "---\ntitle: Start\n---\nSee the certificates.\n",
    );
    site.build().ok();
    edit(&site, en, ("## Revoke", "## Revoke one"), TextAlone);
    edit(&site, fr, ("## Révoquer", "## En révoquer un"), TextAlone);
    let link = (
        "les certificats",
        "[les certificats](certificates.md#renew)",
    );
    edit(&site, start, link, Runs);
    let linked = site.read_output("fr/help/demo/start/index.html");
    assert!(
        linked.contains("certificates/index.html#renouveler\""),
        "{linked}"
    );
    edit(&site, en, ("## Revoke one", "## Revoke"), Runs);
    edit(&site, fr, ("## En révoquer un", "## Révoquer"), Runs);
    edit(&site, start, ("#renew)", "#renouveler)"), Runs);
    edit(&site, en, ("## Revoke", "## Revoke one"), TextAlone);
    edit(&site, fr, ("## Révoquer", "## En révoquer un"), TextAlone);
    edit(&site, fr, ("## Renouveler", "## Renouvellement"), Runs);
}

/// `toc.html` is rendered alone with what each page's view answers to its tests: a
/// template that tests each field a page has gives, on pages of each kind, what a whole
/// page's render gives. One that shows a field rather than test it is not rendered alone.
#[test]
fn a_toc_made_alone_answers_its_tests_as_the_page_does() {
    let site = TestSite::example();
    let fields = [
        "title",
        "heading",
        "description",
        "lead",
        "badges",
        "noindex",
        "section",
        "responsibilities",
        "skills",
        "risks",
        "contact",
        "checklist",
        "works_with",
        "depends_on",
        "depended_by",
        "members",
        "translations",
    ];
    let tests: String = fields
        .iter()
        .map(|f| format!("{{% if page.{f} %}}{f} {{% elif page.kind %}}no-{f} {{% endif %}}"))
        .collect();
    let toc = format!(
        "<nav class=\"toc\">{tests}{{{{ page.kind }}}}<ul>{{% for h in page.toc %}}\
         <li>{{{{ h.text }}}}</li>{{% endfor %}}</ul>{{{{ t.on_this_page }}}}</nav>"
    );
    site.write("templates/toc.html", &toc);
    site.build().ok();
    let role = site.read_output(PAGE_FILE);
    assert!(role.contains("no-badges no-noindex section responsibilities skills no-risks"));
    assert!(role.contains("depends_on no-depended_by no-members translations role<ul>"));
    let team = "content/teams/warehouse.en.md";
    let team_file = site.read_output("en/teams/warehouse/index.html");
    assert!(team_file.contains("no-skills risks contact checklist no-works_with"));
    assert!(team_file.contains("no-depends_on depended_by no-members"));
    for (file, heading) in [
        (PAGE, "## The role"),
        (team, "## What to do"),
        ("content/teams/marketing.fr.md", "## Ce qu'il faut faire"),
        ("content/team.en.md", "## Outside dependencies"),
    ] {
        edit(&site, file, (heading, "## Renamed"), TextAlone);
        edit(&site, file, ("## Renamed", heading), TextAlone);
    }
    // A field shown: the build runs.
    site.write(
        "templates/toc.html",
        &toc.replace("{{ page.kind }}", "{{ page.title }}"),
    );
    site.build().ok();
    edit(&site, team, ("## What to do", "## Renamed"), Runs);
}

/// A page whose file another page includes: an edit of its text is an edit of the other
/// page too. A page without `title:` takes its first heading as its title.
#[test]
fn a_page_others_include_or_titled_by_its_heading_runs_the_build() {
    let site = crate::guides::guide_site();
    site.write(
        "content/en/help/demo/advanced/tune.md",
        "---\nexl-id: id-tune\n---\n# Tune it\n\nTuning.\n\n{{$include /help/demo/start.md}}\n",
    );
    let orphan = "content/en/help/demo/orphan.md";
    site.write(
        orphan,
        "---\nexl-id: id-orphan\n---\n# Orphan page\n\nNot in the TOC.\n",
    );
    site.build().ok();
    edit(
        &site,
        "content/en/help/demo/start.md",
        ("Welcome.", "Welcome, reader."),
        Runs,
    );
    edit(&site, orphan, ("Not in the", "Never in the"), TextAlone);
    edit(&site, orphan, ("# Orphan page", "# Lost page"), Runs);
    // A page that words its heading otherwise than its title shows it: an edit of it,
    // even underlined (which a `# ` line's check would not see), runs the build.
    let worded = "content/en/help/demo/worded.md";
    site.write(
        worded,
        "---\ntitle: Worded page\nexl-id: id-worded\n---\nHeading of its own\n===\n\nText.\n",
    );
    site.write(
        "content/fr/help/demo/worded.md",
        "---\ntitle: Page\nexl-id: id-worded\n---\nTexte.\n",
    );
    site.build().ok();
    edit(&site, worded, ("Text.", "Some text."), TextAlone);
    edit(&site, worded, ("Heading of its", "A heading of its"), Runs);
    assert!(
        site.read_output("en/help/demo/worded/index.html")
            .contains("<h1>A heading of its own</h1>")
    );
    // A page with neither: its text alone.
    let install = "content/en/help/demo/install.md";
    edit(
        &site,
        install,
        ("See [start]", "Then see [start]"),
        TextAlone,
    );
    // A page whose text opens with its description shows no lead: an edit that makes it
    // open otherwise brings the lead back, and runs the build; one after its first
    // paragraph is its text alone.
    let described = "content/en/help/demo/described.md";
    site.write(
        described,
        "---\ntitle: Described\ndescription: What it does.\nexl-id: id-described\n---\nWhat it does.\n\nMore.\n",
    );
    site.write(
        "content/fr/help/demo/described.md",
        "---\ntitle: Décrite\nexl-id: id-described\n---\nTexte.\n",
    );
    site.build().ok();
    let page = "en/help/demo/described/index.html";
    assert!(!site.read_output(page).contains("class=\"lead\""));
    edit(&site, described, ("More.", "Much more."), TextAlone);
    edit(&site, described, ("What it does.\n\n", "How.\n\n"), Runs);
    assert!(
        site.read_output(page)
            .contains("<p class=\"lead\">What it does.</p>")
    );
}

/// A template that shows something made from a page's body besides its HTML (here its
/// length): every edit is built the usual way, and the page shows the new length.
#[test]
fn a_theme_that_shows_more_of_a_body_runs_the_build() {
    let site = TestSite::example();
    let role = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/role.html"),
    )
    .expect("the default role template");
    let shown = "{{ content }}";
    assert!(role.contains(shown), "{role}");
    site.write(
        "templates/role.html",
        &role.replacen(
            shown,
            "{{ content }}<p class=\"size\">{{ content | length }}</p>",
            1,
        ),
    );
    site.build().ok();
    edit(
        &site,
        PAGE,
        ("The tester puts", "The tester always puts"),
        Runs,
    );
}
