//! Rebuilds, in `serve` or by a build with the build cache: each output is rendered only
//! if what it is made from changed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;

use super::anchor_check::AnchorCheck;
use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;
use crate::incremental::Cache;
use crate::output::Staging;
use crate::render::{self, CachedOutput, Rebuilt, Renderer};

/// Renders, for `serve`, the jobs whose template context changed since the previous
/// rebuild (see [`Renderer::rebuild`]) and takes the others' files from `cache`, which
/// is left with this rebuild's files.
pub(super) fn rebuild(
    renderer: &Renderer,
    jobs: &[render::Job],
    cache: &mut Cache,
    anchors: &AnchorCheck,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    cache.render.prepared = Some(renderer.prepared());
    let outputs = &cache.render.outputs;
    // One job at a time, as in `to_disk`.
    let results: Vec<Result<(String, Rebuilt), Diagnostic>> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|job| {
            renderer.rebuild(job, |path, key| {
                outputs.get(path).is_some_and(|c| c.key == key)
            })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut fresh: Vec<(String, u64)> = Vec::new();
    let mut pages_rendered = 0;
    let mut files_rendered = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok((path, Rebuilt::Same)) => {
                let cached = &cache.render.outputs[&path];
                if let Some(ids) = cached.ids.as_ref().filter(|_| anchors.wants(&path)) {
                    anchors.observe_ids(&path, Arc::clone(ids));
                }
                files.push(OutputFile {
                    path,
                    bytes: cached.bytes.clone(),
                });
            }
            Ok((path, Rebuilt::New(file, key))) => {
                anchors.observe(&file.path, &file.bytes);
                pages_rendered += usize::from(matches!(job, render::Job::Page(_)));
                files_rendered.push(path.clone());
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
            cache
                .render
                .outputs
                .insert(path, CachedOutput { key, bytes, ids });
        }
    }
    // Forget the files of pages gone (rare: only then has the cache more files).
    if cache.render.outputs.len() > files.len() {
        let present: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        cache
            .render
            .outputs
            .retain(|path, _| present.contains(path.as_str()));
    }
    cache.stats = crate::incremental::Stats {
        files_read: cache.content.files_read,
        bodies_rendered: cache.bodies.rendered,
        pages_rendered,
        files_rendered,
    };
    (files, errors)
}

/// The largest page buffer a rendering thread keeps for its next job (see [`to_disk`]).
const LARGEST_KEPT_BUFFER: usize = 1 << 20;

/// Renders, for a build with the build cache, the jobs whose key changed since the build
/// that made the output folder, and keeps the others' files from it (see
/// [`Cache::reuse`]); each file goes to `staging` as soon as it is made.
pub(super) fn to_disk(
    renderer: &Renderer,
    jobs: &[render::Job],
    staging: &Staging,
    cache: &Cache,
    anchors: &AnchorCheck,
) -> Vec<Diagnostic> {
    // The ids of a page that others link fragments of go to the cache with the page.
    let keep_ids = |path: &str| {
        if let Some(ids) = anchors.ids_of(path) {
            cache.writing_ids(path, ids);
        }
    };
    // `page` is the job's buffer (see below), given room for a page when the job renders
    // into it: one that started small grew (copied) once or twice per page, 3% of a first
    // build's instructions at 2,000 pages.
    let write = |page: &mut Vec<u8>, job: &render::Job| -> Result<(), Diagnostic> {
        let keyed = renderer.keyed(job)?;
        cache.writing(&keyed.path, keyed.key);
        if cache.reuse(staging, &keyed.path, keyed.key) {
            // A page other pages link `#fragments` of brings its ids: from the cache, or
            // read back (its bytes are the previous build's) if the last build did not
            // keep them.
            if anchors.wants(&keyed.path) {
                match cache.ids_of(&keyed.path) {
                    Some(ids) => anchors.observe_ids(&keyed.path, ids),
                    None => {
                        if let Some(bytes) = staging.read_kept(&keyed.path) {
                            anchors.observe(&keyed.path, &bytes);
                        }
                    }
                }
                keep_ids(&keyed.path);
            }
            return Ok(());
        }
        if job.is_large() {
            // Streamed, as a build without the cache does.
            return staging.write_with(&keyed.path, |out| renderer.write_keyed(&keyed, out));
        }
        page.clear();
        page.reserve(64 * 1024);
        renderer.write_keyed(&keyed, page)?;
        anchors.observe(&keyed.path, page);
        if anchors.wants(&keyed.path) {
            keep_ids(&keyed.path);
        }
        let written = staging.write(&keyed.path, page);
        // A page that lists thousands (a section's, a home's: 2.7 MB at 20,000 pages)
        // grew its thread's buffer: not kept for the pages of a few kB that follow, which
        // would hold it to the end of the build, at its peak of memory.
        if page.capacity() > LARGEST_KEPT_BUFFER {
            *page = Vec::new();
        }
        written
    };
    // One job at a time: the few jobs rendered again may be next to each other in
    // `jobs` (the checklist pages and their data after a page is added), and rayon would
    // otherwise leave them to one core (200 ms of one core alone, at 20,000 pages). The
    // buffer is then made for each job, when it renders (most jobs keep their file).
    jobs.par_iter()
        .with_max_len(1)
        .map_init(Vec::new, |page, job| write(page, job).err())
        .flatten()
        .collect()
}
