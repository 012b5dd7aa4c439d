//! `equipe`: a static site generator for project-team onboarding sites.
//!
//! Markdown role and team descriptions with YAML front matter, in several languages, go
//! through a pipeline of stages (see `pipeline.rs`); each stage is a module that takes the
//! previous stage's value and knows nothing of the later ones.
//!
//! This library is that pipeline. Its API is what the `equipe` binary (whose `src/cmd/`
//! holds the commands) needs: [`build`] and [`render_site`] with their [`BuildOptions`]
//! and [`Outcome`], [`diagnostics`], the rebuild [`Cache`] of `serve`, and the two
//! operations that are not builds, [`scaffold`] (`init`, `new`) and [`translations`].
//! The stages themselves stay private; [`internals`] is the documented door through which
//! the fuzz target, the stage benchmarks and the examples reach them.

// Errors are `Diagnostic` values (message, file, position, snippet source): large, but
// built only on the error path, where boxing them would buy nothing but noise.
#![allow(clippy::result_large_err)]

mod afm;
mod assets;
mod checklist;
mod collisions;
mod config;
mod content;
pub mod diagnostics;
mod guide_toc;
mod incremental;
#[doc(hidden)]
pub mod internals;
mod markdown;
mod navigation;
mod output;
mod output_folder;
mod pipeline;
mod render;
mod sanitize;
pub mod scaffold;
mod search;
mod site;
mod swap;
mod teammap;
mod theme;
pub mod translations;
mod typography;
mod yaml;

pub use config::{CONFIG_FILE, Config, SOURCE_FOLDERS, parse_base_url};
pub use incremental::{Cache, Stats};
pub use pipeline::{
    BuildOptions, Outcome, Rendered, build, linked_site, missing_site_hint, render_site,
    render_site_cached,
};
pub use site::Site;
