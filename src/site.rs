//! The site model: pages linked to each other.
//!
//! This stage gives every page its output path, links translations, resolves `works_with`
//! and `depends_on` (and computes the reverse "who depends on this team"), fills in the
//! home and section pages that have no `_index` file, and builds the guides' navigation.
//! Each page's [`Body`] is left empty, for the next stage (`bodies.rs`) to fill.
//!
//! A name that points nowhere is an error with the nearest existing name as a
//! "did you mean". A file that exists but could not be parsed is already an error of its
//! own: names and links to it are not reported again, and it is not "missing" as a
//! translation.

pub(crate) mod guide_toc;
mod menu_memo;
pub(crate) mod navigation;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::body_ids::BodyIds;
use crate::cache_store::{Placed, Unchecked};
use crate::checklist::Progress;
use crate::checklist_item::{Checklist, ChecklistItem};
use crate::config::Config;
use crate::content::{self, Kind, Page, SourceFile, closest};
use crate::diagnostics::Diagnostic;
use crate::hash::FastMap;
use crate::markdown::{self, Heading};
use navigation::Navigation;

/// Sections that get a list page in every language even without an `_index` file.
pub(crate) const STANDARD_SECTIONS: &[&str] = &["roles", "teams"];

/// A page with everything resolved.
#[derive(Debug)]
pub struct SitePage {
    pub page: Arc<Page>,
    /// Output path relative to the site root: `fr/roles/chef-de-projet/index.html`.
    pub path: String,
    /// Made by the tool (a home or section page with no `_index` file).
    pub generated: bool,
    /// The rendered body, shared with `serve`'s cache rather than copied.
    pub body: Arc<Body>,
    pub works_with: Vec<PageId>,
    pub depends_on: Vec<PageId>,
    /// Roles whose `depends_on` names this team.
    pub depended_by: Vec<PageId>,
    /// For a home or section page: the pages it lists.
    pub members: Vec<PageId>,
    /// The same page in the other languages, in language order.
    pub translations: Vec<PageId>,
}

/// A page of the site, by its place in [`Site::pages`]: what links between pages hold,
/// rather than bare numbers that could be anything's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(usize);

impl PageId {
    /// The page at `index` of [`Site::pages`].
    pub(crate) fn at(index: usize) -> PageId {
        PageId(index)
    }

    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl std::ops::Index<PageId> for Vec<SitePage> {
    type Output = SitePage;

    fn index(&self, id: PageId) -> &SitePage {
        &self[id.0]
    }
}

impl std::ops::IndexMut<PageId> for Vec<SitePage> {
    fn index_mut(&mut self, id: PageId) -> &mut SitePage {
        &mut self[id.0]
    }
}

/// What a page's Markdown body became, with lines counted in the page's file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// What the body was made from (see [`crate::incremental`]).
    pub key: u64,
    /// A key of what other pages show of this one (title, URL, description, weight, kind,
    /// checklist), made here in parallel rather than hashed again at every rebuild.
    pub shown: u64,
    /// The same without the checklist's items, with its progress: what lists and menus
    /// show of the page. Every page's menu lists every role, so an item's text edited
    /// keyed by `shown` had every page of the site rendered again.
    pub listed: u64,
    pub html: Html,
    pub toc: Vec<Heading>,
    /// Links of the body to `#fragment`s, of other pages and of its own.
    pub anchors: Vec<markdown::AnchorLink>,
    /// The `# Title` the body opened with, when its words are not the page's title: the
    /// page's heading (`page.heading` in templates; the front matter's `title` stays the
    /// browser's, the menus' and search's).
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub heading: Option<String>,
    /// The ids of the `# Title` the body opened with, which the page shows as its heading
    /// (see [`crate::anchors`]).
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    pub title_ids: Vec<String>,
    /// Whether the body opens with the words of the page's description: the page then
    /// shows them once, in its text (see [`crate::bodies::repeats_description`]).
    pub repeats_description: bool,
    /// Links to nothing: errors.
    pub broken_links: Vec<markdown::BrokenLink>,
    /// Links, images and attributes dropped because they would run script, and blocks
    /// left out because equipe cannot show them: warnings.
    pub dropped: Vec<markdown::BrokenLink>,
    /// The body's task list items (the page's checklist after its front matter's: see
    /// [`SitePage::checklist`]).
    pub tasks: Vec<ChecklistItem>,
    /// Of the page's whole checklist, counted once: lists show it for each page they
    /// list, and counting it there read every listed page's items again when keying each
    /// page of a rebuild (2% of a build after one edit at 20,000 pages).
    pub(crate) progress: Progress,
    /// A hash of the search entry: a language's index is keyed by its entries (see
    /// [`crate::search::index_key`]), so that an edit that leaves a page's entry as it was
    /// (a word its text already had, a change of markup) writes no index again.
    pub(crate) entry_key: u64,
    /// The page's entry in its language's search index (see [`crate::search`]), made
    /// with the body so that the body's plain text need not be kept. The build cache keeps
    /// it apart, as the HTML's text: after one edit, only the edited page's language's
    /// index is written again, and the other language's entries are not unpacked.
    #[serde(skip)]
    pub search_entry: LazyText,
}

/// A rendered body's HTML, with a key of what it was made from (its body's key, and the
/// links the anchors stage rewrote in it): pages are keyed by it (see `render::views`)
/// without hashing the text. In a build, the text is kept as the build cache holds it
/// (placed in its store, on a large site: see [`Html::placed`]), and unpacked for the
/// moment something reads it ([`Html::text`]): after one edit, only the pages rendered
/// again unpack theirs.
/// Its ids go with it into the cache: links to `#anchors` are checked against them.
#[derive(Clone, Debug, Default)]
pub struct Html {
    key: u64,
    text: LazyText,
    /// Its ids, read the first time a link to one of its `#anchors` is checked.
    ids: std::sync::OnceLock<Arc<BodyIds>>,
}

/// An HTML text as the build cache holds it: as it is; on a large site, placed in the
/// texts file of the store the build writes as soon as it is made, and read back from it
/// when needed (see [`Placed`] and [`Html::placed`]); or as the last build's texts file
/// has it, read and checked when it is needed (see [`Unchecked`]).
#[derive(Clone, Debug)]
pub(crate) enum PackedText {
    Plain(bytes::Bytes),
    Placed(Arc<Placed>),
    Unchecked(Unchecked),
}

impl PackedText {
    /// The text; `None` if its bytes cannot be read back, do not have their CRC or are
    /// not UTF-8.
    pub(crate) fn unpacked(&self) -> Option<String> {
        let bytes = match self {
            PackedText::Plain(text) => text.to_vec(),
            PackedText::Placed(placed) => placed.bytes()?,
            PackedText::Unchecked(unchecked) => unchecked.checked()?,
        };
        crate::text::string_of(bytes).ok()
    }
}

/// A text as it came, or as the build cache holds it (see [`PackedText`]) and unpacked
/// the first time it is read.
#[derive(Clone, Debug, Default)]
pub struct LazyText {
    /// Shared with the bytes the build cache writes of it (see [`LazyText::packed_text`]).
    text: std::sync::OnceLock<Arc<String>>,
    packed: Option<PackedText>,
}

/// A text as the bytes of a [`PackedText::Plain`], without a copy.
struct SharedText(Arc<String>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl LazyText {
    pub fn new(text: String) -> LazyText {
        LazyText {
            text: std::sync::OnceLock::from(Arc::new(text)),
            packed: None,
        }
    }

    /// Kept as the build cache holds it, until it is read.
    pub(crate) fn packed(packed: PackedText) -> LazyText {
        LazyText {
            text: std::sync::OnceLock::new(),
            packed: Some(packed),
        }
    }

    /// The text as the build cache keeps it: as it came. The bytes are the text's own,
    /// shared: copying every body's HTML and search entry for the cache was 0.7% of a
    /// first build's instructions at 2,000 pages, and as much memory again until the
    /// cache's thread had written them.
    pub(crate) fn packed_text(&self) -> PackedText {
        match &self.packed {
            Some(packed) => packed.clone(),
            None => {
                let text = self.text.get_or_init(Arc::default);
                PackedText::Plain(bytes::Bytes::from_owner(SharedText(Arc::clone(text))))
            }
        }
    }

    /// The text, unpacked the first time it is read and kept so.
    pub fn as_str(&self) -> &str {
        self.text.get_or_init(|| Arc::new(self.unpacked()))
    }

    /// The text, unpacked for the moment if it is kept packed only.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self.text.get() {
            Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
            None => std::borrow::Cow::Owned(self.unpacked()),
        }
    }

    /// The packed text unpacked. The build cache's files are checked (checksums) before
    /// any of them is used, but for the bodies' HTML, which is checked (its CRC) as it is
    /// read, as is a text placed in the store: one that does not read back reads as empty
    /// rather than stop the build, and marks its store damaged, which keeps the build from
    /// putting out what it made (see `pipeline::build`).
    fn unpacked(&self) -> String {
        self.packed
            .as_ref()
            .and_then(PackedText::unpacked)
            .unwrap_or_default()
    }
}

/// What the build cache keeps of an [`Html`] with its body: the key and the ids if they
/// were read (see `bodies::render`); the text is kept apart (see [`Html::packed_text`]).
#[derive(serde::Serialize, serde::Deserialize)]
struct HtmlKept<T> {
    key: u64,
    ids: Option<T>,
}

impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        HtmlKept {
            key: self.key,
            ids: self.ids.get().map(|ids| &**ids),
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Html {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Html, D::Error> {
        let kept = HtmlKept::<BodyIds>::deserialize(d)?;
        let ids = std::sync::OnceLock::new();
        if let Some(kept) = kept.ids {
            let _ = ids.set(Arc::new(kept));
        }
        Ok(Html {
            key: kept.key,
            ids,
            ..Html::default()
        })
    }
}

impl Html {
    /// `key` names what `text` is made from: the same key, the same text.
    pub fn new(text: String, key: u64) -> Html {
        Html {
            key,
            text: LazyText::new(text),
            ids: std::sync::OnceLock::new(),
        }
    }

    /// Like [`Html::new`], but the text is handed to the store the build writes, and read
    /// back from it when something reads it (see [`Placed`]): a build of a large site
    /// holds every body from the bodies stage to the pages', and the bodies' HTML whole
    /// was a third of its memory at 20,000 pages (180 MB).
    ///
    /// Its ids are read now, from the text whole: the anchors stage and the build cache
    /// read them for every page a link names with an `#anchor`, and reading them later
    /// read the text back.
    pub(crate) fn placed(text: String, key: u64) -> Html {
        let ids = BodyIds::of(&text);
        Html {
            key,
            text: LazyText::packed(PackedText::Placed(Placed::new(bytes::Bytes::from(text)))),
            ids: std::sync::OnceLock::from(Arc::new(ids)),
        }
    }

    /// This HTML (read back from the build cache, without its text) with its text kept
    /// as the cache held it (see [`Html::packed_text`]) until it is read.
    pub(crate) fn with_packed_text(self, packed: PackedText) -> Html {
        Html {
            text: LazyText::packed(packed),
            ..self
        }
    }

    /// The text as the build cache keeps it.
    pub(crate) fn packed_text(&self) -> PackedText {
        self.text.packed_text()
    }

    pub fn key(&self) -> u64 {
        self.key
    }

    /// The text, unpacked the first time it is read and kept so.
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The text, unpacked for the moment if it is kept packed only: what a build reads of
    /// a body it placed in its store (see [`Html::placed`]).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        self.text.text()
    }

    pub(crate) fn ids(&self) -> &BodyIds {
        self.ids.get_or_init(|| Arc::new(BodyIds::of(&self.text())))
    }

    /// Lets go of its ids (see [`Html::ids`]).
    pub(crate) fn forget_ids(&mut self) {
        self.ids = std::sync::OnceLock::new();
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::hash::Hash for Html {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl SitePage {
    pub fn lang(&self) -> &str {
        &self.page.lang
    }

    /// How many of [`SitePage::checklist`]'s items are done by default.
    pub(crate) fn progress(&self) -> Progress {
        self.body.progress
    }

    /// Front matter checklist, then the body's task list items.
    pub fn checklist(&self) -> Checklist<'_> {
        Checklist {
            front: &self.page.checklist,
            tasks: &self.body.tasks,
        }
    }
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<SitePage>,
    /// Files a page may link or show (static files and files beside the content), by
    /// output path.
    pub files: BTreeSet<String>,
    /// The guides and the sidebar of each page (see [`crate::site::navigation`]).
    pub navigation: Navigation,
    by_key: KeyIndex,
    /// Translation keys of the page files that failed to parse, with their languages.
    unreadable: BTreeMap<String, BTreeSet<String>>,
    /// Each page's place in the order lists show pages in (see [`Site::sort`]).
    rank: Vec<u32>,
    /// The pages of each language and kind, in that order (see [`Site::of_kind`]).
    kinds: KindLists,
    /// The names of each folder's content files (see [`Site::names_in`]), made when a
    /// misspelt name first needs them.
    names: std::sync::OnceLock<FastMap<String, Vec<String>>>,
}

/// The pages of each language (by code) and kind.
type KindLists = FastMap<String, FastMap<Kind, Vec<PageId>>>;

/// Pages by language, then translation key: looked up by `&str`s without allocating,
/// many times per page while pages are linked.
#[derive(Debug, Default)]
struct KeyIndex(FastMap<String, FastMap<String, PageId>>);

impl KeyIndex {
    fn get(&self, key: &str, lang: &str) -> Option<PageId> {
        self.0.get(lang)?.get(key).copied()
    }

    fn insert(&mut self, key: &str, lang: &str, i: PageId) {
        // A language's map is found before one is made: its name was copied for each
        // page (20,000 at 20,000 pages, on one core, at each build).
        let keys = match self.0.get_mut(lang) {
            Some(keys) => keys,
            None => self.0.entry(lang.to_string()).or_default(),
        };
        keys.insert(key.to_string(), i);
    }
}

impl Site {
    /// The page of a translation key in a language, if there is one.
    pub fn find(&self, key: &str, lang: &str) -> Option<PageId> {
        self.by_key.get(key, lang)
    }

    /// Pages of one kind in one language, ordered by weight then title.
    pub fn of_kind(&self, kind: Kind, lang: &str) -> &[PageId] {
        self.kinds
            .get(lang)
            .and_then(|kinds| kinds.get(&kind))
            .map_or(&[], Vec::as_slice)
    }

    /// Every page, in order.
    pub fn ids(&self) -> impl Iterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    pub(crate) fn sort(&self, ids: &mut [PageId]) {
        ids.sort_unstable_by_key(|&i| self.rank[i.index()]);
    }

    /// Every translation key of the content files (not of generated pages), sorted.
    pub fn translation_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .pages
            .iter()
            .filter(|p| !p.generated)
            .map(|p| p.page.key.as_str())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// The home page of a language.
    pub fn home(&self, lang: &str) -> Option<PageId> {
        self.find("_index", lang)
    }

    /// A page file of this key exists, in some language, but failed to parse.
    pub(crate) fn is_unreadable(&self, key: &str) -> bool {
        self.unreadable.contains_key(key)
    }

    /// The names of the content files in `folder` (`roles`), without language or `.md`,
    /// in every language: what a misspelt name is compared with.
    /// Sorted, made once for every folder (each broken link went through every page).
    pub(crate) fn names_in(&self, folder: &str) -> &[String] {
        let names = self.names.get_or_init(|| {
            let mut names: FastMap<String, Vec<String>> = FastMap::default();
            for p in self.pages.iter().filter(|p| !p.generated) {
                let (f, name) = p.page.key.rsplit_once('/').unwrap_or(("", &p.page.key));
                if name != "_index" {
                    names
                        .entry(f.to_string())
                        .or_default()
                        .push(name.to_string());
                }
            }
            for list in names.values_mut() {
                list.sort_unstable();
                list.dedup();
            }
            names
        });
        names.get(folder).map_or(&[], Vec::as_slice)
    }

    /// The file name in `folder` of a page whose slug is `slug`: links name files, and
    /// authors write the URL segment they see (`entrepot` for `warehouse.fr.md`).
    pub(crate) fn name_of_slug(&self, folder: &str, slug: &str) -> Option<&str> {
        self.pages
            .iter()
            .filter(|p| !p.generated && p.page.slug == slug)
            .find_map(|p| match p.page.key.rsplit_once('/') {
                Some((f, name)) if f == folder => Some(name),
                None if folder.is_empty() => Some(p.page.key.as_str()),
                _ => None,
            })
    }
}

/// Titles the tool gives to pages it makes itself, per language.
pub(crate) trait GeneratedTitles {
    fn section_title(&self, lang: &str, section: &str) -> String;
}

/// Links pages together. `unreadable` are the page files that failed to parse (already
/// reported): names and links to them are not reported again. Bodies are the next stage's
/// (see `bodies.rs`).
pub(crate) fn build(
    config: Config,
    pages: Vec<Arc<Page>>,
    unreadable: &[SourceFile],
    files: BTreeSet<String>,
    titles: &dyn GeneratedTitles,
) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // A guide's TOC.md is its menu, not a page. (This stage's passes over every page go
    // over all cores where they can: after one edit, the pages come from the build
    // cache, not read since, and a cache miss each.)
    let (tocs, mut pages): (Vec<_>, Vec<_>) =
        pages.into_par_iter().partition(|p| navigation::is_toc(p));
    diagnostics.extend(pair_by_exl_id(&config, &mut pages));
    pages.par_sort_by(|a, b| {
        (&a.key, &a.lang, &a.file.display).cmp(&(&b.key, &b.lang, &b.file.display))
    });
    add_generated_pages(&config, &mut pages, titles);

    // Paths, and two pages on one path. Each page's body is the bodies stage's to make:
    // until then they share one empty body (one allocation and one free, rather than
    // one for each page).
    let empty = Arc::new(Body::default());
    let mut site_pages: Vec<SitePage> = pages
        .into_par_iter()
        .map(|page| SitePage {
            path: page.output.clone(),
            generated: page.file.path.as_os_str().is_empty(),
            page,
            body: Arc::clone(&empty),
            works_with: Vec::new(),
            depends_on: Vec::new(),
            depended_by: Vec::new(),
            members: Vec::new(),
            translations: Vec::new(),
        })
        .collect();
    let by_key = index_pages(&mut site_pages, &mut diagnostics);
    let mut unreadable_keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in unreadable {
        unreadable_keys
            .entry(file.key.clone())
            .or_default()
            .insert(file.lang.clone());
    }
    let (rank, kinds) = orders(&site_pages);
    let mut site = Site {
        config,
        rank,
        kinds,
        pages: site_pages,
        files,
        navigation: Navigation::default(),
        by_key,
        unreadable: unreadable_keys,
        names: std::sync::OnceLock::new(),
    };

    // The menus read no page's links: they are made while the links are resolved (on one
    // core, they were 15 ms of a build after one edit at 20,000 pages, the other idle).
    let (links, (navigation, menu_diagnostics)) = rayon::join(
        || links(&site),
        || {
            let mut found = Vec::new();
            (navigation::build(&site, &tocs, &mut found), found)
        },
    );
    link_pages(&mut site, links, &mut diagnostics);
    site.navigation = navigation;
    diagnostics.extend(menu_diagnostics);

    (site, diagnostics)
}

/// The order lists show pages in: by weight, then title, then translation key (pages of
/// one key, translations, keep the site's order). Returns each page's place in it, and
/// the pages of each language and kind in it. Lists sort by the place rather than compare
/// the pages' fields, and lists of a kind are made once: the menus and the checklists of a
/// language each went over every page of the site and sorted the 10,000 roles of a
/// language at 20,000 pages, 1.5% of a build after one edit.
fn orders(pages: &[SitePage]) -> (Vec<u32>, KindLists) {
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (a, b) = (&pages[a].page, &pages[b].page);
        (a.weight, &a.title, &a.key).cmp(&(b.weight, &b.title, &b.key))
    });
    let mut rank = vec![0; pages.len()];
    let mut kinds = KindLists::default();
    for (place, i) in (0..).zip(order) {
        rank[i] = place;
        let page = &pages[i].page;
        kinds
            .entry(page.lang.clone())
            .or_default()
            .entry(page.kind)
            .or_default()
            .push(PageId::at(i));
    }
    (rank, kinds)
}

/// Indexes the pages by translation key and language, leaving out (with an error) a page
/// on the same output path or with the same key and language as an earlier one.
fn index_pages(site_pages: &mut Vec<SitePage>, diagnostics: &mut Vec<Diagnostic>) -> KeyIndex {
    let mut by_path: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(site_pages.len(), Default::default());
    let mut by_key = KeyIndex::default();
    let mut dropped = vec![false; site_pages.len()];
    for (i, p) in site_pages.iter().enumerate() {
        if let Some(&other) = by_path.get(p.path.as_str()) {
            // Said at the `slug:` that brought the two together, in whichever file has it.
            let (here, there) = match (p.page.line_of("slug"), &site_pages[other].page) {
                (None, earlier) if earlier.line_of("slug").is_some() => (earlier, &p.page),
                _ => (&p.page, &site_pages[other].page),
            };
            let d = Diagnostic::error(format!(
                "two pages would be written to `{}`: this one and {}",
                p.path,
                there.file.display.display()
            ));
            diagnostics.push(
                here.diagnostic_at_key(d, "slug")
                    .with_help("give one of them another `slug`"),
            );
            dropped[i] = true;
            continue;
        }
        by_path.insert(&p.path, i);
        if let Some(other) = by_key.get(&p.page.key, &p.page.lang) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "two files have translation key `{}` in language `{}`: this one and {}",
                    p.page.key,
                    p.page.lang,
                    site_pages[other].page.file.display.display()
                ))
                .in_file(&p.page.file.display),
            );
            dropped[i] = true;
            continue;
        }
        by_key.insert(&p.page.key, &p.page.lang, PageId::at(i));
    }
    if dropped.iter().any(|&d| d) {
        let mut keep = dropped.iter().map(|d| !d);
        site_pages.retain(|_| keep.next().unwrap_or(true));
        by_key = KeyIndex::default();
        for (i, p) in site_pages.iter().enumerate() {
            by_key.insert(&p.page.key, &p.page.lang, PageId::at(i));
        }
    }
    // A page paired by `translation_key` or `exl-id` is still found by its own path, so
    // that links written to its file name resolve.
    for (i, p) in site_pages.iter().enumerate() {
        let own = &p.page.file.key;
        if !p.generated && *own != p.page.key && by_key.get(own, &p.page.lang).is_none() {
            by_key.insert(own, &p.page.lang, PageId::at(i));
        }
    }
    by_key
}

/// Experience League pages carry an `exl-id` that their translations share: files whose
/// paths differ (a French file renamed) are translations when their `exl-id`s are equal.
/// Each takes the translation key of the default language's file (else of the first
/// by key), unless its language has two files with that `exl-id`: a warning at each
/// file of a language after its first (a copied page that kept its `exl-id` left its
/// translations paired by path, without a word).
fn pair_by_exl_id(config: &Config, pages: &mut [Arc<Page>]) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(id) = p.extra.exl_id() {
            groups.entry(id).or_default().push(i);
        }
    }
    // Most sites have no `exl-id`: no set of every page's key to make.
    if groups.is_empty() {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    let default = config.default_language();
    let taken: BTreeSet<(&str, &str)> = pages
        .iter()
        .map(|p| (p.key.as_str(), p.lang.as_str()))
        .collect();
    let mut renames: Vec<(usize, String)> = Vec::new();
    for members in groups.values() {
        let langs: BTreeSet<&str> = members.iter().map(|&i| pages[i].lang.as_str()).collect();
        if langs.len() != members.len() {
            warnings.extend(shared_exl_ids(pages, members));
            continue;
        }
        if members.len() < 2 {
            continue;
        }
        let key = members
            .iter()
            .find(|&&i| pages[i].lang == default)
            .or_else(|| members.iter().min_by_key(|&&i| &pages[i].key))
            .map(|&i| pages[i].key.clone())
            .unwrap_or_default();
        renames.extend(
            members
                .iter()
                .filter(|&&i| {
                    pages[i].key != key && !taken.contains(&(key.as_str(), pages[i].lang.as_str()))
                })
                .map(|&i| (i, key.clone())),
        );
    }
    for (i, key) in renames {
        Arc::make_mut(&mut pages[i]).key = key;
    }
    warnings
}

/// A warning at each file of `members` (pages sharing an `exl-id`) that another file of
/// its language has it too: at each but the first by file name, which it names.
fn shared_exl_ids(pages: &[Arc<Page>], members: &[usize]) -> Vec<Diagnostic> {
    let mut members: Vec<&Page> = members.iter().map(|&i| &*pages[i]).collect();
    members.sort_by(|a, b| (&a.lang, &a.file.display).cmp(&(&b.lang, &b.file.display)));
    members
        .chunk_by(|a, b| a.lang == b.lang)
        .flat_map(|same| {
            let first = same[0];
            same[1..].iter().map(move |page| {
                let d = Diagnostic::warning(format!(
                    "`exl-id` `{}` is also that of {}: files of one language that share an \
                     `exl-id` are not paired with their translations by it",
                    page.extra.exl_id().unwrap_or_default(),
                    first.file.display.display()
                ));
                page.diagnostic_at_key(d, "exl-id").with_help(
                    "an `exl-id` names one page and its translations: give this one its own, or none",
                )
            })
        })
        .collect()
}

/// Homes, and standard sections that have pages but no `_index` file, in a language.
fn add_generated_pages(config: &Config, pages: &mut Vec<Arc<Page>>, titles: &dyn GeneratedTitles) {
    let exists = |pages: &[Arc<Page>], key: &str, lang: &str| {
        pages.iter().any(|p| p.key == key && p.lang == lang)
    };
    for lang in &config.languages {
        let code = &lang.code;
        if !exists(pages, "_index", code) {
            let title = config.title.get(code).cloned().unwrap_or_default();
            let page = generated_page("_index", code, Kind::Home, title, None);
            pages.push(Arc::new(content::typeset(config, page)));
        }
        for section in STANDARD_SECTIONS {
            let key = format!("{section}/_index");
            // A documentation site has no roles nor teams: no empty lists of them.
            let prefix = format!("{section}/");
            let has_pages = pages
                .iter()
                .any(|p| p.lang == *code && p.key.starts_with(&prefix));
            if has_pages && !exists(pages, &key, code) {
                let title = titles.section_title(code, section);
                let page = generated_page(&key, code, Kind::Section, title, Some(section));
                pages.push(Arc::new(content::typeset(config, page)));
            }
        }
    }
}

fn generated_page(key: &str, lang: &str, kind: Kind, title: String, section: Option<&str>) -> Page {
    let mut page = Page {
        output: String::new(),
        file: SourceFile {
            path: Default::default(),
            display: Default::default(),
            lang: lang.to_string(),
            key: key.to_string(),
        },
        text: Default::default(),
        lang: lang.to_string(),
        key: key.to_string(),
        kind,
        section: section.map(str::to_string),
        title,
        description: None,
        adobe: Default::default(),
        slug: section.unwrap_or_default().to_string(),
        weight: 0,
        draft: false,
        responsibilities: Vec::new(),
        skills: Vec::new(),
        works_with: Vec::new(),
        depends_on: Vec::new(),
        risks: Vec::new(),
        contact: None,
        checklist: Vec::new(),
        extra: crate::content::Extra::default(),
        body_start: 0,
        body_line: 1,
        source_hash: 0,
        front_hash: 0,
    };
    page.output = content::output_path(&page);
    page
}

/// What a page links, resolved (see [`link_pages`]), with the errors of its names.
struct Links {
    works_with: Vec<PageId>,
    depends_on: Vec<PageId>,
    translations: Vec<PageId>,
    members: Vec<PageId>,
    diagnostics: Vec<Diagnostic>,
}

/// Resolves `works_with`, `depends_on`, translations and section members, each page in
/// parallel: on one thread this was a third of linking a site of 20,000 pages.
fn links(site: &Site) -> Vec<Links> {
    let default = site.config.default_language();
    let codes: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| l.code.clone())
        .collect();
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| links_of(site, PageId::at(i), default, &codes))
        .collect()
}

/// Gives each page its [`links`], and each page its pages that depend on it.
fn link_pages(site: &mut Site, links: Vec<Links>, diagnostics: &mut Vec<Diagnostic>) {
    let n = site.pages.len();
    for (p, links) in site.pages.iter_mut().zip(links) {
        p.works_with = links.works_with;
        p.depends_on = links.depends_on;
        p.translations = links.translations;
        p.members = links.members;
        diagnostics.extend(links.diagnostics);
    }
    missing_translations(site, diagnostics);
    for i in 0..n {
        for k in 0..site.pages[i].depends_on.len() {
            let j = site.pages[i].depends_on[k];
            if site.pages[j].lang() == site.pages[i].lang() {
                site.pages[j].depended_by.push(PageId::at(i));
            }
        }
    }
    let mut depended_by: Vec<Vec<PageId>> = site
        .pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.depended_by))
        .collect();
    let shared: &Site = site;
    depended_by.par_iter_mut().for_each(|ids| shared.sort(ids));
    for (p, ids) in site.pages.iter_mut().zip(depended_by) {
        p.depended_by = ids;
    }
}

/// What page `i` links (see [`link_pages`]), each list sorted as pages are.
fn links_of(site: &Site, i: PageId, default: &str, codes: &[String]) -> Links {
    let p = &site.pages[i];
    let lang = p.lang();
    let find = |key: &str| site.find(key, lang).or_else(|| site.find(key, default));
    let mut diagnostics = Vec::new();
    let mut key = String::new();
    let mut resolve = |field: &str, names: &[String], section: &str| {
        let mut out = Vec::with_capacity(names.len());
        // Where the list's items are written, when a first message needs it.
        let mut places = None;
        for (index, name) in names.iter().enumerate() {
            key.clear();
            if !name.contains('/') {
                key.push_str(section);
                key.push('/');
            }
            key.push_str(crate::text::trim_end_all(name, ".md"));
            match find(&key) {
                Some(j) if j != i => out.push(j),
                // Left out: most likely a file copied from the page it named.
                Some(_) => diagnostics.push(
                    places.get_or_insert_with(|| p.page.item_places(field)).at(
                        Diagnostic::warning(format!("`{field}` names this page itself"))
                            .with_label("this page")
                            .with_help(format!(
                                "remove `{name}` from `{field}`, or name the page you meant"
                            )),
                        index,
                    ),
                ),
                // Its file is an error of its own.
                None if site.is_unreadable(&key) => {}
                None => diagnostics.push(
                    places.get_or_insert_with(|| p.page.item_places(field)).at(
                        Diagnostic::error(format!(
                            "`{field}` names `{name}`, but there is no page `{key}`"
                        ))
                        .with_label(if section == "roles" {
                            "no such role"
                        } else {
                            "no such team"
                        })
                        .with_help(name_help(site, field, name, &key, section)),
                        index,
                    ),
                ),
            }
        }
        site.sort(&mut out);
        out
    };
    let works_with = resolve("works_with", &p.page.works_with, "roles");
    let depends_on = resolve("depends_on", &p.page.depends_on, "teams");
    let translations = codes
        .iter()
        .filter(|c| **c != lang)
        .filter_map(|c| site.find(&p.page.key, c))
        .collect();
    let mut members: Vec<PageId> = match p.page.kind {
        Kind::Home => Vec::new(),
        Kind::Section => {
            let prefix = crate::text::trim_end_all(&p.page.key, "_index");
            site.pages
                .iter()
                .enumerate()
                .filter(|(_, q)| {
                    q.lang() == lang
                        && q.page.key.starts_with(prefix)
                        && !q.page.key.ends_with("_index")
                })
                .map(|(j, _)| PageId::at(j))
                .collect()
        }
        _ => Vec::new(),
    };
    site.sort(&mut members);
    Links {
        works_with,
        depends_on,
        translations,
        members,
        diagnostics,
    }
}

/// What to say about a `works_with` or `depends_on` name that names no page: the nearest
/// existing name, or that it names a page of the other list, or what the names are.
fn name_help(site: &Site, field: &str, name: &str, key: &str, section: &str) -> String {
    let (folder, stem) = key.rsplit_once('/').unwrap_or(("", key));
    if let Some(near) = closest(stem, site.names_in(folder).iter().map(String::as_str)) {
        let near = if name.contains('/') {
            format!("{folder}/{near}")
        } else {
            near.to_string()
        };
        return format!("did you mean `{near}`?");
    }
    let (other_section, other_field, what) = if section == "roles" {
        ("teams", "depends_on", "an outside team")
    } else {
        ("roles", "works_with", "a role")
    };
    if !name.contains('/')
        && site
            .names_in(other_section)
            .binary_search_by(|n| n.as_str().cmp(stem))
            .is_ok()
    {
        return format!(
            "`{name}` is {what} (content/{other_section}/): name it in `{other_field}`"
        );
    }
    format!(
        "the names in `{field}` are file names in content/{section}/ without the language and `.md`"
    )
}

/// A page that exists in some languages but not all: a warning naming the key and the
/// missing language, on the file of the default language (or the first one found).
/// A language whose file exists but failed to parse is not missing: its error says enough.
fn missing_translations(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    // On every core: two lookups a key, 10,000 keys at 20,000 pages, at each build.
    let keys = site.translation_keys();
    let found: Vec<Diagnostic> = keys
        .par_iter()
        .flat_map_iter(|key| missing_translations_of(site, key))
        .collect();
    diagnostics.extend(found);
}

/// A warning for each language in which translation key `key` has no page (see
/// [`missing_translations`]).
fn missing_translations_of(site: &Site, key: &str) -> Vec<Diagnostic> {
    let present: Vec<&SitePage> = site
        .config
        .languages
        .iter()
        .filter_map(|l| site.find(key, &l.code))
        .map(|i| &site.pages[i])
        .filter(|p| !p.generated)
        .collect();
    let Some(source) = present.first() else {
        return Vec::new();
    };
    let failed = site.unreadable.get(key);
    site.config
        .languages
        .iter()
        .filter(|lang| {
            !present.iter().any(|p| p.lang() == lang.code)
                && !failed.is_some_and(|langs| langs.contains(&lang.code))
        })
        .map(|lang| {
            Diagnostic::warning(format!(
                "`{key}` has no translation in `{}` ({})",
                lang.code, lang.name
            ))
            .in_file(&source.page.file.display)
            .with_help(format!(
                "add the {} file, or run `equipe new` for a new key",
                lang.name
            ))
        })
        .collect()
}

/// Whether a link's path leaves the site: a scheme (`https:`, `mailto:`) or `//host`.
pub(crate) fn is_external(path: &str) -> bool {
    path.starts_with("//")
        || path
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty())
}

/// `../../` from a page's folder back to the site root.
pub(crate) fn root_prefix(path: &str) -> String {
    "../".repeat(depth(path))
}

/// How many folders deep the output file at `path` is: its `/`s, counted byte by byte (a
/// loop the compiler vectorizes), not with `str`'s searcher.
pub(crate) fn depth(path: &str) -> usize {
    path.bytes().filter(|&b| b == b'/').count()
}

/// The address on the web of the output file at `path` under `base` (a site's base URL):
/// a folder's `index.html` is the folder (`https://example.org/team/en/roles/lead/`), as
/// the sitemap, `checklists.json` and `page.permalink` name it.
pub(crate) fn web_address(base: &str, path: &str) -> String {
    let path = crate::text::trim_end_all(path, "index.html");
    let mut out = String::with_capacity(base.len() + path.len());
    out.push_str(base);
    out.push_str(path);
    out
}

/// The link from the page at output path `from` to the output file `to`, with its
/// `#fragment` if any: through the site's root, as links of pages are written.
pub(crate) fn href(from: &str, to: &str, fragment: Option<&str>) -> String {
    let mut href = root_prefix(from);
    href.push_str(to);
    if let Some(fragment) = fragment {
        href.push('#');
        href.push_str(fragment);
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        assert!(is_external("https://x.org/a.md"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("roles/x.md"));
        assert!(!is_external("a/b:c.md"));
    }

    #[test]
    fn root_prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("fr/index.html"), "../");
        assert_eq!(root_prefix("fr/roles/x/index.html"), "../../../");
    }

    /// As the build cache keeps it: the key and the ids with the body, the text apart and
    /// unpacked when read.
    #[test]
    fn html_reads_back_from_the_build_cache_as_it_was() {
        let text = "<h2 id=\"étape\">Étape</h2><p id=\"x\">é</p>".repeat(3);
        let html = Html::new(text.clone(), 42);
        // Kept without ids unless they were read.
        let without: Html = postcard::from_bytes(&postcard::to_stdvec(&html).unwrap()).unwrap();
        assert!(without.ids.get().is_none());
        html.ids();
        let kept = postcard::to_stdvec(&html).unwrap();
        let back: Html = postcard::from_bytes(&kept).unwrap();
        assert_eq!(back.key(), 42);
        assert!(back.ids.get().is_some());
        assert!(back.ids().has("x") && back.ids().has("étape"));
        assert_eq!(back.ids().headings, html.ids().headings);
        // Without its text, it reads as empty; with it, as it was.
        assert_eq!(back.clone().as_str(), "");
        let PackedText::Plain(bytes) = html.packed_text() else {
            panic!("a text made whole is kept as it is");
        };
        let back = back.with_packed_text(PackedText::Plain(bytes.to_vec().into()));
        assert_eq!(back.as_str(), text);
        assert_eq!(&*back, text);
    }
}
