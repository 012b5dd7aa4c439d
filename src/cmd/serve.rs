//! `equipe serve`: the site on a local port, rebuilt on every save, with live reload.
//!
//! The shape, and why:
//!
//! - **Served from memory.** A rebuild renders the whole site in memory
//!   ([`equipe::render_site`], which writes nothing) and the server swaps the new set of
//!   files in at once, behind one lock. A reader never sees half a site, nothing is
//!   written to disk, and a failed rebuild simply does not swap: the last good site stays.
//! - **No global state.** Everything the server knows is in [`Shared`], passed to the
//!   handlers and the rebuild thread (Zola's process-global `SERVE_ERROR` is what we avoid).
//! - **Live reload with Server-Sent Events** on `/__equipe/events`: one long GET per open
//!   tab, which browsers reconnect by themselves after a restart. The script that listens
//!   is added to HTML responses by the server, so `build` output never contains it. The
//!   script knows the version of the build its page came from; the server greets each
//!   connection with the current version, so a page that missed a rebuild (or a server
//!   restart) reloads as soon as it reconnects.
//! - **Errors are shown, not fatal.** A failed rebuild prints every diagnostic, keeps the
//!   last good site, and sends the same messages to the browser, which draws an overlay;
//!   the next good build reloads the page, which removes it.
//!
//! - **Only for this machine's names.** Requests whose `Host` is not an IP address,
//!   `localhost` or a name given to `--allow-host` are refused ([`host_check`]: DNS
//!   rebinding), and a connection that does not send its request gets a few seconds
//!   ([`connections`]).
//!
//! The watcher runs on its own thread (notify's callbacks are synchronous, and rendering
//! uses rayon); the HTTP side is a small tokio runtime.

mod connections;
mod host_check;

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

use equipe::diagnostics::{Diagnostic, Severity};
use equipe::{BuildOptions, Cache, Rendered};

use crate::cmd::watch::{SiteWatcher, describe_change, relative_changes};

use host_check::{AllowedName, HostCheck};

/// Where the browser listens for rebuilds.
pub(super) const EVENTS_PATH: &str = "/__equipe/events";
/// The current version and errors as JSON, for tools and tests.
pub(super) const STATUS_PATH: &str = "/__equipe/status";

/// What `equipe serve` was asked to do.
#[derive(Clone, Debug)]
pub(super) struct ServeOptions {
    pub source: PathBuf,
    pub address: SocketAddr,
    pub open: bool,
    pub drafts: bool,
    /// Host names to answer besides loopback, IP addresses and `localhost` (`--allow-host`).
    pub allowed_hosts: Vec<String>,
}

/// One problem as the browser shows it: the same words as the terminal.
#[derive(Clone, Debug, serde::Serialize)]
pub(super) struct Problem {
    pub severity: Severity,
    /// `file:line:column`.
    pub location: String,
    pub message: String,
    /// The full terminal rendering, with the source snippet, without colors.
    pub text: String,
}

impl Problem {
    fn from_diagnostic(d: &Diagnostic) -> Problem {
        Problem {
            severity: d.severity,
            location: d.location(),
            message: d.message.clone(),
            text: d.render(false),
        }
    }
}

/// What the server serves at one moment: swapped whole, never edited in place.
struct Served {
    /// The last good build: output path (`fr/roles/x/index.html`) to bytes. Empty until
    /// the first build succeeds.
    files: Arc<HashMap<String, Bytes>>,
    /// Counts good builds that changed something; 0 before the first one.
    version: u64,
    /// The errors of the latest build, if it failed.
    problems: Arc<Vec<Problem>>,
}

/// A message to every open page.
#[derive(Clone, Debug)]
enum Notice {
    /// A new build is served: reload.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Stylesheets { version: String },
    /// The latest rebuild failed: show its errors.
    Problems(Arc<Vec<Problem>>),
}

/// The state the handlers and the rebuild thread share.
pub(super) struct Shared {
    served: RwLock<Arc<Served>>,
    notices: broadcast::Sender<Notice>,
    /// Tells this server process from the previous one, so pages reload after a restart.
    instance: String,
    /// What a rebuild keeps from the previous one (only the rebuild thread uses it).
    cache: Mutex<Cache>,
}

impl Shared {
    fn new() -> Shared {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Shared {
            served: RwLock::new(Arc::new(Served {
                files: Arc::new(HashMap::new()),
                version: 0,
                problems: Arc::new(Vec::new()),
            })),
            notices: broadcast::channel(16).0,
            instance: format!("{nanos:x}"),
            cache: Mutex::default(),
        }
    }

    fn current(&self) -> Arc<Served> {
        match self.served.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, served: Served) {
        let served = Arc::new(served);
        match self.served.write() {
            Ok(mut s) => *s = served,
            Err(poisoned) => *poisoned.into_inner() = served,
        }
    }

    fn version_name(&self, version: u64) -> String {
        format!("{}-{version}", self.instance)
    }

    /// Tells the next rebuild which files changed (see [`Cache::only_changed`]).
    pub(super) fn only_changed(&self, relative: Vec<PathBuf>) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.only_changed(relative);
    }

    /// Renders the site in memory and serves it if it built; otherwise prints and
    /// publishes the errors and keeps the last good site.
    pub(super) fn rebuild(&self, options: &BuildOptions) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let outcome = equipe::render_site(options, Some(&mut cache));
        let stats = cache.stats;
        drop(cache);
        outcome.diagnostics.print();
        let mut diagnostics = outcome.diagnostics;
        let ms = outcome.elapsed.as_millis();
        let files = match outcome.rendered {
            Some(rendered) if !diagnostics.has_errors() => match in_memory(rendered) {
                Ok(files) => Some(files),
                Err(d) => {
                    d.print();
                    diagnostics.push(*d);
                    None
                }
            },
            _ => None,
        };
        let previous = self.current();
        let Some(files) = files else {
            let problems: Vec<Problem> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(Problem::from_diagnostic)
                .collect();
            eprintln!(
                "rebuild failed: {} error(s); still serving the last good site",
                problems.len()
            );
            let problems = Arc::new(problems);
            self.replace(Served {
                files: Arc::clone(&previous.files),
                version: previous.version,
                problems: Arc::clone(&problems),
            });
            let _ = self.notices.send(Notice::Problems(problems));
            return;
        };
        let changed = changed_paths(&previous.files, &files);
        let had_problems = !previous.problems.is_empty();
        if changed.is_empty() && !had_problems {
            eprintln!("rebuilt in {ms} ms: no page changed");
            return;
        }
        let version = previous.version + 1;
        let css_only = !had_problems
            && previous.version > 0
            && !changed.is_empty()
            && changed.iter().all(|p| p.ends_with(".css"));
        self.replace(Served {
            files: Arc::new(files),
            version,
            problems: Arc::new(Vec::new()),
        });
        eprintln!(
            "rebuilt in {ms} ms: {} file(s) changed (read {} source file(s), rendered {} body(ies) and {} page(s))",
            changed.len(),
            stats.files_read,
            stats.bodies_rendered,
            stats.pages_rendered
        );
        let notice = if css_only {
            Notice::Stylesheets {
                version: self.version_name(version),
            }
        } else {
            Notice::Reload
        };
        // No open page is not an error.
        let _ = self.notices.send(notice);
    }
}

/// The rendered files and static files as one map, static files read into memory.
fn in_memory(rendered: Rendered) -> Result<HashMap<String, Bytes>, Box<Diagnostic>> {
    let mut files = HashMap::with_capacity(rendered.files.len() + rendered.statics.len());
    for s in &rendered.statics {
        let bytes = s.bytes.read().map_err(|e| {
            Box::new(Diagnostic::error(format!(
                "cannot read static file `{}`: {e}",
                s.path
            )))
        })?;
        files.insert(s.path.clone(), Bytes::from(bytes.into_owned()));
    }
    // Rendered pages win over static files of the same path, as in `build`'s output.
    for f in rendered.files {
        files.insert(f.path, f.bytes);
    }
    Ok(files)
}

/// Output paths added, removed or changed between two builds.
fn changed_paths(old: &HashMap<String, Bytes>, new: &HashMap<String, Bytes>) -> Vec<String> {
    // A file the rebuild reused is the same buffer: no need to compare its bytes.
    let same = |a: &Bytes, b: &Bytes| (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b;
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| !old.get(*path).is_some_and(|old| same(old, bytes)))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}

/// Runs `equipe serve` until Ctrl-C. Exit status 1 only for problems that stop the
/// server from starting (no site, port in use); content errors never stop it.
pub(super) fn serve(options: &ServeOptions) -> ExitCode {
    if let Some(hint) = equipe::missing_site_hint(&options.source) {
        hint.print();
        return ExitCode::from(1);
    }
    let allowed = match allowed_names(&options.allowed_hosts) {
        Ok(names) => names,
        Err(d) => {
            d.print();
            return ExitCode::from(1);
        }
    };
    let (listener, address) = match bind(options.address) {
        Ok(bound) => bound,
        Err(d) => {
            d.print();
            return ExitCode::from(1);
        }
    };
    let build_options = BuildOptions {
        drafts: options.drafts,
        // Stylesheets keep their names, so an edit can be swapped in without a reload.
        fingerprint: false,
        ..BuildOptions::new(&options.source)
    };
    // Watch before the first build, so that a save during it is not lost.
    let mut watcher = match SiteWatcher::new(&build_options.source, &build_options.output) {
        Ok(w) => w,
        Err(d) => {
            d.print();
            return ExitCode::from(1);
        }
    };
    let shared = Arc::new(Shared::new());
    shared.rebuild(&build_options);
    let rebuilder = Arc::clone(&shared);
    let spawned = std::thread::Builder::new()
        .name("equipe rebuild".into())
        .spawn(move || {
            while let Some(changed) = watcher.next_change() {
                eprintln!("{}", describe_change(&changed, &build_options.source));
                if let Some(relative) = relative_changes(&changed, &build_options.source) {
                    rebuilder.only_changed(relative);
                }
                rebuilder.rebuild(&build_options);
            }
        });
    if let Err(e) = spawned {
        Diagnostic::error(format!("cannot start the rebuild thread: {e}")).print();
        return ExitCode::from(1);
    }

    // With `--port 0` the system picked the port: say the one it picked.
    let url = display_url(address);
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.source.display()
    );
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can see the site",
            address.ip()
        );
    }
    if !options.allowed_hosts.is_empty() {
        eprintln!(
            "also answering for host(s): {}",
            options.allowed_hosts.join(", ")
        );
    }
    if options.open {
        open_browser(&url);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            Diagnostic::error(format!("cannot start the server: {e}")).print();
            return ExitCode::from(1);
        }
    };
    let check = Arc::new(HostCheck::new(allowed));
    let code = runtime.block_on(run_server(listener, shared, check));
    // SSE connections never end by themselves: do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

/// The `--allow-host` names, or an error naming the first one that is not a host name.
fn allowed_names(names: &[String]) -> Result<Vec<AllowedName>, Box<Diagnostic>> {
    names
        .iter()
        .map(|text| {
            AllowedName::parse(text).ok_or_else(|| {
                Box::new(
                    Diagnostic::error(format!("`--allow-host {text}` is not a host name"))
                        .with_help(
                            "pass a name such as `mybox.local` (or `.example.test` for it and its subdomains); IP addresses and localhost need no allowing",
                        ),
                )
            })
        })
        .collect()
}

/// Binds the port before anything else, so that a port in use is reported at once.
/// Returns the address really bound (the port the system chose for `--port 0`).
fn bind(address: SocketAddr) -> Result<(std::net::TcpListener, SocketAddr), Box<Diagnostic>> {
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        let d = Diagnostic::error(format!("cannot serve on {address}: {e}"));
        let d = match e.kind() {
            std::io::ErrorKind::AddrInUse => d.with_help(format!(
                "another program (or another `equipe serve`) uses port {}: pick another one with `--port`, for example `--port {}`",
                address.port(),
                address.port().wrapping_add(1).max(1024)
            )),
            std::io::ErrorKind::AddrNotAvailable => d.with_help(
                "this machine has no such address: pass one of its own with `--bind`, for example `--bind 127.0.0.1`",
            ),
            _ => d.with_help("pick another port with `--port` or another address with `--bind`"),
        };
        Box::new(d)
    })?;
    let cannot =
        |e: std::io::Error| Box::new(Diagnostic::error(format!("cannot serve on {address}: {e}")));
    listener.set_nonblocking(true).map_err(cannot)?;
    let bound = listener.local_addr().map_err(cannot)?;
    Ok((listener, bound))
}

fn display_url(address: SocketAddr) -> String {
    if address.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", address.port())
    } else {
        format!("http://{address}/")
    }
}

/// Tries the desktop's opener; the URL is printed anyway.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("could not start `{opener}`: open {url} in a browser");
    }
}

async fn run_server(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    check: Arc<HostCheck>,
) -> ExitCode {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            Diagnostic::error(format!("cannot serve: {e}")).print();
            return ExitCode::from(1);
        }
    };
    let app = router(shared, check);
    tokio::select! {
        never = connections::accept_forever(listener, app) => match never {},
        _ = tokio::signal::ctrl_c() => {
            let _ = writeln!(std::io::stderr(), "stopped");
            ExitCode::SUCCESS
        }
    }
}

fn router(shared: Arc<Shared>, check: Arc<HostCheck>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
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
            Some(bytes) => file_response(&path, bytes, StatusCode::OK, &script),
            None => not_found(&served.files, &script),
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
                Err(_) => not_found(&served.files, &script),
            }
        }
        Resolved::NotFound => not_found(&served.files, &script),
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
fn resolve(files: &HashMap<String, Bytes>, request_path: &str) -> Resolved {
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

fn not_found(files: &HashMap<String, Bytes>, script: &str) -> Response {
    match files.get("404.html") {
        Some(bytes) => file_response("404.html", bytes, StatusCode::NOT_FOUND, script),
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

fn set_headers(response: &mut Response, content_type: &'static str) {
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

/// Inserts `script` just before the last `</body>`, or at the end if there is none.
fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The live-reload client, for a page of the given build version.
fn reload_script(version: &str) -> String {
    RELOAD_SCRIPT
        .replace("__EQUIPE_VERSION__", version)
        .replace("__EQUIPE_EVENTS__", EVENTS_PATH)
}

const RELOAD_SCRIPT: &str = r#"<script data-equipe-live-reload>
(function () {
  var version = "__EQUIPE_VERSION__";
  var overlay = null;
  function show(problems) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!problems.length) return;
    overlay = document.createElement("div");
    overlay.id = "equipe-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(24,24,24,.95);color:#f2f2f2;padding:2em;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1em;font-size:1.2em;color:#ff8a80";
    title.textContent = "equipe: the last change did not build (" + problems.length +
      (problems.length > 1 ? " errors" : " error") + "); the page shows the last good version.";
    overlay.appendChild(title);
    problems.forEach(function (p) {
      var where = document.createElement("div");
      where.className = "equipe-error";
      where.style.cssText = "margin-top:1.2em;color:#ffd54f;font-weight:bold";
      where.textContent = (p.location ? p.location + ": " : "") + p.message;
      overlay.appendChild(where);
      var text = document.createElement("pre");
      text.style.cssText = "white-space:pre-wrap;margin:.4em 0 0";
      text.textContent = p.text;
      overlay.appendChild(text);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }
  function swapStylesheets(next) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (old) {
      var url = new URL(old.href, location.href);
      url.searchParams.set("equipe", next);
      var fresh = old.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { old.remove(); };
      old.after(fresh);
    });
  }
  var events = new EventSource("__EQUIPE_EVENTS__");
  events.addEventListener("hello", function (e) {
    if (JSON.parse(e.data).version !== version) location.reload();
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function (e) {
    version = JSON.parse(e.data).version;
    swapStylesheets(version);
  });
  events.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> HashMap<String, Bytes> {
        paths
            .iter()
            .map(|p| (p.to_string(), Bytes::from_static(b"x")))
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

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>bare", "<s>")).unwrap();
        assert_eq!(out, "<p>bare<s>");
    }

    #[test]
    fn the_script_knows_its_version_and_endpoint() {
        let script = reload_script("abc-3");
        assert!(script.contains("\"abc-3\""));
        assert!(script.contains("\"/__equipe/events\""));
        assert!(!script.contains("__EQUIPE_"));
    }

    #[test]
    fn changes_between_builds() {
        let old = files(&["a.html", "b.css", "gone.html"]);
        let mut new = files(&["a.html", "b.css", "new.html"]);
        new.insert("b.css".into(), Bytes::from_static(b"y"));
        assert_eq!(
            changed_paths(&old, &new),
            vec!["b.css".to_string(), "gone.html".into(), "new.html".into()]
        );
        assert!(changed_paths(&old, &old).is_empty());
    }
}
