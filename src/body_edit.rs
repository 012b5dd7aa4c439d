//! A build after an edit of pages' text alone: only those pages' files change.
//!
//! Most saves change a page's text and nothing that the rest of the site shows of it:
//! not its front matter (title, description, checklist, translations), not its checklist's
//! items, not where its links go, and not its headings where links to its sections (or
//! to its translations', which are aligned with its headings) would go elsewhere. Such
//! an edit changes the page's own file, where only the body's HTML changes (and its table
//! of contents, if its headings did: see `toc_edit`), and at most its entry in its
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
//! heading a link to a section would go elsewhere for, a checklist item, a warning, an
//! include, an output file not as it was left) and the build runs as usual, with its
//! cache.
//!
//! The records go to a file beside the output (`.public.equipe-edits`), written as the
//! bodies render; a body the build cache gives keeps the record the last build wrote. The
//! file ends with the hash of the output's listing in the stamp, which ties it to that
//! stamp: a record is used only while the stamp says the output is as the build that
//! wrote it left it. Pages edited so are named in the stamp, so that the next build that
//! runs reads them again (the build cache has them as they were).

use std::path::{Path, PathBuf};

use crate::body_ids::BodyIds;
use crate::diagnostics::Diagnostic;
use crate::edit_records::{self, ENTRY_ENDS, Editable, HTML_ENDS, Kept, Located};
use crate::hash::{FastMap, FastSet, hash_bytes};
use crate::incremental::Cache;
use crate::markdown::Heading;
use crate::output::{self, Stamp, TextEdits};
use crate::template_scan::{self, TagKind};
use crate::toc_edit::Facts;

/// Whether every template shows a page's body (`content`) as it is, and nothing made from
/// it: then a page's file changes with its body's HTML only where that HTML is. A theme
/// that shows its length, a part of it or its words elsewhere (`{{ content | wordcount
/// }}`) is built the usual way after every edit. Only what templates read counts:
/// `{{ content }}` (or `| safe`) and `{% block content %}`, `{% endblock content %}`,
/// `{% if content %}` (a body stays non-empty, see [`Editable::of`]) are as it is;
/// comments and text are not read.
pub(crate) fn shows_bodies_as_they_are(templates: &[crate::theme::Template]) -> bool {
    templates.iter().all(|t| {
        template_scan::raw_tags(&t.source).is_some_and(|tags| {
            tags.iter()
                .all(|&(kind, tag)| !names_content(tag) || as_it_is(kind, tag))
        })
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
fn as_it_is(kind: TagKind, tag: &str) -> bool {
    let words: Vec<&str> = tag
        .trim_matches(['-', ' ', '\n', '\t'])
        .split_whitespace()
        .collect();
    match kind {
        TagKind::Expression => matches!(
            words[..],
            ["content"] | ["content", "|", "safe"] | ["content|safe"]
        ),
        TagKind::Statement => matches!(
            words[..],
            ["block", "content"] | ["endblock", "content"] | ["if", "content"]
        ),
    }
}

/// What a build after an edit of pages' text alone did.
pub(crate) struct Applied {
    /// How many pages it made again.
    pub pages: usize,
    /// How many files it wrote: those pages' and their search indexes'.
    pub written: usize,
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
    toc: Vec<Heading>,
}

/// Builds after an edit of pages' text alone, if that is what the changed inputs are (see
/// the module's documentation): writes the pages' files and indexes again, the records
/// and the stamp. `None` if the build must run as usual.
pub(crate) fn apply(
    stamp: &Stamp,
    edits: &TextEdits<'_>,
    (source, output, target): (&Path, &Path, &Path),
) -> Option<Applied> {
    // Test hook, in debug builds only: the build cache's own tests edit pages' text.
    #[cfg(debug_assertions)]
    if std::env::var_os("EQUIPE_TEST_NO_TEXT_EDITS").is_some() {
        return None;
    }
    if edits.changed.is_empty() {
        return None;
    }
    // Each changed file read once; one whose front matter changed (a title edited: other
    // pages show it) is found before the records are read (39 MB at 20,000 pages).
    let mut texts = Vec::new();
    for &name in &edits.changed {
        let was = output::text_hash_in(edits.texts, name)?;
        let text = output::read_text(&source.join(name))?;
        let hash = output::text_hash_line(&text);
        // Touched, the same text: nothing to make again.
        if hash == was {
            continue;
        }
        if !output::same_front(&hash, was) {
            return None;
        }
        texts.push((name, text, hash));
    }
    let kept = Kept::beside(output)?;
    let names: Vec<&str> = texts.iter().map(|(name, ..)| *name).collect();
    let wanted = kept.records_of(&names, edits.output)?;
    let mut pages = edited_pages(texts, |name| wanted.records.get(name).copied())?;
    // Last, as it costs most: the output must be as the records describe it.
    if !edits.output_is_as_left(target) {
        return None;
    }
    let files = new_files(&mut pages, wanted.tocs, |path| {
        std::fs::read(target.join(path)).ok()
    })?;
    // From here on the output changes: a build killed midway finds no stamp, and runs
    // (a build that runs after this one failed finds the files it changed by their
    // stamps: see `build_cache`).
    stamp.forget();
    let mut listing: FastMap<String, String> = FastMap::default();
    for (path, bytes) in &files {
        let written = output::replace_file(&target.join(path), |beside| {
            output::write_file(beside, bytes)
        })
        .ok()?;
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
    // The edited pages' records as they are now, after the others.
    edit_records::append(output, pages.iter().map(|p| (p.name, &p.record)), &listing)?;
    stamp.save_text_edits(&listing, edits, &texts, &edited);
    Some(Applied {
        pages: pages.len(),
        written: files.len(),
        files: edits.output.lines().count(),
        warnings: stamp.kept_warnings().unwrap_or_default(),
    })
}

/// The changed pages, each with its name, its text and the hashes of its text (see
/// `output::text_hash_line`), made again with their new bodies; `None` if one is not a
/// page that has a record (from `records`), or the rest of the site would see its edit.
fn edited_pages<'e, 'r>(
    changed: Vec<(&'e str, String, String)>,
    records: impl Fn(&str) -> Option<&'r [u8]>,
) -> Option<Vec<Edit<'e>>> {
    let mut pages = Vec::new();
    for (name, text, text_hash) in changed {
        let record: Editable = postcard::from_bytes(records(name)?).ok()?;
        let (html, entry, toc) = record.edit(&text)?;
        pages.push(Edit {
            name,
            text_hash,
            record,
            html,
            entry,
            toc,
        });
    }
    Some(pages)
}

/// The files of the output the edited `pages` change, whole (each page's file, their
/// search indexes), each read by `read` (by its path in the output) and made before any
/// is written; the pages' records
/// updated to find their new HTML, entries and tables of contents. `None` if a body or an
/// entry is not found as recorded, or the ids and headings of a body changed where
/// `tocs` (the facts of `toc_edit`, read only then: 20,000 pages' of them) cannot make
/// its page's table of contents again.
fn new_files(
    pages: &mut [Edit<'_>],
    tocs: Option<&[u8]>,
    read: impl Fn(&str) -> Option<Vec<u8>>,
) -> Option<Vec<(String, Vec<u8>)>> {
    let facts = std::cell::OnceCell::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for page in pages.iter_mut() {
        let old = read(&page.record.output)?;
        let at = page.record.html.find(&old)?;
        let body = at..at + page.record.html.len;
        // Links to its sections and its translations' alignment see its ids and headings:
        // they may change only in a page whose sections no link names, and its table of
        // contents changes with them.
        let ids = BodyIds::of(&page.html);
        let same_ids = BodyIds::of(std::str::from_utf8(&old[body.clone()]).ok()?) == ids;
        let mut toc = None;
        if !(same_ids && page.toc == page.record.toc) {
            let tocs = facts.get_or_init(|| tocs.and_then(Facts::read)).as_ref()?;
            let [was, now] = tocs.render(page.name, [&page.record.toc, &page.toc])?;
            if !tocs.takes(page.name, &ids, [&was, &now]) {
                return None;
            }
            if was != now {
                let shown = found_once(&old, was.as_bytes())?;
                if shown.start < body.end && body.start < shown.end {
                    return None;
                }
                toc = Some((shown, now));
            }
        }
        let mut parts = vec![(body, page.html.as_bytes())];
        parts.extend(toc.as_ref().map(|(at, text)| (at.clone(), text.as_bytes())));
        files.push((page.record.output.clone(), spliced(&old, parts)));
        page.record.html = Located::of(page.html.as_bytes(), HTML_ENDS);
        page.record.toc = std::mem::take(&mut page.toc);
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
            std::collections::hash_map::Entry::Vacant(v) => v.insert(read(&kept.index)?),
        };
        let at = kept.at.find(index)?;
        index.splice(at..at + kept.at.len, entry.bytes());
        kept.key = key;
        kept.at = Located::of(entry.as_bytes(), ENTRY_ENDS);
    }
    files.extend(indexes);
    Some(files)
}

/// What an edit of pages' text alone changed of `serve`'s files (see [`edit_served`]).
pub struct ServedEdit {
    /// Each file made again, whole, by its path in the output.
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages' text changed.
    pub pages: usize,
}

/// `serve` after an edit of pages' text alone: the served files it changes (each page's
/// file, their search indexes), made from the records its last rebuild kept in `cache`
/// and the files it serves (`served`, by path), as a build after such an edit makes them
/// from the output folder (see [`apply`]). A rebuild over every page took 10 ms at 2,000
/// pages and 130 ms at 20,000. `changed` are the files the watcher saw change (paths in
/// the site's folder, `source`); `None` if one is not a page whose text alone changed,
/// and then the site is rebuilt as usual. The pages edited so are read again by the next
/// rebuild (see [`Cache::only_changed`]): its cache has them as they were.
pub fn edit_served(
    cache: &mut Cache,
    source: &Path,
    changed: &[PathBuf],
    served: impl Fn(&str) -> Option<Vec<u8>>,
) -> Option<ServedEdit> {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.dedup();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let records = cache.records.as_mut()?;
    let mut texts = Vec::new();
    for &name in &names {
        let text = output::read_text(&source.join(name))?;
        let hash = output::text_hash_line(&text);
        texts.push((name, text, hash));
    }
    let mut pages = edited_pages(texts, |name| records.record(name))?;
    let files = new_files(&mut pages, records.tocs(), served)?;
    for page in &pages {
        records.edited(page.name, &page.record);
    }
    cache.edited_alone(changed);
    Some(ServedEdit {
        files,
        pages: pages.len(),
    })
}

/// Where `text` is in `file`, if it is there once; never an empty text.
fn found_once(file: &[u8], text: &[u8]) -> Option<std::ops::Range<usize>> {
    let at = memchr::memmem::find(file, text).filter(|_| !text.is_empty())?;
    let again = memchr::memmem::find(&file[at + 1..], text);
    again.is_none().then_some(at..at + text.len())
}

/// `file` with each range of `parts` (which do not overlap) replaced by its text.
fn spliced(file: &[u8], mut parts: Vec<(std::ops::Range<usize>, &[u8])>) -> Vec<u8> {
    parts.sort_by_key(|(range, _)| range.start);
    let mut out = Vec::with_capacity(file.len() + parts.iter().map(|p| p.1.len()).sum::<usize>());
    let mut from = 0;
    for (range, text) in parts {
        out.extend_from_slice(&file[from..range.start]);
        out.extend_from_slice(text);
        from = range.end;
    }
    out.extend_from_slice(&file[from..]);
    out
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
