//! What content may put into a page: raw HTML and URLs that cannot run script.
//!
//! Content comes from people in a hurry, from translation vendors and from machine
//! translation: a `<script>` or an `onerror=` in a Markdown file must not run in every
//! reader's browser. So raw HTML in Markdown is cleaned with `ammonia` unless `site.yaml`
//! says `markdown: { raw_html: trusted }` (Hugo drops raw HTML unless a site opts in; this
//! keeps the harmless part). The allowlist keeps what documentation needs (tables, images,
//! `<details>`, `<kbd>`, `<sup>`, links, `class`) and what equipe itself writes into a
//! body, because a body that has raw HTML is cleaned whole: cleaning raw fragments one by
//! one would close a `<details>` opened in one HTML block before the Markdown inside it.
//! Most bodies are not cleaned: their raw HTML is checked where it is ([`Pieces`]), or
//! their whole HTML tag by tag ([`plain`]), and kept as written.

use std::borrow::Cow;
use std::sync::OnceLock;

/// What to do with raw HTML in Markdown (`markdown: { raw_html: ... }` in `site.yaml`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RawHtml {
    /// Cleaned: no script, no event handlers, no `javascript:` URLs.
    #[default]
    Sanitized,
    /// Passed through as written: for content written by the site's own developers.
    Trusted,
}

impl RawHtml {
    /// The policy a `site.yaml` value names.
    pub fn parse(value: &str) -> Option<RawHtml> {
        match value {
            "sanitized" => Some(RawHtml::Sanitized),
            "trusted" => Some(RawHtml::Trusted),
            _ => None,
        }
    }
}

/// Cleans an HTML fragment: tags, attributes and URLs outside the allowlist go; script
/// and style elements go with their content.
pub(crate) fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// How deep a body's elements may nest for [`clean`]: the deepest a browser builds a page
/// (Chromium's HTML parser stops nesting at 512), and what keeps cleaning fast. The HTML
/// parser cleaning uses looks through every open element at each tag, so that a body of
/// 100,000 nested quotes (`>>>>…`) and a few raw `<div>`s took 40 s to clean, and a
/// million would take an hour: such a body is an error instead (see [`nests_too_deep`]).
pub(crate) const MAX_DEPTH: usize = 512;

/// Whether `html` nests more than [`MAX_DEPTH`] elements inside each other, as the HTML
/// parser would open them: each start tag opens an element and its end tag closes it,
/// but for the elements that have no end tag (`<br>`, `<img>`...) or whose end tag may be
/// left out (`<p>`, `<li>`, `<td>`...: a parser closes them at the next of their kind, so
/// they never pile up). Tags in comments count too: more than it should, never less.
pub(crate) fn nests_too_deep(html: &str) -> bool {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
        "tfoot", "option", "optgroup", "rt", "rp", "colgroup", "caption", "html", "head", "body",
    ];
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        let closing = rest.first() == Some(&b'/');
        let name = &rest[usize::from(closing)..];
        let len = name
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let name = &name[..len];
        if !name.first().is_some_and(u8::is_ascii_alphabetic)
            || UNCOUNTED
                .iter()
                .any(|u| u.as_bytes().eq_ignore_ascii_case(name))
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > MAX_DEPTH {
                return true;
            }
        }
    }
    false
}

/// Each start tag in an author's raw HTML of an element that cleaning takes out (see
/// [`clean`]), with its byte offset: a `<script>` or an embedded video that went
/// without a word left its author looking for it. Comments are passed over.
pub(crate) fn removed_elements(html: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    const REMOVED: &[&str] = &[
        "script", "style", "iframe", "frame", "object", "embed", "applet", "video", "audio",
        "canvas", "svg", "form", "button", "select", "textarea",
    ];
    let mut comment_end = 0;
    memchr::memchr_iter(b'<', html.as_bytes()).filter_map(move |at| {
        if at < comment_end {
            return None;
        }
        let rest = &html[at + 1..];
        if rest.starts_with("!--") {
            comment_end = rest.find("-->").map_or(html.len(), |e| at + 1 + e + 3);
            return None;
        }
        let name_len = rest
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        REMOVED
            .iter()
            .find(|r| r.eq_ignore_ascii_case(name))
            .map(|r| (at, *r))
    })
}

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // What pulldown-cmark and equipe write: heading ids and anchors, task-list
        // checkboxes, alerts, footnotes, code languages, table alignment.
        // `section` (with `aria-labelledby`), `target`/`rel` and `details open` are what
        // the Adobe Markdown blocks write (tabs, attribute lists, collapsibles).
        b.add_tags(["input", "section"])
            .add_generic_attributes([
                "class",
                "id",
                "dir",
                "aria-label",
                "aria-hidden",
                "aria-labelledby",
            ])
            .add_generic_attribute_prefixes(["data-"])
            .add_tag_attributes("a", ["title", "tabindex", "target", "rel"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("img", ["title"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_url_schemes(["data"])
            // Links keep the `rel` they were written with (none): ammonia's default
            // would add one to every link of the page.
            .link_rel(None)
            .attribute_filter(filter_attribute);
        b
    })
}

/// The last word on an attribute ammonia's allowlist let through: `data:` URLs only for
/// images, `style` only for table alignment, checkboxes only.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match attribute {
        "href" | "src" | "cite" => !is_unsafe_url(value, element == "img" && attribute == "src"),
        "style" => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        "type" if element == "input" => value.eq_ignore_ascii_case("checkbox"),
        // A new window, never a named one another page could script.
        "target" => value == "_blank",
        "rel" => value
            .split_ascii_whitespace()
            .all(|r| matches!(r, "noopener" | "noreferrer" | "nofollow")),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// A body's HTML as it can go into the page without `ammonia`, or `None` if it must be
/// cleaned. Cleaning parses and writes the whole body again, which took a third of a real
/// guide's build, while most raw HTML in documentation is a `<br>` in a table cell, a
/// plain `<table>` or a comment. A body passes only if every tag in it is whole, of a
/// short list of harmless elements with harmless attributes (a subset of what [`clean`]
/// keeps; URLs checked as it checks them), and opened and closed as an HTML parser closes
/// them (see [`close`]), the body's own Markdown structure included: then no element of
/// the page's template can be closed by the body, and nothing can run script. Comments are
/// taken out, as cleaning does (they are notes to the authors), and so are the attributes
/// cleaning drops: a `style` (Adobe's guides set `style="table-layout:auto"` on their
/// largest tables), an event handler, the `role` and `xrefformat` of tables exported from
/// MadCap Flare (see [`keeps`]). An unknown tag, an attribute cleaning keeps but this list
/// does not, an entity in a URL, a stray `<`, a comment the HTML parser would end
/// elsewhere, an end tag it might match otherwise or an element left open sends the body
/// to [`clean`], as before. (Every page of 27 Experience League guides, Workfront's 4,809
/// included, reads the same in a browser either way: html5ever, written back.)
pub(crate) fn plain(html: &str) -> Option<Cow<'_, str>> {
    let mut structure = Structure::default();
    let out = structure.scan(html)?;
    structure.open.is_empty().then_some(out)
}

/// The elements of a body an HTML parser has open, innermost last, as [`plain`] follows
/// them tag by tag.
#[derive(Default)]
struct Structure {
    open: Vec<&'static str>,
}

impl Structure {
    /// Follows the tags of `html`, a body or a piece of one; returns it without its
    /// comments and the attributes to drop (see [`plain`]), or `None` where it does not
    /// pass.
    fn scan<'h>(&mut self, html: &'h str) -> Option<Cow<'h, str>> {
        // Set at the first comment or dropped attribute: the HTML without them.
        let mut rewritten: Option<String> = None;
        // Sized for the whole body at once: grown by doubling, it was copied again and
        // again in a long page.
        let start = |rest: &str| {
            let mut out = String::with_capacity(html.len());
            out.push_str(&html[..html.len() - rest.len()]);
            out
        };
        let mut rest = html;
        while let Some(at) = memchr::memchr(b'<', rest.as_bytes()) {
            self.text(&rest[..at])?;
            if let Some(comment) = rest[at..].strip_prefix("<!--") {
                let end = comment_end(comment)?;
                let out = rewritten.get_or_insert_with(|| start(rest));
                out.push_str(&rest[..at]);
                rest = &comment[end..];
                continue;
            }
            let (tag, after, dropped) = Tag::parse(&rest[at..])?;
            if !dropped.is_empty() && rewritten.is_none() {
                rewritten = Some(start(rest));
            }
            if let Some(out) = &mut rewritten {
                // The tag's text but for the attributes dropped.
                let mut from = 0;
                for span in dropped {
                    out.push_str(&rest[from..at + span.start]);
                    from = at + span.end;
                }
                out.push_str(&rest[from..rest.len() - after.len()]);
            }
            rest = after;
            self.tag(tag)?;
        }
        // (What follows the last tag of a piece is text among what comes next.)
        self.text(rest)?;
        Some(match rewritten {
            Some(mut out) => {
                out.push_str(rest);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(html),
        })
    }

    /// Text before the next tag: `None` if the parser would move it out of the table
    /// part it is in (text between a table's parts but spaces).
    fn text(&self, text: &str) -> Option<()> {
        let out_of_place = self.open.last().is_some_and(|e| between_cells(e))
            && !text.trim_start_matches(is_space).is_empty();
        (!out_of_place).then_some(())
    }

    /// The next tag: `None` where the parser might not make or close it as written.
    fn tag(&mut self, tag: Tag) -> Option<()> {
        match tag {
            Tag::Open { name, void } => {
                close_before(&mut self.open, name);
                // A part of a table where the parser would not make it (a `<td>` out of
                // any table is dropped, and its end tag would not close what it holds).
                if !in_place(name, self.open.last().copied()) {
                    return None;
                }
                // A link in a link: the parser ends the first one there, and moves what
                // it holds around (the adoption agency); cleaning writes what it made.
                if name == "a" && self.open.contains(&"a") {
                    return None;
                }
                if !void {
                    self.open.push(name);
                }
            }
            Tag::Close(name) => close(&mut self.open, name)?,
            Tag::Ignored => {}
        }
        Some(())
    }
}

/// Raw HTML checked where it is among a body's Markdown, piece by piece (an HTML block,
/// an inline tag), as [`plain`] checks the whole body once written: most of a body with
/// raw HTML is the Markdown's own HTML, which needs no checking (raw HTML was 6 to 13% of
/// the HTML of Adobe's guides' bodies that have some, and checking them whole 7% of a
/// guide's first build). The Markdown's elements are elements the raw HTML cannot close,
/// nor leave open across their end (a link is an `<a>`, which a raw link cannot be in);
/// each piece loses its comments and the attributes to drop, as in [`plain`]. Where a
/// piece does not pass, the body is checked whole ([`plain`]), as before, and cleaned if
/// need be. (The Markdown's own HTML is then as in a body without raw HTML, which is not
/// checked: checking a body whole also cleaned what the Markdown wrote of an odd heading
/// attribute, `{gérée=1}`, where the body had raw HTML.)
#[derive(Default)]
pub(crate) struct Pieces {
    structure: Structure,
}

/// A Markdown element among raw HTML's (but a link, an `<a>`): no element's name.
const MARKDOWN: &str = "#markdown";

impl Pieces {
    /// A Markdown element starts (`link`: a link).
    pub(crate) fn start(&mut self, link: bool) -> Option<()> {
        let name = if link { "a" } else { MARKDOWN };
        // Where a raw element could be made (not between a raw table's parts; no link
        // in a raw link).
        self.structure.tag(Tag::Open { name, void: false })
    }

    /// The Markdown element started last ends: it must be the innermost still (what raw
    /// HTML opened in it closed in it, and nothing of the raw HTML closed it).
    pub(crate) fn end(&mut self, link: bool) -> Option<()> {
        let name = if link { "a" } else { MARKDOWN };
        (self.structure.open.pop()? == name).then_some(())
    }

    /// A Markdown element without content (a rule, a line break, inline code).
    pub(crate) fn void(&mut self) -> Option<()> {
        self.structure.tag(Tag::Open {
            name: MARKDOWN,
            void: true,
        })
    }

    /// Text of the Markdown.
    pub(crate) fn text(&self, text: &str) -> Option<()> {
        self.structure.text(text)
    }

    /// A piece of raw HTML (whole tags and the text around them), as it goes into the
    /// page: without comments and the attributes to drop, as [`plain`] writes it.
    pub(crate) fn html<'h>(&mut self, html: &'h str) -> Option<Cow<'h, str>> {
        self.structure.scan(html)
    }

    /// Whether every element is closed.
    pub(crate) fn finish(&self) -> bool {
        self.structure.open.is_empty()
    }
}

/// Whether the parser makes element `name` inside `parent` (the innermost element of the
/// body open, if any) as it is written: the parts of a table only in their place, and
/// nothing else between them (the parser moves it out of the table, and its end tag may
/// then close something else).
fn in_place(name: &str, parent: Option<&str>) -> bool {
    let parents: &[&str] = match name {
        "td" | "th" => &["tr", "tbody", "thead", "tfoot", "table"],
        "tr" => &["tbody", "thead", "tfoot", "table"],
        "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => &["table"],
        "col" => &["colgroup", "table"],
        _ => return !parent.is_some_and(between_cells),
    };
    parent.is_some_and(|p| parents.contains(&p))
}

/// Closes what the parser closes before it makes a part of a table, `name`, where end
/// tags were left out (`<tr><td>a<tr><td>b`): the open cell of the innermost table, with
/// whatever it holds, and then the row, or the row and the table's body, `name` cannot
/// be in.
fn close_before(open: &mut Vec<&str>, name: &str) {
    let closes: &[&str] = match name {
        "td" | "th" => &["colgroup"],
        "tr" => &["tr", "colgroup"],
        "col" => &["tr", "tbody", "thead", "tfoot"],
        "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
            &["tr", "tbody", "thead", "tfoot", "colgroup"]
        }
        _ => return,
    };
    close_cell(open);
    pop_while(open, closes);
}

/// Where the innermost of `names` is in `open`.
fn innermost(open: &[&str], names: &[&str]) -> Option<usize> {
    open.iter().rposition(|e| names.contains(e))
}

/// Closes the open cell of the innermost table, with whatever is open in it (formatting
/// included: the parser lets go of what a cell opened when it closes).
fn close_cell(open: &mut Vec<&str>) {
    if let Some(at) = innermost(open, &["td", "th", "table"])
        && open[at] != "table"
    {
        open.truncate(at);
    }
}

/// Closes the innermost elements while they are of `names`.
fn pop_while(open: &mut Vec<&str>, names: &[&str]) {
    while open.last().is_some_and(|e| names.contains(e)) {
        open.pop();
    }
}

/// Whether `element` holds the parts of a table, not content: what the parser finds in it
/// but another part (or spaces) it moves before the table.
fn between_cells(element: &str) -> bool {
    matches!(
        element,
        "table" | "tbody" | "thead" | "tfoot" | "tr" | "colgroup"
    )
}

/// Closes element `name` of `open` (the body's elements still open, innermost last) as
/// an HTML parser does, or `None` where it might not. Most end tags close the innermost
/// element. Tables and lists exported from other tools (MadCap Flare's, in Workfront's
/// guide) leave the end tags HTML lets out to the parser: a `</tr>` closes the cell open
/// in the row, whatever is open in that cell, a `</td>` what is open in it, a `</li>` its
/// paragraph, `</ul>` its last item. And the parser ignores an end tag with no element of
/// its name open in the cell, table or list it is in (a `</tr>` or `</tbody>` where no row
/// or body is open, a `</td>`, `</li>` or `</ul>` where no cell, item or list is), and
/// makes an empty paragraph of a `</p>`: inert, inside that element. Anything else (an end
/// tag the parser would match with an element of the page's template, or whose
/// formatting it would carry on past it) is for cleaning.
fn close(open: &mut Vec<&str>, name: &str) -> Option<()> {
    if open.last() == Some(&name) {
        open.pop();
        return Some(());
    }
    // No element of its name open inside the innermost of `scope` (one of them open, else
    // the parser would look among the template's): the parser ignores the end tag (or
    // makes an empty paragraph of a `</p>`), inside that element.
    let ignored = |open: &[&str], scope: &[&str]| {
        innermost(open, scope).is_some_and(|at| !open[at..].contains(&name))
    };
    const SCOPE: &[&str] = &["td", "th", "caption", "table"];
    const LIST_ITEM_SCOPE: &[&str] = &["td", "th", "caption", "table", "ul", "ol"];
    match name {
        "li" if ignored(open, LIST_ITEM_SCOPE) => {}
        "ul" | "ol" | "p" if ignored(open, SCOPE) => {}
        "td" | "th" if ignored(open, &["table"]) => {}
        "td" | "th" => {
            let at = innermost(open, &["td", "th", "table"])?;
            (open[at] == name).then(|| open.truncate(at))?;
        }
        "tr" | "tbody" | "thead" | "tfoot" | "table" => {
            let table = innermost(open, &["table"])?;
            if !open[table..].contains(&name) {
                // None open in the table, and no cell: the parser ignores it (or closes
                // the row or body it implied, inside the table all the same).
                return matches!(open.last(), Some(&("tbody" | "thead" | "tfoot" | "table")))
                    .then_some(());
            }
            close_cell(open);
            let within: &[&str] = match name {
                "tr" => &[],
                "table" => &["tr", "tbody", "thead", "tfoot"],
                _ => &["tr"],
            };
            pop_while(open, within);
            (open.pop()? == name).then_some(())?;
        }
        "li" | "ul" | "ol" => {
            pop_while(open, if name == "li" { &["p"] } else { &["p", "li"] });
            (open.pop()? == name).then_some(())?;
        }
        _ => return None,
    }
    Some(())
}

/// Where a comment ends in `text` (what follows its `<!--`): after the first `-->`,
/// unless the HTML parser would end it elsewhere (`<!-->`, `<!--->`, `--!>`).
fn comment_end(text: &str) -> Option<usize> {
    if text.starts_with('>') || text.starts_with("->") {
        return None;
    }
    let end = text.find("-->")?;
    (!text[..end + 3].contains("--!>")).then_some(end + 3)
}

/// A tag that [`plain`] accepts (the element's name as the list writes it).
#[derive(Clone, Copy)]
enum Tag {
    /// An element of the list, with allowed attributes; `void` if it has no end tag.
    Open {
        name: &'static str,
        void: bool,
    },
    Close(&'static str),
    /// An end tag the HTML parser ignores wherever it is (`</col>`), dropped.
    Ignored,
}

/// Where attributes to drop are in a tag's text: from the space before each to its end.
type Dropped = Vec<std::ops::Range<usize>>;

impl Tag {
    /// The allowed tag `text` starts with (at its `<`), the text after it, and the
    /// attributes of it that cleaning would drop and that are harmless to drop here.
    fn parse(text: &str) -> Option<(Tag, &str, Dropped)> {
        match Tag::common(text) {
            Some((tag, len)) => Some((tag, &text[len..], Dropped::new())),
            None => Tag::parse_any(text),
        }
    }

    /// [`Tag::parse`] of any tag, name and attributes read one by one.
    fn parse_any(text: &str) -> Option<(Tag, &str, Dropped)> {
        let after_lt = &text[1..];
        if let Some(closing) = after_lt.strip_prefix('/') {
            let (name, rest) = tag_name(closing)?;
            let rest = rest.trim_start_matches(is_space).strip_prefix('>')?;
            let (known, void) = element(name)?;
            // `</br>` is a `<br>` to HTML parsers; other void elements have no end tag, and
            // `</col>` (as XHTML writes it) is ignored.
            return match (known, void) {
                ("br", _) => Some((Tag::Open { name: known, void }, rest, Dropped::new())),
                ("col", _) => {
                    let whole: Dropped = std::iter::once(0..text.len() - rest.len()).collect();
                    Some((Tag::Ignored, rest, whole))
                }
                (_, true) => None,
                _ => Some((Tag::Close(known), rest, Dropped::new())),
            };
        }
        let (name, mut rest) = tag_name(after_lt)?;
        let (known, void) = element(name)?;
        let mut dropped = Dropped::new();
        loop {
            let trimmed = rest.trim_start_matches(is_space);
            if let Some(end) = trimmed.strip_prefix('>') {
                return Some((Tag::Open { name: known, void }, end, dropped));
            }
            if let Some(end) = trimmed.strip_prefix("/>") {
                // `<br/>`; `<div/>` is an open `<div>` to an HTML parser.
                return void.then_some((Tag::Open { name: known, void }, end, dropped));
            }
            // Attributes are separated by space.
            if trimmed.len() == rest.len() {
                return None;
            }
            let (attribute, value, after) = attribute(trimmed)?;
            let mut buffer = [0u8; 32];
            let attribute = lowercase(attribute, &mut buffer)?;
            if !allowed(known, attribute, value) {
                // What cleaning would drop (a `style`, an event handler, the `role` and
                // `xrefformat` of tables exported from MadCap Flare) is dropped here too,
                // rather than clean the whole body for it; what it would keep, or check
                // as a URL, is left to it.
                if keeps(known, attribute) {
                    return None;
                }
                let offset = |part: &str| text.len() - part.len();
                dropped.push(offset(rest)..offset(after));
            }
            rest = after;
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// A tag name (letters, then letters or digits) and the text after it.
impl Tag {
    /// A tag Markdown writes most, as it writes it (`<p>`, `</li>`, `</h2>`: lower case,
    /// no attribute), and its length: known at a glance, where reading each tag's name
    /// and looking it up was half of this check's time on a guide's pages. What the
    /// general way makes of it.
    fn common(text: &str) -> Option<(Tag, usize)> {
        const COMMON: &[&str] = &[
            "p",
            "li",
            "ul",
            "ol",
            "em",
            "strong",
            "code",
            "pre",
            "tr",
            "td",
            "th",
            "thead",
            "tbody",
            "table",
            "blockquote",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        ];
        let head = text.as_bytes().get(..13.min(text.len()))?;
        let end = memchr::memchr(b'>', head)?;
        let (close, name) = match text.get(1..end)? {
            inner if inner.starts_with('/') => (true, &inner[1..]),
            inner => (false, inner),
        };
        let name = *COMMON.iter().find(|n| **n == name)?;
        let tag = if close {
            Tag::Close(name)
        } else {
            Tag::Open { name, void: false }
        };
        Some((tag, end + 1))
    }
}

fn tag_name(text: &str) -> Option<(&str, &str)> {
    // By bytes: the first byte of any other character than ASCII ends the name as the
    // character does.
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(text.len());
    let name = &text[..end];
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some((name, &text[end..]))
}

/// An attribute: its name, its value (`""` if it has none) and the text after it.
fn attribute(text: &str) -> Option<(&str, &str, &str)> {
    let end = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    if name.is_empty() {
        return None;
    }
    let Some(value) = rest.trim_start_matches(is_space).strip_prefix('=') else {
        return Some((name, "", rest));
    };
    let value = value.trim_start_matches(is_space);
    match value.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &value[1..];
            let close = inner.find(quote)?;
            Some((name, &inner[..close], &inner[close + 1..]))
        }
        _ => {
            let end = value
                .find(|c: char| is_space(c) || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`'))
                .unwrap_or(value.len());
            (end > 0).then(|| (name, &value[..end], &value[end..]))
        }
    }
}

/// The element `name` names if [`plain`] lets it through, as written in the list,
/// and whether it is void.
fn element(name: &str) -> Option<(&'static str, bool)> {
    let mut buffer = [0u8; 16];
    let lower = lowercase(name, &mut buffer)?;
    // A match on bytes compiles to length and word comparisons (a binary search over
    // strings called `memcmp` several times for each tag of every body).
    Some(match lower.as_bytes() {
        b"a" => ("a", false),
        b"abbr" => ("abbr", false),
        b"b" => ("b", false),
        b"blockquote" => ("blockquote", false),
        b"br" => ("br", true),
        b"caption" => ("caption", false),
        b"code" => ("code", false),
        b"col" => ("col", true),
        b"colgroup" => ("colgroup", false),
        b"del" => ("del", false),
        b"details" => ("details", false),
        b"div" => ("div", false),
        b"em" => ("em", false),
        b"figcaption" => ("figcaption", false),
        b"figure" => ("figure", false),
        b"h1" => ("h1", false),
        b"h2" => ("h2", false),
        b"h3" => ("h3", false),
        b"h4" => ("h4", false),
        b"h5" => ("h5", false),
        b"h6" => ("h6", false),
        b"hr" => ("hr", true),
        b"i" => ("i", false),
        b"img" => ("img", true),
        b"input" => ("input", true),
        b"ins" => ("ins", false),
        b"kbd" => ("kbd", false),
        b"li" => ("li", false),
        b"mark" => ("mark", false),
        b"ol" => ("ol", false),
        b"p" => ("p", false),
        b"pre" => ("pre", false),
        b"q" => ("q", false),
        b"s" => ("s", false),
        b"samp" => ("samp", false),
        b"section" => ("section", false),
        b"small" => ("small", false),
        b"span" => ("span", false),
        b"strong" => ("strong", false),
        b"sub" => ("sub", false),
        b"summary" => ("summary", false),
        b"sup" => ("sup", false),
        b"table" => ("table", false),
        b"tbody" => ("tbody", false),
        b"td" => ("td", false),
        b"tfoot" => ("tfoot", false),
        b"th" => ("th", false),
        b"thead" => ("thead", false),
        b"tr" => ("tr", false),
        b"u" => ("u", false),
        b"ul" => ("ul", false),
        b"var" => ("var", false),
        b"wbr" => ("wbr", true),
        _ => return None,
    })
}

/// `name` in lower case, in `buffer` (no allocation for each tag); `None` if longer.
fn lowercase<'b, const N: usize>(name: &str, buffer: &'b mut [u8; N]) -> Option<&'b str> {
    let bytes = name.as_bytes();
    let out = buffer.get_mut(..bytes.len())?;
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// Whether [`plain`] lets `attribute="value"` through on `element`.
fn allowed(element: &str, attribute: &str, value: &str) -> bool {
    match (element, attribute) {
        (
            _,
            "class" | "id" | "title" | "lang" | "dir" | "aria-label" | "aria-hidden"
            | "aria-labelledby",
        )
        | ("ol", "start")
        | ("details", "open")
        | ("td" | "th", "colspan" | "rowspan" | "headers")
        | ("th", "scope")
        | ("col" | "colgroup", "span")
        | (
            "col" | "colgroup" | "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "img"
            | "hr",
            "align",
        )
        | ("hr", "size" | "width")
        | ("img", "alt" | "width" | "height")
        | ("input", "checked" | "disabled" | "data-check") => true,
        // Kept by cleaning whatever their name (Flare's tables carry `data-mc-conditions`).
        (_, data) if data.starts_with("data-") => true,
        ("input", "type") => value.eq_ignore_ascii_case("checkbox"),
        ("td" | "th", "style") => filter_attribute(element, attribute, value).is_some(),
        ("a", "target" | "rel") => filter_attribute(element, attribute, value).is_some(),
        ("a", "href") | ("img", "src") => {
            // `&amp;` in a query string is common; another entity could spell a scheme.
            let url = if value.contains('&') {
                if value.replace("&amp;", "").contains('&') {
                    return false;
                }
                Cow::Owned(value.replace("&amp;", "&"))
            } else {
                Cow::Borrowed(value)
            };
            !url.chars()
                .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                && !is_unsafe_url(&url, element == "img")
        }
        _ => false,
    }
}

/// Whether cleaning keeps `attribute` on `element` (or may, once it checked its value as
/// a URL), for an attribute [`allowed`] does not let through: then only cleaning can say
/// what becomes of it. The others (an event handler, a `style` cleaning's filter drops, a
/// `role`) cleaning drops, and so can [`plain`].
fn keeps(element: &str, attribute: &str) -> bool {
    static KEPT: OnceLock<Kept> = OnceLock::new();
    let kept = KEPT.get_or_init(|| {
        let cleaner = cleaner();
        Kept {
            generic: cleaner.clone_generic_attributes(),
            by_element: cleaner.clone_tag_attributes(),
        }
    });
    // The attributes `filter_attribute` has the last word on, as `allowed` has it: where
    // `allowed` said no, so does it (a URL's checks are not all `allowed`'s).
    let filtered = matches!(attribute, "style" | "type" | "target" | "rel");
    matches!(attribute, "href" | "src" | "cite")
        || !filtered
            && (kept.generic.contains(attribute)
                || kept
                    .by_element
                    .get(element)
                    .is_some_and(|a| a.contains(attribute)))
}

/// The attributes cleaning keeps: on every element, and element by element.
struct Kept {
    generic: std::collections::HashSet<&'static str>,
    by_element: std::collections::HashMap<&'static str, std::collections::HashSet<&'static str>>,
}

/// Whether a URL would run script or smuggle a document: `javascript:`, `vbscript:` and
/// `data:` (except `data:image/...` where an image is expected). Browsers ignore ASCII
/// tabs and newlines inside a scheme and spaces before it, and schemes are
/// case-insensitive, so `  Java\tScript:` counts too.
pub(crate) fn is_unsafe_url(url: &str, image: bool) -> bool {
    // The scheme, lowercased in place (this is called for every link of every page).
    // Only ASCII schemes are named here: a URL with any other character before its `:`,
    // or 16 of them, has none of them.
    let mut scheme = [0u8; 16];
    let mut len = 0;
    let mut has_scheme = false;
    for &b in url.as_bytes().iter().skip_while(|&&b| b <= b' ') {
        match b {
            b'\t' | b'\n' | b'\r' => {}
            b':' => {
                has_scheme = true;
                break;
            }
            _ if !b.is_ascii() || len == scheme.len() => return false,
            _ => {
                scheme[len] = b.to_ascii_lowercase();
                len += 1;
            }
        }
    }
    match &scheme[..len] {
        b"javascript" | b"vbscript" if has_scheme => true,
        b"data" if has_scheme => {
            let rest = url.split_once(':').map_or("", |(_, r)| r.trim_start());
            !(image && rest.to_ascii_lowercase().starts_with("image/"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements whose end tag may be left out, and those that have none, never pile up;
    /// others count until closed.
    #[test]
    fn nesting_counts_the_elements_a_parser_keeps_open() {
        let deep = |open: &str, n: usize| open.repeat(n);
        assert!(!nests_too_deep(&deep("<div>", MAX_DEPTH)));
        assert!(nests_too_deep(&deep("<div>", MAX_DEPTH + 1)));
        assert!(nests_too_deep(&deep("<BlockQuote class=x>", MAX_DEPTH + 1)));
        assert!(!nests_too_deep(&deep("<div></div>", 10 * MAX_DEPTH)));
        for open in [
            "<p>",
            "<li>",
            "<br>",
            "<img src=x>",
            "<td>",
            "<!-- x -->",
            "a < b ",
        ] {
            assert!(!nests_too_deep(&deep(open, 10 * MAX_DEPTH)), "{open}");
        }
        let lists = deep("<ul><li>", MAX_DEPTH + 1);
        assert!(nests_too_deep(&lists));
    }

    #[test]
    fn a_common_tag_is_what_reading_it_makes() {
        let said = |t: Option<(Tag, &str, Dropped)>| {
            t.map(|(tag, rest, dropped)| {
                let tag = match tag {
                    Tag::Open { name, void } => format!("open {name} {void}"),
                    Tag::Close(name) => format!("close {name}"),
                    Tag::Ignored => "ignored".into(),
                };
                (tag, rest.to_string(), dropped)
            })
        };
        let mut common = 0;
        for name in [
            "p",
            "li",
            "h2",
            "table",
            "blockquote",
            "br",
            "a",
            "div",
            "P",
            "li ",
        ] {
            for text in [format!("<{name}>x"), format!("</{name}>x")] {
                common += usize::from(Tag::common(&text).is_some());
                assert_eq!(
                    said(Tag::parse(&text)),
                    said(Tag::parse_any(&text)),
                    "{text}"
                );
            }
        }
        assert_eq!(
            common, 10,
            "p, li, h2, table and blockquote, opened and closed"
        );
    }

    #[test]
    fn script_and_handlers_go_documentation_stays() {
        let out = clean(
            "<script>alert(1)</script><img src=x onerror=alert(1)><details><summary>S</summary>\
             <kbd>Ctrl</kbd><sup>2</sup><br></details><a href=\"javascript:alert(1)\" class=\"k\">x</a>\
             <iframe src=\"https://x.org\"></iframe><style>p{}</style>",
        );
        for gone in [
            "script",
            "alert",
            "onerror",
            "javascript",
            "iframe",
            "style",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "<details>",
            "<summary>S</summary>",
            "<kbd>",
            "<sup>",
            "<br>",
            "class=\"k\"",
            "<img src=\"x\">",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn plain_html_is_what_cleaning_would_keep_as_it_is() {
        for plain in [
            "<table><thead><tr><th style=\"text-align: center\">A</th></tr></thead><tbody><tr><td>a<br>b</td></tr></tbody></table>",
            "<p>x <a href=\"https://x.org/?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener\">y</a></p>",
            "<p><img src=\"a.png\" alt=\"x\" width=\"600\"><strong>b</strong><kbd>Ctrl</kbd></p>",
            "<details class=\"afm-collapse\"><summary>S</summary><p>t</p></details>",
            "<h2 id=\"a\">T <a class=\"anchor\" href=\"#a\" aria-labelledby=\"a\">#</a></h2>",
            "<ul><li><input type=\"checkbox\" class=\"check\" data-check=\"k-1\" aria-label=\"x\" checked=\"\"> a</li></ul>",
        ] {
            assert_eq!(self::plain(plain).as_deref(), Some(plain), "not plain");
            assert_eq!(clean(plain), plain, "cleaning changes it");
        }
    }

    #[test]
    fn comments_go_as_cleaning_takes_them_out() {
        let html = "<p>a<!-- note <b> --> b</p><!--x-->\n<table><tr><td>1</br>2</td></tr></table>";
        assert_eq!(
            plain(html).as_deref(),
            Some("<p>a b</p>\n<table><tr><td>1</br>2</td></tr></table>")
        );
        assert_eq!(
            clean(html),
            "<p>a b</p>\n<table><tbody><tr><td>1<br>2</td></tr></tbody></table>"
        );
    }

    #[test]
    fn styles_go_as_cleaning_takes_them_out() {
        for (html, kept) in [
            (
                "<table style=\"table-layout:auto\"><tr><td>1</td></tr></table>",
                "<table><tr><td>1</td></tr></table>",
            ),
            (
                "<p style=\"color: red\" class=\"a\">x</p>",
                "<p class=\"a\">x</p>",
            ),
            (
                "<p>a<!-- note --></p><table style=\"x\">\n<tr><td>1<!--x--></td></tr></table>",
                "<p>a</p><table>\n<tr><td>1</td></tr></table>",
            ),
            (
                "<p>a</p><table><tr><td STYLE='background: url(x)'>1</td><th style=\"text-align: center\">2</th></tr></table>",
                "<p>a</p><table><tr><td>1</td><th style=\"text-align: center\">2</th></tr></table>",
            ),
        ] {
            assert_eq!(plain(html).as_deref(), Some(kept), "{html}");
            assert!(!clean(html).contains("url(") && !clean(html).contains("layout"));
        }
    }

    /// `html` as a browser reads it (html5ever, ammonia's parser), written back: what
    /// [`plain`] lets through must read as what cleaning makes of the same body.
    fn as_read(html: &str) -> String {
        scraper::Html::parse_fragment(html)
            .root_element()
            .inner_html()
    }

    #[test]
    fn attributes_cleaning_drops_are_dropped_without_it() {
        for (html, kept) in [
            ("<p style=\"x\" onclick=\"y\">x</p>", "<p>x</p>"),
            ("<img src=x onerror=alert(1)>", "<img src=x>"),
            (
                "<a href=x ONCLICK='y' class=k>x</a>",
                "<a href=x class=k>x</a>",
            ),
            (
                "<a href=\"x\" target=\"frame\">x</a>",
                "<a href=\"x\">x</a>",
            ),
            ("<input type=\"text\">", "<input>"),
            (
                // MadCap Flare's tables, as Workfront's guide has them.
                "<table style=\"width: 100%;\" border=\"1\"><col style=\"width: 30%;\"></col><tbody>\
                 <tr data-mc-conditions=\"\"><td role=\"rowheader\">A</td><td>\
                 <a href=\"b.html\" class=\"MCXref xref\" xrefformat=\"{para}\">B</a></td></tr></tbody></table>",
                "<table><col><tbody>\
                 <tr data-mc-conditions=\"\"><td>A</td><td>\
                 <a href=\"b.html\" class=\"MCXref xref\">B</a></td></tr></tbody></table>",
            ),
        ] {
            assert_eq!(plain(html).as_deref(), Some(kept), "{html}");
            assert_eq!(as_read(kept), as_read(&clean(html)), "{html}");
        }
        // What cleaning keeps, or checks as a URL, is left to it.
        for html in [
            "<a href=\"x\" hreflang=\"fr\">x</a>",
            "<blockquote cite=\"x\">q</blockquote>",
            "<a href=\"x&#x3a;y\">x</a>",
        ] {
            assert!(plain(html).is_none(), "{html}");
        }
    }

    /// Thousands of fragments of tables, lists and formatting, each end tag there or
    /// not, with stray end tags and attributes to drop: each one [`plain`] lets through
    /// reads, inside an element of the template and followed by more of it, as cleaning's
    /// output does. (A fixed seed: the same fragments at each run.)
    #[test]
    fn what_plain_lets_through_reads_as_cleaned_inside_a_page() {
        struct Fragments(u64);
        impl Fragments {
            fn next(&mut self, n: u64) -> u64 {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                self.0 % n
            }
            /// `<name>`, what `inner` writes, and (most of the time) `</name>`.
            fn element(
                &mut self,
                out: &mut String,
                name: &str,
                inner: impl FnOnce(&mut Self, &mut String),
            ) {
                out.push_str(&format!("<{name}>"));
                inner(self, out);
                if self.next(4) > 0 {
                    out.push_str(&format!("</{name}>"));
                }
            }
            fn content(&mut self, out: &mut String, depth: u32) {
                for _ in 0..1 + self.next(3) {
                    let pick = self.next(6) as usize;
                    match if depth > 3 { 9 } else { self.next(11) } {
                        0 => self.element(out, "table", |f, out| {
                            let body = f.next(2) == 0;
                            if body {
                                out.push_str("<tbody>");
                            }
                            for _ in 0..1 + f.next(2) {
                                f.element(out, "tr", |f, out| {
                                    for _ in 0..1 + f.next(2) {
                                        let cell = ["td", "th"][f.next(2) as usize];
                                        f.element(out, cell, |f, out| f.content(out, depth + 1));
                                    }
                                });
                            }
                            if body && f.next(2) == 0 {
                                out.push_str("</tbody>");
                            }
                        }),
                        1 => self.element(out, ["ul", "ol"][pick % 2], |f, out| {
                            for _ in 0..1 + f.next(2) {
                                f.element(out, "li", |f, out| f.content(out, depth + 1));
                            }
                        }),
                        2 => self.element(out, "p", |f, out| f.content(out, depth + 1)),
                        3 => self.element(out, "div", |f, out| f.content(out, depth + 1)),
                        4 => self.element(out, ["strong", "em", "a"][pick % 3], |f, out| {
                            f.content(out, depth + 1);
                        }),
                        5 => self.element(out, "span onclick=\"y\" role=\"z\"", |f, out| {
                            f.content(out, depth + 1);
                        }),
                        6 => out.push_str(
                            [
                                "</td>", "</tr>", "</tbody>", "</li>", "</ul>", "</p>", "</div>",
                                "</em>", "</col>", "</table>",
                            ][self.next(10) as usize],
                        ),
                        7 => out.push_str("<br>"),
                        _ => out.push('a'),
                    }
                }
            }
        }
        let in_page = |body: &str| as_read(&format!("<div>{body}</div><p>after</p>"));
        let mut fragments = Fragments(0x9e37_79b9_7f4a_7c15);
        let mut passed = 0;
        for _ in 0..50_000 {
            let mut html = String::new();
            fragments.content(&mut html, 0);
            // Attributes go as cleaning drops them; `span`s are written whole.
            let html = html.replace("</span onclick=\"y\" role=\"z\">", "</span>");
            if let Some(kept) = plain(&html) {
                passed += 1;
                assert_eq!(in_page(&kept), in_page(&clean(&html)), "{html}");
            }
        }
        // Enough of them pass for the comparison to mean something.
        assert!(passed > 12_000, "{passed} passed");
    }

    #[test]
    fn end_tags_the_parser_implies_close_as_it_closes_them() {
        for html in [
            // A row closes its open cell and what the cell holds.
            "<table><tr><td>a</tr><tr><td>b</tr></table>",
            "<table><tbody><tr><td><p>a</p><div>b</tr></tbody></table>",
            "<table><tbody><tr><td><strong>a</tr></tbody></table><p>c</p>",
            // A cell what it holds.
            "<table><tr><td><p>a<p>b</td><td><ul><li>c</td></tr></table>",
            // A body or a table its rows.
            "<table><tbody><tr><td>a</tbody></table>",
            "<table><thead><tr><th>a</table><p>b</p>",
            // Items their paragraphs, lists their items.
            "<ul><li><p>a</li><li>b</ul><ol><li><p>c</ol>",
            // Ignored: no row open in the table, no paragraph in the cell.
            "<table><tbody></tr><tr><td>a</td></tr></tbody></tr></table>",
            "<table><tr><td>a</p></td></tr></table>",
            "<table><tr><td><ul><li>a</li></li></ul></li></ul></td><th>b</td></th></tr></table>",
            "<ul><li>a<ol></li><li>b</li></ol></li></li></ul>",
        ] {
            let plain = plain(html).unwrap_or_else(|| panic!("not plain: {html}"));
            assert_eq!(as_read(&plain), as_read(&clean(html)), "{html}");
        }
        // Where the parser would close an element of the template, or carry formatting
        // on past its element, cleaning decides.
        for html in [
            "<p>a</p></p>",
            "<div><p>a</div>",
            "<ul><li><strong>a</li></ul>",
            "<table><tr><td>a</td></tr></div></table>",
            "</tr>",
            "<div><table><tr><td>a</div></td></tr></table>",
            "<table><tr><td><p>a</p></table></p>",
            "<p>a</li></p>",
            "<table><tr><td><p><strong>a</p></td></tr></table>",
        ] {
            assert!(plain(html).is_none(), "plain: {html}");
        }
    }

    #[test]
    fn anything_else_is_cleaned() {
        for hostile in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"  JaVa\tScript:alert(1)\">x</a>",
            "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<img src=\"data:text/html,x\">",
            "<a href=\"data:image/png,x\">x</a>",
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            "<svg><a href=\"x\">y</a></svg>",
            "<!--> <p>",
            "<!---> <p>",
            "<!-- a --!> <p> -->",
            "<!-- never closed",
            "<div>left open",
            "</div> closes the template's",
            "<blockquote><div></blockquote></div>",
            "<div/>",
            "<p>a < b</p>",
            "<p title=\"unclosed>x</p>",
            "<a\nhref=\"x\"onclick=\"y\">x</a>",
            "<project>",
        ] {
            assert!(plain(hostile).is_none(), "plain: {hostile}");
        }
    }

    #[test]
    fn data_urls_only_for_images() {
        assert!(!is_unsafe_url("data:image/png;base64,AAAA", true));
        assert!(is_unsafe_url("data:image/png;base64,AAAA", false));
        assert!(is_unsafe_url("data:text/html,<script>", true));
        assert!(is_unsafe_url(" JaVa\tScRiPt:alert(1)", false));
        assert!(is_unsafe_url("vbscript:x", false));
        assert!(!is_unsafe_url("https://x.org/javascript:", false));
        assert!(!is_unsafe_url("javascript.md", false));
        // A scheme is its first 16 characters; any other than ASCII is no scheme named.
        assert!(is_unsafe_url("\u{1}\n JAVASCRIPT:x", false));
        assert!(!is_unsafe_url("javascrïpt:x", false));
        assert!(!is_unsafe_url("jävascript:x", false));
        assert!(!is_unsafe_url("ｊavascript:x", false));
        assert!(!is_unsafe_url("xxxxxxxxxxxxxxxjavascript:x", false));
        assert!(!is_unsafe_url("", false));
        let out =
            clean("<img src=\"data:image/png;base64,AAAA\"><a href=\"data:text/html,x\">y</a>");
        assert!(out.contains("data:image/png"), "{out}");
        assert!(!out.contains("data:text"), "{out}");
    }

    #[test]
    fn what_equipe_writes_survives() {
        let html = "<h2 id=\"a\" class=\"c\">T <a class=\"anchor\" href=\"#a\" aria-labelledby=\"a\">#</a></h2>\
                    <input type=\"checkbox\" class=\"check\" data-check=\"k-1\" aria-label=\"x\" checked>\
                    <table><tr><td style=\"text-align: center\">1</td></tr></table><blockquote class=\"markdown-alert-note\"></blockquote>";
        let out = clean(html);
        for kept in [
            "id=\"a\"",
            "aria-labelledby=\"a\"",
            "data-check=\"k-1\"",
            "checked",
            "style=\"text-align: center\"",
            "markdown-alert-note",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }
}
