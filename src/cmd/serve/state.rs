//! What the server holds at one moment and what it tells open pages: the state the
//! HTTP handlers and the rebuild thread share, with no global state (Zola's
//! process-global `SERVE_ERROR` is what we avoid).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::broadcast;

use equipe::Cache;
use equipe::diagnostics::{Diagnostic, Severity};

use crate::cmd::repeats::Repeats;

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
    pub(super) fn from_diagnostic(d: &Diagnostic) -> Problem {
        Problem {
            severity: d.severity,
            location: d.location(),
            message: d.message.clone(),
            text: d.render(false),
        }
    }
}

/// A file of the last good build: rendered, in memory; or a static file, read from where
/// it lies when it is asked for. Keeping those in memory held a guide's images there
/// (Adobe's Workfront guide: 468 MB of them, 730 MB for the server) and read them all
/// before the first page could be served.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum SiteFile {
    Memory(Bytes),
    Disk {
        source: PathBuf,
        len: u64,
        modified: SystemTime,
    },
}

/// What the server serves at one moment: swapped whole, never edited in place.
pub(super) struct Served {
    /// The last good build: output path (`fr/roles/x/index.html`) to its file. Empty
    /// until the first build succeeds.
    pub(super) files: Arc<HashMap<String, SiteFile>>,
    /// Counts good builds that changed something; 0 before the first one.
    pub(super) version: u64,
    /// The errors of the latest build, if it failed.
    pub(super) problems: Arc<Vec<Problem>>,
}

/// A message to every open page.
#[derive(Clone, Debug)]
pub(super) enum Notice {
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
    pub(super) notices: broadcast::Sender<Notice>,
    /// Tells this server process from the previous one, so pages reload after a restart.
    instance: String,
    /// What a rebuild keeps from the previous one (only the rebuild thread uses it).
    pub(super) cache: Mutex<Cache>,
    /// The warnings the last rebuild printed (see [`Repeats`]; the rebuild thread's too).
    pub(super) repeats: Mutex<Repeats>,
}

impl Shared {
    pub(super) fn new() -> Shared {
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
            repeats: Mutex::default(),
        }
    }

    pub(super) fn current(&self) -> Arc<Served> {
        match self.served.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub(super) fn replace(&self, served: Served) {
        let served = Arc::new(served);
        match self.served.write() {
            Ok(mut s) => *s = served,
            Err(poisoned) => *poisoned.into_inner() = served,
        }
    }

    pub(super) fn version_name(&self, version: u64) -> String {
        format!("{}-{version}", self.instance)
    }
}
