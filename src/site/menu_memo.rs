//! Menu entries written once for the pages that show them alike.
//!
//! A guide's menu is on each of its pages, and most of its entries are written the same on
//! many of them: an entry that does not hold the page (neither leads to it nor holds an
//! entry that does) is written with no mark of the page, and its links are relative URLs,
//! which are the same from every page of a folder (see [`SeenFrom`]). The menu of a guide
//! of 165 pages was 6% of its build's instructions, written entry by entry on each page.
//! Each such entry's HTML is kept here the first time a page of a folder writes it, and
//! the folder's other pages copy it.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::hash::{FastMap, FastSet, hash_of};
use crate::site::Site;

/// The HTML of entries, by entry and by where they are seen from; made for one site (the
/// entries are known by their address in its navigation, which lives as long as it).
#[derive(Debug, Default)]
pub(crate) struct MenuMemo {
    written: Mutex<FastMap<(usize, u64), Written>>,
    /// See [`MenuMemo::shared`].
    shared: OnceLock<FastSet<u64>>,
}

/// An entry's HTML, and where it was written from.
#[derive(Debug)]
struct Written {
    folder: Box<str>,
    below: bool,
    lang: Box<str>,
    html: Arc<str>,
}

/// What an entry that does not hold the page is written from, besides itself: the folder
/// the page's links start from, seen from in it or from a folder below it, and the page's
/// language (links to pages of another language say theirs).
///
/// A relative URL from a page to another is made from the folders they share (see
/// `push_relative_url`). From a page whose file is in folder `F` (`en/a/b/index.html`,
/// `en/a/b.html`), it is the same from each page whose file is in `F` (the file's name has
/// no `/`). To any page outside `F`, it is the same from each page whose file is in a
/// folder just below `F`'s parent (`en/a/`): so a page alone in its folder
/// (`en/a/b/index.html`, with no pages below it) shares its entries with its siblings.
#[derive(Clone, Copy)]
pub(crate) struct SeenFrom<'a> {
    folder: &'a str,
    /// Seen from a folder below `folder`, rather than from in it.
    below: bool,
    lang: &'a str,
    key: u64,
}

impl<'a> SeenFrom<'a> {
    /// Where a page whose output path is `from` sees entries from.
    pub(crate) fn of(memo: &MenuMemo, site: &Site, from: &'a str, lang: &'a str) -> SeenFrom<'a> {
        let own = &from[..from.rfind('/').map_or(0, |i| i + 1)];
        let parent = own
            .strip_suffix('/')
            .map(|own| &own[..own.rfind('/').map_or(0, |i| i + 1)]);
        let (folder, below) = match parent {
            Some(parent) if !memo.shared(site).contains(&hash_of(own)) => (parent, true),
            _ => (own, false),
        };
        SeenFrom {
            folder,
            below,
            lang,
            key: hash_of(&(folder, below, lang)),
        }
    }
}

impl MenuMemo {
    /// The hashes of the folders that hold more than one page, the pages of folders below
    /// them counted (a hash's collision makes a folder alone look shared: its pages then
    /// share entries with the pages of their own folder only), listed when a menu first
    /// needs them.
    fn shared(&self, site: &Site) -> &FastSet<u64> {
        self.shared.get_or_init(|| {
            let mut pages: FastMap<&str, u32> = FastMap::default();
            let mut shared = FastSet::default();
            for p in &site.pages {
                let path = p.path.as_str();
                let own = path.rfind('/').map_or(0, |i| i + 1);
                *pages.entry(&path[..own]).or_default() += 1;
                for (i, _) in path[..own.saturating_sub(1)].match_indices('/') {
                    shared.insert(hash_of(&path[..=i]));
                }
            }
            shared.extend(
                pages
                    .into_iter()
                    .filter(|&(_, n)| n > 1)
                    .map(|(folder, _)| hash_of(folder)),
            );
            shared
        })
    }

    /// The HTML of `entry` as seen from `seen`, written by `write` the first time.
    pub(crate) fn html<T>(
        &self,
        entry: &T,
        seen: &SeenFrom<'_>,
        write: impl FnOnce() -> String,
    ) -> Arc<str> {
        let key = (std::ptr::from_ref(entry) as usize, seen.key);
        let lock = || self.written.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = lock().get(&key)
            && *w.folder == *seen.folder
            && w.below == seen.below
            && *w.lang == *seen.lang
        {
            return Arc::clone(&w.html);
        }
        // Written without the lock: an entry's own entries are looked up here too.
        let html: Arc<str> = write().into();
        // (Two folders of one hash: the second's is written each time, never kept.)
        lock().entry(key).or_insert_with(|| Written {
            folder: seen.folder.into(),
            below: seen.below,
            lang: seen.lang.into(),
            html: Arc::clone(&html),
        });
        html
    }
}
