//! Content loading: `content/` on disk -> typed [`Page`]s.
//!
//! The stage reads every Markdown file in parallel, checks that it is UTF-8, splits and
//! parses its front matter and decides its title, kind and slug. It knows nothing of URLs
//! or HTML: that is the site and markdown stages' work.

mod extra;
mod front_matter;
mod source;
mod suggest;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use rayon::prelude::*;

pub(crate) use extra::Extra;
pub(crate) use front_matter::{ChecklistEntry, Kind, near_miss};
pub(crate) use source::{Discovered, SourceFile, discover, discover_cached, display_path};
pub(crate) use suggest::closest;

use crate::cache_store::{Appender, Kept, Place, Store};
use crate::checklist_item::{ChecklistItem, ItemIds};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::hash::{FastMap, FastSet, hash_bytes, hash_of};
use crate::text::{decode, decode_entities};
use crate::typography::Typography;

/// One content file in one language, parsed. Kept in the build cache without its text,
/// which is read again when a diagnostic or a body needs it (see [`Page::source`]).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub file: SourceFile,
    /// The whole file text (LF line endings), until a build lets it go.
    #[serde(skip)]
    pub(crate) text: Text,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub lang: String,
    /// Translation key: shared by the translations of one page.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub key: String,
    pub kind: Kind,
    /// First folder of the key (`roles`), if any.
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub section: Option<String>,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub title: String,
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub description: Option<String>,
    /// What Adobe's front matter says of how the page shows (see [`Adobe`]).
    pub adobe: Adobe,
    /// Last URL segment.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub slug: String,
    /// Output path, relative to the site root: `fr/roles/chef-de-projet/index.html`.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub output: String,
    pub weight: i64,
    pub draft: bool,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub responsibilities: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub skills: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub works_with: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub depends_on: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub risks: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub contact: Option<String>,
    /// `onboarding` of a role or `checklist` of a team, from the front matter.
    pub checklist: Vec<ChecklistItem>,
    #[serde(with = "crate::json_text")]
    pub extra: Extra,
    /// Markdown body and the file line it starts at.
    pub body_start: usize,
    pub body_line: usize,
    /// A hash of the file's text (0 for a generated page): later stages key on it rather
    /// than hash the text again, in `serve`'s rebuilds and in the build cache.
    pub source_hash: u64,
    /// A hash of its front matter (see [`front_hash`]), for the stamp.
    pub front_hash: u64,
}

/// What Adobe's front matter says of how a page shows, read from the keys left in
/// `extra` (as a template sees it: `page.seo`, `page.badges`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Adobe {
    /// What the page's `<title>` and meta description say instead of its title and
    /// description (`seo-title`, `seo-description`), as Experience League shows them:
    /// `Adobe Commerce Payments Services Guide` where the page's heading is `Payment
    /// Services Guide overview`.
    pub seo: Seo,
    /// Badges by its title (`badgePremium: label="Premium" …`, any key starting with
    /// `badge`), in the order of their keys.
    pub badges: Vec<crate::markdown::afm::FrontBadge>,
}

/// See [`Adobe::seo`].
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Seo {
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub title: Option<String>,
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub description: Option<String>,
}

impl Adobe {
    /// From the front matter's keys left in `extra`, texts read as the title and the
    /// description are.
    fn of(extra: &Extra) -> Adobe {
        let text = |key: &str| {
            extra
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(|t| crate::markdown::afm::front_text(&inline_text(t)))
                .filter(|t| !t.is_empty())
        };
        Adobe {
            seo: Seo {
                title: text("seo-title"),
                description: text("seo-description"),
            },
            badges: keyed_badges(extra).map(|(_, badge)| badge).collect(),
        }
    }
}

/// The badges of a front matter's keys left in `extra` (any key starting with `badge`),
/// each with its key, in the order of their keys.
pub(crate) fn keyed_badges(
    extra: &Extra,
) -> impl Iterator<Item = (&str, crate::markdown::afm::FrontBadge)> {
    extra
        .keys()
        .filter(|k| k.starts_with("badge"))
        .filter_map(|k| {
            Some((
                k,
                crate::markdown::afm::front_matter_badge(extra.get(k)?.as_str()?)?,
            ))
        })
}

/// A page's file text. The build cache and the site share each page, and a build lets
/// the text go once the page's body is rendered ([`Page::release_text`]): shared, the
/// page is not copied for the cache without its text (half of what parsed pages take,
/// some 80 MB at 20,000 pages), and texts and rendered bodies are not all in memory at
/// once.
#[derive(Default)]
pub(crate) struct Text {
    held: Mutex<Arc<str>>,
    /// Read again for diagnostics once the page let go of it (see [`Page::source`]): a
    /// page with nine broken anchors was read and decoded nine times.
    reread: OnceLock<Arc<str>>,
}

impl Text {
    fn held(&self) -> Arc<str> {
        Arc::clone(&self.held.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Clone for Text {
    fn clone(&self) -> Text {
        Text {
            held: Mutex::new(self.held()),
            reread: self.reread.clone(),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.held().len())
    }
}

impl Page {
    /// Adobe's `hide: yes`: the page is built and reachable by its URL, but left out of
    /// search, the sitemap and search engines' indexes (its `hidefromtoc: yes` leaves it
    /// out of menus).
    pub fn is_hidden(&self) -> bool {
        self.extra.hides_page()
    }

    /// The deepest heading level its table of contents lists, if its front matter says:
    /// Adobe's `mini-toc-levels: N` (Experience League's "On this page" panel), N levels
    /// below the title (1 to 5; 2 by default there, as here). In a guide's `TOC.md`, it
    /// is the guide's pages' (metadata passes from `TOC.md` to the guide's articles).
    pub fn toc_depth(&self) -> Option<u8> {
        let levels = match self.extra.get("mini-toc-levels")? {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }?;
        Some(1 + levels.clamp(1, 5) as u8)
    }

    /// The Markdown after the front matter in `source` (this page's [`Page::source`]).
    pub fn body_of<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.body_start..).unwrap_or_default()
    }

    /// The file's text, for a diagnostic's snippet or a body: read again (once) if a
    /// build let it go (see [`Page::release_text`]) or the page came from the build cache,
    /// which keeps pages without their text.
    pub fn source(&self) -> Arc<str> {
        let held = self.text.held();
        if !held.is_empty() || self.file.path.as_os_str().is_empty() {
            return held;
        }
        if let Some(text) = self.text.reread.get() {
            return Arc::clone(text);
        }
        match std::fs::read(&self.file.path).map(decode) {
            Ok(Ok(text)) => Arc::clone(self.text.reread.get_or_init(|| Arc::from(text))),
            _ => held,
        }
    }

    /// Takes the file's text out of the page: a one-off build needs it no more once the
    /// body is rendered, and letting each go as its body is done keeps texts and rendered
    /// bodies from all being in memory at once.
    pub fn release_text(&self) -> Arc<str> {
        std::mem::take(
            &mut *self
                .text
                .held
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Keeps a released text for the diagnostics to come, rather than have it read again
    /// for each of them.
    pub fn keep_for_diagnostics(&self, text: Arc<str>) {
        let _ = self.text.reread.set(text);
    }

    /// Line of a front matter key, for messages (the text is read again if the page let
    /// go of it).
    pub fn line_of(&self, key: &str) -> Option<usize> {
        let source = self.source();
        front_matter::key_line(&front_matter::split(&source).ok()?, key)
    }

    /// A diagnostic pointing at this page, at a front matter key's line if known.
    pub fn diagnostic_at_key(&self, d: Diagnostic, key: &str) -> Diagnostic {
        let d = d.in_file(&self.file.display).with_source(self.source());
        match self.line_of(key) {
            Some(line) => d.at(line, 1),
            None => d,
        }
    }

    /// Where the page's checklist items are written, found once for all the messages
    /// about them (see [`ChecklistPlaces`]).
    pub fn checklist_places(&self) -> ChecklistPlaces<'_> {
        let front = self.places_of(&["onboarding", "checklist"]);
        let body = front.source.get(self.body_start..).unwrap_or_default();
        // The body's lines as `str::lines` cuts them, each with its offset in the source.
        let mut at = self.body_start;
        let tasks = body
            .split_inclusive('\n')
            .enumerate()
            .filter_map(|(n, whole)| {
                let start = at;
                at += whole.len();
                let l = whole.strip_suffix('\n').unwrap_or(whole);
                let l = l.strip_suffix('\r').unwrap_or(l);
                let (_, after) = ["[ ]", "[x]", "[X]"].iter().find_map(|b| l.split_once(b))?;
                let column = l.len() - l.trim_start().len() + 1;
                let from = start + l.len() - after.len();
                Some((self.body_line + n, column, from..start + l.len()))
            })
            .collect();
        ChecklistPlaces { front, tasks }
    }

    /// Where the items of the front matter list `key` are written, found once for all the
    /// messages about them (each message found them all again: 20,000 unknown names in a
    /// `works_with` took 25 s).
    pub fn item_places(&self, key: &str) -> ItemPlaces<'_> {
        self.places_of(&[key])
    }

    /// Where the items of the front matter lists `keys` are written, one list after the
    /// other.
    fn places_of(&self, keys: &[&str]) -> ItemPlaces<'_> {
        let source = self.source();
        ItemPlaces {
            page: self,
            places: ListPlaces::of(&source, keys),
            source,
        }
    }
}

/// Where a page's front matter list items are written (see [`Page::item_places`]).
pub struct ItemPlaces<'p> {
    page: &'p Page,
    source: Arc<str>,
    places: ListPlaces,
}

impl ItemPlaces<'_> {
    /// A diagnostic about item `index`, with its caret on the item itself (flow or block
    /// style), else on the key's line.
    pub fn at(&self, d: Diagnostic, index: usize) -> Diagnostic {
        let d = d
            .in_file(&self.page.file.display)
            .with_source(Arc::clone(&self.source));
        self.places.at(d, index)
    }
}

/// Where the items of front matter lists are written, read one list after the other.
struct ListPlaces {
    /// Each item's line and column.
    items: Vec<(usize, usize)>,
    /// The line of the first of the lists' keys the front matter has.
    key_line: Option<usize>,
}

impl ListPlaces {
    fn of(source: &str, keys: &[&str]) -> ListPlaces {
        let Ok(split) = front_matter::split(source) else {
            return ListPlaces {
                items: Vec::new(),
                key_line: None,
            };
        };
        ListPlaces {
            items: keys
                .iter()
                .flat_map(|key| front_matter::list_item_positions(&split, key))
                .collect(),
            key_line: keys
                .iter()
                .find_map(|key| front_matter::key_line(&split, key)),
        }
    }

    /// `d` with its caret on item `index`, else on the key's line.
    fn at(&self, d: Diagnostic, index: usize) -> Diagnostic {
        match self
            .items
            .get(index)
            .copied()
            .or_else(|| self.key_line.map(|line| (line, 1)))
        {
            Some((line, column)) => d.at(line, column),
            None => d,
        }
    }
}

/// Where a page's checklist items are written, for messages about them: a page with
/// thousands of items with the same id had each message find them all again (front matter
/// split, lists read, body gone through), 73 s for 50,000 items.
pub struct ChecklistPlaces<'p> {
    /// Each item of the front matter's `onboarding:` list, then of its `checklist:` one.
    front: ItemPlaces<'p>,
    /// Each body line with a task's box: its line, its column and where what follows the
    /// box is in the source.
    tasks: Vec<(usize, usize, std::ops::Range<usize>)>,
}

impl ChecklistPlaces<'_> {
    /// A diagnostic about item `index` of the page's front matter checklist: its
    /// `onboarding:` items, then its `checklist:` ones; at the item (flow or block
    /// style), else at the key's line.
    pub fn at_front_item(&self, d: Diagnostic, index: usize) -> Diagnostic {
        self.front.at(d, index)
    }

    /// A diagnostic about the task list item of the body whose text is `text`, the one
    /// after `before` others with that text: at the first line that has it after a task's
    /// box (`[ ]`, `[x]`), else at the file.
    pub fn at_task(&self, d: Diagnostic, text: &str, before: usize) -> Diagnostic {
        let ItemPlaces { page, source, .. } = &self.front;
        let line = self
            .tasks
            .iter()
            .filter(|(_, _, after)| source[after.clone()].contains(text))
            .nth(before);
        let d = d.in_file(&page.file.display);
        match line {
            Some((line, column, _)) => d.with_source(Arc::clone(source)).at(*line, *column),
            None => d,
        }
    }
}

/// A file's size and mtime: when both are the same, its page is the same.
type FileStamp = (u64, std::time::SystemTime);

/// A page read, or why it could not be.
type Loaded = Result<Arc<Page>, Diagnostic>;

/// The site's content: pages, and the other files beside them.
pub(crate) struct Content {
    /// Shared with `serve`'s cache, which keeps them between rebuilds.
    pub pages: Vec<Arc<Page>>,
    /// Files in `content/` that are not pages, copied to the same place in the output.
    pub files: Vec<crate::files::StaticFile>,
    /// Page files that could not be read or parsed (each already an error): the pages
    /// that name them are not reported again.
    pub unreadable: Vec<SourceFile>,
    /// Page files that could not be read or parsed now, in [`Content::pages`] as they
    /// last were (see [`read_with_cache`]). Their error stands: the build fails.
    pub stand_ins: Vec<SourceFile>,
}

/// What a rebuild keeps of the content: the last walk of `content/` and each file's page,
/// reused while the file's size and mtime are the same. The build cache keeps the pages
/// (see [`Cache::sink`]).
#[derive(Default)]
pub(crate) struct Cache {
    /// The files the watcher saw change since the last rebuild, relative to the site's
    /// folder; `None` to check every file.
    changed: Option<FastSet<OsString>>,
    /// Files to read whatever their size and mtime say, relative to the site's folder:
    /// `serve` put their edit in place without a rebuild, and their pages here are as
    /// they were before it (an edit within one tick of a coarse clock keeps both).
    read_again: FastSet<OsString>,
    discovered: Option<Arc<Discovered>>,
    /// This run's own walk of `content/`, made beforehand (see [`Cache::walked_ahead`]),
    /// with the hash of the configuration it was made with.
    pub(crate) ahead: Option<(u64, Discovered)>,
    pub(crate) pages: Pages,
    /// How many files the last run read (the others' pages were reused).
    pub files_read: usize,
    /// Where a build sends this run's pages once they are read (the build cache's file,
    /// see `build_cache`), to be written while the later stages run rather than at the
    /// end of the build, when nothing else is left to do.
    pub sink: Option<PagesSink>,
}

/// Each content file's parsed page, by path, as the build cache keeps them. Keyed by the
/// path's bytes: a `Path` hashes component by component, and the map is looked up for
/// each of the site's files at each build (1.5% of a build's instructions after one edit
/// at 20,000 pages, with the set of files that changed).
#[derive(Default)]
pub(crate) struct Pages(FastMap<OsString, CachedPage>);

impl Pages {
    /// Writes them as [`Pages::read`] reads them back: each page's bytes (its path and
    /// the rest, serialized) in `store`, and where they are there to `out`. A page read
    /// from the last build's cache is named where it is in the store if this build
    /// appends to that store, else written as the bytes it was read from (serializing
    /// the 20,000 pages again was 6% of a build after one edit); the others serialized.
    pub(crate) fn write_to(
        &self,
        out: &mut impl std::io::Write,
        store: &mut Appender,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let mut places = Vec::with_capacity(self.0.len());
        for entry in &self.0 {
            let place = match &entry.1.raw {
                Some(raw) => store.put(raw, entry.1.kept)?,
                None => store.put(&postcard::to_stdvec(&(Path::new(entry.0), entry.1))?, None)?,
            };
            places.push(place);
        }
        postcard::to_io(&places, out)?;
        Ok(())
    }

    /// The pages [`Pages::write_to`] named at the start of `at`, each keeping its bytes in
    /// `store` (checked on every core), with the size of those bytes; and the bytes after
    /// them. `None` if one is not in the store or does not read back.
    pub(crate) fn read<'b>(store: &Store, at: &'b [u8]) -> Option<(Pages, u64, &'b [u8])> {
        let (places, after) = postcard::take_from_bytes::<Vec<Place>>(at).ok()?;
        let pages = places
            .par_iter()
            .map(|&place| {
                let (bytes, kept) = store.get(place)?;
                let (path, mut cached) =
                    postcard::from_bytes::<(PathBuf, CachedPage)>(&bytes).ok()?;
                cached.raw = Some(bytes);
                cached.kept = Some(kept);
                Some((path.into_os_string(), cached))
            })
            .collect::<Option<Vec<_>>>()?;
        let live = pages
            .iter()
            .map(|(_, c)| c.kept.map_or(0, |k| k.place.len()))
            .sum();
        Some((Pages(pages.into_iter().collect()), live, after))
    }
}

/// Takes a build's parsed pages for the build cache's file.
pub(crate) type PagesSink = Arc<dyn Fn(Pages) + Send + Sync>;

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPage {
    len: u64,
    modified: SystemTime,
    page: Arc<Page>,
    /// The bytes of this entry (its path and the rest) in the store of the build cache it
    /// was read from (see `cache_store`): what the next cache writes for it, unchanged.
    #[serde(skip)]
    raw: Option<bytes::Bytes>,
    /// Where those bytes are in that store.
    #[serde(skip)]
    kept: Option<Kept>,
}

impl Cache {
    /// Gives the next run the walk of `content/` (see [`discover`]) made for it, with
    /// `config`, while something else ran: a build walks the folder while it reads its
    /// cache. The run uses it if its own configuration is the same.
    pub(crate) fn walked_ahead(&mut self, config: &Config, found: Discovered) {
        self.ahead = Some((hash_of(config), found));
    }

    /// Tells the next run that, of the site's files, only these may have changed (paths
    /// relative to the site's folder): it then checks the others' size and mtime no more.
    pub(crate) fn only_changed(&mut self, relative: impl IntoIterator<Item = PathBuf>) {
        // Added to what the last run did not read: one that stopped before the content
        // (a broken `site.yaml`) leaves its files to the next.
        match &mut self.changed {
            Some(changed) => changed.extend(relative.into_iter().map(PathBuf::into_os_string)),
            None => {
                self.changed = Some(relative.into_iter().map(PathBuf::into_os_string).collect());
            }
        }
    }

    /// Tells the next run to look at every file.
    pub(crate) fn every_file(&mut self) {
        self.changed = None;
    }

    /// Tells the next run to read these files whatever their size and mtime say (see the
    /// field of that name).
    pub(crate) fn read_again(&mut self, relative: impl IntoIterator<Item = PathBuf>) {
        self.read_again
            .extend(relative.into_iter().map(PathBuf::into_os_string));
    }
}

/// Reads the pages whose file changed since `cache` saw it and takes the others from it;
/// leaves in `cache` this run's pages (and only those). Each file's page, or its error
/// and the page that stands in for it (see [`Looked::stand_in`]).
fn read_with_cache(
    files: &[SourceFile],
    has_links: bool,
    cache: &mut Cache,
    read: &(dyn Fn(SourceFile) -> (Option<FileStamp>, Result<Page, Diagnostic>) + Sync),
) -> Vec<(Loaded, Option<Arc<Page>>)> {
    // What the watcher saw change, if it saw it all: other files need no stat.
    let hint = cache.changed.take().filter(|_| !has_links);
    let read_again = std::mem::take(&mut cache.read_again);
    let unchanged = |file: &SourceFile| -> Option<Arc<Page>> {
        let hint = hint.as_ref()?;
        let c = cache.pages.0.get(file.path.as_os_str())?;
        (!hint.contains(file.display.as_os_str())
            && !read_again.contains(file.display.as_os_str())
            && c.page.file == *file)
            .then(|| Arc::clone(&c.page))
    };
    let looked: Vec<Looked> = files
        .par_iter()
        // So that the last of them do not go on one core.
        .with_max_len(crate::parallel::job_len(files.len()))
        .map(|file| {
            if let Some(page) = unchanged(file) {
                return Looked::kept(page);
            }
            // A file the cache has is looked at before it is read; one it has not (every
            // file of a first build) is read at once.
            let cached = cache
                .pages
                .0
                .get(file.path.as_os_str())
                .filter(|c| c.page.file == *file);
            if let Some(c) = cached.filter(|_| !read_again.contains(file.display.as_os_str())) {
                let same = std::fs::metadata(&file.path)
                    .is_ok_and(|m| m.len() == c.len && m.modified().is_ok_and(|t| t == c.modified));
                if same {
                    return Looked::kept(Arc::clone(&c.page));
                }
            }
            let (stamp, page) = read(file.clone());
            let stand_in = cached
                .filter(|c| {
                    page.as_ref().is_err_and(Diagnostic::is_error) && !c.page.text.held().is_empty()
                })
                .map(|c| Arc::clone(&c.page));
            Looked {
                cached: cached.is_some(),
                read: true,
                stamp,
                page: page.map(Arc::new),
                stand_in,
            }
        })
        .collect();
    cache.files_read = looked.iter().filter(|l| l.read).count();
    // Forget deleted and renamed files. When each page the cache has is one of this
    // run's, none was: the usual build after an edit need not hash every path twice
    // more to find that out.
    let kept = looked
        .iter()
        .filter(|l| l.cached && l.in_site().is_some())
        .count();
    if kept != cache.pages.0.len() {
        let present: FastSet<&std::ffi::OsStr> = looked
            .iter()
            .filter_map(Looked::in_site)
            .map(|p| p.file.path.as_os_str())
            .collect();
        cache
            .pages
            .0
            .retain(|path, _| present.contains(path.as_os_str()));
    }
    looked
        .into_iter()
        .map(|l| {
            if let (Some((len, modified)), Ok(page)) = (l.stamp, &l.page) {
                let page = Arc::clone(page);
                cache.pages.0.insert(
                    page.file.path.clone().into_os_string(),
                    CachedPage {
                        len,
                        modified,
                        page,
                        raw: None,
                        kept: None,
                    },
                );
            }
            (l.page, l.stand_in)
        })
        .collect()
}

/// What [`read_with_cache`] found of one file.
struct Looked {
    /// Whether the cache had it.
    cached: bool,
    /// Whether it was read.
    read: bool,
    stamp: Option<FileStamp>,
    page: Loaded,
    /// A page that no longer reads stands in as it last was while the cache has it with
    /// its text (`serve`'s, which keeps texts): the rest of the site is then the same as
    /// before, and nothing is rendered again for a typo, nor again once it is fixed
    /// (without it, every body, whose links may name the missing page, was). A build's
    /// cache keeps no texts: a body made again would be made from the new file.
    stand_in: Option<Arc<Page>>,
}

impl Looked {
    fn kept(page: Arc<Page>) -> Looked {
        Looked {
            cached: true,
            read: false,
            stamp: None,
            page: Ok(page),
            stand_in: None,
        }
    }

    /// The page the site has of the file, if any.
    fn in_site(&self) -> Option<&Arc<Page>> {
        self.page.as_ref().ok().or(self.stand_in.as_ref())
    }
}

/// Reads and parses every page (drafts are left out unless `drafts` is set), reusing from
/// `cache` (the previous rebuild's, if any) the pages whose file has the same size and
/// mtime, and leaving in it this run's.
pub(crate) fn load(
    config: &Config,
    drafts: bool,
    mut cache: Option<&mut Cache>,
) -> (Content, Vec<Diagnostic>) {
    let found = match cache.as_deref_mut() {
        Some(cache) => {
            let ahead = cache
                .ahead
                .take()
                .filter(|(made_with, _)| *made_with == hash_of(config))
                .map(|(_, found)| Arc::new(found));
            let found = ahead.unwrap_or_else(|| discover_cached(config, cache.discovered.as_ref()));
            cache.discovered = Some(Arc::clone(&found));
            found
        }
        None => Arc::new(discover(config)),
    };
    let files = &found.pages;
    let others = found.files.clone();
    let mut diagnostics = found.diagnostics.clone();
    let read = |file| {
        let (stamp, page) = read_page(file);
        (stamp, page.map(|page| typeset(config, page)))
    };
    let results: Vec<(Loaded, Option<Arc<Page>>)> = match cache {
        None => files
            .par_iter()
            .map(|file| (read(file.clone()).1.map(Arc::new), None))
            .collect(),
        Some(cache) => {
            let results = read_with_cache(files, found.has_links, cache, &read);
            // The pages go to the build cache now: no later stage reads them from here.
            if let Some(sink) = &cache.sink {
                sink(std::mem::take(&mut cache.pages));
            }
            results
        }
    };
    let mut pages = Vec::new();
    let mut unreadable = Vec::new();
    let mut stand_ins = Vec::new();
    for (file, (result, standing)) in files.iter().zip(results) {
        let page = match result {
            Ok(page) => page,
            // An empty file is no page, and no page that failed (see `parse_page`).
            Err(d) if !d.is_error() => {
                diagnostics.push(d);
                continue;
            }
            Err(d) => {
                diagnostics.push(d);
                let Some(page) = standing else {
                    unreadable.push(file.clone());
                    continue;
                };
                stand_ins.push(file.clone());
                page
            }
        };
        if drafts || !page.draft {
            pages.push(page);
        }
    }
    diagnostics.extend(front_matter_warnings(&pages));
    (
        Content {
            pages,
            files: others,
            unreadable,
            stand_ins,
        },
        diagnostics,
    )
}

/// "Did you mean `weight`?" for unknown keys one typo away from a known one (each key name
/// is judged once for the whole site: a corpus repeats the same metadata on every page),
/// and a `draft:` that is neither true nor false.
pub(crate) fn front_matter_warnings(pages: &[Arc<Page>]) -> Vec<Diagnostic> {
    // On every core, each with its verdicts: the pages a build takes from its cache have
    // not been read yet (one core going through 20,000 of them was 6 ms of a build
    // after one title edited). The diagnostics are sorted later.
    pages
        .par_iter()
        .map_init(FastMap::default, |verdicts, page| {
            page_warnings(page, verdicts)
        })
        .flatten_iter()
        .collect()
}

/// [`front_matter_warnings`] of one page, with the verdicts on key names found so far.
fn page_warnings<'p>(
    page: &'p Page,
    verdicts: &mut FastMap<&'p str, Option<&'static str>>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // Left in `extra` when it is no boolean (see `front_matter::parse`).
    if let Some(word) = page.extra.get("draft").and_then(serde_json::Value::as_str) {
        warnings.push(
            page.diagnostic_at_key(
                Diagnostic::warning(format!(
                    "`draft: {word}` is neither true nor false: the page is published"
                ))
                .with_help(
                    "write `draft: true` to leave it out of the site, `draft: false` to publish it",
                ),
                "draft",
            ),
        );
    }
    for key in page.extra.keys() {
        let verdict = *verdicts.entry(key).or_insert_with(|| near_miss(key));
        if let Some(known) = verdict {
            warnings.push(
                page.diagnostic_at_key(
                    Diagnostic::warning(format!("unknown front matter key `{key}`"))
                        .with_help(format!("did you mean `{known}`?")),
                    key,
                ),
            );
        }
    }
    warnings
}

/// The language's typography (see [`crate::typography`]) on the front matter texts a
/// reader sees; the body gets it in the markdown stage. Checklist ids were made from the
/// text as written, so they do not change.
pub(crate) fn typeset(config: &Config, mut page: Page) -> Page {
    let typography = config.typography(&page.lang);
    if typography == Typography::None {
        return page;
    }
    page.title = typography.apply(&page.title);
    for d in page
        .description
        .iter_mut()
        .chain(&mut page.adobe.seo.title)
        .chain(&mut page.adobe.seo.description)
    {
        *d = typography.apply(d);
    }
    for text in page
        .responsibilities
        .iter_mut()
        .chain(&mut page.skills)
        .chain(&mut page.risks)
        .chain(page.contact.iter_mut())
    {
        *text = typography.apply(text);
    }
    for item in &mut page.checklist {
        item.text = typography.apply(&item.text);
    }
    page
}

/// Where the body of a page file's `text` starts, after its front matter; `None` if the
/// front matter never closes.
pub(crate) fn body_start(text: &str) -> Option<usize> {
    let split = front_matter::split(text).ok()?;
    Some(text.len() - split.body.len())
}

/// What a page's [`Page::source_hash`] is: a hash of its file's text, decoded.
pub(crate) fn text_hash(text: &str) -> u64 {
    // Its bytes as they are: `hash_of` would copy the text into its buffer first.
    hash_bytes(text.as_bytes())
}

/// What a page's [`Page::front_hash`] is: a hash of its file's text before `body_start`
/// (its front matter). The stamp keeps it beside the text's, so that a build after an
/// edit of a title knows it is not an edit of the text alone without reading the bodies'
/// records (see `body_edit`).
pub(crate) fn front_hash(text: &str, body_start: usize) -> u64 {
    hash_bytes(text.as_bytes().get(..body_start).unwrap_or_default())
}

/// Reads one file from disk and parses it; with the file's size and mtime as it was
/// read (`None` if it could not be read), taken from the open file rather than looked up
/// by its path again.
pub(crate) fn read_page(file: SourceFile) -> (Option<FileStamp>, Result<Page, Diagnostic>) {
    let read = || -> std::io::Result<(Vec<u8>, Option<FileStamp>)> {
        use std::io::Read as _;
        let opened = std::fs::File::open(&file.path)?;
        let metadata = opened.metadata()?;
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
        // Through `take`: a `File`'s own `read_to_end` asks the file's size again (a
        // stat and a seek), which `metadata` has just given.
        opened.take(u64::MAX).read_to_end(&mut bytes)?;
        Ok((bytes, metadata.modified().ok().map(|t| (metadata.len(), t))))
    };
    let (bytes, stamp) = match read() {
        Ok(read) => read,
        Err(e) => {
            let d = Diagnostic::error(format!("cannot read the file: {e}"));
            return (None, Err(d.in_file(&file.display)));
        }
    };
    let page = decode(bytes)
        .map_err(|d| d.in_file(&file.display))
        .and_then(|text| parse_page(file, text));
    (stamp, page)
}

/// Parses a file already read. Returns the page and its warnings.
pub(crate) fn parse_page(file: SourceFile, text: String) -> Result<Page, Diagnostic> {
    let text: Arc<str> = Arc::from(text);
    let here = |d: Diagnostic| d.in_file(&file.display).with_source(text.clone());
    // No page yet, nothing broken: a warning (Adobe's Primetime and ID Service have an
    // empty `readme.md` and `temp.md`, which stopped their whole builds). A link to it is
    // an error of its own, as to any page that does not exist.
    if text.trim().is_empty() {
        return Err(here(Diagnostic::warning(
            "the file is empty: it is no page until it has a title",
        ))
        .with_help("start it with:\n---\ntitle: A title\n---"));
    }
    let split =
        front_matter::split(&text).map_err(|e| e.into_diagnostic(&file.display, text.clone()))?;
    let parsed =
        front_matter::parse(&split).map_err(|e| e.into_diagnostic(&file.display, text.clone()))?;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    let front = parsed.front;
    // A guide's `TOC.md` is its menu, not a page: its `user-guide-title` names it when it
    // has no `# Heading` (it is the menu's title, see `site::navigation`).
    let guide_title = (file.stem() == "TOC")
        .then(|| {
            parsed
                .extra
                .get("user-guide-title")
                .and_then(|v| v.as_str())
        })
        .flatten();
    let title = page_title(front.title.as_deref().or(guide_title), &split).map_err(here)?;
    let section = file.dirs().first().map(std::string::ToString::to_string);
    let kind = front
        .kind
        .unwrap_or_else(|| kind_by_place(&file, section.as_deref()));
    let slug = page_slug(front.slug.as_deref(), &file, &split).map_err(here)?;
    let key = front
        .translation_key
        .as_deref()
        .map(|k| k.trim().trim_end_matches(".md").to_string())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| file.key.clone());
    let checklist = checklist(&front, &key);

    let mut page = Page {
        output: String::new(),
        lang: file.lang.clone(),
        key,
        kind,
        section,
        // Adobe's `[!DNL x]` and `[!UICONTROL x]` read as their text where text is shown.
        title: crate::markdown::afm::front_text(&title),
        description: front
            .description
            .map(|d| crate::markdown::afm::front_text(&inline_text(&d)))
            .filter(|d| !d.is_empty()),
        slug,
        weight: front.weight.unwrap_or(0),
        draft: front.draft,
        responsibilities: decode_all(front.responsibilities),
        skills: decode_all(front.skills),
        works_with: front.works_with,
        depends_on: front.depends_on,
        risks: decode_all(front.risks),
        contact: front.contact.map(|c| decode_entities(&c)),
        checklist,
        adobe: Adobe::default(),
        extra: Extra::from(parsed.extra),
        body_start,
        body_line,
        source_hash: text_hash(&text),
        front_hash: front_hash(&text, body_start),
        text: Text {
            held: Mutex::new(text),
            reread: OnceLock::new(),
        },
        file,
    };
    page.adobe = Adobe::of(&page.extra);
    page.output = output_path(&page);
    Ok(page)
}

/// The front matter's `title`, else the body's first heading; an error (without its
/// file, which the caller adds) if there is neither.
fn page_title(given: Option<&str>, split: &front_matter::Split<'_>) -> Result<String, Diagnostic> {
    if let Some(t) = given.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok(inline_text(t));
    }
    first_heading(split.body).ok_or_else(|| {
        let line = front_matter::key_line(split, "title");
        // `title: !draft` (a YAML tag) or `title: *x` reads as no text.
        let help = line
            .and_then(|l| split.yaml.lines().nth(l - split.yaml_line))
            .and_then(crate::yaml::markup_line_help)
            .unwrap_or_else(|| {
                "add `title: ...` to the front matter, or start the text with a `# Heading`".into()
            });
        Diagnostic::error("the page has no title")
            .with_help(help)
            .at(line.unwrap_or(1), 1)
    })
}

/// The kind of a page without `kind:`, from where its file is.
fn kind_by_place(file: &SourceFile, section: Option<&str>) -> Kind {
    match (file.is_index(), section) {
        (true, None) => Kind::Home,
        (true, Some(_)) => Kind::Section,
        (false, Some("roles")) => Kind::Role,
        (false, Some("teams")) => Kind::Team,
        _ => Kind::Page,
    }
}

/// The `slug:` of the front matter, else the file's (or a section's folder's) name,
/// slugified; an error (without its file) if a given slug has nothing to make a URL from.
fn page_slug(
    given: Option<&str>,
    file: &SourceFile,
    split: &front_matter::Split<'_>,
) -> Result<String, Diagnostic> {
    match given {
        Some(s) => {
            let slug = slug::slugify(s);
            if slug.is_empty() {
                let d = Diagnostic::error(format!(
                    "`slug: {s}` has no letters or digits to make a URL from"
                ));
                return Err(match front_matter::key_line(split, "slug") {
                    Some(line) => d.at(line, 1),
                    None => d,
                });
            }
            Ok(slug)
        }
        None if file.is_index() => Ok(file.dirs().pop().map(slug::slugify).unwrap_or_default()),
        None => Ok(match slug::slugify(file.stem()) {
            s if s.is_empty() => "page".to_string(),
            s => s,
        }),
    }
}

/// The page's `onboarding:` and `checklist:` items, in that order.
fn checklist(front: &front_matter::FrontMatter, key: &str) -> Vec<ChecklistItem> {
    let ids = ItemIds::of(key);
    front
        .onboarding
        .iter()
        .chain(&front.checklist)
        .map(|entry| match entry {
            ChecklistEntry::Text(t) => ids.item(None, &decode_entities(&t.0), false),
            ChecklistEntry::Full { id, text, done } => ids.item(
                id.as_ref().map(|i| i.0.as_str()),
                &decode_entities(&text.0),
                *done,
            ),
        })
        .collect()
}

/// `fr/roles/chef-de-projet/index.html`. Folders are slugified, so no `..` survives.
pub(crate) fn output_path(page: &Page) -> String {
    let mut parts = vec![page.lang.clone()];
    let dirs = page.file.dirs();
    let is_index = page.key.ends_with("_index");
    if is_index {
        // A section's URL is its folder; its slug may rename the last folder.
        let key_dirs: Vec<&str> = page.key.split('/').collect();
        let n = key_dirs.len().saturating_sub(1);
        for (i, d) in key_dirs[..n].iter().enumerate() {
            parts.push(if i + 1 == n {
                page.slug.clone()
            } else {
                slug::slugify(d)
            });
        }
    } else {
        parts.extend(dirs.iter().map(slug::slugify));
        parts.push(page.slug.clone());
    }
    parts.retain(|p| !p.is_empty());
    format!("{}/index.html", parts.join("/"))
}

fn decode_all(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|s| decode_entities(&s)).collect()
}

/// The text of the body's first `# Heading`, if the body starts with one.
pub(crate) fn first_heading(body: &str) -> Option<String> {
    // After the HTML comments that may come first, as the body's title is found.
    let line = body.lines().find(|l| !crate::markdown::is_comments(l))?;
    let rest = line.trim_start().strip_prefix("# ")?;
    let rest = rest.trim().trim_end_matches('#').trim();
    // Its attribute list (`# Workfront tutorials {#tutorials-workfront}`) names it, as the
    // body's headings' do; it is not text.
    let rest = rest
        .rfind('{')
        .filter(|&at| {
            crate::markdown::afm::parse_attrs(&rest[at..])
                .is_some_and(|(_, len)| at + len == rest.len())
        })
        .map_or(rest, |at| rest[..at].trim_end());
    Some(inline_text(rest)).filter(|t| !t.is_empty())
}

/// A title or a description as a reader sees it: entities decoded, and its inline
/// Markdown (`` `code` ``, `**bold**`, `[a link](…)`) reduced to its words, as in the
/// heading it may come from. Adobe's guides write 500 descriptions and 70 titles so
/// (`[Quality Patches Tool (QPT)](https://…)` in every patch's description), which pages
/// showed as written in their lead, their `<title>`, menus and search results. HTML stays
/// as written, and nothing is read as a block (`# `, `- `, `1. `): it is one line of text.
fn inline_text(text: &str) -> String {
    let text = text.trim();
    if !text.contains(['`', '*', '_', '\\']) && !text.contains("](") {
        return decode_entities(text);
    }
    // After a word, no line of it can open a block.
    let source = format!("x {}", text.replace(['\n', '\r'], " "));
    let mut out = String::with_capacity(source.len());
    for event in
        pulldown_cmark::Parser::new_ext(&source, pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    {
        use pulldown_cmark::Event;
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.strip_prefix("x ").unwrap_or(&out).trim().to_string()
}

/// The front matter YAML of a content file's text (LF line endings, no BOM), split as a
/// build splits it; `None` without front matter or when it is not closed.
pub(crate) fn front_matter_yaml(text: &str) -> Option<&str> {
    front_matter::split(text)
        .ok()
        .map(|s| s.yaml)
        .filter(|yaml| !yaml.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(key: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(format!("content/{key}.fr.md")),
            display: PathBuf::from(format!("content/{key}.fr.md")),
            lang: "fr".into(),
            key: key.into(),
        }
    }

    fn parse(key: &str, text: &str) -> Result<Page, Diagnostic> {
        parse_page(file(key), decode(text.as_bytes().to_vec())?)
    }

    /// The cache holds the pages of this run's files only: a file gone, or one that no
    /// longer parses, is forgotten; with every file as it was, all are kept.
    #[test]
    fn the_cache_forgets_the_pages_of_files_gone() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<SourceFile> = ["a", "b", "c"]
            .iter()
            .map(|key| {
                let mut f = file(key);
                f.path = dir.path().join(format!("{key}.fr.md"));
                std::fs::write(&f.path, format!("---\ntitle: {key}\n---\nText\n")).unwrap();
                f
            })
            .collect();
        let mut cache = Cache::default();
        let held = |cache: &Cache| {
            let mut paths: Vec<_> = cache.pages.0.keys().map(PathBuf::from).collect();
            paths.sort();
            paths
        };
        let paths = |files: &[SourceFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        read_with_cache(&files, false, &mut cache, &read_page);
        assert_eq!(held(&cache), paths(&files));
        read_with_cache(&files, false, &mut cache, &read_page);
        assert_eq!(cache.files_read, 0);
        assert_eq!(held(&cache), paths(&files), "all kept");
        read_with_cache(&files[..2], false, &mut cache, &read_page);
        assert_eq!(held(&cache), paths(&files[..2]), "c is gone");
        std::fs::write(&files[1].path, "---\ntitle: [\n---\n").unwrap();
        let results = read_with_cache(&files[..2], false, &mut cache, &read_page);
        assert!(results[1].0.is_err());
        // Its last version stands in (see `Looked::stand_in`), and stays in the cache.
        assert!(results[1].1.is_some(), "b no longer parses");
        assert_eq!(held(&cache), paths(&files[..2]));
        // An emptied file is no page (a warning): nothing stands in for it.
        std::fs::write(&files[1].path, "").unwrap();
        let results = read_with_cache(&files[..2], false, &mut cache, &read_page);
        assert!(results[1].0.as_ref().is_err_and(|d| !d.is_error()));
        assert!(results[1].1.is_none(), "b is empty");
        read_with_cache(&files[..1], false, &mut cache, &read_page);
        assert_eq!(held(&cache), paths(&files[..1]), "b is gone");
    }

    #[test]
    fn a_released_text_is_read_again_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.fr.md");
        std::fs::write(&path, "# A\r\n\nText\r\n").unwrap();
        let mut p = parse("a", "# A\n\nText\n").unwrap();
        p.file.path = path.clone();
        p.release_text();
        assert_eq!(&*p.source(), "# A\n\nText\n", "read and decoded");
        std::fs::write(&path, "# Changed\n").unwrap();
        assert_eq!(&*p.source(), "# A\n\nText\n", "kept from the first reading");
    }

    #[test]
    fn title_from_the_first_heading_with_entities_decoded() {
        let p = parse(
            "about",
            "---\nht-degree: 0%\n---\n\n# L&#39;équipe *projet*\n\nText",
        )
        .unwrap();
        assert_eq!(p.title, "L'équipe projet");
    }

    #[test]
    fn titles_and_descriptions_read_as_text() {
        let p = parse(
            "about",
            "---\ntitle: Cannot change `app/etc/env.php` in **running** status\n\
             description: \"Available when the [Quality Patches Tool (QPT)](https://x.org/qpt) \
             1.1.18 is installed, with ![a shot](shot.png) & <br> _kept_as_is.\"\n---\nText\n",
        )
        .unwrap();
        assert_eq!(p.title, "Cannot change app/etc/env.php in running status");
        assert_eq!(
            p.description.as_deref(),
            Some(
                "Available when the Quality Patches Tool (QPT) 1.1.18 is installed, with a shot & <br> _kept_as_is."
            )
        );
        // Nothing in them opens a block; plain text is as it was.
        for (text, read) in [
            ("- *not* a list", "- not a list"),
            ("1. *First*", "1. First"),
            ("# *Not* a heading", "# Not a heading"),
            ("L&#39;équipe & [x] <y>", "L'équipe & [x] <y>"),
            ("a\n- b *c*", "a - b c"),
        ] {
            assert_eq!(inline_text(text), read, "{text}");
        }
    }

    #[test]
    fn a_title_from_a_heading_leaves_its_attribute_list() {
        let p = parse(
            "about",
            "# Workfront tutorials {#tutorials-workfront}\n\nText",
        )
        .unwrap();
        assert_eq!(p.title, "Workfront tutorials");
        let p = parse("about", "# Sets {a, b}\n\nText").unwrap();
        assert_eq!(p.title, "Sets {a, b}");
    }

    #[test]
    fn entities_in_front_matter() {
        assert_eq!(
            decode_entities("d&#39;une &amp; l&#x27;autre &nbsp;&bogus; & fin"),
            "d'une & l'autre \u{a0}&bogus; & fin"
        );
        assert_eq!(decode_entities("&#0;&#99999999;"), "&#0;&#99999999;");
        // Any of HTML's named references, with their `;`; nothing else.
        assert_eq!(
            decode_entities(
                "Android&trade; &eacute;t&eacute; &hellip; &NotEqualTilde; &copy &#+5; &#x;"
            ),
            "Android™ été … \u{2242}\u{338} &copy &#+5; &#x;"
        );
    }

    #[test]
    fn no_title_is_an_error() {
        let e = parse("about", "---\ndescription: x\n---\nJust text\n").unwrap_err();
        assert!(e.message.contains("no title"));
    }

    #[test]
    fn kind_and_slug_from_the_path() {
        let p = parse("roles/Chef De Projet Été", "# X").unwrap();
        assert_eq!(p.kind, Kind::Role);
        assert_eq!(p.slug, "chef-de-projet-ete");
        let p = parse("roles/_index", "# Rôles").unwrap();
        assert_eq!(p.kind, Kind::Section);
        assert_eq!(p.slug, "roles");
    }

    #[test]
    fn slug_cannot_escape() {
        let p = parse("x", "---\ntitle: X\nslug: ../../etc/passwd\n---\n").unwrap();
        assert_eq!(p.slug, "etc-passwd");
    }

    #[test]
    fn bom_and_crlf() {
        let p = parse("x", "\u{feff}---\r\ntitle: X\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(p.title, "X");
        assert_eq!(p.body_of(&p.source()), "Body\n");
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let e = decode(b"---\ntitle: \xff\n".to_vec()).unwrap_err();
        assert!(e.message.contains("offset 11"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn checklist_ids_do_not_depend_on_position() {
        let a = ChecklistItem::new("teams/warehouse", None, "Tell them the date", false);
        let b = ChecklistItem::new("teams/warehouse", None, "Tell them the date", false);
        let c = ChecklistItem::new("teams/warehouse", None, "Another", false);
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_eq!(
            ChecklistItem::new("k", Some("Launch Date"), "x", false).id,
            "launch-date"
        );
    }
}
