//! A build after an edit of pages' text alone (`src/body_edit.rs`): when only pages'
//! text changed, and nothing other pages show of them, the build makes those pages' files
//! (and their search index) again and leaves every other file as it was; it gives exactly
//! the files a first build gives. Any other edit runs the build as usual.

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::common::{TestSite, assert_same, files};
use crate::rebuild::{mtimes, tick};

const PAGE: &str = "content/roles/tester.en.md";
const PAGE_FILE: &str = "en/roles/tester/index.html";

/// What the build says when it took this way.
const EDITED: &str = "only their text changed";

/// The files a first build of `site` makes, into a new folder with no cache beside it.
fn first_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = elsewhere.path().join("out");
    site.run(&["build", "--output", output.to_str().expect("UTF-8")])
        .ok();
    files(&output)
}

/// The output files whose mtime changed.
fn touched(
    before: &BTreeMap<String, SystemTime>,
    after: &BTreeMap<String, SystemTime>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(name, mtime)| before.get(*name) != Some(mtime))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Replaces `from` by `to` in `file` (after a tick, for a new mtime) and builds; returns
/// what the build said.
fn edit(site: &TestSite, file: &str, from: &str, to: &str) -> String {
    tick();
    let text = std::fs::read_to_string(site.path(file)).expect("read");
    assert!(text.contains(from), "{file} has no `{from}`");
    site.write(file, &text.replacen(from, to, 1));
    site.build().ok().stderr()
}

#[test]
fn an_edit_of_a_page_s_text_rewrites_its_file_and_no_other() {
    let site = TestSite::example();
    site.build().ok();
    let before = mtimes(&site.output(""));

    // Emphasis: the page's words, and its search entry, are the same.
    let said = edit(
        &site,
        PAGE,
        "the clumsiest customer's",
        "the *clumsiest* customer's",
    );
    assert!(
        said.contains("built 1 page(s) again") && said.contains(EDITED),
        "{said}"
    );
    let after = mtimes(&site.output(""));
    assert_eq!(touched(&before, &after), vec![PAGE_FILE.to_string()]);
    assert!(site.read_output(PAGE_FILE).contains("<em>clumsiest</em>"));
    assert_same(&files(&site.output("")), &first_build(&site), "same words");

    // A new word: the English search index too.
    let said = edit(&site, PAGE, "a product goes", "a zanzibar product goes");
    assert!(said.contains(EDITED), "{said}");
    let again = mtimes(&site.output(""));
    assert_eq!(
        touched(&after, &again),
        vec!["assets/search-en.js".to_string(), PAGE_FILE.to_string()]
    );
    assert!(site.read_output("assets/search-en.js").contains("zanzibar"));
    assert_same(&files(&site.output("")), &first_build(&site), "a new word");

    // Nothing changed since: nothing to do.
    tick();
    let said = site.build().ok().stderr();
    assert!(said.contains("nothing changed"), "{said}");
    assert_eq!(mtimes(&site.output("")), again);
}

/// Each of these edits changes what the rest of the site, or the page around its text,
/// shows: the build runs (with its cache), and gives a first build's files. They pile
/// up, with edits of the text alone between them (the last one leaves a warning).
#[test]
fn an_edit_that_shows_elsewhere_runs_the_build() {
    let site = TestSite::example();
    site.build().ok();
    let runs: &[(&str, &str, &str, &str)] = &[
        (
            "a heading",
            PAGE,
            "## What to test before launch",
            "## What to test first",
        ),
        (
            "a link to another page",
            PAGE,
            "out of stock during",
            "out of stock ([see the designer](designer.md)) during",
        ),
        (
            "a task",
            PAGE,
            "End-to-end tests",
            "- [ ] Warn the warehouse\n\nEnd-to-end tests",
        ),
        (
            "a link to a section",
            PAGE,
            "during checkout.",
            "during checkout (see [below](#what-to-test-first)).",
        ),
        (
            "the front matter",
            PAGE,
            "title: Tester",
            "title: Quality tester",
        ),
        (
            "an element with an id",
            PAGE,
            "Journey |",
            "Journey <span id=\"journeys\"></span> |",
        ),
        (
            "a link to a missing section, a warning",
            PAGE,
            "End-to-end tests",
            "[Gone](designer.md#no-such-part) End-to-end tests",
        ),
    ];
    for &(what, file, from, to) in runs {
        let said = edit(&site, file, from, to);
        assert!(!said.contains(EDITED), "{what}: {said}");
        assert_same(&files(&site.output("")), &first_build(&site), what);
        // Then the page's text alone, which that build recorded again.
        let said = edit(&site, file, "The tester puts", "The tester now puts");
        if what.contains("warning") {
            // A page with a warning is built as usual, to find its warnings again.
            assert!(!said.contains(EDITED), "{what}: {said}");
        } else {
            assert!(said.contains(EDITED), "after {what}: {said}");
        }
        assert_same(
            &files(&site.output("")),
            &first_build(&site),
            &format!("after {what}"),
        );
        let said = edit(&site, file, "The tester now puts", "The tester puts");
        assert_same(
            &files(&site.output("")),
            &first_build(&site),
            &format!("{what}, undone: {said}"),
        );
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

    let said = edit(&site, PAGE, "The tester puts", "The tester always puts");
    assert!(said.contains(EDITED), "{said}");
    // Another page's front matter: the build runs, with this page as it is now.
    let said = edit(
        &site,
        "content/roles/designer.en.md",
        "title: Designer",
        "title: UX designer",
    );
    assert!(!said.contains(EDITED), "{said}");
    assert!(site.read_output(PAGE_FILE).contains("always puts"));
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "another page's title",
    );
    // Back as it was: the build cache has that text's body, and its page is made again.
    let said = edit(
        &site,
        "content/roles/designer.en.md",
        "title: UX designer",
        "title: Designer",
    );
    assert!(!said.contains(EDITED), "{said}");
    tick();
    site.write(PAGE, &original);
    let said = site.build().ok().stderr();
    assert!(said.contains(EDITED), "{said}");
    assert_same(&files(&site.output("")), &first, "every edit undone");

    // Two pages at once, one of each language.
    tick();
    let fr = "content/roles/tester.fr.md";
    let fr_text = std::fs::read_to_string(site.path(fr)).expect("French page");
    let (from, to) = ("## ", "## Bis ");
    assert!(fr_text.contains(from));
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
    // A heading then: the build runs.
    let said = edit(&site, fr, from, to);
    assert!(!said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "a French heading",
    );

    // An output file changed by hand: the build runs, and makes it again.
    tick();
    std::fs::write(site.output(PAGE_FILE), "changed by hand").expect("write");
    let said = edit(&site, PAGE, "zanzibar", "zanzibars");
    assert!(!said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "an output changed by hand",
    );
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
    site.write(
        "content/en/help/demo/orphan.md",
        "---\nexl-id: id-orphan\n---\n# Orphan page\n\nNot in the TOC.\n",
    );
    site.build().ok();
    let said = edit(
        &site,
        "content/en/help/demo/start.md",
        "Welcome.",
        "Welcome, reader.",
    );
    assert!(!said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "an included page",
    );
    let said = edit(
        &site,
        "content/en/help/demo/orphan.md",
        "Not in the",
        "Never in the",
    );
    assert!(said.contains(EDITED), "{said}");
    let said = edit(
        &site,
        "content/en/help/demo/orphan.md",
        "# Orphan page",
        "# Lost page",
    );
    assert!(!said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "a title from a heading",
    );
    // A page with neither: its text alone.
    let said = edit(
        &site,
        "content/en/help/demo/install.md",
        "See [start]",
        "Then see [start]",
    );
    assert!(said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "a guide page's text",
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
    let said = edit(&site, PAGE, "The tester puts", "The tester always puts");
    assert!(!said.contains(EDITED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "a body's length shown",
    );
}
