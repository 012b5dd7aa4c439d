//! Rendering: the site model and the theme's templates -> output files.
//!
//! The list of outputs is a value ([`Job`]s) that can be printed, tested and filtered.
//! What every page shares (site title, languages, navigation, UI strings) is built once
//! into Tera's global context or into cheap-to-clone values; each job then adds only its
//! own page, and jobs render in parallel.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::checklist;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;
use crate::hash::{FastMap, hash_of};
use crate::site::{PageId, Site, root_prefix};
use crate::text::{escape_attr, escape_into};
use crate::theme::{Template, Theme};

mod prepared;
mod views;

use prepared::SharedViews;
pub(crate) use prepared::{Compiled, Prepared};
use views::{
    ChecklistContext, ChecklistPageView, ChecklistsView, JobContext, LanguageContext, PageContext,
    PageView, Permalink, Shared, SpecialContext, Summaries, Summary, Translation,
};

/// One output file to make.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    /// A page of the site (role, team, plain page, home, section list).
    Page(PageId),
    /// The root `index.html`: choose a language.
    LanguageChoice,
    /// The checklist pages (`<lang>/checklist/`, in parts on a large site), their data
    /// and `checklists.json`.
    Checklist(checklist::Output),
    NotFound,
    Sitemap,
    Robots,
}

impl Job {
    /// A site-wide file of megabytes on a large site (every checklist of a language, or
    /// of the site; the sitemap, 8 MB at 20,000 pages): a build streams it to disk rather
    /// than making it whole in memory.
    pub(crate) fn is_large(&self) -> bool {
        matches!(self, Job::Checklist(_) | Job::Sitemap)
    }

    /// The file the job makes, relative to the output folder.
    pub(crate) fn output_path(&self, site: &Site) -> String {
        match self {
            Job::Page(i) => site.pages[*i].path.clone(),
            Job::LanguageChoice => "index.html".into(),
            Job::Checklist(output) => output.path(),
            Job::NotFound => "404.html".into(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
        }
    }
}

/// Every output of the site, in a stable order.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    // The site-wide files first: each is one long job (on a large site, the checklist
    // pages and `checklists.json` weigh megabytes), best started early than left to end
    // a build on one thread while the others wait.
    // A page or file at the path of one of them is reported by [`crate::collisions`].
    let mut jobs: Vec<Job> = checklist::SiteChecklists::of(site)
        .outputs()
        .into_iter()
        .map(Job::Checklist)
        .collect();
    if site.config.base_url.is_some() {
        jobs.push(Job::Sitemap);
    }
    jobs.extend([Job::LanguageChoice, Job::NotFound, Job::Robots]);
    jobs.extend(site.ids().map(Job::Page));
    jobs
}

/// A compiled theme with what pages share, ready to render jobs.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    prepared: Arc<Prepared>,
    /// Of each guide's sidebars (see [`crate::site::navigation::Sidebar`]).
    guide_keys: Vec<u64>,
    /// Of each page's summary (see [`views::Summary`]).
    summaries: Summaries,
    /// Made by the first checklist job, shared by the others.
    checklists: std::sync::OnceLock<checklist::SiteChecklists<'a>>,
    /// Each language's site title with its typography (see [`SharedViews::site_titles`]).
    site_titles: BTreeMap<String, String>,
    /// `told.html` rendered, by [`Renderer::told`]'s key.
    told: Mutex<FastMap<u64, Arc<str>>>,
    /// The fragments of each language, depth and home (see [`Renderer::fragments`]).
    fragments: Mutex<FastMap<u64, tera::Value>>,
}

/// What `serve` keeps of rendering from one rebuild to the next.
#[derive(Default)]
pub(crate) struct Cache {
    /// What templates share (it knows its own key).
    pub(crate) prepared: Option<Arc<Prepared>>,
    /// Every output file, by path.
    pub(crate) outputs: FastMap<String, CachedOutput>,
}

/// A rendered file of the cache.
pub(crate) struct CachedOutput {
    /// The key of what it was made from (see [`Renderer::rebuild`]).
    pub key: u64,
    pub bytes: bytes::Bytes,
    /// A page's `id`s, for links to its `#fragment`s.
    pub ids: Option<crate::body_ids::PageIds>,
}

/// A job of a rebuild: its file is the same as last time's, or new, with its key.
pub(crate) enum Rebuilt {
    Same,
    New(OutputFile, u64),
}

/// A job's output path and what its file is made from, with the key of that.
pub(crate) struct Keyed<'a> {
    pub path: String,
    pub key: u64,
    source: Source<'a>,
}

/// What a job's file is made from (see [`Renderer::source`]); its hash is the file's key.
#[derive(Hash)]
enum Source<'a> {
    Template(&'static str, Box<JobContext<'a>>),
    Data(checklist::Data<'a>),
    Text(String),
    /// The sitemap, by a key of what it lists: made only if written (at 2,000 pages,
    /// making it to key it was 3-7 ms of each of `serve`'s rebuilds, on one thread).
    Sitemap(u64),
}

impl<'a> Renderer<'a> {
    /// Compiles the theme (unless it comes `compiled`) and prepares what pages share, or
    /// takes `previous` (what an earlier build prepared) if it was made of the same.
    /// `assets` maps each asset to the name pages link it by (see [`crate::assets`]).
    pub(crate) fn new(
        theme: &Theme,
        site: &'a Site,
        assets: &BTreeMap<String, String>,
        previous: Option<&Arc<Prepared>>,
        compiled: Option<Compiled>,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let summaries = Summaries::new(site, &theme.strings);
        let views = SharedViews::of(theme, site, assets, &summaries);
        let key = hash_of(&views);
        let prepared = match previous {
            Some(p) if p.key == key => Arc::clone(p),
            _ => Arc::new(Prepared::make(&views, compiled)?),
        };
        let site_titles = views.site_titles();
        Ok(Renderer {
            site,
            prepared,
            guide_keys: site.navigation.guide_keys(site),
            summaries,
            checklists: std::sync::OnceLock::new(),
            site_titles,
            told: Mutex::default(),
            fragments: Mutex::default(),
        })
    }

    pub(crate) fn site(&self) -> &'a Site {
        self.site
    }

    /// What jobs share, to keep for a later build.
    pub(crate) fn prepared(&self) -> Arc<Prepared> {
        Arc::clone(&self.prepared)
    }
}

impl Renderer<'_> {
    /// Renders every job in parallel. Errors of all jobs are returned together.
    pub(crate) fn render_all(&self, jobs: &[Job]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        self.render_each(jobs, Ok)
    }

    /// Renders every job in parallel and hands each file to `each` as soon as it is
    /// rendered (to write it, so that rendered pages need not pile up in memory). Errors
    /// of all jobs, and of `each`, are returned together; results keep the jobs' order.
    pub(crate) fn render_each<T: Send>(
        &self,
        jobs: &[Job],
        each: impl Fn(OutputFile) -> Result<T, Diagnostic> + Sync,
    ) -> (Vec<T>, Vec<Diagnostic>) {
        let results: Vec<Result<T, Diagnostic>> = jobs
            .par_iter()
            .map(|j| self.render(j).and_then(&each))
            .collect();
        let mut done = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(f) => done.push(f),
                Err(d) => errors.push(d),
            }
        }
        (done, errors)
    }

    /// Renders a job straight into `out` (see [`Job::is_large`]).
    pub(crate) fn render_to(
        &self,
        job: &Job,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.write(&job.output_path(self.site), &self.source(job)?, out)
    }

    pub(crate) fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        self.make(job.output_path(self.site), &self.source(job)?)
    }

    /// Renders a job of `serve`'s rebuild, unless `unchanged` says that the key of what
    /// its file is made from is the one of the file it has.
    pub(crate) fn rebuild(
        &self,
        job: &Job,
        unchanged: impl Fn(&str, u64) -> bool,
    ) -> Result<(String, Rebuilt), Diagnostic> {
        let keyed = self.keyed(job)?;
        if unchanged(&keyed.path, keyed.key) {
            return Ok((keyed.path, Rebuilt::Same));
        }
        let key = keyed.key;
        let file = self.make(keyed.path, &keyed.source)?;
        Ok((file.path.clone(), Rebuilt::New(file, key)))
    }

    /// What a job's file is made from, with its key and path, not yet rendered: for a
    /// build that takes the file from the previous output when its key is the same.
    pub(crate) fn keyed(&self, job: &Job) -> Result<Keyed<'_>, Diagnostic> {
        let source = self.source(job)?;
        Ok(Keyed {
            path: job.output_path(self.site),
            key: hash_of(&source),
            source,
        })
    }

    /// Renders a keyed job straight into `out`: a file, or a thread's buffer. (Generic
    /// over the writer: Tera writes a page a few bytes at a time, and each write through
    /// `dyn Write` into a page's buffer was a call of its own. With the checklists' JSON
    /// gathered before it goes out, see `checklist::Data::write`, 2.5% of a first
    /// build's instructions at 2,000 pages.)
    pub(crate) fn write_keyed<W: std::io::Write + ?Sized>(
        &self,
        keyed: &Keyed<'_>,
        out: &mut W,
    ) -> Result<(), Diagnostic> {
        self.write(&keyed.path, &keyed.source, out)
    }

    fn make(&self, path: String, source: &Source<'_>) -> Result<OutputFile, Diagnostic> {
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.write(&path, source, &mut bytes)?;
        Ok(OutputFile {
            path,
            bytes: bytes.into(),
        })
    }

    /// Writes the file of `path` from what it is made of.
    fn write<W: std::io::Write + ?Sized>(
        &self,
        path: &str,
        source: &Source<'_>,
        out: &mut W,
    ) -> Result<(), Diagnostic> {
        let cannot = |e: std::io::Error| Diagnostic::error(format!("cannot write `{path}`: {e}"));
        match source {
            Source::Template(template, view) => {
                let mut context = self.tera_context(template, view)?;
                self.fragments(view.language(), &mut context)?;
                if let JobContext::Page(page) = &**view {
                    self.told(page, &mut context)?;
                }
                self.render_template_to(template, &context, out)
            }
            Source::Data(data) => data.write(out).map_err(cannot),
            Source::Text(text) => out.write_all(text.as_bytes()).map_err(cannot),
            Source::Sitemap(_) => self.sitemap(out).map_err(cannot),
        }
    }

    /// What a job's file is made from, and nothing else: a template and its context, the
    /// checklists' data, or text.
    fn source(&self, job: &Job) -> Result<Source<'_>, Diagnostic> {
        let default = self.site.config.default_language();
        Ok(match job {
            Job::Page(i) => self.page_context(*i),
            Job::Checklist(checklist::Output::Page { lang, part }) => Source::Template(
                "checklists.html",
                Box::new(JobContext::Checklist(self.checklist_view(lang, *part)?)),
            ),
            Job::Checklist(output) => match self.checklists().data(output) {
                Some(data) => Source::Data(data),
                None => Source::Text(String::new()),
            },
            Job::LanguageChoice => Source::Template(
                "languages.html",
                Box::new(self.special_context(default, "")),
            ),
            // The 404 page is served at any depth: its links are relative to the site's
            // root, which its template's `<base>` names (see 404.html).
            Job::NotFound => {
                Source::Template("404.html", Box::new(self.special_context(default, "")))
            }
            Job::Robots => Source::Text(self.robots()),
            Job::Sitemap => Source::Sitemap(self.sitemap_key()),
        })
    }

    /// Gives a page that depends on outside teams `told`: `told.html` rendered for each
    /// of them, if the theme shows it (see [`Prepared::told`]). Each team's is rendered
    /// once per language and depth of page and shared by the roles that depend on it:
    /// their checklists written out by every such role's template were 3.7% of a first
    /// build's instructions at 2,000 pages (benches/README.md). What it is made from
    /// (the team as `depends_on` lists it, the language's strings, `root`) is in the
    /// page's key.
    fn told(&self, page: &PageContext<'_>, context: &mut Context) -> Result<(), Diagnostic> {
        let teams = &page.page.depends_on;
        if !self.prepared.told || teams.is_empty() {
            return Ok(());
        }
        let language = &page.language;
        let mut told = String::new();
        for team in teams {
            let key = hash_of(&(team, &language.root, language.lang));
            let html = cached(&self.told, key, || {
                let team_context = views::told_context(language, team)
                    .map_err(|e| template_error(&e, "told.html", &self.prepared.template_files))?;
                let mut bytes = Vec::new();
                self.render_template_to("told.html", &team_context, &mut bytes)?;
                Ok(Arc::from(String::from_utf8_lossy(&bytes)))
            })?;
            told.push_str(&html);
        }
        context.insert_value("told", tera::Value::safe_string(&told));
        Ok(())
    }

    /// Gives `context` the theme's fragments (`fragments.head`): each template under
    /// `fragments/` rendered with the language's values (`lang`, `root`, `t`, `nav`,
    /// `site_title`, and `site` and `assets` as every template), not a page's, once per
    /// language, page depth and home, and shared by their pages, without the line break
    /// that ends its file. What it is made from is in each page's key.
    fn fragments(
        &self,
        language: &LanguageContext<'_>,
        context: &mut Context,
    ) -> Result<(), Diagnostic> {
        if self.prepared.fragments.is_empty() {
            return Ok(());
        }
        let key = hash_of(&(language.lang, &language.root, language.shared.home));
        let fragments = cached(&self.fragments, key, || {
            let mut values = Context::new();
            language.insert_into(&mut values);
            let mut rendered = BTreeMap::new();
            for (name, template) in &self.prepared.fragments {
                let mut bytes = Vec::new();
                self.render_template_to(template, &values, &mut bytes)?;
                let html = String::from_utf8_lossy(&bytes);
                let html = html.strip_suffix('\n').unwrap_or(&html);
                rendered.insert(name.clone(), tera::Value::safe_string(html));
            }
            Ok(tera::Value::from(rendered))
        })?;
        context.insert_value("fragments", fragments);
        Ok(())
    }

    fn tera_context(
        &self,
        template: &str,
        context: &JobContext<'_>,
    ) -> Result<Context, Diagnostic> {
        context
            .context()
            .map_err(|e| template_error(&e, template, &self.prepared.template_files))
    }

    fn page_context(&self, i: PageId) -> Source<'_> {
        let site = self.site;
        let p = &site.pages[i];
        let template = match p.page.kind {
            Kind::Home => "home.html",
            Kind::Section => "section.html",
            Kind::Role => "role.html",
            Kind::Team => "team.html",
            Kind::Page => "page.html",
        };
        let summaries = |v: &[PageId]| -> Vec<Summary> {
            v.iter()
                .map(|&j| Summary::of(site, j, &self.summaries))
                .collect()
        };
        let view = PageView {
            made_from: (p.body.key, &p.page.key),
            title: &p.page.title,
            heading: p.body.heading.as_deref(),
            description: p.page.description.as_deref(),
            lead: lead_of(p),
            seo: &p.page.adobe.seo,
            badges: badges_of(site, i),
            noindex: p.page.is_hidden(),
            kind: p.page.kind,
            key: &p.page.key,
            url: &p.path,
            permalink: Permalink::of(self.base_url(), &p.path),
            section: p.page.section.as_deref(),
            toc: &p.body.toc,
            responsibilities: &p.page.responsibilities,
            skills: &p.page.skills,
            risks: &p.page.risks,
            contact: p.page.contact.as_deref(),
            checklist: p.checklist(),
            progress: self.summaries.progress(p.lang(), p.progress()),
            extra: &p.page.extra,
            works_with: summaries(&p.works_with),
            depends_on: p
                .depends_on
                .iter()
                .map(|&j| Summary::told(site, j, &self.summaries))
                .collect(),
            depended_by: summaries(&p.depended_by),
            members: summaries(&p.members),
            translations: p
                .translations
                .iter()
                .map(|&j| Translation {
                    lang: site.pages[j].lang(),
                    name: self.language_name(site.pages[j].lang()),
                    url: Cow::Borrowed(&site.pages[j].path),
                    base: self.base_url(),
                })
                .collect(),
        };
        // Languages with no translation of this page get a link to their home instead.
        let other_languages = site
            .config
            .languages
            .iter()
            .filter(|l| l.code != p.lang())
            .map(|l| {
                let target = p
                    .translations
                    .iter()
                    .map(|&j| &site.pages[j])
                    .find(|t| t.lang() == l.code)
                    .or_else(|| site.home(&l.code).map(|h| &site.pages[h]));
                let url = target.map_or("", |t| &t.path);
                Translation {
                    lang: &l.code,
                    name: &l.name,
                    url: Cow::Borrowed(url),
                    base: self.base_url(),
                }
            })
            .collect();
        let team_map = (p.page.kind == Kind::Home)
            .then(|| self.prepared.team_maps.get(p.lang()))
            .flatten()
            .map(String::as_str);
        let context = PageContext {
            language: self.language_context(
                p.lang(),
                root_prefix(&p.path),
                p.page.kind == Kind::Home,
            ),
            page: view,
            other_languages,
            content: &p.body.html,
            sidebar: site.navigation.sidebar_view(site, i, &self.guide_keys),
            contact: p.page.contact.as_deref().map(contact_html),
            team_map,
        };
        Source::Template(template, Box::new(JobContext::Page(context)))
    }

    fn checklists(&self) -> &checklist::SiteChecklists<'_> {
        self.checklists
            .get_or_init(|| checklist::SiteChecklists::of(self.site))
    }

    /// A part of a language's checklist page; its translations are the other languages'
    /// checklist pages.
    fn checklist_view(&self, lang: &str, part: usize) -> Result<ChecklistContext<'_>, Diagnostic> {
        let site = self.site;
        let path = checklist::part_path(lang, part);
        let shown = self.checklists().page(lang, part).ok_or_else(|| {
            Diagnostic::error(format!("`{path}`: no such part of the checklist page"))
        })?;
        let others: Vec<Translation> = site
            .config
            .languages
            .iter()
            .filter(|l| l.code != lang)
            .map(|l| {
                let url = checklist::page_path(&l.code);
                Translation {
                    lang: &l.code,
                    name: &l.name,
                    url: Cow::Owned(url),
                    base: self.base_url(),
                }
            })
            .collect();
        let title = self
            .prepared
            .checklist_titles
            .get(lang)
            .map_or("", String::as_str);
        let language = self.language_context(lang, root_prefix(&path), false);
        Ok(ChecklistContext {
            language,
            page: ChecklistPageView {
                title,
                description: None,
                kind: "checklist",
                key: checklist::PAGE_KEY,
                permalink: self.permalink(&path),
                url: path,
                translations: others.clone(),
            },
            other_languages: others,
            checklists: ChecklistsView {
                checklists: shown.checklists,
                progress: self.summaries.progress_text(lang),
            },
            checklist_parts: shown.parts,
            checklist_ids: shown.ids,
            checklist_next: shown.next,
        })
    }

    /// What every template of language `lang` receives; `home` for its home page.
    fn language_context(&self, lang: &str, root: String, home: bool) -> LanguageContext<'_> {
        let config = &self.site.config;
        let language = config.languages.iter().find(|l| l.code == lang);
        LanguageContext {
            lang: language.map_or(config.default_language(), |l| l.code.as_str()),
            dir: language.map_or("ltr", |l| l.dir.as_str()),
            root,
            site_title: self.site_titles.get(lang).map_or("", String::as_str),
            shared: Shared {
                prepared: &self.prepared,
                lang: language.map_or(config.default_language(), |l| l.code.as_str()),
                home,
                site: self.site,
                summaries: &self.summaries,
            },
        }
    }

    fn special_context(&self, lang: &str, root: &str) -> JobContext<'_> {
        let site = self.site;
        let homes = site
            .config
            .languages
            .iter()
            .map(|l| {
                let url = site.home(&l.code).map_or("", |h| &site.pages[h].path);
                Translation {
                    lang: &l.code,
                    name: &l.name,
                    url: Cow::Borrowed(url),
                    base: self.base_url(),
                }
            })
            .collect();
        JobContext::Special(SpecialContext {
            language: self.language_context(lang, root.to_string(), false),
            homes,
            all_strings: self.prepared.strings_key,
        })
    }

    fn render_template_to<W: std::io::Write + ?Sized>(
        &self,
        template: &str,
        context: &Context,
        out: &mut W,
    ) -> Result<(), Diagnostic> {
        self.prepared
            .tera
            .render_to(template, context, out)
            .map_err(|e| template_error(&e, template, &self.prepared.template_files))
    }

    /// The address of the page at `url` on the web, as search engines and links from
    /// elsewhere name it: `site.base_url` and the URL without its `index.html`
    /// (`https://example.org/team/en/roles/lead/`); none without a `base_url`. Themes show
    /// it as `page.permalink` and `permalink` of each translation (Zola's and Hugo's
    /// name), rather than put it together with a filter on every page.
    fn permalink(&self, url: &str) -> Option<String> {
        let base = self.base_url()?;
        Some(crate::site::web_address(base, url))
    }

    fn base_url(&self) -> Option<&str> {
        self.site.config.base_url.as_deref()
    }

    fn language_name<'s>(&'s self, code: &'s str) -> &'s str {
        self.site
            .config
            .languages
            .iter()
            .find(|l| l.code == code)
            .map_or(code, |l| l.name.as_str())
    }

    fn robots(&self) -> String {
        let mut out = String::from("User-agent: *\nAllow: /\n");
        if let Some(base) = &self.site.config.base_url {
            out.push_str(&format!("\nSitemap: {base}sitemap.xml\n"));
        }
        out
    }

    /// A key of everything [`Renderer::sitemap`] reads.
    fn sitemap_key(&self) -> u64 {
        let site = self.site;
        hash_of(&(
            (&site.config.base_url, site.config.default_language()),
            crate::hash::hash_all(
                site.pages
                    .iter()
                    .map(|p| (&p.path, p.lang(), &p.translations, p.page.is_hidden())),
            ),
            self.checklists().outputs(),
        ))
    }

    /// The sitemap, written to `out` as it is made: whole, it took 8 MB at 20,000 pages,
    /// and as much again in the buffer it was copied to, at a build's peak of memory.
    fn sitemap<W: std::io::Write + ?Sized>(&self, out: &mut W) -> std::io::Result<()> {
        let site = self.site;
        let base = site.config.base_url.as_deref().unwrap_or("/");
        let url = |path: &str| crate::site::web_address(base, path);
        out.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        )?;
        // Each page with its translations as (language, path); a page alone has none.
        // Pages marked `hide: yes` are not listed, nor named as translations.
        let mut entries: Vec<(&str, Vec<(&str, &str)>)> = site
            .pages
            .iter()
            .filter(|p| !p.page.is_hidden())
            .map(|p| {
                let mut all: Vec<(&str, &str)> = p
                    .translations
                    .iter()
                    .filter(|&&j| !site.pages[j].page.is_hidden())
                    .map(|&j| (site.pages[j].lang(), site.pages[j].path.as_str()))
                    .collect();
                if !all.is_empty() {
                    all.push((p.lang(), &p.path));
                }
                (p.path.as_str(), all)
            })
            .collect();
        // The generated checklist pages are translations of each other (their first
        // parts: the others split each language's checklists differently).
        let outputs = self.checklists().outputs();
        let checklists: Vec<(&str, String, usize)> = outputs
            .iter()
            .filter_map(|o| match o {
                checklist::Output::Page { lang, part } => Some((lang.as_str(), o.path(), *part)),
                _ => None,
            })
            .collect();
        let firsts: Vec<(&str, &str)> = checklists
            .iter()
            .filter(|(_, _, part)| *part == 0)
            .map(|(l, p, _)| (*l, p.as_str()))
            .collect();
        let alternates: Vec<(&str, &str)> = if firsts.len() > 1 {
            firsts.clone()
        } else {
            Vec::new()
        };
        entries.extend(checklists.iter().map(|(_, p, part)| {
            let all = if *part == 0 {
                alternates.clone()
            } else {
                Vec::new()
            };
            (p.as_str(), all)
        }));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let default = site.config.default_language();
        // Each entry made in one buffer and written whole: through `write!`, the
        // sitemap was 2% of a build's instructions after a page was added at 20,000 pages.
        let mut entry = String::new();
        let link = |entry: &mut String, lang: &str, path: &str| {
            entry.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
            entry.push_str(lang);
            entry.push_str("\" href=\"");
            escape_into(entry, &url(path));
            entry.push_str("\"/>\n");
        };
        for (path, mut all) in entries {
            entry.clear();
            entry.push_str("  <url>\n    <loc>");
            escape_into(&mut entry, &url(path));
            entry.push_str("</loc>\n");
            all.sort();
            for (lang, path) in &all {
                link(&mut entry, lang, path);
            }
            if let Some((_, d)) = all.iter().find(|(lang, _)| *lang == default) {
                link(&mut entry, "x-default", d);
            }
            entry.push_str("  </url>\n");
            out.write_all(entry.as_bytes())?;
        }
        out.write_all(b"</urlset>\n")
    }
}

/// A contact text as HTML: escaped, each email address in it a `mailto:` link.
fn contact_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        // Punctuation around an address (`(a@b.org),`) stays outside the link.
        let inner = word.trim_matches(|c: char| !c.is_alphanumeric());
        let at = word.find(inner).unwrap_or(0);
        let address = inner.strip_prefix("mailto:").unwrap_or(inner);
        if is_email(address) {
            out.push_str(&escape_attr(&word[..at]));
            out.push_str(&format!(
                "<a href=\"mailto:{0}\">{0}</a>",
                escape_attr(address)
            ));
            out.push_str(&escape_attr(&word[at + inner.len()..]));
        } else {
            out.push_str(&escape_attr(word));
        }
    }
    out
}

/// `name@domain.tld`, with the characters addresses are written with.
fn is_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-'".contains(c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    local_ok && domain_ok
}

/// Compiles all templates; every syntax error becomes a diagnostic with file and line.
pub(super) fn compile(
    templates: &[Template],
    files: &BTreeMap<String, (PathBuf, Arc<str>)>,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    // Check each template alone first, so that every broken one is reported.
    for t in templates {
        let mut alone = Tera::new();
        if let Err(e) = alone.add_raw_template(&t.name, &t.source)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(template_error(&e, &t.name, files));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.add_raw_templates(
        templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.as_ref())),
    )
    .map_err(|e| reference_errors(&e, files))?;
    for required in [
        "base.html",
        "home.html",
        "section.html",
        "role.html",
        "team.html",
        "page.html",
        "languages.html",
        "404.html",
        "checklists.html",
    ] {
        if !tera.contains_template(required) {
            errors.push(
                Diagnostic::error(format!("the theme has no template `{required}`")).with_help(
                    "add it to the theme's templates/ folder or to the site's templates/",
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(tera)
    } else {
        Err(errors)
    }
}

/// Tera checks filters, tests, functions and includes of all templates at once and joins
/// its reports (`error: Unknown filter ...\n --> name:line:col`) in one message: split it
/// back into one diagnostic per report, each pointing into its template file.
fn reference_errors(
    error: &tera::Error,
    files: &BTreeMap<String, (PathBuf, Arc<str>)>,
) -> Vec<Diagnostic> {
    if !matches!(error.kind(), tera::ErrorKind::Msg(_)) {
        return vec![template_error(error, "", files)];
    }
    let text = error.to_string();
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(location)) = (message, line.trim().strip_prefix("--> ")) {
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse::<usize>().ok());
            let line_number = parts.next().and_then(|l| l.parse::<usize>().ok());
            let name = parts.next().unwrap_or_default();
            let mut d = Diagnostic::error(format!("template error: {m}"));
            if let Some((file, source)) = files.get(name) {
                d = d.in_file(file).with_source(source.clone());
                if let (Some(l), Some(c)) = (line_number, column) {
                    d = d.at(l, c);
                }
            }
            out.push(d);
            message = None;
        }
    }
    if out.is_empty() {
        out.push(template_error(error, "", files));
    }
    out
}

/// A Tera error as a diagnostic pointing into the template file.
fn template_error(
    error: &tera::Error,
    template: &str,
    files: &BTreeMap<String, (PathBuf, Arc<str>)>,
) -> Diagnostic {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let name = report.map_or(template, |r| r.filename());
    let mut d = match report {
        Some(r) => Diagnostic::error(format!("template error: {}", r.message())),
        None => Diagnostic::error(format!("template `{template}`: {error}")),
    };
    if let Some((file, source)) = files.get(name) {
        d = d.in_file(file).with_source(source.clone());
        if let Some(r) = report {
            d = d.at(r.span().start_line, r.span().start_col + 1);
        }
    }
    d
}

/// How page `i`'s view answers each of `fields` as a template tests it (`{% if
/// page.field %}`): bit `n` for `fields[n]`, each field made as [`Renderer::page_context`]
/// makes it; `None` for a field this does not answer. What a heading edit renders the
/// page's table of contents with (see `toc_edit`).
pub(crate) fn tested(site: &Site, i: PageId, fields: &[String]) -> Option<u64> {
    let p = &site.pages[i];
    // Tera's truth: a string, a list or a map is true when not empty, nothing is false.
    let text = |s: Option<&str>| s.is_some_and(|s| !s.is_empty());
    let mut answers = 0;
    for (n, field) in fields.iter().enumerate() {
        let answer = match field.as_str() {
            "title" => !p.page.title.is_empty(),
            "heading" => text(p.body.heading.as_deref()),
            "description" => text(p.page.description.as_deref()),
            "lead" => text(lead_of(p)),
            "badges" => !badges_of(site, i).is_empty(),
            "noindex" => p.page.is_hidden(),
            "section" => text(p.page.section.as_deref()),
            "responsibilities" => !p.page.responsibilities.is_empty(),
            "skills" => !p.page.skills.is_empty(),
            "risks" => !p.page.risks.is_empty(),
            "contact" => text(p.page.contact.as_deref()),
            "checklist" => p.checklist().iter().next().is_some(),
            "works_with" => !p.works_with.is_empty(),
            "depends_on" => !p.depends_on.is_empty(),
            "depended_by" => !p.depended_by.is_empty(),
            "members" => !p.members.is_empty(),
            "translations" => !p.translations.is_empty(),
            _ => return None,
        };
        answers |= u64::from(answer) << n;
    }
    Some(answers)
}

/// The value kept in `cache` under `key`, or the one `make` makes, kept there for the
/// other pages that show it (`told.html` per team, the fragments per language and depth).
fn cached<V: Clone>(
    cache: &Mutex<FastMap<u64, V>>,
    key: u64,
    make: impl FnOnce() -> Result<V, Diagnostic>,
) -> Result<V, Diagnostic> {
    let lock = || cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(value) = lock().get(&key) {
        return Ok(value.clone());
    }
    let value = make()?;
    lock().insert(key, value.clone());
    Ok(value)
}

/// A page's lead: its description, unless its body opens with those words (see
/// [`crate::site::Body::repeats_description`]) or they only say its heading again (73
/// pages of Workfront Fusion describe themselves by their title: the lead repeated the
/// `<h1>` above it).
fn lead_of(p: &crate::site::SitePage) -> Option<&str> {
    let heading = p.body.heading.as_deref().unwrap_or(&p.page.title);
    p.page
        .description
        .as_deref()
        .filter(|d| !p.body.repeats_description && !same_words(d, heading))
}

/// Whether two texts have the same words, but for case, white space and a last full
/// stop. Compared as they go: most differ at their first letters, and every page's view
/// asks at every build.
fn same_words(a: &str, b: &str) -> bool {
    fn words(s: &str) -> impl Iterator<Item = char> + '_ {
        s.trim_end()
            .trim_end_matches(['.', '!', '?', ':'])
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
    }
    words(a).eq(words(b))
}

/// Page `i`'s badges: its own, each leading where [`crate::bodies::badge_url`] says,
/// then its guide's that it has not (by label), to the page or URL each names (see
/// [`crate::site::navigation::GuideBadge`]). Most pages have none to add or resolve:
/// theirs, as read.
fn badges_of(site: &Site, i: PageId) -> Cow<'_, [crate::markdown::afm::FrontBadge]> {
    use crate::site::navigation::Target;
    let p = &site.pages[i];
    let own = &p.page.adobe.badges;
    let guide = site.navigation.guide_of(i).map_or(&[][..], |g| &g.badges);
    let to_page = |b: &crate::markdown::afm::FrontBadge| {
        b.url.as_deref().is_some_and(crate::bodies::names_a_page)
    };
    if guide.is_empty() && !own.iter().any(to_page) {
        return Cow::Borrowed(own);
    }
    let mut badges = own.clone();
    for badge in &mut badges {
        if to_page(badge) {
            badge.url = badge
                .url
                .as_deref()
                .and_then(|u| crate::bodies::badge_url(site, i, u));
        }
    }
    for added in guide {
        if own.iter().any(|o| o.label == added.badge.label) {
            continue;
        }
        let mut badge = added.badge.clone();
        badge.url = match &added.target {
            Target::Page(j) => {
                let fragment = badge.url.as_deref().and_then(|u| u.split_once('#'));
                let to = &site.pages[*j].path;
                Some(crate::site::href(&p.path, to, fragment.map(|(_, f)| f)))
            }
            Target::Url(url) => Some(url.clone()),
            Target::None => None,
        };
        badges.push(badge);
    }
    Cow::Owned(badges)
}
