//! What a rebuild in `equipe serve` keeps from the previous one.
//!
//! A save changes one file; rebuilding the whole site would re-read, re-parse and
//! re-render thousands of pages for it. The cache keeps, from one rebuild to the next:
//!
//! - each content file's parsed page, reused while the file's size and mtime are the same;
//! - each page's rendered Markdown, reused while its body and every page's URL are the same
//!   (links in a body resolve to other pages' URLs);
//! - each rendered page, reused while the page's own text and everything the templates
//!   show of the other pages (titles, URLs, checklists, team links, UI strings, templates,
//!   assets) are the same.
//!
//! So a body edit re-parses one file and re-renders one page; a title edit, which every
//! page's navigation shows, re-renders every page, still without re-reading the others.
//! The cache holds values only; the pipeline decides what is still valid with the keys
//! below, computed from the inputs, never from timing.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::time::SystemTime;

use crate::content::Page;
use crate::markdown;

/// Caches of one `serve` session.
#[derive(Default)]
pub struct Cache {
    pub(crate) pages: HashMap<PathBuf, CachedPage>,
    pub(crate) bodies: HashMap<(String, String), CachedBody>,
    pub(crate) outputs: HashMap<String, (u64, Vec<u8>)>,
    /// What the last rebuild reused, for the terminal and for tests.
    pub stats: Stats,
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
    pub page: Page,
}

pub(crate) struct CachedBody {
    pub key: u64,
    pub rendered: markdown::Rendered,
}

/// A hash of anything hashable, for cache keys (stable within one process, which is all a
/// cache in memory needs).
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
