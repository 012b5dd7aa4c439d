//! Measures save-to-served-page latency of `equipe serve`.
//!
//! Copies the repository's example site (or generates a site of `--pages N` role pages)
//! into a temporary folder, starts the binary on a free port and listens to its live-reload
//! events as an open page does. It then repeatedly saves a role page with a new marker,
//! waits for the reload event and fetches the page. The time from the save to that response
//! is the latency a writer sees (minus the browser's own reload and paint). The server's
//! own render times (its "rebuilt in N ms" lines) are reported beside it, to tell debounce
//! from rendering. (Polling the page every millisecond instead, as an earlier version did,
//! took CPU from the rebuild on a 2-core machine.)
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve_latency                 # the example site
//! cargo run --release --example serve_latency -- --pages 2000 # a generated site
//! ```
//!
//! Options: `--pages N`, `--site DIR` (a copy of a site written by the `gen_site`
//! example, as `benches/run.sh` does; the page edited is `role-00000` in English),
//! `--runs N` (default 20), `--binary PATH` (default `target/release/equipe`), `--edit
//! text|title` (default `text`: the marker is a line added to the page's text, which the
//! server puts in place without a rebuild; `title`: the marker is the page's title, which
//! other pages show, and each save is a rebuild).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

struct Options {
    pages: Option<usize>,
    site: Option<PathBuf>,
    runs: usize,
    binary: PathBuf,
    /// The marker goes in the page's title rather than its text.
    title: bool,
}

fn parse_options() -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        pages: None,
        site: None,
        runs: 20,
        binary: root.join("target/release/equipe"),
        title: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => options.pages = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            "--site" => options.site = Some(PathBuf::from(value()?)),
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("{e}"))?,
            "--binary" => options.binary = PathBuf::from(value()?),
            "--edit" => {
                options.title = match value()?.as_str() {
                    "text" => false,
                    "title" => true,
                    other => return Err(format!("--edit takes `text` or `title`, not `{other}`")),
                }
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = dir.path();
    let (page_file, page_url, page_text) = match (&options.site, options.pages) {
        (Some(generated), _) => copy_generated(generated, site)?,
        (None, None) => copy_example(site)?,
        (None, Some(n)) => generate(site, n)?,
    };
    let page_file = site.join(page_file);
    age_folders(&site.join("content"))?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let _server = Server(
        Command::new(&options.binary)
            .args(["serve", "--port", &port.to_string(), "--source"])
            .arg(site)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", options.binary.display()))?,
    );
    wait_until(Duration::from_secs(60), || {
        get(port, "/__equipe/status").is_some_and(|b| b.contains("\"built\":true"))
    })
    .ok_or("the server did not build the site within 60 s")?;

    // As an open page does: listen for the server's reload event, then fetch the page.
    let mut events = Events::open(port)?;
    let mut latencies = Vec::with_capacity(options.runs);
    for run in 0..options.runs {
        let marker = format!("latency-probe-{run}");
        let text = if options.title {
            retitled(&page_text, &marker)?
        } else {
            format!("{page_text}\n{marker}\n")
        };
        let saved = Instant::now();
        std::fs::write(&page_file, text).map_err(|e| e.to_string())?;
        loop {
            if saved.elapsed() > Duration::from_secs(10) {
                return Err(format!("run {run}: the change was not served within 10 s"));
            }
            if events.next_reload()? && get(port, &page_url).is_some_and(|b| b.contains(&marker)) {
                break;
            }
        }
        latencies.push(saved.elapsed());
        std::thread::sleep(Duration::from_millis(150));
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let mut renders: Vec<Duration> = log
        .lines()
        .filter_map(|l| l.strip_prefix("rebuilt in "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .map(Duration::from_millis)
        .collect();
    // The first line is the initial build.
    let first_build = if renders.is_empty() {
        Duration::ZERO
    } else {
        renders.remove(0)
    };
    let pages = log
        .lines()
        .find_map(|l| l.strip_prefix("rebuilt in "))
        .unwrap_or("");
    println!(
        "site: {}; initial build {} ms ({pages})",
        match (&options.site, options.pages) {
            (Some(dir), _) => dir.display().to_string(),
            (None, Some(n)) => format!("{n} generated pages"),
            (None, None) => "the example site".to_string(),
        },
        first_build.as_millis()
    );
    println!(
        "save -> page served ({} saves): {}",
        latencies.len(),
        summary(&mut latencies)
    );
    println!("  of which rebuild in memory: {}", summary(&mut renders));
    Ok(())
}

/// `text` with the first `title:` line of its front matter saying `title`.
fn retitled(text: &str, title: &str) -> Result<String, String> {
    let line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .ok_or("the page edited has no `title:` line")?;
    Ok(text.replacen(line, &format!("title: {title}"), 1))
}

/// "min 31 ms, median 36 ms, p90 41 ms, max 44 ms".
fn summary(values: &mut [Duration]) -> String {
    if values.is_empty() {
        return "no data".into();
    }
    values.sort();
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    format!(
        "min {:.1} ms, median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        at(0.0),
        at(0.5),
        at(0.9),
        at(1.0)
    )
}

/// Polls `done` every millisecond; the time it took, or `None` after `limit`.
fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

/// The body of a 200 response, or `None`.
/// The server's live-reload stream (Server-Sent Events), read as a browser would.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Result<Events, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        write!(
            stream,
            "GET /__equipe/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .map_err(|e| e.to_string())?;
        Ok(Events(BufReader::new(stream)))
    }

    /// Waits up to half a second for the next event; true if it is a reload.
    fn next_reload(&mut self) -> Result<bool, String> {
        let mut line = String::new();
        loop {
            line.clear();
            match self.0.read_line(&mut line) {
                Ok(0) => return Err("the event stream closed".into()),
                Ok(_) if line.trim_end() == "event: reload" => return Ok(true),
                Ok(_) => {}
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    return Ok(false);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    raw.starts_with("HTTP/1.1 200").then_some(raw)
}

/// Copies the repository's example site; returns the page to edit.
fn copy_example(site: &Path) -> Result<(String, String, String), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("site.yaml"), site.join("site.yaml")).map_err(|e| e.to_string())?;
    copy_dir(&root.join("content"), &site.join("content"))?;
    let file = "content/roles/tester.en.md".to_string();
    let text = std::fs::read_to_string(site.join(&file)).map_err(|e| e.to_string())?;
    Ok((file, "/en/roles/tester/".into(), text))
}

/// Copies a site written by the `gen_site` example; returns the page to edit.
fn copy_generated(from: &Path, site: &Path) -> Result<(String, String, String), String> {
    std::fs::copy(from.join("site.yaml"), site.join("site.yaml")).map_err(|e| e.to_string())?;
    copy_dir(&from.join("content"), &site.join("content"))?;
    let file = "content/roles/role-00000.en.md".to_string();
    let text = std::fs::read_to_string(site.join(&file)).map_err(|e| e.to_string())?;
    Ok((file, "/en/roles/role-00000/".into(), text))
}

/// Gives the content folders an mtime of an hour ago, as an author's folders have: the
/// server walks again only folders that changed since its last walk, and trusts the
/// mtimes of folders changed more than 2 s before it (see `content::discover_cached`).
fn age_folders(folder: &Path) -> Result<(), String> {
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(folder).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            age_folders(&path)?;
        }
    }
    std::fs::File::open(folder)
        .and_then(|f| f.set_modified(an_hour_ago))
        .map_err(|e| format!("cannot set the mtime of {}: {e}", folder.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// A two-language site of `pages` role pages (half per language); returns the page to edit.
fn generate(site: &Path, pages: usize) -> Result<(String, String, String), String> {
    let write = |path: &str, text: &str| -> Result<(), String> {
        let path = site.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, text).map_err(|e| e.to_string())
    };
    write(
        "site.yaml",
        "title:\n  fr: Équipe\n  en: Team\nbase_url: https://example.org/team/\ndefault_language: fr\nlanguages:\n  fr: Français\n  en: English\n",
    )?;
    let body = "Works with the other roles every day.\n\n## Responsibilities\n\n- Plan the work\n- Review the work\n- Ship the work\n\nSome **bold** text, a [link](https://example.org/) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    for i in 0..pages.div_ceil(2) {
        for lang in ["en", "fr"] {
            write(
                &format!("content/roles/role-{i:04}.{lang}.md"),
                &format!(
                    "---\ntitle: Role {i} {lang}\nweight: {i}\nresponsibilities:\n  - First\n  - Second\nonboarding:\n  - Read the guide\n  - Meet the team\n---\n{body}"
                ),
            )?;
        }
    }
    let file = "content/roles/role-0000.en.md".to_string();
    let text = std::fs::read_to_string(site.join(&file)).map_err(|e| e.to_string())?;
    Ok((file, "/en/roles/role-0000/".into(), text))
}
