//! What templates receive. Each template's context is made from one value of this module
//! ([`JobContext`]), and the key that tells `serve` whether an output can be reused is
//! the hash of that same value: a field added to a view is in the context and in the key,
//! with nothing else to update. Two views hash what their fields are made from instead,
//! a key kept with the page's body: a page's own fields ([`PageView`]) and what lists show
//! of a page ([`Summary`]); hashing those fields for every page was most of a rebuild's
//! time on a large site. What all templates share (navigation, UI strings, the
//! site's title, the compiled templates) is a [`Prepared`], keyed the same way (see
//! [`super::prepared`]); a context names it by that key.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Value};

use super::prepared::Prepared;
use crate::checklist::{self, LanguageChecklists, PartLink};
use crate::checklist_item::Checklist;
use crate::content::Kind;
use crate::site::navigation::Sidebar;
use crate::site::{Html, PageId, Site};

/// The context of a job that has a template.
#[derive(Hash)]
#[expect(
    clippy::large_enum_variant,
    reason = "made once per job, in the box of its `Source::Template`: never moved by value"
)]
pub(super) enum JobContext<'a> {
    Page(PageContext<'a>),
    Checklist(ChecklistContext<'a>),
    /// The language choice and the 404 page.
    Special(SpecialContext<'a>),
}

impl JobContext<'_> {
    /// The values of the job's language.
    pub(super) fn language(&self) -> &LanguageContext<'_> {
        match self {
            JobContext::Page(page) => &page.language,
            JobContext::Checklist(checklist) => &checklist.language,
            JobContext::Special(special) => &special.language,
        }
    }

    /// The Tera context: the view's fields, the shared values of its language, and the
    /// HTML the view holds, marked safe.
    pub(super) fn context(&self) -> Result<Context, tera::Error> {
        // Each value put in under its name, rather than the view serialized whole and
        // taken apart again: that made a map of it, then a copy of each name.
        let mut context = Context::new();
        match self {
            JobContext::Page(page) => {
                page.language.insert_into(&mut context);
                put(&mut context, "page", &page.page)?;
                put(&mut context, "other_languages", &page.other_languages)?;
                context.insert_value("content", Value::safe_string(&page.content.text()));
                if let Some(sidebar) = &page.sidebar {
                    context.insert_value("sidebar", Value::safe_string(&sidebar.html()));
                }
                if let Some(contact) = &page.contact {
                    context.insert_value("contact", Value::safe_string(contact));
                }
                if let Some(map) = page.team_map {
                    context.insert_value("team_map", Value::safe_string(map));
                }
                Ok(context)
            }
            JobContext::Checklist(checklist) => {
                checklist.language.insert_into(&mut context);
                put(&mut context, "page", &checklist.page)?;
                put(&mut context, "other_languages", &checklist.other_languages)?;
                put(&mut context, "checklists", &checklist.checklists)?;
                put(&mut context, "checklist_parts", &checklist.checklist_parts)?;
                put(&mut context, "checklist_ids", &checklist.checklist_ids)?;
                put(&mut context, "checklist_next", &checklist.checklist_next)?;
                Ok(context)
            }
            JobContext::Special(special) => {
                special.language.insert_into(&mut context);
                put(&mut context, "homes", &special.homes)?;
                let prepared = special.language.shared.prepared;
                let strings: BTreeMap<&str, &Value> = prepared
                    .strings
                    .iter()
                    .map(|(lang, v)| (lang.as_str(), v))
                    .collect();
                put(&mut context, "all_strings", &strings)?;
                Ok(context)
            }
        }
    }
}

/// What was prepared for every template of the site, seen from one language. In a key:
/// the key of what the language's pages see of what was prepared (see
/// [`Prepared::language_key`]) and the language.
pub(super) struct Shared<'a> {
    pub prepared: &'a Prepared,
    pub lang: &'a str,
    /// Whether the page is its language's home, which shows its lists of roles and
    /// teams and its team map.
    pub home: bool,
    /// What the language's navigation is made from, when a page first needs it.
    pub site: &'a Site,
    pub summaries: &'a Summaries,
}

impl Hash for Shared<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.prepared.language_key(self.lang, self.home).hash(state);
        self.lang.hash(state);
    }
}

/// What every template of a language receives.
#[derive(Hash)]
pub(super) struct LanguageContext<'a> {
    pub lang: &'a str,
    pub dir: &'a str,
    /// The way from the page to the site's root (`../../`).
    pub root: String,
    pub site_title: &'a str,
    /// The navigation and UI strings, prepared once for all pages.
    pub shared: Shared<'a>,
}

/// Puts `value` in `context` under `name` (an error, not a panic, if it cannot be made
/// a Tera value).
fn put<T: Serialize + ?Sized>(
    context: &mut Context,
    name: &'static str,
    value: &T,
) -> Result<(), tera::Error> {
    context.insert_value(name, Value::try_from_serializable(value)?);
    Ok(())
}

impl LanguageContext<'_> {
    /// Its values, and what was prepared for its pages.
    pub(super) fn insert_into(&self, context: &mut Context) {
        context.insert_value("lang", Value::from(self.lang));
        context.insert_value("dir", Value::from(self.dir));
        context.insert_value("root", Value::from(self.root.as_str()));
        context.insert_value("site_title", Value::from(self.site_title));
        self.insert_shared(context);
    }

    fn insert_shared(&self, context: &mut Context) {
        let Shared {
            prepared,
            lang,
            home: _,
            site,
            summaries,
        } = self.shared;
        // A page in a guide replaces it with its guide's menu.
        context.insert("sidebar", "");
        if let Some(nav) = prepared.nav(lang, site, summaries) {
            context.insert_value("nav", nav.clone());
        }
        if let Some(t) = prepared.strings.get(lang) {
            context.insert_value("t", t.clone());
        }
    }
}

/// The context of `told.html`: the language's values, as a page of it at that depth has
/// them, and one `team` of a role's `depends_on` (see `Renderer::told`).
pub(super) fn told_context(
    language: &LanguageContext<'_>,
    team: &Summary<'_>,
) -> Result<Context, tera::Error> {
    let mut context = Context::new();
    language.insert_into(&mut context);
    put(&mut context, "team", team)?;
    Ok(context)
}

/// A page's template context.
#[derive(Hash)]
pub(super) struct PageContext<'a> {
    pub language: LanguageContext<'a>,
    pub page: PageView<'a>,
    /// Each other language: the page's translation, or that language's home.
    pub other_languages: Vec<Translation<'a>>,
    /// The rendered body.
    pub content: &'a Html,
    /// The guide's menu, for a page in a guide.
    pub sidebar: Option<Sidebar<'a>>,
    /// A team's contact, email addresses as links (HTML).
    pub contact: Option<String>,
    /// The team map (SVG), on a home page.
    pub team_map: Option<&'a str>,
}

/// A part of a language's checklist page.
#[derive(Hash)]
pub(super) struct ChecklistContext<'a> {
    pub language: LanguageContext<'a>,
    pub page: ChecklistPageView<'a>,
    pub other_languages: Vec<Translation<'a>>,
    pub checklists: ChecklistsView<'a>,
    pub checklist_parts: Vec<PartLink<'a>>,
    pub checklist_ids: String,
    pub checklist_next: Option<usize>,
}

/// A language's checklists (or a part of them) as `checklists.html` shows them: each
/// group with its key as an HTML id (`anchor`, as a summary has it) and its progress's
/// text, and the language's progress with its text (see [`ProgressView`]). The template
/// made them with six filters a group, a thousand groups a language on a site of 2,000
/// pages.
pub(super) struct ChecklistsView<'a> {
    pub checklists: LanguageChecklists<'a>,
    /// The language's `progress` string (see [`Summaries::progress`]).
    pub progress: &'a str,
}

impl Hash for ChecklistsView<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (&self.checklists, self.progress).hash(h);
    }
}

impl Serialize for ChecklistsView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &self.checklists;
        let mut fields = s.serialize_struct("Checklists", 4)?;
        fields.serialize_field("teams", &group_views(&c.teams, self.progress))?;
        fields.serialize_field("roles", &group_views(&c.roles, self.progress))?;
        fields.serialize_field("pages", &group_views(&c.pages, self.progress))?;
        let progress = ProgressView {
            progress: c.progress,
            text: self.progress,
        };
        fields.serialize_field("progress", &progress)?;
        fields.end()
    }
}

fn group_views<'g>(
    groups: &'g [checklist::ChecklistGroup<'g>],
    progress: &'g str,
) -> Vec<GroupView<'g>> {
    groups
        .iter()
        .map(|group| GroupView { group, progress })
        .collect()
}

/// One page's checklist on the checklist page (see [`ChecklistsView`]).
struct GroupView<'g> {
    group: &'g checklist::ChecklistGroup<'g>,
    progress: &'g str,
}

impl Serialize for GroupView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let g = self.group;
        let mut fields = s.serialize_struct("Group", 7)?;
        fields.serialize_field("kind", &g.kind)?;
        fields.serialize_field("key", g.key)?;
        fields.serialize_field("anchor", &Anchor(g.key))?;
        fields.serialize_field("title", g.title)?;
        fields.serialize_field("url", g.url)?;
        fields.serialize_field("items", &g.items)?;
        let progress = ProgressView {
            progress: g.progress,
            text: self.progress,
        };
        fields.serialize_field("progress", &progress)?;
        fields.end()
    }
}

/// The language choice and the 404 page: each language's home (and, from what was
/// prepared, every language's UI strings).
#[derive(Hash)]
pub(super) struct SpecialContext<'a> {
    pub language: LanguageContext<'a>,
    pub homes: Vec<Translation<'a>>,
    /// The key of every language's UI strings ([`Prepared::strings_key`]): these pages
    /// show them all (`all_strings`). Not the key of everything prepared: a title edited
    /// in one language made them again, and made the default language's lists for them.
    pub all_strings: u64,
}

/// What a page template shows of its page.
#[derive(Serialize)]
pub(super) struct PageView<'a> {
    /// What the page's own fields are made from: its body's key (its file's text, its
    /// title, its URL and the site's URLs, the files its includes read) and its key.
    #[serde(skip)]
    pub made_from: (u64, &'a str),
    pub title: &'a str,
    /// The body's own `# Title`, when it words the title otherwise (see
    /// [`crate::site::Body::heading`]): what the page shows as its `<h1>`.
    pub heading: Option<&'a str>,
    pub description: Option<&'a str>,
    /// The description as the page's lead: none when the body opens with its words (see
    /// [`crate::site::Body::repeats_description`]).
    pub lead: Option<&'a str>,
    /// See [`crate::content::Adobe`].
    pub seo: &'a crate::content::Seo,
    /// Its own, then its guide's (see [`crate::content::Adobe::badges`]).
    pub badges: Cow<'a, [crate::markdown::afm::FrontBadge]>,
    /// Search engines are asked not to index it (see [`crate::content::Page::is_hidden`]).
    pub noindex: bool,
    pub kind: Kind,
    pub key: &'a str,
    pub url: &'a str,
    pub permalink: Permalink<'a>,
    pub section: Option<&'a str>,
    pub toc: &'a [crate::markdown::Heading],
    pub responsibilities: &'a [String],
    pub skills: &'a [String],
    pub risks: &'a [String],
    pub contact: Option<&'a str>,
    pub checklist: Checklist<'a>,
    pub progress: ProgressView<'a>,
    pub extra: &'a crate::content::Extra,
    pub works_with: Vec<Summary<'a>>,
    pub depends_on: Vec<Summary<'a>>,
    pub depended_by: Vec<Summary<'a>>,
    pub members: Vec<Summary<'a>>,
    pub translations: Vec<Translation<'a>>,
}

/// Hashed by what its own fields are made from ([`PageView::made_from`]) rather than by
/// those fields: they were most of the cost of keying every page at each of `serve`'s
/// rebuilds (the checklist's texts, the lists, the `extra` map). The other pages it lists
/// and its translations are hashed as they are. A field added to the view must be either
/// made from the page alone, or hashed here: the pattern below names every field so that
/// one added does not compile until it is decided.
impl Hash for PageView<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let PageView {
            made_from,
            title: _,
            heading: _,
            description: _,
            lead: _,
            seo: _,
            badges: _,
            noindex: _,
            kind: _,
            key: _,
            url: _,
            // Its URL's, with `site.base_url`, which the language's key holds.
            permalink: _,
            section: _,
            toc: _,
            responsibilities: _,
            skills: _,
            risks: _,
            contact: _,
            checklist: _,
            progress: _,
            extra: _,
            works_with,
            depends_on,
            depended_by,
            members,
            translations,
        } = self;
        made_from.hash(h);
        (works_with, depends_on, depended_by, members).hash(h);
        translations.hash(h);
    }
}

/// What `base.html` needs of the generated checklist page.
#[derive(Hash, Serialize)]
pub(super) struct ChecklistPageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub kind: &'a str,
    pub key: &'a str,
    pub url: String,
    pub permalink: Option<String>,
    pub translations: Vec<Translation<'a>>,
}

/// A page in another language, as the language switcher and `hreflang` links show it:
/// `lang`, `name`, `url` and `permalink` (see [`Permalink`]).
#[derive(Clone)]
pub(super) struct Translation<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub url: Cow<'a, str>,
    /// `site.base_url`, which its permalink is made with.
    pub base: Option<&'a str>,
}

impl Serialize for Translation<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = s.serialize_struct("Translation", 4)?;
        fields.serialize_field("lang", self.lang)?;
        fields.serialize_field("name", self.name)?;
        fields.serialize_field("url", &self.url)?;
        fields.serialize_field("permalink", &Permalink::of(self.base, &self.url))?;
        fields.end()
    }
}

/// Hashed by what it is made from but `base`, which the language's key holds.
impl Hash for Translation<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.lang, self.name, &self.url).hash(h);
    }
}

/// The address of a page on the web (see [`super::Renderer::permalink`]), made when a
/// template is given it: keying every page at each build made its own and its
/// translations', two texts a page, for nothing (1% of the instructions of a build after
/// a title edit at 20,000 pages, which renders 40 of its 21,000 files). `None` without a
/// `base_url`.
pub(super) struct Permalink<'a> {
    base: Option<&'a str>,
    url: &'a str,
}

impl<'a> Permalink<'a> {
    pub(super) fn of(base: Option<&'a str>, url: &'a str) -> Permalink<'a> {
        Permalink { base, url }
    }
}

impl Serialize for Permalink<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.base {
            Some(base) => s.serialize_some(&crate::site::web_address(base, self.url)),
            None => s.serialize_none(),
        }
    }
}

/// What lists and links show of a page.
#[derive(Serialize)]
struct Shown<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    key: &'a str,
    /// The key as an HTML id (see [`Anchor`]).
    anchor: Anchor<'a>,
    kind: Kind,
    progress: ProgressView<'a>,
    /// The items, in a role's `depends_on` only (see [`Summary::told`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<Checklist<'a>>,
}

/// What lists and links show of a page ([`Shown`]), with a key of it and its Tera value,
/// made once per page and build (see [`Summaries`]): a section lists every role, each
/// role its related pages and each team the roles that depend on it. Hashing each of
/// their summaries whole wherever it is listed was most of the cost of keying the jobs,
/// and serializing them again into every context that lists them was 7% of a first
/// build's CPU at 20,000 pages. Templates see the fields alone.
pub(super) struct Summary<'a> {
    shown: Shown<'a>,
    key: u64,
    value: &'a OnceLock<Value>,
}

impl Serialize for Summary<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Into a Tera context, a `Value` is cloned, not serialized again (its maps and
        // lists are shared).
        match self.value() {
            Some(value) => value.serialize(s),
            None => self.shown.serialize(s),
        }
    }
}

impl Summary<'_> {
    /// Its Tera value, made the first time it is asked for (`None` if it cannot be made:
    /// it is then serialized as it is).
    pub(super) fn value(&self) -> Option<&Value> {
        if let Some(value) = self.value.get() {
            return Some(value);
        }
        let value = Value::try_from_serializable(&self.shown).ok()?;
        Some(self.value.get_or_init(|| value))
    }
}

impl Hash for Summary<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // Of the items too when it shows them (`Body::shown`), else of their progress
        // (`Body::listed`).
        self.key.hash(h);
        self.shown.checklist.is_some().hash(h);
    }
}

/// A page's key as an HTML id, `/` as `-` (`teams/warehouse` -> `teams-warehouse`): made
/// once per page and build with its summary's value, where `role.html` made it with two
/// `replace` filters for each team a role depends on (0.85% of a first build's
/// instructions at 2,000 pages).
struct Anchor<'a>(&'a str);

impl Serialize for Anchor<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.replace('/', "-"))
    }
}

/// The Tera value of each page's [`Shown`], made the first time the page is rendered in
/// a list in a build: without its checklist's items, and with them for the teams that
/// roles depend on.
pub(crate) struct Summaries {
    plain: Vec<OnceLock<Value>>,
    told: Vec<OnceLock<Value>>,
    /// Per language, in `site.yaml`'s order: its code, its `progress` UI string as pages
    /// show it (see [`ProgressView`]) and a key of it.
    progress: Vec<Progress>,
    /// Per page, the place of its language in `progress`: a summary is made wherever its
    /// page is listed, six times a page at 20,000 pages, and looking its language up by
    /// name each time, twice, was 2.5% of the instructions of a build after a title edit.
    language_of: Vec<Option<usize>>,
}

/// A language's `progress` UI string, as [`Summaries`] keeps it.
struct Progress {
    lang: String,
    text: String,
    key: u64,
}

impl Summaries {
    pub(crate) fn new(site: &Site, strings: &crate::theme::Strings) -> Summaries {
        let cells = || site.pages.iter().map(|_| OnceLock::new()).collect();
        let progress = site
            .config
            .languages
            .iter()
            .map(|l| {
                let text = strings
                    .get(&l.code)
                    .and_then(|s| s.get("progress"))
                    .map_or(String::new(), |t| site.config.typography(&l.code).apply(t));
                let key = crate::hash::hash_of(&text);
                Progress {
                    lang: l.code.clone(),
                    text,
                    key,
                }
            })
            .collect::<Vec<_>>();
        let language_of = site
            .pages
            .iter()
            .map(|p| progress.iter().position(|l| l.lang == p.lang()))
            .collect();
        Summaries {
            plain: cells(),
            told: cells(),
            progress,
            language_of,
        }
    }

    /// The `progress` string of page `i`'s language.
    fn of_page(&self, i: PageId) -> Option<&Progress> {
        self.progress
            .get(self.language_of.get(i.index()).copied()??)
    }

    /// `progress` as a page of language `lang` shows it.
    pub(super) fn progress(&self, lang: &str, progress: checklist::Progress) -> ProgressView<'_> {
        ProgressView {
            progress,
            text: self.progress_text(lang),
        }
    }

    /// Language `lang`'s `progress` string, as its pages show it.
    pub(super) fn progress_text(&self, lang: &str) -> &str {
        self.of_language(lang).map_or("", |l| &l.text)
    }

    fn of_language(&self, lang: &str) -> Option<&Progress> {
        self.progress.iter().find(|l| l.lang == lang)
    }
}

/// A checklist's progress as templates show it: its counts, and `text`, the language's
/// `progress` UI string (`{done} of {total} done`) with them. `progress.html` made that
/// text with four filters (`replace` and `str`, twice), and a filter given arguments
/// builds a map of them at each call: 2.7% of a first build's instructions on a generated
/// site of 800 roles, each with its own checklist and two teams' (callgrind). Made in the
/// language of the page it is the progress of, as its title is.
pub(super) struct ProgressView<'a> {
    progress: checklist::Progress,
    /// The language's string, its text made when it is serialized: a summary's value is
    /// made once per build, where a summary is made wherever its page is listed.
    text: &'a str,
}

impl Serialize for ProgressView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let checklist::Progress { done, total } = self.progress;
        let text = with_counts(self.text, done, total);
        let mut fields = s.serialize_struct("Progress", 3)?;
        fields.serialize_field("done", &done)?;
        fields.serialize_field("total", &total)?;
        fields.serialize_field("text", &text)?;
        fields.end()
    }
}

/// `text` with each `{done}` and `{total}` in it replaced by the counts, in one pass (two
/// `replace` calls, each making a searcher and a copy for every progress bar of a build,
/// were 0.5% of a first build's instructions at 2,000 pages).
fn with_counts(text: &str, done: usize, total: usize) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'{', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let brace = &rest[at..];
        rest = if let Some(after) = brace.strip_prefix("{done}") {
            let _ = write!(out, "{done}");
            after
        } else if let Some(after) = brace.strip_prefix("{total}") {
            let _ = write!(out, "{total}");
            after
        } else {
            out.push('{');
            &brace[1..]
        };
    }
    out.push_str(rest);
    out
}

impl<'a> Summary<'a> {
    /// Page `i` in a list, with its checklist's progress. Not its items: a language's
    /// menu and its roles section list every role, and their items as Tera values, kept
    /// for the build, were a fifth of a first build's peak memory at 20,000 pages (390
    /// against 312 MiB).
    pub(super) fn of(site: &'a Site, i: PageId, values: &'a Summaries) -> Summary<'a> {
        let p = &site.pages[i];
        let language = values.of_page(i);
        let shown = Shown {
            title: &p.page.title,
            description: p.page.description.as_deref(),
            url: &p.path,
            key: &p.page.key,
            anchor: Anchor(&p.page.key),
            kind: p.page.kind,
            progress: ProgressView {
                progress: p.progress(),
                text: language.map_or("", |l| &l.text),
            },
            checklist: None,
        };
        Summary {
            shown,
            // Its body's key of the same fields, made with the body (and kept with it
            // from one rebuild to the next) rather than hashed again at each rebuild.
            key: p.body.listed ^ language.map_or(0, |l| l.key),
            value: &values.plain[i.index()],
        }
    }

    /// Page `i` in a role's `depends_on`, with its checklist's items: what the role must
    /// tell that team.
    pub(super) fn told(site: &'a Site, i: PageId, values: &'a Summaries) -> Summary<'a> {
        let mut summary = Summary::of(site, i, values);
        summary.shown.checklist = Some(site.pages[i].checklist());
        summary.key = site.pages[i].body.shown ^ values.of_page(i).map_or(0, |l| l.key);
        summary.value = &values.told[i.index()];
        summary
    }
}

/// The site-wide values of Tera's global context (`site`).
#[derive(Hash, Serialize)]
pub(super) struct SiteInfo<'a> {
    pub title: BTreeMap<&'a String, String>,
    pub languages: &'a [crate::config::Language],
    pub default_language: &'a str,
    pub base_url: Option<&'a str>,
    /// Tells this site's checklist ticks apart from another's in the browser.
    pub id: String,
    pub options: &'a serde_json::Map<String, serde_json::Value>,
}

/// A language's menu and lists (`nav`).
#[derive(Hash, Serialize)]
pub(super) struct Nav<'a> {
    pub home: &'a str,
    pub roles_url: String,
    pub teams_url: String,
    pub checklist_url: String,
    pub roles: Vec<Summary<'a>>,
    pub teams: Vec<Summary<'a>>,
    pub pages: Vec<Summary<'a>>,
    /// The guides of the language (folders with a `TOC.md`), for a documentation home.
    pub guides: Vec<GuideLink<'a>>,
}

impl Nav<'_> {
    /// Its fields but the lists of roles, teams and guides (with their sections), which
    /// the default theme shows on the home alone.
    pub(super) const MENU: &'static [&'static str] =
        &["home", "roles_url", "teams_url", "checklist_url", "pages"];

    /// The fields [`Nav::MENU`] names, for a key.
    pub(super) fn menu(&self) -> impl Hash + '_ {
        let Nav {
            home,
            roles_url,
            teams_url,
            checklist_url,
            roles: _,
            teams: _,
            pages,
            guides: _,
        } = self;
        (home, roles_url, teams_url, checklist_url, pages)
    }
}

#[derive(Hash, Serialize)]
pub(super) struct GuideLink<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: &'a str,
    /// The first level of its menu, each entry with the page it leads to (a group's
    /// first page): what the home of a site of one guide shows of it.
    pub sections: Vec<GuideSection<'a>>,
}

#[derive(Hash, Serialize)]
pub(super) struct GuideSection<'a> {
    pub label: &'a str,
    pub url: &'a str,
}

#[cfg(test)]
mod tests {
    use super::with_counts;

    /// As replacing one placeholder, then the other, did.
    #[test]
    fn progress_texts_get_their_counts() {
        for text in [
            "{done} of {total} done",
            "{done} sur {total} faits",
            "{total}/{done}{done}",
            "{{done}} {do{total}ne} {tot",
            "",
            "{",
            "déjà {done} ✓",
        ] {
            let expected = text.replace("{done}", "3").replace("{total}", "12");
            assert_eq!(with_counts(text, 3, 12), expected, "{text}");
        }
    }
}
