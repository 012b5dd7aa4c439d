//! A build after an edit of pages' text alone: only those pages' files change.
//!
//! Most saves change a page's text and nothing that the rest of the site shows of it:
//! not its front matter (title, description, checklist, translations), not its headings
//! (its table of contents, links to its sections, the alignment of its translations'
//! headings), not its checklist's items, not where its links go. Such an edit changes the
//! page's own file, where only the body's HTML changes, and at most its entry in its
//! language's search index. The build cache (see `build_cache`) still goes over every page
//! of the site to find that out: a fifth of a first build at 20,000 pages. This build does
//! not read it.
//!
//! A build that runs records, for each page that can be edited so, what its body was made
//! with ([`Editable`]): the hash of the text before the body, where each link it made went
//! (the pages and files links resolve against cannot change while no other input does),
//! what the rest of the site sees of the body, and how to find its HTML in its file and
//! its entry in the index. After an edit, a build whose only changed inputs are such pages
//! renders each body again with those links; if the rest of the site sees the same, it
//! puts the new HTML in place of the old in the page's file (and the new entry in the
//! index), and is done (see [`apply`]). Anything else (a link the page did not make, a
//! heading, a checklist item, a warning, an include, an output file not as it was left)
//! and the build runs as usual, with its cache.
//!
//! The records go to a file beside the output (`.public.equipe-edits`), written as the
//! bodies render; a body the build cache gives keeps the record the last build wrote. The
//! file ends with the hash of the output's listing in the stamp, which ties it to that
//! stamp: a record is used only while the stamp says the output is as the build that
//! wrote it left it. Pages edited so are named in the stamp, so that the next build that
//! runs reads them again (the build cache has them as they were).

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::body_ids::BodyIds;
use crate::checklist_item::Checklist;
use crate::diagnostics::Diagnostic;
use crate::hash::{FastMap, FastSet, hash_all, hash_bytes, hash_of};
use crate::markdown::{self, LinkResolver, LinkTarget, Rendered};
use crate::output::{self, FileStamp, Stamp, TextEdits};
use crate::sanitize::RawHtml;
use crate::search::EntryPage;
use crate::site::{PageId, Site};
use crate::swap::sibling;
use crate::typography::Typography;

/// Names the format of the records' file.
const MAGIC: &[u8] = b"equipe edits 2\n";

/// A record: the page's file name, the key of its body, then its [`Editable`].
const RECORD: u8 = 1;
/// Names of pages that have no record, whatever an earlier frame says.
const EXCLUDED: u8 = 2;
/// The hash of the output's listing the records go with: the file's last frame.
const END: u8 = 3;

/// What a page's body was made with, and where it is in the output.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Editable {
    /// The hash of the page file's text before the body: the front matter and its
    /// `---` lines (the body's first line is then the same line of the file).
    front: u64,
    /// The hash of the body's first `# Heading`: a page without `title:` takes it.
    heading: u64,
    /// The page's file in the output folder.
    output: String,
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
    /// The body's HTML in the page's file.
    html: Located,
    /// The page's search entry, if it has one.
    entry: Option<KeptEntry>,
}

/// A page's entry in its language's search index.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptEntry {
    /// The index's file in the output folder.
    index: String,
    /// The hash of the entry (the body's `entry_key`).
    key: u64,
    at: Located,
    /// What the entry is made of besides the body.
    page: EntryPage,
}

/// How to find a text in a file it was written into whole: its length, its first and
/// last bytes. Where the first bytes come once only and the last ones end the text there,
/// it is that text: the file is as the build that wrote it left it (the stamp says so), a
/// page's file holds its body once, and an index each entry once.
#[derive(serde::Serialize, serde::Deserialize)]
struct Located {
    len: usize,
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl Located {
    fn of(text: &[u8], ends: usize) -> Located {
        let ends = ends.min(text.len());
        Located {
            len: text.len(),
            head: text[..ends].to_vec(),
            tail: text[text.len() - ends..].to_vec(),
        }
    }

    /// Where the text starts in `file`, if it is there as described.
    fn find(&self, file: &[u8]) -> Option<usize> {
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
const HTML_ENDS: usize = 48;
const ENTRY_ENDS: usize = 96;

/// What the rest of the site and the page around its body see of a rendered body: its
/// table of contents, its checklist's items, its links to `#fragments`. Its ids and
/// headings, which links to its sections and its translations' alignment see, are
/// compared with those of the HTML in the page's file.
fn seen(r: &Rendered) -> u64 {
    let anchors = hash_all(r.anchors.iter().map(|a| (&a.target, &a.fragment, &a.href)));
    hash_of(&(&r.toc, &r.tasks, anchors))
}

/// Where the links of a body went: each link or image as written and its target, each
/// link without words and the title it took.
pub(crate) struct Links {
    links: Vec<(String, LinkTarget)>,
    titles: Vec<(String, Option<String>)>,
}

/// Whether every template shows a page's body (`content`) as it is, and nothing made from
/// it: then a page's file changes with its body's HTML only where that HTML is. A theme
/// that shows its length, a part of it or its words elsewhere (`{{ content | wordcount
/// }}`) is built the usual way after every edit. Only what templates read counts:
/// `{{ content }}` (or `| safe`) and `{% block content %}`, `{% endblock content %}`,
/// `{% if content %}` (a body stays non-empty, see [`Editable::of`]) are as it is;
/// comments and text are not read.
pub(crate) fn shows_bodies_as_they_are(templates: &[crate::theme::Template]) -> bool {
    templates.iter().all(|t| {
        let mut rest = t.source.as_ref();
        while let Some(at) = rest.find(['{']) {
            rest = &rest[at + 1..];
            let close = match rest.as_bytes().first() {
                Some(b'{') => "}}",
                Some(b'%') => "%}",
                Some(b'#') => "#}",
                _ => continue,
            };
            let Some(end) = rest.find(close) else {
                return false;
            };
            let tag = &rest[1..end];
            rest = &rest[end + 2..];
            if close != "#}" && names_content(tag) && !as_it_is(close, tag) {
                return false;
            }
        }
        true
    })
}

/// Whether a tag's text names the variable `content` (not `skip_to_content`).
fn names_content(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    tag.match_indices("content").any(|(at, _)| {
        let before = tag.as_bytes().get(at.wrapping_sub(1)).copied();
        let after = tag.as_bytes().get(at + "content".len()).copied();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Whether a tag that names `content` shows it as it is (see [`shows_bodies_as_they_are`]).
fn as_it_is(close: &str, tag: &str) -> bool {
    let words: Vec<&str> = tag
        .trim_matches(['-', ' ', '\n', '\t'])
        .split_whitespace()
        .collect();
    match close {
        "}}" => matches!(
            words[..],
            ["content"] | ["content", "|", "safe"] | ["content|safe"]
        ),
        _ => matches!(
            words[..],
            ["block", "content"] | ["endblock", "content"] | ["if", "content"]
        ),
    }
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
    pub links: Links,
    /// Its search entry (empty if it has none).
    pub entry: &'a str,
}

impl Editable {
    /// The record of a body; `None` if it cannot be edited so: its text includes other
    /// files (`{{…}}`: an include's edit is another input), or its HTML is empty (there
    /// is nothing to find in its file).
    fn of(made: Made<'_>) -> Option<Editable> {
        let (site, p, r) = (made.site, &made.site.pages[made.page], made.rendered);
        let start = p.page.body_start;
        let body = made.text.get(start..)?;
        if body.contains("{{") || r.html.is_empty() {
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
            // The deepest level its table of contents kept (none: no heading to keep).
            toc_depth: crate::bodies::toc_depth(site, made.page),
            links: made.links.links,
            titles: made.links.titles,
            seen: seen(r),
            html: Located::of(r.html.as_bytes(), HTML_ENDS),
            entry: (!made.entry.is_empty()).then(|| KeptEntry {
                index: crate::search::index_path(p.lang()),
                key: hash_bytes(made.entry.as_bytes()),
                at: Located::of(made.entry.as_bytes(), ENTRY_ENDS),
                page: EntryPage::of(p, checklist),
            }),
        })
    }

    /// The body of the page's new `text` and its search entry, if the rest of the site
    /// sees the same of it.
    fn edit(&self, text: &str) -> Option<(String, Option<String>)> {
        let start = crate::content::body_start(text)?;
        if hash_bytes(&text.as_bytes()[..start]) != self.front {
            return None;
        }
        let body = &text[start..];
        if body.contains("{{") || hash_of(&crate::content::first_heading(body)) != self.heading {
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
        if seen(&r) != self.seen || r.html.is_empty() {
            return None;
        }
        let entry = self.entry.as_ref().map(|e| e.page.entry(&r.toc, &r.plain));
        Some((r.html, entry))
    }
}

/// Pages' records, by page file name.
type Records<'k> = FastMap<&'k str, Record<'k>>;

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
struct Kept {
    bytes: bytes::Bytes,
}

impl Kept {
    fn read(path: &Path) -> Option<Kept> {
        let bytes = crate::build_cache::contents(&mut std::fs::File::open(path).ok()?, 0)?;
        bytes.starts_with(MAGIC).then_some(Kept { bytes })
    }

    /// The records of the pages whose names `wanted` accepts, each with its body's key,
    /// the later frame of a name winning, and the hash of the output's listing the file
    /// ends with; `None` if it is cut short or does not end with one. Found by going
    /// through the frames, with no index of every page.
    fn records(&self, wanted: impl Fn(&str) -> bool) -> Option<(Records<'_>, u64)> {
        let mut records = FastMap::default();
        let mut end = None;
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
                _ => return None,
            }
        }
        Some((records, end?))
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
/// documentation).
pub(crate) struct Recorder {
    file: PathBuf,
    partial: PathBuf,
    /// The last build's records, by page: a body the build cache gives keeps its own
    /// (each the key of the body it was made for, and its whole frame).
    previous: FastMap<String, (u64, bytes::Bytes)>,
    out: Mutex<Option<std::io::BufWriter<std::fs::File>>>,
}

impl Recorder {
    /// Begins the records of a build of the output folder at `output`; the last build's
    /// are removed (they go with its stamp, which this build removed), and kept for the
    /// bodies the build cache gives. `None` if the file cannot be made.
    pub(crate) fn begin(output: &Path) -> Option<Recorder> {
        let file = file_beside(output);
        let previous = Kept::read(&file)
            .and_then(|kept| {
                let (records, _) = kept.records(|_| true)?;
                Some(
                    records
                        .into_iter()
                        .map(|(name, r)| (name.to_string(), (r.key, kept.bytes.slice_ref(r.frame))))
                        .collect(),
                )
            })
            .unwrap_or_default();
        let _ = std::fs::remove_file(&file);
        let partial = sibling(output, "equipe-edits-partial");
        // Written from every core, a record at a time: few, large writes.
        let created = std::fs::File::create(&partial).ok()?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, created);
        out.write_all(MAGIC).ok()?;
        Some(Recorder {
            file,
            partial,
            previous,
            out: Mutex::new(Some(out)),
        })
    }

    /// Lets go of the last build's records: this build has no body to reuse.
    pub(crate) fn forget_previous(&mut self) {
        self.previous = FastMap::default();
    }

    /// Every body of the build is made: the pages whose files bodies include have no
    /// record, and the last build's records are let go of (a build's memory peaks later,
    /// while the pages render: they were 36 MB of it at 20,000 pages).
    pub(crate) fn bodies_made(mut self, included: &[String]) -> Recorder {
        self.exclude(included);
        self.forget_previous();
        self
    }

    fn write(&self, bytes: &[u8]) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = out.as_mut()
            && file.write_all(bytes).is_err()
        {
            // The build goes on; it leaves no records.
            *out = None;
        }
    }

    /// Records a body made from `key`, if its page may be edited alone.
    pub(crate) fn record(&self, key: u64, made: Made<'_>) {
        let name = made.site.pages[made.page]
            .page
            .file
            .display
            .to_string_lossy();
        if let Some(frame) = Editable::of(made)
            .and_then(|record| postcard::to_allocvec(&record).ok())
            .and_then(|bytes| record_frame(&name, key, &bytes))
        {
            self.write(&frame);
        }
    }

    /// The body of `name` made from `key` came from the build cache: its record is the
    /// last build's, if it made one for that body.
    pub(crate) fn reused(&self, name: &str, key: u64) {
        if let Some((was, frame)) = self.previous.get(name)
            && *was == key
        {
            self.write(frame);
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
            self.write(&payload);
        }
    }

    /// Ends the records of a build that succeeded, whose stamp lists the output as
    /// `listing`, and puts them in place. Best effort: without them, the next build after
    /// an edit runs as usual.
    pub(crate) fn finish<'d>(
        self,
        site: &Site,
        diagnostics: impl Iterator<Item = &'d Diagnostic>,
        listing: &str,
    ) {
        let mut excluded: Vec<String> = site
            .pages
            .iter()
            .filter(|p| !p.generated && p.body.html.key() != p.body.key)
            .map(|p| p.page.file.display.to_string_lossy().into_owned())
            .collect();
        excluded.extend(
            diagnostics
                .filter_map(|d| d.file.as_ref())
                .map(|f| f.to_string_lossy().into_owned()),
        );
        self.exclude(&excluded);
        let mut end = Vec::new();
        let _ = frame(&mut end, END, &token(listing).to_le_bytes());
        self.write(&end);
        let out = self
            .out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let done = out.is_some_and(|mut out| out.flush().is_ok());
        if !(done && std::fs::rename(&self.partial, &self.file).is_ok()) {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// A build that failed, or could not stamp its output, leaves no records (once they are
/// in place, there is nothing here to remove).
impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.partial);
    }
}

/// What a build after an edit of pages' text alone did.
pub(crate) struct Applied {
    /// How many pages it made again.
    pub pages: usize,
    /// How many files the output has.
    pub files: usize,
    /// The last build's warnings, said again.
    pub warnings: Vec<Diagnostic>,
}

/// A page edited, ready to be written.
struct Edit<'k> {
    name: &'k str,
    text_hash: String,
    record: Editable,
    html: String,
    entry: Option<String>,
}

/// Builds after an edit of pages' text alone, if that is what the changed inputs are (see
/// the module's documentation): writes the pages' files and indexes again, the records
/// and the stamp. `None` if the build must run as usual.
pub(crate) fn apply(stamp: &Stamp, source: &Path, output: &Path, target: &Path) -> Option<Applied> {
    // Test hook, in debug builds only: the build cache's own tests edit pages' text.
    #[cfg(debug_assertions)]
    if std::env::var_os("EQUIPE_TEST_NO_TEXT_EDITS").is_some() {
        return None;
    }
    let edits = stamp.text_edits()?;
    if edits.changed.is_empty() {
        return None;
    }
    let kept = Kept::read(&file_beside(output))?;
    let (records, end) = kept.records(|name| edits.changed.contains(&name))?;
    if end != token(edits.output) {
        return None;
    }
    let mut pages = edited_pages(&edits, source, |name| records.get(name).map(|r| r.bytes))?;
    // Last, as it costs most: the output must be as the records describe it.
    if !edits.output_is_as_left(target) {
        return None;
    }
    let files = new_files(&mut pages, target)?;
    // From here on the output changes: a build killed midway finds no stamp, and runs
    // (a build that runs after this one failed finds the files it changed by their
    // stamps: see `build_cache`).
    stamp.forget();
    let mut listing: FastMap<String, String> = FastMap::default();
    for (path, bytes) in &files {
        let written = replace(&target.join(path), bytes).ok()?;
        listing.insert(path.clone(), output::listing_rest(written));
    }
    crate::swap::crash_point("text-edited");
    let listing = output::with_lines(edits.output, &listing);
    let texts: FastMap<String, String> = pages
        .iter()
        .map(|p| (p.name.to_string(), format!("\t{}\n", p.text_hash)))
        .collect();
    let texts = output::with_lines(edits.texts, &texts);
    let mut edited: Vec<&str> = edits.edited.lines().collect();
    let named: FastSet<&str> = edited.iter().copied().collect();
    edited.extend(pages.iter().map(|p| p.name).filter(|n| !named.contains(n)));
    let edited: String = edited.iter().map(|n| format!("{n}\n")).collect();
    // The edited pages' records as they are now, after the others. With no body key:
    // the build cache has no body of their text to keep them with.
    let mut appended = Vec::new();
    for page in &pages {
        let frame = postcard::to_allocvec(&page.record)
            .ok()
            .and_then(|bytes| record_frame(page.name, 0, &bytes))?;
        appended.extend(frame);
    }
    frame(&mut appended, END, &token(&listing).to_le_bytes()).ok()?;
    std::fs::OpenOptions::new()
        .append(true)
        .open(file_beside(output))
        .and_then(|mut f| f.write_all(&appended))
        .ok()?;
    stamp.save_text_edits(&listing, &texts, edits.warnings, &edited);
    Some(Applied {
        pages: pages.len(),
        files: edits.output.lines().count(),
        warnings: stamp.kept_warnings().unwrap_or_default(),
    })
}

/// The changed pages whose text alone changed, each with its new body; `None` if one is
/// not a page that has a record (from `records`), or the rest of the site would see its
/// edit. A page touched, whose text is the same, is left out.
fn edited_pages<'e, 'r>(
    edits: &TextEdits<'e>,
    source: &Path,
    records: impl Fn(&str) -> Option<&'r [u8]>,
) -> Option<Vec<Edit<'e>>> {
    let hashes = output::text_hashes(edits.texts);
    let mut pages = Vec::new();
    for &name in &edits.changed {
        let record = records(name)?;
        let text = output::read_text(&source.join(name))?;
        let text_hash = output::text_hash_line(&text);
        if hashes.get(name) == Some(&text_hash.as_str()) {
            continue;
        }
        let record: Editable = postcard::from_bytes(record).ok()?;
        let (html, entry) = record.edit(&text)?;
        pages.push(Edit {
            name,
            text_hash,
            record,
            html,
            entry,
        });
    }
    Some(pages)
}

/// The files of the output the edited `pages` change, whole (each page's file, their
/// search indexes), read from `target` and made before any is written; the pages' records
/// updated to find their new HTML and entries. `None` if a body or an entry is not found
/// as recorded, or the ids and headings of a body changed.
fn new_files(pages: &mut [Edit<'_>], target: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for page in pages.iter_mut() {
        let old = std::fs::read(target.join(&page.record.output)).ok()?;
        let at = page.record.html.find(&old)?;
        let was = &old[at..at + page.record.html.len];
        // Links to its sections and its translations' alignment see its ids and headings.
        if BodyIds::of(std::str::from_utf8(was).ok()?) != BodyIds::of(&page.html) {
            return None;
        }
        let mut new = Vec::with_capacity(old.len() - was.len() + page.html.len());
        new.extend_from_slice(&old[..at]);
        new.extend_from_slice(page.html.as_bytes());
        new.extend_from_slice(&old[at + was.len()..]);
        page.record.html = Located::of(page.html.as_bytes(), HTML_ENDS);
        files.push((page.record.output.clone(), new));
    }
    let mut indexes: FastMap<String, Vec<u8>> = FastMap::default();
    for page in pages.iter_mut() {
        let (Some(kept), Some(entry)) = (page.record.entry.as_mut(), page.entry.as_ref()) else {
            continue;
        };
        let key = hash_bytes(entry.as_bytes());
        if key == kept.key {
            continue;
        }
        let index = match indexes.entry(kept.index.clone()) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(std::fs::read(target.join(&kept.index)).ok()?)
            }
        };
        let at = kept.at.find(index)?;
        index.splice(at..at + kept.at.len, entry.bytes());
        kept.key = key;
        kept.at = Located::of(entry.as_bytes(), ENTRY_ENDS);
    }
    files.extend(indexes);
    Some(files)
}

/// Puts `bytes` at `path` in one step (a file beside it, renamed over it): a reader, or a
/// build killed midway, sees the old file or the new one. Returns its stamp.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<FileStamp> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".equipe-edit");
    let beside = path.with_file_name(name);
    let stamp = output::write_file(&beside, bytes);
    match stamp.and_then(|s| std::fs::rename(&beside, path).map(|()| s)) {
        Ok(stamp) => Ok(stamp),
        Err(e) => {
            let _ = std::fs::remove_file(&beside);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(source: &str) -> Vec<crate::theme::Template> {
        vec![crate::theme::Template {
            name: "page.html".into(),
            file: "templates/page.html".into(),
            source: source.into(),
        }]
    }

    /// The default theme shows bodies as they are; a template that shows anything made
    /// from one does not, wherever it reads it.
    #[test]
    fn which_templates_show_bodies_as_they_are() {
        // A site with no folder of its own: the default theme alone.
        let empty = tempfile::tempdir().expect("temp dir");
        let config =
            crate::config::Config::parse(empty.path(), "title: T\nlanguages:\n  en: English\n")
                .expect("config");
        let theme = crate::theme::load(&config)
            .map(|(theme, _)| theme)
            .unwrap_or_else(|_| panic!("the default theme loads"));
        assert!(shows_bodies_as_they_are(&theme.templates));
        for kept in [
            "<div>{{ content }}</div>",
            "{{- content | safe -}}",
            "{% block content %}{{ content|safe }}{% endblock content %}",
            "{% if content %}<div>{{content}}</div>{% endif %}",
            "{{ t.skip_to_content }} {# the content: #} content, contents",
        ] {
            assert!(shows_bodies_as_they_are(&template(kept)), "{kept}");
        }
        for made_from in [
            "{{ content | length }}",
            "{{ content | striptags | truncate(length=100) }}",
            "{% set body = content %}{{ body }}",
            "{% if content | length > 10 %}long{% endif %}",
            "{{ content ",
        ] {
            assert!(
                !shows_bodies_as_they_are(&template(made_from)),
                "{made_from}"
            );
        }
    }
}
