//! The search index: one small script per language, built at build time.
//!
//! Shipped as `assets/search-<lang>.js` (a script, not JSON fetched at run time) so that
//! search also works when the site is opened from `file://`, where browsers refuse
//! `fetch`. Each entry holds what a reader may type: title, description, headings, the
//! text and the checklist items of a page. Accents are folded by the browser script, so
//! `equipe` finds `équipe`.

use serde::Serialize;

use crate::content::Kind;
use crate::site::Site;

/// Output path of a language's index.
pub fn index_path(lang: &str) -> String {
    format!("assets/search-{lang}.js")
}

/// How much body text an entry keeps: enough to match on, small enough to ship.
const MAX_TEXT: usize = 4_000;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// URL, relative to the site root.
    u: &'a str,
    /// Description.
    d: &'a str,
    /// Headings.
    h: String,
    /// Text and checklist items.
    x: String,
}

/// The script for one language: `(window.EQUIPE_SEARCH ||= {})["fr"] = [...]`.
pub fn index_js(site: &Site, lang: &str) -> Vec<u8> {
    let entries: Vec<Entry> = site
        .pages
        .iter()
        .filter(|p| p.lang() == lang && !(p.generated && p.page.kind == Kind::Section))
        .map(|p| {
            let mut text = plain_text(&p.html, MAX_TEXT);
            for item in &p.page.responsibilities {
                text.push(' ');
                text.push_str(item);
            }
            for item in p.page.skills.iter().chain(&p.page.risks) {
                text.push(' ');
                text.push_str(item);
            }
            for item in &p.checklist {
                text.push(' ');
                text.push_str(&item.text);
            }
            Entry {
                t: &p.page.title,
                u: &p.path,
                d: p.page.description.as_deref().unwrap_or(""),
                h: p.toc
                    .iter()
                    .map(|h| h.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
                x: text,
            }
        })
        .collect();
    // The index is a script file of its own (never inline in HTML), so its JSON needs no
    // escaping beyond JSON's, and it is written once into one buffer.
    let mut out = format!(
        "(window.EQUIPE_SEARCH = window.EQUIPE_SEARCH || {{}})[{}] = ",
        serde_json::to_string(lang).unwrap_or_default()
    )
    .into_bytes();
    if serde_json::to_writer(&mut out, &entries).is_err() {
        out.extend_from_slice(b"[]");
    }
    out.extend_from_slice(b";\n");
    out
}

/// Text of rendered HTML: tags dropped, the few entities the renderer writes decoded,
/// white space folded, cut at a word boundary near `max` bytes.
fn plain_text(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(html.len().min(max));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
        if out.len() >= max {
            break;
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    // The heading anchors (`#`) are not text.
    out.replace(" # ", " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_and_folds_space() {
        assert_eq!(
            plain_text(
                "<h2 id=\"a\">Rôle <a class=\"anchor\" href=\"#a\">#</a></h2>\n<p>L&#39;équipe &amp; <em>moi</em></p>",
                100
            ),
            "Rôle L'équipe & moi"
        );
    }

    #[test]
    fn plain_text_is_bounded() {
        assert!(plain_text(&"mot ".repeat(10_000), 100).len() <= 104);
    }
}
