//! A build after an edit of files the output has copies of, as they are
//! (`src/static_edit.rs`): a screenshot replaced, a PDF updated. When only such files
//! changed, and nothing of the site reads them, the build copies them again and leaves
//! every other file as it was; it gives exactly the files a first build gives. A file a
//! page includes, or an asset whose name carries a hash of its bytes, runs the build.

use crate::build_cache::{changed, first_build};
use crate::common::{TestSite, assert_same, files};
use crate::rebuild::{mtimes, tick};

const GUIDE: &str = "title:\n  en: Guide\n  fr: Guide\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n";

/// What the build says when it took this way.
const COPIED: &str = "only files the site copies as they are changed";

const SHOT: &str = "content/en/help/assets/shot.png";
const PDF: &str = "static/files/guide.pdf";
const NOTE: &str = "content/en/help/_includes/note.txt";
const STYLE: &str = "static/assets/extra.css";
const PAGE: &str = "content/en/help/page.md";

/// A guide whose page shows a screenshot, links a PDF of the site's `static/` folder
/// and includes a text file that its output also has a copy of (a file of `_includes/`
/// that is not Markdown); `static/assets/` has a stylesheet, fingerprinted.
fn guide() -> TestSite {
    let site = TestSite::new(GUIDE);
    site.write(
        PAGE,
        "---\ntitle: Page\n---\n![Shot](assets/shot.png)\n\n{{$include /help/_includes/note.txt}}\n\n[The guide](/files/guide.pdf)\n",
    );
    site.write(
        "content/fr/help/page.md",
        "---\ntitle: Page\n---\nLe guide.\n",
    );
    site.write_bytes(SHOT, b"\x89PNG first screenshot");
    site.write_bytes(PDF, b"%PDF-1.4 first");
    site.write(NOTE, "The first note.\n");
    site.write(STYLE, "p { color: navy }\n");
    site
}

/// Writes `bytes` to `file` (after a tick, for a new mtime), builds, asserts that the
/// build copied files (`copied`) or ran, that it gave a first build's files, and that
/// the files it changed in the output are `outputs`.
#[track_caller]
fn edit(site: &TestSite, edits: &[(&str, &[u8])], copied: bool, outputs: &[&str]) {
    tick();
    for (file, bytes) in edits {
        site.write_bytes(file, bytes);
    }
    let before = mtimes(&site.output(""));
    let said = site.build().ok().stderr();
    let what = format!("{:?}", edits.iter().map(|e| e.0).collect::<Vec<_>>());
    assert_eq!(said.contains(COPIED), copied, "{what}: {said}");
    assert_same(&files(&site.output("")), &first_build(site), &what);
    let after = mtimes(&site.output(""));
    let mut changed = changed(&before, &after);
    changed.retain(|f| outputs.contains(&f.as_str()) || !copied);
    if copied {
        assert_eq!(changed, outputs, "{what}: {said}");
        assert!(
            said.contains(&format!("copied {} file(s) again", outputs.len())),
            "{said}"
        );
    }
}

#[test]
fn an_edit_of_a_copied_file_copies_it_alone() {
    let site = guide();
    site.build().ok();

    // A screenshot of a guide's page, another size; a file of `static/`, the same size.
    edit(
        &site,
        &[(SHOT, b"\x89PNG the second, larger screenshot")],
        true,
        &["en/help/assets/shot.png"],
    );
    assert_eq!(
        std::fs::read(site.output("en/help/assets/shot.png")).expect("copy"),
        b"\x89PNG the second, larger screenshot"
    );
    edit(
        &site,
        &[(PDF, b"%PDF-1.4 again")],
        true,
        &["files/guide.pdf"],
    );
    // Both at once.
    edit(
        &site,
        &[(SHOT, b"\x89PNG third"), (PDF, b"%PDF-1.5 third")],
        true,
        &["en/help/assets/shot.png", "files/guide.pdf"],
    );

    // Nothing changed since; then a page's text alone (one without an include) still
    // takes its own way: its records hold.
    tick();
    let said = site.build().ok().stderr();
    assert!(said.contains("nothing changed"), "{said}");
    tick();
    site.write(
        "content/fr/help/page.md",
        "---\ntitle: Page\n---\nLe guide entier.\n",
    );
    let said = site.build().ok().stderr();
    assert!(said.contains("only their text changed"), "{said}");
    assert_same(&files(&site.output("")), &first_build(&site), "text");
}

/// A file a page includes, a fingerprinted asset, or a copied file saved with a page:
/// the build runs, and shows what changed.
#[test]
fn an_edit_of_a_file_the_site_reads_runs_the_build() {
    let site = guide();
    site.build().ok();
    edit(&site, &[(NOTE, b"The second note.\n")], false, &[]);
    assert!(
        site.read_output("en/help/page/index.html")
            .contains("The second note.")
    );
    assert_eq!(
        site.read_output("en/help/_includes/note.txt"),
        "The second note.\n"
    );
    edit(&site, &[(STYLE, b"p { color: teal }\n")], false, &[]);
    let page = std::fs::read_to_string(site.path(PAGE)).expect("page");
    let page = page.replace("Shot", "The shot");
    edit(
        &site,
        &[(SHOT, b"\x89PNG with the page"), (PAGE, page.as_bytes())],
        false,
        &[],
    );
    assert!(
        site.read_output("en/help/page/index.html")
            .contains("The shot")
    );
    // Then a copied file alone again.
    edit(
        &site,
        &[(SHOT, b"\x89PNG alone")],
        true,
        &["en/help/assets/shot.png"],
    );
}

/// A build killed while it copies leaves no stamp: the next one runs, and gives a first
/// build's files.
#[test]
fn a_build_killed_while_it_copies_is_followed_by_a_whole_build() {
    let site = guide();
    site.build().ok();
    tick();
    site.write_bytes(SHOT, b"\x89PNG killed");
    site.build_killed_at("copied");
    assert_eq!(
        std::fs::read(site.output("en/help/assets/shot.png")).expect("copy"),
        b"\x89PNG killed",
        "killed once the file was copied"
    );
    let said = site.build().ok().stderr();
    assert!(said.contains("built ") && !said.contains(COPIED), "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "after the kill",
    );
}
