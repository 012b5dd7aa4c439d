//! Criterion benchmarks of the build's stages, on a site written by the `gen_site` example:
//!
//! - `load`: walk `content/`, read every file, parse its front matter;
//! - `parse`: link the pages and render their Markdown (`internals::Stages::link`);
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

use std::path::PathBuf;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use equipe::BuildOptions;
use equipe::internals::Stages;

fn site_root() -> PathBuf {
    std::env::var_os("EQUIPE_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn stages(c: &mut Criterion) {
    let root = site_root();
    let stages = match Stages::prepare(&root) {
        Ok(stages) => stages,
        Err(e) => panic!("cannot load {}: {e}", root.display()),
    };
    let site = stages.link();
    let files = match stages.render(&site) {
        Ok(files) => files,
        Err(e) => panic!("the site does not render: {e}"),
    };
    let scratch = tempfile::tempdir().expect("a temporary folder");

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| stages.load()));
    group.bench_function("parse", |b| b.iter(|| stages.link()));
    group.bench_function("render", |b| b.iter(|| stages.render(&site)));
    let out = scratch.path().join("public");
    group.bench_function("write", |b| {
        b.iter_batched(
            // Into an empty folder: every file written, none linked from a previous output.
            || std::fs::remove_dir_all(&out).ok(),
            |_| {
                files
                    .write(scratch.path(), &out)
                    .expect("the output swapped in");
            },
            BatchSize::PerIteration,
        );
    });
    let mut options = BuildOptions::new(&root);
    options.output = scratch.path().join("built");
    assert!(equipe::build(&options).succeeded(), "the site builds");
    group.bench_function("build", |b| {
        b.iter_batched(
            // A full build each time: without its stamp, nothing is skipped.
            || std::fs::remove_dir_all(&options.output).ok(),
            |_| equipe::build(&options),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
