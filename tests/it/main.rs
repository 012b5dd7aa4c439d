//! The integration tests, as one binary (as mdBook's `tests/testsuite` and ripgrep's
//! `tests/integration`): the crate and the harness are linked once, not once per file.
//!
//! Each module builds small fixture sites in temporary folders with [`common::TestSite`],
//! runs the real `equipe` binary or the library on them, and reads the output back with an
//! HTML parser. `browser`, `live_reload` and `validate` also drive Chromium, Node.js and
//! the Nu HTML checker; see README.md, section Tests.

// A test reads as its scenario, step after step: the 100-line limit is for `src/`.
#![allow(clippy::too_many_lines)]

mod common;

mod afm;
mod author_errors;
mod browser;
mod build;
mod build_cache;
mod build_strict;
mod checklists;
mod cli;
mod copy_edits;
mod errors;
mod fuzz_regressions;
mod guides;
mod guides_browser;
mod guides_translation;
mod hostile_content;
mod http;
mod live_reload;
mod output_safety;
mod random_edits;
mod rebuild;
mod search;
mod serve;
mod serve_hardening;
mod text_edits;
mod theme;
mod validate;
mod watch;
