//! What a rebuild in `equipe serve` keeps from the previous one.
//!
//! A save changes one file; rebuilding the whole site would re-read, re-parse and
//! re-render thousands of pages for it. The cache keeps, from one rebuild to the next:
//!
//! - each content file's parsed page, reused while the file's size and mtime are the same
//!   (a file read again gets a new revision number, which the keys below use instead of
//!   hashing its text);
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

use std::path::PathBuf;

use crate::config::Config;
use crate::hash::hash_of;
use crate::{bodies, content, render, search};

/// Caches of one `serve` session: each stage's own.
#[derive(Default)]
pub struct Cache {
    /// The configuration the cached values were made with.
    config: Option<u64>,
    pub(crate) content: content::Cache,
    pub(crate) bodies: bodies::Cache,
    pub(crate) search: search::Cache,
    pub(crate) render: render::Cache,
    /// What the last rebuild reused, for the terminal and for tests.
    pub stats: Stats,
}

impl Cache {
    /// Empties the cache when the configuration changed: it decides how files are read
    /// (languages, typography) and what every page shows. Page revisions keep counting.
    pub(crate) fn forget_if_changed(&mut self, config: &Config) {
        let key = hash_of(config);
        if self.config != Some(key) {
            *self = Cache {
                config: Some(key),
                content: std::mem::take(&mut self.content).forget(),
                ..Cache::default()
            };
        }
    }

    /// Tells the next rebuild that, of the site's files, only these may have changed
    /// (paths relative to the site's folder), as the file watcher reported: it then
    /// checks the others' size and mtime no more. Without this, it checks every file.
    pub fn only_changed(&mut self, relative: impl IntoIterator<Item = PathBuf>) {
        self.content.only_changed(relative);
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_read: usize,
    pub bodies_rendered: usize,
    pub pages_rendered: usize,
}
