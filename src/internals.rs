//! The door to the stages for the fuzz target, the stage benchmarks and the examples; not
//! an API for anyone else (hidden from the documentation, changed at will).
//!
//! The library's public API is the pipeline as a whole (see the crate's root). Fuzzing and
//! benchmarking need to run one stage at a time, on values the pipeline keeps to itself:
//! rather than making every stage public, each need is one function or type here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::content::{self, Page, SourceFile};
use crate::files::OutputFile;
use crate::output_folder::OutputFolder;
use crate::render::{self, Renderer};
use crate::site::{self, GeneratedTitles, Site};
use crate::theme::{self, Theme};
use crate::{assets, bodies, output, search};

/// The CommonMark extensions pages are parsed with (for the `floor` example, which
/// measures pulldown-cmark alone with the same options).
pub fn markdown_options() -> pulldown_cmark::Options {
    crate::markdown::options()
}

/// Section titles are their names: what titles say is not what is fuzzed or measured.
struct Titles;

impl GeneratedTitles for Titles {
    fn section_title(&self, _lang: &str, section: &str) -> String {
        section.to_string()
    }
}

/// Runs arbitrary bytes, as the content file `content/roles/x.fr.md` of a fixed two-language
/// site, through decoding, front matter, the site model, Markdown and the templates.
/// Returns whether the input became a rendered page without error; any panic is a bug,
/// and so is a YAML fast path that disagrees with serde-saphyr.
/// The fuzz target (`fuzz/fuzz_targets/content_file.rs`) and the regression test of the
/// inputs it found (`tests/it/fuzz_regressions.rs`) both run this.
pub fn fuzz_content_file(bytes: &[u8]) -> bool {
    let file = SourceFile {
        path: PathBuf::from("content/roles/x.fr.md"),
        display: PathBuf::from("content/roles/x.fr.md"),
        lang: "fr".into(),
        key: "roles/x".into(),
    };
    let Ok(text) = crate::text::decode(bytes.to_vec()) else {
        return false;
    };
    check_fast_yaml(&text);
    let Ok(page) = content::parse_page(file, text) else {
        return false;
    };
    let (config, theme, assets) = fuzz_site();
    let (mut site, _) = site::build(
        config.clone(),
        vec![page.into()],
        &[],
        BTreeSet::new(),
        &Titles,
    );
    bodies::render(&mut site, None);
    let renderer =
        Renderer::new(theme, &site, assets, None, None).expect("the built-in theme compiles");
    let (files, errors) = renderer.render_all(&render::jobs(&site));
    errors.is_empty() && !files.is_empty()
}

/// Front matter YAML read by the fast path alone (`None` outside its subset), for
/// `examples/front_matter_yaml.rs`.
pub fn yaml_fast(text: &str) -> Option<BTreeMap<String, serde_json::Value>> {
    crate::yaml::fast::parse(text)
}

/// Front matter YAML read by serde-saphyr alone (`fast: false`) or as a build reads it,
/// the fast path first (`fast: true`); `None` on an error.
pub fn yaml_map(text: &str, fast: bool) -> Option<BTreeMap<String, serde_json::Value>> {
    if fast {
        crate::yaml::map_from_str(text, 1).ok()
    } else {
        crate::yaml::from_str(text, 1).ok()
    }
}

/// The front matter YAML of a content file's text, split as a build splits it.
pub fn front_matter_yaml(text: &str) -> Option<&str> {
    content::front_matter_yaml(text)
}

/// The YAML fast path answers only what serde-saphyr answers: checked on the front matter
/// as a build splits it.
fn check_fast_yaml(text: &str) {
    let Some(yaml) = content::front_matter_yaml(text) else {
        return;
    };
    if let Some(fast) = crate::yaml::fast::parse(yaml) {
        assert!(
            crate::yaml::from_str(yaml, 1).ok() == Some(fast),
            "the YAML fast path differs from serde-saphyr on {yaml:?}"
        );
    }
}

/// The fixed site of [`fuzz_content_file`], made once: its configuration, the built-in
/// theme, and every asset under its plain name (fingerprinting is not what is fuzzed).
fn fuzz_site() -> &'static (Config, Theme, BTreeMap<String, String>) {
    static SITE: OnceLock<(Config, Theme, BTreeMap<String, String>)> = OnceLock::new();
    SITE.get_or_init(|| {
        let config = Config::parse(
            Path::new("/nonexistent-equipe-fuzz-site"),
            "title: F\ndefault_language: fr\nlanguages: {fr: Français, en: English}\n",
        )
        .expect("the fixed configuration parses");
        let (theme, _) = theme::load(&config).expect("the built-in theme loads");
        let mut names: BTreeMap<String, String> = theme
            .static_files
            .iter()
            .map(|s| (s.path.clone(), s.path.clone()))
            .collect();
        for lang in ["fr", "en"] {
            let path = search::index_path(lang);
            names.insert(path.clone(), path);
        }
        (config, theme, names)
    })
}

/// A site's stages run one at a time, for `benches/stages.rs`: each method is one stage
/// on the values the previous ones made (once, in [`Stages::prepare`]).
pub struct Stages {
    config: Config,
    theme: Theme,
    pages: Vec<Arc<Page>>,
    linkable: BTreeSet<String>,
    assets: BTreeMap<String, String>,
}

impl Stages {
    /// Loads the site at `root` and runs every stage once.
    pub fn prepare(root: &Path) -> Result<Stages, String> {
        let config = Config::load(root).map_err(|d| format!("{d:?}"))?;
        let (mut theme, _) = theme::load(&config).map_err(|d| format!("{d:?}"))?;
        let (loaded, _) = content::load(&config, false, None);
        let linkable: BTreeSet<String> = loaded.files.iter().map(|f| f.path.clone()).collect();
        // Pages link the search indexes and the theme's assets by name, as in a build.
        let generated: Vec<String> = config
            .languages
            .iter()
            .map(|l| search::index_path(&l.code))
            .collect();
        let assets = assets::fingerprint(&mut theme.static_files, &generated, true)
            .map_err(|d| format!("{d:?}"))?;
        Ok(Stages {
            config,
            theme,
            pages: loaded.pages,
            linkable,
            assets,
        })
    }

    /// Walks `content/` and parses every file.
    pub fn load(&self) -> usize {
        content::load(&self.config, false, None).0.pages.len()
    }

    /// Links the pages, then renders their bodies.
    pub fn link(&self) -> LinkedSite {
        let (mut site, _) = site::build(
            self.config.clone(),
            self.pages.clone(),
            &[],
            self.linkable.clone(),
            &Titles,
        );
        bodies::render(&mut site, None);
        LinkedSite(site)
    }

    /// Renders every output file of a linked site in memory.
    pub fn render(&self, site: &LinkedSite) -> Result<RenderedFiles, String> {
        let renderer = Renderer::new(&self.theme, &site.0, &self.assets, None, None)
            .map_err(|d| format!("{d:?}"))?;
        let (files, errors) = renderer.render_all(&render::jobs(&site.0));
        if errors.is_empty() {
            Ok(RenderedFiles(files))
        } else {
            Err(format!("{errors:?}"))
        }
    }
}

/// The output of [`Stages::link`].
pub struct LinkedSite(Site);

/// The output of [`Stages::render`].
pub struct RenderedFiles(Vec<OutputFile>);

impl RenderedFiles {
    /// Writes the files into `output` (in `root`, which must be empty or equipe's), as a
    /// build does: staged, then swapped in.
    pub fn write(&self, root: &Path, output: &Path) -> Result<(), String> {
        let folder = OutputFolder::claim(root, output, false).map_err(|d| format!("{d:?}"))?;
        let staging = output::Staging::begin(&folder).map_err(|d| format!("{d:?}"))?;
        for f in &self.0 {
            staging
                .write(&f.path, &f.bytes)
                .map_err(|d| format!("{d:?}"))?;
        }
        staging.finish().map_err(|d| format!("{d:?}"))?;
        Ok(())
    }
}
