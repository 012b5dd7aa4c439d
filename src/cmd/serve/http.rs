//! The HTTP side: the routes, the site's files with clean URLs, the status as JSON and
//! the live-reload stream (Server-Sent Events).

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;

use super::host_check::{self, HostCheck};
use super::live_reload::{self, inject, reload_script};
use super::state::{Notice, Problem, Shared, SiteFile};

/// Where the browser listens for rebuilds.
pub(super) const EVENTS_PATH: &str = "/__equipe/events";
/// The current version and errors as JSON, for tools and tests.
pub(super) const STATUS_PATH: &str = "/__equipe/status";

pub(super) fn router(shared: Arc<Shared>, check: Arc<HostCheck>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
        .route(live_reload::SCRIPT_PATH, get(live_reload::script))
        .fallback(page)
        .with_state(shared)
        // Around everything, the live-reload stream and the 404s included.
        .layer(axum::middleware::from_fn_with_state(
            check,
            host_check::guard,
        ))
}

/// The live-reload stream: a greeting with the current version (and the current errors,
/// if any), then one event per rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so that no rebuild falls between the two.
    let receiver = shared.notices.subscribe();
    let served = shared.current();
    let mut first = VecDeque::new();
    first.push_back(
        Event::default()
            .event("hello")
            .retry(Duration::from_millis(500))
            .data(version_json(&shared.version_name(served.version))),
    );
    if !served.problems.is_empty() {
        first.push_back(problems_event(&served.problems));
    }
    let stream = futures_util::stream::unfold(
        (first, receiver, shared),
        |(mut first, mut receiver, shared)| async move {
            if let Some(event) = first.pop_front() {
                return Some((Ok(event), (first, receiver, shared)));
            }
            let event = match receiver.recv().await {
                Ok(Notice::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    Event::default().event("reload").data("{}")
                }
                Ok(Notice::Stylesheets { version }) => {
                    Event::default().event("css").data(version_json(&version))
                }
                Ok(Notice::Problems(problems)) => problems_event(&problems),
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(event), (first, receiver, shared)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn version_json(version: &str) -> String {
    serde_json::json!({ "version": version }).to_string()
}

fn problems_event(problems: &[Problem]) -> Event {
    let json = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
    Event::default().event("errors").data(json)
}

/// `{"version": "...", "errors": [...]}`.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let served = shared.current();
    let json = serde_json::json!({
        "version": shared.version_name(served.version),
        "built": served.version > 0,
        "errors": *served.problems,
    });
    let mut response = Response::new(Body::from(json.to_string()));
    set_headers(&mut response, "application/json");
    response
}

/// Every other GET: a file of the last good build.
async fn page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    let served = shared.current();
    let script = reload_script(&shared.version_name(served.version));
    if served.version == 0 {
        return not_built_yet(&script);
    }
    match resolve(&served.files, uri.path()) {
        Resolved::File(path) => match served.files.get(&path) {
            Some(file) => match bytes_of(file).await {
                Some(bytes) => file_response(&path, &bytes, StatusCode::OK, &script),
                None => not_found(&served.files, &script).await,
            },
            None => not_found(&served.files, &script).await,
        },
        Resolved::Redirect(location) => {
            let location = match uri.query() {
                Some(q) => format!("{location}?{q}"),
                None => location,
            };
            match HeaderValue::from_str(&location) {
                Ok(value) => {
                    let mut response = Response::new(Body::empty());
                    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
                    response.headers_mut().insert(LOCATION, value);
                    set_headers(&mut response, "text/plain; charset=utf-8");
                    response
                }
                Err(_) => not_found(&served.files, &script).await,
            }
        }
        Resolved::NotFound => not_found(&served.files, &script).await,
    }
}

/// How a request path maps onto the build's files.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(String),
    /// To the same path with a trailing slash (a folder asked without it); always a path
    /// on this site (one leading `/`).
    Redirect(String),
    NotFound,
}

/// Clean URLs: `/` and `/fr/roles/x/` are `index.html` files; `/fr/roles/x` redirects to
/// `/fr/roles/x/`; anything else is a file of that exact name.
fn resolve(files: &HashMap<String, SiteFile>, request_path: &str) -> Resolved {
    let Some(decoded) = percent_decode(request_path) else {
        return Resolved::NotFound;
    };
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|part| part == ".." || part == "." || part.contains('\\'))
    {
        return Resolved::NotFound;
    }
    if trimmed.is_empty() || trimmed.ends_with('/') {
        let index = format!("{trimmed}index.html");
        return if files.contains_key(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if files.contains_key(trimmed) {
        return Resolved::File(trimmed.to_string());
    }
    if files.contains_key(&format!("{trimmed}/index.html")) {
        // One leading slash, never two: `Location: //evil.example/x/` would send the
        // browser to another site (a backslash, which browsers read as a slash, was
        // refused above, escaped or not).
        return Resolved::Redirect(format!("/{}/", request_path.trim_start_matches('/')));
    }
    Resolved::NotFound
}

/// Decodes `%XX` escapes; `None` if they are malformed or not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
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

/// The bytes of a file of the build: a static file is read from disk now (one that is
/// gone since the build is not found).
async fn bytes_of(file: &SiteFile) -> Option<Bytes> {
    match file {
        SiteFile::Memory(bytes) => Some(bytes.clone()),
        SiteFile::Disk { source, .. } => {
            let source = source.clone();
            tokio::task::spawn_blocking(move || std::fs::read(source))
                .await
                .ok()?
                .ok()
                .map(Bytes::from)
        }
    }
}

async fn not_found(files: &HashMap<String, SiteFile>, script: &str) -> Response {
    let page = match files.get("404.html") {
        Some(file) => bytes_of(file).await,
        None => None,
    };
    match page {
        Some(bytes) => file_response("404.html", &bytes, StatusCode::NOT_FOUND, script),
        None => {
            let mut response = Response::new(Body::from("not found"));
            *response.status_mut() = StatusCode::NOT_FOUND;
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
    }
}

/// Before the first good build there is nothing to serve: a page that shows the errors
/// (through the same overlay) and reloads once the site builds.
fn not_built_yet(script: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>equipe: not built yet</title></head>\
         <body><p>The site has not built yet: fix the errors shown in the terminal and this page will reload.</p>{script}</body></html>"
    );
    let mut response = Response::new(Body::from(html));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    set_headers(&mut response, "text/html; charset=utf-8");
    response
}

fn file_response(path: &str, bytes: &Bytes, status: StatusCode, script: &str) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Bytes::from(inject(bytes, script))
    } else {
        bytes.clone()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    set_headers(&mut response, content_type);
    response
}

pub(super) fn set_headers(response: &mut Response, content_type: &'static str) {
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The `Content-Type` of an output file, by extension.
fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> HashMap<String, SiteFile> {
        paths
            .iter()
            .map(|p| (p.to_string(), SiteFile::Memory(Bytes::from_static(b"x"))))
            .collect()
    }

    #[test]
    fn clean_urls() {
        let f = files(&[
            "index.html",
            "fr/roles/chef-de-projet/index.html",
            "assets/style.css",
            "404.html",
        ]);
        assert_eq!(resolve(&f, "/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&f, "/fr/roles/chef-de-projet/"),
            Resolved::File("fr/roles/chef-de-projet/index.html".into())
        );
        assert_eq!(
            resolve(&f, "/fr/roles/chef-de-projet"),
            Resolved::Redirect("/fr/roles/chef-de-projet/".into())
        );
        assert_eq!(
            resolve(&f, "/assets/style.css"),
            Resolved::File("assets/style.css".into())
        );
        assert_eq!(resolve(&f, "/fr/roles/"), Resolved::NotFound);
        // Never a protocol-relative `//host/...` redirect.
        assert_eq!(
            resolve(&f, "//fr/roles/chef-de-projet"),
            Resolved::Redirect("/fr/roles/chef-de-projet/".into())
        );
        assert_eq!(
            resolve(&f, "///fr/roles/chef-de-projet"),
            Resolved::Redirect("/fr/roles/chef-de-projet/".into())
        );
        assert_eq!(
            resolve(&f, "/%2F%2Ffr/roles/chef-de-projet"),
            Resolved::Redirect("/%2F%2Ffr/roles/chef-de-projet/".into())
        );
        assert_eq!(
            resolve(&f, "/\\fr/roles/chef-de-projet"),
            Resolved::NotFound
        );
        assert_eq!(resolve(&f, "/nope"), Resolved::NotFound);
    }

    #[test]
    fn percent_escapes_and_dot_segments() {
        let f = files(&["fr/équipe/index.html", "a b.txt"]);
        assert_eq!(
            resolve(&f, "/fr/%C3%A9quipe/"),
            Resolved::File("fr/équipe/index.html".into())
        );
        assert_eq!(resolve(&f, "/a%20b.txt"), Resolved::File("a b.txt".into()));
        assert_eq!(resolve(&f, "/fr/../a%20b.txt"), Resolved::NotFound);
        assert_eq!(resolve(&f, "/%2e%2e/a%20b.txt"), Resolved::NotFound);
        assert_eq!(resolve(&f, "/%zz"), Resolved::NotFound);
        assert_eq!(resolve(&f, "/%5Cfr/%C3%A9quipe"), Resolved::NotFound);
        assert_eq!(resolve(&f, "/%"), Resolved::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("fr/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
