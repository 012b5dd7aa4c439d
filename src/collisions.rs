//! Files of the site that land where equipe writes a file of its own.
//!
//! equipe generates `index.html` (the language choice), each language's checklist page
//! (in parts on a large site, with their data scripts), `checklists.json` (and its parts), `404.html`, `sitemap.xml`, `robots.txt`, the search indexes and the
//! fingerprinted copies of the assets. Content at one of those paths (a page with
//! `slug: checklist`, a `content/robots.txt`) would replace it without a word: that is an
//! error naming both. A file of `static/` (or of a theme) there is how a site overrides
//! one on purpose (its own `robots.txt`): it wins, with a warning naming both, so that the
//! override is never a surprise either.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::files::{StaticBytes, StaticFile};
use crate::render::Job;
use crate::site::Site;
use crate::{assets, content, search};

/// What the check found.
#[derive(Debug, Default)]
pub(crate) struct Collisions {
    /// Generated outputs a static file replaces: not to be generated.
    pub overridden: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the site's pages and files (`statics`: theme, `static/` and the non-Markdown
/// files of `content/`) against what equipe generates (`jobs`, the site's
/// [`crate::render::jobs`]). `fingerprint`: whether the assets get fingerprinted copies in this
/// build.
pub(crate) fn check(
    site: &Site,
    jobs: &[Job],
    statics: &[StaticFile],
    fingerprint: bool,
) -> Collisions {
    let mut generated: BTreeMap<String, String> = BTreeMap::new();
    for job in jobs {
        let what = match job {
            Job::Page(_) => continue,
            Job::LanguageChoice => "the language choice page",
            Job::Checklist(output) => output.what(),
            Job::NotFound => "the page for missing pages",
            Job::Sitemap => "the sitemap",
            Job::Robots => "the robots.txt rules",
        };
        generated.insert(job.output_path(site), what.to_string());
    }
    for l in &site.config.languages {
        generated.insert(search::index_path(&l.code), "a search index".into());
    }
    if fingerprint {
        for (plain, copy) in assets::fingerprinted_paths(statics) {
            generated.insert(copy, format!("the fingerprinted copy of {plain}"));
        }
    }
    let content_dir = site.config.content_dir();
    let mut found = Collisions::default();
    for p in site.pages.iter().filter(|p| !p.generated) {
        if let Some(what) = generated.get(&p.path) {
            found.diagnostics.push(
                Diagnostic::error(format!(
                    "this page's URL `{}` is {what}, which equipe generates",
                    p.path
                ))
                .in_file(&p.page.file.display)
                .with_help("give the page another `slug` or file name"),
            );
        }
    }
    let pages: BTreeMap<&str, &std::path::Path> = site
        .pages
        .iter()
        .filter(|p| !p.generated)
        .map(|p| (p.path.as_str(), p.page.file.display.as_path()))
        .collect();
    for s in statics {
        let what = match (generated.get(&s.path), pages.get(s.path.as_str())) {
            (Some(what), _) => what.clone(),
            (None, Some(page)) => format!("the page made from {}", page.display()),
            (None, None) => continue,
        };
        let from_content = matches!(&s.bytes, StaticBytes::Disk(p) if p.starts_with(&content_dir));
        let file = match &s.bytes {
            StaticBytes::Disk(p) => content::display_path(&site.config, p),
            StaticBytes::Embedded(_) => format!("the built-in theme's static/{}", s.path).into(),
        };
        if from_content {
            found.diagnostics.push(
                Diagnostic::error(format!(
                    "this file would replace `{}`, {what}, which equipe generates",
                    s.path
                ))
                .in_file(&file)
                .with_help(
                    "rename or move the file; to replace a generated file on purpose, put it in static/",
                ),
            );
        } else {
            found.diagnostics.push(
                Diagnostic::warning(format!(
                    "this file replaces `{}`, {what}, which equipe would generate",
                    s.path
                ))
                .in_file(&file)
                .with_help("remove the file to get the generated one back"),
            );
            found.overridden.insert(s.path.clone());
        }
    }
    found
}
