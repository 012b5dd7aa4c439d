//! A second build: what did not change is not written again (its mtime stays, so rsync and
//! CDNs see no change), what changed is, and a failed build still changes nothing.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::TestSite;

/// Every file of the output with its mtime.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("a readable output folder"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            let mtime = std::fs::metadata(e.path())
                .and_then(|m| m.modified())
                .expect("an mtime");
            (name, mtime)
        })
        .collect()
}

/// Lets the clock move on, so that a file written now gets another mtime than before.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(50));
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let site = TestSite::example();
    site.build().ok();
    let first = mtimes(&site.output(""));
    assert!(first.len() > 20, "the example site has pages");
    tick();
    let second = site.build().ok();
    assert!(
        second.stderr().contains("nothing changed"),
        "{}",
        second.stderr()
    );
    assert_eq!(mtimes(&site.output("")), first);
}

#[test]
fn a_changed_page_is_written_and_the_others_keep_their_mtime() {
    let site = TestSite::example();
    site.build().ok();
    let first = mtimes(&site.output(""));
    tick();
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("the tester page");
    std::fs::write(&page, format!("{text}\nA new paragraph.\n")).expect("an edit");
    site.build().ok();
    let second = mtimes(&site.output(""));
    assert_eq!(first.len(), second.len());
    let changed: Vec<&String> = second
        .iter()
        .filter(|(name, mtime)| first.get(*name) != Some(mtime))
        .map(|(name, _)| name)
        .collect();
    assert!(
        changed.contains(&&"en/roles/tester/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        site.read_output("en/roles/tester/index.html")
            .contains("A new paragraph."),
        "the page has the new text"
    );
    // Other pages do not show that text: they keep their mtime. Only the page and what
    // gathers every page's text (the English search index) change.
    assert_eq!(
        changed,
        vec!["assets/search-en.js", "en/roles/tester/index.html"],
        "only the edited page and its language's search index"
    );
    for unchanged in [
        "fr/roles/testeur/index.html",
        "fr/roles/designer/index.html",
        "en/roles/designer/index.html",
        "en/index.html",
    ] {
        assert!(
            !changed.contains(&&unchanged.to_string()),
            "{unchanged} was rewritten"
        );
    }
}

#[test]
fn a_build_after_a_failed_one_still_rebuilds() {
    let site = TestSite::example();
    site.build().ok();
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("the tester page");
    std::fs::write(&page, "---\nweight: ten\n---\n").expect("a broken page");
    site.build().fails();
    std::fs::write(&page, format!("{text}\nBack again.\n")).expect("the page repaired");
    site.build().ok();
    assert!(
        site.read_output("en/roles/tester/index.html")
            .contains("Back again.")
    );
}

/// Every file of a rebuild in memory, by path.
fn files_of(outcome: equipe::Outcome) -> BTreeMap<String, Vec<u8>> {
    assert!(
        outcome.succeeded(),
        "the build failed: {:?}",
        outcome.diagnostics
    );
    let rendered = outcome.rendered.expect("a rendered site");
    rendered
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

/// `serve`'s incremental rebuilds reuse what did not change; what they serve must be
/// what a rebuild from scratch makes, file for file (pages, checklist pages,
/// `checklists.json`, search indexes, sitemap), after each kind of edit.
#[test]
fn incremental_rebuilds_equal_full_rebuilds_file_for_file() {
    use equipe::Cache;
    use equipe::{BuildOptions, render_site};

    let site = TestSite::example();
    // Folders as an author's are: last changed long ago, so that a rebuild may trust
    // that a folder whose mtime did not change holds the same files.
    let an_hour_ago = SystemTime::now() - std::time::Duration::from_secs(3600);
    for folder in ["content", "content/roles", "content/teams"] {
        std::fs::File::open(site.path(folder))
            .and_then(|f| f.set_modified(an_hour_ago))
            .expect("set a folder's mtime");
    }
    let mut options = BuildOptions::new(site.root());
    options.base_url = Some("https://example.org/team/".into());
    let mut cache = Cache::default();
    let first = files_of(render_site(&options, Some(&mut cache)));
    assert_eq!(first, files_of(render_site(&options, None)));

    let again = files_of(render_site(&options, Some(&mut cache)));
    assert_eq!(again, first);
    assert_eq!(
        (
            cache.stats.files_read,
            cache.stats.bodies_rendered,
            cache.stats.pages_rendered
        ),
        (0, 0, 0),
        "nothing changed, nothing done"
    );

    let role = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&role).expect("the tester role");
    let edits = [
        // A body edit.
        format!("{text}\nA sentence only the index knows: zanzibar.\n"),
        // A new task in the body: checklist pages and checklists.json change.
        format!("{text}\n- [ ] Tell the warehouse about zanzibar\n"),
        // A new title: every page's navigation shows it.
        text.replacen("title:", "title: Zanzibar", 1),
    ];
    let same_as_full = |cache: &mut Cache, after: &str| {
        let incremental = files_of(render_site(&options, Some(cache)));
        let full = files_of(render_site(&options, None));
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            full.keys().collect::<Vec<_>>(),
            "the same files after {after}"
        );
        for (path, bytes) in &full {
            assert!(
                incremental[path] == *bytes,
                "{path} differs from a full rebuild after {after}"
            );
        }
    };
    for (i, edit) in edits.into_iter().enumerate() {
        tick();
        std::fs::write(&role, &edit).expect("write");
        // As `serve` does: the watcher names the file that changed.
        cache.only_changed([PathBuf::from("content/roles/tester.en.md")]);
        same_as_full(&mut cache, &format!("the edit:\n{edit}"));
        assert!(cache.stats.files_read == 1, "one file read again");
        if i == 0 {
            assert_eq!(
                cache.stats.pages_rendered, 1,
                "a body edit renders its own page only"
            );
        }
    }
    // A new page, in a folder last changed an hour ago; then the page removed.
    let new_role = site.path("content/roles/zanzibar.en.md");
    std::fs::write(&new_role, "---\ntitle: Zanzibar lead\n---\nLeads.\n").expect("write");
    cache.only_changed([PathBuf::from("content/roles/zanzibar.en.md")]);
    same_as_full(&mut cache, "a new page");
    std::fs::remove_file(&new_role).expect("remove");
    cache.only_changed([PathBuf::from("content/roles/zanzibar.en.md")]);
    same_as_full(&mut cache, "a page removed");
    // Without a word from the watcher, every file's size and mtime is checked.
    tick();
    std::fs::write(&role, format!("{text}\nUnannounced.\n")).expect("write");
    same_as_full(&mut cache, "an edit no watcher reported");
}
