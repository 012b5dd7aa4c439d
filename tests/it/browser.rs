//! Browser tests: the built example site in headless Chromium.
//!
//! Builds the repository's example site into a temporary folder, serves it on loopback
//! with a plain static server (`python3 -m http.server`), and runs
//! `tests/browser/checklist.mjs` (playwright-core + axe-core from `node_modules`): ticks
//! that survive a reload and a change of language, progress, reset, export, the team
//! map, and zero axe-core violations on the main page types in both languages; and
//! `tests/browser/checklist_parts.mjs` on a checklist page split into parts, from `file://`.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), `node` and `npm install`ed
//! `node_modules`. When one is missing the test prints `SKIPPED: ...` and passes, except
//! when `CI=true`, where a missing prerequisite is a failure.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{missing_browser, run_browser_script, skip, static_server};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn checklists_and_accessibility_in_chromium() {
    if skip("browser tests", missing_browser()) {
        return;
    }

    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_equipe"))
        .arg("build")
        .arg("--source")
        .arg(repo())
        .arg("--output")
        .arg(&public)
        .output()
        .expect("run equipe build");
    assert!(
        build.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let (_server, port) = static_server(&public);

    let url = format!("http://127.0.0.1:{port}/");
    let stdout = run_browser_script("checklist.mjs", &[url.as_ref()], String::new);
    assert!(stdout.contains("all browser checks passed"));
}

#[test]
fn a_checklist_page_in_parts_from_file_urls_in_chromium() {
    if skip("browser tests", missing_browser()) {
        return;
    }
    // 2 team items and 230 roles of 20: a few parts.
    let site = crate::checklists::split_site(230, 20);
    site.build().ok();
    let url = format!("file://{}/", site.path("public").display());
    let stdout = run_browser_script(
        "checklist_parts.mjs",
        &[url.as_ref(), "4602".as_ref()],
        String::new,
    );
    assert!(stdout.contains("all browser checks passed"));
}
