//! Bodies: each page's Markdown (with Adobe Flavored Markdown) rendered to HTML, with
//! links to other content files resolved against the linked site (reading the files
//! `{{$include}}`s name), its headings, checklist items and search entry.
//!
//! This stage comes after `site`, which linked the pages: a body links other pages by
//! their URLs. Bodies render in parallel, each needing only read access to the site. A
//! link that points nowhere is an error with the nearest existing name as a "did you
//! mean"; a link to a file that exists but could not be parsed is not reported again.
//!
//! `serve` keeps the bodies between rebuilds ([`Cache`]), and a build in its build cache. A
//! body is reused while its page's file is the same, its links go where they went (see
//! [`LinkDeps`]: a page added or removed renders again the bodies whose links it changes,
//! found by resolving again only the links that may name it, see `pages_seen`) and each
//! file its includes read (or looked for) holds what it held: an edit of
//! `_includes/x.md` alone renders again the pages that include it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache_store::{Appender, Kept, Place, Store};
use crate::checklist::Progress;
use crate::checklist_item::Checklist;
use crate::config::Config;
use crate::content::{Page, closest};
use crate::diagnostics::Diagnostic;
use crate::edit_records::{Links, Made, Recorder, Recording, links_hash};
use crate::hash::{FastMap, FastSet, hash_all, hash_bytes, hash_of};
use crate::markdown::afm::include::IncludedFile;
use crate::markdown::lines::Lines;
use crate::markdown::{self, LinkResolver, LinkTarget, afm};
use crate::pages_seen::{Changed, PagesSeen};
use crate::search;
use crate::site::{Body, Html, LazyText, PackedText, PageId, Site, href, is_external};

/// The bodies a rebuild may reuse, by the key of their page's file and the site's URLs,
/// each with the files its includes read. The build cache keeps its bodies apart (see
/// [`Cache::sink`]): only what the last run saw of the pages is serialized with it.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Cache {
    #[serde(skip)]
    bodies: FastMap<u64, Stored>,
    /// Keep bodies packed (a build, which writes them to disk): the site's bodies are
    /// then its own, and let go of what they no longer need (search entries once their
    /// index is written). `serve` keeps them whole, shared with the site it serves.
    #[serde(skip)]
    pub packed: bool,
    /// How many bodies the last run rendered (the others were reused).
    #[serde(skip)]
    pub rendered: usize,
    /// Where a build sends its bodies, packed (the build cache's file, see
    /// `build_cache`), instead of keeping them to the end: 72 MB at 20,000 pages that the
    /// build no longer holds. On a large site, each goes there as soon as it is rendered
    /// (see [`places_html`]); otherwise, once all are.
    #[serde(skip)]
    pub sink: Option<Sink>,
    /// Where a build records what each body was made with, for a build after an edit of
    /// pages' text alone (see `body_edit`).
    #[serde(skip)]
    pub edits: Option<Recorder>,
    /// The files the last run's bodies included (or looked for): a build after an edit
    /// of files copied as they are leaves those out (see `static_edit`).
    #[serde(skip)]
    pub included: FastSet<PathBuf>,
    /// The pages the last run's links were resolved against (kept in the build cache).
    pub seen: PagesSeen,
}

/// Takes a packed body for the build cache's file (which notes its own write errors).
pub(crate) type Sink = Arc<dyn Fn(Packed) + Send + Sync>;

/// What a body's links came to: a body is reused when pages come or go (or change their
/// URL) if its links still go where they went. Without it, every body was rendered again
/// when a page was added, removed or renamed (at 20,000 pages, 2.7 s, a first build's
/// time, and 510 MiB).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkDeps {
    /// The key of every page's URL (see [`PagesSeen`]) when the body was made, or when
    /// its links were last found to go where they went.
    pages: u64,
    /// What its links and its links without words named, and where they went as one
    /// number (see [`Links::hash`]); `None` for a body whose links cannot be resolved
    /// again on their own (its includes', a generated page's): it is rendered again when
    /// `pages` is not the site's.
    resolved: Option<Resolved>,
}

/// What a body's links and links without words named, and where they went as one
/// number (see [`LinkDeps`]). Its names are read back from the build cache as
/// `cached_strings` reads text (std's UTF-8 check of each was 1.5% of a build's
/// instructions after a title edit at 20,000 pages).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Resolved {
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    links: Vec<String>,
    #[serde(deserialize_with = "crate::cached_strings::strings")]
    titles: Vec<String>,
    hash: u64,
    /// Whether each link went to a page, a file or outside: none was broken or left as
    /// written with a warning, whose messages name pages other than the one it names
    /// (a "did you mean", a folder's first page).
    settled: bool,
}

impl LinkDeps {
    fn of(pages: u64, links: Option<&Links>) -> LinkDeps {
        LinkDeps {
            pages,
            resolved: links.map(|l| {
                let (links, titles) = l.dests();
                Resolved {
                    links,
                    titles,
                    hash: l.hash(),
                    settled: l.settled(),
                }
            }),
        }
    }

    /// The same for `site`, whose pages' key is `pages` (another than the body's), if the
    /// body's links, made again from page `i`, go where they went. `memo` keeps where
    /// links went from pages alike (see [`LinkMemo`]).
    fn still(&self, site: &Site, i: PageId, pages: u64, memo: &mut LinkMemo) -> Option<LinkDeps> {
        let Resolved {
            links,
            titles,
            hash,
            ..
        } = self.resolved.as_ref()?;
        let resolver = PageLinks {
            site,
            from: i,
            titled: std::cell::RefCell::default(),
            expanded: None,
        };
        let alike = LinkMemo::alike(site, i);
        let memoized = Memoized::new(&resolver, site, i, memo);
        let now_links: Vec<(String, LinkTarget)> = links
            .iter()
            .map(|d| (d.clone(), memoized.resolve(d, 0)))
            .collect();
        let memo = memoized.memo.into_inner();
        let now_titles: Vec<(String, Option<String>)> = titles
            .iter()
            .map(|d| {
                let title = memo
                    .titles
                    .entry(hash_of(&(alike, d)))
                    .or_insert_with(|| resolver.title(d, 0))
                    .clone();
                (d.clone(), title)
            })
            .collect();
        (links_hash(&now_links, &now_titles) == *hash).then(|| self.now_of(pages))
    }

    /// The same for a site whose pages' key is `pages`, if the pages that came, went or
    /// changed since the body's (`changed`) cannot be any its links name (see
    /// `pages_seen`): then they go where they went, without being resolved again.
    fn untouched(&self, pages: u64, changed: &Changed) -> Option<LinkDeps> {
        let resolved = self.resolved.as_ref()?;
        let untouched = self.pages == changed.since
            && resolved.settled
            && !(resolved.links.iter())
                .chain(&resolved.titles)
                .any(|dest| changed.could_name(dest));
        untouched.then(|| self.now_of(pages))
    }

    fn now_of(&self, pages: u64) -> LinkDeps {
        LinkDeps {
            pages,
            resolved: self.resolved.clone(),
        }
    }
}

/// Where links went from pages alike, for [`LinkDeps::still`]: when pages come or go,
/// every cached body's links are made again, and most name pages that other bodies name
/// too (at 20,000 pages, making them was 8% of a build after a page was added). A link
/// (but to a section of its own page) goes where it goes from the page's folder in
/// `content/` (relative links, and the language folder of root ones), its language (the
/// page a link without one names, `hreflang`) and its depth in the output (its `../`s):
/// pages alike in those make each link alike.
#[derive(Default)]
struct LinkMemo {
    links: FastMap<u64, LinkTarget>,
    titles: FastMap<u64, Option<String>>,
}

impl LinkMemo {
    /// What makes page `i`'s links go where they go, but their own text, as one number:
    /// hashed once a page rather than with each link (a folder's path is hashed part by
    /// part).
    fn alike(site: &Site, i: PageId) -> u64 {
        let from = &site.pages[i];
        let folder = from.page.file.display.parent().unwrap_or(Path::new(""));
        hash_of(&(folder, from.lang(), crate::site::depth(&from.path)))
    }
}

/// A body's links resolved where a page alike resolved them before on the same thread
/// (see [`LinkMemo`]), by a first build and by [`LinkDeps::still`]: most links of a site
/// name pages that pages beside them name too (resolving them was 2.6% of a first build's
/// instructions at 2,000 pages). A link within the page names the page itself, and a
/// link's words are the target's title, which the page notes it showed: both are resolved
/// as they come.
struct Memoized<'m> {
    inner: &'m PageLinks<'m>,
    alike: u64,
    memo: std::cell::RefCell<&'m mut LinkMemo>,
}

impl<'m> Memoized<'m> {
    /// `inner`'s links from page `i` of `site`, through `memo`.
    fn new(inner: &'m PageLinks<'m>, site: &'m Site, i: PageId, memo: &'m mut LinkMemo) -> Self {
        Memoized {
            inner,
            alike: LinkMemo::alike(site, i),
            memo: std::cell::RefCell::new(memo),
        }
    }
}

impl LinkResolver for Memoized<'_> {
    fn resolve(&self, dest: &str, at: usize) -> LinkTarget {
        if dest.starts_with('#') {
            return self.inner.resolve(dest, at);
        }
        self.memo
            .borrow_mut()
            .links
            .entry(hash_of(&(self.alike, dest)))
            .or_insert_with(|| self.inner.resolve(dest, at))
            .clone()
    }

    fn title(&self, dest: &str, at: usize) -> Option<String> {
        self.inner.title(dest, at)
    }
}

/// The key of what every body is made with besides its pages' URLs: the files links may
/// name, each language's typography, how raw HTML is taken.
fn files_key(site: &Site) -> u64 {
    let languages = site.config.languages.iter();
    hash_of(&(
        &site.files,
        hash_all(languages.map(|l| (&l.code, l.typography))),
        site.config.raw_html,
    ))
}

/// A body of the cache, with the files its includes read.
struct Stored {
    body: Held,
    included: Arc<[IncludedFile]>,
    links: Arc<LinkDeps>,
}

/// How the cache holds a body: whole (`serve`, shared with its site) or packed (a build,
/// see [`Packed`]).
enum Held {
    Whole(Arc<Body>),
    Packed(PackedBody),
}

/// A body packed for the build cache (see [`Packed`]).
#[derive(Clone)]
struct PackedBody {
    /// The body but for its HTML's text and search entry, serialized (postcard, see [`pack`]).
    rest: bytes::Bytes,
    /// The HTML's text, on its own: it is unpacked only if something reads it (see
    /// [`Html`]).
    html: PackedText,
    /// The search entry, on its own too (see [`Body::search_entry`]).
    entry: PackedText,
    /// Where it is in the store of the cache it came from (see `cache_store`).
    kept: Option<KeptBody>,
}

impl Stored {
    /// As the build cache's file holds it (`None` if it cannot be serialized: the next
    /// build renders it again).
    fn packed(&self, key: u64) -> Option<Packed> {
        let body = match &self.body {
            Held::Packed(packed) => packed.clone(),
            Held::Whole(body) => pack(body)?,
        };
        Some(Packed {
            key,
            included: Arc::clone(&self.included),
            links: Arc::clone(&self.links),
            body: body.rest,
            html: body.html,
            entry: body.entry,
            kept: body.kept,
        })
    }

    /// The body, whole; `None` if a packed one does not read back (it is then rendered
    /// again).
    fn cached(&self) -> Option<Cached> {
        let (body, packed) = match &self.body {
            Held::Whole(body) => (Arc::clone(body), None),
            Held::Packed(packed) => (Arc::new(unpack(packed)?), Some(packed.clone())),
        };
        Some(Cached {
            body,
            included: Arc::clone(&self.included),
            links: Arc::clone(&self.links),
            packed,
        })
    }
}

/// A body, serialized (postcard), its HTML's text and search entry apart, as they are
/// (the HTML placed in the store already, on a large site: see [`Html::placed`]). Neither
/// is compressed: compressing the HTML (LZ4) was 9% of a first build's instructions at
/// 20,000 pages (fiftieth session), and compressing the rest and the entries saved 12 MB
/// of the store and cost 2-3% of a first build's time, and a build after a title edit
/// unpacked every body's rest and its language's entries again (4.3% of its
/// instructions; see benches/README.md, forty-seventh session).
fn pack(body: &Body) -> Option<PackedBody> {
    Some(PackedBody {
        rest: postcard::to_extend(body, Vec::new()).ok()?.into(),
        html: body.html.packed_text(),
        entry: body.search_entry.packed_text(),
        kept: None,
    })
}

/// From how many pages a build hands each body's HTML to its store as soon as it is
/// rendered, and reads it back when its page renders (see [`Html::placed`]). Below, the
/// HTML whole is at most tens of MB, held until the pages render; above, it would be a
/// third of a build's memory (180 of 280 MiB at 20,000 pages).
const PLACED_FROM_PAGES: usize = 5_000;

/// Whether a build of `site` places its bodies' HTML in its store (see
/// [`PLACED_FROM_PAGES`]).
fn places_html(site: &Site) -> bool {
    // Test hook, in debug builds only: the tests' sites are small.
    #[cfg(debug_assertions)]
    if let Some(from) = std::env::var("EQUIPE_TEST_PLACED_FROM_PAGES")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        return site.pages.len() >= from;
    }
    site.pages.len() >= PLACED_FROM_PAGES
}

/// The body but for its HTML's text, which stays as the cache held it until it is read.
fn unpack(packed: &PackedBody) -> Option<Body> {
    let mut body: Body = postcard::from_bytes(&packed.rest).ok()?;
    body.html = std::mem::take(&mut body.html).with_packed_text(packed.html.clone());
    body.search_entry = LazyText::packed(packed.entry.clone());
    Some(body)
}

/// A cached body as the build cache keeps it, each body on its own (read back in
/// parallel). The HTML's text is kept apart: after
/// one edit, most pages are not rendered again, and their HTML is not unpacked (at
/// 20,000 pages, that was 116 MB to unpack). Its three parts go to the cache's store (see
/// `cache_store`), which the cache's file names them in.
pub(crate) struct Packed {
    key: u64,
    included: Arc<[IncludedFile]>,
    links: Arc<LinkDeps>,
    /// The body but for its HTML's text and search entry, serialized (postcard, see [`pack`]).
    body: bytes::Bytes,
    /// The HTML's text.
    html: PackedText,
    /// The search entry's text.
    entry: PackedText,
    /// Where the three are in the store they were read from, if they were.
    kept: Option<KeptBody>,
}

/// Where a body's three parts are in a store (see [`Packed`]).
#[derive(Clone, Copy)]
struct KeptBody {
    generation: u64,
    rest: Place,
    html: Place,
    entry: Place,
}

/// A [`Packed`] as the build cache's file names it: its parts where they are in the
/// store.
#[derive(serde::Serialize)]
struct PackedOut<'a> {
    key: u64,
    included: &'a [IncludedFile],
    links: &'a LinkDeps,
    rest: Place,
    html: Place,
    entry: Place,
}

/// A [`Packed`] as the build cache's file names it (see [`PackedOut`]).
#[derive(serde::Deserialize)]
pub(crate) struct PackedIn {
    key: u64,
    included: Arc<[IncludedFile]>,
    links: Arc<LinkDeps>,
    rest: Place,
    html: Place,
    entry: Place,
}

impl PackedIn {
    /// The body, its parts sharing the bytes of `store`, which holds them, rather than
    /// copies (82 MB at 20,000 pages, let go once the bodies have gone to the next
    /// cache); `None` if the store does not hold them, or they lack their CRCs.
    pub(crate) fn within(self, store: &Store) -> Option<Packed> {
        let bytes = |place| store.get(place).map(|(bytes, _)| bytes);
        // The HTML is checked when it is read: few bodies are rendered again.
        let html = PackedText::Unchecked(store.text(self.html)?);
        Some(Packed {
            key: self.key,
            included: self.included,
            links: self.links,
            body: bytes(self.rest)?,
            html,
            entry: PackedText::Plain(bytes(self.entry)?),
            kept: Some(KeptBody {
                generation: store.generation(),
                rest: self.rest,
                html: self.html,
                entry: self.entry,
            }),
        })
    }
}

impl Packed {
    /// How many bytes of its store it names.
    pub(crate) fn kept_len(&self) -> u64 {
        self.kept
            .map_or(0, |k| k.rest.len() + k.html.len() + k.entry.len())
    }

    /// Writes it to the build cache's file, its parts to `store` (appended unless they
    /// are there already).
    pub(crate) fn write_to(
        &self,
        out: &mut impl std::io::Write,
        store: &mut Appender,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let kept = |part: fn(&KeptBody) -> Place| {
            self.kept.as_ref().map(|k| Kept {
                generation: k.generation,
                place: part(k),
            })
        };
        // The HTML to the store's texts file, which a build after one edit reads only for
        // the pages it renders again (see `cache_store`); the search entry to the store.
        let html = match &self.html {
            PackedText::Plain(bytes) => store.put_text(bytes, kept(|k| k.html)),
            PackedText::Placed(placed) => store.put_placed(placed),
            PackedText::Unchecked(unchecked) => store.put_unchecked(unchecked, kept(|k| k.html)),
        }?;
        let entry = match &self.entry {
            PackedText::Plain(bytes) => store.put(bytes, kept(|k| k.entry))?,
            other => {
                let text = other
                    .unpacked()
                    .ok_or("a search entry that does not read back")?;
                store.put(text.as_bytes(), None)?
            }
        };
        let rest = store.put(&self.body, kept(|k| k.rest))?;
        let record = PackedOut {
            key: self.key,
            included: &self.included,
            links: &self.links,
            rest,
            html,
            entry,
        };
        postcard::to_io(&record, out)?;
        Ok(())
    }
}

/// A body of this run, with the files its includes read.
struct Cached {
    body: Arc<Body>,
    included: Arc<[IncludedFile]>,
    links: Arc<LinkDeps>,
    /// The body packed, if it came so from the cache: kept as it was.
    packed: Option<PackedBody>,
}

impl Cached {
    /// What the cache keeps of it (see [`Cache::packed`]).
    fn stored(&self, packed: bool) -> Option<Stored> {
        let body = match (packed, &self.packed) {
            (false, _) => Held::Whole(Arc::clone(&self.body)),
            (true, Some(packed)) => Held::Packed(packed.clone()),
            (true, None) => Held::Packed(pack(&self.body)?),
        };
        Some(Stored {
            body,
            included: Arc::clone(&self.included),
            links: Arc::clone(&self.links),
        })
    }
}

impl Cache {
    /// Whether it holds no body to reuse.
    pub(crate) fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    /// Adds bodies read back packed (those a build sent to its [`Sink`]).
    pub(crate) fn add_packed(&mut self, packed: Vec<Packed>) {
        self.bodies.extend(packed.into_iter().map(|p| {
            let stored = Stored {
                body: Held::Packed(PackedBody {
                    rest: p.body,
                    html: p.html,
                    entry: p.entry,
                    kept: p.kept,
                }),
                included: p.included,
                links: p.links,
            };
            (p.key, stored)
        }));
    }

    /// The body cached under `key`, if the files its includes read are as they were
    /// (`now`: what each of those files holds at this run).
    fn get(&self, key: u64, now: &FastMap<&Path, Option<u64>>) -> Option<Cached> {
        self.bodies
            .get(&key)
            .filter(|c| {
                c.included
                    .iter()
                    .all(|f| now.get(f.path.as_path()) == Some(&f.hash))
            })?
            .cached()
    }

    /// The body of page `i` of `site` cached under `key`, if its includes' files and its
    /// links (the site's pages have the key `pages`, and `changed` since the last run)
    /// are as they were.
    fn reuse(
        &self,
        key: u64,
        now: &FastMap<&Path, Option<u64>>,
        (site, i, pages, changed): (&Site, usize, u64, Option<&Changed>),
        memo: &mut LinkMemo,
    ) -> Option<Cached> {
        let cached = self.get(key, now)?;
        if cached.links.pages == pages {
            return Some(cached);
        }
        let untouched = changed.and_then(|c| cached.links.untouched(pages, c));
        let links = match untouched {
            Some(links) => links,
            None => cached.links.still(site, PageId::at(i), pages, memo)?,
        };
        Some(Cached {
            links: Arc::new(links),
            ..cached
        })
    }

    /// What each file read by the includes of a cached body holds now (each read once).
    fn included_now(&self) -> FastMap<&Path, Option<u64>> {
        // Each once, by its bytes: the same few snippets are included by thousands of
        // bodies (Workfront: sorting their paths, compared component by component, was
        // a twentieth of each of `serve`'s rebuilds).
        let paths: FastSet<&std::ffi::OsStr> = self
            .bodies
            .values()
            .flat_map(|c| c.included.iter().map(|f| f.path.as_os_str()))
            .collect();
        let paths: Vec<&Path> = paths.into_iter().map(Path::new).collect();
        paths
            .into_par_iter()
            .map(|p| (p, IncludedFile::now(p).hash))
            .collect()
    }
}

/// Renders every page's body into the site, reusing from `cache` (the previous rebuild's,
/// if any) the bodies that cannot have changed, and leaving in it this run's. Returns the
/// broken links (errors) and the links dropped because they would run script (warnings).
pub(crate) fn render(site: &mut Site, mut cache: Option<&mut Cache>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // A body renders the same while its text and every URL it links are the same (the
    // pages' URLs are checked apart, see `LinkDeps`).
    let seen = PagesSeen::of(site);
    let pages = seen.key;
    let changed = cache.as_ref().and_then(|c| c.seen.changed(&seen));
    let files = files_key(site);
    // A build lets each text go once its body is rendered (`serve` keeps its pages whole
    // for its next rebuild).
    let release = cache.as_ref().is_none_or(|c| c.packed);
    // A build of a large site hands each body to its cache's store as soon as it is
    // rendered, and holds no body's HTML but those the store's writer has yet to write
    // (see `Html::placed`).
    let sink = cache
        .as_ref()
        .filter(|c| c.packed && places_html(site))
        .and_then(|c| c.sink.clone());
    let pack = sink.is_some();
    let texts: Vec<Option<Arc<str>>> = site
        .pages
        .iter()
        .map(|p| release.then(|| p.page.release_text()))
        .collect();
    let linked: &Site = site;
    // A body is made from its file's text and, for a generated page, from its title; its
    // search entry names its URL; its table of contents goes as deep as its guide says.
    let body_key = |i: PageId| {
        let p = &linked.pages[i];
        let depth = linked.navigation.guide_of(i).and_then(|g| g.toc_depth);
        hash_of(&(files, &p.path, p.page.source_hash, &p.page.title, depth))
    };
    let taken = cache.as_mut().and_then(|c| c.edits.take());
    let now = cache.as_ref().map(|c| c.included_now()).unwrap_or_default();
    let recorder = taken.as_ref();
    let reads = afm::include::Reads::default();
    let job_len = crate::parallel::job_len(texts.len());
    let bodies: Vec<(bool, u64, Cached)> = texts
        .into_par_iter()
        .enumerate()
        .with_max_len(job_len)
        .map_init(LinkMemo::default, |memo, (i, text)| {
            let key = body_key(PageId::at(i));
            match cache
                .as_ref()
                .and_then(|c| c.reuse(key, &now, (linked, i, pages, changed.as_ref()), memo))
            {
                Some(cached) => {
                    if let Some(recorder) = recorder {
                        let name = linked.pages[i].page.file.display_text();
                        recorder.reused(&name, key);
                    }
                    (false, key, cached)
                }
                None => {
                    let page = PageId::at(i);
                    let rendered = render_body(
                        linked,
                        page,
                        (key, pages),
                        (text.as_deref(), memo),
                        &reads,
                        pack,
                        recorder,
                    );
                    if let Some(sink) = &sink
                        && let Some(packed) = rendered.stored(true).and_then(|s| s.packed(key))
                    {
                        sink(packed);
                    }
                    // A page with something to report keeps its text for the snippets,
                    // rather than be read again for each of them.
                    if let Some(text) = text
                        && !(rendered.body.broken_links.is_empty()
                            && rendered.body.dropped.is_empty())
                    {
                        linked.pages[i].page.keep_for_diagnostics(text);
                    }
                    (true, key, rendered)
                }
            }
        })
        .collect();
    if let Some(cache) = cache {
        let included: FastSet<PathBuf> = bodies
            .iter()
            .flat_map(|(_, _, c)| c.included.iter().map(|f| f.path.clone()))
            .collect();
        keep(cache, linked, &bodies, pack);
        cache.edits =
            taken.map(|r| r.bodies_made(&included_pages(linked, &Included::of(&included))));
        cache.included = included;
        cache.seen = seen;
    }
    for (p, (_, _, Cached { body, .. })) in site.pages.iter_mut().zip(bodies) {
        report(&p.page, &body, &mut diagnostics);
        p.body = body;
    }
    diagnostics.extend(broken_badges(site));
    diagnostics
}

/// The errors of a page's broken links and the warnings of what its body left out.
fn report(page: &Page, body: &Body, diagnostics: &mut Vec<Diagnostic>) {
    // Where in the page's file, with its text for the snippet.
    let at = |d: Diagnostic, link: &markdown::BrokenLink| {
        d.in_file(&page.file.display)
            .with_source(page.source())
            .at(link.line, link.column)
    };
    for broken in &body.broken_links {
        let (message, help) = split_help(&broken.message);
        let mut d =
            at(Diagnostic::error(message), broken).with_link_label(broken.included.as_deref());
        if let Some(help) = help {
            d = d.with_help(help);
        }
        diagnostics.push(d);
    }
    for dropped in &body.dropped {
        let (message, help) = split_help(&dropped.message);
        let mut d = at(Diagnostic::warning(message), dropped).with_help(help.unwrap_or("set `markdown: { raw_html: trusted }` in site.yaml only if every author of the content is trusted"));
        // Written in an included file: at its include directive, naming that file.
        if let Some(file) = &dropped.included {
            d = d.with_label(format!("in `{file}`, included here"));
        }
        diagnostics.push(d);
    }
}

/// A warning for each badge of a page's front matter that names a page that is missing
/// (see [`badge_url`]), at its key's line: the badge shows without a link.
fn broken_badges(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        let names = |b: &afm::FrontBadge| b.url.as_deref().is_some_and(names_a_page);
        if !p.page.adobe.badges.iter().any(names) {
            continue;
        }
        for (key, badge) in crate::content::keyed_badges(&p.page.extra) {
            if let Some(url) = badge.url.as_deref().filter(|u| names_a_page(u))
                && badge_url(site, PageId::at(i), url).is_none()
            {
                found.push(
                    p.page
                        .diagnostic_at_key(broken_badge(&badge.label, url), key),
                );
            }
        }
    }
    found
}

/// The names of the page files that bodies include (`included`): an edit of one is an
/// edit of those bodies too, which a build after an edit of its text alone would not see
/// (see `body_edit`).
fn included_pages(site: &Site, included: &Included<'_>) -> Vec<String> {
    site.pages
        .iter()
        .filter(|p| included.holds(&p.page.file.path))
        .map(|p| p.page.file.display_text().into_owned())
        .collect()
}

/// The files bodies included, to tell whether a file is one of them: paths compared as
/// the system resolves them (an include may climb out of its folder, `../`), only for the
/// few files that bear an included file's name.
pub(crate) struct Included<'i> {
    names: FastSet<&'i std::ffi::OsStr>,
    real: FastSet<PathBuf>,
}

impl<'i> Included<'i> {
    pub(crate) fn of(included: &'i FastSet<PathBuf>) -> Included<'i> {
        Included {
            names: included.iter().filter_map(|p| p.file_name()).collect(),
            // On every core: a guide includes a hundred files, each resolved by a system
            // call per folder of its path (1.2 ms of On-Cloud's build on one core).
            real: included
                .par_iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect(),
        }
    }

    /// Whether `file` is one of the included files (or may be: one that bears such a
    /// name and cannot be resolved counts).
    pub(crate) fn holds(&self, file: &Path) -> bool {
        file.file_name().is_some_and(|n| self.names.contains(n))
            && std::fs::canonicalize(file).map_or(true, |r| self.real.contains(&r))
    }
}

/// Leaves this run's bodies in `cache`: in the sink's file (a build), or in memory.
/// `sent`: whether the bodies rendered in this run went to the sink as they came (see
/// [`places_html`]).
fn keep(cache: &mut Cache, site: &Site, bodies: &[(bool, u64, Cached)], sent: bool) {
    cache.rendered = bodies.iter().filter(|(fresh, ..)| *fresh).count();
    // Keep the bodies of this site only: in the sink's file, or here.
    let packed = cache.packed;
    // A packed body keeps the ids of its HTML if links of the site name its
    // `#anchors`: the next build checks them without unpacking its HTML. The anchors
    // stage, next, reads those same ids (read once). (A body placed in the store in this
    // build has them already, read before its HTML went there: see `Html::placed`.)
    let targets: FastSet<&str> = if packed {
        bodies
            .par_iter()
            .fold(FastSet::default, |mut set, (_, _, c)| {
                set.extend(c.body.anchors.iter().map(|a| a.target.as_str()));
                set
            })
            .reduce(FastSet::default, |mut a, b| {
                a.extend(b);
                a
            })
    } else {
        FastSet::default()
    };
    let stored = bodies
        .par_iter()
        .zip(&site.pages)
        .filter(|((fresh, ..), _)| !(sent && *fresh))
        .filter_map(|((_, key, cached), p)| {
            if targets.contains(p.path.as_str()) {
                cached.body.html.ids();
            }
            Some((*key, cached.stored(packed)?))
        });
    cache.bodies = match (packed, &cache.sink) {
        (true, Some(sink)) => {
            stored.for_each(|(key, s)| {
                if let Some(p) = s.packed(key) {
                    sink(p);
                }
            });
            FastMap::default()
        }
        _ => stored.collect(),
    };
}

/// Keys of what other pages show of page `p` (see [`Body::shown`] and [`Body::listed`]):
/// with its checklist's items, and with their progress only.
fn shown_keys(
    p: &crate::site::SitePage,
    checklist: Checklist<'_>,
    progress: Progress,
) -> (u64, u64) {
    let fields = (
        (&p.page.key, &p.page.lang, &p.path, &p.page.title),
        (&p.page.description, p.page.weight, p.page.kind),
    );
    (hash_of(&(fields, &checklist)), hash_of(&(fields, progress)))
}

/// Renders the body of page `i`, its links resolved against the site (where pages alike
/// resolved them, see [`LinkMemo`]), and notes the files its includes read (through
/// `reads`, shared by the pages of the run). `text` is the page's file text if the page
/// let go of it.
fn render_body(
    site: &Site,
    i: PageId,
    (key, pages): (u64, u64),
    (text, memo): (Option<&str>, &mut LinkMemo),
    reads: &afm::include::Reads,
    pack: bool,
    recorder: Option<&Recorder>,
) -> Cached {
    let p = &site.pages[i];
    // A page from the build cache comes without its text: `source` reads it again.
    let source;
    let text = match text.filter(|t| !t.is_empty()) {
        Some(text) => text,
        None => {
            source = p.page.source();
            &source
        }
    };
    let (r, included, links) = markdown_of(site, i, text, reads, memo);
    let link_deps = LinkDeps::of(pages, links.as_ref());
    // Lines in the body -> lines in the file.
    let line = |l: usize| p.page.body_line + l - 1;
    let checklist = Checklist {
        front: &p.page.checklist,
        tasks: &r.tasks,
    };
    let mut search_entry = if search::is_indexed(p) {
        search::entry(p, &r.toc, &r.plain, checklist)
    } else {
        String::new()
    };
    // The entry and the HTML grew by doubling and are kept until the page renders: give
    // the slack back (about a quarter of each, 50 MiB at 20,000 pages).
    search_entry.shrink_to_fit();
    let repeats = repeats_description(&r.plain, p.page.description.as_deref());
    if let (Some(recorder), Some(links)) = (recorder, links) {
        recorder.record(
            key,
            Made {
                site,
                page: i,
                text,
                rendered: &r,
                toc_depth: toc_depth(site, i),
                links,
                entry: &search_entry,
                repeats_description: repeats,
            },
        );
    }
    let progress = Progress::of(checklist);
    let (shown, listed) = shown_keys(p, checklist, progress);
    // What is rendered from the body (its page, its search entry) changes with its includes,
    // and with where its links go (the cache finds it by the key without them).
    let links_went = match &link_deps.resolved {
        Some(resolved) => resolved.hash,
        None => pages,
    };
    let key = if included.is_empty() {
        hash_of(&(key, links_went))
    } else {
        hash_of(&(key, links_went, &included))
    };
    let body = Body {
        key,
        shown,
        listed,
        html: if pack {
            Html::placed(r.html, key)
        } else {
            let mut html = r.html;
            html.shrink_to_fit();
            Html::new(html, key)
        },
        toc: r.toc,
        heading: r.heading.filter(|h| *h != p.page.title),
        title_ids: r.title_ids,
        repeats_description: repeats,
        anchors: r
            .anchors
            .into_iter()
            .map(|a| markdown::AnchorLink {
                line: line(a.line),
                ..a
            })
            .collect(),
        broken_links: r
            .broken_links
            .into_iter()
            .map(|b| markdown::BrokenLink {
                line: line(b.line),
                ..b
            })
            .collect(),
        dropped: r
            .dropped
            .into_iter()
            .map(|b| markdown::BrokenLink {
                line: line(b.line),
                ..b
            })
            .collect(),
        progress,
        tasks: r.tasks,
        entry_key: hash_bytes(search_entry.as_bytes()),
        search_entry: LazyText::new(search_entry),
    };
    Cached {
        body: Arc::new(body),
        included: included.into(),
        links: Arc::new(link_deps),
        packed: None,
    }
}

/// The Markdown of page `i`'s `text` rendered: its includes expanded first (noting each
/// file they read or looked for), its links resolved against the site, its positions
/// those of the page's file, its table of contents as deep as its guide says. Where its
/// links went too, if they go there on their own (a page of its own file, without
/// includes: see `body_edit` and [`LinkDeps`]).
fn markdown_of(
    site: &Site,
    i: PageId,
    text: &str,
    reads: &afm::include::Reads,
    memo: &mut LinkMemo,
) -> (markdown::Rendered, Vec<IncludedFile>, Option<Links>) {
    let p = &site.pages[i];
    let body = p.page.body_of(text);
    // `{{$include …}}` and `{{snippet}}` (Adobe Flavored Markdown), expanded first.
    let root = content_root(&site.config, &p.page);
    let includes = afm::include::Includes {
        root: &root,
        file: &p.page.file.path,
        reads,
    };
    let mut included = Vec::new();
    let (expanded, include_errors) = includes.expand(body, &mut included);
    let source = expanded.as_ref().map_or(body, |e| e.text.as_str());
    let resolver = PageLinks {
        site,
        from: i,
        titled: std::cell::RefCell::default(),
        expanded: expanded.as_ref().map(|e| (e, root.as_path())),
    };
    let note = !p.generated && expanded.is_none() && included.is_empty();
    // Where a link of an included file goes depends on that file's folder: not memoized.
    let memoized = Memoized::new(&resolver, site, i, memo);
    let plain: &dyn LinkResolver = match expanded {
        None => &memoized,
        Some(_) => &resolver,
    };
    let recording = Recording::new(plain);
    let mut r = markdown::render(
        source,
        &p.page.key,
        if note { &recording } else { plain },
        site.config.typography(p.lang()),
        site.config.raw_html,
    );
    to_body_positions(&mut r, body, expanded.as_ref(), include_errors, site);
    let depth = toc_depth(site, i);
    r.toc.retain(|h| h.level <= depth);
    let mut titled = resolver.titled.take();
    titled.sort_unstable();
    titled.dedup();
    included.extend(
        titled
            .into_iter()
            .map(|j| &site.pages[j].page.file.path)
            .filter(|path| !path.as_os_str().is_empty())
            .map(|path| IncludedFile::now(path)),
    );
    (r, included, note.then(|| recording.links()))
}

/// The deepest heading level page `i`'s table of contents lists: as its front matter
/// or its guide's `TOC.md` says (see [`crate::content::Page::toc_depth`]), else 3 (its
/// sections and their subsections).
fn toc_depth(site: &Site, i: PageId) -> u8 {
    site.pages[i]
        .page
        .toc_depth()
        .or_else(|| site.navigation.guide_of(i)?.toc_depth)
        .unwrap_or(3)
}

/// Moves the positions of a render of `body` with its includes expanded to where they are
/// in `body`, and adds the errors of its includes at theirs.
/// A link written in an included file is at its include directive, and names that file
/// (from the site's folder, as the page's own file is shown).
fn to_body_positions(
    r: &mut markdown::Rendered,
    body: &str,
    expanded: Option<&afm::include::Expanded>,
    include_errors: Vec<afm::include::IncludeError>,
    site: &Site,
) {
    let body_lines = Lines::new(body);
    if let Some(expanded) = expanded {
        let source_lines = Lines::new(&expanded.text);
        let relocate = |line: &mut usize, column: &mut usize, included: &mut Option<String>| {
            let offset = source_lines.offset(*line, *column);
            *included = expanded.file_at(offset).map(|file| {
                let shown = file.strip_prefix(&site.config.root).unwrap_or(file);
                shown.to_string_lossy().replace('\\', "/")
            });
            (*line, *column) = body_lines.line_col(expanded.page_offset(offset));
        };
        for b in r.broken_links.iter_mut().chain(&mut r.dropped) {
            relocate(&mut b.line, &mut b.column, &mut b.included);
        }
        for a in &mut r.anchors {
            relocate(&mut a.line, &mut a.column, &mut a.included);
        }
    }
    for e in include_errors {
        let (line, column) = body_lines.line_col(e.offset);
        r.broken_links.push(markdown::BrokenLink {
            message: e.message,
            line,
            column,
            included: None,
        });
    }
}

/// The content root of a page's language on disk: `content/fr/` for a page of the folder
/// layout, `content/` otherwise (where `/help/...` paths of Adobe's guides start).
fn content_root(config: &Config, page: &Page) -> PathBuf {
    let content = config.content_dir();
    match lang_folder(page) {
        Some(lang) => content.join(lang),
        None => content,
    }
}

/// The page's language folder in `content/`, if it is in one (`content/fr/...`).
fn lang_folder(page: &Page) -> Option<&str> {
    let display = page.file.display.to_str()?;
    let in_content = display.strip_prefix("content/")?;
    in_content
        .strip_prefix(page.lang.as_str())
        .filter(|rest| rest.starts_with('/'))
        .map(|_| page.lang.as_str())
}

/// Where a badge of page `i` (of its front matter, or of its guide's `TOC.md`) leads: a
/// link to a page (`/help/legacy-product-guide/disclaimer.md`, as Adobe's `badgeAll` of
/// a legacy guide has it) is that page's URL from `i`, as a link of `i`'s Markdown would
/// be, and `None` if it names no page; any other URL is as written.
pub(crate) fn badge_url(site: &Site, i: PageId, url: &str) -> Option<String> {
    if !names_a_page(url) {
        return Some(url.to_string());
    }
    let links = PageLinks {
        site,
        titled: std::cell::RefCell::default(),
        from: i,
        expanded: None,
    };
    match links.resolve(url, 0) {
        LinkTarget::Internal { href, .. } => Some(href),
        LinkTarget::External | LinkTarget::SamePage { .. } | LinkTarget::Warned(_) => {
            Some(url.to_string())
        }
        LinkTarget::Broken(_) => None,
    }
}

/// Whether `url` names a Markdown page (`x.md`, `x.md#part`, `x.md?q`).
pub(crate) fn names_a_page(url: &str) -> bool {
    url.split(['#', '?'])
        .next()
        .is_some_and(|path| path.ends_with(".md"))
}

/// The warning for a badge whose `url` names a missing page.
pub(crate) fn broken_badge(label: &str, url: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "badge `{label}`: link to `{url}`: no such page in content/"
    ))
    .with_help("the badge shows without a link")
}

/// Answers link questions for one page's body.
struct PageLinks<'a> {
    site: &'a Site,
    from: PageId,
    /// The pages whose titles links without words took: the body shows them, and is
    /// made again when one of their files changes (as if it included them).
    titled: std::cell::RefCell<Vec<PageId>>,
    /// The body with its includes expanded (what is rendered), and the content root the
    /// included files are in.
    expanded: Option<(&'a afm::include::Expanded, &'a Path)>,
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, dest: &str, at: usize) -> LinkTarget {
        let from = &self.site.pages[self.from];
        if let Some(fragment) = dest.strip_prefix('#').filter(|f| names_an_anchor(f)) {
            return LinkTarget::SamePage {
                target: from.path.clone(),
                fragment: fragment.to_string(),
            };
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = page_path(path.split('?').next().unwrap_or(path));
        if path.is_empty() || is_external(path) {
            return LinkTarget::External;
        }
        if !path.ends_with(".md") {
            return self.resolve_file(dest, path, at);
        }
        let path = unescape_spaces(path);
        let (stem, wanted) = self.stem_and_language(&path);
        if let Some(j) = self.page_named(stem, wanted, at) {
            return self.to_page(j, fragment);
        }
        let keys: Vec<String> = self.keys_of(stem, at).collect();
        if keys.iter().any(|key| self.site.is_unreadable(key)) {
            // The page's file is an error of its own: this link is not another one.
            return LinkTarget::External;
        }
        let message = format!("link to `{dest}`: no such page in content/");
        let suggestion = keys.iter().find_map(|key| {
            let (folder, name) = key.rsplit_once('/').unwrap_or(("", key));
            let near = closest(name, self.site.names_in(folder).iter().map(String::as_str))
                .or_else(|| self.site.name_of_slug(folder, name))?;
            let at = dest.rfind(name)?;
            Some(format!("{}{near}{}", &dest[..at], &dest[at + name.len()..]))
        });
        LinkTarget::Broken(match suggestion {
            Some(s) => with_help(&message, &format!("did you mean `{s}`?")),
            None => message,
        })
    }

    fn title(&self, dest: &str, at: usize) -> Option<String> {
        let path = page_path(dest.split(['#', '?']).next()?);
        if is_external(path) || !path.ends_with(".md") {
            return None;
        }
        let path = unescape_spaces(path);
        let (stem, wanted) = self.stem_and_language(&path);
        let j = self.page_named(stem, wanted, at)?;
        self.titled.borrow_mut().push(j);
        Some(self.site.pages[j].page.title.clone())
    }
}

impl PageLinks<'_> {
    /// A link to page `j`, at its `#fragment` if it has one.
    fn to_page(&self, j: PageId, fragment: Option<&str>) -> LinkTarget {
        let from = &self.site.pages[self.from];
        let target = &self.site.pages[j];
        let href = href(&from.path, &target.path, fragment);
        let hreflang = (target.lang() != from.lang()).then(|| target.lang().to_string());
        let anchor = fragment
            .filter(|f| names_an_anchor(f))
            .map(|f| (target.path.clone(), f.to_string()));
        LinkTarget::Internal {
            href,
            hreflang,
            anchor,
        }
    }

    /// A link to a folder (`variables/`, `/help/guide/`): to its `_index` page in the
    /// page's language if it has one. A folder of pages without one has no page at its
    /// address (Adobe's guides have a few such links): left as written, with a warning
    /// naming a page of it. Any other folder is not content's to judge (a folder of
    /// `static/` with its own `index.html`, a server's listing).
    fn resolve_folder(&self, dest: &str, path: &str, at: usize) -> LinkTarget {
        let fragment = dest.split_once('#').map(|(_, f)| f);
        let lang = self.site.pages[self.from].lang();
        if let Some(j) = self.page_named(&format!("{path}_index"), lang, at) {
            return self.to_page(j, fragment);
        }
        let folder = path.trim_end_matches('/');
        let Some(first) = self.keys_of(folder, at).find_map(|key| {
            let names = self.site.names_in(&key);
            let first = names.iter().find(|n| *n == "overview").or(names.first())?;
            Some(first.clone())
        }) else {
            return LinkTarget::External;
        };
        LinkTarget::Warned(with_help(
            &format!(
                "link to the folder `{}`: it has no page of its own (`_index.md`), so the link leads nowhere",
                markdown::short(dest)
            ),
            &format!("link to one of its pages, such as `{path}{first}.md`"),
        ))
    }

    /// The stem (the path without `.md`) of a link to a content file, and the language
    /// it asks for: `x.en.md` English, `x.md` the linking page's.
    fn stem_and_language<'p>(&'p self, path: &'p str) -> (&'p str, &'p str) {
        let stem = crate::text::trim_end_all(path, ".md");
        match stem.rsplit_once('.') {
            Some((base, marker)) if self.site.config.has_language(marker) => (base, marker),
            _ => (stem, self.site.pages[self.from].lang()),
        }
    }

    /// The page a link to `stem` names: each key it may name in turn (see
    /// [`PageLinks::keys_of`]; most links name the first), in the language it asks for,
    /// else in the default language, else in any.
    fn page_named(&self, stem: &str, wanted: &str, at: usize) -> Option<PageId> {
        let default = self.site.config.default_language();
        self.keys_of(stem, at).find_map(|key| {
            self.site
                .find(&key, wanted)
                .or_else(|| self.site.find(&key, default))
                .or_else(|| {
                    self.site
                        .config
                        .languages
                        .iter()
                        .find_map(|l| self.site.find(&key, &l.code))
                })
        })
    }
}

/// Whether a body's text (`plain`, without markup) opens with the words of the page's
/// `description`: Adobe's guides often repeat it as their first paragraph (3,382 of the
/// 4,168 pages of Dynamic Media's developer guide), which the page showed twice, as its
/// lead and its text. Compared character by character without white space (the body's
/// text has some where its markup was: `a [content fragment](…).`), from a word among
/// the first [`OPENING`] bytes (a callout or a shaded box may come first), up to the end
/// of a word or of a sentence (`ID.Il existe`, glued by machine translation).
pub(crate) fn repeats_description(plain: &str, description: Option<&str>) -> bool {
    let Some(description) = description.filter(|d| !d.trim().is_empty()) else {
        return false;
    };
    // A description's last full stop may be the text's comma or colon: the sentence goes
    // on (Learning Manager: `…create your account.` before `…create your account, by
    // following the steps below:`).
    let (description, sentence) = match description.trim_end().strip_suffix('.') {
        Some(words) => (words, false),
        None => (
            description,
            description.trim_end().ends_with(['!', '?', ':']),
        ),
    };
    let Some(first) = description.trim_start().chars().next() else {
        return false;
    };
    // Tried only where a word of the text starts as the description does (capitals aside),
    // in the text's opening alone: searched through the whole text, a first letter found
    // nowhere else (a capital) made this 3.8% of a first build's instructions.
    let mut end = plain.len().min(OPENING + 4);
    while !plain.is_char_boundary(end) {
        end -= 1;
    }
    let opening = &plain[..end];
    let starts: Box<dyn Iterator<Item = usize>> = if first.is_ascii() {
        let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        Box::new(memchr::memchr2_iter(
            lower as u8,
            upper as u8,
            opening.as_bytes(),
        ))
    } else {
        // A letter whose small one is not ASCII (`É`) is none of the text's ASCII
        // letters: those are passed over without Unicode's tables (which, for every
        // character of the opening of 61 French pages in 2,000, were 0.8% of a build).
        let ascii_twin = first.to_lowercase().any(|c| c.is_ascii());
        Box::new(
            opening
                .char_indices()
                .filter(move |&(_, c)| (ascii_twin || !c.is_ascii()) && same_letter(c, first))
                .map(|(at, _)| at),
        )
    };
    starts
        .take_while(|&at| at <= OPENING)
        .filter(|&at| at == 0 || plain[..at].ends_with(char::is_whitespace))
        .any(|at| words_at(&plain[at..], description, sentence))
}

/// How far into a body's text its description may be repeated (see
/// [`repeats_description`]): a callout or two before it (a French callout runs longer:
/// Workfront Fusion's repeat starts at byte 481 in English, 679 in French).
const OPENING: usize = 1000;

/// Whether `text` starts with the words of `description` (see [`repeats_description`]),
/// capitals and commas, colons and semicolons aside (Support Resources: `…sandbox
/// Requests.` before `…sandbox requests.`).
fn words_at(text: &str, description: &str, sentence: bool) -> bool {
    // A comma, a colon or a semicolon more or less is the same sentence: Primetime's
    // migrated descriptions have two spaces where the text has its colon
    // (`…configuration files  a global…` before `…configuration files: a global…`), or
    // a comma less.
    let skipped = |c: &char| c.is_whitespace() || matches!(c, ',' | ':' | ';');
    let mut text = text.chars().peekable();
    for wanted in description.chars().filter(|c| !skipped(c)) {
        while text.next_if(skipped).is_some() {}
        if !text.next().is_some_and(|c| same_letter(c, wanted)) {
            return false;
        }
    }
    // The description may leave out the sentence's last sign (Workfront's known issues:
    // `…may not show as expected` before the text's `…as expected.`).
    sentence
        || text
            .peek()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '.' | '!' | '?' | ':' | ';' | ','))
}

/// Whether `a` and `b` are the same letter, capital or not (two ASCII letters compared
/// as such, without Unicode's tables).
fn same_letter(a: char, b: char) -> bool {
    a == b
        || if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(&b)
        } else {
            a.to_lowercase().eq(b.to_lowercase())
        }
}

/// A link's path, a page's `x.md/` read as `x.md`: Experience League's guides write a few
/// (`investigate-performance.md/#monitor-…`), which their site serves as the page, and
/// which left as written would lead nowhere without a word.
fn page_path(path: &str) -> &str {
    path.strip_suffix('/')
        .filter(|p| p.ends_with(".md"))
        .unwrap_or(path)
}

/// Whether a link's `#fragment` must be an id of its page to land somewhere: not an empty
/// one, nor `top`, which browsers take to the top of any page (the HTML standard's
/// "indicated part of the document"): "[Back to top](#top)".
fn names_an_anchor(fragment: &str) -> bool {
    !fragment.is_empty() && !fragment.eq_ignore_ascii_case("top")
}

/// A broken link's message carries its help after a newline (the markdown stage keeps
/// one string per broken link): [`with_help`] joins them, [`split_help`] parts them.
fn with_help(message: &str, help: &str) -> String {
    format!("{message}\n{help}")
}

fn split_help(message: &str) -> (&str, Option<&str>) {
    match message.split_once('\n') {
        Some((message, help)) => (message, Some(help)),
        None => (message, None),
    }
}

impl PageLinks<'_> {
    /// The page keys a link to `stem` (its path without `.md`) may name, in the order they
    /// are looked up: from the site's root if it starts with `/`; else from the included
    /// file it is written in (at `at`), then from the page, then from the root (guides
    /// have each: a Markdown link of an include is written from its folder, a raw HTML one
    /// at times from the pages that include it). Made one at a time, as they are tried.
    fn keys_of<'k>(&'k self, stem: &'k str, at: usize) -> impl Iterator<Item = String> + 'k {
        let from = &self.site.pages[self.from];
        let absolute = stem.strip_prefix('/');
        let relative = absolute.is_none();
        // Each key is made in one string (joined, formatted, normalized and trimmed in
        // strings of their own, they were a fiftieth of a first build at 2,000 pages).
        let included = move || {
            relative
                .then(|| self.included_from(at))
                .flatten()
                .and_then(|dirs| normalize_parts(dirs.split('/').chain(stem.split('/'))))
        };
        let from_page = move || {
            let folder = from.page.file.key.rsplit_once('/').map_or("", |(f, _)| f);
            relative
                .then(|| normalize_parts(folder.split('/').chain(stem.split('/'))))
                .flatten()
        };
        let from_root = move || normalize(absolute.unwrap_or(stem));
        std::iter::once_with(included)
            .chain(std::iter::once_with(from_page))
            .chain(std::iter::once_with(from_root))
            .flatten()
            .map(|mut key| {
                while key.ends_with("/index") {
                    key.truncate(key.len() - "/index".len());
                }
                key
            })
    }

    /// The folder (from the content root, `help/_includes`) of the included file whose
    /// text is at `at` of the rendered source, if it is one's: its relative links are
    /// written from there, as Experience League reads them.
    fn included_from(&self, at: usize) -> Option<String> {
        let (expanded, root) = self.expanded?;
        let folder = expanded.file_at(at)?.parent()?.strip_prefix(root).ok()?;
        Some(folder.to_string_lossy().replace('\\', "/"))
    }

    /// A link or image to a file that is not a page: beside the included file it is
    /// written in or the page in `content/`, or in `static/` (from the site root with a
    /// leading `/`).
    fn resolve_file(&self, dest: &str, path: &str, at: usize) -> LinkTarget {
        let from = &self.site.pages[self.from];
        let path = unescape_spaces(path);
        let mut candidates = Vec::new();
        if let Some(absolute) = path.strip_prefix('/') {
            // `/help/assets/x.png` of Adobe's guides: in the page's language folder first.
            if let Some(lang) = lang_folder(&from.page) {
                candidates.push(normalize(&format!("{lang}/{absolute}")));
            }
            candidates.push(normalize(absolute));
        } else {
            // The folder of the file in content/, language folder included.
            let display = from.page.file.display.to_string_lossy().replace('\\', "/");
            let in_content = display.strip_prefix("content/").unwrap_or(&display);
            if let Some(included) = self.included_from(at) {
                let folder = match lang_folder(&from.page) {
                    Some(lang) => format!("{lang}/{included}"),
                    None => included,
                };
                candidates.push(normalize(&format!("{folder}/{path}")));
            }
            let folder = in_content.rsplit_once('/').map_or("", |(d, _)| d);
            candidates.push(normalize(&format!("{folder}/{path}")));
            candidates.push(normalize(&path));
        }
        for candidate in candidates.into_iter().flatten() {
            if self.site.files.contains(&candidate) {
                let fragment = dest.split_once('#').map(|(_, f)| f);
                let href = href(&from.path, &candidate, fragment);
                return LinkTarget::Internal {
                    href,
                    hreflang: None,
                    anchor: None,
                };
            }
        }
        if path.ends_with('/') {
            return self.resolve_folder(dest, &path, at);
        }
        if is_experience_league_path(&path) {
            // `/en/docs/<other guide>/...`: a page of Experience League written as its
            // path there, where the guides are published.
            return LinkTarget::Internal {
                href: format!("https://experienceleague.adobe.com{dest}"),
                hreflang: None,
                anchor: None,
            };
        }
        LinkTarget::Broken(format!(
            "`{dest}` not found: not beside the page in content/, nor in static/"
        ))
    }
}

/// Whether a root path is one of Experience League's pages (`/docs/…`, `/en/docs/…`,
/// `/fr-FR/docs/…`) rather than a file of the site.
fn is_experience_league_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let rest = match rest.split_once('/') {
        // A language: `en`, `fr-FR`, `zh-Hans`.
        Some((lang, rest))
            if lang.len() <= 7
                && lang
                    .get(..2)
                    .is_some_and(|l| l.bytes().all(|b| b.is_ascii_alphabetic()))
                && (lang.len() == 2
                    || lang.as_bytes()[2] == b'-'
                        && lang[3..].bytes().all(|b| b.is_ascii_alphabetic())) =>
        {
            rest
        }
        _ => rest,
    };
    rest.starts_with("docs/")
}

/// `%20` in a link's path as the space it stands for.
fn unescape_spaces(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains("%20") {
        std::borrow::Cow::Owned(path.replace("%20", " "))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// Resolves `.` and `..` in a `/`-separated path; `None` if it climbs above the root.
fn normalize(path: &str) -> Option<String> {
    normalize_parts(path.split('/'))
}

/// [`normalize`] of the path that `parts` make, joined by `/`.
fn normalize_parts<'p>(parts: impl Iterator<Item = &'p str>) -> Option<String> {
    let mut out = String::new();
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                out.truncate(out.rfind('/').unwrap_or(0));
            }
            p => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(p);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body packed with its HTML as it is or placed in the store (as a build of a large
    /// site does) reads back the same; bytes that are not a body do not read back.
    #[test]
    fn a_packed_body_reads_back_whole_or_placed() {
        let entry = "{\"t\":\"Title\"}".repeat(50);
        let html = "<p id=\"x\">Text</p>".repeat(50);
        let body = |html: Html| Body {
            key: 7,
            shown: 9,
            listed: 8,
            html,
            toc: vec![crate::markdown::Heading {
                level: 2,
                id: "a".repeat(40),
                text: "A".repeat(40),
            }],
            search_entry: LazyText::new(entry.clone()),
            ..Body::default()
        };
        let bytes = |b: &Body| postcard::to_stdvec(b).unwrap();
        let whole = body(Html::new(html.clone(), 7));
        // A placed body's ids are read as it is made: they go with it.
        whole.html.ids();
        let placed = body(Html::placed(html.clone(), 7));
        assert!(matches!(pack(&placed).unwrap().html, PackedText::Placed(_)));
        for packed in [pack(&whole).unwrap(), pack(&placed).unwrap()] {
            let back = unpack(&packed).expect("reads back");
            assert_eq!(bytes(&back), bytes(&whole));
            assert_eq!(back.html.as_str(), html);
            // The search entry, kept apart, is unpacked when it is read.
            assert_eq!(back.search_entry.as_str(), entry);
        }
        let unknown = PackedBody {
            rest: bytes::Bytes::from_static(&[1, 2]),
            html: PackedText::Plain(bytes::Bytes::new()),
            entry: PackedText::Plain(bytes::Bytes::new()),
            kept: None,
        };
        assert!(unpack(&unknown).is_none());
    }

    /// The description is looked for where a word starts in the text's first [`OPENING`]
    /// bytes, and nowhere past them, whatever its first letter's length.
    #[test]
    fn a_description_is_repeated_in_the_opening_only() {
        for first in ["A", "É"] {
            let description = format!("{first}bc def.");
            let pad = |n: usize| "x".repeat(n - 1) + " ";
            let at = |n: usize| format!("{}{first}bc def. More.", pad(n));
            assert!(repeats_description(&at(OPENING), Some(&description)));
            assert!(!repeats_description(&at(OPENING + 1), Some(&description)));
            assert!(repeats_description(
                &format!("{first}bc def."),
                Some(&description)
            ));
            assert!(!repeats_description(
                &format!("{first}bc"),
                Some(&description)
            ));
            // Its first letter in the other case.
            let lower = description.to_lowercase();
            assert!(repeats_description(&at(OPENING), Some(&lower)));
            assert!(!repeats_description(&at(OPENING + 1), Some(&lower)));
        }
        // A comma, a colon or a semicolon more or less is the same sentence.
        assert!(repeats_description(
            "Two kinds of files: a global one, and more.",
            Some("Two kinds of files  a global one and more.")
        ));
        assert!(!repeats_description(
            "Two kinds of files: a global one.",
            Some("Two kinds of files, a local one.")
        ));
        // A first letter whose small one is ASCII (the Kelvin sign's is `k`) is looked for
        // among ASCII letters too.
        assert!(repeats_description(
            "Lead. kbc def.",
            Some("\u{212A}bc def.")
        ));
    }

    #[test]
    fn normalizing() {
        assert_eq!(normalize("roles/../teams/x").as_deref(), Some("teams/x"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("/a/./b//c/").as_deref(), Some("a/b/c"));
        assert_eq!(normalize("a/b/../..").as_deref(), Some(""));
        assert_eq!(normalize("a/../.."), None);
        assert_eq!(
            normalize_parts("help/x".split('/').chain("../y/z.md".split('/'))).as_deref(),
            Some("help/y/z.md")
        );
    }

    #[test]
    fn experience_league_paths() {
        for path in [
            "/docs/commerce/x",
            "/en/docs/aem/a/b",
            "/fr-FR/docs/x",
            "/zh-Hans/docs/x",
        ] {
            assert!(is_experience_league_path(path), "{path}");
        }
        for path in [
            "/help/docs/x",
            "docs/x",
            "/static/docs.png",
            "/assets/x/docs/y",
        ] {
            assert!(!is_experience_league_path(path), "{path}");
        }
    }
}
