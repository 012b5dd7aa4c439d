//! `equipe check`: the whole build in memory, no writing; findings for people and for CI.
//!
//! Findings are the build's own diagnostics (schema, links, anchors, `works_with`,
//! duplicate URLs, templates) plus its warnings (near-miss keys, missing translations),
//! and the placeholders `equipe new` wrote that are still in a file.
//! `--strict` makes warnings errors; `--format json` prints one JSON object per line for
//! CI annotations. A human run ends with the translation status of every key, even when
//! the build has errors.

use std::io::Write;
use std::process::ExitCode;

use equipe::diagnostics::{Diagnostic, Diagnostics, Severity};
use equipe::{BuildOptions, scaffold, translations};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    Human,
    Json,
}

pub(super) fn run(options: &BuildOptions, strict: bool, format: Format) -> ExitCode {
    let mut diagnostics = Diagnostics::default();
    let outcome = match equipe::missing_site_hint(&options.source) {
        Some(hint) => {
            diagnostics.push(hint);
            None
        }
        None => Some(equipe::check_site(options)),
    };
    // A build with errors renders nothing: the translation table then comes from the
    // content alone, linked without rendering, so that it is printed all the same.
    let linked = match outcome.as_ref().map(|o| o.rendered.is_some()) {
        Some(false) => equipe::linked_site(options),
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
        findings.extend(scaffold::placeholder_warnings(site));
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
            diagnostics.print();
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

/// One finding as a JSON object, for CI annotations.
pub(super) fn json_line(d: &Diagnostic) -> String {
    serde_json::json!({
        "severity": d.severity,
        "message": d.message,
        "file": d.file.as_ref().map(|f| f.display().to_string()),
        "line": d.line,
        "column": d.column,
        "label": d.label,
        "help": d.help,
    })
    .to_string()
}
