//! `equipe new role|team|page KEY`: one file per language, front matter filled in.

use std::path::Path;
use std::process::ExitCode;

use equipe::Config;
use equipe::scaffold::{self, NewKind};

pub(super) fn run(source: &Path, kind: NewKind, key: &str) -> ExitCode {
    super::report_written(
        Config::load(source).and_then(|config| scaffold::new_page(&config, kind, key)),
        None,
    )
}
