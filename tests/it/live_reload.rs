//! `equipe serve` in headless Chromium: every save shows in the browser without a manual
//! reload, a stylesheet is swapped in place, a broken file shows an overlay and its fix
//! removes it. Runs `tests/browser/live_reload.mjs` (playwright-core) against the real
//! binary serving a copy of the example site.
//!
//! Skips with `SKIPPED: ...` when Chromium, Node or `node_modules` is missing, except in
//! CI (`CI=true`), where that is a failure.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn status_body(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET /__equipe/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    stream.read_to_string(&mut body).ok()?;
    Some(body)
}

#[test]
fn the_browser_follows_every_save() {
    if skip("live reload browser test", missing_browser()) {
        return;
    }
    let site = TestSite::example();
    // Copies of the theme's files the script edits, outside the watched folders.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    site.write(
        "themes-copy/style.css",
        &std::fs::read_to_string(theme.join("static/assets/style.css")).expect("css"),
    );
    site.write(
        "themes-copy/role.html",
        &std::fs::read_to_string(theme.join("templates/role.html")).expect("template"),
    );
    let port = free_port();
    let log = tempfile::NamedTempFile::new().expect("log");
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_equipe"))
            .args(["serve", "--port", &port.to_string(), "--source"])
            .arg(site.root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log"))
            .spawn()
            .expect("start equipe serve"),
    );
    let start = Instant::now();
    while !status_body(port).is_some_and(|b| b.contains("\"built\":true")) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server never built:\n{}",
            std::fs::read_to_string(log.path()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("http://127.0.0.1:{port}/");
    let server_log = || {
        format!(
            "\nserver log:\n{}",
            std::fs::read_to_string(log.path()).unwrap_or_default()
        )
    };
    run_browser_script(
        "live_reload.mjs",
        &[url.as_ref(), site.root().as_os_str()],
        server_log,
    );
}
