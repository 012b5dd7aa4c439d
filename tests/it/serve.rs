//! `equipe serve` end to end: the real binary on a free port, a fixture site in a
//! temporary folder edited the ways editors save, and the served pages read back over
//! HTTP until they change.
//!
//! The HTTP client is a raw `TcpStream` (one request per connection), to keep the test
//! build free of an HTTP client crate.

use crate::common;

use std::net::TcpListener;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::http::{Response, get};
use common::{TWO_LANGUAGES, TestSite, free_port};

/// How long a change may take to show up before a test fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// A small two-language site: one role, one plain page in a subfolder.
fn fixture() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    save_tester(&site, "Tests things. version-1");
    site.write(
        "content/roles/tester.fr.md",
        "---\ntitle: Testeur\nslug: testeur\n---\nTeste. version-1\n",
    );
    site.write(
        "content/guides/week-one.en.md",
        "---\ntitle: Week one\n---\nFirst week.\n",
    );
    site
}

/// Saves the English tester role, titled `Tester`, with `text` as its body.
fn save_tester(site: &TestSite, text: &str) {
    site.write(
        "content/roles/tester.en.md",
        &format!("---\ntitle: Tester\n---\n{text}\n"),
    );
}

/// A running `equipe serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let port = free_port();
        let (child, log) = site.start(&["serve", "--port", &port.to_string()]);
        let server = Server { child, port, log };
        server.wait_for("the first build", |s| {
            s.get("/__equipe/status")
                .is_some_and(|r| r.body.contains("\"built\":true"))
        });
        server
    }

    fn get(&self, path: &str) -> Option<Response> {
        get(self.port, path)
    }

    /// The body of a page that must be there.
    fn page(&self, path: &str) -> String {
        match self.get(path) {
            Some(r) if r.status == 200 => r.body,
            Some(r) => panic!("GET {path}: status {}\n{}", r.status, self.log()),
            None => panic!("GET {path}: no answer\n{}", self.log()),
        }
    }

    fn status(&self, path: &str) -> u16 {
        self.get(path).map_or(0, |r| r.status)
    }

    /// Polls until `done` holds, or fails the test with the server's log.
    fn wait_for(&self, what: &str, done: impl Fn(&Server) -> bool) {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if done(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out after {DEADLINE:?} waiting for {what}; server log:\n{}",
            self.log()
        );
    }

    /// Waits until the server reports no error.
    fn wait_for_no_error(&self) {
        self.wait_for("no error", |s| {
            s.get("/__equipe/status")
                .is_some_and(|r| r.body.contains("\"errors\":[]"))
        });
    }

    /// Waits until the server reports an error that says `text`.
    fn wait_for_error(&self, text: &str) {
        self.wait_for(&format!("an error that says `{text}`"), |s| {
            s.get("/__equipe/status")
                .is_some_and(|r| r.body.contains(text))
        });
    }

    fn wait_for_page(&self, path: &str, text: &str) {
        self.wait_for(&format!("{path} to contain `{text}`"), |s| {
            s.get(path)
                .is_some_and(|r| r.status == 200 && r.body.contains(text))
        });
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A live-reload connection, read on its own thread.
struct EventStream {
    lines: mpsc::Receiver<String>,
}

impl EventStream {
    fn open(port: u16) -> EventStream {
        EventStream {
            lines: crate::http::event_lines(port, "127.0.0.1"),
        }
    }

    /// Waits for the next event named `name` and returns its data.
    fn next(&self, name: &str) -> String {
        let start = Instant::now();
        let mut seen = Vec::new();
        let mut in_event = false;
        while let Some(left) = DEADLINE.checked_sub(start.elapsed()) {
            let Ok(line) = self.lines.recv_timeout(left) else {
                break;
            };
            if in_event && let Some(data) = line.strip_prefix("data: ") {
                return data.to_string();
            }
            if line.starts_with("event: ") {
                in_event = line == format!("event: {name}");
            }
            seen.push(line);
        }
        panic!("no `{name}` event; the stream said: {seen:#?}");
    }
}

#[test]
fn serves_clean_urls_with_types_and_no_store() {
    let site = fixture();
    let server = Server::start(&site);

    let page = server.get("/en/roles/tester/").expect("answer");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page.body.contains("version-1"));
    // The live-reload script is added just before </body>.
    let script_at = page.body.find("/__equipe/events").expect("reload script");
    let body_end = page.body.rfind("</body>").expect("</body>");
    assert!(script_at < body_end);
    // It loads the client, a file of its own that only the server has.
    assert!(page.body.contains("src=\"/__equipe/live-reload.js\""));
    let client = server.get("/__equipe/live-reload.js").expect("answer");
    assert_eq!(client.status, 200);
    assert_eq!(
        client.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(client.body.contains("new EventSource(me.dataset.events)"));

    let redirect = server.get("/en/roles/tester").expect("answer");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/en/roles/tester/"));

    assert!(server.page("/").contains("<html"));
    let css = server.get("/assets/style.css").expect("answer");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    let missing = server.get("/en/roles/nobody/").expect("answer");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404.html");
    assert!(!site.root().join("public").exists(), "serve writes nothing");
}

/// `equipe` turns transparent huge pages off for its own process (`src/main.rs`): with
/// them, the kernel zeroed 2 MiB at each first touch of the allocator's memory, which took
/// half the CPU of a large build and made some rebuilds of `serve` ten times slower. The
/// running server's `/proc/PID/status` says whether they are on.
#[cfg(target_os = "linux")]
#[test]
fn the_server_runs_without_transparent_huge_pages() {
    let site = fixture();
    let server = Server::start(&site);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .expect("the server's /proc status");
    // The line exists since Linux 5.0.
    let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) else {
        eprintln!("SKIPPED: this kernel's /proc/PID/status has no THP_enabled line");
        return;
    };
    assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
}

/// Static files are served from where they lie, read when asked for: a guide's images
/// (Adobe's Workfront guide has 468 MB of them) are not held in the server's memory. An
/// image replaced on disk is served anew.
#[cfg(target_os = "linux")]
#[test]
fn static_files_are_read_when_asked_for_not_held() {
    const SIZE: usize = 96 << 20;
    let site = fixture();
    site.write_bytes("content/guides/big.bin", &vec![b'a'; SIZE]);
    site.write_bytes("content/guides/shot.png", b"first");
    let server = Server::start(&site);
    let rss_kib = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<usize>().ok())
            .expect("VmRSS")
    };
    assert!(rss_kib() < (SIZE >> 10) * 3 / 4, "{} KiB", rss_kib());
    let big = server.get("/guides/big.bin").expect("answer");
    assert_eq!((big.status, big.body.len()), (200, SIZE));
    assert_eq!(server.page("/guides/shot.png"), "first");
    site.write_bytes("content/guides/shot.png", b"second, longer");
    server.wait_for_page("/guides/shot.png", "second, longer");
    std::fs::remove_file(site.root().join("content/guides/shot.png")).expect("remove");
    server.wait_for("the removed image to be gone", |s| {
        s.status("/guides/shot.png") == 404
    });
}

/// An image saved reloads open pages, as a page does: the rebuild looks at the static
/// files the watcher names again (and keeps what it found of the others), even when one
/// keeps its size.
#[test]
fn an_image_saved_reloads_open_pages() {
    let site = fixture();
    site.write_bytes("content/guides/shot.png", b"first");
    site.write_bytes("content/guides/other.png", b"other");
    let server = Server::start(&site);
    let events = EventStream::open(server.port);
    events.next("hello");
    for bytes in [&b"second, longer"[..], b"third, longer!", b"third, LONGER!"] {
        site.write_bytes("content/guides/shot.png", bytes);
        events.next("reload");
        assert_eq!(server.page("/guides/shot.png").as_bytes(), bytes);
    }
    assert_eq!(server.page("/guides/other.png"), "other");
    assert!(
        server.log().contains("rebuilt in") && server.log().contains("1 file(s) changed"),
        "one file changed at each save:\n{}",
        server.log()
    );
    // Served as it is at each save, without a rebuild.
    assert_eq!(
        server
            .log()
            .matches("served as they are, no page rendered")
            .count(),
        3,
        "{}",
        server.log()
    );
}

#[test]
fn plain_write_is_served() {
    let site = fixture();
    let server = Server::start(&site);
    save_tester(&site, "Tests things. version-2");
    server.wait_for_page("/en/roles/tester/", "version-2");
}

#[test]
fn write_temporary_then_rename_over_is_served() {
    let site = fixture();
    let server = Server::start(&site);
    // vim's and many IDEs' atomic save.
    site.write(
        "content/roles/.tester.en.md.tmp",
        "---\ntitle: Tester\n---\nTests things. renamed-over\n",
    );
    std::fs::rename(
        site.path("content/roles/.tester.en.md.tmp"),
        site.path("content/roles/tester.en.md"),
    )
    .expect("rename over");
    server.wait_for_page("/en/roles/tester/", "renamed-over");
    // And a second save the same way: the watch survived the first rename.
    site.write(
        "content/roles/tester.en.md~",
        "---\ntitle: Tester\n---\nTests things. renamed-again\n",
    );
    std::fs::rename(
        site.path("content/roles/tester.en.md~"),
        site.path("content/roles/tester.en.md"),
    )
    .expect("rename over");
    server.wait_for_page("/en/roles/tester/", "renamed-again");
}

#[test]
fn delete_then_create_is_served() {
    let site = fixture();
    let server = Server::start(&site);
    std::fs::remove_file(site.path("content/roles/tester.en.md")).expect("delete");
    save_tester(&site, "Tests things. recreated");
    server.wait_for_page("/en/roles/tester/", "recreated");
}

#[test]
fn new_and_deleted_files_are_served() {
    let site = fixture();
    let server = Server::start(&site);
    assert_eq!(server.status("/en/roles/designer/"), 404);
    site.write(
        "content/roles/designer.en.md",
        "---\ntitle: Designer\n---\nDraws things.\n",
    );
    server.wait_for_page("/en/roles/designer/", "Draws things.");
    std::fs::remove_file(site.path("content/roles/designer.en.md")).expect("delete");
    server.wait_for("the deleted page to be gone", |s| {
        s.status("/en/roles/designer/") == 404
    });
}

#[test]
fn renamed_folder_is_served() {
    let site = fixture();
    let server = Server::start(&site);
    assert!(server.page("/en/guides/week-one/").contains("First week."));
    std::fs::rename(site.path("content/guides"), site.path("content/handbook"))
        .expect("rename folder");
    server.wait_for_page("/en/handbook/week-one/", "First week.");
    assert_eq!(server.status("/en/guides/week-one/"), 404);
    // Files in the renamed folder are still watched.
    site.write(
        "content/handbook/week-one.en.md",
        "---\ntitle: Week one\n---\nFirst week, edited.\n",
    );
    server.wait_for_page("/en/handbook/week-one/", "First week, edited.");
}

#[test]
fn template_changes_reload_and_stylesheet_changes_swap() {
    let site = fixture();
    let server = Server::start(&site);
    let events = EventStream::open(server.port);
    events.next("hello");

    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let role = std::fs::read_to_string(theme.join("templates/role.html")).expect("role.html");
    assert!(role.contains("{% block content %}"));
    site.write(
        "templates/role.html",
        &role.replacen(
            "{% block content %}",
            "{% block content %}<p>template-override</p>",
            1,
        ),
    );
    server.wait_for_page("/en/roles/tester/", "template-override");
    events.next("reload");

    let css = server.page("/assets/style.css");
    site.write(
        "static/assets/style.css",
        &format!("{css}\n.served-from-site {{}}\n"),
    );
    server.wait_for_page("/assets/style.css", ".served-from-site");
    let swap = events.next("css");
    assert!(swap.contains("version"), "{swap}");
    // The same file edited again: served anew, not as the rebuild before read it.
    site.write(
        "static/assets/style.css",
        &format!("{css}\n.served-again {{}}\n"),
    );
    server.wait_for_page("/assets/style.css", ".served-again");
    events.next("css");
}

#[test]
fn a_bad_edit_keeps_the_last_good_site_and_the_fix_clears_the_error() {
    let site = fixture();
    let server = Server::start(&site);
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: [unclosed\n---\nTests things. broken\n",
    );
    server.wait_for_error("tester.en.md:2");
    // The last good page is still served, with the script that will show the overlay.
    let page = server.page("/en/roles/tester/");
    assert!(page.contains("version-1") && !page.contains("broken"));
    // A page that connects now is told about the error at once, with file:line:col.
    let events = EventStream::open(server.port);
    events.next("hello");
    let errors = events.next("errors");
    assert!(errors.contains("content/roles/tester.en.md:2:"), "{errors}");
    // The terminal says the same.
    assert!(
        server.log().contains("content/roles/tester.en.md:2:"),
        "{}",
        server.log()
    );

    save_tester(&site, "Tests things. fixed");
    server.wait_for_page("/en/roles/tester/", "fixed");
    // The open page is told to reload, which removes the overlay.
    events.next("reload");
    let status = server.get("/__equipe/status").expect("answer").body;
    assert!(status.contains("\"errors\":[]"), "{status}");
}

#[test]
fn a_site_that_never_built_shows_its_errors_then_reloads_when_fixed() {
    let site = fixture();
    site.write("content/roles/tester.en.md", "---\ntitle: [\n---\nx\n");
    let port = free_port();
    let (child, log) = site.start(&["serve", "--port", &port.to_string()]);
    let server = Server { child, port, log };
    server.wait_for("the not-built page", |s| {
        s.get("/en/roles/tester/")
            .is_some_and(|r| r.status == 503 && r.body.contains("/__equipe/events"))
    });
    save_tester(&site, "now it builds");
    server.wait_for_page("/en/roles/tester/", "now it builds");
}

#[test]
fn build_output_has_no_reload_script() {
    let site = fixture();
    site.build().ok();
    let mut html_files = 0;
    for entry in walk(&site.root().join("public")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("__equipe") && !text.contains("EventSource"),
            "{} has the live-reload script",
            entry.display()
        );
        assert!(
            !entry.ends_with("live-reload.js"),
            "{} is the live-reload client",
            entry.display()
        );
        html_files += usize::from(entry.extension().is_some_and(|e| e == "html"));
    }
    assert!(html_files > 5, "only {html_files} HTML files");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port();
    let run = site.run(&["serve", "--port", &port.to_string()]);
    let stderr = run.fails();
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(stderr.contains(&port.to_string()), "{stderr}");
}

#[test]
fn a_body_edit_rebuilds_only_that_page_and_a_title_edit_every_page() {
    let site = fixture();
    let server = Server::start(&site);
    save_tester(&site, "Tests things. only-this-page");
    server.wait_for_page("/en/roles/tester/", "only-this-page");
    server.wait_for("the rebuild's report", |s| s.log().contains("alone"));
    assert!(
        server
            .log()
            .contains("2 file(s) changed (the text of 1 page(s) alone, put in place)"),
        "the page's file and its search index, without a rebuild:\n{}",
        server.log()
    );
    assert_served_as_built(&site, &server, "en/roles/tester/");
    // A text that adds a heading: its table of contents shows it (the page's file made
    // again from the records of the whole site's headings).
    save_tester(
        &site,
        "Tests things. only-this-page\n\n## A part\n\nText.\n\n## Another part\n\nMore.",
    );
    server.wait_for_page("/en/roles/tester/", "Another part");
    assert_served_as_built(&site, &server, "en/roles/tester/");
    // A title shows on other pages (the home page's role cards): they are rendered again.
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Quality tester\n---\nTests things. only-this-page\n",
    );
    server.wait_for_page("/en/", "Quality tester");
    server.wait_for_page("/en/roles/", "Quality tester");
}

/// The page at `path`, as served, equals what a full build of the site makes of it
/// (but for what `serve` adds: the reload script, assets without fingerprints).
fn assert_served_as_built(site: &TestSite, server: &Server, path: &str) {
    let served = server.page(&format!("/{path}"));
    let out = tempfile::tempdir().expect("tmp");
    let build = Command::new(env!("CARGO_BIN_EXE_equipe"))
        .args(["build", "--source"])
        .arg(site.root())
        .arg("--output")
        .arg(out.path().join("public"))
        .output()
        .expect("build");
    assert!(build.status.success());
    let built = std::fs::read_to_string(out.path().join("public").join(path).join("index.html"))
        .expect("built page");
    let strip = |html: &str| -> String {
        // Serve adds the reload script before `</body>` and does not fingerprint assets.
        let page = html.split("</footer>").next().unwrap_or(html);
        page.lines()
            .filter(|l| !l.contains("assets/"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&served),
        strip(&built),
        "{path}: served as a full build makes it"
    );
}

/// A save that changes a page's text alone puts its new body in its served file, without
/// a rebuild; the next rebuild, for a change of another file, keeps it (its cache had the
/// page as it was before that edit); an edit of the text that breaks a link is rebuilt,
/// and shows its error.
#[test]
fn an_edit_of_a_pages_text_alone_is_served_and_kept_by_the_next_rebuild() {
    let site = fixture();
    let server = Server::start(&site);
    save_tester(&site, "Tests things. edited-alone");
    server.wait_for_page("/en/roles/tester/", "edited-alone");
    server.wait_for("the edit's report", |s| s.log().contains("alone"));
    let search = server.page("/assets/search-en.js");
    assert!(
        search.contains("edited-alone"),
        "its search entry: {search}"
    );
    // Another page's title: a rebuild, for which the watcher names that page alone.
    site.write(
        "content/guides/week-one.en.md",
        "---\ntitle: The first week\n---\nFirst week.\n",
    );
    server.wait_for_page("/en/guides/week-one/", "The first week");
    let page = server.page("/en/roles/tester/");
    assert!(page.contains("edited-alone"), "the edit is kept: {page}");
    assert!(server.page("/assets/search-en.js").contains("edited-alone"));
    assert_served_as_built(&site, &server, "en/roles/tester/");
    // A link to a page that does not exist: an error, shown.
    save_tester(&site, "Tests things. See [gone](gone.md).");
    server.wait_for_error("gone.md");
    save_tester(&site, "Tests things. fixed-again");
    server.wait_for_page("/en/roles/tester/", "fixed-again");
    let status = server.get("/__equipe/status").expect("answer").body;
    assert!(status.contains("\"errors\":[]"), "{status}");
    assert_served_as_built(&site, &server, "en/roles/tester/");
}

/// A page's text edited alone, then a save that stops before the content is read (a
/// broken `site.yaml`), then the fix: the page is read again by the first rebuild that
/// reads the content, and served as a full build makes it.
#[test]
fn a_text_edit_is_kept_past_a_rebuild_that_failed() {
    let site = fixture();
    let server = Server::start(&site);
    save_tester(&site, "Tests things. edited-alone");
    server.wait_for_page("/en/roles/tester/", "edited-alone");
    site.write("site.yaml", "title: [unclosed\n");
    server.wait_for_error("site.yaml");
    site.write("site.yaml", TWO_LANGUAGES);
    server.wait_for_no_error();
    let page = server.page("/en/roles/tester/");
    assert!(page.contains("edited-alone"), "the edit is kept: {page}");
    assert_served_as_built(&site, &server, "en/roles/tester/");
}

/// An author writes with the server open: a save prints the warnings it caused, and only
/// a count of those the site already had (a real guide has tens to hundreds).
#[test]
fn a_rebuild_prints_its_new_warnings_and_counts_the_others() {
    let site = fixture();
    site.write(
        "content/guides/week-one.en.md",
        "---\ntitle: Week one\n---\nFirst week, see [the tester](../roles/tester.md#no-such-part).\n",
    );
    let server = Server::start(&site);
    save_tester(
        &site,
        "Tests things, see [week one](../guides/week-one.md#nor-this). version-2",
    );
    server.wait_for_page("/en/roles/tester/", "version-2");
    server.wait_for("the rebuild's report", |s| {
        s.log().contains("rendered 1 body")
    });
    let log = server.log();
    let count = |text: &str| log.matches(text).count();
    assert_eq!(count("`#no-such-part`"), 1, "the old warning, once:\n{log}");
    assert_eq!(count("`#nor-this`"), 1, "the new warning, in full:\n{log}");
    // The old one and the fixture's own (week one has no French file), counted.
    assert_eq!(count("has no translation"), 1, "{log}");
    assert!(
        log.contains("2 warning(s) as in the last build, not shown again"),
        "the old warnings counted:\n{log}"
    );
}
