//! The records of pages' bodies that a build after an edit of their text alone makes
//! their files from (see `body_edit`): what each body was made with (the hash of the text
//! before it, where each of its links went, what the rest of the site sees of it) and
//! where its HTML and its search entry are in the output. A build writes them beside the
//! output (`.public.equipe-edits`) as its bodies render, in frames: a record per page (a
//! body the build cache gives keeps its frame of the last file), the pages that have none
//! after all, and last the hash of the output's listing in the stamp, which ties the file
//! to that stamp. A build after an edit appends the records of the pages it made again;
//! the later frame of a page wins. So does a build that reuses bodies from the build
//! cache, while the file is mostly records of pages as they are (see [`Place`]).

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::checklist_item::Checklist;
use crate::diagnostics::Diagnostic;
use crate::hash::{FastMap, FastSet, hash_all, hash_bytes, hash_of};
use crate::markdown::{self, Heading, LinkResolver, LinkTarget, Rendered};
use crate::sanitize::RawHtml;
use crate::search::EntryPage;
use crate::site::{PageId, Site};
use crate::swap::sibling;
use crate::typography::Typography;

/// Names the format of the records' file.
const MAGIC: &[u8] = b"equipe edits 5\n";

/// A record: the page's file name, the key of its body, then its [`Editable`].
const RECORD: u8 = 1;
/// Names of pages that have no record, whatever an earlier frame says.
const EXCLUDED: u8 = 2;
/// The hash of the output's listing the records go with: the file's last frame.
const END: u8 = 3;
/// What a heading edit renders a page's table of contents with (see `toc_edit`): the
/// last such frame holds for every page.
const TOCS: u8 = 4;

/// What a page's body was made with, and where it is in the output.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Editable {
    /// The hash of the page file's text before the body: the front matter and its
    /// `---` lines (the body's first line is then the same line of the file).
    front: u64,
    /// The hash of the body's first `# Heading`: a page without `title:` takes it.
    heading: u64,
    /// The page's file in the output folder.
    pub(crate) output: String,
    /// What the Markdown stage takes besides the text.
    page_key: String,
    typography: Typography,
    raw_html: RawHtml,
    toc_depth: u8,
    /// Each link or image the body made, as written, and where it went.
    links: Vec<(String, LinkTarget)>,
    /// Each link without words, and the title it took.
    titles: Vec<(String, Option<String>)>,
    /// What the rest of the site and the page around its body see of it (see [`seen`]).
    seen: u64,
    /// Its table of contents, which the page shows outside the body (see `toc_edit`).
    pub(crate) toc: Vec<Heading>,
    /// The page's description, which the page shows as its lead unless the body opens
    /// with its words.
    description: Option<String>,
    /// The body's HTML in the page's file.
    pub(crate) html: Located,
    /// The page's search entry, if it has one.
    pub(crate) entry: Option<KeptEntry>,
}

/// A page's entry in its language's search index.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct KeptEntry {
    /// The index's file in the output folder.
    pub(crate) index: String,
    /// The hash of the entry (the body's `entry_key`).
    pub(crate) key: u64,
    pub(crate) at: Located,
    /// What the entry is made of besides the body.
    page: EntryPage,
}

/// How to find a text in a file it was written into whole: its length, its first and
/// last bytes. Where the first bytes come once only and the last ones end the text there,
/// it is that text: the file is as the build that wrote it left it (the stamp says so), a
/// page's file holds its body once, and an index each entry once.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Located {
    pub(crate) len: usize,
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl Located {
    pub(crate) fn of(text: &[u8], ends: usize) -> Located {
        let ends = ends.min(text.len());
        Located {
            len: text.len(),
            head: text[..ends].to_vec(),
            tail: text[text.len() - ends..].to_vec(),
        }
    }

    /// Where the text starts in `file`, if it is there as described.
    pub(crate) fn find(&self, file: &[u8]) -> Option<usize> {
        if self.head.is_empty() {
            return None;
        }
        let at = memchr::memmem::find(file, &self.head)?;
        let end = at.checked_add(self.len)?;
        let ends_there =
            end >= self.tail.len() && file.get(end - self.tail.len()..end) == Some(&self.tail[..]);
        let once = memchr::memmem::find(&file[at + 1..], &self.head).is_none();
        (ends_there && once).then_some(at)
    }
}

/// How many bytes of each end of a body's HTML, and of an entry (whose first bytes hold
/// its title and URL), a record keeps.
pub(crate) const HTML_ENDS: usize = 48;
pub(crate) const ENTRY_ENDS: usize = 96;

/// What the rest of the site and the page around its body see of a rendered body, but
/// for its table of contents (see `toc_edit`): its checklist's items, its links to `#fragments`, the `# Title` it
/// opened with, whether it opens with the page's `description` (the page's lead then goes).
/// Its ids and headings, which links to its sections and its translations' alignment see,
/// are compared with those of the HTML in the page's file.
fn seen(r: &Rendered, lead: bool) -> u64 {
    let anchors = hash_all(r.anchors.iter().map(|a| (&a.target, &a.fragment, &a.href)));
    // The `# Title` it opened with shows outside its HTML, as the page's heading, and
    // other pages' links to it land on the page by its ids.
    let title = (&r.heading, &r.title_ids);
    hash_of(&(&r.tasks, anchors, title, lead))
}

/// Where the links of a body went: each link or image as written and its target, each
/// link without words and the title it took.
pub(crate) struct Links {
    links: Vec<(String, LinkTarget)>,
    titles: Vec<(String, Option<String>)>,
}

impl Links {
    /// Where the links went, as one number (see `bodies::LinkDeps`).
    pub(crate) fn hash(&self) -> u64 {
        links_hash(&self.links, &self.titles)
    }

    /// Whether each link went to a page, a file or outside (see `bodies::LinkDeps`).
    pub(crate) fn settled(&self) -> bool {
        (self.links.iter())
            .all(|(_, target)| !matches!(target, LinkTarget::Broken(_) | LinkTarget::Warned(_)))
    }

    /// What the links and the links without words named, each once.
    pub(crate) fn dests(&self) -> (Vec<String>, Vec<String>) {
        (
            self.links.iter().map(|(d, _)| d.clone()).collect(),
            self.titles.iter().map(|(d, _)| d.clone()).collect(),
        )
    }
}

/// Where links went, and the titles links without words took, as one number.
pub(crate) fn links_hash(
    links: &[(String, LinkTarget)],
    titles: &[(String, Option<String>)],
) -> u64 {
    hash_of(&(links, titles))
}

/// A resolver that notes where each link goes, for a page's record.
pub(crate) struct Recording<'r> {
    inner: &'r dyn LinkResolver,
    links: RefCell<Vec<(String, LinkTarget)>>,
    titles: RefCell<Vec<(String, Option<String>)>>,
}

impl<'r> Recording<'r> {
    pub(crate) fn new(inner: &'r dyn LinkResolver) -> Recording<'r> {
        Recording {
            inner,
            links: RefCell::default(),
            titles: RefCell::default(),
        }
    }

    /// Where the links it resolved went, each once (a body that links a page twice
    /// links it to the same place), sorted for [`Replay`] to look them up.
    pub(crate) fn links(self) -> Links {
        let mut links = self.links.into_inner();
        links.sort_by(|a, b| a.0.cmp(&b.0));
        links.dedup_by(|a, b| a.0 == b.0);
        let mut titles = self.titles.into_inner();
        titles.sort_by(|a, b| a.0.cmp(&b.0));
        titles.dedup_by(|a, b| a.0 == b.0);
        Links { links, titles }
    }
}

impl LinkResolver for Recording<'_> {
    fn resolve(&self, dest: &str, at: usize) -> LinkTarget {
        let target = self.inner.resolve(dest, at);
        self.links
            .borrow_mut()
            .push((dest.to_string(), target.clone()));
        target
    }

    fn title(&self, dest: &str, at: usize) -> Option<String> {
        let title = self.inner.title(dest, at);
        self.titles
            .borrow_mut()
            .push((dest.to_string(), title.clone()));
        title
    }
}

/// The resolver of a body rendered again from its record: the links its last render made
/// go where they went; any other is `missed`, and the edit is built as usual.
struct Replay<'r> {
    record: &'r Editable,
    missed: Cell<bool>,
}

impl LinkResolver for Replay<'_> {
    fn resolve(&self, dest: &str, _at: usize) -> LinkTarget {
        let links = &self.record.links;
        match links.binary_search_by(|(d, _)| d.as_str().cmp(dest)) {
            Ok(at) => links[at].1.clone(),
            Err(_) => {
                self.missed.set(true);
                LinkTarget::External
            }
        }
    }

    fn title(&self, dest: &str, _at: usize) -> Option<String> {
        let titles = &self.record.titles;
        match titles.binary_search_by(|(d, _)| d.as_str().cmp(dest)) {
            Ok(at) => titles[at].1.clone(),
            Err(_) => {
                self.missed.set(true);
                None
            }
        }
    }
}

/// What a page's body was made from and into, as the bodies stage has it, for
/// [`Recorder::record`].
pub(crate) struct Made<'a> {
    pub site: &'a Site,
    pub page: PageId,
    /// The page file's text.
    pub text: &'a str,
    /// Its body rendered (its table of contents as deep as its page shows it).
    pub rendered: &'a Rendered,
    /// The deepest heading level its table of contents keeps.
    pub toc_depth: u8,
    pub links: Links,
    /// Its search entry (empty if it has none).
    pub entry: &'a str,
    /// Whether it opens with the page's description (see
    /// [`crate::bodies::repeats_description`]), found once for the body and its record.
    pub repeats_description: bool,
}

impl Editable {
    /// The record of a body; `None` if it cannot be edited so: its text includes other
    /// files (`{{…}}`: an include's edit is another input), or its HTML is empty (there
    /// is nothing to find in its file).
    fn of(made: Made<'_>) -> Option<Editable> {
        let (site, p, r) = (made.site, &made.site.pages[made.page], made.rendered);
        let start = p.page.body_start;
        let body = made.text.get(start..)?;
        if crate::text::has(body, "{{") || r.html.is_empty() {
            return None;
        }
        let checklist = Checklist {
            front: &p.page.checklist,
            tasks: &r.tasks,
        };
        Some(Editable {
            front: hash_bytes(&made.text.as_bytes()[..start]),
            heading: hash_of(&crate::content::first_heading(body)),
            output: p.page.output.clone(),
            page_key: p.page.key.clone(),
            typography: site.config.typography(p.lang()),
            raw_html: site.config.raw_html,
            toc_depth: made.toc_depth,
            links: made.links.links,
            titles: made.links.titles,
            seen: seen(r, made.repeats_description),
            toc: r.toc.clone(),
            description: p.page.description.clone(),
            html: Located::of(r.html.as_bytes(), HTML_ENDS),
            entry: (!made.entry.is_empty()).then(|| KeptEntry {
                index: crate::search::index_path(p.lang()),
                key: hash_bytes(made.entry.as_bytes()),
                at: Located::of(made.entry.as_bytes(), ENTRY_ENDS),
                page: EntryPage::of(p, checklist),
            }),
        })
    }

    /// The body of the page's new `text`, its search entry and its table of contents, if
    /// the rest of the site sees the same of it (but for its ids and headings, see
    /// `body_edit`).
    pub(crate) fn edit(&self, text: &str) -> Option<(String, Option<String>, Vec<Heading>)> {
        let start = crate::content::body_start(text)?;
        if hash_bytes(&text.as_bytes()[..start]) != self.front {
            return None;
        }
        let body = &text[start..];
        if crate::text::has(body, "{{")
            || hash_of(&crate::content::first_heading(body)) != self.heading
        {
            return None;
        }
        let replay = Replay {
            record: self,
            missed: Cell::new(false),
        };
        let mut r = markdown::render(
            body,
            &self.page_key,
            &replay,
            self.typography,
            self.raw_html,
        );
        if replay.missed.get() || !r.broken_links.is_empty() || !r.dropped.is_empty() {
            return None;
        }
        r.toc.retain(|h| h.level <= self.toc_depth);
        let lead = crate::bodies::repeats_description(&r.plain, self.description.as_deref());
        if seen(&r, lead) != self.seen || r.html.is_empty() {
            return None;
        }
        let entry = self.entry.as_ref().map(|e| e.page.entry(&r.toc, &r.plain));
        Some((r.html, entry, r.toc))
    }
}

/// Pages' records, by page file name.
type Records<'k> = FastMap<&'k str, Record<'k>>;

/// The records a build after an edit asked for (see [`Kept::records_of`]).
pub(crate) struct Wanted<'k> {
    /// Each page's [`Editable`], serialized, by page file name.
    pub(crate) records: FastMap<&'k str, &'k [u8]>,
    /// The last facts for heading edits (see `toc_edit`).
    pub(crate) tocs: Option<&'k [u8]>,
}

/// What a [`Kept`] file holds for a build: pages' records, the hash of the output's
/// listing it ends with, the last facts for heading edits.
type Frames<'k> = (Records<'k>, u64, Option<&'k [u8]>);

/// A page's record in a [`Kept`] file.
#[derive(Clone, Copy)]
struct Record<'k> {
    /// The key of the body it was made for.
    key: u64,
    /// The [`Editable`], serialized.
    bytes: &'k [u8],
    /// Its whole frame, as a build that keeps it writes it again.
    frame: &'k [u8],
}

/// The records of the last build, as its file holds them.
pub(crate) struct Kept {
    bytes: bytes::Bytes,
}

impl Kept {
    /// The records beside the output folder at `output`, if there are.
    pub(crate) fn beside(output: &Path) -> Option<Kept> {
        Kept::read(&file_beside(output))
    }

    /// The records of the pages `wanted`, if the file goes with the output's `listing`
    /// in the stamp (a page without one is left out), and the last build's facts for
    /// heading edits (see `toc_edit`), if it recorded them.
    pub(crate) fn records_of(&self, wanted: &[&str], listing: &str) -> Option<Wanted<'_>> {
        let (records, end, tocs) = self.records(|name| wanted.contains(&name))?;
        (end == token(listing)).then(|| Wanted {
            records: records.into_iter().map(|(n, r)| (n, r.bytes)).collect(),
            tocs,
        })
    }

    /// Each page's record, by name, with the key of its body and its whole frame, and the
    /// last facts for heading edits; `None` if the file is cut short.
    fn by_page(&self) -> Option<(FastMap<String, Previous>, Option<bytes::Bytes>)> {
        let (records, _, tocs) = self.records(|_| true)?;
        let records = records
            .into_iter()
            .map(|(name, r)| {
                let frame = self.bytes.slice_ref(r.frame);
                let kept = AtomicBool::new(false);
                (
                    name.to_string(),
                    Previous {
                        key: r.key,
                        frame,
                        kept,
                    },
                )
            })
            .collect();
        // The facts copied (1 MB at 20,000 pages), not shared: sharing them kept the whole
        // mapped file (37 MiB) in the build's memory to its end, past the bodies stage
        // that lets the records go.
        Some((records, tocs.map(bytes::Bytes::copy_from_slice)))
    }

    fn read(path: &Path) -> Option<Kept> {
        let bytes = crate::mapped::contents(&mut std::fs::File::open(path).ok()?, 0)?;
        bytes.starts_with(MAGIC).then_some(Kept { bytes })
    }

    /// The records of the pages whose names `wanted` accepts, each with its body's key,
    /// the later frame of a name winning, the hash of the output's listing the file ends
    /// with, and the last facts for heading edits; `None` if it is cut short or does not
    /// end with a hash. Found by going through the frames, with no index of every page.
    fn records(&self, wanted: impl Fn(&str) -> bool) -> Option<Frames<'_>> {
        let mut records = FastMap::default();
        let mut end = None;
        let mut tocs = None;
        for frame in self.frames() {
            let (tag, payload, whole) = frame?;
            end = None;
            match tag {
                RECORD => {
                    let ((name, key), bytes): ((&str, u64), &[u8]) =
                        postcard::take_from_bytes(payload).ok()?;
                    if wanted(name) {
                        let frame = whole;
                        records.insert(name, Record { key, bytes, frame });
                    }
                }
                EXCLUDED => {
                    let names: Vec<&str> = postcard::from_bytes(payload).ok()?;
                    for name in names {
                        records.remove(name);
                    }
                }
                END => end = Some(u64::from_le_bytes(payload.try_into().ok()?)),
                TOCS => tocs = Some(payload),
                _ => return None,
            }
        }
        Some((records, end?, tocs))
    }

    /// The file's frames, each its tag, its payload and its whole bytes; an error where
    /// one is cut short.
    fn frames(&self) -> impl Iterator<Item = Option<(u8, &[u8], &[u8])>> {
        let mut at = MAGIC.len();
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            let frame = (|| {
                let tag = self.bytes[at];
                let len =
                    u32::from_le_bytes(self.bytes.get(at + 1..at + 5)?.try_into().ok()?) as usize;
                let payload = self.bytes.get(at + 5..at + 5 + len)?;
                let whole = &self.bytes[at..at + 5 + len];
                at += 5 + len;
                Some((tag, payload, whole))
            })();
            if frame.is_none() {
                at = self.bytes.len();
            }
            Some(frame)
        })
    }
}

/// Appends to the records beside the output folder at `output` those of pages made again
/// by a build after an edit of their text alone (each with no body key: the build cache
/// has no body of their text to keep them with), and the hash of the output's new
/// `listing`.
pub(crate) fn append<'e>(
    output: &Path,
    edited: impl Iterator<Item = (&'e str, &'e Editable)>,
    listing: &str,
) -> Option<()> {
    let mut appended = Vec::new();
    for (name, record) in edited {
        let bytes = postcard::to_allocvec(record).ok()?;
        appended.extend(record_frame(name, 0, &bytes)?);
    }
    frame(&mut appended, END, &token(listing).to_le_bytes()).ok()?;
    std::fs::OpenOptions::new()
        .append(true)
        .open(file_beside(output))
        .and_then(|mut f| f.write_all(&appended))
        .ok()
}

/// `serve`'s records, kept in memory from one rebuild to the next (see
/// [`Recorder::in_memory`]): each page's [`Editable`], serialized, with the key of the
/// body it was made for (0 after an edit of its text alone, which made no body the cache
/// keeps), and the last facts for heading edits (see `toc_edit`).
#[derive(Default)]
pub(crate) struct InMemory {
    pages: FastMap<String, (u64, bytes::Bytes)>,
    tocs: Option<bytes::Bytes>,
}

impl InMemory {
    /// The record of the page file `name`, serialized.
    pub(crate) fn record(&self, name: &str) -> Option<&[u8]> {
        self.pages.get(name).map(|(_, bytes)| &bytes[..])
    }

    /// The last facts for heading edits.
    pub(crate) fn tocs(&self) -> Option<&[u8]> {
        self.tocs.as_deref()
    }

    /// The record of a page made again by an edit of its text alone.
    pub(crate) fn edited(&mut self, name: &str, record: &Editable) {
        match postcard::to_allocvec(record) {
            Ok(bytes) => self.pages.insert(name.to_string(), (0, kept(bytes))),
            Err(_) => self.pages.remove(name),
        };
    }
}

/// A serialized record as `serve` keeps it: without the room its vector grew by (kept
/// for every page, that room was about a third of the records' memory).
fn kept(record: Vec<u8>) -> bytes::Bytes {
    record.into_boxed_slice().into()
}

/// Frames of the records' file, written to `out`.
fn frame(out: &mut impl Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(
        &u32::try_from(payload.len())
            .map_err(std::io::Error::other)?
            .to_le_bytes(),
    )?;
    out.write_all(payload)
}

fn record_frame(name: &str, key: u64, record: &[u8]) -> Option<Vec<u8>> {
    let mut payload = postcard::to_allocvec(&(name, key)).ok()?;
    payload.extend_from_slice(record);
    let mut out = Vec::with_capacity(payload.len() + 5);
    frame(&mut out, RECORD, &payload).ok()?;
    Some(out)
}

/// The hash a records' file ends with: of the output's listing in the stamp.
fn token(listing: &str) -> u64 {
    hash_bytes(listing.as_bytes())
}

fn file_beside(output: &Path) -> PathBuf {
    sibling(output, "equipe-edits")
}

/// The records of a build that runs, written as its bodies render (see the module's
/// documentation): to a file beside the output folder (a build), or to memory (`serve`,
/// whose rebuilds keep them with their cache, see [`InMemory`]).
pub(crate) struct Recorder {
    place: Place,
    /// The last build's records, by page: a body the build cache gives keeps its own.
    previous: FastMap<String, Previous>,
    /// This build's facts for heading edits are in the file.
    tocs_recorded: AtomicBool,
    out: Mutex<Option<Out>>,
}

/// Where a [`Recorder`]'s records go.
enum Place {
    /// `serve`'s, in memory.
    Memory,
    /// A new file (`partial`), put in place of `file` once the build is stamped: the
    /// records of the bodies the build cache gives are copied into it.
    New { file: PathBuf, partial: PathBuf },
    /// The last build's file, appended to: the records of the bodies the build cache
    /// gives stay where they are, and a later frame says which pages no longer have
    /// theirs. Rewriting the whole file (39 MB at 20,000 pages) after a title edited took
    /// 5% of that build, for a few pages made again. With the file's last facts for
    /// heading edits, which hold while a build's are the same (1 MB at 20,000 pages).
    Appended {
        file: PathBuf,
        tocs: Option<bytes::Bytes>,
    },
}

/// A page's record in the last build's file.
struct Previous {
    /// The key of the body it was made for.
    key: u64,
    /// Its whole frame.
    frame: bytes::Bytes,
    /// This build keeps it (in a file appended to, see [`Place::Appended`]): the page's
    /// body came from the build cache with the same key, or the page has a new record.
    kept: AtomicBool,
}

/// The writer of a records' file (see [`Out::File`]).
fn buffered(file: std::fs::File) -> std::io::BufWriter<std::fs::File> {
    std::io::BufWriter::with_capacity(1 << 20, file)
}

/// Where a [`Recorder`] writes.
enum Out {
    /// Written from every core, a record at a time: few, large writes.
    File(std::io::BufWriter<std::fs::File>),
    /// Begun with the last rebuild's, which bodies reused keep (shared, not copied).
    Memory(InMemory),
}

impl Recorder {
    /// Begins the records of a build of the output folder at `output`, kept for the bodies
    /// the build cache gives: appended to the last build's file, or in a new one (the last
    /// is then removed: it goes with its stamp, which this build removed). Either way the
    /// file is read only once it ends with this build's frame. `None` if it cannot be
    /// written.
    pub(crate) fn begin(output: &Path) -> Option<Recorder> {
        let file = file_beside(output);
        let kept = Kept::read(&file);
        let (previous, tocs) = kept.as_ref().and_then(Kept::by_page).unwrap_or_default();
        // Appended to while at least half of it is records of pages (the rest: records
        // that later frames replaced or left out, and the facts for heading edits), and
        // written anew beyond.
        let live: usize = previous.values().map(|p| p.frame.len()).sum();
        let appends = kept.is_some_and(|k| !previous.is_empty() && k.bytes.len() <= 2 * live);
        // The file ends at once with a frame that is not an end: until this build ends
        // it, it goes with no stamp, as a new file would (a build killed midway leaves
        // it so, and it is not read).
        let unended = |mut file: std::fs::File| {
            let mut none = Vec::new();
            frame(&mut none, EXCLUDED, &[0])?;
            file.write_all(&none).map(|()| file)
        };
        let append = || std::fs::OpenOptions::new().append(true).open(&file);
        if appends && let Ok(appended) = append().and_then(unended) {
            let out = buffered(appended);
            return Some(Recorder {
                place: Place::Appended { file, tocs },
                previous,
                tocs_recorded: AtomicBool::new(false),
                out: Mutex::new(Some(Out::File(out))),
            });
        }
        let mut recorder = Recorder {
            place: Place::Memory,
            previous,
            tocs_recorded: AtomicBool::new(false),
            out: Mutex::new(None),
        };
        recorder.write_anew(file).then_some(recorder)
    }

    /// Begins a new file in place of the last build's (see [`Place::New`]); `false` if
    /// it cannot be made.
    fn write_anew(&mut self, file: PathBuf) -> bool {
        let _ = std::fs::remove_file(&file);
        let partial = file.with_extension("equipe-edits-partial");
        let begun = std::fs::File::create(&partial).and_then(|created| {
            let mut out = buffered(created);
            out.write_all(MAGIC).map(|()| out)
        });
        let Ok(out) = begun else {
            let _ = std::fs::remove_file(&partial);
            return false;
        };
        self.place = Place::New { file, partial };
        *self.out.get_mut().unwrap_or_else(PoisonError::into_inner) = Some(Out::File(out));
        true
    }

    /// Begins the records of a `serve` rebuild, in memory, with the last rebuild's for
    /// the bodies its cache gives.
    pub(crate) fn in_memory(previous: Option<InMemory>) -> Recorder {
        Recorder {
            place: Place::Memory,
            previous: FastMap::default(),
            tocs_recorded: AtomicBool::new(false),
            out: Mutex::new(Some(Out::Memory(previous.unwrap_or_default()))),
        }
    }

    /// This build has no body to reuse: the last build's records are of no use, and its
    /// file is written anew rather than appended to.
    pub(crate) fn start_over(&mut self) {
        if let Place::Appended { file, .. } = &self.place {
            let file = file.clone();
            // The frames written so far go with the file appended to: none yet.
            if !self.write_anew(file) {
                self.place = Place::Memory;
                *self.out.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
            }
        }
        self.forget_previous();
    }

    /// Lets go of the last build's records.
    fn forget_previous(&mut self) {
        let previous = std::mem::take(&mut self.previous);
        // 20,000 names freed one by one were 4 ms of one core, the others waiting.
        if previous.len() > 1000 {
            std::thread::spawn(move || drop(previous));
        }
    }

    /// Every body of the build is made: the pages whose files bodies include have no
    /// record, and the last build's records are let go of (a build's memory peaks later,
    /// while the pages render: they were 36 MB of it at 20,000 pages).
    pub(crate) fn bodies_made(mut self, included: &[String]) -> Recorder {
        // In a file appended to, the last build's records that this one does not keep
        // (their page's body is made again, or gone) are left out by name.
        if let Place::Appended { .. } = self.place {
            let mut gone: Vec<String> = self
                .previous
                .iter()
                .filter(|(_, p)| !p.kept.load(Ordering::Relaxed))
                .map(|(name, _)| name.clone())
                .collect();
            gone.sort_unstable();
            self.exclude(&gone);
        }
        self.exclude(included);
        self.forget_previous();
        self
    }

    /// Writes a frame to the file; `serve`'s records in memory take `memory` instead.
    fn write(&self, bytes: &[u8], memory: impl FnOnce(&mut InMemory)) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        let failed = match out.as_mut() {
            Some(Out::File(file)) => file.write_all(bytes).is_err(),
            Some(Out::Memory(records)) => {
                memory(records);
                false
            }
            None => false,
        };
        if failed {
            // The build goes on; it leaves no records.
            *out = None;
        }
    }

    /// Records a body made from `key`, if its page may be edited alone.
    pub(crate) fn record(&self, key: u64, made: Made<'_>) {
        let name = made.site.pages[made.page].page.file.display_text();
        let record = Editable::of(made).and_then(|record| postcard::to_allocvec(&record).ok());
        match record {
            Some(bytes) => {
                // A file's frame (in memory, the record alone is kept).
                let frame = match self.place {
                    Place::Memory => Vec::new(),
                    _ => record_frame(&name, key, &bytes).unwrap_or_default(),
                };
                if let Some(previous) = self.previous.get(&*name)
                    && !frame.is_empty()
                {
                    previous.kept.store(true, Ordering::Relaxed);
                }
                self.write(&frame, |m| {
                    m.pages.insert(name.to_string(), (key, kept(bytes)));
                });
            }
            // In memory, the last rebuild's record of the page goes.
            None => self.write(&[], |m| {
                m.pages.remove(&*name);
            }),
        }
    }

    /// The body of `name` made from `key` came from the build cache: its record is the
    /// last build's, if it made one for that body.
    pub(crate) fn reused(&self, name: &str, key: u64) {
        match self.previous.get(name) {
            Some(previous) if previous.key == key => match self.place {
                Place::Appended { .. } => previous.kept.store(true, Ordering::Relaxed),
                _ => self.write(&previous.frame, |_| {}),
            },
            // A file's records have none for it; in memory, the last rebuild's is kept if
            // it is of that body.
            _ => self.write(&[], |m| {
                if m.pages.get(name).is_some_and(|(was, _)| *was != key) {
                    m.pages.remove(name);
                }
            }),
        }
    }

    /// Records what a heading edit renders a page's table of contents with (see
    /// `toc_edit`), made from the whole site.
    pub(crate) fn tocs(&self, facts: &[u8]) {
        if let Place::Appended {
            tocs: Some(last), ..
        } = &self.place
            && **last == *facts
        {
            self.tocs_recorded.store(true, Ordering::Relaxed);
            return;
        }
        let mut payload = Vec::new();
        if !facts.is_empty() && frame(&mut payload, TOCS, facts).is_ok() {
            self.write(&payload, |m| m.tocs = Some(facts.to_vec().into()));
            self.tocs_recorded.store(true, Ordering::Relaxed);
        }
    }

    /// Pages that have no record after all: their files other pages include, those with
    /// links the anchors stage rewrote, those a diagnostic names.
    pub(crate) fn exclude(&self, names: &[String]) {
        if names.is_empty() {
            return;
        }
        let mut payload = Vec::new();
        if let Ok(bytes) = postcard::to_allocvec(names)
            && frame(&mut payload, EXCLUDED, &bytes).is_ok()
        {
            self.write(&payload, |m| {
                for name in names {
                    m.pages.remove(name);
                }
            });
        }
    }

    /// Ends the records of a build that succeeded, whose stamp lists the output as
    /// `listing`, and puts them in place. Best effort: without them, the next build after
    /// an edit runs as usual.
    pub(crate) fn finish<'d>(
        mut self,
        site: &Site,
        diagnostics: impl Iterator<Item = &'d Diagnostic>,
        listing: &str,
    ) {
        let done = match self.end(site, diagnostics, listing) {
            Some(Out::File(mut out)) => out.flush().is_ok(),
            _ => false,
        };
        let in_place = match &self.place {
            Place::New { file, partial } => done && std::fs::rename(partial, file).is_ok(),
            Place::Appended { .. } => done,
            Place::Memory => true,
        };
        // Otherwise `Drop` removes what this build wrote.
        if in_place {
            self.place = Place::Memory;
        }
    }

    /// Ends the records of a `serve` rebuild that succeeded: what its next text edit is
    /// made from (see `body_edit::edit_served`). Pages gone have none.
    pub(crate) fn finish_in_memory<'d>(
        self,
        site: &Site,
        diagnostics: impl Iterator<Item = &'d Diagnostic>,
    ) -> Option<InMemory> {
        match self.end(site, diagnostics, "")? {
            Out::Memory(mut records) => {
                if records.pages.len() > site.pages.len() {
                    let names: FastSet<String> = site
                        .pages
                        .iter()
                        .map(|p| p.page.file.display_text().into_owned())
                        .collect();
                    records.pages.retain(|name, _| names.contains(name));
                }
                Some(records)
            }
            Out::File(_) => None,
        }
    }

    /// Writes the last frames (the pages that have no record after all, the hash of
    /// `listing`) and hands back what was written to, if every write went through.
    fn end<'d>(
        &self,
        site: &Site,
        diagnostics: impl Iterator<Item = &'d Diagnostic>,
        listing: &str,
    ) -> Option<Out> {
        let mut excluded: Vec<String> = site
            .pages
            .iter()
            .filter(|p| !p.generated && p.body.html.key() != p.body.key)
            .map(|p| p.page.file.display_text().into_owned())
            .collect();
        excluded.extend(
            diagnostics
                .filter_map(|d| d.file.as_ref())
                .map(|f| f.to_string_lossy().into_owned()),
        );
        self.exclude(&excluded);
        // Facts of an earlier build that this one has none of go, as an empty frame: a
        // heading edit then runs the build.
        if let Place::Appended { tocs: Some(_), .. } = self.place
            && !self.tocs_recorded.load(Ordering::Relaxed)
        {
            let mut none = Vec::new();
            let _ = frame(&mut none, TOCS, &[]);
            self.write(&none, |_| {});
        }
        let mut end = Vec::new();
        let _ = frame(&mut end, END, &token(listing).to_le_bytes());
        self.write(&end, |_| {});
        self.out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// A build that failed, or could not stamp its output, leaves no records (once they are
/// in place, [`Recorder::finish`] leaves nothing here to remove).
impl Drop for Recorder {
    fn drop(&mut self) {
        match &self.place {
            Place::New { partial, .. } => {
                let _ = std::fs::remove_file(partial);
            }
            // Frames may have been appended with no last one to end them: the file would
            // not be read, but it is removed rather than left to go stale.
            Place::Appended { file, .. } => {
                let _ = std::fs::remove_file(file);
            }
            Place::Memory => {}
        }
    }
}
