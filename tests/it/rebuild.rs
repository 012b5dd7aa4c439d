//! A second build: what did not change is not written again (its mtime stays, so rsync and
//! CDNs see no change), what changed is, and a failed build still changes nothing.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::TestSite;

/// Every file of the output with its mtime.
pub(crate) fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
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
pub(crate) fn tick() {
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

/// A page file saved with the same text (`touch`, a checkout and back, an editor that
/// saves unchanged) changes nothing: the build stops as if nothing had changed. Another
/// input touched, or a page whose text did change, is built.
#[test]
fn a_page_touched_with_the_same_text_is_nothing_changed() {
    let site = TestSite::example();
    site.build().ok();
    let first = mtimes(&site.output(""));
    let touch = |path: &str| {
        tick();
        let file = site.path(path);
        let text = std::fs::read(&file).expect("a file of the example site");
        std::fs::write(&file, text).expect("written again");
    };
    touch("content/roles/tester.en.md");
    touch("content/teams/warehouse.fr.md");
    let run = site.build().ok();
    assert!(run.stderr().contains("nothing changed"), "{}", run.stderr());
    assert_eq!(mtimes(&site.output("")), first, "no file written");
    // And the stamp now has the files' new dates: the next build too does nothing.
    assert!(site.build().ok().stderr().contains("nothing changed"));

    // An output file changed by hand beside a page touched: a build, which makes the
    // file again.
    let tester = site.output("en/roles/tester/index.html");
    let made = std::fs::read(&tester).expect("a page of the output");
    std::fs::write(&tester, b"changed by hand").expect("written by hand");
    touch("content/roles/tester.en.md");
    let run = site.build().ok();
    assert!(run.stderr().contains("built "), "{}", run.stderr());
    assert_eq!(std::fs::read(&tester).expect("made again"), made);

    // Not a page: a build.
    touch("site.yaml");
    let run = site.build().ok();
    assert!(run.stderr().contains("built "), "{}", run.stderr());

    // The same text, then another text, then the first one again: the page shows each.
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("the tester page");
    for (i, edit) in [format!("{text}\nA new paragraph.\n"), text.clone()]
        .iter()
        .enumerate()
    {
        tick();
        std::fs::write(&page, edit).expect("an edit");
        let run = site.build().ok();
        assert!(
            run.stderr().contains("built "),
            "edit {i}: {}",
            run.stderr()
        );
        let shown = site
            .read_output("en/roles/tester/index.html")
            .contains("A new paragraph.");
        assert_eq!(shown, i == 0, "edit {i}");
    }
}

/// A build with warnings is recorded too: with nothing changed, the next build stops at
/// once and says the same warnings again, snippets and all (every real guide has some,
/// and rebuilt each time for them). `--strict` is another build; a stamp whose warnings
/// cannot be read back is none.
#[test]
fn a_build_with_warnings_found_unchanged_says_them_again() {
    let site = TestSite::example();
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("the tester page");
    site.write(
        "content/roles/tester.en.md",
        &format!("{text}\nSee [the analyst](business-analyst.en.md#no-such-part).\n"),
    );
    // What a build says but its last line (what it did), in order.
    let said = |stderr: &str| -> Vec<String> {
        let lines: Vec<String> = stderr.lines().map(String::from).collect();
        lines[..lines.len() - 1]
            .iter()
            .filter(|l| !l.starts_with("note: "))
            .cloned()
            .collect()
    };
    let first = site.build().ok().stderr();
    assert!(
        first.contains(" ms, with the 1 warning(s) above"),
        "{first}"
    );
    assert!(
        first.contains("no-such-part") && first.contains("the analyst"),
        "{first}"
    );
    let written = mtimes(&site.output(""));
    tick();
    let second = site.build().ok().stderr();
    assert!(
        second.contains("nothing changed") && second.contains("1 warning(s) above"),
        "{second}"
    );
    assert_eq!(said(&second), said(&first));
    assert_eq!(mtimes(&site.output("")), written);
    // Saved again with the same text: the same.
    tick();
    std::fs::write(&page, std::fs::read(&page).expect("read")).expect("saved again");
    let touched = site.build().ok().stderr();
    assert!(touched.contains("nothing changed"), "{touched}");
    assert_eq!(said(&touched), said(&first));
    assert!(site.build().ok().stderr().contains("nothing changed"));

    // Warnings are errors with `--strict`: that build fails, whatever the last one did.
    let strict = site.run(&["build", "--strict"]).fails();
    assert!(strict.contains("no-such-part"), "{strict}");
    assert!(site.build().ok().stderr().contains("built "));
    // A stamp whose warnings do not read back: a build, which finds them.
    let stamp = site.path(".public.equipe-stamp");
    let mut kept = std::fs::read_to_string(&stamp).expect("a stamp");
    // The warnings' list is the last but two: the last two, the pages edited since the
    // build cache was written and the files copied as they are, are empty.
    assert!(kept.ends_with("\n\n\n"), "{kept}");
    kept.insert_str(kept.len() - 2, "not a warning\n");
    std::fs::write(&stamp, kept).expect("stamp changed");
    let rebuilt = site.build().ok().stderr();
    assert!(
        rebuilt.contains("built ") && rebuilt.contains("no-such-part"),
        "{rebuilt}"
    );
    // Fixed: no warning, then nothing to say.
    site.write("content/roles/tester.en.md", &text);
    assert!(!site.build().ok().stderr().contains("no-such-part"));
    let clean = site.build().ok().stderr();
    assert!(
        clean.contains("nothing changed") && !clean.contains("warning"),
        "{clean}"
    );
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

/// The example site rendered in memory as `serve` renders it, with the cache its next
/// rebuild takes.
fn served_example() -> (TestSite, equipe::BuildOptions, equipe::Cache) {
    let site = TestSite::example();
    let options = equipe::BuildOptions::new(site.root());
    let mut cache = equipe::Cache::default();
    files_of(equipe::render_site(&options, Some(&mut cache)));
    (site, options, cache)
}

/// A save of a page and of a broken `site.yaml` at once: the rebuild stops at the
/// configuration, before it reads any page; the one after the fix, told of `site.yaml`
/// alone, still reads the page (what a rebuild was told of and did not read is added to
/// the next one's), and serves what a full build makes.
#[test]
fn what_a_failed_rebuild_did_not_read_is_read_by_the_next() {
    use equipe::render_site;

    let (site, options, mut cache) = served_example();
    let role = site.path(ROLE);
    let text = std::fs::read_to_string(&role).expect("the tester role");
    let config = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    tick();
    std::fs::write(&role, text.replacen("title:", "title: Saved with", 1)).expect("write");
    std::fs::write(site.path("site.yaml"), "title: [unclosed\n").expect("write");
    cache.only_changed([PathBuf::from(ROLE), PathBuf::from("site.yaml")]);
    assert!(!render_site(&options, Some(&mut cache)).succeeded());
    std::fs::write(site.path("site.yaml"), config).expect("write");
    cache.only_changed([PathBuf::from("site.yaml")]);
    let fixed = files_of(render_site(&options, Some(&mut cache)));
    assert_eq!(fixed, files_of(render_site(&options, None)));
}

/// A page that stops reading (a typo in its front matter, bytes not UTF-8) stands in the
/// site as it last was while `serve` reports its error: the rebuild that fails and the one
/// after the fix render that page alone, not every body and page again (every body, whose
/// links may name the page, was keyed by the pages there are), and nothing is said of the
/// page but its error. What the fixed rebuild serves is a full build's.
#[test]
fn a_page_that_stops_reading_stands_in_as_it_last_was() {
    use equipe::render_site;

    let (site, options, mut cache) = served_example();
    let role = site.path(ROLE);
    let text = std::fs::read_to_string(&role).expect("the tester role");
    // The last good version has a warning of its own, which must not be said again.
    tick();
    std::fs::write(&role, format!("{text}\n[Nowhere](#no-such-section)\n")).expect("write");
    cache.only_changed([PathBuf::from(ROLE)]);
    let warned = render_site(&options, Some(&mut cache));
    assert!(warned.succeeded());
    assert!(
        warned
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no-such-section")),
        "{:?}",
        warned.diagnostics
    );
    let broken: [&[u8]; 2] = [
        b"---\ntitle: \"Tester\" x\n---\nText.\n",
        b"---\ntitle: Tester\n---\nCaf\xe9.\n",
    ];
    for (i, bytes) in broken.into_iter().enumerate() {
        tick();
        std::fs::write(&role, bytes).expect("a page that does not read");
        cache.only_changed([PathBuf::from(ROLE)]);
        let failed = render_site(&options, Some(&mut cache));
        assert!(!failed.succeeded());
        let said: Vec<_> = failed.diagnostics.iter().collect();
        assert_eq!(said.len(), 1, "its error alone: {said:?}");
        assert!(said[0].is_error());
        assert_eq!(said[0].file.as_deref(), Some(std::path::Path::new(ROLE)));
        assert_eq!(
            (cache.stats.bodies_rendered, cache.stats.pages_rendered),
            (0, 0),
            "nothing rendered for a page that does not read"
        );
        tick();
        let fixed = text.replacen("title:", &format!("title: Fixed {i}"), 1);
        std::fs::write(&role, fixed).expect("fixed");
        cache.only_changed([PathBuf::from(ROLE)]);
        let fixed = files_of(render_site(&options, Some(&mut cache)));
        assert_eq!(
            cache.stats.bodies_rendered, 1,
            "the fixed page's body alone"
        );
        assert_eq!(fixed, files_of(render_site(&options, None)));
    }
}

/// A title edited in one language renders again pages of that language alone: not the
/// language choice nor the 404 page, which show every language's UI strings and the
/// default language's menu, not the other languages' lists (they were made again at each
/// title edit, and made the default language's lists of thousands for it). An edit of a
/// string they show of another language renders them again (see `EDITS` too).
#[test]
fn a_title_edited_renders_no_page_of_another_language() {
    let (site, options, mut cache) = served_example();
    let text = std::fs::read_to_string(site.path(ROLE)).expect("the tester role");
    let retitled = text.replacen("title: Tester", "title: Zanzibar tester", 1);
    saved(&site, &options, &mut cache, ROLE, &retitled);
    let rendered = &cache.stats.files_rendered;
    assert!(
        rendered.iter().any(|p| p == "en/roles/tester/index.html"),
        "the page itself: {rendered:?}"
    );
    assert!(
        rendered
            .iter()
            .all(|p| p.starts_with("en/") || p.ends_with(".json")),
        "English pages and the checklists' data alone: {rendered:?}"
    );

    let strings = "enter_site: Come in, in English\n";
    let edited = saved(&site, &options, &mut cache, "i18n/en.yaml", strings);
    let rendered = &cache.stats.files_rendered;
    assert!(
        rendered.iter().any(|p| p == "index.html"),
        "the language choice shows the English string: {rendered:?}"
    );
    let choice = String::from_utf8_lossy(&edited["index.html"]).into_owned();
    assert!(choice.contains("Come in, in English"), "{choice}");
}

/// Saves `text` as the site's file `file` and rebuilds in memory as `serve` does when its
/// watcher names that file; returns the files, checked to be a full build's.
fn saved(
    site: &TestSite,
    options: &equipe::BuildOptions,
    cache: &mut equipe::Cache,
    file: &str,
    text: &str,
) -> BTreeMap<String, Vec<u8>> {
    tick();
    site.write(file, text);
    cache.only_changed([PathBuf::from(file)]);
    let files = files_of(equipe::render_site(options, Some(cache)));
    assert_eq!(files, files_of(equipe::render_site(options, None)));
    files
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
    let same_as_full = |options: &BuildOptions, cache: &mut Cache, after: &str| {
        let incremental = files_of(render_site(options, Some(cache)));
        let full = files_of(render_site(options, None));
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
        same_as_full(&options, &mut cache, &format!("the edit:\n{edit}"));
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
    same_as_full(&options, &mut cache, "a new page");
    std::fs::remove_file(&new_role).expect("remove");
    cache.only_changed([PathBuf::from("content/roles/zanzibar.en.md")]);
    same_as_full(&options, &mut cache, "a page removed");
    // Without a word from the watcher, every file's size and mtime is checked.
    tick();
    std::fs::write(&role, format!("{text}\nUnannounced.\n")).expect("write");
    same_as_full(&options, &mut cache, "an edit no watcher reported");
    // Another base URL: each page's permalink and its translations' (`hreflang`) change.
    options.base_url = Some("https://example.com/moved/".into());
    same_as_full(&options, &mut cache, "a new base_url");
    let tester = files_of(render_site(&options, None))
        .remove("fr/roles/testeur/index.html")
        .expect("the French tester page");
    let tester = String::from_utf8_lossy(&tester);
    assert!(
        tester.contains(r#"hreflang="en" href="https://example.com/moved/en/roles/tester/""#),
        "{tester}"
    );
}

/// An edit of one file: replace `from` by `to` (the first time it occurs), or insert `to`
/// after the front matter's opening line (`from` empty), or write `to` as the whole file
/// (`from` is `WRITE`). `shown`: whether the example site's output shows it.
pub(crate) struct Edit {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    pub(crate) shown: bool,
}

impl Edit {
    /// Makes the edit in `site`; returns what it was, for messages.
    pub(crate) fn apply(&self, site: &TestSite) -> String {
        let Edit { file, from, to, .. } = self;
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let path = site.path(file);
        let text = if *from == WRITE {
            // A new override: the theme's file, marked so that it shows.
            let original = std::fs::read_to_string(theme.join(file)).unwrap_or_default();
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            match *to {
                "BASE" | "ROLE" => original,
                _ => to.to_string(),
            }
        } else {
            let text = std::fs::read_to_string(&path).expect("the file to edit");
            if from.is_empty() {
                text.replacen("---\n", &format!("---\n{to}"), 1)
            } else {
                assert!(text.contains(from), "{file} has no `{from}`");
                text.replacen(from, to, 1)
            }
        };
        std::fs::write(&path, text).expect("write");
        format!("`{from}` -> `{to}` in {file}")
    }
}

const WRITE: &str = "\u{0}write";

const fn edit(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    let shown = true;
    Edit {
        file,
        from,
        to,
        shown,
    }
}

/// An edit the example site's output does not show (a key its theme leaves out, an
/// override identical to the theme's file): its rebuild must still equal a full build.
const fn unshown(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    let shown = false;
    Edit {
        file,
        from,
        to,
        shown,
    }
}

const ROLE: &str = "content/roles/tester.en.md";
const TEAM: &str = "content/teams/customer-service.en.md";
const PAGE: &str = "content/team.en.md";

/// Every front-matter key of every kind of page, every `site.yaml` key, every kind of
/// theme file (template, static file, UI strings), a file a page includes, one edit each.
pub(crate) const EDITS: &[Edit] = &[
    edit(ROLE, "title: Tester", "title: Tester in chief"),
    edit(ROLE, "description: Checks", "description: Verifies"),
    edit(ROLE, "weight: 90", "weight: 1"),
    edit(ROLE, "  - Write test cases", "  - Write many test cases"),
    edit(
        ROLE,
        "  - Attention to detail",
        "  - Great attention to detail",
    ),
    edit(
        ROLE,
        ", lead-developer, functional-lead]",
        ", functional-lead]",
    ),
    edit(ROLE, "[warehouse, customer-service]", "[customer-service]"),
    edit(ROLE, "Read the test plan", "Read the whole test plan"),
    edit(ROLE, "## The role", "## The tester's role"),
    edit(ROLE, "", "slug: quality\n"),
    unshown(ROLE, "", "mascot: owl\n"),
    edit(TEAM, "title: Customer service", "title: Customer care"),
    edit(TEAM, "description: The team", "description: The people"),
    edit(TEAM, "weight: 20", "weight: 2"),
    edit(TEAM, "customer-service@example.org", "care@example.org"),
    edit(TEAM, "  - A small team", "  - A tiny team"),
    edit(TEAM, "The launch date and", "The launch day and"),
    unshown(TEAM, "", "works_with: [tester]\n"),
    edit(PAGE, "title: The project team", "title: Our project team"),
    edit(PAGE, "description: Who", "description: Which people"),
    unshown(PAGE, "weight: 5", "weight: 500"),
    edit(
        PAGE,
        "",
        "checklist:\n  - id: read-it\n    text: Read this page\n",
    ),
    edit(PAGE, "", "skills: [reading]\n"),
    edit(
        "content/extra.en.md",
        WRITE,
        "---\ntitle: Extra\n---\nA page.\n",
    ),
    edit("content/extra.en.md", "", "draft: true\n"),
    edit(
        "site.yaml",
        "en: E-commerce project team",
        "en: Online shop team",
    ),
    edit(
        "site.yaml",
        "https://example.org/equipe/",
        "https://example.com/shop/",
    ),
    edit("site.yaml", "en: English", "en: Anglais"),
    edit(
        "site.yaml",
        "fr: Français",
        "fr: { name: Français, typography: none }",
    ),
    edit("site.yaml", "default_language: fr", "default_language: en"),
    edit(
        "site.yaml",
        "theme: default",
        "theme: default\ntheme_options:\n  footer_text: Made here\n",
    ),
    unshown(
        "site.yaml",
        "theme: default",
        "theme: default\nmarkdown:\n  raw_html: trusted\n",
    ),
    unshown("templates/base.html", WRITE, "BASE"),
    edit(
        "templates/base.html",
        "</body>",
        "<p>A footer line</p></body>",
    ),
    unshown("templates/role.html", WRITE, "ROLE"),
    edit(
        "templates/role.html",
        "<article class=\"role\">",
        "<article class=\"role edited\">",
    ),
    edit("static/assets/style.css", WRITE, "body { color: navy }\n"),
    edit("static/assets/style.css", "navy", "teal"),
    edit("i18n/en.yaml", WRITE, "roles: People\n"),
    edit("i18n/en.yaml", "People", "Jobs"),
    // Shown by the language choice alone, whose language is French.
    edit("i18n/en.yaml", "Jobs\n", "Jobs\nenter_site: Come in\n"),
    // The progress bars' text is made from this string, in Rust (see `ProgressView`).
    edit(
        "i18n/fr.yaml",
        WRITE,
        "progress: \"Fait : {done} sur {total}\"\n",
    ),
    edit("i18n/fr.yaml", "Fait", "Coché"),
    // `{{$include}}` (Adobe's guides): a file under `_includes/` is no page, but the pages
    // that include it show it; an edit of it alone must show in them.
    unshown("content/_includes/note.md", WRITE, "Included once.\n"),
    edit(
        PAGE,
        "## Outside dependencies",
        "{{$include /_includes/note.md}}\n\n## Outside dependencies",
    ),
    edit("content/_includes/note.md", "once", "twice"),
];

/// The property `serve` rests on: after any edit, an incremental rebuild makes exactly
/// the files a full build makes. Edits pile up on one cache, as a day of work does.
#[test]
fn after_any_edit_an_incremental_rebuild_equals_a_full_build() {
    use equipe::{BuildOptions, Cache, render_site};

    let site = TestSite::example();
    let options = BuildOptions::new(site.root());
    let mut cache = Cache::default();
    let mut before = files_of(render_site(&options, Some(&mut cache)));
    let mut unseen = Vec::new();
    for edit in EDITS {
        tick();
        let what = edit.apply(&site);
        let incremental = files_of(render_site(&options, Some(&mut cache)));
        let full = files_of(render_site(&options, None));
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            full.keys().collect::<Vec<_>>(),
            "the same files after {what}"
        );
        for (output, bytes) in &full {
            assert!(
                incremental[output] == *bytes,
                "{output} differs from a full build after {what}"
            );
        }
        if edit.shown && full == before {
            unseen.push(what);
        }
        before = full;
    }
    // Each edit shows in the output, or the property would hold of nothing.
    assert!(unseen.is_empty(), "edits no output shows: {unseen:#?}");
}

/// The same site and output written another way on the command line (from inside the
/// site, with `./`, the output named relative or absolute) or with `--force`: the same
/// build, so nothing changed, and after an edit the cache is used. An option that changes
/// the output (`--drafts`) is another build.
#[test]
fn the_same_folders_written_another_way_are_the_same_build() {
    let site = TestSite::example();
    site.build().ok();
    let first = mtimes(&site.output(""));
    let equipe = |dir: &Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_equipe"))
            .arg("build")
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("run equipe");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let parent = site
        .root()
        .parent()
        .expect("a temporary folder has a parent");
    let name = site.root().file_name().expect("a name").to_string_lossy();
    let dotted = format!("./{name}/");
    let output = site.output("").display().to_string();
    for (dir, args) in [
        (site.root(), vec![]),
        (site.root(), vec!["--source", ".", "--output", "./public/"]),
        (parent, vec!["--source", &dotted]),
        (parent, vec!["--source", &dotted, "--output", &output]),
        (site.root(), vec!["--force"]),
    ] {
        let said = equipe(dir, &args);
        assert!(said.contains("nothing changed"), "{args:?}: {said}");
    }
    assert_eq!(mtimes(&site.output("")), first, "no file written");

    tick();
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("the tester page");
    std::fs::write(&page, text.replacen("title:", "title: Edited", 1)).expect("an edit");
    let said = equipe(parent, &["--source", &dotted]);
    assert!(said.contains("reused from the last build"), "{said}");

    let said = equipe(site.root(), &["--drafts"]);
    assert!(
        said.contains("built ") && !said.contains("reused"),
        "{said}"
    );
}

/// A broken link's message names the page nearest its name ("did you mean"): when a page
/// comes that is nearer, the next rebuild says so, as a full build does, though the
/// link's text does not hold the new page's name.
#[test]
fn a_broken_link_s_suggestion_follows_the_pages_that_come() {
    use equipe::render_site;

    let (site, options, mut cache) = served_example();
    let role = site.path(ROLE);
    let text = std::fs::read_to_string(&role).expect("the tester role");
    tick();
    std::fs::write(&role, format!("{text}\nAsk the [auditor](audtor.md).\n")).expect("write");
    cache.only_changed([PathBuf::from(ROLE)]);
    let helps = |outcome: equipe::Outcome| -> Vec<Option<String>> {
        let said = outcome.diagnostics.iter();
        said.filter(|d| d.message.contains("audtor"))
            .map(|d| d.help.clone())
            .collect()
    };
    let before = helps(render_site(&options, Some(&mut cache)));
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(!before[0].as_deref().unwrap_or("").contains("auditor.md"));
    tick();
    let added = "content/roles/auditor.en.md";
    site.write(added, "---\ntitle: Auditor\n---\nChecks.\n");
    cache.only_changed([PathBuf::from(added)]);
    let after = helps(render_site(&options, Some(&mut cache)));
    assert_eq!(after, helps(render_site(&options, None)));
    assert!(
        after[0]
            .as_deref()
            .is_some_and(|h| h.contains("auditor.md")),
        "{after:?}"
    );
}
