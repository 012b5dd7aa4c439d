//! Browser tests: the built example site in headless Chromium.
//!
//! Builds the repository's example site into a temporary folder, serves it on loopback
//! with a tiny static file server (a thread of this test), and runs
//! `tests/browser/checklist.mjs` (playwright-core + axe-core from `node_modules`): ticks
//! that survive a reload and a change of language, progress, reset, export, the team
//! map, and zero axe-core violations on the main page types in both languages.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), `node` and `npm install`ed
//! `node_modules`. When one is missing the test prints `SKIPPED: ...` and passes, except
//! when `CI=true`, where a missing prerequisite is a failure.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use common::{missing_browser, skip};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn checklists_and_accessibility_in_chromium() {
    if skip("browser tests", missing_browser()) {
        return;
    }

    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_equipe"))
        .arg("build")
        .arg("--source")
        .arg(repo())
        .arg("--output")
        .arg(&public)
        .output()
        .expect("run equipe build");
    assert!(
        build.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    let root = public.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || serve(stream, &root));
        }
    });

    let run = Command::new("node")
        .arg(repo().join("tests/browser/checklist.mjs"))
        .arg(format!("http://127.0.0.1:{port}/"))
        .current_dir(repo())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("all browser checks passed"));
}

/// Answers one HTTP/1.1 GET with a file of `root` (folders answer their `index.html`).
fn serve(stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Read the headers to their end; they are not needed.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, kind, body) = match file_for(root, path).and_then(|f| {
        let bytes = std::fs::read(&f).ok()?;
        Some((f, bytes))
    }) {
        Some((file, bytes)) => ("200 OK", content_type(&file), bytes),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// The file a URL path names, never outside `root`.
fn file_for(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = root.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[test]
fn the_test_server_stays_inside_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("fr")).expect("folder");
    std::fs::write(dir.path().join("fr/index.html"), "x").expect("file");
    assert_eq!(
        file_for(dir.path(), "/fr/"),
        Some(dir.path().join("fr/index.html"))
    );
    assert_eq!(file_for(dir.path(), "/%2e%2e/etc/passwd"), None);
    assert_eq!(file_for(dir.path(), "/../x"), None);
    assert_eq!(file_for(dir.path(), "/missing.html"), None);
}
