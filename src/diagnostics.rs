//! Errors and warnings about a site, as values.
//!
//! Every problem the tool finds in a site (bad YAML, a broken link, a template that does
//! not compile) becomes a [`Diagnostic`]: a message, the file, and a line and column where
//! there is one. Stages collect them instead of stopping at the first, so that a build
//! prints every error at once; the CLI renders them as rustc-style snippets with miette.

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, pointing into a file where it can.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file, as the user knows it (relative to the site root where possible).
    pub file: Option<PathBuf>,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The text of the file, for the snippet.
    pub source: Option<Arc<str>>,
    /// A label under the caret ("expected a number here").
    pub label: Option<String>,
    pub help: Option<String>,
    /// The snippet a build drew from `source`, for a warning it kept to say again (see
    /// [`Diagnostic::kept`]): such a warning comes without its file's text.
    snippet: Option<Snippet>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            source: None,
            label: None,
            help: None,
            snippet: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn with_source(mut self, source: Arc<str>) -> Self {
        self.source = Some(source);
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The label of a link's position: "this link", or, for a link written in an
    /// included file (the position is then its include directive's), that file.
    pub fn with_link_label(self, included: Option<&str>) -> Self {
        match included {
            Some(file) => self.with_label(format!("a link of `{file}`, included here")),
            None => self.with_label("this link"),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        let mut out = self
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        out
    }

    /// Renders the diagnostic with a source snippet and caret, the way rustc does.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut out = String::new();
        let report = Report {
            diagnostic: self,
            snippet: self.snippet(),
        };
        if handler.render_report(&mut out, &report).is_err() {
            out = self.to_string();
        }
        out
    }

    /// The lines to draw the snippet from (the caret's and one each side), the caret's
    /// byte offset in them and the 0-based number of their first line. Each line is cut
    /// to [`SNIPPET_WIDTH`] characters around the caret's column, so that a minified or
    /// generated line of a megabyte does not print a megabyte; the lines before them are
    /// left out (their number is enough), so that a warning deep in a long page does not
    /// copy and scan all of the page.
    fn snippet(&self) -> Option<Snippet> {
        if let Some(kept) = &self.snippet {
            return Some(kept.clone());
        }
        let source = self.source.as_deref()?;
        let (line_start, line_text) = self.line_text()?;
        let (caret_byte, column) = self.caret_in(line_text);
        let caret_line = self.line? - 1;
        let first_line = caret_line.saturating_sub(1);
        let first_start = if first_line == caret_line {
            line_start
        } else {
            memchr::memrchr(b'\n', &source.as_bytes()[..line_start - 1]).map_or(0, |i| i + 1)
        };
        let mut text = String::new();
        let mut caret = 0;
        // Lines found with `memchr`: `split('\n')` went through a long line byte by byte.
        let mut rest = &source[first_start..];
        let lines = std::iter::from_fn(|| {
            let end = memchr::memchr(b'\n', rest.as_bytes());
            let line = &rest[..end.unwrap_or(rest.len())];
            rest = end.map_or("", |end| &rest[end + 1..]);
            Some(line)
        });
        for (i, line) in lines.enumerate().take(caret_line + 2 - first_line) {
            if i > 0 {
                text.push('\n');
            }
            let at_caret = first_line + i == caret_line;
            let (cut, at) = if at_caret {
                window(line, column, caret_byte)
            } else {
                window(line, 0, 0)
            };
            if at_caret {
                caret = text.len() + at;
            }
            text.push_str(&cut);
        }
        Some(Snippet {
            text,
            caret,
            first_line,
        })
    }

    /// Where the diagnostic's line starts in its source, and its text.
    fn line_text(&self) -> Option<(usize, &str)> {
        let source = self.source.as_ref()?;
        let line = self.line?;
        let line_start = if line == 1 {
            0
        } else {
            line_start(source, line)?
        };
        let rest = &source[line_start..];
        Some((
            line_start,
            &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())],
        ))
    }

    /// The caret's byte offset in its line's text and its 0-based column in characters:
    /// the diagnostic's column, or the line's end if it is past it.
    fn caret_in(&self, line_text: &str) -> (usize, usize) {
        let column = self.column.unwrap_or(1) - 1;
        match byte_of(line_text, column) {
            end if end == line_text.len() => (end, char_count(line_text)),
            at => (at, column),
        }
    }
}

thread_local! {
    /// Where each line starts in the last source a snippet was drawn from on this thread.
    /// Diagnostics are drawn in the order of their files, and each found its line by
    /// counting its file's lines up to it (50,000 warnings down a page of 100,000 lines
    /// took 8 s).
    static LINE_STARTS: RefCell<Option<(Arc<str>, Vec<usize>)>> = const { RefCell::new(None) };
}

/// The byte offset where line `line` (1-based) of `source` starts, if it has that line.
fn line_start(source: &Arc<str>, line: usize) -> Option<usize> {
    LINE_STARTS.with(|starts| {
        let mut starts = starts.borrow_mut();
        if !starts.as_ref().is_some_and(|(s, _)| Arc::ptr_eq(s, source)) {
            *starts = Some((Arc::clone(source), crate::text::line_starts(source)));
        }
        starts.as_ref()?.1.get(line - 1).copied()
    })
}

/// How many characters of a line a snippet shows at most.
pub const SNIPPET_WIDTH: usize = 200;

/// At most [`SNIPPET_WIDTH`] characters of `line` around the character `column` (at most
/// the line's length; `caret` is its byte offset), with `…` where it was cut, and the byte offset of that column in
/// the result. Each call reads the line up to the window's end, and that quickly if it is
/// ASCII, rather than counting all of it: a page of one long line with 50,000 links to
/// missing `#anchors` took 28 s to draw its warnings, each counting the whole line.
fn window(line: &str, column: usize, caret: usize) -> (String, usize) {
    // The characters after the caret, counted up to one more than a window holds: the
    // line's length where it matters (its end is in view), and "more" otherwise.
    let after = line[caret..].chars().take(SNIPPET_WIDTH + 1).count();
    if column + after <= SNIPPET_WIDTH {
        return (line.to_string(), caret);
    }
    // Half a window before the caret, or as many as fill the window when the line ends
    // within half a window after it.
    let start = if after < SNIPPET_WIDTH / 2 {
        column + after - SNIPPET_WIDTH
    } else {
        column.saturating_sub(SNIPPET_WIDTH / 2)
    };
    let back = column - start;
    let from = if back == 0 {
        caret
    } else {
        line[..caret]
            .char_indices()
            .nth_back(back - 1)
            .map_or(0, |(b, _)| b)
    };
    let to = line[from..]
        .char_indices()
        .nth(SNIPPET_WIDTH)
        .map_or(line.len(), |(b, _)| from + b);
    let mut out = String::with_capacity(to - from + 6);
    if start > 0 {
        out.push('…');
    }
    let at = out.len() + (caret - from);
    out.push_str(&line[from..to]);
    if to < line.len() {
        out.push('…');
    }
    (out, at)
}

/// The byte offset of character `chars` of `text` (its length past its end): the same
/// number where the characters before it are ASCII, found without going through them one
/// by one.
fn byte_of(text: &str, chars: usize) -> usize {
    if text.as_bytes().get(..chars).is_some_and(<[u8]>::is_ascii) {
        return chars;
    }
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// How many characters `text` has (its length if it is ASCII).
fn char_count(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = self.location();
        if location.is_empty() {
            write!(f, "{kind}: {}", self.message)
        } else {
            write!(f, "{kind}: {location}: {}", self.message)
        }
    }
}

/// A diagnostic as a build keeps it for the next one (see [`Diagnostic::kept`]): its
/// snippet drawn, not its file's text.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    severity: Severity,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    label: Option<String>,
    help: Option<String>,
    snippet: Option<Snippet>,
}

impl Diagnostic {
    /// This diagnostic as one line of JSON, to be said again by a build that finds nothing
    /// changed (see `output::Stamp`); `None` if its file's name is not UTF-8.
    pub(crate) fn kept(&self) -> Option<String> {
        let file = match &self.file {
            Some(f) => Some(f.to_str()?.to_string()),
            None => None,
        };
        let kept = Kept {
            severity: self.severity,
            message: self.message.clone(),
            file,
            line: self.line,
            column: self.column,
            label: self.label.clone(),
            help: self.help.clone(),
            snippet: self.snippet(),
        };
        serde_json::to_string(&kept).ok()
    }

    /// A diagnostic [`Diagnostic::kept`] wrote; it renders as the original did.
    pub(crate) fn from_kept(line: &str) -> Option<Diagnostic> {
        let kept: Kept = serde_json::from_str(line).ok()?;
        Some(Diagnostic {
            severity: kept.severity,
            message: kept.message,
            file: kept.file.map(PathBuf::from),
            line: kept.line,
            column: kept.column,
            source: None,
            label: kept.label,
            help: kept.help,
            snippet: kept.snippet,
        })
    }
}

/// The few lines of a source a diagnostic shows (see [`Diagnostic::snippet`]).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Snippet {
    text: String,
    /// The caret's byte offset in `text`.
    caret: usize,
    /// The 0-based line number of the first line of `text` in the source.
    first_line: usize,
}

/// Adapter that lets miette draw a [`Diagnostic`], from its cut snippet source.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    snippet: Option<Snippet>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The location is repeated here so that it shows even where there is no snippet.
        let location = self.diagnostic.location();
        if location.is_empty() {
            write!(f, "{}", self.diagnostic.message)
        } else {
            write!(f, "{location}: {}", self.diagnostic.message)
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref()?;
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let caret = self.snippet.as_ref()?.caret;
        let span = SourceSpan::new(caret.into(), 0);
        let label = LabeledSpan::new_with_span(self.diagnostic.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

impl miette::SourceCode for Report<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (source, first_line) = self
            .snippet
            .as_ref()
            .map_or(("", 0), |s| (s.text.as_str(), s.first_line));
        let name = self
            .diagnostic
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let contents = source.read_span(span, before, after)?;
        // miette names the caret's place in the box's header from the caret's span alone:
        // there, the column is the diagnostic's own (in characters of the whole line),
        // not the byte offset in the cut line the snippet shows.
        let caret = self.snippet.as_ref().map(|s| s.caret);
        let column = match self.diagnostic.column {
            Some(column) if before == 0 && after == 0 && caret == Some(span.offset()) => {
                column.saturating_sub(1)
            }
            _ => contents.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            name,
            contents.data(),
            *contents.span(),
            first_line + contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// The diagnostics of one run, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Keeps the first `from` diagnostics, and of the others those `keep` accepts.
    pub(crate) fn retain_after(&mut self, from: usize, mut keep: impl FnMut(&Diagnostic) -> bool) {
        let mut at = 0;
        self.items.retain(|d| {
            at += 1;
            at <= from || keep(d)
        });
    }

    /// Sorts by file, then position, so that output does not depend on thread timing.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.items
            .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    }

    /// Prints every diagnostic to stderr, with snippets (in colour on a terminal, unless
    /// `NO_COLOR` is set).
    pub fn print(&self) {
        print_all(self.items.iter());
    }

    /// Prints the diagnostics `keep` keeps, as [`Diagnostics::print`] does.
    pub fn print_where(&self, keep: impl Fn(&Diagnostic) -> bool) {
        print_all(self.items.iter().filter(|d| keep(d)));
    }
}

impl Diagnostic {
    /// Prints this one diagnostic as [`Diagnostics::print`] does.
    pub fn print(&self) {
        print_all(std::iter::once(self));
    }
}

fn print_all<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) {
    use rayon::prelude::*;
    use std::io::{IsTerminal, Write};
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Drawing a snippet takes longer than printing it: a guide's hundred warnings are
    // drawn in parallel, then printed in order.
    let diagnostics: Vec<&Diagnostic> = diagnostics.collect();
    let drawn: Vec<String> = diagnostics.par_iter().map(|d| d.render(color)).collect();
    // In one write: stderr is not buffered, and `writeln!` wrote each diagnostic and its
    // line break apart (150 system calls for a guide's 75 warnings).
    let mut all = String::with_capacity(drawn.iter().map(|text| text.len() + 1).sum());
    for text in drawn {
        all.push_str(&text);
        all.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(all.as_bytes());
}

/// What went wrong with a file, without its path (the message names it) or the OS's error
/// number: "no space left on device", "no such file or directory".
pub(crate) fn io_cause(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_and_caret() {
        let d = Diagnostic::error("invalid type: string \"ten\", expected i64")
            .in_file("content/roles/a.fr.md")
            .at(3, 9)
            .with_source(Arc::from("---\ntitle: A\nweight: ten\n---\n"));
        let text = d.render(false);
        assert!(text.contains("content/roles/a.fr.md:3:9"), "{text}");
        assert!(text.contains("weight: ten"), "{text}");
    }

    /// Kept for the next build, a diagnostic renders as it did, in color or not, with
    /// its snippet (a window of a long line, a line deep in its file), but not its file.
    #[test]
    fn a_kept_diagnostic_renders_as_it_did() {
        let source: String = (1..=300)
            .map(|n| format!("line {n} {}\n", "é".repeat(if n == 250 { 400 } else { 3 })))
            .collect();
        let deep = Diagnostic::warning("link to `#x`: no such anchor")
            .in_file("content/en/a.md")
            .at(250, 300)
            .with_source(Arc::from(source))
            .with_link_label(None)
            .with_help("check the heading's id");
        let plain = Diagnostic::warning("no base_url").in_file("site.yaml");
        for d in [deep, plain] {
            let line = d.kept().expect("kept");
            assert!(!line.contains('\n') && line.len() < 2_000, "{line}");
            let back = Diagnostic::from_kept(&line).expect("read back");
            assert!(back.source.is_none());
            for color in [false, true] {
                assert_eq!(back.render(color), d.render(color));
            }
            assert_eq!(back.to_string(), d.to_string());
        }
        assert!(Diagnostic::from_kept("{\"severity\":\"fatal\"}").is_none());
    }

    #[test]
    fn the_caret_counts_characters_not_bytes() {
        let d = Diagnostic::error("x")
            .at(2, 3)
            .with_source(Arc::from("line\néé!\n"));
        assert_eq!(d.line_text(), Some((5, "éé!")));
        assert_eq!(d.caret_in("éé!"), (4, 2));
        // Past the line's end: at its end.
        let d = d.at(2, 9);
        assert_eq!(d.caret_in("éé!"), ("éé!".len(), 3));
    }

    /// The window as it was made before it read only what it shows (each line counted
    /// whole): the same text and caret for every line and column.
    fn window_counting_all(line: &str, column: usize) -> (String, usize) {
        let len = line.chars().count();
        let byte_of = |text: &str, chars: usize| {
            text.char_indices()
                .nth(chars)
                .map_or(text.len(), |(b, _)| b)
        };
        if len <= SNIPPET_WIDTH {
            return (line.to_string(), byte_of(line, column));
        }
        let start = column
            .saturating_sub(SNIPPET_WIDTH / 2)
            .min(len - SNIPPET_WIDTH);
        let (from, to) = (byte_of(line, start), byte_of(line, start + SNIPPET_WIDTH));
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        let caret = out.len() + byte_of(&line[from..to], column - start);
        out.push_str(&line[from..to]);
        if to < line.len() {
            out.push('…');
        }
        (out, caret)
    }

    #[test]
    fn a_window_reads_only_what_it_shows_and_shows_the_same() {
        let pieces = ["a", "é", "’", "😀", " ", "x"];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        for _ in 0..400 {
            let len = next() % 700;
            let ascii = next() % 3 == 0;
            let line: String = (0..len)
                .map(|_| {
                    if ascii {
                        "a"
                    } else {
                        pieces[next() % pieces.len()]
                    }
                })
                .collect();
            let chars = line.chars().count();
            for column in [
                0,
                1,
                chars / 2,
                chars.saturating_sub(1),
                chars,
                next() % (chars + 1),
            ] {
                let column = column.min(chars);
                assert_eq!(
                    window(&line, column, byte_of(&line, column)),
                    window_counting_all(&line, column),
                    "{chars} characters, column {column}"
                );
            }
        }
        for (text, chars) in [("abc", 2), ("abc", 9), ("é!", 1), ("aé!", 2), ("", 0)] {
            assert_eq!(
                byte_of(text, chars),
                text.char_indices()
                    .nth(chars)
                    .map_or(text.len(), |(b, _)| b)
            );
        }
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_column() {
        let line = format!("{}MARK{}", "a".repeat(500_000), "é".repeat(500_000));
        let d = Diagnostic::error("here")
            .in_file("x.md")
            .at(2, 500_003)
            .with_source(Arc::from(format!("first\n{line}\nlast\n")));
        let text = d.render(false);
        assert!(text.len() < 2_000, "{} bytes", text.len());
        assert!(
            text.contains("MARK") && text.contains("first") && text.contains("last"),
            "{text}"
        );
        assert!(text.contains('…'), "{text}");
        let (cut, at) = window("abcdef", 3, 3);
        assert_eq!((cut.as_str(), at), ("abcdef", 3));
    }

    /// The box's header names the same line and column as the message, in characters of
    /// the whole line, also after accented letters and in a line cut around the caret.
    #[test]
    fn the_snippet_header_names_the_column_of_the_message() {
        let long = format!("{} d’Adobe [](x)", "é".repeat(300));
        for (line, column) in [("L’extension d’Adobe [](x).", 21), (long.as_str(), 310)] {
            let d = Diagnostic::warning("here")
                .in_file("x.md")
                .at(1, column)
                .with_source(Arc::from(format!("{line}\n")));
            let text = d.render(false);
            let header = format!("[x.md:1:{column}]");
            assert!(text.contains(&format!("x.md:1:{column}: here")), "{text}");
            assert!(text.contains(&header), "{text}");
        }
    }

    #[test]
    fn a_snippet_deep_in_a_file_keeps_its_line_numbers() {
        let source: String = (1..=1200).map(|n| format!("text of line {n}\n")).collect();
        let d = Diagnostic::warning("here")
            .in_file("x.md")
            .at(1000, 6)
            .with_source(Arc::from(source));
        let text = d.render(false);
        assert!(text.contains("x.md:1000:6"), "{text}");
        for shown in [
            "999 │ text of line 999",
            "1000 │ text of line 1000",
            "1001 │ text of line 1001",
        ] {
            assert!(text.contains(shown), "{shown} not in {text}");
        }
        assert!(
            !text.contains("line 998") && !text.contains("line 1002"),
            "{text}"
        );
    }

    /// Lines are found from the last source's line starts, kept by the thread: drawn in
    /// turn from two sources, each diagnostic shows its own lines.
    #[test]
    fn snippets_of_two_sources_in_turn_show_their_own_lines() {
        let source = |name: &str| -> Arc<str> {
            (1..=300)
                .map(|n| format!("{name} line {n}\n"))
                .collect::<String>()
                .into()
        };
        let (a, b) = (source("first"), source("second"));
        for (n, line) in [7, 250, 1, 300, 42].into_iter().enumerate() {
            let (source, name) = if n % 2 == 0 {
                (&a, "first")
            } else {
                (&b, "second")
            };
            let d = Diagnostic::warning("here")
                .in_file("x.md")
                .at(line, 1)
                .with_source(Arc::clone(source));
            assert_eq!(
                d.line_text().map(|(_, text)| text.to_string()),
                Some(format!("{name} line {line}"))
            );
        }
        let d = Diagnostic::warning("past the end")
            .at(302, 1)
            .with_source(Arc::clone(&a));
        assert_eq!(d.line_text(), None);
        // The empty line after the last `\n`.
        let d = Diagnostic::warning("end").at(301, 1).with_source(a);
        assert_eq!(d.line_text().map(|(_, text)| text), Some(""));
    }

    #[test]
    fn out_of_range_line_has_no_snippet() {
        let d = Diagnostic::error("x")
            .at(40, 1)
            .with_source(Arc::from("a\nb"));
        assert_eq!(d.line_text(), None);
        assert!(d.render(false).contains('x'));
    }
}
