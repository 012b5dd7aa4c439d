//! Checklists across the site: grouping, progress, parts and the `checklists.json` export.
//!
//! Each page already carries its own items (`SitePage::checklist`: front matter items,
//! then the body's task list items). This module gathers them per language into groups
//! (outside teams first, because they are what a launch forgets, then roles, then any
//! other page with a task list) for the `<lang>/checklist/` page, and flattens them into
//! a machine-readable list. It knows the site model, not HTML: templates draw the groups.
//!
//! Past [`PART_ITEMS`] items a language's checklists are split into parts, whole groups
//! in site order: one page each (`<lang>/checklist/`, `<lang>/checklist/2/`, ...), so
//! that no page weighs megabytes (a 20,000-page site made a 21 MB page). Where a part
//! ends is chosen by the groups there, not by counting from the first (see [`split`]), so
//! that a page added or removed changes its own part, not every part after it. Pages link
//! every part; the site-wide progress and the export need every item of the language, so a
//! split language also gets small scripts (loaded with `<script src>`, which works from
//! `file://` where `fetch` does not): the ids of every item for the progress, and each
//! part's items with their text for the export, loaded only when the reader exports.
//! `checklists.json` lists each group once with its items, and puts a split language's
//! groups in one file per part that it lists. A site under the threshold (the example
//! site) gets exactly one page per language and one JSON file, as before.
//!
//! The reader's ticks live in the browser (`localStorage`, see the theme's
//! `checklist.js`) under a key made of [`site_identity`] and the item id, so two sites on
//! one host do not share their ticks.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::checklist_item::{Checklist, ChecklistItem};
use crate::config::Config;
use crate::content::Kind;
use crate::json::{self, Out};
use crate::site::{PageId, Site, SitePage};

/// Translation key of the generated checklist page (also its `page.key` in templates).
pub(crate) const PAGE_KEY: &str = "checklist";

/// Most items on one checklist page (whole groups: a larger group has a page to itself).
/// About 700 KB of HTML; the example site has 53 items a language.
pub(crate) const PART_ITEMS: usize = 2_000;

/// A part of a split checklist page holds at least this many items before one of its
/// groups may end it (see [`split`])...
const PART_MIN_ITEMS: usize = 400;

/// ...and then each group ends it with odds of its items in this many: parts of about
/// 800 items on average (about 280 KB of HTML), and one in about fifty reaches
/// [`PART_ITEMS`] before a group ends it.
const PART_END_ODDS: u64 = 400;

/// Output path of a language's checklist page: `fr/checklist/index.html`.
pub(crate) fn page_path(lang: &str) -> String {
    part_path(lang, 0)
}

/// Output path of a part of a language's checklist page (counted from 0; the first is
/// the page itself): `fr/checklist/index.html`, `fr/checklist/2/index.html`.
pub(crate) fn part_path(lang: &str, part: usize) -> String {
    match part {
        0 => format!("{lang}/{PAGE_KEY}/index.html"),
        n => format!("{lang}/{PAGE_KEY}/{}/index.html", n + 1),
    }
}

/// Output path of the machine-readable export, at the site root.
pub(crate) const JSON_PATH: &str = "checklists.json";

/// One file the checklists make.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Output {
    /// A part of a language's checklist page (the only one below [`PART_ITEMS`]).
    Page { lang: String, part: usize },
    /// `<lang>/checklist/data/ids.js`, for a split language: the id of every item, by
    /// part, and those done by default, for the site-wide progress.
    Ids { lang: String },
    /// `<lang>/checklist/data/<n>.js`, for a split language: a part's items with their
    /// text, for the export.
    Items { lang: String, part: usize },
    /// `checklists.json`.
    Json,
    /// `checklists/<lang>-<n>.json`: a part of a split language, listed by `checklists.json`.
    JsonPart { lang: String, part: usize },
}

impl Output {
    /// The file, relative to the output folder.
    pub(crate) fn path(&self) -> String {
        match self {
            Output::Page { lang, part } => part_path(lang, *part),
            Output::Ids { lang } => format!("{lang}/{PAGE_KEY}/data/ids.js"),
            Output::Items { lang, part } => format!("{lang}/{PAGE_KEY}/data/{}.js", part + 1),
            Output::Json => JSON_PATH.into(),
            Output::JsonPart { lang, part } => format!("checklists/{lang}-{}.json", part + 1),
        }
    }

    /// What the file is, for messages.
    pub(crate) fn what(&self) -> &'static str {
        match self {
            Output::Page { .. } => "the checklist page",
            Output::Ids { .. } | Output::Items { .. } => "the checklist page's data",
            Output::Json | Output::JsonPart { .. } => "the list of checklist items",
        }
    }
}

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub(crate) struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub(crate) fn of(items: Checklist<'_>) -> Progress {
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

/// The checklist of one page, as a group of the checklist page (which templates see
/// through `render::views::GroupView`, field by field).
#[derive(Clone, Debug)]
pub(crate) struct ChecklistGroup<'a> {
    /// The key of what lists show of the page, made with its body (see
    /// [`crate::site::Body::shown`]): the fields below but `depends_on` are made of it.
    shown: u64,
    pub kind: Kind,
    pub key: &'a str,
    pub title: &'a str,
    /// Output path of the page: `fr/teams/entrepot/index.html`.
    pub url: &'a str,
    pub items: Checklist<'a>,
    pub progress: Progress,
    /// The outside teams a role depends on, for `checklists.json` (by page index).
    depends_on: &'a [PageId],
    /// A key of those teams' keys, which `checklists.json` shows: not of their indices,
    /// which a page added before them moves (and with them every checklist file's key).
    told: u64,
}

/// A language's checklists (or one part of them), grouped for the checklist page.
#[derive(Debug, Hash)]
pub(crate) struct LanguageChecklists<'a> {
    pub teams: Vec<ChecklistGroup<'a>>,
    pub roles: Vec<ChecklistGroup<'a>>,
    /// Plain pages (and homes, sections) whose body has a task list.
    pub pages: Vec<ChecklistGroup<'a>>,
    /// Of its groups: the whole language's, or a part's (see [`LanguageChecklists::part`]).
    pub progress: Progress,
}

/// Hashed by its page's key of them rather than by its fields: every item's text of a
/// large site, hashed for each checklist file at each of `serve`'s rebuilds. The pattern
/// names every field so that one added does not compile until it is decided.
impl Hash for ChecklistGroup<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let ChecklistGroup {
            shown,
            kind: _,
            key: _,
            title: _,
            url: _,
            items: _,
            progress: _,
            depends_on: _,
            told,
        } = self;
        (shown, told).hash(h);
    }
}

impl<'a> LanguageChecklists<'a> {
    /// These groups, with their progress.
    fn of(
        teams: Vec<ChecklistGroup<'a>>,
        roles: Vec<ChecklistGroup<'a>>,
        pages: Vec<ChecklistGroup<'a>>,
    ) -> LanguageChecklists<'a> {
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

    /// Every group in page order: teams, roles, other pages.
    fn groups(&self) -> impl Iterator<Item = &ChecklistGroup<'a>> {
        self.teams.iter().chain(&self.roles).chain(&self.pages)
    }

    /// The groups of `range` (indices into [`Self::groups`]), with their progress.
    fn part(&self, range: &Range<usize>) -> LanguageChecklists<'a> {
        let slice = |groups: &[ChecklistGroup<'a>], offset: usize| {
            let start = range.start.saturating_sub(offset).min(groups.len());
            let end = range.end.saturating_sub(offset).min(groups.len());
            groups[start..end].to_vec()
        };
        LanguageChecklists::of(
            slice(&self.teams, 0),
            slice(&self.roles, self.teams.len()),
            slice(&self.pages, self.teams.len() + self.roles.len()),
        )
    }
}

/// Whether a language has any checklist item: without one, it gets no checklist page (a
/// documentation site has none) and its menu no link to one.
pub(crate) fn has_items(site: &Site, lang: &str) -> bool {
    site.pages
        .iter()
        .any(|p| p.lang() == lang && !p.checklist().is_empty())
}

/// Every non-empty checklist of one language, in site order (weight, then title).
pub(crate) fn for_language<'a>(site: &'a Site, lang: &str) -> LanguageChecklists<'a> {
    let groups = |kinds: &[Kind]| -> Vec<ChecklistGroup<'a>> {
        kinds
            .iter()
            .flat_map(|&kind| site.of_kind(kind, lang).iter().copied())
            .map(|i| &site.pages[i])
            .filter(|p| !p.checklist().is_empty())
            .map(|p| group(site, p))
            .collect()
    };
    LanguageChecklists::of(
        groups(&[Kind::Team]),
        groups(&[Kind::Role]),
        groups(&[Kind::Home, Kind::Section, Kind::Page]),
    )
}

fn group<'a>(site: &'a Site, p: &'a SitePage) -> ChecklistGroup<'a> {
    ChecklistGroup {
        shown: p.body.shown,
        kind: p.page.kind,
        key: &p.page.key,
        title: &p.page.title,
        url: &p.path,
        items: p.checklist(),
        progress: p.progress(),
        depends_on: &p.depends_on,
        told: crate::hash::hash_all(p.depends_on.iter().map(|&j| &site.pages[j].page.key)),
    }
}

/// Whole groups, given by their item count and key, in order, into parts: one if they
/// hold at most [`PART_ITEMS`] items. Past that, a part ends after a group that
/// [`ends_a_part`] picks once the part holds [`PART_MIN_ITEMS`], or before a group that
/// would take it past [`PART_ITEMS`] (a larger group is alone). Where a part ends depends
/// on the groups there, not on how many came before: a group added or removed changes its
/// own part (and the next, when that part had reached the limit), where counting from the
/// first group moved every later part by one group, and each of their pages, data and
/// JSON files was made again (123 files of 41 parts after one role added at 20,000
/// pages). Always at least one part.
fn split<'k>(groups: impl IntoIterator<Item = (usize, &'k str)>) -> Vec<Range<usize>> {
    let groups: Vec<(usize, &str)> = groups.into_iter().collect();
    if groups.iter().map(|(count, _)| count).sum::<usize>() <= PART_ITEMS {
        return vec![Range {
            start: 0,
            end: groups.len(),
        }];
    }
    let mut parts = Vec::new();
    let (mut start, mut items) = (0, 0);
    for (i, &(count, key)) in groups.iter().enumerate() {
        if items > 0 && items + count > PART_ITEMS {
            parts.push(start..i);
            (start, items) = (i, 0);
        }
        items += count;
        if items >= PART_MIN_ITEMS && ends_a_part(key, count) {
            parts.push(start..i + 1);
            (start, items) = (i + 1, 0);
        }
    }
    if start < groups.len() {
        parts.push(start..groups.len());
    }
    parts
}

/// Whether the group of page `key` with `count` items ends its part (see [`split`]): with
/// odds of `count` in [`PART_END_ODDS`], from a hash of the key that is the same in every
/// build and with every binary (translations share their key, so languages split alike).
fn ends_a_part(key: &str, count: usize) -> bool {
    // FNV's low bits follow the last bytes closely (`role-0041`, `role-0042`...): the
    // multiplication spreads the whole hash into the bits kept.
    let mixed = crate::hash::fnv1a(key.as_bytes()).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    mixed % PART_END_ODDS < count as u64
}

/// A language's checklists and how they split into parts.
pub(crate) struct LanguageParts<'a> {
    code: &'a str,
    all: LanguageChecklists<'a>,
    parts: Vec<Range<usize>>,
    /// A link to each part (none marked current; empty when the page is not split), made
    /// once: every part lists every part, and making the list for each of them (two paths
    /// formatted a part, a list of the language's groups collected) was 2% of a build after
    /// one edit at 20,000 pages, whose checklist pages have 111 parts a language.
    links: Vec<PartLink<'a>>,
}

impl LanguageParts<'_> {
    fn is_split(&self) -> bool {
        self.parts.len() > 1
    }

    fn items(&self, part: usize) -> impl Iterator<Item = &ChecklistItem> {
        self.groups(part).flat_map(|g| g.items.iter())
    }

    /// The groups of part `part`.
    fn groups(&self, part: usize) -> impl Iterator<Item = &ChecklistGroup<'_>> {
        let range = self.parts.get(part).cloned().unwrap_or_default();
        self.all.groups().skip(range.start).take(range.len())
    }

    /// Hashes what part `part`'s items are made from: its groups, not where they start
    /// among the language's (a page added before them does not change them).
    fn hash_part<H: Hasher>(&self, part: usize, h: &mut H) {
        self.parts.get(part).map(ExactSizeIterator::len).hash(h);
        self.groups(part).for_each(|g| g.hash(h));
    }
}

/// Every language's checklists, split into parts: made once per build, shared by the
/// checklist jobs.
pub(crate) struct SiteChecklists<'a> {
    site: &'a Site,
    /// The languages with checklist items, as configured.
    languages: Vec<LanguageParts<'a>>,
}

/// One part of a language's checklist page, for the template.
#[derive(Clone, Hash, Serialize)]
pub(crate) struct PartLink<'a> {
    /// Counted from 1, as shown.
    pub number: usize,
    /// Output path of the page.
    pub url: Arc<str>,
    /// Output path of the script with its items and their text (for the export).
    pub data: Arc<str>,
    /// Titles of its first and last groups. (Not how many items it has: every part lists
    /// every part, and all of them would change with the count of one.)
    pub first: &'a str,
    pub last: &'a str,
    pub current: bool,
}

/// What a part of the checklist page shows.
pub(crate) struct PageParts<'a> {
    /// The part's groups, with their progress (the language's, on a page in one part).
    pub checklists: LanguageChecklists<'a>,
    /// Every part of the language; empty when the page is not split.
    pub parts: Vec<PartLink<'a>>,
    /// Output path of the ids script; empty when the page is not split.
    pub ids: String,
    /// The next part's index in `parts`, if any.
    pub next: Option<usize>,
}

/// A link to each part of a language's checklist page split in `parts` (see
/// [`LanguageParts::links`]).
fn part_links<'a>(
    lang: &str,
    all: &LanguageChecklists<'a>,
    parts: &[Range<usize>],
) -> Vec<PartLink<'a>> {
    if parts.len() < 2 {
        return Vec::new();
    }
    let groups: Vec<&ChecklistGroup<'a>> = all.groups().collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, r)| PartLink {
            number: i + 1,
            url: part_path(lang, i).into(),
            data: Output::Items {
                lang: lang.into(),
                part: i,
            }
            .path()
            .into(),
            first: groups.get(r.start).map_or("", |g| g.title),
            last: groups.get(r.end.wrapping_sub(1)).map_or("", |g| g.title),
            current: false,
        })
        .collect()
}

impl<'a> SiteChecklists<'a> {
    pub(crate) fn of(site: &'a Site) -> SiteChecklists<'a> {
        // A language on each core: each goes over its pages' items (at 20,000 pages, 11 ms
        // of one core for two languages, the other idle, in a build after one edit).
        let languages = site
            .config
            .languages
            .par_iter()
            .filter(|l| has_items(site, &l.code))
            .map(|l| {
                let all = for_language(site, &l.code);
                let parts = split(all.groups().map(|g| (g.items.len(), g.key)));
                let links = part_links(&l.code, &all, &parts);
                LanguageParts {
                    code: &l.code,
                    all,
                    parts,
                    links,
                }
            })
            .collect();
        SiteChecklists { site, languages }
    }

    /// Every file to make: `checklists.json` first, then per language its pages and, when
    /// split, their data and its part of the JSON export.
    pub(crate) fn outputs(&self) -> Vec<Output> {
        let mut out = vec![Output::Json];
        for l in &self.languages {
            let lang = || l.code.to_string();
            out.extend((0..l.parts.len()).map(|part| Output::Page { lang: lang(), part }));
            if l.is_split() {
                out.push(Output::Ids { lang: lang() });
                out.extend((0..l.parts.len()).map(|part| Output::Items { lang: lang(), part }));
                out.extend((0..l.parts.len()).map(|part| Output::JsonPart { lang: lang(), part }));
            }
        }
        out
    }

    fn language(&self, lang: &str) -> Option<&LanguageParts<'a>> {
        self.languages.iter().find(|l| l.code == lang)
    }

    /// A part of a language's checklist page (`None`: no such part).
    pub(crate) fn page(&self, lang: &str, part: usize) -> Option<PageParts<'a>> {
        let l = self.language(lang)?;
        let range = l.parts.get(part)?;
        let mut parts = l.links.clone();
        if let Some(link) = parts.get_mut(part) {
            link.current = true;
        }
        Some(PageParts {
            checklists: l.all.part(range),
            next: Some(part + 1).filter(|next| *next < parts.len()),
            parts,
            ids: if l.is_split() {
                Output::Ids { lang: lang.into() }.path()
            } else {
                String::new()
            },
        })
    }

    /// What a data file of the checklists holds (`None` for a part of the checklist
    /// page, which a template shows): the file is written from it alone (see
    /// [`Data::write`]), so that its hash is the file's key in `serve`'s rebuilds.
    pub(crate) fn data(&self, output: &Output) -> Option<Data<'_>> {
        match output {
            Output::Page { .. } => None,
            Output::Json => {
                let inline = self.languages.iter().filter(|l| !l.is_split());
                let parts = self
                    .languages
                    .iter()
                    .filter(|l| l.is_split())
                    .flat_map(|l| {
                        l.parts.iter().enumerate().map(|(part, r)| JsonPartLink {
                            language: l.code,
                            path: Output::JsonPart {
                                lang: l.code.into(),
                                part,
                            }
                            .path(),
                            groups: r.len(),
                            items: l.items(part).count(),
                        })
                    })
                    .collect();
                Some(Data::Json(JsonExport {
                    site: site_identity(&self.site.config),
                    base_url: self.site.config.base_url.as_deref(),
                    groups: inline
                        .flat_map(|l| l.all.groups().map(|g| self.json_group(l.code, g)))
                        .collect(),
                    parts,
                }))
            }
            Output::JsonPart { lang, part } => {
                let groups = self
                    .language(lang)
                    .into_iter()
                    .flat_map(|l| {
                        let range = l.parts.get(*part).cloned().unwrap_or_default();
                        l.all
                            .groups()
                            .skip(range.start)
                            .take(range.len())
                            .map(|g| self.json_group(l.code, g))
                    })
                    .collect();
                Some(Data::Json(JsonExport {
                    site: site_identity(&self.site.config),
                    base_url: self.site.config.base_url.as_deref(),
                    groups,
                    parts: Vec::new(),
                }))
            }
            Output::Ids { lang } => Some(Data::Ids(self.language(lang)?)),
            Output::Items { lang, part } => Some(Data::Items {
                part: *part,
                language: self.language(lang)?,
            }),
        }
    }

    fn json_group(&self, lang: &'a str, g: &ChecklistGroup<'a>) -> JsonGroup<'a> {
        let site = self.site;
        JsonGroup {
            shown: g.shown,
            language: lang,
            key: g.key,
            kind: g.kind,
            title: g.title,
            path: g.url,
            url: site
                .config
                .base_url
                .as_ref()
                .map(|base| crate::site::web_address(base, g.url)),
            depends_on: g
                .depends_on
                .iter()
                .map(|&j| site.pages[j].page.key.as_str())
                .collect(),
            items: g.items,
        }
    }
}

/// `checklists.json`, and each of its parts: groups of items, each group once. Written by
/// [`JsonExport::write_to`]; serialized by serde_json in tests, which compare the two.
#[derive(Hash)]
#[cfg_attr(test, derive(Serialize))]
pub(crate) struct JsonExport<'a> {
    /// The site identity used in `localStorage` keys.
    site: String,
    base_url: Option<&'a str>,
    groups: Vec<JsonGroup<'a>>,
    /// The files that hold the groups of the languages split into parts, in order.
    parts: Vec<JsonPartLink<'a>>,
}

#[derive(Hash)]
#[cfg_attr(test, derive(Serialize))]
struct JsonPartLink<'a> {
    language: &'a str,
    /// Relative to the site root.
    path: String,
    groups: usize,
    items: usize,
}

#[cfg_attr(test, derive(Serialize))]
struct JsonGroup<'a> {
    /// Of its page, as [`ChecklistGroup::shown`].
    #[cfg_attr(test, serde(skip))]
    shown: u64,
    language: &'a str,
    key: &'a str,
    kind: Kind,
    title: &'a str,
    /// Output path of the page, relative to the site root.
    path: &'a str,
    /// Absolute URL of the page, when the site's `base_url` is known.
    url: Option<String>,
    /// For a role: the keys of the outside teams it keeps informed (their checklists are
    /// their own groups).
    #[cfg_attr(test, serde(skip_serializing_if = "Vec::is_empty"))]
    depends_on: Vec<&'a str>,
    /// `id`, `text`, and `done`: done by default (`- [x]` in the source), not the
    /// reader's state.
    items: Checklist<'a>,
}

/// Hashed as a [`ChecklistGroup`] is, with what it adds.
impl Hash for JsonGroup<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let JsonGroup {
            shown,
            language,
            key: _,
            kind: _,
            title: _,
            path: _,
            url,
            depends_on,
            items: _,
        } = self;
        (shown, language, url, depends_on).hash(h);
    }
}

/// What a data file of the checklists holds (see [`SiteChecklists::data`]).
pub(crate) enum Data<'a> {
    /// `checklists.json` or one of its parts.
    Json(JsonExport<'a>),
    /// A language's ids script: the ids of each part's items.
    Ids(&'a LanguageParts<'a>),
    /// A part's items: id, text, done by default.
    Items {
        part: usize,
        language: &'a LanguageParts<'a>,
    },
}

/// Hashed by the groups each file is made from (each by its page's key of its items,
/// see [`ChecklistGroup`]'s `Hash`) rather than by every item's id and text: at 20,000
/// pages, gathering and hashing those strings, untouched since the build cache was read,
/// was a third of the time spent keying the files of a build after one edit.
impl Hash for Data<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Data::Json(export) => export.hash(h),
            Data::Ids(l) => {
                l.code.hash(h);
                (0..l.parts.len()).for_each(|part| l.hash_part(part, h));
            }
            Data::Items { part, language } => {
                language.code.hash(h);
                language.hash_part(*part, h);
            }
        }
    }
}

impl Data<'_> {
    /// Writes the file (streamed: on a large site, megabytes).
    pub(crate) fn write(&self, out: impl std::io::Write) -> std::io::Result<()> {
        // JSON is written a few bytes at a time: gathered here, rather than each piece
        // going out through the writer it is given (a file's, behind `dyn Write`).
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
        self.write_to(&mut out)?;
        std::io::Write::flush(&mut out)
    }

    fn write_to<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        // Compact: indented, the parts of a 20,000-page site were 32 MB, not 21.5, and
        // writing them 1.5% of a first build's instructions. Written by hand, as
        // serde_json writes them (see `json`).
        let out = &mut json::Stream(out);
        match self {
            Data::Json(export) => {
                export.write_to(out)?;
                out.text("\n")
            }
            Data::Ids(l) => {
                // `{"parts": the ids of each part's items, "done": those done by default}`.
                out.text("window.equipeChecklistIds = {")?;
                json::key(out, true, "parts")?;
                json::list(out, 0..l.parts.len(), |out, part| {
                    json::strings(out, l.items(part).map(|i| i.id.as_str()))
                })?;
                json::key(out, false, "done")?;
                let done = (0..l.parts.len()).flat_map(|part| l.items(part).filter(|i| i.done));
                json::strings(out, done.map(|i| i.id.as_str()))?;
                out.text("};\ndocument.dispatchEvent(new Event(\"equipe:checklist-ids\"));\n")
            }
            Data::Items { part, language } => {
                out.text(&format!(
                    "(window.equipeChecklistItems = window.equipeChecklistItems || {{}})[{}] = ",
                    part + 1
                ))?;
                // Each item as `[id, text, done by default]`.
                json::list(out, language.items(*part), |out, item| {
                    out.text("[")?;
                    json::string(out, &item.id)?;
                    out.text(",")?;
                    json::string(out, &item.text)?;
                    out.text(if item.done { ",true]" } else { ",false]" })
                })?;
                out.text(";\n")
            }
        }
    }
}

impl JsonExport<'_> {
    fn write_to(&self, out: &mut impl json::Out) -> std::io::Result<()> {
        out.text("{")?;
        json::key(out, true, "site")?;
        json::string(out, &self.site)?;
        json::key(out, false, "base_url")?;
        optional(out, self.base_url)?;
        json::key(out, false, "groups")?;
        json::list(out, &self.groups, |out, g| g.write_to(out))?;
        json::key(out, false, "parts")?;
        json::list(out, &self.parts, |out, p| {
            out.text("{")?;
            json::key(out, true, "language")?;
            json::string(out, p.language)?;
            json::key(out, false, "path")?;
            json::string(out, &p.path)?;
            json::key(out, false, "groups")?;
            out.text(&p.groups.to_string())?;
            json::key(out, false, "items")?;
            out.text(&p.items.to_string())?;
            out.text("}")
        })?;
        out.text("}")
    }
}

impl JsonGroup<'_> {
    fn write_to(&self, out: &mut impl json::Out) -> std::io::Result<()> {
        out.text("{")?;
        for (first, name, value) in [
            (true, "language", self.language),
            (false, "key", self.key),
            (false, "kind", self.kind.name()),
            (false, "title", self.title),
            (false, "path", self.path),
        ] {
            json::key(out, first, name)?;
            json::string(out, value)?;
        }
        json::key(out, false, "url")?;
        optional(out, self.url.as_deref())?;
        if !self.depends_on.is_empty() {
            json::key(out, false, "depends_on")?;
            json::strings(out, self.depends_on.iter().copied())?;
        }
        json::key(out, false, "items")?;
        json::list(out, self.items.iter(), |out, item| {
            out.text("{")?;
            json::key(out, true, "id")?;
            json::string(out, &item.id)?;
            json::key(out, false, "text")?;
            json::string(out, &item.text)?;
            json::key(out, false, "done")?;
            out.text(if item.done { "true}" } else { "false}" })
        })?;
        out.text("}")
    }
}

/// A string, or `null`.
fn optional(out: &mut impl json::Out, value: Option<&str>) -> std::io::Result<()> {
    match value {
        Some(value) => json::string(out, value),
        None => out.text("null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str, done: bool) -> ChecklistItem {
        ChecklistItem::new("teams/x", None, text, done)
    }

    /// `checklists.json`, written by hand, is what serde_json makes of the same export:
    /// texts to escape, a missing `url`, groups with and without `depends_on`.
    #[test]
    fn the_export_is_written_as_serde_json_writes_it() {
        let front = [
            item("Say \"hi\" \\ then\tgo\u{1}", true),
            item("Écrit, ok", false),
        ];
        let tasks = [item("a\nb", false)];
        let group = |key, depends_on: Vec<&'static str>, url: Option<&str>| JsonGroup {
            shown: 7,
            language: "fr",
            key,
            kind: Kind::Role,
            title: "Rôle \"x\"",
            path: "fr/roles/x/index.html",
            url: url.map(String::from),
            depends_on,
            items: Checklist {
                front: &front,
                tasks: &tasks,
            },
        };
        for base_url in [None, Some("https://example.org/a/")] {
            let export = JsonExport {
                site: "https://example.org/a/".into(),
                base_url,
                groups: vec![
                    group("roles/x", vec!["teams/a", "teams/b"], base_url),
                    group("teams/a", vec![], None),
                ],
                parts: vec![JsonPartLink {
                    language: "fr",
                    path: "checklists/fr-1.json".into(),
                    groups: 2,
                    items: 6,
                }],
            };
            let mut written = String::new();
            export.write_to(&mut written).unwrap();
            assert_eq!(written, serde_json::to_string(&export).unwrap());
        }
    }

    #[test]
    fn progress_counts_items_done_by_default() {
        let front = [item("a", true), item("b", false)];
        let tasks = [item("c", true)];
        let items = Checklist {
            front: &front,
            tasks: &tasks,
        };
        assert_eq!(Progress::of(items), Progress { done: 2, total: 3 });
        assert_eq!(Progress::of(Checklist::default()), Progress::default());
        assert_eq!(
            Progress::of(items).add(Progress { done: 1, total: 4 }),
            Progress { done: 3, total: 7 }
        );
        // One list, the front matter's items first.
        assert_eq!(
            serde_json::to_value(items).unwrap()[2]["text"],
            serde_json::json!("c")
        );
    }

    #[test]
    fn checklist_page_path_is_per_language() {
        assert_eq!(page_path("fr"), "fr/checklist/index.html");
        assert_eq!(part_path("fr", 1), "fr/checklist/2/index.html");
    }

    /// Groups of `count` items each, keyed `roles/role-<n>` for each `n` of `numbers`.
    fn groups(count: usize, numbers: impl IntoIterator<Item = usize>) -> Vec<(usize, String)> {
        numbers
            .into_iter()
            .map(|n| (count, format!("roles/role-{n:05}")))
            .collect()
    }

    fn split_of(groups: &[(usize, String)]) -> Vec<Range<usize>> {
        split(groups.iter().map(|(count, key)| (*count, key.as_str())))
    }

    /// The keys of each part's groups.
    fn keys_of(groups: &[(usize, String)]) -> Vec<Vec<&str>> {
        split_of(groups)
            .into_iter()
            .map(|r| groups[r].iter().map(|(_, k)| k.as_str()).collect())
            .collect()
    }

    #[test]
    fn parts_hold_whole_groups_up_to_the_limit() {
        let one = |counts: &[usize]| {
            let groups: Vec<(usize, String)> =
                counts.iter().map(|&c| (c, "roles/x".to_string())).collect();
            split_of(&groups)
        };
        assert_eq!(one(&[3, 4]), vec![Range { start: 0, end: 2 }]);
        assert_eq!(one(&[]), vec![Range { start: 0, end: 0 }]);
        assert_eq!(
            one(&[PART_ITEMS / 2, PART_ITEMS / 2]),
            vec![Range { start: 0, end: 2 }]
        );
        // A group larger than a part is alone in its own.
        let large = split_of(&[
            (1, "a".into()),
            (PART_ITEMS + 1, "b".into()),
            (1, "c".into()),
        ]);
        assert_eq!(large, [0..1, 1..2, 2..3]);
        // Every group in exactly one part, in order; none over the limit but a group alone;
        // a part ends by its groups once it holds the minimum.
        let many = groups(8, 0..10_000);
        let parts = split_of(&many);
        assert_eq!(parts.first().map(|r| r.start), Some(0));
        assert_eq!(parts.last().map(|r| r.end), Some(many.len()));
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        let sizes: Vec<usize> = parts.iter().map(|r| r.len() * 8).collect();
        assert!(sizes.iter().all(|&s| s <= PART_ITEMS), "{sizes:?}");
        assert!(
            sizes[..sizes.len() - 1]
                .iter()
                .all(|&s| s >= PART_MIN_ITEMS)
        );
        // About 800 items a part, few at the limit.
        let mean = 80_000 / parts.len();
        assert!((600..1_100).contains(&mean), "{mean}");
        let full = sizes.iter().filter(|&&s| s + 8 > PART_ITEMS).count();
        assert!(full * 10 < parts.len(), "{full} of {}", parts.len());
    }

    #[test]
    fn a_group_added_or_removed_changes_its_own_part_alone() {
        let before = groups(8, (0..10_000).map(|n| n * 2));
        let parts = keys_of(&before);
        let mut changed_parts = 0;
        // A group inserted between each pair of groups in turn (every 97th pair, for time).
        for at in (1..before.len()).step_by(97) {
            let mut after = before.clone();
            after.insert(at, (8, format!("roles/role-{:05}", at * 2 - 1)));
            let new = keys_of(&after);
            let changed: Vec<&Vec<&str>> = new.iter().filter(|p| !parts.contains(p)).collect();
            // Its own part, and the next when the limit, not a group, ended that one.
            assert!(
                (1..=3).contains(&changed.len()),
                "at {at}: {}",
                changed.len()
            );
            changed_parts += changed.len();
            // The same once removed again.
            after.remove(at);
            assert_eq!(keys_of(&after), parts);
        }
        // Mostly one part alone.
        let tries = (1..before.len()).step_by(97).count();
        assert!(
            changed_parts * 10 < tries * 13,
            "{changed_parts} of {tries}"
        );
    }
}
