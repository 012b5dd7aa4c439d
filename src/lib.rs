//! `equipe`: a static site generator for project-team onboarding sites.
//!
//! Markdown role and team descriptions with YAML front matter, in several languages, go
//! through a pipeline of stages (`pipeline.rs` runs them):
//!
//! ```text
//! config    site.yaml -> Config
//! theme     embedded default + folders on disk, overrides -> Theme
//! content   content/ -> sources -> front matter -> pages (and the files beside them)
//! site      pages linked: translations, roles <-> teams, navigation, URLs -> Site
//! bodies    Markdown (+ Adobe Flavored Markdown) -> HTML, headings, checklists, search entries;
//!           then `anchors` resolves links to `#fragment`s
//! render    Site + templates (tera) -> output files (collisions checked first)
//! output    lock, stage, swap atomically (or recover), stamp, build cache, bodies' records
//! ```
//!
//! After an edit of pages' text alone, `build` makes those pages' files from their bodies'
//! records instead (`body_edit`); after an edit of files it copies as they are (images),
//! it copies those again (`static_edit`).
//!
//! Each stage is a module that takes the previous stage's value and imports no later
//! stage, nor the pipeline, nor the commands (`src/cmd/`, in the binary). What several
//! stages share are small value modules below them all: `diagnostics`, `files` (static
//! and rendered files), `text` (decoding), `hash`, `checklist_item`, `typography`,
//! `sanitize`, `yaml`, `json` (strings written as JSON). The one import against the
//! stream: `collisions`, run before `render`, asks `render` which files it will write.
//! A stage that a rebuild can reuse owns its cache (`content::Cache`, `bodies::Cache`);
//! `incremental` gathers them with the rendered files for `serve`.
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

mod anchors;
mod assets;
mod bodies;
mod body_edit;
mod body_ids;
mod build_cache;
mod cache_store;
mod cached_strings;
mod checklist;
mod checklist_ids;
mod checklist_item;
mod chunked;
mod collisions;
mod config;
mod content;
pub mod diagnostics;
mod edit_records;
mod files;
mod hash;
mod incremental;
#[doc(hidden)]
pub mod internals;
mod json;
mod json_text;
mod mapped;
mod markdown;
mod name_order;
mod output;
mod output_folder;
mod pages_seen;
mod parallel;
mod pipeline;
mod render;
mod sanitize;
pub mod scaffold;
mod search;
mod site;
mod static_edit;
mod swap;
mod teammap;
mod template_scan;
mod text;
mod theme;
mod toc_edit;
pub mod translations;
mod typography;
mod yaml;

pub use body_edit::{ServedEdit, edit_served};
pub use config::{CONFIG_FILE, Config, SOURCE_FOLDERS, parse_base_url};
pub use files::StaticBytes;
pub use incremental::{Cache, Stats};
pub use pipeline::{
    BuildOptions, CopiedFiles, EditedPages, Outcome, Rendered, build, check_site, linked_site,
    missing_site_hint, render_site,
};
pub use site::Site;
pub use static_edit::served_as_they_are;
