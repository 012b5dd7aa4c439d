//! Watching a site's sources and telling when to rebuild.
//!
//! Both `build --watch` and `serve` need the same thing: block until a save that matters
//! has happened, once per save, however the editor saved. notify (through the
//! `notify-debouncer-full` debouncer, which keeps event kinds and folds an editor's
//! rename-over-save into one event) reports file system events; this module decides which
//! of them are a change to the site:
//!
//! - only `site.yaml` and the source folders (`content/`, `static/`, `templates/`, `i18n/`,
//!   `themes/`) count, so the output folder, `target/` or `.git/` never trigger a build;
//! - `Access` events are dropped: on Linux reading a file emits one, so a build that
//!   reads `content/` would otherwise trigger the next build, forever;
//! - editor temporary files (`.swp`, `.swx`, `name~`, `.#name`, vim's `4913` probe, any
//!   hidden file) are not sources.
//!
//! The source folders are watched recursively (a watch on a single file is lost when an
//! editor renames over it), and the site root non-recursively, so that `site.yaml` and a
//! source folder created after start are seen too; `target/` and `public/` under the root
//! are never walked.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use equipe::diagnostics::Diagnostic;
use equipe::{BuildOptions, CONFIG_FILE, SOURCE_FOLDERS};

use super::repeats::Repeats;

/// How long a path must stay quiet before its events are reported. An editor's save is a
/// burst of a few events within a millisecond or two; this keeps save-to-page latency low.
/// Measured on the example site: 20 ms debounce + 10 ms settle gave a 47 ms median
/// save-to-page time, 15 ms + 4 ms about 15 ms less; 10 ms still leaves several times the
/// length of a vim, VS Code or JetBrains save (the serve and live-reload tests save each
/// way) and takes 5 ms more off every save.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(3);
/// Events of one save that reach us in separate batches (paths that went quiet on either
/// side of a tick) are merged if they arrive within this window: a little over one tick.
const SETTLE: Duration = Duration::from_millis(4);

/// Decides whether a file system event is a change to the site's sources.
#[derive(Clone, Debug)]
pub(super) struct ChangeFilter {
    source: PathBuf,
    output: PathBuf,
}

impl ChangeFilter {
    /// `source` and `output` should be absolute (as the paths in events are).
    pub(super) fn new(source: impl Into<PathBuf>, output: impl Into<PathBuf>) -> ChangeFilter {
        ChangeFilter {
            source: source.into(),
            output: output.into(),
        }
    }

    /// True if the event can change the built site.
    pub(super) fn is_change(&self, kind: &EventKind, paths: &[PathBuf], need_rescan: bool) -> bool {
        if need_rescan {
            // The kernel dropped events: we cannot know what changed.
            return true;
        }
        match kind {
            EventKind::Access(_)
            | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
            _ => paths.iter().any(|p| self.is_source(p)),
        }
    }

    /// True if the path is a site source: `site.yaml` or a file under a source folder,
    /// and not an editor's temporary file or inside the output folder.
    pub(super) fn is_source(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let Ok(relative) = path.strip_prefix(&self.source) else {
            return false;
        };
        let mut parts = relative.components();
        let Some(Component::Normal(first)) = parts.next() else {
            return false;
        };
        let Some(first) = first.to_str() else {
            return false;
        };
        if first == CONFIG_FILE {
            return parts.next().is_none();
        }
        if !SOURCE_FOLDERS.contains(&first) {
            return false;
        }
        !relative.components().any(|c| match c {
            Component::Normal(name) => is_editor_file(&name.to_string_lossy()),
            _ => true,
        })
    }
}

/// Editor leftovers and hidden files: vim's `.x.swp`, `.x.swx`, `x~` and its `4913`
/// write probe, emacs's `.#x` lock and `#x#` autosave, `.DS_Store`, `.git`.
fn is_editor_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Watches a site's sources; [`SiteWatcher::next_change`] blocks until they change.
pub(super) struct SiteWatcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    filter: ChangeFilter,
    /// Source folders watched so far (a folder created later is added when seen).
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `source`; `output` is ignored even if it is inside a source folder.
    pub(super) fn new(source: &Path, output: &Path) -> Result<SiteWatcher, Box<Diagnostic>> {
        let cannot = |e: &dyn std::fmt::Display| {
            Diagnostic::error(format!(
                "cannot watch `{}` for changes: {e}",
                source.display()
            ))
        };
        let source = std::fs::canonicalize(source).map_err(|e| cannot(&e))?;
        let output = match std::fs::canonicalize(output) {
            Ok(o) => o,
            Err(_) if output.is_absolute() => output.to_path_buf(),
            Err(_) => std::env::current_dir().unwrap_or_default().join(output),
        };
        let (sender, events) = mpsc::channel();
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), sender).map_err(|e| cannot(&e))?;
        let mut watcher = SiteWatcher {
            debouncer,
            events,
            filter: ChangeFilter::new(&source, output),
            watched: Vec::new(),
        };
        watcher
            .debouncer
            .watch(&source, RecursiveMode::NonRecursive)
            .map_err(|e| cannot(&e))?;
        watcher.watch_new_folders()?;
        Ok(watcher)
    }

    /// Adds a recursive watch on every source folder that exists and is not watched yet.
    fn watch_new_folders(&mut self) -> Result<(), Box<Diagnostic>> {
        for name in SOURCE_FOLDERS {
            let folder = self.filter.source.join(name);
            if folder.is_dir() && !self.watched.contains(&folder) {
                self.debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .map_err(|e| {
                        Box::new(Diagnostic::error(format!(
                            "cannot watch `{}` for changes: {e}",
                            folder.display()
                        )))
                    })?;
                self.watched.push(folder);
            }
        }
        // A watched folder that was deleted lost its watch: forget it, so that it is
        // watched again when it comes back.
        self.watched.retain(|f| f.is_dir());
        Ok(())
    }

    /// Blocks until the sources change; returns the changed source paths (empty when the
    /// watcher lost track and everything must be considered changed). `None` when the
    /// watcher stopped.
    pub(super) fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            let first = self.events.recv().ok()?;
            let mut changed = Vec::new();
            let mut relevant = self.collect(first, &mut changed);
            // Merge the rest of the same save, then drop what queued up meanwhile.
            loop {
                match self.events.recv_timeout(SETTLE) {
                    Ok(more) => relevant |= self.collect(more, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if relevant {
                if let Err(d) = self.watch_new_folders() {
                    d.print();
                }
                changed.sort();
                changed.dedup();
                return Some(changed);
            }
        }
    }

    /// Adds the batch's source paths to `changed`; true if the batch changes the site.
    fn collect(&self, batch: DebounceEventResult, changed: &mut Vec<PathBuf>) -> bool {
        match batch {
            Ok(events) => {
                let mut relevant = false;
                for event in events {
                    if self
                        .filter
                        .is_change(&event.kind, &event.paths, event.need_rescan())
                    {
                        relevant = true;
                        changed.extend(
                            event
                                .paths
                                .iter()
                                .filter(|p| self.filter.is_source(p))
                                .cloned(),
                        );
                    }
                }
                relevant
            }
            Err(errors) => {
                let mut stderr = std::io::stderr().lock();
                for e in errors {
                    let _ = writeln!(stderr, "warning: file watcher: {e}");
                }
                // An error may mean lost events: rebuild to be safe.
                true
            }
        }
    }
}

/// `equipe build --watch`: builds, then rebuilds into the output folder on every change
/// until interrupted. A failed build prints its errors and leaves the output as it was.
pub(super) fn build_and_watch(options: &BuildOptions) -> ExitCode {
    if let Some(hint) = equipe::missing_site_hint(&options.source) {
        hint.print();
        return ExitCode::from(1);
    }
    let mut watcher = match SiteWatcher::new(&options.source, &options.output) {
        Ok(w) => w,
        Err(d) => {
            d.print();
            return ExitCode::from(1);
        }
    };
    // A rebuild prints only the warnings the last build did not have.
    let mut repeats = Repeats::default();
    build_once(options, &mut repeats);
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        options.source.display()
    );
    while let Some(changed) = watcher.next_change() {
        eprintln!("{}", describe_change(&changed, &options.source));
        build_once(options, &mut repeats);
    }
    ExitCode::SUCCESS
}

fn build_once(options: &BuildOptions, repeats: &mut Repeats) {
    crate::cmd::build::report(options, &equipe::build(options), repeats);
}

/// The changed paths relative to the site's folder, for [`equipe::Cache::only_changed`];
/// `None` when the watcher could not tell which files changed.
pub(super) fn relative_changes(changed: &[PathBuf], source: &Path) -> Option<Vec<PathBuf>> {
    if changed.is_empty() {
        return None;
    }
    let source = std::fs::canonicalize(source).ok()?;
    changed
        .iter()
        .map(|p| p.strip_prefix(&source).ok().map(Path::to_path_buf))
        .collect()
}

/// "changed: content/roles/tester.fr.md" for the terminal.
pub(super) fn describe_change(changed: &[PathBuf], source: &Path) -> String {
    let source = std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(&source).unwrap_or(p).display().to_string())
        .collect();
    match names.len() {
        0 => "changed: (unknown files)".to_string(),
        1..=3 => format!("changed: {}", names.join(", ")),
        n => format!("changed: {}, ... ({n} files)", names[..3].join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};

    fn filter() -> ChangeFilter {
        ChangeFilter::new("/site", "/site/public")
    }

    fn change(kind: EventKind, path: &str) -> bool {
        filter().is_change(&kind, &[PathBuf::from(path)], false)
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));

    #[test]
    fn sources_are_changes() {
        assert!(change(WRITE, "/site/content/roles/tester.fr.md"));
        assert!(change(WRITE, "/site/site.yaml"));
        assert!(change(WRITE, "/site/templates/role.html"));
        assert!(change(WRITE, "/site/static/logo.svg"));
        assert!(change(WRITE, "/site/i18n/fr.yaml"));
        assert!(change(
            WRITE,
            "/site/themes/default/static/assets/style.css"
        ));
        assert!(change(
            EventKind::Create(CreateKind::File),
            "/site/content/new.md"
        ));
        assert!(change(
            EventKind::Remove(RemoveKind::File),
            "/site/content/old.md"
        ));
        assert!(change(
            EventKind::Create(CreateKind::Folder),
            "/site/content"
        ));
    }

    #[test]
    fn reads_are_not_changes() {
        let open = EventKind::Access(AccessKind::Open(notify::event::AccessMode::Read));
        assert!(!change(open, "/site/content/roles/tester.fr.md"));
        let close = EventKind::Access(AccessKind::Close(notify::event::AccessMode::Read));
        assert!(!change(close, "/site/site.yaml"));
        let atime = EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime));
        assert!(!change(atime, "/site/site.yaml"));
    }

    #[test]
    fn editor_files_are_not_sources() {
        for path in [
            "/site/content/roles/.tester.fr.md.swp",
            "/site/content/roles/.tester.fr.md.swx",
            "/site/content/roles/tester.fr.md~",
            "/site/content/roles/.#tester.fr.md",
            "/site/content/roles/#tester.fr.md#",
            "/site/content/roles/4913",
            "/site/content/.DS_Store",
            "/site/themes/default/.git/index",
        ] {
            assert!(!change(WRITE, path), "{path}");
        }
    }

    #[test]
    fn output_and_other_folders_are_not_sources() {
        for path in [
            "/site/public/fr/index.html",
            "/site/.public.equipe-new/fr/index.html",
            "/site/target/debug/equipe",
            "/site/README.md",
            "/site/site.yaml/x",
            "/elsewhere/content/a.md",
        ] {
            assert!(!change(WRITE, path), "{path}");
        }
        // An output folder inside a source folder (allowed for themes/ by the build).
        let f = ChangeFilter::new("/site", "/site/static/out");
        assert!(!f.is_change(&WRITE, &[PathBuf::from("/site/static/out/a.html")], false));
        assert!(f.is_change(&WRITE, &[PathBuf::from("/site/static/a.css")], false));
    }

    #[test]
    fn a_rename_counts_if_either_side_is_a_source() {
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        let paths = [
            PathBuf::from("/site/content/roles/.tester.fr.md.tmp"),
            PathBuf::from("/site/content/roles/tester.fr.md"),
        ];
        assert!(filter().is_change(&rename, &paths, false));
        let paths = [
            PathBuf::from("/site/content/roles"),
            PathBuf::from("/site/content/people"),
        ];
        assert!(filter().is_change(&rename, &paths, false));
    }

    #[test]
    fn lost_events_mean_a_rebuild() {
        assert!(filter().is_change(&EventKind::Other, &[], true));
        assert!(!filter().is_change(&EventKind::Other, &[], false));
    }

    #[test]
    fn describes_changes_relative_to_the_source() {
        let text = describe_change(
            &[PathBuf::from("/nonexistent-site/content/a.md")],
            Path::new("/nonexistent-site"),
        );
        assert_eq!(text, "changed: content/a.md");
    }

    #[test]
    fn watcher_reports_a_save_once_and_ignores_reads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/a.md"), "# A\n").unwrap();
        let mut watcher = SiteWatcher::new(root, &root.join("public")).unwrap();
        let (done, changes) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            while let Some(changed) = watcher.next_change() {
                if done.send(changed).is_err() {
                    break;
                }
            }
        });
        // Reading a file, and writing the output folder or an editor's swap file, is not
        // a change.
        std::fs::read(root.join("content/a.md")).unwrap();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "x").unwrap();
        std::fs::write(root.join("content/.a.md.swp"), "x").unwrap();
        assert!(changes.recv_timeout(Duration::from_millis(300)).is_err());
        // An atomic save (temp file renamed over) is one change.
        std::fs::write(root.join("content/a.md.tmp~"), "# B\n").unwrap();
        std::fs::rename(root.join("content/a.md.tmp~"), root.join("content/a.md")).unwrap();
        let changed = changes.recv_timeout(Duration::from_secs(5)).unwrap();
        let canonical = std::fs::canonicalize(root).unwrap();
        assert!(
            changed.contains(&canonical.join("content/a.md")),
            "{changed:?}"
        );
        assert!(changes.recv_timeout(Duration::from_millis(300)).is_err());
        // A source folder created after start is watched.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        assert!(changes.recv_timeout(Duration::from_secs(5)).is_ok());
        std::fs::write(root.join("templates/role.html"), "x").unwrap();
        let changed = changes.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            changed.contains(&canonical.join("templates/role.html")),
            "{changed:?}"
        );
        drop(changes);
        drop(thread);
    }
}
