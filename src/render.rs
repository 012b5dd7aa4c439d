//! Rendering: the site model and the theme's templates -> output files.
//!
//! The list of outputs is a value ([`Job`]s) that can be printed, tested and filtered.
//! What every page shares (site title, languages, navigation, UI strings) is built once
//! into Tera's global context or into cheap-to-clone values; each job then adds only its
//! own page, and jobs render in parallel.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::checklist;
use crate::checklist_item::ChecklistItem;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;
use crate::site::{Site, SitePage, root_prefix};
use crate::teammap::{self, MapNode, MapText, NodeKind, TeamMap};
use crate::theme::{Strings, Template, Theme};

/// One output file to make.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    /// A page of the site (role, team, plain page, home, section list).
    Page(usize),
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
    /// of the site): a build streams it to disk rather than making it whole in memory.
    pub(crate) fn is_large(&self) -> bool {
        matches!(self, Job::Checklist(_))
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
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// A compiled theme with the site-wide context, ready to render jobs.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    prepared: Arc<Prepared>,
    /// Made by the first checklist job, shared by the others.
    checklists: std::sync::OnceLock<checklist::SiteChecklists<'a>>,
}

/// What every job of a site shares: made once per build, and kept by `serve` while what
/// templates show of the site is the same (see [`crate::incremental`]).
pub(crate) struct Prepared {
    /// The compiled templates, with the site-wide global context.
    tera: Tera,
    /// Per language: navigation and UI strings, shared by its pages.
    nav: BTreeMap<String, Value>,
    strings: BTreeMap<String, Value>,
    /// Per language: the team map's SVG, for the home page (which sits at `<lang>/`).
    team_maps: BTreeMap<String, String>,
    /// Per language: the checklist page's title (a UI string).
    checklist_titles: BTreeMap<String, String>,
    /// Per page: title, URL, description (and checklist), for lists and links.
    summaries: Vec<Value>,
    template_files: BTreeMap<String, (PathBuf, Arc<str>)>,
}

impl<'a> Renderer<'a> {
    /// Compiles the theme and prepares what pages share. `assets` maps each asset to the
    /// name pages link it by (see [`crate::assets`]).
    pub(crate) fn new(
        theme: &Theme,
        site: &'a Site,
        assets: &BTreeMap<String, String>,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let template_files: BTreeMap<String, (PathBuf, Arc<str>)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), (t.file.clone(), t.source.clone())))
            .collect();
        let tera = compile(&theme.templates, &template_files)?;
        let summaries: Vec<Value> = site
            .pages
            .par_iter()
            .map(|p| Value::from_serializable(&Summary::of(p)))
            .collect();
        let mut prepared = Prepared {
            tera,
            nav: BTreeMap::new(),
            strings: BTreeMap::new(),
            team_maps: BTreeMap::new(),
            checklist_titles: BTreeMap::new(),
            summaries,
            template_files,
        };
        prepared.fill(site, &theme.strings);
        prepared.tera.global_context().insert("assets", assets);
        Ok(Renderer::with(Arc::new(prepared), site))
    }

    /// A renderer for `site` with what an earlier build prepared, which must have been
    /// made from a site that templates show the same (same pages, titles, links...).
    pub(crate) fn with(prepared: Arc<Prepared>, site: &'a Site) -> Renderer<'a> {
        Renderer {
            site,
            prepared,
            checklists: std::sync::OnceLock::new(),
        }
    }

    /// What jobs share, to keep for a later build.
    pub(crate) fn prepared(&self) -> Arc<Prepared> {
        Arc::clone(&self.prepared)
    }
}

impl Prepared {
    #[expect(
        clippy::too_many_lines,
        reason = "to be split: the redesign issue's step 4"
    )]
    fn fill(&mut self, site: &Site, strings: &Strings) {
        let config = &site.config;
        for lang in &config.languages {
            let code = &lang.code;
            let list = |kind| -> Vec<Value> {
                site.of_kind(kind, code)
                    .into_iter()
                    .map(|i| self.summaries[i].clone())
                    .collect()
            };
            let section = |name: &str| {
                site.find(&format!("{name}/_index"), code)
                    .map(|i| site.pages[i].path.clone())
            };
            let roles = list(Kind::Role);
            let teams = list(Kind::Team);
            // The header lists the pages at the content root; pages in folders are in
            // their guide's sidebar.
            let pages = site
                .of_kind(Kind::Page, code)
                .into_iter()
                .filter(|&i| !site.pages[i].page.key.contains('/'))
                .map(|i| self.summaries[i].clone())
                .collect();
            // A menu entry only for what this language has.
            let url_if = |has: bool, url: Option<String>| url.filter(|_| has).unwrap_or_default();
            let nav = Nav {
                home: site
                    .home(code)
                    .map(|i| site.pages[i].path.clone())
                    .unwrap_or_default(),
                roles_url: url_if(!roles.is_empty(), section("roles")),
                teams_url: url_if(!teams.is_empty(), section("teams")),
                checklist_url: url_if(
                    checklist::has_items(site, code),
                    Some(checklist::page_path(code)),
                ),
                roles,
                teams,
                pages,
                guides: site
                    .navigation
                    .guides_in(code)
                    .filter(|g| g.from_toc)
                    .map(|g| GuideLink {
                        title: g.title.clone(),
                        description: g.description.clone(),
                        url: g
                            .first
                            .map(|i| site.pages[i].path.clone())
                            .unwrap_or_default(),
                    })
                    .collect(),
            };
            self.nav
                .insert(code.clone(), Value::from_serializable(&nav));
            // UI strings are text of the page too: the language's typography applies.
            let typography = config.typography(code);
            let typeset: Option<BTreeMap<&String, String>> = strings.get(code).map(|s| {
                s.iter()
                    .map(|(key, text)| (key, typography.apply(text)))
                    .collect()
            });
            self.strings
                .insert(code.clone(), Value::from_serializable(&typeset));
            let ui = |key: &str| {
                typeset
                    .as_ref()
                    .and_then(|s| s.get(&key.to_string()))
                    .map_or("", String::as_str)
            };
            self.checklist_titles
                .insert(code.clone(), ui("checklists").to_string());
            let map = team_map(site, code);
            let roles = map.nodes.iter().filter(|n| n.kind == NodeKind::Role);
            let description = ui("team_map_desc")
                .replace("{roles}", &roles.count().to_string())
                .replace(
                    "{teams}",
                    &map.nodes
                        .iter()
                        .filter(|n| n.kind == NodeKind::Team)
                        .count()
                        .to_string(),
                );
            let text = MapText {
                title: ui("team_map"),
                description: &description,
                works_with: ui("map_works_with"),
                keeps_informed: ui("map_keeps_informed"),
                typography: config.typography(code),
            };
            // Wide for screens, narrow for phones: the theme's CSS shows one. A map of
            // hundreds of boxes helps nobody and weighs megabytes: past that, none; and
            // none of no box (a documentation site has no roles and no teams).
            if map.nodes.is_empty() || map.nodes.len() > teammap::MAX_NODES {
                self.team_maps.insert(code.clone(), String::new());
                continue;
            }
            let both = format!(
                "<div class=\"team-map-wide\">{}</div><div class=\"team-map-narrow\">{}</div>",
                teammap::svg(&map, &text, "team-map", &teammap::Size::WIDE),
                teammap::svg(&map, &text, "team-map-narrow", &teammap::Size::NARROW)
            );
            self.team_maps.insert(code.clone(), both);
        }
        let titles: BTreeMap<&String, String> = config
            .title
            .iter()
            .map(|(lang, title)| (lang, config.typography(lang).apply(title)))
            .collect();
        let global = self.tera.global_context();
        global.insert(
            "site",
            &SiteInfo {
                title: &titles,
                languages: &config.languages,
                default_language: config.default_language(),
                base_url: config.base_url.as_deref(),
                id: checklist::site_identity(config),
                options: &config.theme_options,
            },
        );
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

    /// Renders a job straight into `out` (see [`Job::is_large`]); other jobs are rendered
    /// whole, then written.
    pub(crate) fn render_to(
        &self,
        job: &Job,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        let cannot = |e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot write `{}`: {e}",
                job.output_path(self.site)
            ))
        };
        match job {
            Job::Checklist(checklist::Output::Page { lang, part }) => {
                self.write_checklist(lang, *part, out)
            }
            Job::Checklist(output) => self.checklists().write(output, out).map_err(cannot),
            other => out.write_all(&self.render(other)?.bytes).map_err(cannot),
        }
    }

    pub(crate) fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        match job {
            Job::Page(i) => self.render_page(*i),
            Job::LanguageChoice => self.render_special("languages.html", "index.html", ""),
            Job::Checklist(output) => {
                let mut bytes = Vec::with_capacity(16 * 1024);
                self.render_to(job, &mut bytes)?;
                Ok(OutputFile {
                    path: output.path(),
                    bytes: bytes.into(),
                })
            }
            // The 404 page is served at any depth: its links are relative to the site's
            // root, which its template's `<base>` names (see 404.html).
            Job::NotFound => self.render_special("404.html", "404.html", ""),
            Job::Robots => Ok(OutputFile {
                path: "robots.txt".into(),
                bytes: self.robots().into_bytes().into(),
            }),
            Job::Sitemap => Ok(OutputFile {
                path: "sitemap.xml".into(),
                bytes: self.sitemap().into_bytes().into(),
            }),
        }
    }

    fn render_page(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let p = &site.pages[i];
        let template = match p.page.kind {
            Kind::Home => "home.html",
            Kind::Section => "section.html",
            Kind::Role => "role.html",
            Kind::Team => "team.html",
            Kind::Page => "page.html",
        };
        let ids = |v: &[usize]| -> Vec<Value> {
            v.iter()
                .map(|&j| self.prepared.summaries[j].clone())
                .collect()
        };
        let view = PageView {
            title: &p.page.title,
            description: p.page.description.as_deref(),
            kind: p.page.kind,
            key: &p.page.key,
            url: &p.path,
            section: p.page.section.as_deref(),
            toc: &p.body.toc,
            responsibilities: &p.page.responsibilities,
            skills: &p.page.skills,
            risks: &p.page.risks,
            contact: p.page.contact.as_deref(),
            checklist: p.checklist(),
            progress: checklist::Progress::of(p.checklist()),
            extra: &p.page.extra,
            works_with: ids(&p.works_with),
            depends_on: ids(&p.depends_on),
            depended_by: ids(&p.depended_by),
            members: ids(&p.members),
            translations: p
                .translations
                .iter()
                .map(|&j| Translation {
                    lang: site.pages[j].lang(),
                    name: self.language_name(site.pages[j].lang()),
                    url: &site.pages[j].path,
                })
                .collect(),
        };
        let mut context = self.language_context(p.lang(), &root_prefix(&p.path));
        context.insert("page", &view);
        context.insert_value("content", Value::safe_string(&p.body.html));
        if let Some(sidebar) = site.navigation.sidebar(site, i) {
            context.insert_value("sidebar", Value::safe_string(&sidebar));
        }
        // Languages with no translation of this page get a link to their home instead.
        let others: Vec<Translation> = site
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
                Translation {
                    lang: &l.code,
                    name: &l.name,
                    url: target.map_or("", |t| &t.path),
                }
            })
            .collect();
        context.insert("other_languages", &others);
        // A team's contact, with its email addresses as links to write to.
        if let Some(contact) = &p.page.contact {
            context.insert_value("contact", Value::safe_string(&contact_html(contact)));
        }
        if p.page.kind == Kind::Home
            && let Some(svg) = self.prepared.team_maps.get(p.lang())
        {
            context.insert_value("team_map", Value::safe_string(svg));
        }
        self.render_template(template, &context, &p.path)
    }

    fn checklists(&self) -> &checklist::SiteChecklists<'_> {
        self.checklists
            .get_or_init(|| checklist::SiteChecklists::of(self.site))
    }

    /// A part of a language's checklist page, written to `out` as it renders; its
    /// translations are the other languages' checklist pages.
    fn write_checklist(
        &self,
        lang: &str,
        part: usize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        let site = self.site;
        let path = checklist::part_path(lang, part);
        let shown = self.checklists().page(lang, part).ok_or_else(|| {
            Diagnostic::error(format!("`{path}`: no such part of the checklist page"))
        })?;
        let paths: Vec<(&crate::config::Language, String)> = site
            .config
            .languages
            .iter()
            .filter(|l| l.code != lang)
            .map(|l| (l, checklist::page_path(&l.code)))
            .collect();
        let others: Vec<Translation> = paths
            .iter()
            .map(|(l, url)| Translation {
                lang: &l.code,
                name: &l.name,
                url,
            })
            .collect();
        let title = self
            .prepared
            .checklist_titles
            .get(lang)
            .map_or("", String::as_str);
        let view = ChecklistPageView {
            title,
            description: None,
            kind: "checklist",
            key: checklist::PAGE_KEY,
            url: &path,
            translations: &others,
        };
        let mut context = self.language_context(lang, &root_prefix(&path));
        context.insert("page", &view);
        context.insert("other_languages", &others);
        context.insert("checklists", &shown.checklists);
        context.insert("checklist_parts", &shown.parts);
        context.insert("checklist_ids", &shown.ids);
        context.insert("checklist_next", &shown.next);
        self.render_template_to("checklists.html", &context, out)
    }

    fn language_context(&self, lang: &str, root: &str) -> Context {
        let mut context = Context::new();
        let language = self.site.config.languages.iter().find(|l| l.code == lang);
        context.insert("lang", lang);
        context.insert("dir", language.map_or("ltr", |l| l.dir.as_str()));
        context.insert("root", root);
        // A page in a guide replaces it with its guide's menu (see `render_page`).
        context.insert("sidebar", "");
        let typography = self.site.config.typography(lang);
        context.insert(
            "site_title",
            &typography.apply(self.site.config.title.get(lang).map_or("", String::as_str)),
        );
        if let Some(nav) = self.prepared.nav.get(lang) {
            context.insert_value("nav", nav.clone());
        }
        if let Some(t) = self.prepared.strings.get(lang) {
            context.insert_value("t", t.clone());
        }
        context
    }

    fn render_special(
        &self,
        template: &str,
        path: &str,
        root: &str,
    ) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let default = site.config.default_language();
        let mut context = self.language_context(default, root);
        let homes: Vec<Translation> = site
            .config
            .languages
            .iter()
            .map(|l| Translation {
                lang: &l.code,
                name: &l.name,
                url: site.home(&l.code).map_or("", |h| &site.pages[h].path),
            })
            .collect();
        let titles: BTreeMap<&str, &Value> = self
            .prepared
            .strings
            .iter()
            .map(|(lang, v)| (lang.as_str(), v))
            .collect();
        context.insert("homes", &homes);
        context.insert("all_strings", &titles);
        self.render_template(template, &context, path)
    }

    fn render_template(
        &self,
        template: &str,
        context: &Context,
        path: &str,
    ) -> Result<OutputFile, Diagnostic> {
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.render_template_to(template, context, &mut bytes)?;
        Ok(OutputFile {
            path: path.to_string(),
            bytes: bytes.into(),
        })
    }

    fn render_template_to(
        &self,
        template: &str,
        context: &Context,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.prepared
            .tera
            .render_to(template, context, out)
            .map_err(|e| template_error(&e, template, &self.prepared.template_files))
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

    fn sitemap(&self) -> String {
        let site = self.site;
        let base = site.config.base_url.as_deref().unwrap_or("/");
        let url = |path: &str| format!("{base}{}", path.trim_end_matches("index.html"));
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        // Each page with its translations as (language, path); a page alone has none.
        let mut entries: Vec<(&str, Vec<(&str, &str)>)> = site
            .pages
            .iter()
            .map(|p| {
                let mut all: Vec<(&str, &str)> = p
                    .translations
                    .iter()
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
        for (path, mut all) in entries {
            out.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n",
                xml_escape(&url(path))
            ));
            all.sort();
            for (lang, path) in &all {
                out.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
                    xml_escape(&url(path))
                ));
            }
            if let Some((_, d)) = all.iter().find(|(lang, _)| *lang == default) {
                out.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                    xml_escape(&url(d))
                ));
            }
            out.push_str("  </url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }
}

/// A language's roles and outside teams as a graph, links relative to its home page.
fn team_map(site: &Site, lang: &str) -> TeamMap {
    let home = site.home(lang).map_or("", |h| site.pages[h].path.as_str());
    let root = root_prefix(home);
    let mut index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut map = TeamMap::default();
    for (kind, node_kind) in [(Kind::Role, NodeKind::Role), (Kind::Team, NodeKind::Team)] {
        for i in site.of_kind(kind, lang) {
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
            out.push_str(&xml_escape(&word[..at]));
            out.push_str(&format!(
                "<a href=\"mailto:{0}\">{0}</a>",
                xml_escape(address)
            ));
            out.push_str(&xml_escape(&word[at + inner.len()..]));
        } else {
            out.push_str(&xml_escape(word));
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

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Compiles all templates; every syntax error becomes a diagnostic with file and line.
fn compile(
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

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a BTreeMap<&'a String, String>,
    languages: &'a [crate::config::Language],
    default_language: &'a str,
    base_url: Option<&'a str>,
    /// Tells this site's checklist ticks apart from another's in the browser.
    id: String,
    options: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Nav {
    home: String,
    roles_url: String,
    teams_url: String,
    checklist_url: String,
    roles: Vec<Value>,
    teams: Vec<Value>,
    pages: Vec<Value>,
    /// The guides of the language (folders with a `TOC.md`), for a documentation home.
    guides: Vec<GuideLink>,
}

#[derive(Serialize)]
struct GuideLink {
    title: String,
    description: Option<String>,
    url: String,
}

/// What lists and links show of a page.
#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    key: &'a str,
    kind: Kind,
    checklist: &'a [ChecklistItem],
    progress: checklist::Progress,
}

impl<'a> Summary<'a> {
    fn of(p: &'a SitePage) -> Summary<'a> {
        Summary {
            title: &p.page.title,
            description: p.page.description.as_deref(),
            url: &p.path,
            key: &p.page.key,
            kind: p.page.kind,
            checklist: p.checklist(),
            progress: checklist::Progress::of(p.checklist()),
        }
    }
}

/// What `base.html` needs of the generated checklist page.
#[derive(Serialize)]
struct ChecklistPageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    kind: &'a str,
    key: &'a str,
    url: &'a str,
    translations: &'a [Translation<'a>],
}

#[derive(Serialize)]
struct Translation<'a> {
    lang: &'a str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    kind: Kind,
    key: &'a str,
    url: &'a str,
    section: Option<&'a str>,
    toc: &'a [crate::markdown::Heading],
    responsibilities: &'a [String],
    skills: &'a [String],
    risks: &'a [String],
    contact: Option<&'a str>,
    checklist: &'a [ChecklistItem],
    progress: checklist::Progress,
    extra: &'a BTreeMap<String, serde_json::Value>,
    works_with: Vec<Value>,
    depends_on: Vec<Value>,
    depended_by: Vec<Value>,
    members: Vec<Value>,
    translations: Vec<Translation<'a>>,
}
