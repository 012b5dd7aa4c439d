//! The speed floor a full build is measured against: read every Markdown file of a site,
//! skip its front matter, render the body with pulldown-cmark (the options `equipe` uses)
//! and write it as HTML, on 2 threads. No templates, no links, no YAML: what no generator
//! built on pulldown-cmark can beat on this machine.
//!
//! ```text
//! cargo run --release --example floor -- CONTENT_DIR OUTPUT_DIR
//! cargo run --release --example floor -- CONTENT_DIR OUTPUT_DIR --files
//! ```
//!
//! With `--files`, it also copies every other file of `CONTENT_DIR` (images, PDFs) to the
//! same place, on the same 2 threads: what any generator must also do for a site that
//! has them (a real guide's 48 MB of images cost more than its Markdown).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use equipe::internals::markdown_options as options;
use pulldown_cmark::{Parser, html};
use rayon::prelude::*;

/// The text after a `---` front matter block, or all of it.
fn body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

fn render_one(source: &Path, content: &Path, output: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, Parser::new_ext(body(&text), options()));
    let relative = source.strip_prefix(content).map_err(|e| e.to_string())?;
    let target = output.join(relative).with_extension("html");
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&target, out).map_err(|e| format!("{}: {e}", target.display()))
}

/// Copies one file that is not Markdown to the same place under `output`.
fn copy_one(source: &Path, content: &Path, output: &Path) -> Result<(), String> {
    let relative = source.strip_prefix(content).map_err(|e| e.to_string())?;
    let target = output.join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::copy(source, &target)
        .map(drop)
        .map_err(|e| format!("{}: {e}", target.display()))
}

fn run(content: &Path, output: &Path, with_files: bool) -> Result<usize, String> {
    let (files, others): (Vec<PathBuf>, Vec<PathBuf>) = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .partition(|p| p.extension().is_some_and(|x| x == "md"));
    let others = if with_files { others } else { Vec::new() };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .map_err(|e| e.to_string())?;
    pool.install(|| {
        files
            .par_iter()
            .try_for_each(|f| render_one(f, content, output))?;
        others
            .par_iter()
            .try_for_each(|f| copy_one(f, content, output))
    })?;
    Ok(files.len() + others.len())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let with_files = args.last().is_some_and(|a| a == "--files");
    if with_files {
        args.pop();
    }
    let [content, output] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUTPUT_DIR [--files]");
        return ExitCode::from(2);
    };
    match run(Path::new(content), Path::new(output), with_files) {
        Ok(n) => {
            eprintln!("floor: {n} files");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}
