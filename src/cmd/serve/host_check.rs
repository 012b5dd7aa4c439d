//! Which `Host` the dev server answers: the defence against DNS rebinding.
//!
//! A page on `evil.example` can make its own name resolve to `127.0.0.1` a moment after
//! it loaded (DNS rebinding). The browser then sends that page's requests to this server,
//! with `Host: evil.example`, and lets the page read the answers as its own: the site, its
//! drafts, the live-reload stream. The name in `Host` is the only thing that tells such a
//! request apart, so the server answers only hosts that no one else can point here:
//!
//! - **IP literals** (`127.0.0.1:4800`, `[::1]`, the LAN address when bound to `0.0.0.0`):
//!   rebinding needs a name, and a page whose origin is an IP address is already talking
//!   to that address;
//! - **`localhost` and `*.localhost`**, which browsers resolve to loopback themselves;
//! - **names the user allowed** with `--allow-host` (a leading dot allows the subdomains
//!   too, as Vite's `allowedHosts` does).
//!
//! Anything else gets 403 with a plain-text reason, and the terminal says once per host how
//! to allow it. Vite and webpack-dev-server check the same way.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// How many refused hosts the terminal names before it stops: a flood of made-up names
/// must not grow memory or the log without bound.
const MAX_REPORTED: usize = 64;

/// The host part of a `Host` header (or of an absolute request URI), port removed.
#[derive(Debug, PartialEq, Eq)]
enum Host {
    Ip(IpAddr),
    /// Lowercased, without a trailing dot.
    Name(String),
}

/// Splits `name[:port]`, `ip[:port]` or `[ipv6][:port]`; `None` for anything malformed
/// (user info, an empty name, a port that is not a number, characters no name has).
fn parse_host(authority: &str) -> Option<Host> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = ip.parse().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        return port_is_valid(port).then_some(Host::Ip(IpAddr::V6(ip)));
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if !port_is_valid(port) {
        return None;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return Some(Host::Ip(IpAddr::V4(ip)));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let well_formed = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    well_formed.then(|| Host::Name(name.to_ascii_lowercase()))
}

fn port_is_valid(port: Option<&str>) -> bool {
    port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok())
}

/// A name given to `--allow-host`: `name` (that name only) or `.name` (it and its
/// subdomains). A port, if given, is ignored like the port of a request's `Host`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct AllowedName {
    name: String,
    subdomains: bool,
}

impl AllowedName {
    /// `None` if `text` is not a host name (an IP address needs no allowing).
    pub(super) fn parse(text: &str) -> Option<AllowedName> {
        let (subdomains, rest) = match text.strip_prefix('.') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        match parse_host(rest)? {
            Host::Name(name) => Some(AllowedName { name, subdomains }),
            Host::Ip(_) => None,
        }
    }

    fn matches(&self, name: &str) -> bool {
        name == self.name
            || (self.subdomains
                && name
                    .strip_suffix(self.name.as_str())
                    .is_some_and(|prefix| prefix.ends_with('.')))
    }
}

/// Whether a request for `authority` (a `Host` header's value) may be answered.
fn is_allowed(authority: &str, allowed: &[AllowedName]) -> bool {
    match parse_host(authority) {
        Some(Host::Ip(_)) => true,
        Some(Host::Name(name)) => {
            name == "localhost"
                || name.ends_with(".localhost")
                || allowed.iter().any(|a| a.matches(&name))
        }
        None => false,
    }
}

/// The check, shared by every connection.
pub(super) struct HostCheck {
    allowed: Vec<AllowedName>,
    /// Hosts already named in the terminal.
    reported: Mutex<HashSet<String>>,
}

impl HostCheck {
    pub(super) fn new(allowed: Vec<AllowedName>) -> HostCheck {
        HostCheck {
            allowed,
            reported: Mutex::default(),
        }
    }

    /// The refused host as the user would type it, or `None` if the request may pass.
    /// Both the `Host` header and an absolute request URI's authority must be allowed.
    fn refused(&self, request: &Request) -> Option<String> {
        let Some(header) = request.headers().get(HOST) else {
            return Some(String::new());
        };
        let Ok(host) = header.to_str() else {
            return Some(String::from_utf8_lossy(header.as_bytes()).into_owned());
        };
        if !is_allowed(host, &self.allowed) {
            return Some(host.to_string());
        }
        let authority = request.uri().authority()?.as_str();
        (!is_allowed(authority, &self.allowed)).then(|| authority.to_string())
    }

    /// Says once per host name (whatever the port), in the terminal, what was refused
    /// and how to allow it.
    fn report(&self, host: &str) {
        let key = name_to_allow(host).unwrap_or_else(|| host.to_string());
        let mut reported = self.reported.lock().unwrap_or_else(PoisonError::into_inner);
        if reported.len() >= MAX_REPORTED || !reported.insert(key) {
            return;
        }
        eprintln!("{}", terminal_line(host));
        if reported.len() == MAX_REPORTED {
            eprintln!("refused {MAX_REPORTED} different hosts: the next ones are not named");
        }
    }
}

/// The name to pass to `--allow-host` for a refused host, if it is a well-formed name.
fn name_to_allow(host: &str) -> Option<String> {
    match parse_host(host)? {
        Host::Name(name) => Some(name),
        Host::Ip(_) => None,
    }
}

fn terminal_line(host: &str) -> String {
    if host.is_empty() {
        return "refused a request without a `Host` header".into();
    }
    let why = "only loopback addresses, IP addresses and localhost are answered \
               (a web page can point any name it controls at this machine: DNS rebinding)";
    match name_to_allow(host) {
        Some(name) => format!(
            "refused requests for host `{name}`: {why}. To allow this name, restart with `--allow-host {name}`"
        ),
        None => {
            let shown: String = host.chars().take(100).collect();
            format!("refused requests for the malformed host `{shown}`: {why}")
        }
    }
}

fn refusal_body(host: &str) -> String {
    if host.is_empty() {
        return "equipe serve: refused: the request has no Host header.\n".into();
    }
    let mut body = format!(
        "equipe serve: refused a request for host `{host}`.\n\
         Only loopback addresses (127.0.0.1, [::1]), IP addresses and localhost are answered, \
         because a web page can point a name it controls at this machine (DNS rebinding) and \
         read the site through it.\n"
    );
    if let Some(name) = name_to_allow(host) {
        body.push_str(&format!(
            "To allow this name, restart with: equipe serve --allow-host {name}\n"
        ));
    }
    body
}

/// The middleware: every route, the live-reload stream included, goes through it.
pub(super) async fn guard(
    State(check): State<Arc<HostCheck>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(host) = check.refused(&request) else {
        return next.run(request).await;
    };
    check.report(&host);
    let mut response = Response::new(Body::from(refusal_body(&host)));
    *response.status_mut() = StatusCode::FORBIDDEN;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(names: &[&str]) -> Vec<AllowedName> {
        names
            .iter()
            .map(|n| AllowedName::parse(n).expect("a name"))
            .collect()
    }

    #[test]
    fn loopback_ip_literals_and_localhost_are_answered() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:4800",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:4800",
            "localhost",
            "localhost:4800",
            "LocalHost.:4800",
            "app.localhost:4800",
            // Any IP literal: rebinding needs a name.
            "192.168.1.20:4800",
            "[fe80::1]:4800",
        ] {
            assert!(is_allowed(host, &[]), "{host}");
        }
    }

    #[test]
    fn other_names_and_malformed_hosts_are_refused() {
        for host in [
            "evil.example",
            "evil.example:4800",
            "localhost.evil.example",
            "evillocalhost",
            "127.0.0.1.evil.example",
            "",
            ":4800",
            "localhost:",
            "localhost:99999",
            "localhost:48a0",
            "user@localhost",
            "[::1",
            "[::1]4800",
            "[localhost]",
            "::1",
            "local host",
        ] {
            assert!(!is_allowed(host, &[]), "{host}");
        }
    }

    #[test]
    fn allowed_names_and_their_subdomains() {
        let names = allowed(&["Dev.Example.test", ".tunnel.test"]);
        assert!(is_allowed("dev.example.test:4800", &names));
        assert!(!is_allowed("x.dev.example.test", &names));
        assert!(is_allowed("tunnel.test", &names));
        assert!(is_allowed("abc.tunnel.test:443", &names));
        assert!(!is_allowed("eviltunnel.test", &names));
        assert!(!is_allowed("evil.example", &names));
        assert_eq!(AllowedName::parse("10.0.0.1"), None);
        assert_eq!(AllowedName::parse("bad name"), None);
        assert_eq!(AllowedName::parse(""), None);
        assert_eq!(
            AllowedName::parse("box.lan:4800"),
            AllowedName::parse("box.lan")
        );
    }

    #[test]
    fn the_messages_say_how_to_allow_the_name() {
        assert!(terminal_line("evil.example:4800").ends_with("`--allow-host evil.example`"));
        assert!(refusal_body("evil.example:4800").contains("--allow-host evil.example\n"));
        assert!(!terminal_line("user@evil").contains("--allow-host"));
        assert!(!refusal_body("::1").contains("--allow-host"));
    }
}
