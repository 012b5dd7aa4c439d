//! Criterion benchmarks of the build's stages, on a site written by the `gen_site` example:
//!
//! - `load`: walk `content/`, read every file, parse its front matter;
//! - `parse`: link the pages and render their Markdown (`site::build`);
//! - `render`: the theme's templates over every output job (in memory);
//! - `write`: those files into a staging folder, swapped in as the output;
//! - `build`: all of it, as `equipe build` does.
//!
//! ```text
//! cargo run --release --example gen_site -- 500 /dev/shm/equipe-stages
//! TMPDIR=/dev/shm EQUIPE_BENCH_SITE=/dev/shm/equipe-stages/equipe cargo bench --bench stages
//! ```
//!
//! Without `EQUIPE_BENCH_SITE` it runs on the repository's example site. `write` and
//! `build` write into a temporary folder: `TMPDIR=/dev/shm` keeps the disk out of it. Full builds against
//! other generators are `benches/run.sh`'s job; these numbers say where a build's time goes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use equipe::config::Config;
use equipe::output_folder::OutputFolder;
use equipe::pipeline::{self, BuildOptions};
use equipe::render::{self, Renderer};
use equipe::site::{self, GeneratedTitles};
use equipe::{assets, content, output, search, theme};

struct Titles;

impl GeneratedTitles for Titles {
    fn section_title(&self, _lang: &str, section: &str) -> String {
        section.to_string()
    }
}

fn site_root() -> PathBuf {
    std::env::var_os("EQUIPE_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn stages(c: &mut Criterion) {
    let root = site_root();
    let config = match Config::load(&root) {
        Ok(config) => config,
        Err(d) => panic!("cannot load {}: {d:?}", root.display()),
    };
    let Ok((mut theme, _)) = theme::load(&config) else {
        panic!("the theme does not load");
    };
    let (loaded, _) = content::load(&config, false);
    let linkable: BTreeSet<String> = loaded.files.iter().map(|f| f.path.clone()).collect();
    let (site, _) = site::build(
        config.clone(),
        loaded.pages.clone(),
        linkable.clone(),
        &Titles,
    );
    // Pages link the search indexes and the theme's assets by name, as in a build.
    let generated: Vec<String> = search::indexes(&site).into_iter().map(|f| f.path).collect();
    let asset_urls = match assets::fingerprint(&mut theme.static_files, &generated, true) {
        Ok(urls) => urls,
        Err(d) => panic!("cannot fingerprint the assets: {d:?}"),
    };
    let renderer = match Renderer::new(&theme, &site, &asset_urls) {
        Ok(r) => r,
        Err(d) => panic!("the theme does not compile: {d:?}"),
    };
    let jobs = render::jobs(&site);
    let (files, errors) = renderer.render_all(&jobs);
    assert!(errors.is_empty(), "the site renders: {errors:?}");
    let scratch = tempfile::tempdir().expect("a temporary folder");

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| content::load(&config, false)));
    group.bench_function("parse", |b| {
        b.iter_batched(
            || (config.clone(), loaded.pages.clone(), linkable.clone()),
            |(config, pages, linkable)| site::build(config, pages, linkable, &Titles),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("render", |b| b.iter(|| renderer.render_all(&jobs)));
    let out = scratch.path().join("public");
    group.bench_function("write", |b| {
        b.iter_batched(
            // Into an empty folder: every file written, none linked from a previous output.
            || {
                std::fs::remove_dir_all(&out).ok();
                OutputFolder::claim(scratch.path(), &out, false).expect("the output folder")
            },
            |folder| {
                let staging = output::Staging::begin(&folder).expect("a staging folder");
                for f in &files {
                    staging.write(&f.path, &f.bytes).expect("a written file");
                }
                staging.finish().expect("the output swapped in");
            },
            BatchSize::PerIteration,
        )
    });
    let mut options = BuildOptions::new(&root);
    options.output = scratch.path().join("built");
    assert!(pipeline::build(&options).succeeded(), "the site builds");
    group.bench_function("build", |b| {
        b.iter_batched(
            // A full build each time: without its stamp, nothing is skipped.
            || std::fs::remove_dir_all(&options.output).ok(),
            |_| pipeline::build(&options),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
