//! `equipe check`: the whole build in memory, no writing; findings for people and for CI.
//!
//! Findings are the build's own diagnostics (schema, links, anchors, `works_with`,
//! duplicate URLs, templates) plus its warnings (near-miss keys, missing translations),
//! and the placeholders `equipe new` wrote that are still in a file.
//! `--strict` makes warnings errors; `--format json` prints one JSON object per line for
//! CI annotations. A human run ends with the translation status of every key, even when
//! the build has errors.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use crate::cli::print_diagnostics;
use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::pipeline::{self, BuildOptions};
use crate::site::{self, Site};
use crate::{scaffold, translations};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(options: &BuildOptions, strict: bool, format: Format) -> ExitCode {
    let mut diagnostics = Diagnostics::default();
    let outcome = match pipeline::missing_site_hint(&options.source) {
        Some(hint) => {
            diagnostics.push(hint);
            None
        }
        None => Some(pipeline::check_site(options)),
    };
    // A build with errors renders nothing: the translation table then comes from the
    // content alone, linked without rendering, so that it is printed all the same.
    let linked = match outcome.as_ref().map(|o| o.rendered.is_some()) {
        Some(false) => linked_site(options),
        _ => None,
    };
    let site = outcome
        .as_ref()
        .and_then(|o| o.rendered.as_ref())
        .map(|r| &r.site)
        .or(linked.as_ref());
    let statuses = site.map(|s| translations::status(s, true));
    let mut findings: Vec<Diagnostic> = outcome
        .as_ref()
        .map(|o| o.diagnostics.iter().cloned().collect())
        .unwrap_or_default();
    if let (Some(site), Some(statuses)) = (site, &statuses) {
        findings.extend(translations::outdated_warnings(site, statuses));
        findings.extend(placeholder_warnings(site));
    }
    for mut d in findings {
        if strict {
            d.severity = Severity::Error;
        }
        diagnostics.push(d);
    }
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in diagnostics.iter() {
                let _ = writeln!(out, "{}", json_line(d));
            }
        }
        Format::Human => {
            print_diagnostics(&diagnostics);
            if let (Some(site), Some(statuses)) = (site, &statuses) {
                let table = translations::table(&site.config, statuses);
                let _ = write!(std::io::stdout().lock(), "{table}");
            }
            let _ = writeln!(
                std::io::stderr(),
                "check: {} error(s), {} warning(s)",
                diagnostics.error_count(),
                diagnostics.warning_count()
            );
        }
    }
    if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The site's pages linked together, for the translation table of a build that failed.
fn linked_site(options: &BuildOptions) -> Option<Site> {
    let config = Config::load(&options.source).ok()?;
    let (content, _) = content::load(&config, options.drafts);
    let (site, _) = site::build(config, content.pages, BTreeSet::new(), &KeysOnly);
    Some(site)
}

/// Generated pages are not in the translation table: their titles do not matter here.
struct KeysOnly;

impl site::GeneratedTitles for KeysOnly {
    fn section_title(&self, _lang: &str, section: &str) -> String {
        section.to_string()
    }
}

/// A warning at every [`scaffold::PLACEHOLDER`] left in a content file, so that a page
/// made with `equipe new` is not published half-written without anyone noticing.
fn placeholder_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for p in site.pages.iter().filter(|p| !p.generated) {
        let source = p.page.source();
        for (line, column, rest) in scaffold::placeholders(&source) {
            let shown: String = rest
                .trim_end_matches(['"', '\''])
                .chars()
                .take(60)
                .collect();
            warnings.push(
                Diagnostic::warning(format!("placeholder still to replace: `{shown}`"))
                    .in_file(&p.page.file.display)
                    .with_source(source.clone())
                    .at(line, column)
                    .with_label("placeholder")
                    .with_help(format!(
                        "`equipe new` writes `{}` where you have to write something: write it, and delete the `{}` (and its comment)",
                        scaffold::PLACEHOLDER,
                        scaffold::PLACEHOLDER
                    )),
            );
        }
    }
    warnings
}

/// One finding as a JSON object, for CI annotations.
pub fn json_line(d: &Diagnostic) -> String {
    serde_json::json!({
        "severity": d.severity,
        "message": d.message,
        "file": d.file.as_ref().map(|f| f.display().to_string()),
        "line": d.line,
        "column": d.column,
        "help": d.help,
    })
    .to_string()
}
