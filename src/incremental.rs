//! What a rebuild in `equipe serve`, or a build with the build cache (see
//! `build_cache`), keeps from the previous one.
//!
//! A save changes one file; rebuilding the whole site would re-read, re-parse and
//! re-render thousands of pages for it. The cache keeps, from one rebuild to the next:
//!
//! - each content file's parsed page, reused while the file's size and mtime are the same
//!   (with a hash of its text, which the keys below use instead of hashing it again);
//! - each page's rendered Markdown and search entry, reused while its file and every
//!   page's URL and every file it includes are the same (links in a body resolve to
//!   other pages' URLs);
//! - what every page shares in rendering (compiled templates, navigation, UI strings,
//!   team maps), reused while the views it is made of hash the same;
//! - every output file (pages, checklist pages, `checklists.json`, sitemap...), reused
//!   while the value it is made from (its template's context, or the data it writes)
//!   hashes the same: keys by construction (see `render::views`), with no list of what
//!   a page depends on to keep up to date.
//!
//! So a body edit re-parses one file and re-renders one page; a title edit, which every
//! page's navigation shows, re-renders every page, still without re-reading the others.
//! Values are shared with the site being served (`Arc`, `Bytes`), not copied. The cache
//! holds values only; the pipeline decides what is still valid with keys computed from
//! the inputs, never from timing. A change of `site.yaml` empties it.
//!
//! A build keeps pages and bodies the same way, on disk between runs; instead of the
//! output files themselves it keeps their keys ([`Cache::written`]), and takes each file
//! whose key is the same from the previous output folder.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::body_ids::PageIds;
use crate::config::Config;
use crate::hash::{FastMap, hash_of};
use crate::output::{FileStamp, Staging};
use crate::{bodies, content, render, search};

/// Caches of one `serve` session, or of the builds of one output folder: each stage's
/// own. What a build keeps on disk is serialized (see `build_cache`); the rest is `serve`'s
/// alone.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Cache {
    /// The configuration the cached values were made with.
    config: Option<u64>,
    /// Its pages go to the build cache's file on their own (see `content::Cache::sink`).
    #[serde(skip)]
    pub(crate) content: content::Cache,
    /// Its bodies go to the build cache's file on their own too (see `bodies::Cache::sink`):
    /// it keeps only what their links were resolved against.
    pub(crate) bodies: bodies::Cache,
    /// The files of the output folder the last build made, by path (builds only).
    #[serde(with = "crate::chunked")]
    pub(crate) written: FastMap<String, Written>,
    /// Every file the last build put in the output folder, static files included: what
    /// a build that updates the folder in place removes if it no longer makes them (see
    /// [`crate::output::Staging::begin_update`]).
    pub(crate) outputs: Vec<String>,
    /// The key of each file this build is making, by path, and the ids of the pages
    /// other pages link `#fragments` of: [`Cache::written`] once they are in place, with
    /// their stamps (see [`Cache::finished_writing`]).
    #[serde(skip)]
    writing: Mutex<FastMap<String, (u64, Option<PageIds>)>>,
    /// How many files this build took from the previous output.
    #[serde(skip)]
    reused: AtomicUsize,
    #[serde(skip)]
    pub(crate) search: search::Cache,
    #[serde(skip)]
    pub(crate) render: render::Cache,
    /// What the last rebuild reused, for the terminal and for tests.
    #[serde(skip)]
    pub stats: Stats,
    /// `serve`'s records of its pages' bodies, for an edit of their text alone (see
    /// `body_edit::edit_served`), when its last rebuild succeeded.
    #[serde(skip)]
    pub(crate) records: Option<crate::edit_records::InMemory>,
}

/// A file of the output folder, as the build that made it left it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Written {
    /// The key of what it was made from (see `render::Keyed`).
    pub key: u64,
    /// Its size and mtime then: a file that no longer has them is made again.
    pub stamp: FileStamp,
    /// Its ids, if other pages linked `#fragments` of it: a build that keeps the file
    /// checks those links against them instead of reading the file back (at 20,000
    /// pages that link each other's sections, that reading was a tenth of a build after
    /// one edit).
    pub ids: Option<PageIds>,
}

impl Cache {
    /// Empties the cache when the configuration changed: it decides how files are read
    /// (languages, typography) and what every page shows.
    pub(crate) fn forget_if_changed(&mut self, config: &Config) {
        let key = hash_of(config);
        if self.config != Some(key) {
            // How this build keeps its bodies, where it writes its own cache, and the walk
            // made for it stay.
            let packed = self.bodies.packed;
            let sink = self.bodies.sink.take();
            let edits = self.bodies.edits.take();
            let pages_sink = self.content.sink.take();
            let walk = self.content.ahead.take();
            *self = Cache {
                config: Some(key),
                ..Cache::default()
            };
            self.bodies.packed = packed;
            self.bodies.sink = sink;
            self.bodies.edits = edits;
            self.content.sink = pages_sink;
            self.content.ahead = walk;
        }
    }

    /// Keeps the bodies packed, as a build writes them to disk (pages go there without
    /// their text, which the build lets go of as it renders each body).
    pub(crate) fn kept_on_disk(&mut self) {
        self.bodies.packed = true;
    }

    /// Whether the previous output's file at `path` was kept (left in place, or
    /// hard-linked into `staging`) to stand for one made from `key`: the last build
    /// recorded that key for it, and the file is still as that build left it.
    pub(crate) fn reuse(&self, staging: &Staging, path: &str, key: u64) -> bool {
        let reused = self
            .written
            .get(path)
            .is_some_and(|w| w.key == key && staging.reuse(path, w.stamp));
        if reused {
            self.reused.fetch_add(1, Ordering::Relaxed);
        }
        reused
    }

    /// How many files this build took from the previous output (see [`Cache::reuse`]).
    pub(crate) fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Notes that this build puts at `path` a file made from `key`.
    pub(crate) fn writing(&self, path: &str, key: u64) {
        self.writing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), (key, None));
    }

    /// Notes the ids of the page this build puts at `path` (after [`Cache::writing`]).
    pub(crate) fn writing_ids(&self, path: &str, ids: PageIds) {
        if let Some(entry) = self
            .writing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(path)
        {
            entry.1 = Some(ids);
        }
    }

    /// The ids the last build noted of the page at `path`, if it kept any.
    pub(crate) fn ids_of(&self, path: &str) -> Option<PageIds> {
        self.written.get(path)?.ids.clone()
    }

    /// This build's output is in place: its files, with the size and mtime `stamps` gives
    /// each, are what the next build will find.
    pub(crate) fn finished_writing(&mut self, stamps: &FastMap<String, FileStamp>) {
        let writing = std::mem::take(
            self.writing
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        self.outputs = stamps.keys().cloned().collect();
        self.written = writing
            .into_iter()
            .filter_map(|(path, (key, ids))| {
                let stamp = *stamps.get(&path)?;
                Some((path, Written { key, stamp, ids }))
            })
            .collect();
    }

    /// Tells the next rebuild that, of the site's files, only these may have changed
    /// (paths relative to the site's folder), as the file watcher reported: it then
    /// checks the others' size and mtime no more. Without this, it checks every file.
    pub fn only_changed(&mut self, relative: impl IntoIterator<Item = PathBuf>) {
        self.content.only_changed(relative);
    }

    /// Tells the next rebuild to look at every file (the watcher lost events).
    pub fn every_file_may_have_changed(&mut self) {
        self.content.every_file();
    }

    /// Notes files whose edit `serve` applied without a rebuild (see
    /// `body_edit::edit_served`): the next rebuild reads them again, whatever the watcher
    /// names then and whatever their size and mtime say (its pages are as they were).
    pub(crate) fn edited_alone(&mut self, files: &[PathBuf]) {
        self.content.read_again(files.iter().cloned());
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_read: usize,
    pub bodies_rendered: usize,
    pub pages_rendered: usize,
    /// The output files rendered again (their keys changed), pages or not, by path.
    pub files_rendered: Vec<String>,
}
