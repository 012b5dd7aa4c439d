//! `equipe translations`: the translation status table, or `--stamp`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use equipe::diagnostics::Diagnostic;
use equipe::{BuildOptions, Config, translations};

pub(super) fn run(source: &Path, stamp: bool, all: bool, files: &[PathBuf]) -> ExitCode {
    if stamp {
        if files.is_empty() && !all {
            Diagnostic::error("`--stamp` needs the translated files to stamp, or `--all`").print();
            return ExitCode::from(2);
        }
        return super::report_written(
            Config::load(source).and_then(|config| translations::stamp(&config, files, all)),
            None,
        );
    }
    let outcome = equipe::check_site(&BuildOptions::new(source));
    outcome.diagnostics.print();
    match &outcome.rendered {
        Some(r) => {
            let statuses = translations::status(&r.site, true);
            let table = translations::table(&r.site.config, &statuses);
            let _ = write!(std::io::stdout().lock(), "{table}");
            ExitCode::SUCCESS
        }
        None => ExitCode::from(1),
    }
}
