//! The rebuild policy: what a save does to the served site and to open pages, and the
//! thread that waits for saves. A rebuild renders the whole site in memory and swaps it
//! in at once; a failed one keeps the last good site and publishes its errors; one that
//! changed only stylesheets asks pages to swap them instead of reloading.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};

use axum::body::Bytes;

use equipe::diagnostics::Diagnostic;
use equipe::{BuildOptions, Rendered, StaticBytes};

use crate::cmd::repeats::said_before;
use crate::cmd::watch::{SiteWatcher, describe_change, relative_changes};

use super::state::{Notice, Problem, Served, Shared, SiteFile};

impl Shared {
    /// Tells the next rebuild which files changed (see [`Cache::only_changed`]), or that
    /// any may have.
    pub(super) fn only_changed(&self, relative: Option<Vec<PathBuf>>) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        match relative {
            Some(relative) => cache.only_changed(relative),
            None => cache.every_file_may_have_changed(),
        }
    }

    /// Serves an edit of pages' text alone without a rebuild: each page's new body put in
    /// its served file (and its search entry in its index), as a build after such an edit
    /// does in the output folder (see [`equipe::edit_served`]). `false` if the site must
    /// be rebuilt: a changed file is not such a page, or the site shows errors.
    pub(super) fn edit_text(&self, options: &BuildOptions, relative: &[PathBuf]) -> bool {
        let start = std::time::Instant::now();
        let previous = self.current();
        if previous.version == 0 || !previous.problems.is_empty() {
            return false;
        }
        let served = |path: &str| match previous.files.get(path) {
            Some(SiteFile::Memory(bytes)) => Some(bytes.to_vec()),
            _ => None,
        };
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(edit) = equipe::edit_served(&mut cache, &options.source, relative, served) else {
            return false;
        };
        drop(cache);
        let mut files = (*previous.files).clone();
        let mut changed = 0;
        for (path, bytes) in edit.files {
            let file = SiteFile::Memory(Bytes::from(bytes));
            if files.get(&path) != Some(&file) {
                changed += 1;
                files.insert(path, file);
            }
        }
        let ms = start.elapsed().as_millis();
        if changed == 0 {
            eprintln!("rebuilt in {ms} ms: no page changed");
            return true;
        }
        let version = previous.version + 1;
        self.replace(Served {
            files: Arc::new(files),
            version,
            problems: Arc::new(Vec::new()),
        });
        eprintln!(
            "rebuilt in {ms} ms: {changed} file(s) changed (the text of {} page(s) alone, put in place)",
            edit.pages
        );
        let _ = self.notices.send(Notice::Reload);
        true
    }

    /// Serves a save of files the site copies as they are (an image) without a rebuild:
    /// the server reads them where they are, so that only what it knows of each (its size
    /// and time, which name its version) changes, and open pages reload. A rebuild took
    /// 82-96 ms on Adobe's Workfront guide. `false` if the site must be rebuilt: a changed
    /// file is not served as it is (a page, a template, an include, a stylesheet), or
    /// the site shows errors.
    pub(super) fn serve_copies(&self, options: &BuildOptions, relative: &[PathBuf]) -> bool {
        let start = std::time::Instant::now();
        let previous = self.current();
        if previous.version == 0 || !previous.problems.is_empty() || relative.is_empty() {
            return false;
        }
        let saved: HashSet<PathBuf> = relative.iter().map(|r| options.source.join(r)).collect();
        let mut files = (*previous.files).clone();
        let mut found = HashSet::new();
        for (path, file) in &mut files {
            if let SiteFile::Disk {
                source,
                len,
                modified,
            } = file
                && saved.contains(source)
            {
                let Some(metadata) = std::fs::metadata(&*source)
                    .ok()
                    .filter(std::fs::Metadata::is_file)
                else {
                    return false;
                };
                *len = metadata.len();
                let Ok(time) = metadata.modified() else {
                    return false;
                };
                *modified = time;
                found.insert((path.as_str(), source.as_path()));
            }
        }
        let sources: HashSet<&Path> = found.iter().map(|(_, source)| *source).collect();
        if sources.len() != saved.len() {
            return false;
        }
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if !equipe::served_as_they_are(&cache, found.iter().copied()) {
            return false;
        }
        drop(cache);
        let changed = found.len();
        self.replace(Served {
            files: Arc::new(files),
            version: previous.version + 1,
            problems: Arc::new(Vec::new()),
        });
        eprintln!(
            "rebuilt in {} ms: {changed} file(s) changed (served as they are, no page rendered)",
            start.elapsed().as_millis()
        );
        let _ = self.notices.send(Notice::Reload);
        true
    }

    /// Renders the site in memory and serves it if it built; otherwise prints and
    /// publishes the errors and keeps the last good site.
    pub(super) fn rebuild(&self, options: &BuildOptions, changed: Option<&[PathBuf]>) {
        let start = std::time::Instant::now();
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let outcome = equipe::render_site(options, Some(&mut cache));
        let stats = cache.stats.clone();
        drop(cache);
        let left_out = self
            .repeats
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .print(&outcome.diagnostics);
        let said_before = said_before(left_out);
        let mut diagnostics = outcome.diagnostics;
        let previous = self.current();
        let changed = changed_names(&options.source, changed);
        let files = match outcome.rendered {
            Some(rendered) if !diagnostics.has_errors() => {
                match site_files(rendered, &previous.files, changed.as_ref()) {
                    Ok(files) => Some(files),
                    Err(d) => {
                        d.print();
                        diagnostics.push(*d);
                        None
                    }
                }
            }
            _ => None,
        };
        // What a save costs to the new site, its static files looked at included.
        let ms = start.elapsed().as_millis();
        let Some(files) = files else {
            let problems: Vec<Problem> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(Problem::from_diagnostic)
                .collect();
            eprintln!(
                "rebuild failed: {} error(s); still serving the last good site{said_before}",
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
            eprintln!("rebuilt in {ms} ms: no page changed{said_before}");
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
            "rebuilt in {ms} ms: {} file(s) changed (read {} source file(s), rendered {} body(ies) and {} page(s)){said_before}",
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

/// The names of the files a save changed, if the watcher named each of them (paths in
/// the site's folder, `source`): a static file of another name kept its size and mtime.
/// `None`, to look at every file, when it did not say or named a folder (whose files it
/// may not have named).
fn changed_names(source: &Path, changed: Option<&[PathBuf]>) -> Option<HashSet<OsString>> {
    changed?
        .iter()
        .map(|p| {
            let name = p.file_name()?;
            (!source.join(p).is_dir()).then(|| name.to_os_string())
        })
        .collect()
}

/// The rendered files and static files as one map: a static file on disk by its path,
/// size and modification time, which also tell whether it changed. A static file of the
/// `previous` site whose name is not in `changed` (see [`changed_names`]) keeps what was
/// found of it: looking at each one again took a sixth of a rebuild of Adobe's Workfront
/// guide (11,520 images).
fn site_files(
    rendered: Rendered,
    previous: &HashMap<String, SiteFile>,
    changed: Option<&HashSet<OsString>>,
) -> Result<HashMap<String, SiteFile>, Box<Diagnostic>> {
    let mut files = HashMap::with_capacity(rendered.files.len() + rendered.statics.len());
    for s in rendered.statics {
        let file = match s.bytes {
            StaticBytes::Embedded(bytes) => SiteFile::Memory(Bytes::from_static(bytes)),
            StaticBytes::Disk(source)
                if let Some(changed) = changed
                    && source.file_name().is_some_and(|n| !changed.contains(n))
                    && let Some(kept @ SiteFile::Disk { source: was, .. }) =
                        previous.get(&s.path)
                    && *was == source =>
            {
                kept.clone()
            }
            StaticBytes::Disk(source) => {
                let cannot = |e: std::io::Error| {
                    Box::new(Diagnostic::error(format!(
                        "cannot read static file `{}`: {e}",
                        s.path
                    )))
                };
                let metadata = std::fs::metadata(&source).map_err(cannot)?;
                SiteFile::Disk {
                    len: metadata.len(),
                    modified: metadata.modified().map_err(cannot)?,
                    source,
                }
            }
        };
        files.insert(s.path, file);
    }
    // Rendered pages win over static files of the same path, as in `build`'s output.
    for f in rendered.files {
        files.insert(f.path, SiteFile::Memory(f.bytes));
    }
    Ok(files)
}

/// Output paths added, removed or changed between two builds.
fn changed_paths(old: &HashMap<String, SiteFile>, new: &HashMap<String, SiteFile>) -> Vec<String> {
    // A file the rebuild reused is the same buffer: no need to compare its bytes.
    let same = |a: &SiteFile, b: &SiteFile| match (a, b) {
        (SiteFile::Memory(a), SiteFile::Memory(b)) => {
            (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
        }
        (a, b) => a == b,
    };
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| !old.get(*path).is_some_and(|old| same(old, bytes)))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}

/// Starts the thread that rebuilds after each save, until the watcher stops.
pub(super) fn spawn(
    mut watcher: SiteWatcher,
    options: BuildOptions,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("equipe rebuild".into())
        .spawn(move || {
            while let Some(changed) = watcher.next_change() {
                eprintln!("{}", describe_change(&changed, &options.source));
                let relative = relative_changes(&changed, &options.source);
                if let Some(relative) = &relative
                    && (shared.edit_text(&options, relative)
                        || shared.serve_copies(&options, relative))
                {
                    continue;
                }
                shared.only_changed(relative.clone());
                shared.rebuild(&options, relative.as_deref());
            }
        })
        .map(drop)
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
    fn changes_between_builds() {
        let old = files(&["a.html", "b.css", "gone.html"]);
        let mut new = files(&["a.html", "b.css", "new.html"]);
        new.insert("b.css".into(), SiteFile::Memory(Bytes::from_static(b"y")));
        assert_eq!(
            changed_paths(&old, &new),
            vec!["b.css".to_string(), "gone.html".into(), "new.html".into()]
        );
        assert!(changed_paths(&old, &old).is_empty());
    }
}
