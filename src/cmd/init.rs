//! `equipe init DIR`: a new site, ready to build.

use std::path::Path;
use std::process::ExitCode;

use equipe::scaffold;

pub(super) fn run(dir: &Path, languages: &str, force: bool, theme_files: bool) -> ExitCode {
    super::report_written(
        scaffold::parse_languages(languages)
            .and_then(|langs| scaffold::init(dir, &langs, force, theme_files)),
        Some(dir),
    )
}
