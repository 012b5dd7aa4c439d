//! Links to `#anchors` written for another tool's heading ids, sent to the ids equipe
//! writes. Both cases come from Adobe Experience League guides:
//!
//! - Experience League ids a heading as GitHub does (lower case, punctuation dropped,
//!   each space a `-`): `Provision SSL/TLS certificates` is `provision-ssltls-certificates`
//!   there and `provision-ssl-tls-certificates` here, `` `CRON_CONSUMERS_RUNNER` `` is
//!   `cron_consumers_runner` there and `cron-consumers-runner` here. A link written for
//!   their rule goes to the heading it names under that rule.
//! - An older rule dropped `_` and `-` alike (`#consumerswaitformessages`), and some
//!   links capitalize (`#Submitting-a-Support-Ticket`): a link goes to the one heading
//!   whose id is the same without them, in lower case.
//! - A page's `# Title` (equipe shows the page's title as its `<h1>`, without the body's
//!   own) is linked by its id: such a link goes to the page itself, whether the id is
//!   the front matter's title's or the body's `# Title`'s (the two may differ).
//! - Machine translation keeps a link's English `#anchor` while the French headings get
//!   French ids. When the anchor is a heading of the target's default-language page (same
//!   translation key), the link goes to the translated heading at the same place: the two
//!   pages' headings are aligned by level, so that a heading the translation lacks or adds
//!   shifts nothing else. Where the place is not certain (the alignment could pair the
//!   heading with several), the link is left alone and reported as a warning of its own.
//!
//! The ids equipe writes do not change (a plain site's output stays the same): links are
//! rewritten in the linking body's HTML, and the anchor check then sees the new fragment.

use std::sync::Arc;

use rayon::prelude::*;

use crate::body_ids::{BodyIds, Heading, adobe_id};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::hash::{FastMap, hash_of};
use crate::markdown::escape_attr;
use crate::site::{Html, PageId, Site, SitePage};

/// What becomes of one link.
enum Fix {
    /// Link this fragment instead.
    To(String),
    /// Link the page itself: the fragment names its title, whose `# Heading` the page
    /// shows as its `<h1>` (Experience League ids it; equipe shows the page's top).
    Top,
    /// The default-language page has the anchor; its translation has no certain match.
    Unmapped { source: String },
}

/// The ids the theme's templates write as they are (`<h2 id="onboarding">`), by the kind
/// of page whose template writes them: a link to one of them goes to the template's
/// section, not to a body's heading the rules above would bring it to (a role's heading
/// "On boarding" took the links to its `#onboarding` checklist). Each link of the
/// generated site names one, and every one went through all the rules: 27 ms of a build
/// after one title edited at 20,000 pages.
#[derive(Default)]
struct TemplateIds {
    /// The ids of a kind's own template and of the templates no kind has (`base.html`,
    /// the partials), by [`Kind`] as an index.
    by_kind: [crate::hash::FastSet<String>; 5],
}

/// The template of each kind of page (as `render` chooses it).
const KIND_TEMPLATES: [(Kind, &str); 5] = [
    (Kind::Home, "home.html"),
    (Kind::Section, "section.html"),
    (Kind::Role, "role.html"),
    (Kind::Team, "team.html"),
    (Kind::Page, "page.html"),
];

impl TemplateIds {
    fn of(templates: &[crate::theme::Template]) -> TemplateIds {
        let mut ids = TemplateIds::default();
        for t in templates {
            let own = KIND_TEMPLATES.iter().position(|(_, name)| *name == t.name);
            for id in literal_ids(&t.source) {
                for (k, set) in ids.by_kind.iter_mut().enumerate() {
                    if own.is_none_or(|o| o == k) {
                        set.insert(id.to_string());
                    }
                }
            }
        }
        ids
    }

    /// Whether the template of a page of kind `kind` may write `id`.
    fn has(&self, kind: Kind, id: &str) -> bool {
        let k = KIND_TEMPLATES.iter().position(|(k, _)| *k == kind);
        k.is_some_and(|k| self.by_kind[k].contains(id))
    }
}

/// The values of the ` id="…"` attributes a template writes as they are (not those it
/// makes with `{{ … }}`).
fn literal_ids(source: &str) -> impl Iterator<Item = &str> {
    crate::body_ids::id_values(source.as_bytes()).filter_map(|value| {
        let value = std::str::from_utf8(value).ok()?;
        (!value.is_empty() && !value.contains(['{', '}', '<', '>'])).then_some(value)
    })
}

/// Rewrites the links of every body whose fragment is not in its target but names a
/// heading under Experience League's rule or in the default-language page. Returns a
/// warning for each link of a translation that could not be mapped (those links are then
/// left out of the "no such anchor" check, which would say the same thing less usefully).
/// A fragment that a section of the target's template has is left as it is. With
/// `sections`, also says which pages' sections links name (see [`NamedSections`]).
pub(crate) fn resolve(
    site: &mut Site,
    templates: &[crate::theme::Template],
    sections: bool,
) -> (Vec<Diagnostic>, NamedSections) {
    let templates = &TemplateIds::of(templates);
    let by_path: FastMap<&str, PageId> = site
        .ids()
        .map(|i| (site.pages[i].path.as_str(), i))
        .collect();
    let default = site.config.default_language().to_string();
    let site_ref: &Site = site;
    let fixes: Vec<(usize, Vec<(usize, Fix)>)> = site_ref
        .pages
        .par_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let page_fixes = fixes_of(site_ref, (&by_path, templates), &default, p);
            (!page_fixes.is_empty()).then_some((i, page_fixes))
        })
        .collect();
    let named = if sections {
        named_sections(site_ref, &by_path, &default)
    } else {
        NamedSections::default()
    };
    let warnings = apply(site, fixes);
    // A build needs the ids no more (20 MB at 20,000 pages); `serve` keeps them with the
    // bodies it reuses, which its cache shares. Let go on every core: 20,000 sets freed on
    // one thread were 11 ms of a build after one edit.
    site.pages.par_iter_mut().for_each(|p| {
        if let Some(body) = Arc::get_mut(&mut p.body) {
            body.html.forget_ids();
        }
    });
    (warnings, named)
}

/// Which pages' sections links name: where a build after an edit of a page's headings
/// may go without the rest of the site (see `toc_edit`). A link to `#fragment` of a page
/// goes where the rules above take it: to one of the page's ids when it has it, else from
/// its headings and, for a translation, its default-language page's headings. A page
/// whose headings a fragment comes to by those rules is `fixed`. Any other fragment is
/// kept with each page it names: one of its ids, which an edit of its body must keep, or
/// one that comes to none of them (a section the page's template writes, `#onboarding`; a
/// missing one), which an edit may not bring it.
#[derive(Default)]
pub(crate) struct NamedSections {
    pub fixed: crate::hash::FastSet<PageId>,
    /// Each fragment, and whether it is one of the page's ids.
    pub fragments: FastMap<PageId, Vec<(String, bool)>>,
}

/// How a link's fragment names a page (see [`NamedSections`]).
enum Named<'a> {
    Fixed,
    Fragment(&'a str, bool),
}

fn named_sections(site: &Site, by_path: &FastMap<&str, PageId>, default: &str) -> NamedSections {
    let notes: Vec<(PageId, Named)> = site
        .pages
        .par_iter()
        .flat_map_iter(|p| {
            let mut notes = Vec::new();
            // Each page linked, its headings looked up by id (see [`Sections`]).
            let mut sections: FastMap<PageId, Sections> = FastMap::default();
            let mut may_name = |page: PageId, fragment: &str| {
                sections
                    .entry(page)
                    .or_insert_with(|| Sections::of(&site.pages[page].body.html.ids().headings))
                    .may_name(fragment)
            };
            for a in &p.body.anchors {
                let Some(&t) = by_path.get(a.target.as_str()) else {
                    continue;
                };
                let (target, fragment) = (&site.pages[t], a.fragment.as_str());
                let ids = target.body.html.ids();
                if ids.has(fragment) {
                    notes.push((t, Named::Fragment(fragment, true)));
                    continue;
                }
                if may_name(t, fragment) {
                    notes.push((t, Named::Fixed));
                    continue;
                }
                notes.push((t, Named::Fragment(fragment, false)));
                // A translation's link is aligned with its source's headings.
                if let Some(s) = site
                    .find(&target.page.key, default)
                    .filter(|&s| s != t && target.lang() != default)
                {
                    if site.pages[s].body.html.ids().has(fragment) || may_name(s, fragment) {
                        notes.extend([(s, Named::Fixed), (t, Named::Fixed)]);
                    } else {
                        notes.push((s, Named::Fragment(fragment, false)));
                    }
                }
            }
            notes
        })
        .collect();
    let mut named = NamedSections::default();
    // Each page's fragments once, in the order links name them (looked for among the
    // page's, a page of 20,000 links to sections compared each with all the others).
    let mut seen: crate::hash::FastSet<(PageId, &str)> = crate::hash::FastSet::default();
    for (page, note) in notes {
        match note {
            Named::Fixed => {
                named.fixed.insert(page);
            }
            Named::Fragment(f, id) => {
                if seen.insert((page, f)) {
                    named
                        .fragments
                        .entry(page)
                        .or_default()
                        .push((f.to_string(), id));
                }
            }
        }
    }
    named
}

/// Whether a link's `fragment` may come to an element or a heading of a body with these
/// `ids` under the rules above: one of its ids, a heading's id under Experience League's
/// rule, or alike but for `_` and `-` (a page's title is not its body's).
pub(crate) fn may_name(ids: &BodyIds, fragment: &str) -> bool {
    ids.has(fragment)
        || ids
            .headings
            .iter()
            .any(|h| h.id == fragment || h.adobe_id == fragment || bare(&h.id).eq(bare(fragment)))
}

/// How the links of page `p` to `#anchors` of other pages change (by index in its
/// anchors).
fn fixes_of(
    site: &Site,
    (by_path, templates): (&FastMap<&str, PageId>, &TemplateIds),
    default: &str,
    p: &SitePage,
) -> Vec<(usize, Fix)> {
    let mut page_fixes = Vec::new();
    // Each page linked, looked up once for all the links to it.
    let mut linked: FastMap<PageId, Linked> = FastMap::default();
    for (j, a) in p.body.anchors.iter().enumerate() {
        let Some(&t) = by_path.get(a.target.as_str()) else {
            continue;
        };
        let target = &site.pages[t];
        let found = target.body.html.ids();
        if found.has(&a.fragment) || templates.has(target.page.kind, &a.fragment) {
            continue;
        }
        let linked = linked
            .entry(t)
            .or_insert_with(|| Linked::of(site, t, default));
        if let Some(k) = linked.target.adobe(&a.fragment) {
            page_fixes.push((j, Fix::To(found.headings[k].id.clone())));
            continue;
        }
        if let Some(k) = linked.target.only_alike(&a.fragment) {
            page_fixes.push((j, Fix::To(found.headings[k].id.clone())));
            continue;
        }
        // The page's title by one of its ids, but for `_` and `-` too: Adobe's Dynamic
        // Media Classic links `#uploading_files` to the page titled `{#uploading-files}`
        // (254 links), which lands on its top there as here.
        let titled = |page: &SitePage| {
            let title = &page.page.title;
            [adobe_id(title), slug::slugify(title)]
                .iter()
                .chain(&page.body.title_ids)
                .any(|id| bare(id).eq(bare(&a.fragment)))
        };
        if titled(target) || linked.source.is_some_and(|s| titled(&site.pages[s])) {
            page_fixes.push((j, Fix::Top));
            continue;
        }
        let Some(s) = linked.source else {
            continue;
        };
        let (source, partners) = linked.aligned(site, s, t);
        let Some(k) = source
            .named(&a.fragment)
            .or_else(|| source.only_alike(&a.fragment))
        else {
            continue;
        };
        let fix = match partners.get(k) {
            Some(l) => Fix::To(found.headings[l].id.clone()),
            None => Fix::Unmapped {
                source: site.pages[s].path.clone(),
            },
        };
        page_fixes.push((j, fix));
    }
    page_fixes
}

/// A page whose sections links name: its headings by id, and for a translation, its
/// default-language page and (once a link needs them) that page's headings with the
/// place of each in the translation's (each link aligned the two pages again: a page of
/// 3,000 links to a translation of 3,000 headings, one more than its source's, never
/// finished building).
struct Linked<'s> {
    target: Sections<'s>,
    source: Option<PageId>,
    aligned: Option<(Sections<'s>, Partners<'s>)>,
}

impl<'s> Linked<'s> {
    fn of(site: &'s Site, t: PageId, default: &str) -> Linked<'s> {
        let target = &site.pages[t];
        Linked {
            target: Sections::of(&target.body.html.ids().headings),
            source: site
                .find(&target.page.key, default)
                .filter(|&s| s != t && target.lang() != default),
            aligned: None,
        }
    }

    /// The source `s`'s headings, and the partner of each in the translation `t` (see
    /// [`Partners`]).
    fn aligned(&mut self, site: &'s Site, s: PageId, t: PageId) -> &(Sections<'s>, Partners<'s>) {
        self.aligned.get_or_insert_with(|| {
            let source = &site.pages[s].body.html.ids().headings;
            let translated = &site.pages[t].body.html.ids().headings;
            (Sections::of(source), Partners::of(source, translated))
        })
    }
}

/// A page's headings as the rules above look them up: one by one, and by id once a page
/// of many headings has been looked up a few times (each link to a missing section went
/// through all the headings of its page and of its source, several times: 20,000 links to
/// the sections of a page of 20,000 headings took 5 s; an index made at once for a page
/// linked once or twice cost a guide 2.8% more instructions).
struct Sections<'h> {
    headings: &'h [Heading],
    /// How many times the headings were looked through.
    looked: std::cell::Cell<usize>,
    index: std::cell::OnceCell<HeadingIndex<'h>>,
}

/// As many headings as are always looked through one by one, and as many look-ups of
/// more as are made before they are indexed (see [`Sections`]).
const FEW_HEADINGS: usize = 32;
const FEW_LOOKUPS: usize = 8;

struct HeadingIndex<'h> {
    /// The first heading of each id.
    by_id: FastMap<&'h str, usize>,
    /// The first heading of each id under Experience League's rule.
    by_adobe: FastMap<&'h str, usize>,
    /// Each id made [`bare`]: its heading, or `None` where several are alike.
    by_bare: FastMap<Vec<u8>, Option<usize>>,
}

impl<'h> Sections<'h> {
    fn of(headings: &'h [Heading]) -> Sections<'h> {
        Sections {
            headings,
            looked: std::cell::Cell::new(0),
            index: std::cell::OnceCell::new(),
        }
    }

    /// The index, once the headings are many and were looked through enough.
    fn index(&self) -> Option<&HeadingIndex<'h>> {
        if self.headings.len() <= FEW_HEADINGS {
            return None;
        }
        if self.index.get().is_none() && self.looked.get() < FEW_LOOKUPS {
            self.looked.set(self.looked.get() + 1);
            return None;
        }
        Some(self.index.get_or_init(|| {
            let mut index = HeadingIndex {
                by_id: FastMap::default(),
                by_adobe: FastMap::default(),
                by_bare: FastMap::default(),
            };
            for (k, h) in self.headings.iter().enumerate() {
                index.by_id.entry(&h.id).or_insert(k);
                index.by_adobe.entry(&h.adobe_id).or_insert(k);
                index
                    .by_bare
                    .entry(bare(&h.id).collect())
                    .and_modify(|one| *one = None)
                    .or_insert(Some(k));
            }
            index
        }))
    }

    /// The first heading whose id under Experience League's rule is `fragment`.
    fn adobe(&self, fragment: &str) -> Option<usize> {
        match self.index() {
            Some(index) => index.by_adobe.get(fragment).copied(),
            None => self.headings.iter().position(|h| h.adobe_id == fragment),
        }
    }

    /// The first heading whose id, or id under Experience League's rule, is `fragment`.
    fn named(&self, fragment: &str) -> Option<usize> {
        match self.index() {
            Some(index) => match (
                index.by_id.get(fragment).copied(),
                index.by_adobe.get(fragment).copied(),
            ) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            None => self
                .headings
                .iter()
                .position(|h| h.id == fragment || h.adobe_id == fragment),
        }
    }

    /// The one heading whose id is `fragment` but for `_` and `-`, which an older rule
    /// dropped alike (`#consumerswaitformessages` for `consumers_wait_for_messages`).
    fn only_alike(&self, fragment: &str) -> Option<usize> {
        // The fragment made bare once: a page of a command-line reference has hundreds of
        // headings, and each link to one of them that an older rule named came here
        // (On-Cloud: 1.4% of a first build's instructions when both were made bare as
        // they went).
        let wanted: Vec<u8> = bare(fragment).collect();
        if let Some(index) = self.index() {
            return index.by_bare.get(&wanted).copied().flatten();
        }
        let mut alike =
            (0..self.headings.len()).filter(|&k| is_bare(&self.headings[k].id, &wanted));
        match (alike.next(), alike.next()) {
            (Some(k), None) => Some(k),
            _ => None,
        }
    }

    /// Whether `fragment` comes to one of the headings by the rules above (see
    /// [`may_name`]).
    fn may_name(&self, fragment: &str) -> bool {
        match self.index() {
            Some(index) => {
                index.by_id.contains_key(fragment)
                    || index.by_adobe.contains_key(fragment)
                    || index
                        .by_bare
                        .contains_key(&bare(fragment).collect::<Vec<u8>>())
            }
            None => self.headings.iter().any(|h| {
                h.id == fragment || h.adobe_id == fragment || bare(&h.id).eq(bare(fragment))
            }),
        }
    }
}

/// An id without its `_` and `-`, in lower case (Commerce Business Intelligence links
/// `#Submitting-a-Support-Ticket` 18 times, a heading Experience League ids in lower case
/// as equipe does). A page's headings are looked up by it (see [`Sections`]); a title is
/// compared as it goes.
fn bare(id: &str) -> impl Iterator<Item = u8> + '_ {
    id.bytes()
        .filter(|b| !matches!(b, b'-' | b'_'))
        .map(|b| b.to_ascii_lowercase())
}

/// Whether `id` made [`bare`] is `wanted`.
fn is_bare(id: &str, wanted: &[u8]) -> bool {
    let mut wanted = wanted.iter();
    for b in id.bytes() {
        if matches!(b, b'-' | b'_') {
            continue;
        }
        if wanted.next() != Some(&b.to_ascii_lowercase()) {
            return false;
        }
    }
    wanted.next().is_none()
}

/// Rewrites each page's links by its fixes; a warning for each link left unmapped.
fn apply(site: &mut Site, fixes: Vec<(usize, Vec<(usize, Fix)>)>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (i, page_fixes) in fixes {
        let p = &mut site.pages[i];
        let body = Arc::make_mut(&mut p.body);
        let mut unmapped = Vec::new();
        // Links to the page's top: no fragment left to check.
        let mut to_top = Vec::new();
        // Each link's href before and after, the HTML rewritten once for all of them.
        let mut hrefs: Vec<(String, String)> = Vec::new();
        for (j, fix) in &page_fixes {
            let a = &mut body.anchors[*j];
            match fix {
                Fix::To(id) => {
                    let base = a.href.rsplit_once('#').map_or(a.href.as_str(), |(b, _)| b);
                    let href = format!("{base}#{}", escape_attr(id));
                    hrefs.push((std::mem::replace(&mut a.href, href.clone()), href));
                    a.fragment = id.clone();
                }
                Fix::Top => {
                    let base = a.href.rsplit_once('#').map_or(a.href.as_str(), |(b, _)| b);
                    let href = base.to_string();
                    hrefs.push((std::mem::replace(&mut a.href, href.clone()), href));
                    to_top.push(*j);
                }
                Fix::Unmapped { source } => {
                    unmapped.push(*j);
                    warnings.push(
                        Diagnostic::warning(format!(
                            "link to `#{}`: untranslated anchor not mapped, {} has it but no heading of {} matches it for certain",
                            a.fragment, source, a.target
                        ))
                        .in_file(&p.page.file.display)
                        .with_source(p.page.source())
                        .at(a.line, a.column)
                        .with_link_label(a.included.as_deref())
                        .with_help("the translation's headings differ from the source's in number or level here: link the translated heading's id"),
                    );
                }
            }
        }
        if !hrefs.is_empty() {
            // Made from the body and the links rewritten.
            let key = crate::hash::hash_of(&(body.html.key(), &hrefs));
            // Kept whole: few pages have links rewritten.
            body.html = Html::new(rewrite_hrefs(&body.html.text(), &hrefs), key);
        }
        // Both in the order of the links (a search each: a page of 20,000 unmapped links
        // went through all of them for each link).
        let mut index = 0;
        body.anchors.retain(|_| {
            index += 1;
            unmapped.binary_search(&(index - 1)).is_err()
                && to_top.binary_search(&(index - 1)).is_err()
        });
        // `serve` reuses a page's output while its key is the same: the key now says
        // which fragments were rewritten.
        let rewritten: Vec<&str> = body.anchors.iter().map(|a| a.fragment.as_str()).collect();
        body.key = hash_of(&(body.key, rewritten, unmapped, to_top));
    }
    warnings
}

/// `html` with every `href="OLD"` of `hrefs` (OLD, NEW) made `href="NEW"`, as replacing
/// each pair in turn would, in one pass over the HTML rather than one per link (a French
/// page can have dozens of English anchors to send to French ids).
fn rewrite_hrefs(html: &str, hrefs: &[(String, String)]) -> String {
    let mut new: FastMap<&str, &str> =
        FastMap::with_capacity_and_hasher(hrefs.len(), Default::default());
    for (old, href) in hrefs {
        new.entry(old.as_str()).or_insert(href.as_str());
    }
    // Replacing in turn could rewrite a new href again, or match across a quote: those
    // rare cases are left to the replacements themselves.
    let chained = hrefs.iter().any(|(old, href)| {
        old.contains('"') || href.contains('"') || (old != href && new.contains_key(href.as_str()))
    });
    if chained {
        return hrefs.iter().fold(html.to_string(), |html, (old, href)| {
            html.replace(&format!("href=\"{old}\""), &format!("href=\"{href}\""))
        });
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 64 * hrefs.len());
    let mut copied = 0;
    for at in memchr::memmem::find_iter(bytes, b"href=\"") {
        let value = at + 6;
        let Some(len) = memchr::memchr(b'"', &bytes[value..]) else {
            break;
        };
        if let Some(href) = new.get(&html[value..value + len]) {
            out.push_str(&html[copied..value]);
            out.push_str(href);
            copied = value + len;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// For each heading of `from`, the heading of `to` at its place, if certain: their levels
/// are aligned (longest common subsequence), and the earliest and the latest of the best
/// alignments must pair it with the same heading. When levels alone leave it uncertain,
/// the headings are aligned again by their levels and the numbers they hold (years,
/// versions, steps: machine translation keeps them), with the same rule: a translation
/// that lacks its source's newest section then still pairs the headings its numbers tell
/// apart (Mix Modeler's French release notes lack `## August 2026` above three months of
/// 2026, and pair the `## Release strategy` below them, which holds none). Each alignment
/// is made once, the second only if a link needs it.
struct Partners<'h> {
    from: &'h [Heading],
    to: &'h [Heading],
    by_levels: Vec<Option<usize>>,
    by_numbers: std::sync::OnceLock<Vec<Option<usize>>>,
}

impl<'h> Partners<'h> {
    fn of(from: &'h [Heading], to: &'h [Heading]) -> Partners<'h> {
        let levels =
            |headings: &[Heading]| -> Vec<u8> { headings.iter().map(|h| h.level).collect() };
        let (a, b) = (levels(from), levels(to));
        let by_levels = match a == b {
            true => (0..a.len()).map(Some).collect(),
            false => certain(&a, &b),
        };
        Partners {
            from,
            to,
            by_levels,
            by_numbers: std::sync::OnceLock::new(),
        }
    }

    /// The partner of heading `k` of `from`.
    fn get(&self, k: usize) -> Option<usize> {
        self.by_levels[k].or_else(|| {
            let keyed = |headings: &[Heading]| -> Vec<(u8, u64)> {
                headings
                    .iter()
                    .map(|h| (h.level, numbers_in(&h.adobe_id)))
                    .collect()
            };
            self.by_numbers
                .get_or_init(|| certain(&keyed(self.from), &keyed(self.to)))[k]
        })
    }
}

/// The most pairs of headings two pages are aligned over: [`align`] makes a table of as
/// many numbers, twice (2,000 headings a page, 16 MB). Past it no heading is paired for
/// certain, and links to the translation are reported as not mapped: two pages of 20,000
/// headings would have taken 1.6 GB.
const MAX_ALIGNED: usize = 4_000_000;

/// For each item of `a`, its partner in `b` if the earliest and the latest of the longest
/// common subsequences of `a` and `b` agree on it.
fn certain<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Option<usize>> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_ALIGNED {
        return vec![None; n];
    }
    let earliest = align(a, b);
    let (ra, rb): (Vec<&T>, Vec<&T>) = (a.iter().rev().collect(), b.iter().rev().collect());
    let latest = align(&ra, &rb);
    (0..n)
        .map(|k| {
            let late = latest[n - 1 - k].map(|l| m - 1 - l);
            earliest[k].filter(|_| earliest[k] == late)
        })
        .collect()
}

/// A key of the runs of digits of a heading's id, in order (one key for all the headings
/// that hold none).
fn numbers_in(id: &str) -> u64 {
    let digits = id
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty());
    crate::hash::hash_of(&digits.collect::<Vec<_>>())
}

/// For each item of `a`, its partner in `b` in the longest common subsequence that pairs
/// items as early as it can.
fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Option<usize>> {
    let (n, m) = (a.len(), b.len());
    // `rest[i][j]`: the length of the longest common subsequence of `a[i..]` and `b[j..]`.
    let mut rest = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            rest[i][j] = if a[i] == b[j] {
                rest[i + 1][j + 1] + 1
            } else {
                rest[i + 1][j].max(rest[i][j + 1])
            };
        }
    }
    let mut pairs = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            pairs[i] = Some(j);
            i += 1;
            j += 1;
        } else if rest[i + 1][j] >= rest[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_alike_to_a_fragment_as_both_made_bare() {
        let ids = [
            "",
            "-",
            "a",
            "A",
            "a-b",
            "ab",
            "a_b_",
            "AB-",
            "abc",
            "consumers_wait_for_messages",
            "consumerswaitformessages",
            "Submitting-a-Support-Ticket",
            "submittingasupportticket",
            "étape-1",
            "ÉTAPE-1",
            "x-y-z",
            "xyz-",
        ];
        for a in ids {
            let heading = [Heading {
                level: 2,
                id: a.to_string(),
                adobe_id: String::new(),
            }];
            let sections = Sections::of(&heading);
            for b in ids {
                let alike = bare(a).eq(bare(b));
                assert_eq!(sections.only_alike(b).is_some(), alike, "{a} / {b}");
                assert_eq!(sections.may_name(b), alike || b.is_empty(), "{a} / {b}");
            }
        }
        // Many headings, some alike, some twice: looked up by id as looked through.
        let mut state = 3_u64;
        let mut found = [0; 2];
        for _ in 0..300 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let headings: Vec<Heading> = (0..FEW_HEADINGS + 1 + (state >> 59) as usize)
                .map(|k| {
                    // Mostly headings of their own, a few of the ids above.
                    let pick = |shift: u64| match (state >> ((k as u64 + shift) % 60)) & 15 {
                        0 => ids[((state >> shift) as usize + k * 7) % ids.len()].to_string(),
                        _ => format!("own-{k}-{shift}"),
                    };
                    Heading {
                        level: 2,
                        id: pick(20),
                        adobe_id: pick(40),
                    }
                })
                .collect();
            let indexed = Sections::of(&headings);
            indexed.looked.set(FEW_LOOKUPS);
            assert!(indexed.index().is_some());
            // A first look-up is a look through.
            let scanned = || Sections::of(&headings);
            for b in ids {
                assert_eq!(indexed.adobe(b), scanned().adobe(b), "{b}");
                assert_eq!(indexed.named(b), scanned().named(b), "{b}");
                assert_eq!(indexed.only_alike(b), scanned().only_alike(b), "{b}");
                assert_eq!(indexed.may_name(b), scanned().may_name(b), "{b}");
                found[usize::from(scanned().only_alike(b).is_some())] += 1;
            }
            // Indexed at the look-up after the few.
            let adaptive = scanned();
            for _ in 0..FEW_LOOKUPS {
                adaptive.adobe("a");
            }
            assert!(adaptive.index.get().is_none());
            adaptive.adobe("a");
            assert!(adaptive.index.get().is_some());
        }
        // Fragments with one heading alike, and with none or several.
        assert!(found.iter().all(|&n| n > 300), "{found:?}");
    }

    #[test]
    fn template_ids_are_those_written_as_they_are_by_kind() {
        let template = |name: &str, source: &str| crate::theme::Template {
            name: name.into(),
            file: name.into(),
            source: source.into(),
        };
        let ids = TemplateIds::of(&[
            template("base.html", "<main id=\"main\">"),
            template(
                "role.html",
                "<h2 id=\"onboarding\">x</h2><h3 id=\"tell-{{ team.anchor }}\"></h3><p data-id=\"no\">",
            ),
            template("team.html", "<h2 id=\"risks\">"),
        ]);
        assert!(ids.has(Kind::Role, "onboarding") && ids.has(Kind::Role, "main"));
        assert!(ids.has(Kind::Team, "risks") && ids.has(Kind::Page, "main"));
        assert!(!ids.has(Kind::Role, "risks") && !ids.has(Kind::Team, "onboarding"));
        assert!(!ids.has(Kind::Role, "no"));
        assert!(ids.by_kind[2].iter().all(|id| !id.contains('{')));
    }

    #[test]
    fn hrefs_are_rewritten_in_one_pass_as_in_turn() {
        let html = "<a href=\"a.html#x\">1</a> <a href=\"b.html#y\">2</a> <a href=\"a.html#x\">3</a> \
                    <a href=\"a.html#xx\">4</a> <a data-href=\"b.html#y\">5</a> <a href=\"c\">6</a>";
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let in_turn = |hrefs: &[(String, String)]| {
            hrefs.iter().fold(html.to_string(), |h, (old, new)| {
                h.replace(&format!("href=\"{old}\""), &format!("href=\"{new}\""))
            })
        };
        for hrefs in [
            pairs(&[("a.html#x", "a.html#ex"), ("b.html#y", "b.html#why")]),
            pairs(&[("a.html#x", "a.html#ex"), ("a.html#x", "a.html#other")]),
            // A new href that is another's old one: replaced in turn, as before.
            pairs(&[("a.html#x", "b.html#y"), ("b.html#y", "c")]),
        ] {
            assert_eq!(rewrite_hrefs(html, &hrefs), in_turn(&hrefs), "{hrefs:?}");
        }
        assert!(rewrite_hrefs(html, &pairs(&[("a.html#x", "a.html#ex")])).contains("a.html#xx"));
    }

    fn levels(levels: &[u8]) -> Vec<Heading> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &level)| Heading {
                level,
                id: format!("h{i}"),
                adobe_id: String::new(),
            })
            .collect()
    }

    fn partner(from: &[Heading], to: &[Heading], k: usize) -> Option<usize> {
        Partners::of(from, to).get(k)
    }

    #[test]
    fn a_heading_more_or_less_shifts_nothing_else() {
        let en = levels(&[2, 3, 3, 2, 2]);
        let fr = levels(&[2, 3, 3, 2, 2]);
        assert_eq!(partner(&en, &fr, 3), Some(3));
        // The translation lacks the second h3: what follows keeps its place.
        let fr = levels(&[2, 3, 2, 2]);
        assert_eq!(partner(&en, &fr, 0), Some(0));
        assert_eq!(partner(&en, &fr, 3), Some(2));
        // Which h3 is missing is not certain.
        assert_eq!(partner(&en, &fr, 1), None);
        assert_eq!(partner(&en, &levels(&[]), 0), None);
    }

    fn titled(headings: &[(u8, &str)]) -> Vec<Heading> {
        headings
            .iter()
            .map(|&(level, id)| Heading {
                level,
                id: id.to_string(),
                adobe_id: id.to_string(),
            })
            .collect()
    }

    /// The translation lacks the source's newest section: by levels alone, which one is
    /// missing is not certain; the numbers in the headings tell, where they differ.
    #[test]
    fn the_numbers_in_headings_pair_what_levels_leave_uncertain() {
        let en = titled(&[
            (2, "august-2026"),
            (2, "march-2026"),
            (2, "february-2026"),
            (2, "release-strategy"),
        ]);
        let fr = titled(&[
            (2, "mars-2026"),
            (2, "fevrier-2026"),
            (2, "strategie-de-publication"),
        ]);
        assert_eq!(partner(&en, &fr, 3), Some(2));
        // Which month is missing is still not certain: each heading holds 2026.
        assert_eq!(partner(&en, &fr, 1), None);
        let en = titled(&[
            (2, "version-3-0"),
            (2, "version-2-1"),
            (2, "version-2-0"),
            (2, "notes"),
        ]);
        let fr = titled(&[(2, "version-2-1"), (2, "version-2-0"), (2, "remarques")]);
        assert_eq!(partner(&en, &fr, 1), Some(0));
        assert_eq!(partner(&en, &fr, 2), Some(1));
        assert_eq!(partner(&en, &fr, 0), None);
        // Levels that pair it for certain are not second-guessed by numbers.
        let en = titled(&[(2, "step-1"), (3, "a"), (2, "step-2")]);
        let fr = titled(&[(2, "etape-un"), (2, "etape-2")]);
        assert_eq!(partner(&en, &fr, 0), Some(0));
    }
}
