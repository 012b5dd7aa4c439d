//! `equipe build`: build once and report, and the report `build --watch` prints after
//! each rebuild.

use std::io::Write;
use std::process::ExitCode;

use equipe::{BuildOptions, Outcome};

use super::repeats::{Repeats, said_before};

/// Builds once; exit status 1 if the build failed.
pub(super) fn run(options: &BuildOptions) -> ExitCode {
    if let Some(hint) = equipe::missing_site_hint(&options.source) {
        hint.print();
        return ExitCode::from(1);
    }
    let outcome = equipe::build(options);
    let succeeded = report(options, &outcome, &mut Repeats::default());
    // The process ends here: freeing the whole site, page by page, on one thread was
    // wasted work at the end of every build.
    std::mem::forget(outcome);
    if succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints what a build said (notes on its output folder, diagnostics: those `repeats`
/// does not leave out) and what it did; returns whether it succeeded.
pub(super) fn report(options: &BuildOptions, outcome: &Outcome, repeats: &mut Repeats) -> bool {
    let mut err = lines_to_stderr();
    for note in &outcome.notes {
        let _ = writeln!(err, "{note}");
    }
    drop(err);
    let left_out = repeats.print(&outcome.diagnostics);
    let shown = outcome.diagnostics.warning_count() - left_out;
    let mut err = lines_to_stderr();
    // What a build that did not run says of the warnings it says again.
    let again = || {
        let last = match shown {
            0 => String::new(),
            n => format!("; the {n} warning(s) above are the last build's"),
        };
        last + &said_before(left_out)
    };
    match &outcome.rendered {
        None if outcome.succeeded() => {
            let _ = writeln!(err, "{}{}", few_files_or_none(options, outcome), again());
            true
        }
        Some(r) if outcome.succeeded() => {
            let reused = match (r.reused, r.bodies_reused) {
                (0, 0) => String::new(),
                (files, bodies) => format!(
                    "; {files} rendered files and {bodies} page bodies reused from the last build"
                ),
            };
            // A guide's warnings can fill screens: their number, where it is read.
            let warnings = match shown {
                0 => String::new(),
                n => format!(", with the {n} warning(s) above"),
            } + &said_before(left_out);
            let _ = writeln!(
                err,
                "built {} pages ({} files{reused}) into {} in {} ms{warnings}",
                r.site.pages.len(),
                r.file_count,
                options.output.display(),
                outcome.elapsed.as_millis()
            );
            if r.site.config.base_url.is_none() {
                let _ = writeln!(
                    err,
                    "note: no base_url (site.yaml or --base-url): sitemap.xml, canonical links, \
                     absolute hreflang and og:url were left out; internal links work anyway"
                );
            }
            true
        }
        _ => {
            let _ = writeln!(
                err,
                "build failed: {} error(s){}; the previous output was left as it was{}",
                outcome.diagnostics.error_count(),
                if options.strict {
                    " (--strict: warnings count as errors)"
                } else {
                    ""
                },
                said_before(left_out)
            );
            false
        }
    }
}

/// Stderr, a line a write: it is not buffered, and `writeln!` with arguments wrote each
/// part of a line apart (a dozen system calls for the line that ends a build).
fn lines_to_stderr() -> std::io::LineWriter<std::io::StderrLock<'static>> {
    std::io::LineWriter::new(std::io::stderr().lock())
}

/// What a build that succeeded without running every stage did: it made pages whose text
/// alone changed, copied files again, or found nothing changed.
fn few_files_or_none(options: &BuildOptions, outcome: &Outcome) -> String {
    let (output, ms) = (options.output.display(), outcome.elapsed.as_millis());
    if let Some(edited) = outcome.edited {
        format!(
            "built {} page(s) again into {output} in {ms} ms: only their text changed, not what other pages show of them ({} file(s) written, the other {} left as they were)",
            edited.pages,
            edited.written,
            edited.files.saturating_sub(edited.written),
        )
    } else if let Some(copied) = outcome.copied {
        format!(
            "copied {} file(s) again into {output} in {ms} ms: only files the site copies as they are changed (the other {} left as they were)",
            copied.copied,
            copied.files.saturating_sub(copied.copied),
        )
    } else {
        format!(
            "nothing changed since the last build: {output} left as it was (checked in {ms} ms)"
        )
    }
}
