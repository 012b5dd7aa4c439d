//! `equipe serve` against hostile or broken clients: foreign `Host` names (DNS
//! rebinding), redirects that could leave the site, and connections that never send a
//! request. The real binary, started with `--port 0` (so every test also checks that the
//! printed URL carries the port the system picked), spoken to with raw `TcpStream`s.

use crate::common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::http::{self, Response};
use common::{TWO_LANGUAGES, TestSite};

/// How long the server gives a client to send a request head (`HEAD_TIMEOUT` in
/// `src/serve/connections.rs`).
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Slack for a loaded 2-core machine on top of the server's own timeout.
const SLACK: Duration = Duration::from_secs(10);
const DEADLINE: Duration = Duration::from_secs(20);

fn fixture() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nTests things. version-1\n",
    );
    // A folder named like a host: `//evil.example/x` once redirected to `//evil.example/x/`.
    site.write("static/evil.example/x/index.html", "<p>on this site</p>");
    site
}

/// A running `equipe serve --port 0`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Server {
    fn start(site: &TestSite, extra: &[&str]) -> Server {
        let (child, log) = site.start(&[&["serve", "--port", "0"], extra].concat());
        let mut server = Server {
            child,
            port: 0,
            log,
        };
        let start = Instant::now();
        while server.port == 0 {
            assert!(
                start.elapsed() < DEADLINE,
                "no `serving ... at http://127.0.0.1:PORT/` line; log:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(20));
            server.port = printed_port(&server.log()).unwrap_or(0);
        }
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// A GET with the given `Host` header.
    fn get(&self, path: &str, host: &str) -> Response {
        request(
            self.port,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
        .unwrap_or_else(|| panic!("GET {path} (Host: {host}): no answer\n{}", self.log()))
    }

    fn local(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of the `serving <dir> at http://127.0.0.1:PORT/` line.
fn printed_port(log: &str) -> Option<u16> {
    let line = log.lines().find(|l| l.starts_with("serving "))?;
    let url = line.split(" at ").nth(1)?.split_whitespace().next()?;
    let port = url.strip_prefix("http://127.0.0.1:")?.strip_suffix('/')?;
    port.parse().ok()
}

/// Sends `raw` and reads the answer until the server closes; `None` without an answer.
fn request(port: u16, raw: &str) -> Option<Response> {
    http::request(port, raw, DEADLINE)
}

/// Waits for the line `wanted` on the stream; fails with what came instead.
fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: &str) {
    let start = Instant::now();
    let mut seen = Vec::new();
    while let Some(left) = DEADLINE.checked_sub(start.elapsed()) {
        match lines.recv_timeout(left) {
            Ok(line) if line == wanted => return,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("no `{wanted}` line; the stream said: {seen:#?}");
}

#[test]
fn foreign_hosts_are_refused_with_a_reason_and_one_terminal_line() {
    let site = fixture();
    let server = Server::start(&site, &["--allow-host", "dev.example.test"]);
    let port = server.port;

    // Every route is covered: pages, the status, the live-reload stream, a 404.
    for path in [
        "/",
        "/en/roles/tester/",
        "/__equipe/status",
        "/__equipe/events",
        "/missing",
    ] {
        for host in ["evil.example", &format!("evil.example:{port}")] {
            let refused = server.get(path, host);
            assert_eq!(refused.status, 403, "GET {path} with Host: {host}");
            assert_eq!(
                refused.header("content-type"),
                Some("text/plain; charset=utf-8")
            );
            assert!(refused.body.contains("DNS rebinding"), "{}", refused.body);
            assert!(
                refused.body.contains("--allow-host evil.example\n"),
                "{}",
                refused.body
            );
        }
    }
    // Names that only look local.
    for host in [
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "x.dev.example.test",
    ] {
        assert_eq!(server.get("/", host).status, 403, "Host: {host}");
    }
    // Ten refused requests for evil.example (with and without the port), one line in
    // the terminal.
    let log = server.log();
    let lines = |host: &str| {
        log.lines()
            .filter(|l| l.starts_with(&format!("refused requests for host `{host}`")))
            .count()
    };
    assert_eq!(lines("evil.example"), 1, "{log}");
    assert_eq!(lines("localhost.evil.example"), 1, "{log}");
    assert!(
        log.contains("restart with `--allow-host evil.example`"),
        "{log}"
    );

    // Loopback, localhost, any IP literal and the allowed name are answered.
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("app.localhost:{port}"),
        format!("192.168.1.20:{port}"),
        format!("dev.example.test:{port}"),
        "DEV.example.test".to_string(),
    ] {
        let page = server.get("/en/roles/tester/", &host);
        assert_eq!(page.status, 200, "Host: {host}\n{}", server.log());
        assert!(page.body.contains("version-1"));
    }
    // The live-reload stream answers an allowed host.
    let events = http::event_lines(port, &format!("localhost:{port}"));
    wait_for_line(&events, "event: hello");
}

#[test]
fn a_request_without_host_or_with_a_foreign_absolute_uri_is_refused() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let no_host = request(server.port, "GET / HTTP/1.0\r\n\r\n").expect("answer");
    assert_eq!(no_host.status, 403);
    assert!(no_host.body.contains("no Host header"), "{}", no_host.body);
    // The absolute form names the host in the request line; the `Host` header alone
    // must not let it through.
    let absolute = request(
        server.port,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .expect("answer");
    assert_eq!(absolute.status, 403);
}

#[test]
fn an_allowed_host_that_is_not_a_name_is_a_clear_error() {
    let site = fixture();
    let stderr = site
        .run(&["serve", "--port", "0", "--allow-host", "not a name"])
        .fails();
    assert!(
        stderr.contains("`--allow-host not a name` is not a host name"),
        "{stderr}"
    );
}

#[test]
fn port_zero_prints_the_port_it_got() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    assert_ne!(server.port, 0);
    // The printed port is the one serving: poll until the first build is in.
    let start = Instant::now();
    loop {
        let status = server.get("/__equipe/status", &server.local());
        if status.body.contains("\"built\":true") {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.get("/", &server.local()).body.contains("<html"));
}

#[test]
fn redirects_never_leave_the_site() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let host = server.local();
    // The folder exists, so its slash-less URL redirects, to this site.
    let plain = server.get("/evil.example/x", &host);
    assert_eq!(plain.status, 308, "{}", server.log());
    assert_eq!(plain.header("location"), Some("/evil.example/x/"));
    let doubled = server.get("//evil.example/x", &host);
    assert_eq!(doubled.status, 308);
    assert_eq!(doubled.header("location"), Some("/evil.example/x/"));

    for path in [
        "//evil.example/x",
        "///evil.example/x",
        "//evil.example/x?q=1",
        "/%2F%2Fevil.example/x",
        "/%2F/evil.example/x",
        "/%5Cevil.example/x",
        "/%5C%5Cevil.example/x",
        "/\\evil.example/x",
        "/\\\\evil.example/x",
    ] {
        let Some(response) = request(
            server.port,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        ) else {
            continue;
        };
        let Some(location) = response.header("location") else {
            continue;
        };
        assert!(
            location.starts_with('/')
                && !location.starts_with("//")
                && !location.starts_with("/\\")
                && !location.contains("://"),
            "GET {path} redirects to `{location}`"
        );
    }
}

/// Reads until the server closes the connection; how long that took.
fn time_until_closed(mut stream: TcpStream) -> Duration {
    stream
        .set_read_timeout(Some(HEAD_TIMEOUT + SLACK + SLACK))
        .expect("read timeout");
    let start = Instant::now();
    let mut buffer = [0; 1024];
    loop {
        match stream.read(&mut buffer) {
            // The server may answer 408 before closing; keep reading to the end.
            Ok(0) => return start.elapsed(),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("still open after {:?}", start.elapsed())
            }
            Err(_) => return start.elapsed(),
        }
    }
}

#[test]
fn idle_and_half_sent_connections_are_closed() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let idle = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut half = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    half.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .expect("half a request");
    let half_reader = std::thread::spawn(move || time_until_closed(half));
    let idle_for = time_until_closed(idle);
    let half_for = half_reader.join().expect("reader");
    for (what, took) in [
        ("an idle connection", idle_for),
        ("half a request", half_for),
    ] {
        assert!(
            took >= HEAD_TIMEOUT - Duration::from_millis(500),
            "{what} was closed after {took:?}, before the timeout"
        );
        assert!(
            took <= HEAD_TIMEOUT + SLACK,
            "{what} was closed only after {took:?}"
        );
    }
}

#[test]
fn the_live_reload_stream_outlives_the_head_timeout() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let events = http::event_lines(server.port, &server.local());
    wait_for_line(&events, "event: hello");
    std::thread::sleep(HEAD_TIMEOUT + Duration::from_secs(2));
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nTests things. version-2\n",
    );
    wait_for_line(&events, "event: reload");
}
