//! Checklists across the site: grouping, progress and the `checklists.json` export.
//!
//! Each page already carries its own items (`SitePage::checklist`: front matter items,
//! then the body's task list items). This module gathers them per language into groups
//! (outside teams first, because they are what a launch forgets, then roles, then any
//! other page with a task list) for the `<lang>/checklist/` page, and flattens them into
//! a machine-readable list. It knows the site model, not HTML: templates draw the groups.
//!
//! The reader's ticks live in the browser (`localStorage`, see the theme's
//! `checklist.js`) under a key made of [`site_identity`] and the item id, so two sites on
//! one host do not share their ticks.

use serde::Serialize;

use crate::checklist_item::ChecklistItem;
use crate::config::Config;
use crate::content::Kind;
use crate::site::{Site, SitePage};

/// Translation key of the generated checklist page (also its `page.key` in templates).
pub(crate) const PAGE_KEY: &str = "checklist";

/// Output path of a language's checklist page: `fr/checklist/index.html`.
pub(crate) fn page_path(lang: &str) -> String {
    format!("{lang}/{PAGE_KEY}/index.html")
}

/// Output path of the machine-readable export, at the site root.
pub(crate) const JSON_PATH: &str = "checklists.json";

/// What tells this site's ticks apart from another site's on the same host: the
/// published URL when known, else the default language's title.
pub(crate) fn site_identity(config: &Config) -> String {
    match &config.base_url {
        Some(url) => url.clone(),
        None => config
            .title
            .get(config.default_language())
            .cloned()
            .unwrap_or_default(),
    }
}

/// How many items are done by default (before the reader ticks anything).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub(crate) fn of(items: &[ChecklistItem]) -> Progress {
        Progress {
            done: items.iter().filter(|i| i.done).count(),
            total: items.len(),
        }
    }

    fn add(self, other: Progress) -> Progress {
        Progress {
            done: self.done + other.done,
            total: self.total + other.total,
        }
    }
}

/// The checklist of one page, as a group of the checklist page.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistGroup<'a> {
    pub kind: Kind,
    pub key: &'a str,
    pub title: &'a str,
    /// Output path of the page: `fr/teams/entrepot/index.html`.
    pub url: &'a str,
    pub items: &'a [ChecklistItem],
    pub progress: Progress,
}

/// A language's checklists, grouped for the checklist page.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageChecklists<'a> {
    pub teams: Vec<ChecklistGroup<'a>>,
    pub roles: Vec<ChecklistGroup<'a>>,
    /// Plain pages (and homes, sections) whose body has a task list.
    pub pages: Vec<ChecklistGroup<'a>>,
    pub progress: Progress,
}

/// Every non-empty checklist of one language, in site order (weight, then title).
/// Whether a language has any checklist item: without one, it gets no checklist page (a
/// documentation site has none) and its menu no link to one.
pub(crate) fn has_items(site: &Site, lang: &str) -> bool {
    site.pages
        .iter()
        .any(|p| p.lang() == lang && !p.checklist().is_empty())
}

pub(crate) fn for_language<'a>(site: &'a Site, lang: &str) -> LanguageChecklists<'a> {
    let groups = |kinds: &[Kind]| -> Vec<ChecklistGroup<'a>> {
        kinds
            .iter()
            .flat_map(|&kind| site.of_kind(kind, lang))
            .map(|i| &site.pages[i])
            .filter(|p| !p.checklist().is_empty())
            .map(group)
            .collect()
    };
    let teams = groups(&[Kind::Team]);
    let roles = groups(&[Kind::Role]);
    let pages = groups(&[Kind::Home, Kind::Section, Kind::Page]);
    let progress = teams
        .iter()
        .chain(&roles)
        .chain(&pages)
        .fold(Progress::default(), |sum, g| sum.add(g.progress));
    LanguageChecklists {
        teams,
        roles,
        pages,
        progress,
    }
}

fn group(p: &SitePage) -> ChecklistGroup<'_> {
    ChecklistGroup {
        kind: p.page.kind,
        key: &p.page.key,
        title: &p.page.title,
        url: &p.path,
        items: p.checklist(),
        progress: Progress::of(p.checklist()),
    }
}

/// `checklists.json`: every item of every language, in a stable order (languages as
/// configured, then groups as on the checklist page, then items as written).
pub(crate) fn json(site: &Site) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_json(site, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`json`], written to `out` as it is serialized (tens of megabytes on a large site).
pub(crate) fn write_json(site: &Site, mut out: impl std::io::Write) -> std::io::Result<()> {
    let mut items = Vec::new();
    for lang in &site.config.languages {
        let all = for_language(site, &lang.code);
        for g in all.teams.iter().chain(&all.roles).chain(&all.pages) {
            for item in g.items {
                items.push(JsonItem {
                    id: &item.id,
                    language: &lang.code,
                    text: &item.text,
                    done: item.done,
                    group: JsonGroup {
                        key: g.key,
                        kind: g.kind,
                        title: g.title,
                    },
                    path: g.url,
                    url: site
                        .config
                        .base_url
                        .as_ref()
                        .map(|base| format!("{base}{}", g.url.trim_end_matches("index.html"))),
                });
            }
        }
    }
    let export = JsonExport {
        site: site_identity(&site.config),
        base_url: site.config.base_url.as_deref(),
        items,
    };
    serde_json::to_writer_pretty(&mut out, &export)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct JsonExport<'a> {
    /// The site identity used in `localStorage` keys.
    site: String,
    base_url: Option<&'a str>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    language: &'a str,
    text: &'a str,
    /// Done by default (`- [x]` in the source), not the reader's state.
    done: bool,
    group: JsonGroup<'a>,
    /// Output path of the page, relative to the site root.
    path: &'a str,
    /// Absolute URL of the page, when the site's `base_url` is known.
    url: Option<String>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    key: &'a str,
    kind: Kind,
    title: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str, done: bool) -> ChecklistItem {
        ChecklistItem::new("teams/x", None, text, done)
    }

    #[test]
    fn progress_counts_items_done_by_default() {
        let items = [item("a", true), item("b", false), item("c", true)];
        assert_eq!(Progress::of(&items), Progress { done: 2, total: 3 });
        assert_eq!(Progress::of(&[]), Progress::default());
        assert_eq!(
            Progress::of(&items).add(Progress { done: 1, total: 4 }),
            Progress { done: 3, total: 7 }
        );
    }

    #[test]
    fn checklist_page_path_is_per_language() {
        assert_eq!(page_path("fr"), "fr/checklist/index.html");
    }
}
