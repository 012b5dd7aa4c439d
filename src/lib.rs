//! `equipe`: a static site generator for project-team onboarding sites.
//!
//! Markdown role and team descriptions with YAML front matter, in several languages, go
//! through a pipeline of stages (see [`pipeline`]); each stage is a module that takes the
//! previous stage's value and knows nothing of the later ones.

pub mod checklist;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;
pub mod teammap;
pub mod theme;
pub mod watch;
pub mod yaml;
