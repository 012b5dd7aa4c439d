//! `serve`'s rebuilds: each output is rendered only if what it is made from changed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;

use super::anchor_check::AnchorCheck;
use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;
use crate::incremental::Cache;
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
    let results: Vec<Result<(String, Rebuilt), Diagnostic>> = jobs
        .par_iter()
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
    };
    (files, errors)
}
