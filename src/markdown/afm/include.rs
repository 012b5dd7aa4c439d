//! `{{$include /help/_includes/file.md}}` and `{{snippet-name}}`: text of other files put
//! into a page's source before it is parsed.
//!
//! Paths starting with `/` are from the language's content root (`content/en/` in the
//! folder layout, `content/` otherwise), others from the including file; a path may not
//! leave the root. A snippet is the section of the nearest `_includes/snippets.md` (in
//! the page's folder or one above it) whose heading ends with `{#name}`, up to the next
//! heading of the same or a higher level. Directives in code are text. Errors point at
//! the directive in the page, naming the chain of files that led to them.
//!
//! An expansion notes every file it read or looked for ([`IncludedFile`]): a page's body
//! cached by `serve` is good only while those files hold what they held.
//!
//! The pages of a guide include the same few files (`_includes/snippets.md` above all):
//! one build reads each file, finds each snippet and the directives in each piece once,
//! and shares them with every page ([`Reads`]).

use std::ffi::OsString;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use pulldown_cmark::{Event, Parser, Tag};

use crate::hash::{FastMap, hash_of};

/// A file an expansion read or looked for, and a hash of what it held (`None`: there was
/// no such file, or it could not be read).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct IncludedFile {
    pub path: PathBuf,
    pub hash: Option<u64>,
}

impl IncludedFile {
    /// What `path` holds now.
    pub(crate) fn now(path: &Path) -> IncludedFile {
        IncludedFile::read(path).0
    }

    /// Reads `path`, noting what it held.
    fn read(path: &Path) -> (IncludedFile, std::io::Result<String>) {
        let text = std::fs::read_to_string(path);
        let file = IncludedFile {
            path: path.to_path_buf(),
            hash: text.as_ref().ok().map(hash_of),
        };
        (file, text)
    }
}

/// What the includes of one build read, shared by its pages (each made once; made
/// again by the next build, so that an edit of an included file shows). Paths are keys
/// as the bytes they are written with (each made by joining the same root and names):
/// a `Path` hashes component by component, several times slower, and most pages of a
/// guide look their snippets up here.
#[derive(Default)]
pub(crate) struct Reads {
    /// Whether each `_includes/snippets.md` looked for is a file.
    is_file: Mutex<FastMap<OsString, bool>>,
    /// Each piece (an included file, or one snippet of a snippets file) by its name in a
    /// chain of includes.
    pieces: Mutex<FastMap<OsString, Arc<Piece>>>,
    /// Each snippets file, read once with all its sections (each snippet read and went
    /// through the file again: 10,000 snippets of one file took 4 s).
    snippet_files: Mutex<FastMap<OsString, Arc<SnippetsFile>>>,
}

/// A snippets file as read, and its sections by name (or why it could not be read).
struct SnippetsFile {
    file: IncludedFile,
    sections: Result<FastMap<String, String>, String>,
}

/// The text a directive puts in before its own directives are expanded, those
/// directives, and the file it came from as it was read.
struct Piece {
    file: IncludedFile,
    text: String,
    directives: Vec<(Range<usize>, Directive)>,
}

impl Reads {
    fn is_file(&self, path: &Path) -> bool {
        let known = self
            .is_file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path.as_os_str())
            .copied();
        known.unwrap_or_else(|| {
            let is_file = path.is_file();
            self.is_file
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path.as_os_str().to_owned(), is_file);
            is_file
        })
    }

    /// The piece named `key`, made by `make` from `file`'s text the first time; an error
    /// (the file unreadable, no such snippet) is not kept, and `file` is noted in `read`
    /// either way.
    fn piece(
        &self,
        key: &Path,
        file: &Path,
        read: &mut Vec<IncludedFile>,
        make: impl FnOnce(&str) -> Result<String, String>,
        unreadable: impl FnOnce(std::io::Error) -> String,
    ) -> Result<Arc<Piece>, String> {
        if let Some(piece) = self.known(key, read) {
            return Ok(piece);
        }
        let (noted, text) = IncludedFile::read(file);
        read.push(noted.clone());
        let text = make(&text.map_err(unreadable)?)?;
        Ok(self.keep(key, noted, text))
    }

    /// The snippet `name` of the snippets file `file` as a piece named `key`, as
    /// [`Reads::piece`] makes one.
    fn snippet(
        &self,
        key: &Path,
        file: &Path,
        name: &str,
        read: &mut Vec<IncludedFile>,
    ) -> Result<Arc<Piece>, String> {
        if let Some(piece) = self.known(key, read) {
            return Ok(piece);
        }
        let snippets = self.snippets_file(file);
        read.push(snippets.file.clone());
        let text = match &snippets.sections {
            Ok(sections) => sections.get(name).cloned().ok_or_else(|| {
                format!("snippet `{name}`: no heading with `{{#{name}}}` in _includes/snippets.md")
            })?,
            Err(cause) => return Err(format!("snippet `{name}`: {cause}")),
        };
        Ok(self.keep(key, snippets.file.clone(), text))
    }

    /// The snippets file `file`, read the first time.
    fn snippets_file(&self, file: &Path) -> Arc<SnippetsFile> {
        let files = || {
            self.snippet_files
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(known) = files().get(file.as_os_str()) {
            return Arc::clone(known);
        }
        let (noted, text) = IncludedFile::read(file);
        let read = Arc::new(SnippetsFile {
            file: noted,
            sections: text
                .map(|text| snippets(&text))
                .map_err(|e| crate::diagnostics::io_cause(&e)),
        });
        files().insert(file.as_os_str().to_owned(), Arc::clone(&read));
        read
    }

    /// The piece named `key` if this build made it, noted in `read`.
    fn known(&self, key: &Path, read: &mut Vec<IncludedFile>) -> Option<Arc<Piece>> {
        let piece = self
            .pieces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key.as_os_str())
            .cloned()?;
        read.push(piece.file.clone());
        Some(piece)
    }

    /// Keeps `text`, from `file`, as the piece named `key`.
    fn keep(&self, key: &Path, file: IncludedFile, text: String) -> Arc<Piece> {
        let piece = Arc::new(Piece {
            file,
            directives: directives(&text),
            text,
        });
        self.pieces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.as_os_str().to_owned(), Arc::clone(&piece));
        piece
    }
}

/// A page's source with its includes expanded, and where each part came from.
#[derive(Debug)]
pub(crate) struct Expanded {
    pub text: String,
    /// Pieces of `text`: where each starts in `text`, and its offset in the page; an
    /// included piece maps every offset to its directive's.
    pieces: Vec<(usize, usize, bool)>,
    /// The text each included file became in `text`, includes within includes too.
    origins: Vec<Origin>,
}

/// Where the text of one included file (or snippets file) lies in an expansion.
#[derive(Debug)]
struct Origin {
    range: Range<usize>,
    file: PathBuf,
}

impl Expanded {
    /// The included file whose text holds `offset` of the expanded text (the innermost,
    /// for an include within an include); `None` for the page's own text. Its relative
    /// links and images are written from its own folder, as Experience League reads them.
    pub(crate) fn file_at(&self, offset: usize) -> Option<&Path> {
        self.origins
            .iter()
            .filter(|o| o.range.contains(&offset))
            .min_by_key(|o| o.range.len())
            .map(|o| o.file.as_path())
    }

    /// The page offset of an offset of the expanded text.
    pub(crate) fn page_offset(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|(at, ..)| *at <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((at, orig, true)) => orig + (offset - at),
            Some((_, orig, false)) => orig,
            None => offset,
        }
    }
}

/// An include or snippet that could not be read, at a byte offset of the page.
#[derive(Debug, PartialEq)]
pub(crate) struct IncludeError {
    pub offset: usize,
    pub message: String,
}

/// Where a page's includes are looked up.
pub(crate) struct Includes<'a> {
    /// The language's content root on disk.
    pub root: &'a Path,
    /// The page's file on disk.
    pub file: &'a Path,
    /// What this build's includes read so far.
    pub reads: &'a Reads,
}

impl Includes<'_> {
    /// `body` with its includes expanded, or `None` if it has none. Every file read or
    /// looked for is added to `read`.
    pub(crate) fn expand(
        &self,
        body: &str,
        read: &mut Vec<IncludedFile>,
    ) -> (Option<Expanded>, Vec<IncludeError>) {
        let mut errors = Vec::new();
        if !body.contains("{{") {
            return (None, errors);
        }
        let mut expanded = Expanded {
            text: String::with_capacity(body.len() * 2),
            pieces: Vec::new(),
            origins: Vec::new(),
        };
        let mut chain = vec![self.file.to_path_buf()];
        let mut budget = Budget::default();
        let mut last = 0;
        let mut changed = false;
        for (range, directive) in directives(body) {
            if self.is_text(&directive, self.file, read) {
                continue;
            }
            let text = self.resolve(&directive, &mut chain, read, &mut budget);
            let (text, origins) = match text {
                Ok(t) => t,
                Err(message) => {
                    errors.push(IncludeError {
                        offset: range.start,
                        message,
                    });
                    // Once spent, every directive after it would say so again.
                    if budget.is_spent() {
                        break;
                    }
                    continue;
                }
            };
            changed = true;
            expanded.pieces.push((expanded.text.len(), last, true));
            expanded.text.push_str(&body[last..range.start]);
            expanded
                .pieces
                .push((expanded.text.len(), range.start, false));
            push_included(
                &mut expanded.text,
                &mut expanded.origins,
                (&text, origins),
                indent_of(body, range.start),
            );
            last = range.end;
        }
        if !changed {
            return (None, errors);
        }
        expanded.pieces.push((expanded.text.len(), last, true));
        expanded.text.push_str(&body[last..]);
        (Some(expanded), errors)
    }

    /// The expanded text of one directive, with where each file's text lies in it.
    fn resolve(
        &self,
        directive: &Directive,
        chain: &mut Vec<PathBuf>,
        read: &mut Vec<IncludedFile>,
        budget: &mut Budget,
    ) -> Result<(String, Vec<Origin>), String> {
        let from = chain.last().cloned().unwrap_or_default();
        let (path, file, piece) = match directive {
            Directive::Include(path) => {
                let file = self
                    .locate(path, &from)
                    .ok_or_else(|| format!("include `{path}`: outside the content root"))?;
                let piece = self.reads.piece(
                    &file,
                    &file,
                    read,
                    |text| Ok(strip_front_matter(text).to_string()),
                    |e| self.unreadable(path, &file, &e),
                )?;
                (file.clone(), file, piece)
            }
            Directive::Snippet(name) => {
                let file = self
                    .snippets_file(&from, read)
                    .ok_or_else(|| format!("snippet `{name}`: no `_includes/snippets.md`"))?;
                let key = file.with_extension(format!("md#{name}"));
                let piece = self.reads.snippet(&key, &file, name, read)?;
                (key, file, piece)
            }
        };
        if chain.contains(&path) {
            let names: Vec<String> = chain.iter().chain([&path]).map(|p| self.shown(p)).collect();
            return Err(format!("include cycle: {}", names.join(" -> ")));
        }
        // The page is the chain's first; each file it includes, inside another or not, one
        // more. (Each level is a call of this function: a chain of 5,000 files overflowed
        // the thread's stack, and the build aborted.)
        if chain.len() > MAX_DEPTH {
            return Err(format!("includes nested more than {MAX_DEPTH} deep"));
        }
        budget.spend(piece.text.len())?;
        let text = piece.text.as_str();
        chain.push(path);
        let mut out = String::with_capacity(text.len());
        let mut origins = Vec::new();
        let mut last = 0;
        let mut result = Ok(());
        for (range, inner) in &piece.directives {
            if self.is_text(inner, chain.last().unwrap_or(&from), read) {
                continue;
            }
            match self.resolve(inner, chain, read, budget) {
                Ok((t, inner)) => {
                    out.push_str(&text[last..range.start]);
                    push_included(
                        &mut out,
                        &mut origins,
                        (&t, inner),
                        indent_of(text, range.start),
                    );
                    last = range.end;
                }
                Err(e) => {
                    result = Err(format!(
                        "in {}: {e}",
                        self.shown(chain.last().unwrap_or(&from))
                    ));
                    break;
                }
            }
        }
        chain.pop();
        result?;
        out.push_str(&text[last..]);
        origins.push(Origin {
            range: 0..out.len(),
            file,
        });
        Ok((out, origins))
    }

    /// A path as written, resolved on disk, if it stays in the root.
    fn locate(&self, path: &str, from: &Path) -> Option<PathBuf> {
        let relative = match path.strip_prefix('/') {
            Some(rooted) => rooted.to_string(),
            None => {
                let dir = from.parent()?.strip_prefix(self.root).ok()?;
                format!("{}/{path}", dir.to_string_lossy().replace('\\', "/"))
            }
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in relative.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                p => parts.push(p),
            }
        }
        Some(self.root.join(parts.join("/")))
    }

    /// Whether `directive`, in the file `from`, is text: `{{name}}` where no
    /// `_includes/snippets.md` is there to hold snippets (ID Service writes
    /// `AMCV_{{YOUR_ORG_ID}}` in prose, as a placeholder for the reader), which Adobe's
    /// renderer shows as written. Where there is one, an unknown name is an error.
    fn is_text(&self, directive: &Directive, from: &Path, read: &mut Vec<IncludedFile>) -> bool {
        matches!(directive, Directive::Snippet(_)) && self.snippets_file(from, read).is_none()
    }

    /// The nearest `_includes/snippets.md` at or above the file's folder, in the root
    /// (the nearer ones looked for, and not there, are added to `read`).
    fn snippets_file(&self, from: &Path, read: &mut Vec<IncludedFile>) -> Option<PathBuf> {
        let mut dir = from.parent()?;
        loop {
            let candidate = dir.join("_includes/snippets.md");
            if self.reads.is_file(&candidate) {
                return Some(candidate);
            }
            read.push(IncludedFile {
                path: candidate,
                hash: None,
            });
            if dir == self.root {
                return None;
            }
            dir = dir.parent().filter(|d| d.starts_with(self.root))?;
        }
    }

    /// Why an included file cannot be read, and which file that is when the directive
    /// named it otherwise (a relative path): "include `../x.md`: no such file or
    /// directory (/help/x.md)".
    fn unreadable(&self, path: &str, file: &Path, error: &std::io::Error) -> String {
        let cause = crate::diagnostics::io_cause(error);
        let shown = self.shown(file);
        if shown == path {
            format!("include `{path}`: {cause}")
        } else {
            format!("include `{path}`: {cause} ({shown})")
        }
    }

    fn shown(&self, path: &Path) -> String {
        let shown = path.strip_prefix(self.root).unwrap_or(path);
        format!("/{}", shown.to_string_lossy().replace('\\', "/"))
    }
}

/// How many files deep includes may nest in a page (Adobe's guides nest two or three):
/// past it, an error at the page's directive that names the chain.
const MAX_DEPTH: usize = 16;

/// How many pieces (files and snippets) one page's includes may put in, and how many bytes
/// of text: a file included a few times by a file that is itself included a few times
/// grows as a power of the depth (six a level, twelve levels deep: two billion copies, a
/// build that never ended). Adobe's guides put in a few dozen pieces a page.
const MAX_PIECES: usize = 10_000;
const MAX_BYTES: usize = 16 << 20;

/// What a page's includes have put in so far (see [`MAX_PIECES`]).
#[derive(Default)]
struct Budget {
    pieces: usize,
    bytes: usize,
}

impl Budget {
    /// Counts a piece of `len` bytes; an error once the page is past either limit.
    fn spend(&mut self, len: usize) -> Result<(), String> {
        self.pieces += 1;
        self.bytes += len;
        if self.is_spent() {
            return Err(format!(
                "includes put more than {MAX_PIECES} files or snippets, or {} MB of text, \
                 into this page: a file included several times by files that are themselves \
                 included several times?",
                MAX_BYTES >> 20
            ));
        }
        Ok(())
    }

    fn is_spent(&self) -> bool {
        self.pieces > MAX_PIECES || self.bytes > MAX_BYTES
    }
}

#[derive(Debug, PartialEq)]
enum Directive {
    Include(String),
    Snippet(String),
}

/// The directives of a text outside code spans, code blocks and comments, in order. The text is
/// parsed for its code only if it has something that reads as a directive (a body with a
/// `{{ }}` of another tool's costs no second parse).
fn directives(text: &str) -> Vec<(Range<usize>, Directive)> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return candidates;
    }
    // (`memmem`: `str::find` of a three-byte string was a page's slowest scan, 1.5% of
    // the instructions of a guide whose snippets are in most pages.)
    let fence = [b"```", b"~~~"]
        .into_iter()
        .filter_map(|f| memchr::memmem::find(text.as_bytes(), f))
        .min()
        .unwrap_or(text.len());
    let code = if candidates
        .iter()
        .all(|(range, _)| surely_not_code(text, range.start, fence))
    {
        Vec::new()
    } else {
        let last = candidates.last().map_or(0, |(range, _)| range.end);
        code_ranges(&text[..block_end(text, last)])
    };
    let comments = comment_ranges(text);
    let mut code = code.iter().peekable();
    let mut found: Vec<(Range<usize>, Directive)> = Vec::new();
    for (range, directive) in candidates {
        let start = range.start;
        while code.next_if(|r| r.end <= start).is_some() {}
        if code.peek().is_some_and(|r| r.start <= start)
            || comments.iter().any(|r| r.contains(&start))
        {
            continue;
        }
        if found.last().is_some_and(|(r, _)| r.end > start) {
            continue;
        }
        found.push((range, directive));
    }
    found
}

/// Where the HTML comments of a text are (one not closed runs to the end): a directive
/// there is commented out. Adobe's Workfront guide has `<!--{{planning-important-intro}}-->`
/// over the callout that replaced it; expanded, the snippet's own comment closed the
/// outer one and its text showed.
fn comment_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(open) = memchr::memmem::find(&text.as_bytes()[from..], b"<!--") {
        let start = from + open;
        let end = memchr::memmem::find(&text.as_bytes()[start + 4..], b"-->")
            .map_or(text.len(), |e| start + 4 + e + 3);
        ranges.push(start..end);
        from = end;
    }
    ranges
}

/// Where the first blank line at or after `at` ends (the text's end if none): whether
/// text before it is code does not depend on what follows it. A code span or a paragraph
/// ends at a blank line; a fenced code block or an HTML block that is not closed before
/// it runs to the end of the text, as it does when it is closed after it. (A guide's
/// pages with directives below a fence were parsed whole to the last line: a third of
/// their text, on average, comes after their last directive's paragraph.)
fn block_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line = memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i + 1);
    while let Some(start) = line {
        let next = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
        let end = next.unwrap_or(bytes.len());
        if bytes[start..end].iter().all(|&b| b == b' ' || b == b'\t') {
            return end;
        }
        line = next.map(|n| n + 1);
    }
    bytes.len()
}

/// Where the code spans and code blocks of a text are.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, crate::markdown::options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r)
        .collect()
}

/// Whether the text at `at` cannot be code, `fence` being where the first ```` ``` ```` or
/// `~~~` of the text starts: it comes before any fence, no backtick is in its run of
/// non-blank lines (a code span does not cross a blank line), and no tab or four spaces
/// come before it on its line (an indented code line has them, whatever its
/// containers). Such a directive needs no parse of the page to be found outside code:
/// that parse was a page's second, for a few `{{snippet}}`s.
fn surely_not_code(text: &str, at: usize, fence: usize) -> bool {
    let bytes = text.as_bytes();
    let start = memchr::memmem::rfind(&bytes[..at], b"\n\n").map_or(0, |i| i + 2);
    let end = memchr::memmem::find(&bytes[at..], b"\n\n").map_or(text.len(), |i| at + i);
    let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
    at < fence && !text[start..end].contains('`') && !line.contains('\t') && !line.contains("    ")
}

/// Every `{{…}}` of a line that reads as a directive, code or not, in order.
fn candidates(text: &str) -> Vec<(Range<usize>, Directive)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // The first `}}` and line end after an opening, found again only once the openings
    // are past them (each opening searched the rest of its line: a line of 100,000 `{{`
    // took 5 s).
    // (`close`: not looked for yet, or where the next `}}` is, if there is one.)
    let mut close: Option<Option<usize>> = None;
    let mut line_end: Option<usize> = None;
    for start in memchr::memmem::find_iter(bytes, b"{{") {
        if close.is_none_or(|c| c.is_some_and(|c| c < start + 2)) {
            close = Some(memchr::memmem::find(&bytes[start + 2..], b"}}").map(|c| start + 2 + c));
        }
        let end = match line_end {
            Some(l) if l >= start => l,
            _ => memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |l| start + l),
        };
        line_end = Some(end);
        let Some(len) = close.flatten().filter(|&c| c + 2 <= end).map(|c| c - start) else {
            continue;
        };
        if let Some(directive) = directive_in(&text[start + 2..start + len]) {
            found.push((start..start + len + 2, directive));
        }
    }
    found
}

/// What the text between `{{` and `}}` asks for, if it reads as a directive.
fn directive_in(inner: &str) -> Option<Directive> {
    let inner = inner.trim();
    match inner.strip_prefix("$include") {
        Some(path) => Some(Directive::Include(path.trim().to_string())),
        None if !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Some(Directive::Snippet(inner.to_string()))
        }
        None => None,
    }
}

/// The whitespace that starts the directive's line, if only whitespace precedes it.
fn indent_of(text: &str, at: usize) -> &str {
    // Read back from the directive, not from the line's start: a long line of directives
    // went through itself for each.
    let before = &text.as_bytes()[..at];
    let blanks = before
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let start = at - blanks;
    if start == 0 || before[start - 1] == b'\n' {
        &text[start..at]
    } else {
        ""
    }
}

/// Included text pushed with [`push_indented`], and where each file's text in it lies
/// (`origins`, offsets in `text`) then lies in `out`.
fn push_included(
    out: &mut String,
    into: &mut Vec<Origin>,
    (text, origins): (&str, Vec<Origin>),
    indent: &str,
) {
    let at = out.len();
    let indented = push_indented(out, text, indent);
    let kept = text.trim_end_matches(['\n', '\r']).len();
    // An offset of `text` in `out`: each indented line that starts at or before it moved
    // it on by the indent.
    let moved = |offset: usize| {
        let offset = offset.min(kept);
        at + offset + indented.partition_point(|&line| line <= offset) * indent.len()
    };
    into.extend(origins.into_iter().map(|o| Origin {
        range: moved(o.range.start)..moved(o.range.end),
        file: o.file,
    }));
}

/// Included text, its lines after the first indented like the directive (so that it
/// stays inside a list item), without its final line break. Returns where in `text` each
/// line that got the indent starts (none for an empty indent: no line moved).
fn push_indented(out: &mut String, text: &str, indent: &str) -> Vec<usize> {
    let text = text.trim_end_matches(['\n', '\r']);
    if indent.is_empty() {
        // A directive at the start of its line (most are): the text as it is, rather than
        // line by line (a reference of 147 kB, 4,000 lines, included in On-Cloud's CLI page).
        out.push_str(text);
        return Vec::new();
    }
    let mut indented = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
                indented.push(start);
            }
        }
        out.push_str(line);
        start += line.len() + 1;
    }
    indented
}

fn strip_front_matter(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

/// Each section of a snippets file whose heading ends with `{#name}`, by name: the lines
/// after its heading up to the next heading of the same or a higher level (headings in
/// fenced code are not headings), without the blank lines around them. The first heading
/// of a name is its section.
fn snippets(text: &str) -> FastMap<String, String> {
    let mut found: FastMap<String, String> = FastMap::default();
    // The sections being read: their name, level and where their text starts.
    let mut open: Vec<(&str, usize, usize)> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if in_fence(&mut fence, line) {
            continue;
        }
        if let Some(level) = heading_level(line) {
            close_sections(text, &mut open, &mut found, level, start);
            let name = anchor_name(line)
                .filter(|name| !found.contains_key(*name) && !open.iter().any(|o| o.0 == *name));
            if let Some(name) = name {
                open.push((name, level, at));
            }
        }
    }
    close_sections(text, &mut open, &mut found, 0, text.len());
    found
}

/// Whether `line` is fenced code or a fence, `fence` being the fence open before it (and
/// after it, on return): headings there are not headings.
fn in_fence<'t>(fence: &mut Option<&'t str>, line: &'t str) -> bool {
    let trimmed = line.trim_start();
    if let Some(f) = *fence {
        if trimmed.starts_with(f) {
            *fence = None;
        }
        true
    } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
        *fence = Some(&trimmed[..3]);
        true
    } else {
        false
    }
}

/// Ends at `at` the open sections that a heading of `level` ends (see [`snippets`]).
fn close_sections<'t>(
    text: &'t str,
    open: &mut Vec<(&'t str, usize, usize)>,
    found: &mut FastMap<String, String>,
    level: usize,
    at: usize,
) {
    while let Some(&(name, _, start)) = open.last().filter(|o| level <= o.1) {
        open.pop();
        found.insert(
            name.to_string(),
            text[start..at].trim_matches('\n').to_string(),
        );
    }
}

/// The `name` of a heading line that ends with `{#name}`.
fn anchor_name(line: &str) -> Option<&str> {
    let line = line.trim_end().strip_suffix('}')?;
    line.rsplit_once("{#").map(|(_, name)| name)
}

fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6)
        .contains(&hashes)
        .then_some(())
        .filter(|_| matches!(line.as_bytes().get(hashes), Some(b' ' | b'\t')))
        .map(|_| hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_in_comments_are_commented_out() {
        let text = "<!--{{a}}-->\n\n{{b}}\n\n<!--\n{{c}}\n-->\n{{d}} <!-- {{e}}";
        let names: Vec<Directive> = directives(text).into_iter().map(|(_, d)| d).collect();
        assert_eq!(
            names,
            [
                Directive::Snippet("b".into()),
                Directive::Snippet("d".into())
            ]
        );
    }

    #[test]
    fn directives_outside_code_only() {
        let found = directives(
            "{{a}} `{{b}}` {{$include /x.md}} {{ not one }}\n\n```\n{{c}}\n```\n    \n{{d-e_f}}\n",
        );
        let names: Vec<&Directive> = found.iter().map(|(_, d)| d).collect();
        assert_eq!(
            names,
            vec![
                &Directive::Snippet("a".into()),
                &Directive::Include("/x.md".into()),
                &Directive::Snippet("d-e_f".into())
            ]
        );
    }

    #[test]
    fn directives_found_without_a_parse_are_those_a_parse_finds() {
        // What the parse keeps: the candidates outside code, none overlapping another.
        fn parsed(text: &str) -> Vec<(Range<usize>, Directive)> {
            let code = code_ranges(text);
            candidates(text)
                .into_iter()
                .filter(|(r, _)| !code.iter().any(|c| c.start <= r.start && r.start < c.end))
                .collect()
        }
        for text in [
            "# T\n\n{{a}} text {{$include /x.md}}\n\nmore {{b}}\n",
            "    {{a}}\n",
            "- item\n\n      {{a}}\n\n{{b}}\n",
            ">     {{a}}\n>\n> {{b}}\n",
            "\t{{a}}\n",
            "a `span\n{{a}} still` b\n\n{{b}}\n",
            "```\n{{a}}\n\n{{b}}\n```\n\n{{c}}\n",
            "~~~\n{{a}}\n~~~\n",
            "{{a}}\n\n```\n{{b}}\n```\n",
            "<pre>\n{{a}}\n</pre>\n",
            "  {{a}} and {{a}}\n",
            // What follows the last directive's paragraph is not parsed (see `block_end`).
            "```\nx\n```\n\n```\n{{a}}\n\nmore\n```\n\n{{b}}\n",
            "```\nx\n```\n\n- item\n\n  ```\n  {{a}}\n\n  y\n  ```\n",
            "```\nx\n```\n\n> ```\n> {{a}}\n>\n> ```\n",
            "```\nx\n```\n\na `span {{a}}\nstill` b\n\nc\n",
            "```\nx\n```\n\n<pre>\n{{a}}\n\n</pre>\n",
            "```\nx\n```\n\n    {{a}}\n\n    more\n",
            "```\nx\n```\n\n{{a}}\n \t\n```\n",
            "```\n{{a}}",
        ] {
            assert_eq!(directives(text), parsed(text), "{text:?}");
        }
        assert_eq!(block_end("{{a}}\nb\n  \nc", 5), 10);
        assert_eq!(block_end("{{a}} b\n", 5), 8);
        assert_eq!(block_end("{{a}}", 5), 5);
        assert!(surely_not_code("# T\n\n{{a}}\n", 5, usize::MAX));
        assert!(!surely_not_code("`x\n{{a}}`\n", 3, usize::MAX));
    }

    /// The first way of finding candidates and indents (each opening searched the rest of
    /// its line): the reference.
    fn searched_candidates(text: &str) -> Vec<(Range<usize>, Directive)> {
        let mut found = Vec::new();
        for start in memchr::memmem::find_iter(text.as_bytes(), b"{{") {
            let line_end = text[start..].find('\n').map_or(text.len(), |l| start + l);
            let Some(len) = text[start..line_end].find("}}") else {
                continue;
            };
            if let Some(directive) = directive_in(&text[start + 2..start + len]) {
                found.push((start..start + len + 2, directive));
            }
        }
        found
    }

    fn searched_indent(text: &str, at: usize) -> &str {
        let line_start = text[..at].rfind('\n').map_or(0, |l| l + 1);
        let before = &text[line_start..at];
        if before.bytes().all(|b| b == b' ' || b == b'\t') {
            before
        } else {
            ""
        }
    }

    /// `count` texts of 4 to 35 of `pieces` each, picked from `seed` on.
    fn texts_of(pieces: &[&str], seed: u64, count: usize) -> Vec<String> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..(state >> 59) + 4 {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                text
            })
            .collect()
    }

    #[test]
    fn candidates_and_indents_are_those_searched_line_by_line() {
        let pieces = [
            "{{",
            "}}",
            "{",
            "}",
            "\n",
            " ",
            "\t",
            "a",
            "$include x",
            "-",
        ];
        for text in texts_of(&pieces, 11, 3000) {
            assert_eq!(candidates(&text), searched_candidates(&text), "{text:?}");
            for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                assert_eq!(
                    indent_of(&text, at),
                    searched_indent(&text, at),
                    "{text:?} {at}"
                );
            }
        }
    }

    /// The section of a snippets file under the heading that ends with `{#name}`, found by
    /// going through the file (the first way, and the reference).
    fn searched_snippet(text: &str, name: &str) -> Option<String> {
        let anchor = format!("{{#{name}}}");
        let mut level = None;
        let mut fence: Option<&str> = None;
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            if !in_fence(&mut fence, line)
                && let Some(l) = heading_level(line)
            {
                match level {
                    Some(open) if l <= open => break,
                    None if line.trim_end().ends_with(&anchor) => {
                        level = Some(l);
                        continue;
                    }
                    _ => {}
                }
            }
            if level.is_some() {
                out.push_str(line);
            }
        }
        level.map(|_| out.trim_matches('\n').to_string())
    }

    fn snippet(text: &str, name: &str) -> Option<String> {
        snippets(text).get(name).cloned()
    }

    #[test]
    fn all_sections_read_at_once_are_those_read_one_by_one() {
        let lines = [
            "# T {#t}\n",
            "## One {#one}\n",
            "### Sub {#sub}\n",
            "## Two {#two}\n",
            "## One again {#one}\n",
            "#### Deep {#deep}\n",
            "```\n",
            "~~~\n",
            "## In code? {#code}\n",
            "text\n",
            "\n",
            "  ## indented {#ind}\n",
            "##no-space {#ns}\n",
            "### {#x}{#y}\n",
            "## Last {#t}   \n",
        ];
        for text in texts_of(&lines, 5, 2000) {
            let all = snippets(&text);
            for name in [
                "t", "one", "sub", "two", "deep", "code", "ind", "ns", "x", "y", "none",
            ] {
                assert_eq!(
                    all.get(name).cloned(),
                    searched_snippet(&text, name),
                    "{name} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn snippet_sections_end_at_the_next_heading_of_their_level() {
        let text = "# Snippets\n\n## One {#one}\n\nFirst\n\n### Sub\n\nmore\n\n```\n## not a heading\n```\n\n## Two {#two}\n\nSecond\n";
        assert_eq!(
            snippet(text, "one").unwrap(),
            "First\n\n### Sub\n\nmore\n\n```\n## not a heading\n```"
        );
        assert_eq!(snippet(text, "two").unwrap(), "Second");
        assert_eq!(snippet(text, "three"), None);
    }

    #[test]
    fn front_matter_is_dropped_and_lines_indented() {
        assert_eq!(strip_front_matter("---\na: 1\n---\nBody\n"), "Body\n");
        assert_eq!(strip_front_matter("No front\n"), "No front\n");
        let mut out = String::new();
        push_indented(&mut out, "a\n\nb\n", "   ");
        assert_eq!(out, "a\n\n   b");
    }

    #[test]
    fn offsets_map_back_to_the_page() {
        let e = Expanded {
            text: "ab INCLUDED cd".into(),
            pieces: vec![(0, 0, true), (3, 3, false), (11, 10, true)],
            origins: Vec::new(),
        };
        assert_eq!(e.page_offset(1), 1);
        assert_eq!(e.page_offset(5), 3);
        assert_eq!(e.page_offset(12), 11);
    }

    /// Where an included file's text lies, once its lines are indented under a list item
    /// and it is put inside another file's text.
    #[test]
    fn included_text_keeps_its_origin_when_indented() {
        let inner = "one\n\ntwo [x](y)\nthree\n";
        let origin = |range: Range<usize>, file: &str| Origin {
            range,
            file: PathBuf::from(file),
        };
        let mut out = String::from("- item\n\n  ");
        let mut origins = Vec::new();
        let (two, three) = (inner.find("two").unwrap(), inner.find("three").unwrap());
        push_included(
            &mut out,
            &mut origins,
            (
                inner,
                vec![
                    origin(two..two + 10, "deep.md"),
                    origin(three..inner.len(), "deep.md"),
                ],
            ),
            "  ",
        );
        assert_eq!(out, "- item\n\n  one\n\n  two [x](y)\n  three");
        assert_eq!(&out[origins[0].range.clone()], "two [x](y)");
        assert_eq!(
            &out[origins[1].range.clone()],
            "three",
            "its final line break dropped"
        );
        let e = Expanded {
            text: out.clone(),
            pieces: Vec::new(),
            origins: vec![origins.remove(0), origin(9..out.len(), "outer.md")],
        };
        let at = |s: &str| e.file_at(out.find(s).unwrap()).map(Path::to_path_buf);
        assert_eq!(at("[x]"), Some(PathBuf::from("deep.md")), "innermost");
        assert_eq!(at("one"), Some(PathBuf::from("outer.md")));
        assert_eq!(at("item"), None, "the page's own text");
    }
}
