//! `equipe serve`: the site on a local port, rebuilt on every save, with live reload.
//!
//! The shape, and why:
//!
//! - **Served from memory.** A rebuild renders the whole site in memory
//!   ([`equipe::render_site`], which writes nothing) and the server swaps the new set of
//!   files in at once, behind one lock. A reader never sees half a site, nothing is
//!   written to disk, and a failed rebuild simply does not swap: the last good site stays.
//!   Static files (images, downloads) are the exception: served from where they lie,
//!   read when asked for, so that a guide's hundreds of megabytes of images are not held
//!   in memory (the build knows each by its size and modification time).
//! - **No global state.** Everything the server knows is in [`Shared`], passed to the
//!   handlers and the rebuild thread (Zola's process-global `SERVE_ERROR` is what we avoid).
//! - **Live reload with Server-Sent Events** on `/__equipe/events`: one long GET per open
//!   tab, which browsers reconnect by themselves after a restart. The script that listens
//!   is a real file ([`live_reload`]), served at `/__equipe/live-reload.js`; the server
//!   adds the tag that loads it to HTML responses, so `build` output never contains it. The
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
//!
//! This module starts and stops the server; [`http`] answers requests, [`rebuild`] decides
//! what a save does, [`state`] is what they share and [`live_reload`] is the browser's side.

mod connections;
mod host_check;
mod http;
mod live_reload;
mod rebuild;
mod state;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use equipe::BuildOptions;
use equipe::diagnostics::Diagnostic;

use crate::cmd::watch::SiteWatcher;

use host_check::{AllowedName, HostCheck};
use state::Shared;

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
    let watcher = match SiteWatcher::new(&build_options.source, &build_options.output) {
        Ok(w) => w,
        Err(d) => {
            d.print();
            return ExitCode::from(1);
        }
    };
    let shared = Arc::new(Shared::new());
    shared.rebuild(&build_options, None);
    let spawned = rebuild::spawn(watcher, build_options, Arc::clone(&shared));
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
    let app = http::router(shared, check);
    tokio::select! {
        never = connections::accept_forever(listener, app) => match never {},
        _ = tokio::signal::ctrl_c() => {
            let _ = writeln!(std::io::stderr(), "stopped");
            ExitCode::SUCCESS
        }
    }
}
