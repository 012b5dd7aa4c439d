//! `equipe`: a static site generator for project-team onboarding sites.
//!
//! Markdown role and team descriptions with YAML front matter, in several languages, go
//! through a pipeline of stages (see [`pipeline`]); each stage is a module that takes the
//! previous stage's value and knows nothing of the later ones.

// Errors are `Diagnostic` values (message, file, position, snippet source): large, but
// built only on the error path, where boxing them would buy nothing but noise.
#![allow(clippy::result_large_err)]

pub mod afm;
pub mod anchors;
pub mod assets;
pub mod check;
pub mod checklist;
pub mod cli;
pub mod collisions;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod guide_toc;
pub mod incremental;
pub mod markdown;
pub mod navigation;
pub mod output;
pub mod output_folder;
pub mod pipeline;
pub mod render;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod swap;
pub mod teammap;
pub mod theme;
pub mod translations;
pub mod typography;
pub mod watch;
pub mod yaml;
