//! Inputs that once crashed or might crash the content path, run through the same code as
//! the fuzz target (`fuzz/fuzz_targets/content_file.rs`): decode, front matter, site model,
//! Markdown, templates. Each must end in a page or a diagnostic, never a panic. Crashing
//! inputs found by `cargo fuzz` are added to `tests/fuzz_inputs/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use equipe::config::Config;
use equipe::content::{self, SourceFile};
use equipe::render::{self, Renderer};
use equipe::site::{self, GeneratedTitles};
use equipe::theme;

struct Titles;
impl GeneratedTitles for Titles {
    fn section_title(&self, _: &str, section: &str) -> String {
        section.to_string()
    }
}

/// Every asset under its plain name (fingerprinting is not what is tested here).
fn asset_names(theme: &theme::Theme) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = theme
        .static_files
        .iter()
        .map(|s| (s.path.clone(), s.path.clone()))
        .collect();
    for lang in ["fr", "en"] {
        let path = equipe::search::index_path(lang);
        names.insert(path.clone(), path);
    }
    names
}

/// Runs one input through the content path; returns whether it became a rendered page.
fn run(bytes: &[u8]) -> bool {
    let config = Config::parse(
        Path::new("/nonexistent-equipe-fuzz-site"),
        "title: F\ndefault_language: fr\nlanguages: {fr: Français, en: English}\n",
    )
    .expect("config");
    let file = SourceFile {
        path: PathBuf::from("content/roles/x.fr.md"),
        display: PathBuf::from("content/roles/x.fr.md"),
        lang: "fr".into(),
        key: "roles/x".into(),
    };
    let Ok(text) = content::decode(bytes) else {
        return false;
    };
    let Ok(page) = content::parse_page(file, text) else {
        return false;
    };
    let (theme, _) = theme::load(&config).expect("built-in theme");
    let (site, _) = site::build(config, vec![page.into()], Default::default(), &Titles);
    let renderer = Renderer::new(&theme, &site, &asset_names(&theme)).expect("templates compile");
    let (files, errors) = renderer.render_all(&render::jobs(&site));
    errors.is_empty() && !files.is_empty()
}

const TRICKY: &[&[u8]] = &[
    b"",
    b"---",
    b"---\n",
    b"---\n---",
    b"---\n---\n",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf---\r\n---\r\n# T",
    b"---\ntitle: [\n---\n",
    b"---\ntitle: *a\n---\n",
    b"---\ntitle: &a x\nslug: *a\n---\n",
    b"---\n- a\n- b\n---\n# T",
    b"---\ntitle: 12\n---\n",
    b"---\ntitle: ~\n---\n# T",
    b"---\nchecklist: 3\n---\n# T",
    b"---\nchecklist: [{}]\n---\n# T",
    b"---\nchecklist: [{text: [a]}]\n---\n# T",
    b"---\nonboarding: [{id: '', text: ''}]\n---\n# T",
    b"---\nslug: '///'\ntitle: T\n---\n",
    b"---\nslug: '..'\ntitle: T\n---\n",
    b"---\ntitle: T\nweight: 99999999999999999999999\n---\n",
    b"---\ntitle: T\nworks_with: [x, '', '/', '../..']\ndepends_on: ['.md']\n---\n",
    b"# \n",
    b"#\n",
    b"# &#0;\n",
    b"# T {#}\n## {#}\n## a {#a}\n## a {#a}\n",
    b"# T\n[a](.md) [b](/.md) [c](../../../../.md) [d](x.fr.md#) [e](#) [f](%20.md)\n",
    b"# T\n- [ ]\n- [x] \n  - [ ] a\n    - [ ] b\n",
    b"# T\n> [!NOTE]\n> [!TIP]\n",
    b"# T\n| a |\n|---|\n| [ ] |\n",
    b"# T\n[^1]\n\n[^1]: [^1]\n",
    b"# T\n<script>alert(1)</script>\n",
    b"# T\n```\n---\n```\n",
    b"# T\n\x00\x01\x02",
];

#[test]
fn tricky_inputs_never_panic() {
    let mut rendered = 0;
    for input in TRICKY {
        if run(input) {
            rendered += 1;
        }
    }
    // Most of them are valid pages: the path was really exercised.
    assert!(
        rendered >= 15,
        "only {rendered} of {} rendered",
        TRICKY.len()
    );
}

#[test]
fn crashing_inputs_found_by_the_fuzzer_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz_inputs") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            run(&std::fs::read(&path).expect("read"));
            count += 1;
        }
    }
    assert!(count > 0, "no inputs in tests/fuzz_inputs");
}
