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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
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

/// Whether a URL would run script or smuggle a document: `javascript:`, `vbscript:` and
/// `data:` (except `data:image/...` where an image is expected). Browsers ignore ASCII
/// tabs and newlines inside a scheme and spaces before it, and schemes are
/// case-insensitive, so `  Java\tScript:` counts too.
pub(crate) fn is_unsafe_url(url: &str, image: bool) -> bool {
    let scheme: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| c != ':')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = url.contains(':');
    match scheme.as_str() {
        "javascript" | "vbscript" if has_scheme => true,
        "data" if has_scheme => {
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
    fn data_urls_only_for_images() {
        assert!(!is_unsafe_url("data:image/png;base64,AAAA", true));
        assert!(is_unsafe_url("data:image/png;base64,AAAA", false));
        assert!(is_unsafe_url("data:text/html,<script>", true));
        assert!(is_unsafe_url(" JaVa\tScRiPt:alert(1)", false));
        assert!(is_unsafe_url("vbscript:x", false));
        assert!(!is_unsafe_url("https://x.org/javascript:", false));
        assert!(!is_unsafe_url("javascript.md", false));
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
