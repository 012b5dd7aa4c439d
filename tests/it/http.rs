//! A raw HTTP/1.1 client for the `serve` tests: requests are written by hand so that the
//! tests can send what no client library would (foreign `Host` headers, `//` paths, half
//! a request), and answers are read until the server closes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

pub(crate) struct Response {
    pub status: u16,
    /// Header lines, names lowercased: `content-type: text/html`.
    pub headers: Vec<String>,
    pub body: String,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}:");
        self.headers
            .iter()
            .find(|h| h.starts_with(&prefix))
            .map(|h| h[prefix.len()..].trim())
    }
}

/// Sends `raw` and reads the answer until the server closes (or `timeout` passes with
/// nothing to read); `None` without an answer.
pub(crate) fn request(port: u16, raw: &str, timeout: Duration) -> Option<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.write_all(raw.as_bytes()).ok()?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .map(|l| match l.split_once(':') {
            Some((name, value)) => format!("{}:{value}", name.to_ascii_lowercase()),
            None => l.to_string(),
        })
        .collect();
    Some(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

/// A plain `GET path` from a loopback `Host`.
pub(crate) fn get(port: u16, path: &str) -> Option<Response> {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        Duration::from_secs(5),
    )
}

/// The live-reload stream's lines (`/__equipe/events` asked for with `Host: host`), read
/// on their own thread.
pub(crate) fn event_lines(port: u16, host: &str) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__equipe/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send request");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}
