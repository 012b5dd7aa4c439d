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
//! statics   theme's, `static/`'s and content's files copied, beside `site` to `render`
//! output    lock, stage, swap atomically (or recover), stamp, build cache, bodies' records
//! ```
//!
//! A build whose only changed inputs are pages whose text alone changed goes through none
//! of the stages: it makes those pages' files from their bodies' records (`body_edit`).
//!
//! Each stage is a module that takes the previous stage's value and imports no later
//! stage, nor the pipeline, nor the commands (`src/cmd/`, in the binary). What several
//! stages share are small value modules below them all: `diagnostics`, `files` (static
//! and rendered files), `text` (decoding), `hash`, `checklist_item`, `typography`,
//! `sanitize`, `yaml`, `json` (strings written as JSON). The one import against the
//! stream: `collisions`, run before `render`, asks `render` which files it will write.
//! A stage that a rebuild can reuse owns its cache (`content::Cache`, `bodies::Cache`,
//! `search::Cache`, `render::Cache`); `incremental` holds them for `serve` and for `build`
//! (which keeps them on disk between runs, see `build_cache`), whose rebuilds render a
//! file only if the value it is made from changed (`rebuild.rs`).
//!
//! Diagnostics of every stage are gathered, so that one build reports every problem; the
//! output is swapped in only when there is no error. Where the files go is the one thing
//! that differs between `build`, `serve` and `check` (`destination.rs`): `build` writes
//! each page to a staging folder as soon as it is rendered, so that memory does not grow
//! with the site's total HTML; `render_site` (for `serve`) keeps the files in memory
//! instead, and `check_site` (for `check`) drops each file once its anchors are read
//! (`anchor_check.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build_cache::{BuildCache, Partial};
use crate::config::{Config, normalize_base_url};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::{OutputFile, StaticFile};
use crate::incremental::Cache;
use crate::output_folder::OutputFolder;
use crate::render::{self, Renderer};
use crate::site::{self, GeneratedTitles, Site};
use crate::theme::{self, Strings};
use crate::{
    anchors, assets, bodies, body_edit, checklist_ids, collisions, content, edit_records, output,
    search, static_edit, toc_edit, translations,
};

mod anchor_check;
mod destination;
mod rebuild;

use anchor_check::AnchorCheck;
use destination::Destination;

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
    /// How many of the pages and other rendered files a build took from the previous
    /// output, as the build cache showed them to be the same (see `build_cache`).
    pub reused: usize,
    /// How many page bodies (rendered Markdown) it took from the build cache.
    pub bodies_reused: usize,
}

/// The result of a build: what was made and every problem found.
pub struct Outcome {
    pub rendered: Option<Rendered>,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// `build` found the output as the last build of the same inputs left it, and
    /// did nothing (`rendered` is `None`; `diagnostics` are that build's warnings).
    pub up_to_date: bool,
    /// `build` found that only pages' text changed, and nothing the rest of the site
    /// shows of them: it made those pages again and left every other file as it was
    /// (`rendered` is `None`; `diagnostics` are the last build's warnings). See
    /// `body_edit`.
    pub edited: Option<EditedPages>,
    /// `build` found that only files it copies as they are changed, files nothing else
    /// of the site reads: it copied them again and left every other file as it was
    /// (`rendered` is `None`; `diagnostics` are the last build's warnings). See
    /// `static_edit`.
    pub copied: Option<CopiedFiles>,
    /// What the user should know about the output folder (see
    /// [`OutputFolder::notes`]), to print whatever the outcome.
    pub notes: Vec<String>,
    /// `build` read bytes of its cache midway that were not as they were written, and put
    /// nothing out (see [`build`]).
    cache_damaged: bool,
}

/// What a build after an edit of pages' text alone did (see [`Outcome::edited`]).
#[derive(Clone, Copy, Debug)]
pub struct EditedPages {
    /// The pages it made again.
    pub pages: usize,
    /// The files it wrote: those pages' and their search indexes'.
    pub written: usize,
    /// The files of the output.
    pub files: usize,
}

/// What a build after an edit of files copied as they are did (see [`Outcome::copied`]).
#[derive(Clone, Copy, Debug)]
pub struct CopiedFiles {
    /// The files it copied again.
    pub copied: usize,
    /// The files of the output.
    pub files: usize,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        (self.rendered.is_some()
            || self.up_to_date
            || self.edited.is_some()
            || self.copied.is_some())
            && !self.diagnostics.has_errors()
    }
}

/// Runs every stage in memory; writes nothing. With a `cache` (`serve`'s rebuilds), reuses
/// from it what cannot have changed since the previous rebuild (see `incremental.rs`) and
/// leaves in it what this one made.
pub fn render_site(options: &BuildOptions, mut cache: Option<&mut Cache>) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Diagnostics::default();
    // What each body was made with, for the next save that edits pages' text alone (see
    // `body_edit::edit_served`): recorded as a build records it, in memory.
    if let Some(cache) = cache.as_deref_mut() {
        let previous = cache.records.take();
        cache.bodies.edits = Some(edit_records::Recorder::in_memory(previous));
    }
    let rendered = run(
        options,
        &mut diagnostics,
        Destination::Memory,
        cache.as_deref_mut(),
    );
    if let Some(cache) = cache {
        let edits = cache.bodies.edits.take();
        cache.records = match (edits, &rendered) {
            (Some(edits), Some(r)) if !diagnostics.has_errors() => {
                edits.finish_in_memory(&r.site, diagnostics.iter())
            }
            _ => None,
        };
    }
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
        edited: None,
        copied: None,
        notes: Vec::new(),
        cache_damaged: false,
    }
}

/// The pipeline, stage by stage (see the module's documentation).
fn run(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
    destination: Destination,
    cache: Option<&mut Cache>,
) -> Option<Rendered> {
    let mut stand_ins = StandIns::default();
    let rendered = stages(options, diagnostics, destination, cache, &mut stand_ins);
    stand_ins.drop_stale(diagnostics);
    rendered
}

/// Pages that no longer read, in the site as they last were (see `content::Content`):
/// what the stages after `content` say of them is of that version, not of the file as
/// it is, and is not said. Their read errors are.
#[derive(Default)]
struct StandIns {
    files: Vec<PathBuf>,
    /// How many diagnostics there were once the content was read.
    from: usize,
}

impl StandIns {
    fn drop_stale(&self, diagnostics: &mut Diagnostics) {
        if !self.files.is_empty() {
            diagnostics.retain_after(self.from, |d| {
                d.file.as_ref().is_none_or(|f| !self.files.contains(f))
            });
        }
    }
}

fn stages(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
    destination: Destination,
    mut cache: Option<&mut Cache>,
    stand_ins: &mut StandIns,
) -> Option<Rendered> {
    let config = load_config(options, diagnostics)?;
    if let Some(cache) = cache.as_deref_mut() {
        cache.forget_if_changed(&config);
    }
    let (config, theme, mut content) =
        load_sources(config, options, cache.as_deref_mut(), diagnostics);
    stand_ins.files = content
        .stand_ins
        .iter()
        .map(|f| f.display.clone())
        .collect();
    stand_ins.from = diagnostics.len();
    // A theme that shows more of a body than its HTML as it is: no edit is of the text alone.
    // (Read where bodies are recorded: by a build, and by each of `serve`'s rebuilds.)
    if let (Some(cache), Some(theme)) = (cache.as_deref_mut(), theme.as_ref())
        && cache.bodies.edits.is_some()
        && !body_edit::shows_bodies_as_they_are(&theme.templates)
    {
        cache.bodies.edits = None;
    }
    let (statics, linkable) = statics(theme.as_ref(), std::mem::take(&mut content.files));
    let sources = Sources {
        config,
        theme,
        content,
        statics: statics.clone(),
        linkable,
    };
    // The static files are copied beside every later stage, which leave a core idle at
    // times (a guide's 48 MB of images took 20-26 ms at its end, both cores copying).
    // Pages never take a static file's path (see `collisions`): the copies are the output's.
    let (copied, rendered) = rayon::join(
        || destination.write_statics(&statics),
        || from_site(options, diagnostics, destination, cache, sources),
    );
    diagnostics.extend(copied);
    rendered
}

/// What the stages from `site` on are made from.
struct Sources {
    config: Config,
    theme: Option<theme::Theme>,
    content: content::Content,
    /// One per output path, the content's and the theme's (see [`statics`]).
    statics: Vec<StaticFile>,
    /// Their paths, which pages may link.
    linkable: BTreeSet<String>,
}

/// The stages from `site` on (see [`stages`]). The static files are copied beside them;
/// the fingerprinted copies of assets, made here, are written at the end.
fn from_site(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
    destination: Destination,
    mut cache: Option<&mut Cache>,
    sources: Sources,
) -> Option<Rendered> {
    let Sources {
        config,
        theme,
        content,
        statics,
        linkable,
    } = sources;
    let titles = SectionTitles(theme.as_ref().map(|t| &t.strings));
    let (mut site, site_diagnostics) = site::build(
        config,
        content.pages,
        &content.unreadable,
        linkable,
        &titles,
    );
    diagnostics.extend(site_diagnostics);
    diagnostics.extend(translations::source_language_hint(&site));
    diagnostics.extend(bodies::render(
        &mut site,
        cache.as_deref_mut().map(|c| &mut c.bodies),
    ));
    diagnostics.extend(checklist_ids::shared(&site));
    let edits = cache.as_ref().and_then(|c| c.bodies.edits.as_ref());
    let previous = cache.as_ref().and_then(|c| c.render.prepared.clone());
    // The templates are compiled beside the anchors stage, which leaves a core idle at
    // times, rather than before the pages on one core (2-3 ms of a guide's build); not
    // when what an earlier build prepared may be reused (`serve`).
    let (anchor_warnings, compiled) = rayon::join(
        || anchors_and_tocs(&mut site, theme.as_ref(), edits),
        || {
            theme
                .as_ref()
                .filter(|_| previous.is_none())
                .map(|t| render::Compiled::of(&t.templates))
        },
    );
    diagnostics.extend(anchor_warnings);
    let mut theme = theme?;
    // Made once: the checklists each language has decide the jobs, and working that out
    // goes over every page.
    let mut jobs = render::jobs(&site);
    let mut collisions = collisions::check(&site, &jobs, &statics, options.fingerprint);
    diagnostics.extend(std::mem::take(&mut collisions.diagnostics));
    let copied = statics.len();
    theme.static_files = statics;
    // A build that reused bodies from its cache writes the indexes it makes again beside
    // the pages it renders (one index took one core while the other waited: 20 ms of a
    // build after a title edited at 20,000 pages); a build that rendered every body (a
    // first build, whose cache was empty) writes them first, and lets their entries go
    // before the pages render, where its memory peaks (29 MiB more at 20,000 pages).
    let beside = matches!(destination, Destination::Disk(_))
        && cache
            .as_ref()
            .is_some_and(|c| c.bodies.rendered < site.pages.len());
    let indexes = if beside {
        Vec::new()
    } else {
        destination.search_indexes(&mut site, &collisions, cache.as_deref_mut(), diagnostics)
    };
    // Assets that pages link come first: pages carry their fingerprinted names.
    let index_paths: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| search::index_path(&l.code))
        .collect();
    let asset_urls =
        assets::fingerprint(&mut theme.static_files, &index_paths, options.fingerprint)
            .map_err(|d| diagnostics.push(d))
            .ok()?;
    jobs.retain(|j| !collisions.overridden.contains(&j.output_path(&site)));
    let file_count = jobs.len() + index_paths.len() + theme.static_files.len();
    // `serve` keeps every page's ids for its next rebuild; a build reads a reused page's
    // back from disk when a link needs them.
    let every_page = cache.is_some() && matches!(destination, Destination::Memory);
    let anchors = AnchorCheck::new(&site, every_page);
    let renderer = || Renderer::new(&theme, &site, &asset_urls, previous.as_ref(), compiled);
    let (renderer, mut files) = render_pages(
        destination,
        renderer,
        jobs,
        (&site, &collisions, &anchors),
        match cache.as_deref_mut() {
            Some(cache) if beside => Ok(cache),
            cache => Err(cache),
        },
        diagnostics,
    )?;
    // In memory, the search indexes are served with the pages (a build wrote them).
    files.extend(indexes);
    // The renderer's values (every page's summary, each language's menus) are freed
    // beside the last stages, not before them: 6 ms on one core after one edit at
    // 20,000 pages.
    std::thread::scope(|scope| {
        scope.spawn(move || drop(renderer));
        diagnostics.extend(destination.write_statics(&theme.static_files[copied..]));
        diagnostics.extend(anchors.findings(&site));
    });
    // A body is rendered or reused, one for each page.
    let bodies_reused = cache
        .as_ref()
        .map_or(0, |c| site.pages.len() - c.bodies.rendered);
    Some(Rendered {
        site,
        files,
        statics: theme.static_files,
        file_count,
        bodies_reused,
        reused: cache.map_or(0, |c| c.reused()),
    })
}

/// Sends links to `#anchors` where they go (see [`anchors`]); with `edits`, a build's
/// records, keeps what a build after an edit of a page's headings renders its table of
/// contents with. Returns the warnings of links that could not be sent.
fn anchors_and_tocs(
    site: &mut Site,
    theme: Option<&theme::Theme>,
    edits: Option<&crate::edit_records::Recorder>,
) -> Vec<Diagnostic> {
    let templates = theme.map_or(&[][..], |t| &t.templates);
    // `named` is not kept while pages render, where a build's memory peaks.
    let (warnings, named) = anchors::resolve(site, templates, edits.is_some());
    if let (Some(edits), Some(theme)) = (edits, theme)
        && let Some(toc) = toc_edit::TocTemplate::of(&theme.templates)
    {
        edits.tocs(&toc.facts(site, &theme.strings, &named));
    }
    warnings
}

/// Makes the renderer (`renderer`) and renders the jobs, with `cache`'s `Err` as
/// [`Destination::render`] does; with `Ok`, a build's cache, beside the search indexes the
/// build writes again (see [`stages`]). The errors go to `diagnostics`.
fn render_pages<'s>(
    destination: Destination,
    renderer: impl FnOnce() -> Result<Renderer<'s>, Vec<Diagnostic>> + Send,
    jobs: Vec<render::Job>,
    (site, collisions, anchors): (&Site, &collisions::Collisions, &AnchorCheck),
    cache: Result<&mut Cache, Option<&mut Cache>>,
    diagnostics: &mut Diagnostics,
) -> Option<(Renderer<'s>, Vec<OutputFile>)> {
    let rendered = match cache {
        Ok(cache) => {
            let cache = &*cache;
            let (written, rendered) = rayon::join(
                || destination.write_indexes(site, collisions, Some(cache)),
                || {
                    let renderer = renderer()?;
                    let errors = destination.render_on_disk(&renderer, &jobs, anchors, cache);
                    Ok((renderer, (Vec::new(), errors)))
                },
            );
            diagnostics.extend(written);
            rendered
        }
        Err(cache) => renderer().map(|renderer| {
            let rendered = destination.render(&renderer, jobs, anchors, cache);
            (renderer, rendered)
        }),
    };
    let (renderer, (files, errors)) = rendered.map_err(|e| diagnostics.extend(e)).ok()?;
    diagnostics.extend(errors);
    Some((renderer, files))
}

/// `site.yaml`, with the command line's base URL.
fn load_config(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Config> {
    let mut config = Config::load(&options.source)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    if let Some(url) = &options.base_url {
        config.base_url = Some(normalize_base_url(url));
    }
    Some(config)
}

/// The theme and the content. They do not depend on each other: both sets of problems
/// are reported. The theme resolves its options against the configuration.
fn load_sources(
    mut config: Config,
    options: &BuildOptions,
    cache: Option<&mut Cache>,
    diagnostics: &mut Diagnostics,
) -> (Config, Option<theme::Theme>, content::Content) {
    // Side by side: reading the theme (its templates, its files' hashes) took a millisecond
    // of one core before the pages were read.
    let (theme, (content, content_diagnostics)) = rayon::join(
        || theme::load(&config),
        || content::load(&config, options.drafts, cache.map(|c| &mut c.content)),
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
    (config, theme, content)
}

/// The static files (the site's override the theme's; a file beside the content wins over
/// both), one per output path, and their paths: what pages may link besides pages.
fn statics(
    theme: Option<&theme::Theme>,
    content_files: Vec<StaticFile>,
) -> (Vec<StaticFile>, BTreeSet<String>) {
    let mut statics = theme.map(|t| t.static_files.clone()).unwrap_or_default();
    statics.extend(content_files);
    statics.reverse();
    let mut seen = BTreeSet::new();
    statics.retain(|s| seen.insert(s.path.clone()));
    statics.sort_by(|a, b| a.path.cmp(&b.path));
    (statics, seen)
}

/// Builds and writes the site. The output folder is replaced only if the build succeeded,
/// and only if it is equipe's to replace (see [`OutputFolder::claim`]); no other build
/// writes it meanwhile. When nothing changed since the last build (see
/// [`output::Stamp`]), nothing is done: the outcome has no rendered site, the last
/// build's warnings, and [`Outcome::up_to_date`] set. Otherwise what the build cache beside the output shows
/// to be the same as the last build's is reused (see `build_cache`), and the cache is
/// written again for the next build once the new output is in place.
pub fn build(options: &BuildOptions) -> Outcome {
    let outcome = build_once(options);
    if !outcome.cache_damaged {
        return outcome;
    }
    // Bytes of the build cache read midway (a body's HTML, checked as it is read) were not
    // as they were written: nothing was put out, and the cache was let go. The build runs
    // again without it, as a build that finds a damaged cache at its start does.
    let mut outcome = build_once(options);
    outcome.notes.push(
        "the build cache beside the output was damaged: the site was built again without it"
            .to_string(),
    );
    if outcome.cache_damaged {
        outcome.diagnostics.push(Diagnostic::error(
            "what this build wrote beside the output did not read back as it was written \
             (a failing disk?): the output was left as it was",
        ));
        outcome.rendered = None;
    }
    outcome
}

/// A build (see [`build`]).
fn build_once(options: &BuildOptions) -> Outcome {
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
    let options = canonical(options);
    let options = options.as_ref();
    let settings = settings_of(options);
    let stamp = output::Stamp::of(&options.source, &folder.path, &settings);
    if let Some(warnings) = unchanged(&stamp, options, &folder) {
        diagnostics.extend(warnings);
        let mut outcome = outcome(start, diagnostics, None);
        outcome.up_to_date = true;
        outcome.notes = notes;
        return outcome;
    }
    if let Some(built) = few_files_built(start, &stamp, options, &folder) {
        return built;
    }
    let changed = stamp.changed_inputs();
    stamp.forget();
    let build_cache = BuildCache::beside(&folder.path, &settings);
    let (mut cache, edits) = load_cache(&build_cache, options, &folder, changed);
    cache.kept_on_disk();
    // The cache lists the previous output's files: the output is updated, not replaced,
    // if it is still the folder equipe made (not one `--force` is to replace whole).
    let previous = std::mem::take(&mut cache.outputs);
    let updates = !previous.is_empty() && folder.is_equipes();
    let staging = if updates {
        output::Staging::begin_update(&folder, previous)
    } else {
        output::Staging::begin(&folder)
    };
    let staging = match staging {
        Ok(staging) => staging,
        Err(d) => {
            diagnostics.push(d);
            return outcome(start, diagnostics, None);
        }
    };
    let partial = begin_cache(&build_cache, &mut cache, edits);
    let mut rendered = run(
        options,
        &mut diagnostics,
        Destination::Disk(&staging),
        Some(&mut cache),
    );
    diagnostics.extend(staging.failures());
    if options.strict {
        diagnostics = as_errors(diagnostics);
    }
    // A body's HTML read from the cache that was not as it was written read as empty:
    // nothing of this build is put out (see `build`).
    let damaged = build_cache.found_damaged();
    if rendered.is_some() && !diagnostics.has_errors() && !damaged {
        let stamps = staging.stamps();
        if updates {
            // An update killed midway leaves a mix that this cache does not describe: the
            // next build, without it, replaces the output whole.
            build_cache.forget();
        }
        let ((finished, texts), cache_written) = rayon::join(
            || (staging.finish(), rendered.as_ref().map(texts_of)),
            || {
                cache.finished_writing(&stamps);
                partial
                    .as_ref()
                    .is_some_and(|p| build_cache.write(p, &cache))
            },
        );
        build_cache.keep(cache_written, finished.is_ok());
        match finished {
            Ok(listing) => {
                // In the order they are printed, which the next build keeps.
                diagnostics.sort();
                let texts = texts.unwrap_or_default();
                let copies = rendered.as_ref().map_or_else(String::new, |r| {
                    static_edit::copies(&r.statics, &options.source, &cache.bodies.included)
                });
                let saved = stamp.save(
                    &folder.target,
                    listing,
                    (&texts, &copies),
                    &diagnostics.iter().collect::<Vec<_>>(),
                );
                let edits = cache.bodies.edits.take();
                keep_records(edits, saved, rendered.as_ref(), &diagnostics);
            }
            Err(d) => {
                diagnostics.push(d);
                rendered = None;
            }
        }
    } else {
        build_cache.discard();
    }
    build_cache.forget_if_damaged();
    // Freeing the cache's values one by one (at 20,000 pages, tens of thousands) need not
    // hold up the outcome: a command's process ends with it.
    std::thread::spawn(move || drop(cache));
    let mut outcome = outcome(start, diagnostics, rendered.filter(|_| !damaged));
    outcome.notes = notes;
    outcome.cache_damaged = damaged;
    outcome
}

/// This build's cache, begun beside the one in use: the pages and bodies go to it as they
/// are made (`None` if none can be written).
fn begin_cache(
    build_cache: &BuildCache,
    cache: &mut Cache,
    edits: Option<edit_records::Recorder>,
) -> Option<std::sync::Arc<Partial>> {
    let partial = build_cache.begin();
    cache.bodies.edits = edits;
    cache.bodies.sink = partial.as_ref().map(Partial::sink);
    cache.content.sink = partial.as_ref().map(Partial::pages_sink);
    partial
}

/// The build cache (see `build_cache`) with what changed since it was written, and the
/// start of this build's bodies' records (see `body_edit`).
fn load_cache(
    build_cache: &BuildCache,
    options: &BuildOptions,
    folder: &OutputFolder,
    changed: Option<Vec<PathBuf>>,
) -> (Cache, Option<edit_records::Recorder>) {
    // The walk of `content/` needs no cache: it is made while the cache is read (mostly
    // on one core: mapping it, checking it, going through its bodies).
    // So is the start of this build's bodies' records, with the last build's.
    let (mut cache, (walked, mut edits)) = rayon::join(
        || build_cache.load(),
        || {
            let edits = edit_records::Recorder::begin(&folder.path);
            let walked = load_config(options, &mut Diagnostics::default())
                .map(|config| (content::discover(&config), config));
            (walked, edits)
        },
    );
    if let Some((found, config)) = walked {
        cache.content.walked_ahead(&config, found);
    }
    // Without bodies to reuse, the last records are of no use (and 36 MB at 20,000 pages).
    if cache.bodies.is_empty()
        && let Some(edits) = edits.as_mut()
    {
        edits.start_over();
    }
    if let Some(changed) = changed {
        cache.only_changed(changed);
    }
    (cache, edits)
}

/// Puts in place the records of a build's bodies (see `body_edit`), if it stamped its
/// output (`listing`, as the stamp lists it).
fn keep_records(
    edits: Option<edit_records::Recorder>,
    listing: Option<String>,
    rendered: Option<&Rendered>,
    diagnostics: &Diagnostics,
) {
    if let (Some(edits), Some(listing), Some(r)) = (edits, listing, rendered) {
        edits.finish(&r.site, diagnostics.iter(), &listing);
    }
}

/// `build --strict`: warnings are errors.
fn as_errors(diagnostics: Diagnostics) -> Diagnostics {
    let mut errors = Diagnostics::default();
    errors.extend(diagnostics.into_iter().map(|mut d| {
        d.severity = crate::diagnostics::Severity::Error;
        d
    }));
    errors
}

/// `options` with the site's folder as the build reads it: canonical, whatever the
/// command line's spelling, since the build cache keeps its files' paths and the stamp its
/// settings (see [`settings_of`]).
fn canonical(options: &BuildOptions) -> std::borrow::Cow<'_, BuildOptions> {
    match std::fs::canonicalize(&options.source) {
        Ok(source) => std::borrow::Cow::Owned(BuildOptions {
            source,
            ..options.clone()
        }),
        Err(_) => std::borrow::Cow::Borrowed(options),
    }
}

/// What the stamp and the build cache are made with besides the inputs: the options that
/// change the output, the site's folder as [`build`] reads it (canonical). Not how the
/// folders were written on the command line (`site`, `./site`, an absolute path, or `.`
/// from inside it: each was a full build the first time after another), nor `--force`,
/// which only says which folder may be replaced.
fn settings_of(options: &BuildOptions) -> String {
    let BuildOptions {
        source,
        output: _,
        base_url,
        drafts,
        fingerprint,
        force: _,
        strict,
    } = options;
    format!(
        "source {source:?} base_url {base_url:?} drafts {drafts} fingerprint {fingerprint} \
         strict {strict}"
    )
}

/// The outcome of a build of a few files on their own, if the changed inputs are pages
/// whose text alone changed (see `body_edit`) or files the output has copies of, as they
/// are (see `static_edit`). Each way takes only its own kind of file: never both.
fn few_files_built(
    start: Instant,
    stamp: &output::Stamp,
    options: &BuildOptions,
    folder: &OutputFolder,
) -> Option<Outcome> {
    let edits = stamp.text_edits()?;
    let paths = (
        options.source.as_path(),
        folder.path.as_path(),
        folder.target.as_path(),
    );
    let (warnings, edited, copied) = match body_edit::apply(stamp, &edits, paths) {
        Some(applied) => {
            let edited = EditedPages {
                pages: applied.pages,
                written: applied.written,
                files: applied.files,
            };
            (applied.warnings, Some(edited), None)
        }
        None => {
            let applied = static_edit::apply(stamp, &edits, paths)?;
            let copied = CopiedFiles {
                copied: applied.copied,
                files: applied.files,
            };
            (applied.warnings, None, Some(copied))
        }
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(warnings);
    let mut outcome = outcome(start, diagnostics, None);
    outcome.edited = edited;
    outcome.copied = copied;
    outcome.notes.clone_from(&folder.notes);
    Some(outcome)
}

/// The last build's warnings, if nothing changed since that build (see [`output::Stamp`]):
/// they are said again, as it found them.
fn unchanged(
    stamp: &output::Stamp,
    options: &BuildOptions,
    folder: &OutputFolder,
) -> Option<Vec<Diagnostic>> {
    // Read only once the output is found current: a build after an edit need not parse
    // them (a guide has hundreds).
    (stamp.is_current(&folder.target) || stamp.only_touched(&options.source, &folder.target))
        .then(|| stamp.kept_warnings())
        .flatten()
}

/// The stamp's lines for the site's page files: the hash of each one's text (see
/// [`output::Stamp::only_touched`]).
fn texts_of(rendered: &Rendered) -> String {
    let mut texts = String::new();
    for p in rendered.site.pages.iter().filter(|p| !p.generated) {
        output::text_line(
            &mut texts,
            &p.page.file.display_text(),
            [p.page.source_hash, p.page.front_hash],
        );
    }
    texts
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
