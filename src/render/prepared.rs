//! What every template of a site shares: the compiled templates with Tera's global
//! context, and per language the navigation, the UI strings and the team map.
//!
//! It is made from one value, [`SharedViews`], and keyed by that value's hash: `serve`
//! keeps it from one rebuild to the next while the key is the same (compiling templates
//! and drawing team maps are the slow part of it), and each page's key includes it (see
//! [`super::views`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Tera, Value};

use super::views::{GuideLink, GuideSection, Nav, SiteInfo, Summaries, Summary};
use crate::checklist;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::hash::{hash_all, hash_of};
use crate::site::navigation::{MenuItem, Target};
use crate::site::{PageId, STANDARD_SECTIONS, Site, root_prefix};
use crate::teammap::{self, MapNode, MapText, NodeKind, TeamMap};
use crate::theme::{Strings, Template, Theme};
use crate::typography::Typography;

/// What every job of a site shares (see the module's documentation).
pub(crate) struct Prepared {
    /// The hash of the [`SharedViews`] it was made from.
    pub(super) key: u64,
    /// Per language: the hash of what its pages see of it (the site-wide views and the
    /// language's own), so that a role's title edited in one language renders again the
    /// pages of that language only, and of what its pages but its home see of it: not its
    /// lists of roles, teams and guides (`nav.roles`, `nav.teams`, `nav.guides`), which
    /// the default theme shows on the home alone, nor its team map, which only the home
    /// gets. A role's title or description edited then renders again the pages that show
    /// it, not every page of its language.
    language_keys: BTreeMap<String, (u64, u64)>,
    /// Whether a template other than `home.html` may read the lists (see
    /// [`lists_beyond_home`]): then every page is keyed by them.
    lists_beyond_home: bool,
    /// Whether role pages get `told` (see [`shows_told`]).
    pub(super) told: bool,
    /// Each template under `fragments/`, by the name templates see it by (see
    /// [`fragments`]).
    pub(super) fragments: Vec<(String, String)>,
    /// The hash of every language's UI strings, typeset (what the language choice and
    /// the 404 page show of every language, beside their own language's context).
    pub(super) strings_key: u64,
    /// The compiled templates, with the site-wide global context.
    pub(super) tera: Tera,
    /// Per language: navigation (made when a page of the language is first rendered, see
    /// [`Prepared::nav`]) and UI strings, shared by its pages.
    nav: BTreeMap<String, std::sync::OnceLock<Value>>,
    pub(super) strings: BTreeMap<String, Value>,
    /// Per language: the team map's SVG, for the home page (which sits at `<lang>/`).
    pub(super) team_maps: BTreeMap<String, String>,
    /// Per language: the checklist page's title (a UI string).
    pub(super) checklist_titles: BTreeMap<String, String>,
    /// Each template's file and text, for error messages.
    pub(super) template_files: BTreeMap<String, (PathBuf, Arc<str>)>,
}

/// What [`Prepared`] is made of, as views of the site and the theme: cheap to build and
/// to hash at every rebuild, unlike what is made of them.
#[derive(Hash)]
pub(super) struct SharedViews<'a> {
    templates: &'a [Template],
    /// Each asset and the name pages link it by (see [`crate::assets`]).
    assets: &'a BTreeMap<String, String>,
    site: SiteInfo<'a>,
    languages: Vec<LanguageViews<'a>>,
}

/// What a language's pages share.
#[derive(Hash)]
struct LanguageViews<'a> {
    code: &'a str,
    nav: Nav<'a>,
    /// The UI strings, typeset (they are text of the page too).
    strings: Option<BTreeMap<&'a String, String>>,
    team_map: TeamMap,
    /// The team map's description for screen readers.
    map_description: String,
    typography: Typography,
}

impl<'a> SharedViews<'a> {
    pub(super) fn of(
        theme: &'a Theme,
        site: &'a Site,
        assets: &'a BTreeMap<String, String>,
        summaries: &'a Summaries,
    ) -> SharedViews<'a> {
        let config = &site.config;
        SharedViews {
            templates: &theme.templates,
            assets,
            site: SiteInfo {
                title: config
                    .title
                    .iter()
                    .map(|(lang, title)| (lang, config.typography(lang).apply(title)))
                    .collect(),
                languages: &config.languages,
                default_language: config.default_language(),
                base_url: config.base_url.as_deref(),
                id: checklist::site_identity(config),
                options: &config.theme_options,
            },
            // A language's lists and team map go over its pages: one language a core.
            languages: config
                .languages
                .par_iter()
                .map(|l| LanguageViews::of(site, &theme.strings, &l.code, summaries))
                .collect(),
        }
    }
}

impl SharedViews<'_> {
    /// Each language's site title, typeset, for the pages' contexts (made once here
    /// rather than for every page).
    pub(super) fn site_titles(&self) -> BTreeMap<String, String> {
        self.site
            .title
            .iter()
            .map(|(lang, title)| ((*lang).clone(), title.clone()))
            .collect()
    }
}

impl<'a> LanguageViews<'a> {
    fn of(
        site: &'a Site,
        strings: &'a Strings,
        code: &'a str,
        summaries: &'a Summaries,
    ) -> LanguageViews<'a> {
        let typography = site.config.typography(code);
        let strings: Option<BTreeMap<&String, String>> = strings.get(code).map(|s| {
            s.iter()
                .map(|(key, text)| (key, typography.apply(text)))
                .collect()
        });
        let team_map = team_map(site, code);
        let count = |kind| team_map.nodes.iter().filter(|n| n.kind == kind).count();
        let map_description = ui(strings.as_ref(), "team_map_desc")
            .replace("{roles}", &count(NodeKind::Role).to_string())
            .replace("{teams}", &count(NodeKind::Team).to_string());
        LanguageViews {
            code,
            nav: nav(site, code, summaries),
            strings,
            team_map,
            map_description,
            typography,
        }
    }
}

/// Whether a template other than `home.html` may read a language's lists of roles, teams
/// and guides: if it names `nav` other than by a field of the menu (`nav.roles_url`,
/// `nav.pages`...).
fn lists_beyond_home(templates: &[Template]) -> bool {
    let beside_home = templates.iter().filter(|t| t.name != "home.html");
    names_any(beside_home, |name, field| {
        name == "nav" && !field.is_some_and(|f| Nav::MENU.contains(&f))
    })
}

/// Whether a tag of one of `templates` names a variable that `named` takes (its name,
/// and the field after it if any), or one of them cannot be read for its tags.
fn names_any<'t>(
    templates: impl IntoIterator<Item = &'t Template>,
    named: impl Fn(&str, Option<&str>) -> bool,
) -> bool {
    templates.into_iter().any(|t| {
        crate::template_scan::tags(&t.source).is_none_or(|tags| {
            tags.iter().any(|tag| {
                crate::template_scan::names(tag)
                    .iter()
                    .any(|&(name, field)| named(name, field))
            })
        })
    })
}

/// The templates under `fragments/` (`fragments/head.html`), each with the name templates
/// see it by (`fragments.head`): what is the same on every page of a language at one
/// depth (the style sheet and scripts, the site's title and menu button, the search form,
/// the footer), rendered once for them (see `Renderer::fragments`). In every page, the
/// default theme's took 3.3% of a first build's instructions at 2,000 pages.
fn fragments(templates: &[Template]) -> Vec<(String, String)> {
    templates
        .iter()
        .filter_map(|t| {
            let name = t.name.strip_prefix("fragments/")?.strip_suffix(".html")?;
            Some((name.to_string(), t.name.clone()))
        })
        .collect()
}

/// Whether the theme has `told.html` and a template shows `told`, what a role must tell
/// each team it depends on rendered from it (see `Renderer::told`): a theme of its own
/// whose `role.html` loops over `page.depends_on` itself gets nothing rendered for it.
fn shows_told(templates: &[Template]) -> bool {
    templates.iter().any(|t| t.name == "told.html")
        && names_any(templates, |name, _| name == "told")
}

/// A UI string, or nothing.
fn ui<'s>(strings: Option<&'s BTreeMap<&String, String>>, key: &str) -> &'s str {
    strings
        .and_then(|s| s.get(&key.to_string()))
        .map_or("", String::as_str)
}

/// A language's menu and lists: a menu entry only for what the language has.
fn nav<'a>(site: &'a Site, code: &'a str, summaries: &'a Summaries) -> Nav<'a> {
    let list = |kind| -> Vec<Summary<'a>> {
        site.of_kind(kind, code)
            .iter()
            .map(|&i| Summary::of(site, i, summaries))
            .collect()
    };
    let section = |name: &str| {
        site.find(&format!("{name}/_index"), code)
            .map(|i| site.pages[i].path.clone())
    };
    let roles = list(Kind::Role);
    let teams = list(Kind::Team);
    let url_if = |has: bool, url: Option<String>| url.filter(|_| has).unwrap_or_default();
    Nav {
        home: site.home(code).map_or("", |i| site.pages[i].path.as_str()),
        roles_url: url_if(!roles.is_empty(), section("roles")),
        teams_url: url_if(!teams.is_empty(), section("teams")),
        checklist_url: url_if(
            checklist::has_items(site, code),
            Some(checklist::page_path(code)),
        ),
        roles,
        teams,
        // The header lists the pages at the content root; pages in folders are in their
        // guide's sidebar.
        pages: site
            .of_kind(Kind::Page, code)
            .iter()
            .copied()
            .filter(|&i| !site.pages[i].page.key.contains('/'))
            .map(|i| Summary::of(site, i, summaries))
            .collect(),
        guides: site
            .navigation
            .guides_in(code)
            // Roles and teams have sections of their own on the home; a folder of other
            // pages without a `TOC.md` (Adobe's Knowledge Base, 1,180 articles in one
            // folder) is a guide, or the home would lead nowhere.
            .filter(|g| g.from_toc || !STANDARD_SECTIONS.contains(&g.folder.as_str()))
            .map(|g| GuideLink {
                title: &g.title,
                description: g.description.as_deref(),
                url: g.first.map_or("", |i| site.pages[i].path.as_str()),
                sections: g
                    .menu
                    .iter()
                    .filter_map(|item| {
                        let first = first_page(item)?;
                        Some(GuideSection {
                            label: &item.label,
                            url: site.pages[first].path.as_str(),
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The page a menu entry leads to: its own, or for a group its first entry's (a link
/// out of the site leads to none).
fn first_page(item: &MenuItem) -> Option<PageId> {
    match item.target {
        Target::Page(i) => Some(i),
        Target::Url(_) => None,
        Target::None => item.children.iter().find_map(first_page),
    }
}

/// A theme's templates compiled, by [`Compiled::of`]: a build compiles them beside the
/// stage before its pages (see `pipeline`), where a core would otherwise wait.
pub(crate) struct Compiled {
    tera: Result<Tera, Vec<Diagnostic>>,
    /// Each template's file and text, by name, for its errors.
    files: BTreeMap<String, (PathBuf, Arc<str>)>,
}

impl Compiled {
    pub(crate) fn of(templates: &[Template]) -> Compiled {
        let files: BTreeMap<String, (PathBuf, Arc<str>)> = templates
            .iter()
            .map(|t| (t.name.clone(), (t.file.clone(), t.source.clone())))
            .collect();
        Compiled {
            tera: super::compile(templates, &files),
            files,
        }
    }
}

impl Prepared {
    /// Makes what pages share, from `views` alone, with their templates as `compiled`
    /// (compiled now if `None`).
    pub(super) fn make(
        views: &SharedViews<'_>,
        compiled: Option<Compiled>,
    ) -> Result<Prepared, Vec<Diagnostic>> {
        let Compiled {
            tera,
            files: template_files,
        } = compiled.unwrap_or_else(|| Compiled::of(views.templates));
        let mut tera = tera?;
        let global = tera.global_context();
        global.insert("site", &views.site);
        global.insert("assets", views.assets);
        let site_wide = hash_of(&(views.templates, views.assets, &views.site));
        let mut prepared = Prepared {
            key: hash_of(views),
            language_keys: views
                .languages
                .iter()
                .map(|l| {
                    let beside_lists = (&l.nav.menu(), &l.strings, l.typography);
                    let keys = (
                        hash_of(&(site_wide, l)),
                        hash_of(&(site_wide, l.code, beside_lists)),
                    );
                    (l.code.to_string(), keys)
                })
                .collect(),
            lists_beyond_home: lists_beyond_home(views.templates),
            told: shows_told(views.templates),
            fragments: fragments(views.templates),
            strings_key: hash_all(views.languages.iter().map(|l| (l.code, &l.strings))),
            tera,
            nav: BTreeMap::new(),
            strings: BTreeMap::new(),
            team_maps: BTreeMap::new(),
            checklist_titles: BTreeMap::new(),
            template_files,
        };
        for language in &views.languages {
            prepared.add_language(language);
        }
        Ok(prepared)
    }

    /// The key of what the pages of language `lang` see of it, with its lists and team
    /// map or not (the whole key for a language it does not know).
    pub(super) fn language_key(&self, lang: &str, lists: bool) -> u64 {
        match self.language_keys.get(lang) {
            Some(&(all, _)) if lists || self.lists_beyond_home => all,
            Some(&(_, beside_lists)) => beside_lists,
            None => self.key,
        }
    }

    fn add_language(&mut self, views: &LanguageViews<'_>) {
        let code = views.code.to_string();
        let strings = views.strings.as_ref();
        self.nav.insert(code.clone(), std::sync::OnceLock::new());
        self.strings
            .insert(code.clone(), Value::from_serializable(&views.strings));
        self.checklist_titles
            .insert(code.clone(), ui(strings, "checklists").to_string());
        // A map of hundreds of boxes helps nobody and weighs megabytes: past that, none
        // (and none is made, see `team_map`); and none of no box (a documentation site
        // has no roles and no teams).
        let map = &views.team_map;
        if map.nodes.is_empty() {
            self.team_maps.insert(code, String::new());
            return;
        }
        let text = MapText {
            title: ui(strings, "team_map"),
            description: &views.map_description,
            works_with: ui(strings, "map_works_with"),
            keeps_informed: ui(strings, "map_keeps_informed"),
            typography: views.typography,
        };
        // Wide for screens, narrow for phones: the theme's CSS shows one.
        let both = format!(
            "<div class=\"team-map-wide\">{}</div><div class=\"team-map-narrow\">{}</div>",
            teammap::svg(map, &text, "team-map", &teammap::Size::WIDE),
            teammap::svg(map, &text, "team-map-narrow", &teammap::Size::NARROW)
        );
        self.team_maps.insert(code, both);
    }

    /// The navigation of language `lang` as a Tera value, made from `site` the first time a
    /// page of the language renders: it lists every role and team with its summary, which
    /// a build after one edit, rendering a page or two of one language, no longer makes
    /// for every page of every language (nor a build after a `touch`, rendering none).
    pub(super) fn nav(&self, lang: &str, site: &Site, summaries: &Summaries) -> Option<&Value> {
        let cell = self.nav.get(lang)?;
        Some(cell.get_or_init(|| {
            let nav = nav(site, lang, summaries);
            // The summaries' values are made in parallel first (made in turn as the menu
            // was serialized, they took a tenth of a build after one edit at 20,000
            // pages, on one thread).
            nav.roles
                .par_iter()
                .chain(&nav.teams)
                .chain(&nav.pages)
                .for_each(|summary| {
                    summary.value();
                });
            Value::from_serializable(&nav)
        }))
    }
}

/// A language's roles and outside teams as a graph, links relative to its home page.
fn team_map(site: &Site, lang: &str) -> TeamMap {
    // One too large to draw is not made (nor its 10,000 boxes' labels and links, at
    // 20,000 pages, at every build): none is drawn either way (see `add_language`).
    let boxes = site.of_kind(Kind::Role, lang).len() + site.of_kind(Kind::Team, lang).len();
    if boxes > teammap::MAX_NODES {
        return TeamMap::default();
    }
    let home = site.home(lang).map_or("", |h| site.pages[h].path.as_str());
    let root = root_prefix(home);
    let mut index: BTreeMap<PageId, usize> = BTreeMap::new();
    let mut map = TeamMap::default();
    for (kind, node_kind) in [(Kind::Role, NodeKind::Role), (Kind::Team, NodeKind::Team)] {
        for &i in site.of_kind(kind, lang) {
            index.insert(i, map.nodes.len());
            map.nodes.push(MapNode {
                label: site.pages[i].page.title.clone(),
                href: format!("{root}{}", site.pages[i].path),
                kind: node_kind,
            });
        }
    }
    // Links to a page missing in this language (resolved in the default one) are left out.
    for (&page, &node) in &index {
        let p = &site.pages[page];
        map.works_with.extend(
            p.works_with
                .iter()
                .filter_map(|j| index.get(j))
                .map(|&other| (node, other)),
        );
        map.depends_on.extend(
            p.depends_on
                .iter()
                .filter_map(|j| index.get(j))
                .map(|&other| (node, other)),
        );
    }
    map
}
