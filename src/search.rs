//! The search index: one small script per language, built at build time.
//!
//! Shipped as `assets/search-<lang>.js` (a script, not JSON fetched at run time) so that
//! search also works when the site is opened from `file://`, where browsers refuse
//! `fetch`. Each entry holds what a reader may type: title, description, headings, the
//! text and the checklist items of a page. Accents are folded by the browser script, so
//! `equipe` finds `équipe`.

use serde::Serialize;

use crate::content::Kind;
use crate::render::OutputFile;
use crate::site::Site;

/// Output path of a language's index.
pub fn index_path(lang: &str) -> String {
    format!("assets/search-{lang}.js")
}

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

/// Every language's index, as output files (one language at a time: each is large on a
/// large site, and building them side by side raised peak memory).
pub fn indexes(site: &Site) -> Vec<OutputFile> {
    site.config
        .languages
        .iter()
        .map(|l| OutputFile {
            path: index_path(&l.code),
            bytes: index_js(site, &l.code),
        })
        .collect()
}

/// The script for one language: `(window.EQUIPE_SEARCH ||= {})["fr"] = [...]`.
pub fn index_js(site: &Site, lang: &str) -> Vec<u8> {
    let entries: Vec<Entry> = site
        .pages
        .iter()
        .filter(|p| p.lang() == lang && !(p.generated && p.page.kind == Kind::Section))
        .map(|p| {
            let mut text = p.plain.clone();
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
