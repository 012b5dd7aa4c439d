//! The build pipeline, stage by stage:
//!
//! ```text
//! config    site.yaml -> Config
//! theme     embedded default + folders on disk, overrides -> Theme
//! content   content/ -> sources -> front matter -> pages (and the files beside them)
//! site      pages linked: translations, roles <-> teams, navigation, URLs -> Site
//! bodies    Markdown (+ Adobe Flavored Markdown) -> HTML, headings, checklists, search entries;
//!           then `anchors` resolves links to `#fragment`s
//! render    Site + templates (tera) -> output files (collisions checked first)
//! output    lock, stage, swap atomically (or recover), stamp
//! ```
//!
//! Each stage is a module that takes the previous stage's value and imports no later
//! stage, nor the pipeline, nor the commands (`src/cmd/`, in the binary). What several
//! stages share are small value modules below them all: `diagnostics`, `files` (static
//! and rendered files), `text` (decoding), `hash`, `checklist_item`, `typography`,
//! `sanitize`, `yaml`. The one import against the stream: `collisions`, run before
//! `render`, asks `render` which files it will write. A stage that a rebuild can reuse
//! owns its cache (`content::Cache`, `bodies::Cache`); `incremental` gathers them with
//! the rendered files for `serve`.
//!
//! Diagnostics of every stage are gathered,
//! so that one build reports every problem; the output is swapped in only when there is no
//! error. `build` writes each page to a staging folder as soon as it is rendered, so that
//! memory does not grow with the site's total HTML; `render_site` (for `serve`) keeps the
//! files in memory instead, and `check_site` (for `check`) drops each file once its
//! anchors are read.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use rayon::prelude::*;
use std::time::{Duration, Instant};

use crate::config::{Config, normalize_base_url};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::{OutputFile, StaticFile};
use crate::incremental::{Cache, CachedOutput};
use crate::output_folder::OutputFolder;
use crate::render::{self, Rebuilt, Renderer};
use crate::site::{self, GeneratedTitles, Site};
use crate::theme::{self, Strings};
use crate::{anchors, assets, bodies, collisions, content, output, search};

/// What to build, from the command line.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub source: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Name CSS and JS assets by a hash of their content (off in `serve`).
    pub fingerprint: bool,
    /// Replace an output folder that equipe did not make (`build --force`).
    pub force: bool,
    /// Warnings are errors: the output is not replaced (`build --strict`).
    pub strict: bool,
}

impl BuildOptions {
    pub fn new(source: impl Into<PathBuf>) -> BuildOptions {
        let source = source.into();
        BuildOptions {
            output: source.join("public"),
            source,
            base_url: None,
            drafts: false,
            fingerprint: true,
            force: false,
            strict: false,
        }
    }
}

/// A rendered site.
pub struct Rendered {
    pub site: Site,
    /// The rendered files, in memory (empty after `build`, which wrote them as they came).
    pub files: Vec<OutputFile>,
    pub statics: Vec<StaticFile>,
    /// How many files the output has, static files included.
    pub file_count: usize,
}

/// Where rendered files go.
#[derive(Clone, Copy)]
enum Destination<'a> {
    /// Kept in [`Rendered::files`].
    Memory,
    /// Written to the staging folder as they are rendered.
    Disk(&'a output::Staging<'a>),
    /// Rendered, checked, and dropped (`check`): only the findings are kept.
    Discard,
}

/// The result of a build: what was made and every problem found.
pub struct Outcome {
    pub rendered: Option<Rendered>,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// `build` found the output as the last clean build of the same inputs left it, and
    /// did nothing (`rendered` is `None`).
    pub up_to_date: bool,
    /// What the user should know about the output folder (see
    /// [`OutputFolder::notes`]), to print whatever the outcome.
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        (self.rendered.is_some() || self.up_to_date) && !self.diagnostics.has_errors()
    }
}

/// Runs every stage in memory; writes nothing. With a `cache` (`serve`'s rebuilds), reuses
/// from it what cannot have changed since the previous rebuild (see `incremental.rs`) and
/// leaves in it what this one made.
pub fn render_site(options: &BuildOptions, cache: Option<&mut Cache>) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let rendered = run(options, &mut diagnostics, Destination::Memory, cache);
    outcome(start, diagnostics, rendered)
}

/// Runs every stage for the findings alone: each file is dropped once rendered and its
/// anchors read, so that memory stays near a build's (the outcome has no files).
pub fn check_site(options: &BuildOptions) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let rendered = run(options, &mut diagnostics, Destination::Discard, None);
    outcome(start, diagnostics, rendered)
}

fn outcome(start: Instant, mut diagnostics: Diagnostics, rendered: Option<Rendered>) -> Outcome {
    diagnostics.sort();
    let rendered = if diagnostics.has_errors() {
        None
    } else {
        rendered
    };
    Outcome {
        rendered,
        diagnostics,
        elapsed: start.elapsed(),
        up_to_date: false,
        notes: Vec::new(),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "to be split: the redesign issue's step 4"
)]
fn run(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
    destination: Destination,
    mut cache: Option<&mut Cache>,
) -> Option<Rendered> {
    let mut config = match Config::load(&options.source) {
        Ok(c) => c,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    if let Some(url) = &options.base_url {
        config.base_url = Some(normalize_base_url(url));
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.forget_if_changed(&config);
    }
    // Theme and content do not depend on each other: report both sets of problems.
    let theme = theme::load(&config);
    let (content, content_diagnostics) = content::load(
        &config,
        options.drafts,
        cache.as_deref_mut().map(|c| &mut c.content),
    );
    diagnostics.extend(content_diagnostics);
    let theme = match theme {
        Ok((theme, mut warnings)) => {
            config.theme_options = theme.resolve_options(&config, &mut warnings);
            diagnostics.extend(warnings);
            Some(theme)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    let titles = SectionTitles(theme.as_ref().map(|t| &t.strings));
    // What pages may link besides pages: static files (the site's override the theme's)
    // and the files beside the content.
    let mut statics = theme
        .as_ref()
        .map(|t| t.static_files.clone())
        .unwrap_or_default();
    statics.extend(content.files);
    // One file per output path: a file in content/ wins over a static one.
    statics.reverse();
    let mut seen = std::collections::BTreeSet::new();
    statics.retain(|s| seen.insert(s.path.clone()));
    statics.sort_by(|a, b| a.path.cmp(&b.path));
    let linkable = seen;
    let (mut site, site_diagnostics) = site::build(
        config,
        content.pages,
        &content.unreadable,
        linkable,
        &titles,
    );
    diagnostics.extend(site_diagnostics);
    diagnostics.extend(bodies::render(
        &mut site,
        cache.as_deref_mut().map(|c| &mut c.bodies),
    ));
    diagnostics.extend(anchors::resolve(&mut site));
    let mut theme = theme?;
    let collisions = collisions::check(&site, &statics, options.fingerprint);
    diagnostics.extend(collisions.diagnostics);
    theme.static_files = statics;
    // The search indexes. A build writes each as soon as it is made and lets go of its
    // entries, so that neither piles up in memory; in memory, they are kept (and cached).
    let index_paths: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| search::index_path(&l.code))
        .collect();
    let generated = match destination {
        Destination::Disk(staging) => {
            let codes: Vec<String> = site
                .config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect();
            for (lang, path) in codes.iter().zip(&index_paths) {
                if collisions.overridden.contains(path) {
                    continue;
                }
                let bytes = search::index_js(&site, lang);
                if let Err(d) = staging.write(path, &bytes) {
                    diagnostics.push(d);
                }
                drop(bytes);
                search::release_entries(&mut site, lang);
            }
            Vec::new()
        }
        Destination::Discard => {
            for lang in site.config.languages.clone() {
                search::release_entries(&mut site, &lang.code);
            }
            Vec::new()
        }
        Destination::Memory => {
            let mut indexes = search::indexes(&site, cache.as_deref_mut().map(|c| &mut c.indexes));
            indexes.retain(|f| !collisions.overridden.contains(&f.path));
            indexes
        }
    };
    // Assets that pages link come first: pages carry their fingerprinted names.
    let asset_urls =
        match assets::fingerprint(&mut theme.static_files, &index_paths, options.fingerprint) {
            Ok(urls) => urls,
            Err(d) => {
                diagnostics.push(d);
                return None;
            }
        };
    let mut jobs = render::jobs(&site);
    jobs.retain(|j| !collisions.overridden.contains(&j.output_path(&site)));
    let anchors = AnchorCheck::new(&site, cache.is_some());
    let previous = cache.as_ref().and_then(|c| c.prepared.clone());
    let renderer = match Renderer::new(&theme, &site, &asset_urls, previous.as_ref()) {
        Ok(r) => r,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    let file_count = jobs.len() + index_paths.len() + theme.static_files.len();
    let mut files = match (cache, destination) {
        (Some(cache), Destination::Memory) => {
            let (files, errors) = rebuild(&renderer, &jobs, cache, &anchors);
            diagnostics.extend(errors);
            files
        }
        _ => {
            let (files, errors) = render_jobs(&renderer, jobs, destination, &anchors);
            diagnostics.extend(errors);
            files
        }
    };
    drop(renderer);
    // In memory, the search indexes are served with the pages (a build wrote them).
    files.extend(generated);
    if let Destination::Disk(staging) = destination
        && let Err(d) = staging.write_statics(&theme.static_files)
    {
        diagnostics.push(d);
    }
    diagnostics.extend(anchors.findings(&site));
    Some(Rendered {
        site,
        files,
        statics: theme.static_files,
        file_count,
    })
}

/// Renders every job for a build or a check: each file is written (or dropped) as soon as
/// it is rendered, and the large site-wide files are streamed beside the other jobs.
fn render_jobs(
    renderer: &Renderer,
    jobs: Vec<render::Job>,
    destination: Destination,
    anchors: &AnchorCheck,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let keep = |file: OutputFile| -> Result<Option<OutputFile>, Diagnostic> {
        anchors.observe(&file);
        match destination {
            Destination::Memory => Ok(Some(file)),
            Destination::Disk(staging) => staging.write(&file.path, &file.bytes).map(|()| None),
            Destination::Discard => Ok(None),
        }
    };
    let (streamed, jobs): (Vec<render::Job>, Vec<render::Job>) = match destination {
        Destination::Disk(_) | Destination::Discard => {
            jobs.into_iter().partition(render::Job::is_large)
        }
        Destination::Memory => (Vec::new(), jobs),
    };
    let stream = |job: &render::Job| -> Option<Diagnostic> {
        match destination {
            Destination::Disk(staging) => {
                let path = job.output_path(renderer.site());
                staging
                    .write_with(&path, |out| renderer.render_to(job, out))
                    .err()
            }
            Destination::Discard => renderer.render_to(job, &mut std::io::sink()).err(),
            Destination::Memory => None,
        }
    };
    let ((kept, mut errors), stream_errors) = rayon::join(
        || renderer.render_each(&jobs, keep),
        || streamed.par_iter().filter_map(stream).collect::<Vec<_>>(),
    );
    errors.extend(stream_errors);
    (kept.into_iter().flatten().collect(), errors)
}

/// Renders, for `serve`, the jobs whose template context changed since the previous
/// rebuild (see [`Renderer::rebuild`]) and takes the others' files from `cache`, which
/// is left with this rebuild's files.
fn rebuild(
    renderer: &Renderer,
    jobs: &[render::Job],
    cache: &mut Cache,
    anchors: &AnchorCheck,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    cache.prepared = Some(renderer.prepared());
    let outputs = &cache.outputs;
    let results: Vec<Result<(String, Rebuilt), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let path = job.output_path(renderer.site());
            let rebuilt = renderer.rebuild(job, |path, key| {
                outputs.get(path).is_some_and(|c| c.key == key)
            })?;
            Ok((path, rebuilt))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut fresh: Vec<(String, u64)> = Vec::new();
    let mut pages_rendered = 0;
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok((path, Rebuilt::Same)) => {
                let cached = &cache.outputs[&path];
                if let Some(ids) = cached.ids.as_ref().filter(|_| anchors.wants(&path)) {
                    anchors.observe_ids(&path, Arc::clone(ids));
                }
                files.push(OutputFile {
                    path,
                    bytes: cached.bytes.clone(),
                });
            }
            Ok((path, Rebuilt::New(file, key))) => {
                anchors.observe(&file);
                pages_rendered += usize::from(matches!(job, render::Job::Page(_)));
                fresh.push((path, key));
                files.push(file);
            }
            Err(d) => errors.push(d),
        }
    }
    let rendered: HashMap<&str, &Bytes> =
        files.iter().map(|f| (f.path.as_str(), &f.bytes)).collect();
    for (path, key) in fresh {
        if let Some(&bytes) = rendered.get(path.as_str()) {
            let ids = anchors.ids_of(&path);
            let bytes = bytes.clone();
            cache.outputs.insert(path, CachedOutput { key, bytes, ids });
        }
    }
    // Forget the files of pages gone (rare: only then has the cache more files).
    if cache.outputs.len() > files.len() {
        let present: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        cache
            .outputs
            .retain(|path, _| present.contains(path.as_str()));
    }
    cache.stats = crate::incremental::Stats {
        files_read: cache.content.files_read,
        bodies_rendered: cache.bodies.rendered,
        pages_rendered,
    };
    (files, errors)
}

/// Links to `page.md#fragment`: the fragment must be an id in the target's rendered HTML
/// (a heading of its body, or a section the template adds, such as `#checklist`). Each
/// target's ids are collected as it is rendered, so that the check needs no rendered page
/// kept in memory; a rebuild keeps them with the cached file.
struct AnchorCheck<'a> {
    /// The fragments linked, by target output path.
    wanted: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Collect the ids of every page, not only of linked ones (for the cache).
    every_page: bool,
    /// The ids of each rendered page, by output path.
    found: Mutex<HashMap<String, Arc<HashSet<String>>>>,
}

impl<'a> AnchorCheck<'a> {
    fn new(site: &'a Site, every_page: bool) -> AnchorCheck<'a> {
        let mut wanted: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for a in site.pages.iter().flat_map(|p| &p.body.anchors) {
            wanted
                .entry(a.target.as_str())
                .or_default()
                .insert(a.fragment.as_str());
        }
        AnchorCheck {
            wanted,
            every_page,
            found: Mutex::default(),
        }
    }

    fn observe(&self, file: &OutputFile) {
        let is_page = file.path.ends_with(".html");
        if (self.every_page && is_page) || self.wanted.contains_key(file.path.as_str()) {
            self.observe_ids(&file.path, Arc::new(ids_in(&file.bytes)));
        }
    }

    /// Whether some page links a fragment of `path`.
    fn wants(&self, path: &str) -> bool {
        self.wanted.contains_key(path)
    }

    fn observe_ids(&self, path: &str, ids: Arc<HashSet<String>>) {
        self.found
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), ids);
    }

    fn ids_of(&self, path: &str) -> Option<Arc<HashSet<String>>> {
        let found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        found.get(path).cloned()
    }

    /// A link to a fragment its (rendered) target does not have is a warning, as in
    /// Docusaurus (`onBrokenAnchors: warn`): the page exists and the reader lands on it.
    /// `check --strict` makes it an error.
    fn findings(self, site: &Site) -> Vec<Diagnostic> {
        let found = self
            .found
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut out = Vec::new();
        for p in &site.pages {
            for a in &p.body.anchors {
                let Some(present) = found.get(a.target.as_str()) else {
                    continue;
                };
                if !present.contains(a.fragment.as_str()) {
                    out.push(
                        Diagnostic::warning(format!(
                            "link to `#{}`: no such anchor in {}",
                            a.fragment, a.target
                        ))
                        .in_file(&p.page.file.display)
                        .with_source(p.page.source())
                        .at(a.line, a.column)
                        .with_label("this link"),
                    );
                }
            }
        }
        out
    }
}

/// The values of the `id` attributes of an HTML page.
fn ids_in(html: &[u8]) -> HashSet<String> {
    memchr::memmem::find_iter(html, b"id=\"")
        // ` id="`, not `data-id="`.
        .filter(|&at| at == 0 || html[at - 1].is_ascii_whitespace())
        .map(|at| {
            let value = &html[at + 4..];
            let end = memchr::memchr(b'"', value).unwrap_or(value.len());
            String::from_utf8_lossy(&value[..end]).into_owned()
        })
        .collect()
}

/// Builds and writes the site. The output folder is replaced only if the build succeeded,
/// and only if it is equipe's to replace (see [`OutputFolder::claim`]); no other build
/// writes it meanwhile. When nothing changed since the last clean build (see
/// [`output::Stamp`]), nothing is done: the outcome has no rendered site and
/// [`Outcome::up_to_date`] is set.
pub fn build(options: &BuildOptions) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let folder = match OutputFolder::claim(&options.source, &options.output, options.force) {
        Ok(folder) => folder,
        Err(d) => {
            diagnostics.push(d);
            return outcome(start, diagnostics, None);
        }
    };
    let notes = folder.notes.clone();
    let stamp = output::Stamp::of(&options.source, &folder.path, &format!("{options:?}"));
    if stamp.is_current(&folder.target) {
        let mut outcome = outcome(start, diagnostics, None);
        outcome.up_to_date = true;
        outcome.notes = notes;
        return outcome;
    }
    stamp.forget();
    let staging = match output::Staging::begin(&folder) {
        Ok(staging) => staging,
        Err(d) => {
            diagnostics.push(d);
            return outcome(start, diagnostics, None);
        }
    };
    let mut rendered = run(options, &mut diagnostics, Destination::Disk(&staging), None);
    diagnostics.extend(staging.failures());
    if options.strict {
        let found = std::mem::take(&mut diagnostics);
        diagnostics.extend(found.into_iter().map(|mut d| {
            d.severity = crate::diagnostics::Severity::Error;
            d
        }));
    }
    if rendered.is_some() && !diagnostics.has_errors() {
        match staging.finish() {
            Ok(listing) if diagnostics.is_empty() => stamp.save(&folder.target, listing),
            Ok(_) => {}
            Err(d) => {
                diagnostics.push(d);
                rendered = None;
            }
        }
    }
    let mut outcome = outcome(start, diagnostics, rendered);
    outcome.notes = notes;
    outcome
}

/// Section titles for generated section pages, from the UI strings.
struct SectionTitles<'a>(Option<&'a Strings>);

impl GeneratedTitles for SectionTitles<'_> {
    fn section_title(&self, lang: &str, section: &str) -> String {
        self.0
            .and_then(|s| s.get(lang))
            .and_then(|s| s.get(section))
            .cloned()
            .unwrap_or_else(|| {
                let mut c = section.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
    }
}

/// The site's pages linked together, without rendering, for the translation table of a
/// build that failed (see `equipe check`).
pub fn linked_site(options: &BuildOptions) -> Option<Site> {
    let config = Config::load(&options.source).ok()?;
    let (content, _) = content::load(&config, options.drafts, None);
    let (site, _) = site::build(
        config,
        content.pages,
        &content.unreadable,
        BTreeSet::new(),
        &SectionTitles(None),
    );
    Some(site)
}

/// Shown when the source folder has no `site.yaml`, to help a first run.
pub fn missing_site_hint(source: &Path) -> Option<Diagnostic> {
    (!source.join(crate::config::CONFIG_FILE).exists()).then(|| {
        Diagnostic::error(format!("no site.yaml in `{}`", source.display()))
            .with_help("run the command from a site's folder, pass `--source DIR`, or start a site with `equipe init DIR`")
    })
}
