//! Guides and their menus: the sidebar a page carries.
//!
//! A documentation site is a set of guides, one per folder with a `TOC.md` (see
//! [`crate::site::guide_toc`]): a page belongs to the guide of its nearest such folder, and its
//! sidebar is that guide's table of contents in its language, not the whole site's (a
//! site-wide menu of a thousand links on every page is what made pages heavy). A page
//! in no such folder belongs to the guide of its top folder (`roles/`, `teams/`), whose
//! menu is the folder tree. Pages at the content root have no sidebar.
//!
//! Menus are made here once per build as values; each page's sidebar is rendered as HTML
//! with its own relative links and its own entry marked `aria-current="page"`.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::hash::hash_of;
use crate::site::guide_toc::{self, TocEntry};
use crate::site::menu_memo::{MenuMemo, SeenFrom};
use crate::site::{PageId, Site, is_external};
use crate::text::escape_into;

/// Every guide of the site, in every language, and the guide of each page.
#[derive(Debug, Default)]
pub struct Navigation {
    pub guides: Vec<Guide>,
    /// By page index: the guide the page belongs to.
    of_page: Vec<Option<usize>>,
    /// By page index: where the page's first entry is in its guide's menu (the index of
    /// the entry holding it at each level), found once rather than by every page of a
    /// long list (looking for the current page among 10,000 roles on each of them was 4%
    /// of a build of 20,000 pages).
    place: Vec<Option<Box<[u32]>>>,
    /// A key of everything menus show, for `serve`'s cache.
    pub key: u64,
    /// Entries written once for each folder whose pages show them alike.
    memo: MenuMemo,
}

/// One guide in one language.
#[derive(Debug, Hash)]
pub struct Guide {
    pub lang: String,
    /// The guide's folder, as the start of its pages' keys (`help/live-search`).
    pub folder: String,
    /// `user-guide-title` of its `TOC.md`, or the title of the folder's `_index` page.
    pub title: String,
    pub description: Option<String>,
    /// From a `TOC.md` (else from the folder tree).
    pub from_toc: bool,
    /// The page the guide's title links to: its folder's `_index`, or its menu's first.
    pub first: Option<PageId>,
    pub menu: Vec<MenuItem>,
    /// Whether every page shows its menu whole (see [`MAX_WHOLE_MENU`]).
    pub whole: bool,
    /// How deep its pages' tables of contents go, unless a page says (its `TOC.md`'s
    /// [`Page::toc_depth`]).
    pub toc_depth: Option<u8>,
    /// Shown on each of its pages after their own: its `TOC.md`'s `badge…` keys (Adobe's
    /// `badgeAll` on a legacy guide), metadata that passes to the guide's articles.
    pub badges: Vec<GuideBadge>,
    /// The pages its `TOC.md` lists but keeps out of the menu (`{hide-from-toc}`, or
    /// their own `hidefromtoc: yes`): its pages all the same, wherever their files are.
    pub hidden: Vec<PageId>,
}

/// A badge of a guide's `TOC.md`, and where it leads: a page it names (its link read from
/// the `TOC.md`'s folder, as its menu's are), a URL as written, or nowhere.
#[derive(Debug, Hash)]
pub struct GuideBadge {
    pub badge: crate::markdown::afm::FrontBadge,
    pub target: Target,
}

/// An entry of a guide's menu.
#[derive(Debug)]
pub struct MenuItem {
    pub label: String,
    pub target: Target,
    pub children: Vec<MenuItem>,
    /// The key of the entry as a menu shows it on a page it does not hold (see
    /// [`MenuItem::closed_key`]), made when first asked for.
    closed: std::sync::OnceLock<u64>,
    /// The pages it and the entries below it lead to, sorted (see [`MenuItem::holds`]),
    /// listed when first asked for.
    held: std::sync::OnceLock<Box<[PageId]>>,
}

impl MenuItem {
    fn new(label: String, target: Target, children: Vec<MenuItem>) -> MenuItem {
        MenuItem {
            label,
            target,
            children,
            closed: std::sync::OnceLock::new(),
            held: std::sync::OnceLock::new(),
        }
    }

    /// Whether the entry leads to `page`, or an entry below it does. Each page's menu
    /// asks it of the entries it shows: going down through every entry each time was
    /// quadratic in the size of a guide (Workfront's 2,400 pages a language: 5% of its
    /// build).
    fn holds(&self, page: PageId) -> bool {
        self.held().binary_search(&page).is_ok()
    }

    fn held(&self) -> &[PageId] {
        self.held.get_or_init(|| {
            let mut held: Vec<PageId> = self
                .children
                .iter()
                .flat_map(|c| c.held().iter().copied())
                .collect();
            if let Target::Page(p) = self.target {
                held.push(p);
            }
            held.sort_unstable();
            held.dedup();
            held.into()
        })
    }

    /// A key of what a menu writes for this entry on a page that it does not hold (the
    /// page's own entry is not in it, nor below it): the same on each such page but for
    /// the links, which are keyed by the pages they lead to (see [`KeyOut`]). A list of
    /// 10,000 roles shows 17 of them on each page; keyed so, each page's sidebar is keyed
    /// by 17 numbers rather than written (a ninth of a build after a title edit at
    /// 20,000 pages was writing every page's sidebar to key it).
    fn closed_key(&self, link: &Link) -> u64 {
        *self
            .closed
            .get_or_init(|| crate::hash::hash_with(|h| link.write_item(&mut KeyOut(h), self, None)))
    }
}

/// The entry's label, target and entries: what the menu is made of (its key, made from
/// those, is left out).
impl Hash for MenuItem {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.label, &self.target, &self.children).hash(state);
    }
}

#[derive(Debug, Hash, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    /// Outside the site, as written.
    Url(String),
    /// A group label.
    None,
}

impl Navigation {
    /// The guide page `i` belongs to.
    pub fn guide_of(&self, i: PageId) -> Option<&Guide> {
        self.guides.get((*self.of_page.get(i.index())?)?)
    }

    /// The guides of a language, `TOC.md` guides first, each in folder order.
    pub fn guides_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Guide> + 'a {
        self.guides.iter().filter(move |g| g.lang == lang)
    }

    /// Page `i`'s sidebar as HTML: its guide's title and menu, links relative to the page,
    /// its own entry marked and the groups that hold it open. `None` outside guides.
    pub fn sidebar(&self, site: &Site, i: PageId) -> Option<String> {
        let mut html = String::with_capacity(4096);
        let seen = OnceCell::new();
        self.write_sidebar(&mut html, site, i, Some(&seen))?;
        Some(html)
    }

    /// Writes page `i`'s sidebar (see [`Navigation::sidebar`]) into `out`, the entries
    /// that do not hold it as seen from where `seen` says, once asked (see [`SeenFrom`]);
    /// `None` outside guides.
    fn write_sidebar<'s>(
        &self,
        out: &mut impl MenuOut,
        site: &'s Site,
        i: PageId,
        seen: Option<&'s OnceCell<SeenFrom<'s>>>,
    ) -> Option<()> {
        let guide = self.guide_of(i)?;
        let link = Link {
            site,
            from: &site.pages[i].path,
            current: Some(i),
            seen,
            whole: guide.whole,
            max_listed: if guide.from_toc {
                MAX_LISTED_TOC
            } else {
                MAX_LISTED
            },
        };
        let place = self.place.get(i.index()).and_then(Option::as_deref);
        out.markup("<p class=\"guide-title\">");
        // The title links to the guide's first page, which its menu entry marks.
        match guide.first {
            Some(first) => Link {
                current: None,
                ..link
            }
            .write(out, first, &guide.title),
            None => out.text(&guide.title),
        }
        out.markup("</p>\n");
        link.write_list(out, &guide.menu, place);
        Some(())
    }

    /// A key of page `i`'s sidebar (see [`Navigation::sidebar`]), made without writing
    /// it: the page (where the links start from, which entry is its own and which links
    /// go to another language) and what its menu shows, each entry that does not hold the
    /// page by its key (see [`MenuItem::closed_key`]).
    fn sidebar_key(&self, site: &Site, i: PageId, state: &mut impl Hasher) {
        let page = &site.pages[i];
        (&page.path, page.lang()).hash(state);
        self.write_sidebar(&mut KeyOut(state), site, i, None);
    }
}

/// Page `i`'s sidebar as a value, written only when its page is rendered (see
/// [`Sidebar::html`]): a rebuild keys every page by its sidebar, and writing them all
/// took half of a rebuild of 2,000 pages in a folder.
pub struct Sidebar<'a> {
    site: &'a Site,
    page: PageId,
    /// The key of its guide (see [`Navigation::guide_keys`]).
    guide_key: u64,
    /// Whether its guide's menu is shown whole (see [`MAX_WHOLE_MENU`]).
    whole: bool,
}

impl Sidebar<'_> {
    pub fn html(&self) -> String {
        self.site
            .navigation
            .sidebar(self.site, self.page)
            .unwrap_or_default()
    }
}

/// What [`Navigation::sidebar`] writes a page's sidebar from: its guide (see
/// [`Navigation::guide_keys`]), and the page's place and language. A menu not shown whole
/// shows a page few of its entries (its top level, the groups that hold the page, the
/// entries around the page's): it is keyed by what it shows, so that a title edited in a
/// guide of thousands of pages (a site's 10,000 roles in one folder) renders again the
/// pages whose menus show it, not every page of the guide.
impl Hash for Sidebar<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if self.whole {
            let p = &self.site.pages[self.page];
            (self.guide_key, self.page, &p.path, p.lang()).hash(state);
        } else {
            self.site
                .navigation
                .sidebar_key(self.site, self.page, state);
        }
    }
}

impl Navigation {
    /// For each guide, a key of what its pages' sidebars are written from besides the
    /// page itself: the guide (title, menu labels and targets) and the URL and language
    /// of each page it links.
    pub fn guide_keys(&self, site: &Site) -> Vec<u64> {
        fn pages(items: &[MenuItem], site: &Site, h: &mut impl Hasher) {
            for item in items {
                if let Target::Page(j) = item.target {
                    (&site.pages[j].path, site.pages[j].lang()).hash(h);
                }
                pages(&item.children, site, h);
            }
        }
        self.guides
            .iter()
            .map(|g| {
                crate::hash::hash_with(|h| {
                    g.hash(h);
                    if let Some(first) = g.first {
                        site.pages[first].path.hash(h);
                    }
                    pages(&g.menu, site, h);
                })
            })
            .collect()
    }

    /// Page `i`'s sidebar, to write if the page is rendered; `None` outside guides.
    pub fn sidebar_view<'a>(
        &self,
        site: &'a Site,
        i: PageId,
        guide_keys: &[u64],
    ) -> Option<Sidebar<'a>> {
        let g = (*self.of_page.get(i.index())?)?;
        Some(Sidebar {
            site,
            page: i,
            guide_key: *guide_keys.get(g)?,
            whole: self.guides.get(g)?.whole,
        })
    }
}

/// Writes into `out` the URL of the page at output path `to` from the page at `from`, as
/// short as it goes: the `../`s, then what is left of `to`, through `push` (which escapes
/// it). A guide's menu links hundreds of pages deep in folders, and spelled from the
/// site's root each link took 140 bytes, half of the menu (Experience League's
/// Operations guide: 38 of its 65 kB on every page). Written in place, without a string
/// of its own: a sidebar writes hundreds on every page.
fn push_relative_url(out: &mut String, from: &str, to: &str, push: impl FnOnce(&mut String, &str)) {
    // The folders both are in: up to the last `/` of what they start with alike.
    let alike = from
        .bytes()
        .zip(to.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(from.len().min(to.len()));
    // (Found among bytes: `alike` may end inside a character, `/` never does.)
    let base = from.as_bytes()[..alike]
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(0, |i| i + 1);
    let up = from.as_bytes()[base..]
        .iter()
        .filter(|&&b| b == b'/')
        .count();
    for _ in 0..up {
        out.push_str("../");
    }
    push(out, &to[base..]);
}

/// Past this many entries in all, a guide's menu shows on each page its top level and the
/// groups that hold the page, open; each other group is a link to its first page, whose
/// menu opens it (as Sphinx's Read the Docs theme does for large manuals). Workfront's
/// guide lists its 600 pages in 482 entries: whole, the menu was 70 kB of every page.
const MAX_WHOLE_MENU: usize = 200;

/// Past this many entries, a menu list of a folder tree shows only [`AROUND`] entries on
/// each side of the current page's; a list of a `TOC.md`, which an author wrote and no
/// page lists whole, past [`MAX_LISTED_TOC`] (Learning Manager's "Administrator" group
/// has 65 entries: cut to 17, 48 of its pages could only be reached page by page).
const MAX_LISTED: usize = 40;
const MAX_LISTED_TOC: usize = 200;
const AROUND: usize = 8;

/// Writes menu links from one page.
struct Link<'a> {
    site: &'a Site,
    /// The output path of the page the menu is on.
    from: &'a str,
    /// The page the menu is on (marked), if any.
    current: Option<PageId>,
    /// Where entries that do not hold the page are seen from (see [`SeenFrom`]), found
    /// when first needed (a menu with no groups needs none); `None` for a menu's key.
    seen: Option<&'a OnceCell<SeenFrom<'a>>>,
    /// The menu is shown whole; else a group that does not hold the page is a link to its
    /// first page (see [`MAX_WHOLE_MENU`]).
    whole: bool,
    /// Past how many entries a list shows the current page's neighbours only (see
    /// [`MAX_LISTED`]).
    max_listed: usize,
}

impl Link<'_> {
    fn write(&self, out: &mut impl MenuOut, page: PageId, label: &str) {
        out.page_link(self, page);
        out.text(label);
        out.markup("</a>");
    }

    /// A list longer than [`Link::max_listed`] (a folder of 10,000 roles) shows the entries
    /// around the current page's, between `…`: every page must stay light, and the
    /// guide's title links to the page that lists them all. `place`: where the current
    /// page's first entry is below this list (see [`Navigation::place`]), if it is.
    fn write_list(&self, out: &mut impl MenuOut, items: &[MenuItem], place: Option<&[u32]>) {
        out.markup("<ul>\n");
        let at = place.and_then(|p| p.first()).map(|&at| at as usize);
        let shown = if items.len() <= self.max_listed {
            0..items.len()
        } else {
            let at = at.unwrap_or(0);
            let start = at
                .saturating_sub(AROUND)
                .min(items.len() - (2 * AROUND + 1));
            start..start + 2 * AROUND + 1
        };
        const MORE: &str = "<li class=\"menu-more\" aria-hidden=\"true\">…</li>\n";
        if shown.start > 0 {
            out.markup(MORE);
        }
        let after = shown.end < items.len();
        for (index, item) in items.iter().enumerate().skip(shown.start).take(shown.len()) {
            if self.holds_current(item) || !out.closed(self, item) {
                let below = place.filter(|_| at == Some(index)).map(|p| &p[1..]);
                self.write_item(out, item, below);
            }
        }
        if after {
            out.markup(MORE);
        }
        out.markup("</ul>\n");
    }

    /// One entry of a list, and the list below it if it shows one (`place`: as
    /// [`Link::write_list`]'s, below this entry).
    fn write_item<O: MenuOut>(&self, out: &mut O, item: &MenuItem, place: Option<&[u32]>) {
        // A group of links out of the site only (Workfront Learn's "Microsoft Teams")
        // has no page to open it on: it is written whole, folded.
        let leads_to_page =
            matches!(item.target, Target::Page(_)) || first_page(&item.children).is_some();
        if !item.children.is_empty() && !self.whole && !self.holds_current(item) && leads_to_page {
            self.write_branch(out, item);
            return;
        }
        out.markup("<li>");
        let target = |out: &mut O| match &item.target {
            Target::Page(j) => self.write(out, *j, &item.label),
            Target::Url(url) => {
                out.markup("<a href=\"");
                out.text(url);
                out.markup("\" rel=\"external\">");
                out.text(&item.label);
                out.markup("</a>");
            }
            Target::None => out.text(&item.label),
        };
        if item.children.is_empty() {
            target(out);
        } else {
            out.markup(if self.holds_current(item) {
                "<details open><summary>"
            } else {
                "<details><summary>"
            });
            target(out);
            out.markup("</summary>\n");
            self.write_list(out, &item.children, place);
            out.markup("</details>");
        }
        out.markup("</li>\n");
    }

    /// A group shown closed, as a link to its own page or its first one (see
    /// [`MAX_WHOLE_MENU`]).
    fn write_branch(&self, out: &mut impl MenuOut, item: &MenuItem) {
        out.markup("<li class=\"menu-branch\">");
        match (&item.target, first_page(&item.children)) {
            (&Target::Page(page), _) | (_, Some(page)) => self.write(out, page, &item.label),
            _ => out.text(&item.label),
        }
        out.markup("</li>\n");
    }

    fn holds_current(&self, item: &MenuItem) -> bool {
        self.current.is_some_and(|c| item.holds(c))
    }
}

/// Where a menu is written: a page's HTML, or the hash that keys it ([`KeyOut`]).
trait MenuOut {
    /// Markup of equipe's own, the same on every page.
    fn markup(&mut self, markup: &'static str);
    /// A label or a URL as written.
    fn text(&mut self, text: &str);
    /// The start of a link to `page`, up to its `>`, from the page `link` writes on.
    fn page_link(&mut self, link: &Link, page: PageId);
    /// Takes an entry that does not hold the current page as a whole if it can (by its
    /// key); false if it must be written.
    fn closed(&mut self, link: &Link, item: &MenuItem) -> bool;
}

impl MenuOut for String {
    fn markup(&mut self, markup: &'static str) {
        self.push_str(markup);
    }

    fn text(&mut self, text: &str) {
        escape_into(self, text);
    }

    fn page_link(&mut self, link: &Link, page: PageId) {
        let target = &link.site.pages[page];
        self.push_str("<a href=\"");
        push_relative_url(self, link.from, &target.path, escape_into);
        self.push('"');
        if Some(page) == link.current {
            self.push_str(" aria-current=\"page\"");
        }
        let from = link.current.map_or(target, |c| &link.site.pages[c]);
        if target.lang() != from.lang() {
            self.push_str(" hreflang=\"");
            escape_into(self, target.lang());
            self.push('"');
        }
        self.push('>');
    }

    /// Copied as the first page of the folder wrote it (see [`MenuMemo`]).
    fn closed(&mut self, link: &Link, item: &MenuItem) -> bool {
        // A link alone is written as soon as it would be looked up.
        let (Some(seen), Some(current)) = (link.seen, link.current) else {
            return false;
        };
        if item.children.is_empty() {
            return false;
        }
        let site = link.site;
        let seen = seen.get_or_init(|| {
            SeenFrom::of(
                &site.navigation.memo,
                site,
                link.from,
                site.pages[current].lang(),
            )
        });
        let html = site.navigation.memo.html(item, seen, || {
            let mut html = String::new();
            link.write_item(&mut html, item, None);
            html
        });
        self.push_str(&html);
        true
    }
}

/// A menu's key: what it writes, links by the page each leads to rather than its URL from
/// the page. With the page's own path and language (which the URLs and the `hreflang`s
/// are made from, see [`Navigation::sidebar_key`]), the HTML is a function of it.
struct KeyOut<'h, H: Hasher>(&'h mut H);

impl<H: Hasher> MenuOut for KeyOut<'_, H> {
    fn markup(&mut self, markup: &'static str) {
        markup.hash(self.0);
    }

    fn text(&mut self, text: &str) {
        text.hash(self.0);
    }

    fn page_link(&mut self, link: &Link, page: PageId) {
        let target = &link.site.pages[page];
        // Whether the link is the page's own; whether its language is compared with the
        // page's (the guide's title link is not).
        let role = match link.current {
            Some(current) if current == page => 2u8,
            Some(_) => 1,
            None => 0,
        };
        (&target.path, target.lang(), role).hash(self.0);
    }

    fn closed(&mut self, link: &Link, item: &MenuItem) -> bool {
        item.closed_key(link).hash(self.0);
        true
    }
}

/// Whether a page is a guide's `TOC.md` (its menu, not a page of the site).
pub(crate) fn is_toc(page: &Page) -> bool {
    page.file.stem() == "TOC"
}

/// The folder a `TOC.md` is the menu of: its key without `TOC`.
fn toc_folder(toc: &Page) -> &str {
    toc.file
        .key
        .strip_suffix("TOC")
        .unwrap_or_default()
        .trim_end_matches('/')
}

/// Makes every language's guides from the `TOC.md` files and the folder tree. A menu
/// link to a page that does not exist is an error on its line of `TOC.md`.
pub(crate) fn build(
    site: &Site,
    tocs: &[Arc<Page>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Navigation {
    let default = site.config.default_language();
    // Folder -> its TOC.md per language.
    let mut by_folder: BTreeMap<&str, BTreeMap<&str, &Arc<Page>>> = BTreeMap::new();
    for toc in tocs {
        by_folder
            .entry(toc_folder(toc))
            .or_default()
            .insert(&toc.lang, toc);
    }
    let mut nav = Navigation {
        of_page: vec![None; site.pages.len()],
        place: vec![None; site.pages.len()],
        ..Navigation::default()
    };
    for lang in &site.config.languages {
        let lang = lang.code.as_str();
        for (&folder, files) in &by_folder {
            // A language without its own TOC.md uses the default language's, never
            // another's: French labels are no menu for English pages (Adobe's Data
            // Workbench has `help/home/TOC.md` in French only; its English pages are
            // listed by the English `help/TOC.md`).
            let Some(toc) = files.get(lang).or_else(|| files.get(default)) else {
                continue;
            };
            nav.guides
                .push(toc_guide(site, folder, lang, toc, diagnostics));
        }
    }
    join_toc_guides(site, &mut nav);
    add_folder_guides(site, &mut nav);
    place_pages(&mut nav);
    nav.key = hash_of(&(&nav.guides, &nav.of_page));
    nav
}

/// Notes where each page's first entry is in its own guide's menu ([`Navigation::place`]).
fn place_pages(nav: &mut Navigation) {
    fn walk(
        items: &[MenuItem],
        guide: usize,
        path: &mut Vec<u32>,
        of_page: &[Option<usize>],
        place: &mut [Option<Box<[u32]>>],
    ) {
        for (index, item) in items.iter().enumerate() {
            path.push(index as u32);
            if let Target::Page(p) = item.target
                && of_page[p.index()] == Some(guide)
                && place[p.index()].is_none()
            {
                place[p.index()] = Some(path.as_slice().into());
            }
            walk(&item.children, guide, path, of_page, place);
            path.pop();
        }
    }
    for (guide, g) in nav.guides.iter().enumerate() {
        walk(
            &g.menu,
            guide,
            &mut Vec::new(),
            &nav.of_page,
            &mut nav.place,
        );
    }
}

/// The guide of `folder` in `lang`, from `toc` (that language's `TOC.md`, or the one it
/// falls back on: then its broken links are reported once, for its own language).
fn toc_guide(
    site: &Site,
    folder: &str,
    lang: &str,
    toc: &Page,
    diagnostics: &mut Vec<Diagnostic>,
) -> Guide {
    let own = toc.lang == lang;
    let entries = guide_toc::parse(toc.body_of(&toc.source()), toc.body_line);
    // The pages listed but out of the menu: the guide's all the same (the first is where
    // a guide of such pages alone leads: Merchant Services' Composable Catalog Data Model).
    let mut hidden = hidden_entries(site, folder, lang, &entries);
    let mut resolve = |entry: &TocEntry, dest: &str| -> Option<Target> {
        match resolve_toc_link(site, folder, lang, dest) {
            // A page whose front matter has Adobe's `hidefromtoc: yes` is out of the
            // menu even where a `TOC.md` lists it, as `{hide-from-toc}` would have it.
            Some(Target::Page(p)) if site.pages[p].page.extra.hides_from_toc() => {
                hidden.push(p);
                None
            }
            Some(target) => Some(target),
            None => {
                if own {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "menu link to `{dest}`: no such page in content/"
                        ))
                        .in_file(&toc.file.display)
                        .with_source(toc.source())
                        .at(entry.line, entry.column)
                        .with_label("this entry"),
                    );
                }
                Some(Target::None)
            }
        }
    };
    let menu = menu_of(&entries, &mut resolve);
    let text = |key: &str| {
        toc.extra
            .get(key)
            .and_then(|v| v.as_str())
            .map(guide_toc::clean_label)
            .filter(|t| !t.is_empty())
    };
    let index = site.find(&index_key(folder), lang);
    Guide {
        lang: lang.to_string(),
        folder: folder.to_string(),
        title: text("user-guide-title").unwrap_or_else(|| toc.title.clone()),
        description: text("user-guide-description"),
        from_toc: true,
        first: index
            .or_else(|| first_page(&menu))
            .or_else(|| hidden.first().copied()),
        whole: menu_entries(&menu) <= MAX_WHOLE_MENU,
        toc_depth: toc.toc_depth(),
        badges: guide_badges(site, folder, lang, toc, own, diagnostics),
        menu,
        hidden,
    }
}

/// The pages of a `TOC.md`'s `{hide-from-toc}` entries and of the entries under them, at
/// any depth. One naming no page is no error: no reader sees it.
fn hidden_entries(site: &Site, folder: &str, lang: &str, entries: &[TocEntry]) -> Vec<PageId> {
    fn walk(entries: &[TocEntry], under_hidden: bool, found: &mut dyn FnMut(&str)) {
        for e in entries {
            let hidden = under_hidden || e.hidden;
            if let (true, Some(dest)) = (hidden, e.dest.as_deref()) {
                found(dest);
            }
            walk(&e.children, hidden, found);
        }
    }
    let mut pages = Vec::new();
    walk(entries, false, &mut |dest| {
        if let Some(Target::Page(p)) = resolve_toc_link(site, folder, lang, dest) {
            pages.push(p);
        }
    });
    pages
}

/// The badges of a guide's `TOC.md` (see [`Guide::badges`]); one naming no page is
/// reported, once (for the `TOC.md`'s own language), and shown without a link.
fn guide_badges(
    site: &Site,
    folder: &str,
    lang: &str,
    toc: &Page,
    own: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<GuideBadge> {
    crate::content::keyed_badges(&toc.extra)
        .map(|(key, badge)| {
            let target = match badge.url.as_deref() {
                None => Target::None,
                Some(url) => resolve_toc_link(site, folder, lang, url).unwrap_or_else(|| {
                    if own {
                        let broken = crate::bodies::broken_badge(&badge.label, url);
                        diagnostics.push(toc.diagnostic_at_key(broken, key));
                    }
                    Target::None
                }),
            };
            GuideBadge { badge, target }
        })
        .collect()
}

/// Each page joins the guide of its deepest `TOC.md` folder, if any; a page in none joins
/// the first guide whose menu lists it: Adobe's Commerce Learn guide keeps its `TOC.md`
/// in `help/home/` and lists the pages of `help/cloud/`, `help/b2b/`... beside it.
fn join_toc_guides(site: &Site, nav: &mut Navigation) {
    fn listed(items: &[MenuItem], guide: usize, of_page: &mut [Option<usize>]) {
        for item in items {
            if let Target::Page(p) = item.target {
                of_page[p.index()].get_or_insert(guide);
            }
            listed(&item.children, guide, of_page);
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        nav.of_page[i] = nav
            .guides
            .iter()
            .enumerate()
            .filter(|(_, g)| g.lang == p.lang() && in_folder(&p.page.key, &g.folder))
            .max_by_key(|(_, g)| g.folder.len())
            .map(|(g, _)| g);
    }
    for (g, guide) in nav.guides.iter().enumerate() {
        listed(&guide.menu, g, &mut nav.of_page);
        for p in &guide.hidden {
            nav.of_page[p.index()].get_or_insert(g);
        }
    }
}

/// A page in no `TOC.md` guide joins that of its top folder, whose menu is the folder tree.
fn add_folder_guides(site: &Site, nav: &mut Navigation) {
    let mut trees: BTreeMap<(String, String), Vec<PageId>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        if nav.of_page[i].is_some() {
            continue;
        }
        if let Some((top, _)) = p.page.key.split_once('/') {
            trees
                .entry((p.lang().to_string(), top.to_string()))
                .or_default()
                .push(PageId::at(i));
        }
    }
    // Each tree on a core of its own (a language's 10,000 roles are one).
    let menus: Vec<Vec<MenuItem>> = trees
        .par_iter()
        .map(|((_, top), members)| folder_menu(site, members, top))
        .collect();
    for (((lang, top), members), menu) in trees.into_iter().zip(menus) {
        let index = site.find(&index_key(&top), &lang);
        let guide = nav.guides.len();
        for &i in &members {
            nav.of_page[i.index()] = Some(guide);
        }
        nav.guides.push(Guide {
            title: index.map_or_else(|| folder_label(&top), |i| site.pages[i].page.title.clone()),
            description: index.and_then(|i| site.pages[i].page.description.clone()),
            from_toc: false,
            // A folder without an `_index` page starts at its first page.
            first: index.or_else(|| first_page(&menu)),
            whole: members.len() <= MAX_WHOLE_MENU,
            toc_depth: None,
            badges: Vec::new(),
            menu,
            hidden: Vec::new(),
            lang,
            folder: top,
        });
    }
}

fn index_key(folder: &str) -> String {
    if folder.is_empty() {
        "_index".to_string()
    } else {
        format!("{folder}/_index")
    }
}

fn in_folder(key: &str, folder: &str) -> bool {
    folder.is_empty()
        || key
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A TOC.md list as a menu; hidden entries are left out, and those `resolve` leaves out
/// (`None`).
fn menu_of(
    entries: &[TocEntry],
    resolve: &mut dyn FnMut(&TocEntry, &str) -> Option<Target>,
) -> Vec<MenuItem> {
    entries
        .iter()
        .filter(|e| !e.hidden)
        .filter_map(|e| {
            let target = match e.dest.as_deref() {
                Some(dest) => resolve(e, dest)?,
                None => Target::None,
            };
            let children = menu_of(&e.children, resolve);
            // A group whose entries are all hidden has nothing to show.
            if e.dest.is_none() && !e.children.is_empty() && children.is_empty() {
                return None;
            }
            Some(MenuItem::new(e.label.clone(), target, children))
        })
        .collect()
}

/// How many entries a menu has, at every level.
fn menu_entries(menu: &[MenuItem]) -> usize {
    menu.iter()
        .map(|item| 1 + menu_entries(&item.children))
        .sum()
}

fn first_page(menu: &[MenuItem]) -> Option<PageId> {
    menu.iter().find_map(|item| match item.target {
        Target::Page(i) => Some(i),
        _ => first_page(&item.children),
    })
}

/// A TOC.md link: a page of the guide's folder (or of the content root with a leading
/// `/`), in the guide's language if it has one; another destination as written. `None`
/// for a Markdown file that is no page.
fn resolve_toc_link(site: &Site, folder: &str, lang: &str, dest: &str) -> Option<Target> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    // A page of another site may end in `.md` too (a changelog on GitHub).
    if !path.ends_with(".md") || is_external(path) {
        return Some(Target::Url(dest.to_string()));
    }
    let stem = crate::text::trim_end_all(path, ".md");
    let joined = match stem.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if folder.is_empty() => stem.to_string(),
        None => format!("{folder}/{stem}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let key = parts.join("/");
    let key = crate::text::trim_end_all(&key, "/index");
    site.find(key, lang)
        .or_else(|| site.find(key, site.config.default_language()))
        .map(Target::Page)
}

/// The folder tree under `folder` as a menu: its pages by weight then title, then its
/// sub-folders as groups named by their `_index` page (or their name).
fn folder_menu(site: &Site, members: &[PageId], folder: &str) -> Vec<MenuItem> {
    let prefix = format!("{folder}/");
    let mut pages: Vec<PageId> = Vec::new();
    let mut subfolders: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
    for &i in members {
        let Some(rest) = site.pages[i].page.key.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((sub, _)) => subfolders.entry(sub).or_default().push(i),
            None if rest == "_index" => {}
            // Adobe's `hidefromtoc: yes`, as `{hide-from-toc}` in a `TOC.md`: the page is
            // built, out of the menu (the Knowledge Base has 41 such drafts).
            None if site.pages[i].page.extra.hides_from_toc() => {}
            None => pages.push(i),
        }
    }
    site.sort(&mut pages);
    let mut menu: Vec<MenuItem> = pages
        .into_iter()
        .map(|i| {
            MenuItem::new(
                site.pages[i].page.title.clone(),
                Target::Page(i),
                Vec::new(),
            )
        })
        .collect();
    for (sub, inside) in subfolders {
        let path = format!("{prefix}{sub}");
        let index = inside
            .iter()
            .copied()
            .find(|&i| site.pages[i].page.key == index_key(&path));
        let children = folder_menu(site, &inside, &path);
        if index.is_none() && children.is_empty() {
            continue;
        }
        menu.push(MenuItem::new(
            index.map_or_else(|| folder_label(sub), |i| site.pages[i].page.title.clone()),
            index.map_or(Target::None, Target::Page),
            children,
        ));
    }
    menu
}

/// A folder without an `_index` page as a menu names it, as MkDocs does:
/// `edge-delivery-services` -> `Edge delivery services`.
fn folder_label(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::push_relative_url;

    fn relative_url(from: &str, to: &str) -> String {
        let mut url = String::new();
        push_relative_url(&mut url, from, to, String::push_str);
        url
    }

    #[test]
    fn folders_without_an_index_are_named_from_their_name() {
        assert_eq!(
            super::folder_label("edge-delivery-services"),
            "Edge delivery services"
        );
        assert_eq!(super::folder_label("api_mesh"), "Api mesh");
        assert_eq!(super::folder_label("équipe"), "Équipe");
    }

    #[test]
    fn menu_urls_are_relative_to_the_page() {
        let from = "en/help/guide/a/page/index.html";
        let to = |path: &str| relative_url(from, path);
        assert_eq!(
            to("en/help/guide/a/other/index.html"),
            "../other/index.html"
        );
        assert_eq!(to(from), "index.html");
        assert_eq!(to("en/help/guide/a/page/sub/index.html"), "sub/index.html");
        assert_eq!(
            to("fr/help/x/index.html"),
            "../../../../../fr/help/x/index.html"
        );
        assert_eq!(
            relative_url("en/help/ab/index.html", "en/help/abc/index.html"),
            "../abc/index.html"
        );
        assert_eq!(
            relative_url("fr/équipe/index.html", "fr/èquipe/index.html"),
            "../èquipe/index.html"
        );
        assert_eq!(relative_url("index.html", "en/index.html"), "en/index.html");
        assert_eq!(relative_url("en/index.html", "index.html"), "../index.html");
        // What is left of the path is escaped, as a menu writes it.
        let mut escaped = String::new();
        push_relative_url(
            &mut escaped,
            "en/a/index.html",
            "en/b&c/index.html",
            super::escape_into,
        );
        assert_eq!(escaped, "../b&amp;c/index.html");
    }
}
