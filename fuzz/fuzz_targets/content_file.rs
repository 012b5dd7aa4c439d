//! Arbitrary bytes as a content file, through parsing, the site model and rendering.
//! Any panic is a bug: bad input must become a diagnostic. It also checks that the YAML
//! fast path agrees with serde-saphyr.
#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use equipe::config::Config;
use equipe::content::{self, SourceFile};
use equipe::render::{self, Renderer};
use equipe::site::{self, GeneratedTitles};
use equipe::theme::{self, Theme};
use libfuzzer_sys::fuzz_target;

struct Titles;
impl GeneratedTitles for Titles {
    fn section_title(&self, _: &str, section: &str) -> String {
        section.to_string()
    }
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            Path::new("/nonexistent-equipe-fuzz-site"),
            "title: F\ndefault_language: fr\nlanguages: {fr: Français, en: English}\n",
        )
        .expect("fixed config parses")
    })
}

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| theme::load(config()).expect("built-in theme loads").0)
}

/// Every asset under its plain name: fingerprinting is not what is fuzzed.
fn assets() -> &'static BTreeMap<String, String> {
    static ASSETS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let mut names: BTreeMap<String, String> = theme()
            .static_files
            .iter()
            .map(|s| (s.path.clone(), s.path.clone()))
            .collect();
        for lang in ["fr", "en"] {
            let path = equipe::search::index_path(lang);
            names.insert(path.clone(), path);
        }
        names
    })
}

/// The YAML fast path answers only what serde-saphyr answers: checked on the text between
/// the opening `---` line and the next `---`, where the front matter parser gives it.
fn check_fast_yaml(text: &str) {
    let yaml = text
        .strip_prefix("---\n")
        .map_or(text, |rest| rest.split("\n---").next().unwrap_or(rest));
    if let Some(fast) = equipe::yaml::fast::parse(yaml) {
        assert!(
            equipe::yaml::from_str(yaml, 1).ok() == Some(fast),
            "the YAML fast path differs from serde-saphyr on {yaml:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let file = SourceFile {
        path: PathBuf::from("content/roles/x.fr.md"),
        display: PathBuf::from("content/roles/x.fr.md"),
        lang: "fr".into(),
        key: "roles/x".into(),
    };
    let Ok(text) = content::decode(data) else { return };
    check_fast_yaml(&text);
    let Ok(page) = content::parse_page(file, text) else { return };
    let (site, _) = site::build(config().clone(), vec![page.into()], Default::default(), &Titles);
    if let Ok(renderer) = Renderer::new(theme(), &site, assets()) {
        let _ = renderer.render_all(&render::jobs(&site));
    }
});
