//! What a rebuild in `equipe serve` keeps from the previous one.
//!
//! A save changes one file; rebuilding the whole site would re-read, re-parse and
//! re-render thousands of pages for it. The cache keeps, from one rebuild to the next:
//!
//! - each content file's parsed page, reused while the file's size and mtime are the same
//!   (a file read again gets a new revision number, which the keys below use instead of
//!   hashing its text);
//! - each page's rendered Markdown and search entry, reused while its file and every
//!   page's URL are the same (links in a body resolve to other pages' URLs);
//! - what every page shares in rendering (compiled templates, navigation, page summaries,
//!   team maps), and every output file (pages, checklist pages, `checklists.json`,
//!   sitemap...), reused while what the templates show of the site (titles, URLs,
//!   checklists, team links, UI strings, templates, assets) and, for a page, its own file
//!   are the same.
//!
//! So a body edit re-parses one file and re-renders one page; a title edit, which every
//! page's navigation shows, re-renders every page, still without re-reading the others.
//! Values are shared with the site being served (`Arc`, `Bytes`), not copied. The cache
//! holds values only; the pipeline decides what is still valid with keys computed from
//! the inputs, never from timing. A change of `site.yaml` empties it.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use ahash::AHasher;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use bytes::Bytes;

use crate::config::Config;
use crate::content::{Discovered, Page};
use crate::render::Prepared;
use crate::site::Body;

/// A map looked up for every page at every rebuild: aHash, not SipHash (no key comes
/// from an adversary).
pub type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// Caches of one `serve` session.
#[derive(Default)]
pub struct Cache {
    /// The configuration the cached pages were read with.
    config: Option<u64>,
    /// The last [`Page::revision`] given.
    revision: AtomicU64,
    /// The files the watcher saw change since the last rebuild, relative to the site's
    /// folder; `None` to check every file.
    pub(crate) changed: Option<HashSet<PathBuf>>,
    /// The last walk of `content/`.
    pub(crate) discovered: Option<Arc<Discovered>>,
    pub(crate) pages: FastMap<PathBuf, CachedPage>,
    /// Rendered bodies, by [`Body::key`].
    pub(crate) bodies: FastMap<u64, Arc<Body>>,
    pub(crate) outputs: FastMap<String, CachedOutput>,
    /// Search indexes, by path, with the key of their entries.
    pub(crate) indexes: FastMap<String, (u64, Bytes)>,
    /// What pages share in rendering, and the key of the site it was made for.
    pub(crate) prepared: Option<(u64, Arc<Prepared>)>,
    /// What the last rebuild reused, for the terminal and for tests.
    pub stats: Stats,
}

impl Cache {
    /// Empties the cache when the configuration changed: it decides how files are read
    /// (languages, typography).
    pub(crate) fn forget_if_changed(&mut self, config: &Config) {
        let key = hash_of(&format!("{config:?}"));
        if self.config != Some(key) {
            *self = Cache {
                config: Some(key),
                revision: AtomicU64::new(*self.revision.get_mut()),
                ..Cache::default()
            };
        }
    }

    /// Tells the next rebuild that, of the site's files, only these may have changed
    /// (paths relative to the site's folder), as the file watcher reported: it then
    /// checks the others' size and mtime no more. Without this, it checks every file.
    pub fn only_changed(&mut self, relative: impl IntoIterator<Item = PathBuf>) {
        self.changed = Some(relative.into_iter().collect());
    }

    /// A revision number no page of this session had.
    pub(crate) fn next_revision(&self) -> u64 {
        self.revision.fetch_add(1, Ordering::Relaxed) + 1
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_read: usize,
    pub bodies_rendered: usize,
    pub pages_rendered: usize,
}

pub(crate) struct CachedPage {
    pub len: u64,
    pub modified: SystemTime,
    pub page: Arc<Page>,
}

/// A rendered file, by output path.
pub(crate) struct CachedOutput {
    pub key: u64,
    pub bytes: Bytes,
    /// A page's `id`s, for links to its `#fragment`s.
    pub ids: Option<Arc<HashSet<String>>>,
}

/// A hash of anything hashable, for cache keys (stable within one process, which is all a
/// cache in memory needs). aHash rather than std's SipHash: keys hash every page's title,
/// URL and checklist at each rebuild, in many small writes, where SipHash took a sixth of
/// a 2,000-page rebuild.
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = AHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// [`hash_of`] a sequence, fed to the hasher item by item rather than collected first.
pub fn hash_all<T: Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    let mut h = AHasher::default();
    for item in items {
        item.hash(&mut h);
    }
    h.finish()
}
