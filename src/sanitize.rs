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
/// keeps; URLs checked as it checks them), and opened and closed in order, the body's own
/// Markdown structure included: then no element of the page's template can be closed by
/// the body, and nothing can run script. Comments are taken out, as cleaning does (they
/// are notes to the authors), and so are `style` attributes that cleaning drops (Adobe's
/// guides set `style="table-layout:auto"` on their largest tables). An unknown tag or
/// attribute, an entity in a URL, a stray `<`, a comment the HTML parser would end
/// elsewhere or an element left open sends the body to [`clean`], as before.
pub(crate) fn plain(html: &str) -> Option<Cow<'_, str>> {
    let mut open: Vec<&str> = Vec::new();
    // Set at the first comment or dropped attribute: the body without them.
    let mut rewritten: Option<String> = None;
    // Sized for the whole body at once: grown by doubling, it was copied again and again
    // in a long page.
    let start = |rest: &str| {
        let mut out = String::with_capacity(html.len());
        out.push_str(&html[..html.len() - rest.len()]);
        out
    };
    let mut rest = html;
    while let Some(at) = memchr::memchr(b'<', rest.as_bytes()) {
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
        match tag {
            Tag::Open { name, void } => {
                if !void {
                    open.push(name);
                }
            }
            Tag::Close(name) => {
                if open.pop() != Some(name) {
                    return None;
                }
            }
        }
    }
    if !open.is_empty() {
        return None;
    }
    Some(match rewritten {
        Some(mut out) => {
            out.push_str(rest);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    })
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

/// A tag that [`plain`] accepts.
enum Tag<'a> {
    /// An element of the list, with allowed attributes; `void` if it has no end tag.
    Open {
        name: &'a str,
        void: bool,
    },
    Close(&'a str),
}

/// Where attributes to drop are in a tag's text: from the space before each to its end.
type Dropped = Vec<std::ops::Range<usize>>;

impl<'a> Tag<'a> {
    /// The allowed tag `text` starts with (at its `<`), the text after it, and the
    /// attributes of it that cleaning would drop and that are harmless to drop here.
    fn parse(text: &'a str) -> Option<(Tag<'a>, &'a str, Dropped)> {
        let after_lt = &text[1..];
        if let Some(closing) = after_lt.strip_prefix('/') {
            let (name, rest) = tag_name(closing)?;
            let rest = rest.trim_start_matches(is_space).strip_prefix('>')?;
            let (known, void) = element(name)?;
            // `</br>` is a `<br>` to HTML parsers; other void elements have no end tag.
            return match (known, void) {
                ("br", _) => Some((Tag::Open { name: known, void }, rest, Dropped::new())),
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
            let mut buffer = [0u8; 16];
            let attribute = lowercase(attribute, &mut buffer)?;
            if !allowed(known, attribute, value) {
                // A style cleaning would drop: dropped here too, rather than clean the
                // whole body for it.
                if attribute != "style" {
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
fn lowercase<'b>(name: &str, buffer: &'b mut [u8; 16]) -> Option<&'b str> {
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
        | ("td" | "th", "colspan" | "rowspan" | "align")
        | ("th", "scope")
        | ("img", "alt" | "width" | "height")
        | ("input", "checked" | "disabled" | "data-check") => true,
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
        // Anything else in the tag still sends the body to cleaning.
        assert!(plain("<p style=\"x\" onclick=\"y\">x</p>").is_none());
    }

    #[test]
    fn anything_else_is_cleaned() {
        for hostile in [
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"  JaVa\tScript:alert(1)\">x</a>",
            "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<img src=\"data:text/html,x\">",
            "<a href=\"data:image/png,x\">x</a>",
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            "<svg><a href=\"x\">y</a></svg>",
            "<a href=\"x\" target=\"frame\">x</a>",
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
            "<a href=x onclick=y>x</a>",
            "<a\nhref=\"x\"onclick=\"y\">x</a>",
            "<project>",
            "<input type=\"text\">",
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
