//! Where a build's files go: kept in memory (`serve`), written to a staging folder as
//! they are made (`build`), or dropped once checked (`check`). Everything that differs
//! between the three is here, so that the pipeline reads the same for each.

use rayon::prelude::*;

use super::anchor_check::AnchorCheck;
use crate::collisions::Collisions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::{OutputFile, StaticFile};
use crate::incremental::Cache;
use crate::render::{self, Renderer};
use crate::site::Site;
use crate::{output, search};

/// Where rendered files go.
#[derive(Clone, Copy)]
pub(super) enum Destination<'a> {
    /// Kept in [`super::Rendered::files`].
    Memory,
    /// Written to the staging folder as they are rendered.
    Disk(&'a output::Staging<'a>),
    /// Rendered, checked, and dropped (`check`): only the findings are kept.
    Discard,
}

impl Destination<'_> {
    /// The search indexes. A build writes each as soon as it is made and lets go of its
    /// entries, so that neither piles up in memory; in memory, they are kept (and
    /// cached); a check makes none.
    pub(super) fn search_indexes(
        self,
        site: &mut Site,
        collisions: &Collisions,
        cache: Option<&mut Cache>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<OutputFile> {
        let languages: Vec<String> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        match self {
            Destination::Disk(_) => {
                diagnostics.extend(self.write_indexes(site, collisions, cache.as_deref()));
                for lang in &languages {
                    search::release_entries(site, lang);
                }
                Vec::new()
            }
            Destination::Discard => {
                for lang in &languages {
                    search::release_entries(site, lang);
                }
                Vec::new()
            }
            Destination::Memory => {
                let mut indexes = search::indexes(site, cache.map(|c| &mut c.search));
                indexes.retain(|f| !collisions.overridden.contains(&f.path));
                indexes
            }
        }
    }

    /// Writes each language's search index to a build's staging folder (with a cache, only
    /// those whose entries changed), one language a core: each index goes over its
    /// language's pages. Returns the errors.
    pub(super) fn write_indexes(
        self,
        site: &Site,
        collisions: &Collisions,
        cache: Option<&Cache>,
    ) -> Vec<Diagnostic> {
        let Destination::Disk(staging) = self else {
            return Vec::new();
        };
        let languages: Vec<&str> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        languages
            .par_iter()
            .filter_map(|&lang| {
                let path = search::index_path(lang);
                if collisions.overridden.contains(&path) {
                    return None;
                }
                match cache {
                    // An index is made of its pages' entries, made with their bodies.
                    Some(cache) => {
                        let key = search::index_key(site, lang);
                        let reused = cache.reuse(staging, &path, key);
                        cache.writing(&path, key);
                        if reused {
                            None
                        } else {
                            write_index(staging, site, lang).err()
                        }
                    }
                    None => write_index(staging, site, lang).err(),
                }
            })
            .collect()
    }

    /// Renders the jobs: with a cache, only those whose sources changed (see
    /// [`super::rebuild`]).
    pub(super) fn render(
        self,
        renderer: &Renderer,
        jobs: Vec<render::Job>,
        anchors: &AnchorCheck,
        cache: Option<&mut Cache>,
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        match (cache, self) {
            (Some(cache), Destination::Memory) => {
                super::rebuild::rebuild(renderer, &jobs, cache, anchors)
            }
            (Some(cache), Destination::Disk(_)) => (
                Vec::new(),
                self.render_on_disk(renderer, &jobs, anchors, cache),
            ),
            _ => render_jobs(self, renderer, jobs, anchors),
        }
    }

    /// Renders the jobs whose sources changed into a build's staging folder, as
    /// [`Destination::render`] does with a cache (see [`super::rebuild::to_disk`]).
    pub(super) fn render_on_disk(
        self,
        renderer: &Renderer,
        jobs: &[render::Job],
        anchors: &AnchorCheck,
        cache: &Cache,
    ) -> Vec<Diagnostic> {
        match self {
            Destination::Disk(staging) => {
                super::rebuild::to_disk(renderer, jobs, staging, cache, anchors)
            }
            Destination::Memory | Destination::Discard => Vec::new(),
        }
    }

    /// Copies the static files (a build: the others serve or check them where they are).
    pub(super) fn write_statics(self, statics: &[StaticFile]) -> Option<Diagnostic> {
        match self {
            Destination::Disk(staging) => staging.write_statics(statics).err(),
            Destination::Memory | Destination::Discard => None,
        }
    }
}

/// Streams a language's search index to its file (a disk error is the staging's to count).
fn write_index(staging: &output::Staging, site: &Site, lang: &str) -> Result<(), Diagnostic> {
    staging.write_with(&search::index_path(lang), |out| {
        search::write_index(site, lang, out).map_err(|e| {
            Diagnostic::error(format!("cannot write the search index of `{lang}`: {e}"))
        })
    })
}

/// Renders every job for a build or a check: each file is written (or dropped) as soon as
/// it is rendered, and the large site-wide files are streamed beside the other jobs.
fn render_jobs(
    destination: Destination,
    renderer: &Renderer,
    jobs: Vec<render::Job>,
    anchors: &AnchorCheck,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let keep = |file: OutputFile| -> Result<Option<OutputFile>, Diagnostic> {
        anchors.observe(&file.path, &file.bytes);
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
