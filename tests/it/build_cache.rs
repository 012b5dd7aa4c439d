//! The build cache beside the output (`.public.equipe-cache`): a build after an edit
//! renders only what the edit changed and takes the rest from the previous output, and
//! gives exactly the files a first build gives; a cache it cannot trust is ignored.

use std::collections::BTreeMap;

use crate::common::{TestSite, assert_same, files};
use crate::rebuild::{EDITS, tick};

/// The files a first build of `site` makes, into a new folder with no cache beside it.
pub(crate) fn first_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = elsewhere.path().join("out");
    let run = site.run(&["build", "--output", output.to_str().expect("UTF-8")]);
    assert_eq!(
        reused(&run.ok().stderr()),
        0,
        "a first build reuses nothing"
    );
    files(&output)
}

/// That the site's output holds what a first build of it gives, after `what`.
fn assert_first_build(site: &TestSite, what: &str) {
    assert_same(&files(&site.output("")), &first_build(site), what);
}

/// How many rendered files a build said it took from the previous output.
fn reused(stderr: &str) -> usize {
    count_before(stderr, " rendered files and ")
}

/// How many page bodies a build said it took from the build cache.
fn bodies_reused(stderr: &str) -> usize {
    count_before(stderr, " page bodies reused")
}

/// How many pages a build said it built.
fn built(stderr: &str) -> usize {
    stderr
        .split_once("built ")
        .and_then(|(_, after)| after.split(' ').next()?.parse().ok())
        .unwrap_or(0)
}

fn count_before(stderr: &str, words: &str) -> usize {
    stderr
        .split_once(words)
        .and_then(|(before, _)| before.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// The property the cache rests on: after any edit (every front matter key of every
/// kind of page, site.yaml, templates, static files, UI strings, includes), a build with
/// the cache gives the files a first build gives. Edits pile up on one cache.
#[test]
fn after_any_edit_a_build_with_its_cache_equals_a_first_build() {
    edits_pile_up(&TestSite::example(), TextEdits::Made);
}

/// The same, with every edit built the cache's way, none as an edit of a page's text
/// alone (see `text_edits.rs`).
#[test]
fn after_any_edit_the_cache_s_way_equals_a_first_build() {
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    edits_pile_up(&site, TextEdits::Off);
}

/// Whether a build after an edit of a page's text alone makes that page alone.
#[derive(Clone, Copy, PartialEq)]
enum TextEdits {
    Made,
    Off,
}

/// The same with the bodies' HTML placed in the cache's store as each body is rendered,
/// and read back from it when its page renders, as a build of a large site does (the
/// example site is below the size where a build places it): the files are those a build
/// that holds the bodies makes.
#[test]
fn after_any_edit_a_build_with_placed_bodies_equals_a_first_build() {
    let placed = TestSite::example().with_env("EQUIPE_TEST_PLACED_FROM_PAGES", "0");
    let held = TestSite::example();
    placed.build().ok();
    held.build().ok();
    assert_same(
        &files(&placed.output("")),
        &files(&held.output("")),
        "bodies placed in the store",
    );
    edits_pile_up(&placed, TextEdits::Made);
}

fn edits_pile_up(site: &TestSite, text_edits: TextEdits) {
    site.build().ok();
    let mut reuses = Vec::new();
    for edit in EDITS {
        tick();
        let what = edit.apply(site);
        let run = site.build().ok();
        let stderr = run.stderr();
        reuses.push((
            reused(&stderr),
            bodies_reused(&stderr),
            built(&stderr),
            what.clone(),
            stderr.contains("only their text changed"),
        ));
        assert_same(&files(&site.output("")), &first_build(site), &what);
        // The output is updated in place: a page removed leaves no empty folder.
        let empty: Vec<_> = walkdir::WalkDir::new(site.output(""))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter(|e| std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_none()))
            .map(|e| e.path().display().to_string())
            .collect();
        assert!(empty.is_empty(), "{what}: empty folders {empty:?}");
    }
    // The cache was used: a body edit reuses every other page; site.yaml's title, which
    // every page shows, reuses none of them.
    let of = |what: &str| {
        reuses
            .iter()
            .find(|(_, _, _, w, _)| w.contains(what))
            .map(|(n, bodies, built, _, alone)| (*n, *bodies, *built, *alone))
            .unwrap_or_else(|| panic!("no edit `{what}`"))
    };
    let pages = files(&site.output(""))
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let (files_reused, bodies, built, alone) = of("`## The role`");
    // A heading of a page whose sections no link names: its file alone, made from its
    // body's record (see `text_edits.rs`), where such edits are made.
    assert_eq!(alone, text_edits == TextEdits::Made, "{reuses:#?}");
    if alone {
        assert_eq!(of("Online shop team").0, 0, "{reuses:#?}");
        return;
    }
    assert!(
        files_reused >= pages - 3,
        "a body edit reuses the other pages: {reuses:#?}"
    );
    // Every other body comes from the cache file (where the last build streamed them as
    // it rendered them), and is not rendered again.
    assert_eq!(
        bodies,
        built - 1,
        "a body edit renders one body: {reuses:#?}"
    );
    assert_eq!(of("Online shop team").0, 0, "{reuses:#?}");
}

/// A way to spoil a cache file's bytes.
type Spoil = fn(&mut Vec<u8>);

/// The cache's store beside it, which holds its pages and bodies (see `cache_store`).
const STORE: &str = ".public.equipe-store";

/// The store's texts file, which holds the bodies' HTML.
const TEXTS: &str = ".public.equipe-texts";

/// A cache that is cut short, altered, made by another equipe or for other settings is
/// ignored: the build is a first one, and right.
#[test]
fn a_cache_that_cannot_be_trusted_is_ignored() {
    let site = TestSite::example();
    let cache = site.path(".public.equipe-cache");
    let spoil: [(&str, Spoil); 4] = [
        ("cut short", |b| b.truncate(b.len() / 2)),
        ("a byte changed", |b| {
            let middle = b.len() / 2;
            b[middle] ^= 0x20;
        }),
        // The bytes after the magic line name the binary and settings that made it.
        ("of another equipe", |b| b[22] ^= 1),
        ("not a cache", |b| *b = b"equipe".repeat(1000)),
    ];
    each_spoiled_file_is_ignored(&site, &cache, "a cache", &spoil);
    // Made with other settings: the cache is of the last build, with its own settings.
    site.run(&["build", "--base-url", "https://example.com/other/"])
        .ok();
    let run = site.build().ok();
    assert_eq!(reused(&run.stderr()), 0, "{}", run.stderr());
    assert_first_build(&site, "other settings");
}

/// An output file changed by hand after a build is not what the cache says it was made
/// from: the next build makes it again rather than keep the change.
#[test]
fn an_output_file_changed_by_hand_is_made_again() {
    let site = TestSite::example();
    site.build().ok();
    let tester = site.output("en/roles/tester/index.html");
    let original = std::fs::read(&tester).expect("read");
    std::fs::write(&tester, b"changed by hand").expect("write");
    tick();
    let page = site.path("content/roles/lead-developer.en.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\nOne more line.\n")).expect("write");
    let run = site.build().ok();
    assert!(reused(&run.stderr()) > 10, "{}", run.stderr());
    assert_eq!(std::fs::read(&tester).expect("read"), original);
    assert_same(&files(&site.output("")), &first_build(&site), "a hand edit");
}

/// A link to a `#fragment` of a page the build took from the previous output is checked
/// against that page's ids all the same: read back from it when the last build had no
/// link to it, then from the cache, which keeps the ids of pages that others link.
#[test]
fn links_to_fragments_of_a_reused_page_are_checked() {
    let site = TestSite::example();
    site.build().ok();
    let page = site.path("content/roles/designer.en.md");
    let text = std::fs::read_to_string(&page).expect("read");
    for (i, how) in ["read back", "from the cache"].iter().enumerate() {
        tick();
        std::fs::write(
            &page,
            format!(
                "{text}\nSee [the role](tester.md#the-role) and [this](tester.md#no-such-part).\n\nEdit {i}.\n"
            ),
        )
        .expect("write");
        let run = site.build().ok();
        let stderr = run.stderr();
        assert!(reused(&stderr) > 10, "{how}: {stderr}");
        assert!(
            stderr.contains("no-such-part") && !stderr.contains("`#the-role`"),
            "{how}: {stderr}"
        );
    }
}

/// A guide (TOC.md menus, includes, translations paired by `exl-id`, a broken anchor):
/// after edits of a page, of its TOC, of an included file, a build with the cache gives
/// the files and the warnings of a first build. Pages come from the cache without their
/// text: what is made from it (the sidebar from `TOC.md`, a body) must read it again.
#[test]
fn a_guide_built_with_its_cache_equals_a_first_build() {
    let site = crate::guides::guide_site();
    site.write("content/en/help/_includes/note.md", "An included note.\n");
    site.write(
        "content/en/help/demo/advanced/tune.md",
        "---\ntitle: Tune\nexl-id: id-tune\n---\nTuning.\n\n{{$include /help/_includes/note.md}}\n\nSee [install](../install.md#no-such-step).\n",
    );
    site.build().ok();
    let edits: [(&str, &str, &str); 4] = [
        (
            "content/en/help/demo/start.md",
            "Welcome.",
            "Welcome, reader.",
        ),
        (
            "content/en/help/demo/TOC.md",
            "[Install](install.md)",
            "[Installing](install.md)",
        ),
        (
            "content/en/help/_includes/note.md",
            "An included",
            "A shared",
        ),
        (
            "content/fr/help/demo/install.md",
            "title: Installer",
            "title: Installation",
        ),
    ];
    for (file, from, to) in edits {
        tick();
        let text = std::fs::read_to_string(site.path(file)).expect("read");
        assert!(text.contains(from), "{file} has no `{from}`");
        site.write(file, &text.replacen(from, to, 1));
        let what = format!("`{from}` -> `{to}` in {file}");
        let cached = site.build().ok().stderr();
        // The cache's way, or the page's text alone (see `text_edits.rs`).
        assert!(
            reused(&cached) > 3 || cached.contains("only their text changed"),
            "{what}: {cached}"
        );
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let output = elsewhere.path().join("out");
        let first = site
            .run(&["build", "--output", output.to_str().expect("UTF-8")])
            .ok()
            .stderr();
        // What the build did aside (a build of the text alone, as one with nothing
        // changed, leaves out the note on the site's base URL).
        let warnings = |stderr: &str| -> Vec<String> {
            stderr
                .lines()
                .filter(|l| !l.starts_with("built ") && !l.starts_with("note: no base_url"))
                .map(String::from)
                .collect()
        };
        assert_eq!(warnings(&cached), warnings(&first), "{what}");
        assert!(cached.contains("no-such-step"), "{cached}");
        assert_same(&files(&site.output("")), &files(&output), &what);
    }
}

/// Adds a paragraph to the text of the example's tester role page.
/// Renames the English tester role, a title other pages show.
fn retitle_tester(site: &TestSite) {
    let page = "content/roles/tester.en.md";
    let text = std::fs::read_to_string(site.path(page)).expect("page");
    site.write(
        page,
        &text.replacen("title: Tester", "title: Quality tester", 1),
    );
}

fn add_to_tester(site: &TestSite, paragraph: &str) {
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\n{paragraph}\n")).expect("write");
}

/// Builds `site`, spoils `file` each way of `spoil` (emptied, it is removed), edits a page
/// and builds again: that build reuses nothing and gives the files of a first build.
fn each_spoiled_file_is_ignored(
    site: &TestSite,
    file: &std::path::Path,
    what: &str,
    spoil: &[(&str, Spoil)],
) {
    for (i, (how, spoil)) in spoil.iter().enumerate() {
        site.build().ok();
        let mut bytes = std::fs::read(file).expect("a build leaves it");
        spoil(&mut bytes);
        if bytes.is_empty() {
            std::fs::remove_file(file).expect("remove");
        } else {
            std::fs::write(file, bytes).expect("write");
        }
        tick();
        add_to_tester(site, &format!("Edit {i}."));
        let run = site.build().ok();
        let stderr = run.stderr();
        assert_eq!(reused(&stderr), 0, "{what} {how}: {stderr}");
        assert_eq!(bodies_reused(&stderr), 0, "{what} {how}: {stderr}");
        assert_same(
            &files(&site.output("")),
            &first_build(site),
            &format!("{what} {how}"),
        );
        assert!(
            site.read_output("en/roles/tester/index.html")
                .contains(&format!("Edit {i}.")),
            "{what} {how}"
        );
    }
}

/// The same for the cache's store: cut short, a byte altered, made by another equipe,
/// another file than the one the cache names, gone; and for its texts file, but a byte
/// altered, which is found when the text is read (see the next test).
#[test]
fn a_store_that_cannot_be_trusted_is_ignored() {
    // Edits of a page's text built the cache's way, which reads the store.
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    // After the magic line, the identity of the binary and settings, then the number
    // the cache names the file by.
    let header = "equipe store 2\n".len();
    let spoil: [(&str, Spoil); 5] = [
        ("cut short", |b| b.truncate(b.len() - 10)),
        ("of another equipe", |b| b["equipe store 2\n".len()] ^= 1),
        ("of another generation", |b| {
            b["equipe store 2\n".len() + 8] ^= 1;
        }),
        ("gone", |b| b.clear()),
        ("a byte altered", |b| {
            let middle = b.len() / 2;
            b[middle] ^= 0x20;
        }),
    ];
    site.build().ok();
    for (file, spoil) in [(STORE, &spoil[..]), (TEXTS, &spoil[..4])] {
        let path = site.path(file);
        let len = std::fs::metadata(&path)
            .expect("a build leaves its store")
            .len();
        assert!(len as usize > header + 16 + 1000, "{file}: {len} bytes");
        each_spoiled_file_is_ignored(&site, &path, file, spoil);
    }
}

/// A body's HTML in the store is checked (its CRC) when a build reads it, not when the
/// cache is read: a build that finds it damaged midway puts nothing of what it made out,
/// lets the cache go and builds again without it, saying so; the output is a first
/// build's, and the next build has a sound cache again.
#[test]
fn a_body_found_damaged_midway_makes_the_build_start_again_without_the_cache() {
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    site.build().ok();
    assert!(
        !String::from_utf8_lossy(&std::fs::read(site.path(STORE)).expect("the store"))
            .contains("</p>"),
        "the bodies' HTML is in the texts file alone"
    );
    let store = site.path(TEXTS);
    // Every paragraph's end in every body's HTML.
    let mut bytes = std::fs::read(&store).expect("a build leaves its texts");
    let ends: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"</p>")
        .map(|(at, _)| at + 2)
        .collect();
    assert!(ends.len() > 10, "the bodies' HTML is in the texts file");
    for at in ends {
        bytes[at] = b'q';
    }
    std::fs::write(&store, bytes).expect("write");
    tick();
    // A title other pages show: they are rendered again with their bodies from the cache.
    retitle_tester(&site);
    let said = site.build().ok().stderr();
    assert!(
        said.contains("the build cache beside the output was damaged"),
        "{said}"
    );
    assert_eq!(bodies_reused(&said), 0, "{said}");
    assert_same(
        &files(&site.output("")),
        &first_build(&site),
        "a damaged body",
    );
    assert!(!site.read_output("en/index.html").contains("</q>"));
    tick();
    add_to_tester(&site, "After the damaged cache.");
    let said = site.build().ok().stderr();
    assert!(bodies_reused(&said) > 0, "the new cache is used: {said}");
    assert!(!said.contains("damaged"), "{said}");
    assert_same(&files(&site.output("")), &first_build(&site), "after it");
}

/// A build killed after appending to the store, or one that failed, leaves bytes past what
/// the cache in use names: that cache is still used, and the next build appends after
/// them.
#[test]
fn bytes_past_what_the_cache_names_leave_it_in_use() {
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    site.build().ok();
    let mut killed = Vec::new();
    for file in [STORE, TEXTS] {
        let mut bytes = std::fs::read(site.path(file)).expect("a build leaves its store");
        bytes.extend_from_slice(&b"a killed build's bodies".repeat(100));
        std::fs::write(site.path(file), &bytes).expect("write");
        killed.push((file, bytes));
    }
    tick();
    add_to_tester(&site, "After the killed build.");
    let run = site.build().ok();
    let stderr = run.stderr();
    assert_eq!(bodies_reused(&stderr), built(&stderr) - 1, "{stderr}");
    for (file, bytes) in killed {
        let after = std::fs::read(site.path(file)).expect("the store");
        assert!(after.len() > bytes.len(), "{file}: appended to");
        assert_eq!(
            after[..bytes.len()],
            bytes[..],
            "{file}: appended after them"
        );
    }
    assert_first_build(&site, "after a killed build");
    // What that build appended is where its cache says.
    tick();
    add_to_tester(&site, "Once more.");
    let run = site.build().ok();
    let stderr = run.stderr();
    assert_eq!(bodies_reused(&stderr), built(&stderr) - 1, "{stderr}");
    assert_first_build(&site, "the build after");
}

/// A build after an edit appends the pages and bodies it made to the last build's store,
/// which keeps the others where they are; once the file is more than twice what the
/// cache names (every body made again, twice), it is written anew with those alone.
/// Every build gives the files a first build gives.
#[test]
fn the_store_is_appended_to_and_written_anew_once_mostly_stale() {
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    site.build().ok();
    // The store's files, one after the other.
    let store =
        || [STORE, TEXTS].map(|file| std::fs::read(site.path(file)).expect("the cache's store"));
    let size = |files: &[Vec<u8>; 2]| files[0].len() + files[1].len();
    let first = store();
    tick();
    add_to_tester(&site, "Appended.");
    let run = site.build().ok();
    assert_eq!(bodies_reused(&run.stderr()), built(&run.stderr()) - 1);
    let appended = store();
    assert!(
        size(&appended) > size(&first) && size(&appended) < size(&first) + size(&first) / 4,
        "one page appended: {} then {} bytes",
        size(&first),
        size(&appended)
    );
    for (before, after) in first.iter().zip(&appended) {
        assert!(after.len() > before.len(), "both files are appended to");
        assert_eq!(after[..before.len()], before[..], "the file is appended to");
    }
    assert_same(&files(&site.output("")), &first_build(&site), "appended");
    // The site's title, which every body's page shows: every body is made again.
    let config = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    let mut sizes = Vec::new();
    for title in ["Retitled", "Retitled again", "Retitled once more"] {
        tick();
        let retitled = config.replace("E-commerce project team", title);
        std::fs::write(site.path("site.yaml"), retitled).expect("write");
        site.build().ok();
        sizes.push(size(&store()));
        assert_same(&files(&site.output("")), &first_build(&site), title);
    }
    // Appended (twice what is named), then written anew (about the first size), then
    // appended again.
    let (first, appended) = (size(&first), size(&appended));
    assert!(sizes[0] > appended + first / 2, "{sizes:?}");
    assert!(
        sizes[1] < sizes[0] && sizes[1] < first + first / 4,
        "{sizes:?}"
    );
    assert!(sizes[2] > sizes[1] + first / 2, "{sizes:?}");
}

/// The cache lists what the last build put in the output, and a build with it updates
/// that folder in place; a folder put in its place that lacks equipe's marker (accepted
/// because the stamp beside it vouches for an older equipe's output) is replaced whole.
#[test]
fn a_folder_without_the_marker_is_replaced_whole_despite_the_cache() {
    let site = TestSite::example();
    site.build().ok();
    assert!(site.path(".public.equipe-cache").exists(), "a build cache");
    std::fs::remove_dir_all(site.output("")).expect("remove the output");
    site.write("public/notes.txt", "not part of the site");
    site.write("public/en/roles/tester/index.html", "old");
    let run = site.build().ok();
    assert_eq!(reused(&run.stderr()), 0, "{}", run.stderr());
    assert_first_build(&site, "replaced whole");
}

/// A build that fails leaves the cache in use as it was, and no half-written cache beside
/// it: the bodies it streamed to its own cache file go with it.
#[test]
fn a_failed_build_keeps_the_cache_in_use() {
    let site = TestSite::example();
    site.build().ok();
    let cache = site.path(".public.equipe-cache");
    let before = std::fs::read(&cache).expect("a build leaves its cache");
    tick();
    let page = site.path("content/roles/tester.en.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\n[Broken](nowhere.md)\n")).expect("write");
    site.build().fails();
    assert_eq!(std::fs::read(&cache).expect("still there"), before);
    assert!(!site.path(".public.equipe-cache-partial").exists());
    // Mended, the next build takes the other bodies from that cache.
    std::fs::write(&page, format!("{text}\nMended.\n")).expect("write");
    let run = site.build().ok();
    let stderr = run.stderr();
    assert_eq!(bodies_reused(&stderr), built(&stderr) - 1, "{stderr}");
}

/// A language's search index is made again only when an entry of it changes: an edit
/// that leaves a page's words as they were (emphasis added) renders that page again and
/// reuses the index by its key; an edit that adds a word writes it again, with the word.
/// Either way the output is a first build's.
#[test]
fn the_search_index_is_written_again_only_when_an_entry_changes() {
    // Such edits would be built as edits of the page's text alone (see `text_edits.rs`):
    // here, the cache's way.
    let site = TestSite::example().with_env("EQUIPE_TEST_NO_TEXT_EDITS", "1");
    let page = "content/roles/business-analyst.en.md";
    let index = "assets/search-en.js";
    site.build().ok();
    let modified = || {
        std::fs::metadata(site.output(index))
            .and_then(|m| m.modified())
            .expect("the English index")
    };
    let before = modified();
    let text = std::fs::read_to_string(site.path(page)).expect("page");

    tick();
    site.write(
        page,
        &text.replace("the right questions", "the *right* questions"),
    );
    let same_words = reused(&site.build().ok().stderr());
    assert_eq!(modified(), before, "the same words keep the index");
    assert_same(&files(&site.output("")), &first_build(&site), "emphasis");
    assert!(
        site.read_output("en/roles/business-analyst/index.html")
            .contains("<em>right</em>"),
        "the page itself is made again"
    );

    tick();
    site.write(
        page,
        &text.replace("the right questions", "the zanzibar questions"),
    );
    let new_word = reused(&site.build().ok().stderr());
    assert_ne!(modified(), before, "a new word writes the index again");
    // Both edits make the page again; only the second, the index (kept by its key, not
    // written again and found the same).
    assert_eq!(same_words, new_word + 1, "files reused");
    assert!(site.read_output(index).contains("zanzibar"));
    assert_same(&files(&site.output("")), &first_build(&site), "a new word");
}

/// Lists and menus show a page's checklist progress, not its items: an item's text
/// edited renders again the files that show the items (the page, the checklist page,
/// the checklists' data, the search index), not every page whose menu lists the role.
/// An item ticked by default changes the progress that lists may show: they are made again.
#[test]
fn an_item_s_text_edited_renders_again_only_what_shows_the_items() {
    let site = TestSite::example();
    let page = "content/roles/business-analyst.en.md";
    site.build().ok();
    let before = mtimes(&site.output(""));
    let text = std::fs::read_to_string(site.path(page)).expect("page");
    let item = "Read the business glossary and the existing specifications";
    assert!(text.contains(item), "the fixture's item");

    tick();
    site.write(page, &text.replace(item, "Read the zanzibar glossary"));
    let text_edited = reused(&site.build().ok().stderr());
    assert_first_build(&site, "an item's text");
    let edited = mtimes(&site.output(""));
    assert_eq!(
        changed(&before, &edited),
        [
            "assets/search-en.js",
            "checklists.json",
            "en/checklist/index.html",
            "en/roles/business-analyst/index.html",
        ],
        "only the files that show the items are written"
    );
    assert!(
        site.read_output("en/roles/business-analyst/index.html")
            .contains("Read the zanzibar glossary")
    );
    // Rendered again and written the same keeps a file's mtime: count what was kept.
    let pages = edited.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        text_edited >= pages - 2,
        "every page but the role's and the checklist page is reused: {text_edited} of {pages}"
    );

    tick();
    site.write(
        page,
        &text.replace(
            &format!("text: {item}"),
            &format!("text: {item}\n    done: true"),
        ),
    );
    let ticked = reused(&site.build().ok().stderr());
    assert_first_build(&site, "an item done");
    // Made again, if written the same (the default theme's lists do not show it): the
    // pages whose lists name the role, and its language's home.
    assert!(
        ticked + 5 < text_edited,
        "pages whose lists may show the progress are made again: {ticked} reused, {text_edited} before"
    );
}

/// Each output file's modification time, by path.
fn mtimes(folder: &std::path::Path) -> BTreeMap<String, std::time::SystemTime> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(folder).expect("inside");
            let time = e.metadata().expect("metadata").modified().expect("mtime");
            (path.to_string_lossy().replace('\\', "/"), time)
        })
        .collect()
}

/// The paths whose modification time differs, or that are new.
pub(crate) fn changed(
    before: &BTreeMap<String, std::time::SystemTime>,
    after: &BTreeMap<String, std::time::SystemTime>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(time))
        .map(|(path, _)| path.clone())
        .collect()
}

/// A role's title edited in one language changes that language's menus and lists: its
/// pages are made again, the other language's are reused, and the output is a first
/// build's.
#[test]
fn a_title_edited_in_one_language_renders_again_that_language_s_pages() {
    let site = TestSite::example();
    let page = "content/roles/designer.en.md";
    site.build().ok();
    let text = std::fs::read_to_string(site.path(page)).expect("page");
    tick();
    site.write(page, &text.replacen("title: ", "title: Lead ", 1));
    let kept = reused(&site.build().ok().stderr());
    assert_same(&files(&site.output("")), &first_build(&site), "a title");
    assert!(site.read_output("en/index.html").contains("Lead "));
    let french = files(&site.output(""))
        .keys()
        .filter(|p| p.starts_with("fr/") && p.ends_with(".html"))
        .count();
    assert!(
        kept >= french,
        "every French page is reused: {kept} files reused, {french} French pages"
    );
}

/// A link without words shows its page's title (see `guides_translation`): the body that
/// has one is made again when that page's title changes, though its own text and every
/// URL are the same.
#[test]
fn a_link_without_words_shows_its_page_s_new_title() {
    let site = TestSite::example();
    let page = "content/roles/tester.en.md";
    let text = std::fs::read_to_string(site.path(page)).expect("page");
    site.write(page, &format!("{text}\nAsk the [](designer.md).\n"));
    site.build().ok();
    assert!(
        site.read_output("en/roles/tester/index.html")
            .contains(">Designer</a>.")
    );
    tick();
    let designer = "content/roles/designer.en.md";
    let text = std::fs::read_to_string(site.path(designer)).expect("designer");
    site.write(
        designer,
        &text.replace("title: Designer", "title: UX designer"),
    );
    site.build().ok();
    assert!(
        site.read_output("en/roles/tester/index.html")
            .contains(">UX designer</a>."),
        "the link shows the new title"
    );
    assert_first_build(&site, "a title shown by a link");
}

/// A role's title shows on the pages that list it and on its language's home (its list
/// of roles, its team map), not on every page of its language: a build after a title
/// edited takes as they were at least the pages whose files stay the same. A theme that
/// shows the lists on every page (`nav.roles` in `base.html`) gets every page of the
/// language made again, with the new title.
#[test]
fn a_title_edit_renders_again_the_pages_that_show_it() {
    let edit = |site: &TestSite| {
        site.build().ok();
        let before = files(&site.output(""));
        tick();
        retitle_tester(site);
        let said = site.build().ok().stderr();
        let after = files(&site.output(""));
        assert_same(&after, &first_build(site), "a title");
        let same = after
            .iter()
            .filter(|(path, bytes)| path.ends_with(".html") && before.get(*path) == Some(bytes))
            .count();
        (reused(&said), same, said)
    };
    let (reused, same, said) = edit(&TestSite::example());
    assert!(reused >= same, "{same} pages the same: {said}");

    let listed = TestSite::example();
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .expect("the default base template");
    assert!(base.contains("</body>"));
    let roles =
        "<ul class=\"all-roles\">{% for r in nav.roles %}<li>{{ r.title }}</li>{% endfor %}</ul>";
    listed.write(
        "templates/base.html",
        &base.replacen("</body>", &format!("{roles}</body>"), 1),
    );
    edit(&listed);
    let page = listed.read_output("en/teams/warehouse/index.html");
    assert!(page.contains("<li>Quality tester</li>"), "{page}");
}

/// A guide's menu of more than 200 entries shows each page a few of them: a title edited
/// there renders again the pages whose menus show it, and takes every other page as it
/// was, as its file is the same.
#[test]
fn a_title_edit_in_a_large_guide_renders_again_the_menus_that_show_it() {
    let site = TestSite::new("title: Docs\nlanguages:\n  en: English\n");
    for n in 0..240 {
        site.write(
            &format!("content/en/docs/p{n:03}.md"),
            &format!("---\ntitle: Page {n}\n---\nText {n}.\n"),
        );
    }
    site.build().ok();
    let before = files(&site.output(""));
    tick();
    site.write(
        "content/en/docs/p100.md",
        "---\ntitle: Page one hundred\n---\nText 100.\n",
    );
    let said = site.build().ok().stderr();
    let after = files(&site.output(""));
    assert_same(&after, &first_build(&site), "a title in a large guide");
    let same = after
        .iter()
        .filter(|(path, bytes)| path.ends_with(".html") && before.get(*path) == Some(bytes))
        .count();
    assert!(
        same > 200,
        "most menus do not show it: {same} pages the same"
    );
    assert!(reused(&said) >= same, "{same} pages the same: {said}");
}

/// In a large guide whose folders are groups, a page's menu shows the groups that do not
/// hold it closed (their label and a link), each keyed as such rather than written for
/// every page: a title edited inside a group renders again the group's pages, whose menus
/// show it, and no page that shows the group closed; the group's own title renders those
/// again too. Each build gives the files a first build gives.
#[test]
fn a_title_edit_in_a_group_of_a_large_guide_renders_again_the_menus_that_show_it() {
    let site = TestSite::new("title: Docs\nlanguages:\n  en: English\n");
    for n in 0..230 {
        site.write(
            &format!("content/en/docs/p{n:03}.md"),
            &format!("---\ntitle: Page {n}\n---\nText {n}.\n"),
        );
    }
    site.write(
        "content/en/docs/group/_index.md",
        "---\ntitle: Group\n---\nThe group.\n",
    );
    for n in 0..4 {
        site.write(
            &format!("content/en/docs/group/g{n}.md"),
            &format!("---\ntitle: Grouped {n}\n---\nText {n}.\n"),
        );
    }
    site.build().ok();
    let menu = |page: &str| site.read_output(&format!("en/docs/{page}/index.html"));
    assert!(menu("p099").contains(">Group</a></li>"), "{}", menu("p099"));
    assert!(!menu("p099").contains("Grouped 1"), "the group is closed");
    for (file, from, to, changed) in [
        ("group/g1.md", "Grouped 1", "Grouped one", 5),
        ("group/_index.md", "Group", "The group", 5 + 17),
    ] {
        let before = files(&site.output(""));
        tick();
        let text =
            std::fs::read_to_string(site.path(&format!("content/en/docs/{file}"))).expect("page");
        site.write(
            &format!("content/en/docs/{file}"),
            &text.replacen(&format!("title: {from}\n"), &format!("title: {to}\n"), 1),
        );
        site.build().ok();
        let after = files(&site.output(""));
        assert_same(&after, &first_build(&site), file);
        let pages_changed = after
            .iter()
            .filter(|(path, bytes)| path.ends_with(".html") && before.get(*path) != Some(bytes))
            .count();
        // The group's pages (and, for its title, the pages that show it closed), the
        // guide's list and the home.
        assert!(
            pages_changed <= changed + 2,
            "{file}: {pages_changed} pages changed"
        );
    }
}

/// A page added or removed renders again the bodies whose links it changes, not every
/// body (each was keyed by every page's URL: at 20,000 pages, a page added took a first
/// build's time). A body whose links go elsewhere now is made again: an English link to a
/// role that had a French page only goes to the English page once there is one. Each
/// build gives the files a first build gives.
#[test]
fn a_page_added_or_removed_renders_again_only_the_bodies_it_changes() {
    let site = TestSite::example();
    site.write(
        "content/roles/auditor.fr.md",
        "---\ntitle: Auditrice\n---\nVoir [le testeur](tester.md).\n",
    );
    let tester = "content/roles/tester.en.md";
    let text = std::fs::read_to_string(site.path(tester)).expect("tester");
    site.write(
        tester,
        &format!("{text}\nAsk the [auditor](auditor.md) and the [](designer.md).\n"),
    );
    let first = site.build().ok().stderr();
    let pages = built(&first);
    let tester_html = || site.read_output("en/roles/tester/index.html");
    assert!(tester_html().contains("href=\"../../../fr/roles/auditor/index.html\""));
    // Added: the English auditor. Only the tester's English body links it.
    tick();
    site.write(
        "content/roles/auditor.en.md",
        "---\ntitle: Auditor\n---\nSee [the tester](tester.md).\n",
    );
    let added = site.build().ok().stderr();
    assert_eq!(built(&added), pages + 1);
    assert_eq!(
        bodies_reused(&added),
        pages - 1,
        "every body but the tester's (and the new one's) reused: {added}"
    );
    assert!(
        tester_html().contains("href=\"../auditor/index.html\""),
        "the new page linked"
    );
    assert_first_build(&site, "a page added");
    // Removed again: the English link goes back to the French page.
    tick();
    std::fs::remove_file(site.path("content/roles/auditor.en.md")).expect("remove");
    let removed = site.build().ok().stderr();
    assert_eq!(bodies_reused(&removed), pages - 1, "{removed}");
    assert!(tester_html().contains("href=\"../../../fr/roles/auditor/index.html\""));
    assert_first_build(&site, "a page removed");
}

#[test]
fn a_page_added_that_a_link_names_without_its_name_renders_that_body_again() {
    // A folder link goes to the folder's `_index` page: the link's text does not hold
    // the new page's name, and its body is still made again.
    let site = TestSite::example();
    site.write(
        "content/handbook/setup.en.md",
        "---\ntitle: Setup\n---\nBack to [the handbook](./) or [up](../handbook/).\n",
    );
    let first = site.build().ok().stderr();
    assert!(first.contains("has no page of its own"), "{first}");
    let setup = || site.read_output("en/handbook/setup/index.html");
    assert!(!setup().contains("href=\"../index.html\""));
    tick();
    site.write(
        "content/handbook/_index.en.md",
        "---\ntitle: Handbook\n---\nHow we work.\n",
    );
    let added = site.build().ok().stderr();
    assert!(!added.contains("has no page of its own"), "{added}");
    assert!(
        setup().contains("href=\"../index.html\""),
        "the folder's new page linked: {}",
        setup()
    );
    assert_first_build(&site, "a folder's page added");
    tick();
    std::fs::remove_file(site.path("content/handbook/_index.en.md")).expect("remove");
    let removed = site.build().ok().stderr();
    assert!(removed.contains("has no page of its own"), "{removed}");
    assert_first_build(&site, "a folder's page removed");
}

#[test]
fn a_page_removed_that_a_link_names_without_its_name_renders_that_body_again() {
    // `index.md` names its folder's page (`handbook.en.md` for `handbook/`): the link's
    // text does not hold that page's name. Removed, the link goes to its translation.
    let site = TestSite::example();
    site.write(
        "content/handbook.en.md",
        "---\ntitle: Handbook\n---\nHow we work.\n",
    );
    site.write(
        "content/handbook.fr.md",
        "---\ntitle: Manuel\n---\nComment nous travaillons.\n",
    );
    site.write(
        "content/handbook/setup.en.md",
        "---\ntitle: Setup\n---\nBack to [the handbook](index.md).\n",
    );
    site.build().ok();
    let setup = || site.read_output("en/handbook/setup/index.html");
    assert!(
        setup().contains("<a href=\"../../../en/handbook/index.html\">the handbook"),
        "{}",
        setup()
    );
    tick();
    std::fs::remove_file(site.path("content/handbook.en.md")).expect("remove");
    site.build().ok();
    assert!(
        setup()
            .contains("<a href=\"../../../fr/handbook/index.html\" hreflang=\"fr\">the handbook"),
        "the link goes to the translation: {}",
        setup()
    );
    assert_first_build(&site, "a page removed");
}
