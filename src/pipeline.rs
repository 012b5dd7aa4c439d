//! The build pipeline, stage by stage:
//!
//! ```text
//! config -> theme -> content -> site -> render -> output
//! ```
//!
//! Each stage takes the previous stage's value. Diagnostics of every stage are gathered,
//! so that one build reports every problem; the output is written only when there is no
//! error.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{Config, normalize_base_url};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, OutputFile, Renderer};
use crate::site::{self, GeneratedTitles, Site};
use crate::theme::{self, StaticFile, Strings};
use crate::{assets, content, output, search};

/// What to build, from the command line.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub source: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Name CSS and JS assets by a hash of their content (off in `serve`).
    pub fingerprint: bool,
}

impl BuildOptions {
    pub fn new(source: impl Into<PathBuf>) -> BuildOptions {
        let source = source.into();
        BuildOptions {
            output: source.join("public"),
            source,
            base_url: None,
            drafts: false,
            fingerprint: true,
        }
    }
}

/// A site rendered in memory.
pub struct Rendered {
    pub site: Site,
    pub files: Vec<OutputFile>,
    pub statics: Vec<StaticFile>,
}

/// The result of a build: what was made and every problem found.
pub struct Outcome {
    pub rendered: Option<Rendered>,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.rendered.is_some() && !self.diagnostics.has_errors()
    }
}

/// Runs every stage in memory. Writes nothing.
pub fn render_site(options: &BuildOptions) -> Outcome {
    let start = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let rendered = run(options, &mut diagnostics);
    diagnostics.sort();
    let rendered = if diagnostics.has_errors() {
        None
    } else {
        rendered
    };
    Outcome {
        rendered,
        diagnostics,
        elapsed: start.elapsed(),
    }
}

fn run(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Rendered> {
    let t0 = Instant::now();
    macro_rules! lap {
        ($n:expr) => {
            eprintln!("TIMING {} {:?}", $n, t0.elapsed());
        };
    }
    let mut config = match Config::load(&options.source) {
        Ok(c) => c,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    if let Some(url) = &options.base_url {
        config.base_url = Some(normalize_base_url(url.clone()));
    }
    // Theme and content do not depend on each other: report both sets of problems.
    let theme = theme::load(&config);
    let (content, content_diagnostics) = content::load(&config, options.drafts);
    diagnostics.extend(content_diagnostics);
    lap!("theme+content");
    let theme = match theme {
        Ok((theme, mut warnings)) => {
            config.theme_options = theme.resolve_options(&config, &mut warnings);
            diagnostics.extend(warnings);
            Some(theme)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    let titles = SectionTitles(theme.as_ref().map(|t| &t.strings));
    // What pages may link besides pages: static files (the site's override the theme's)
    // and the files beside the content.
    let mut statics = theme
        .as_ref()
        .map(|t| t.static_files.clone())
        .unwrap_or_default();
    statics.extend(content.files);
    // One file per output path: a file in content/ wins over a static one.
    statics.reverse();
    let mut seen = std::collections::BTreeSet::new();
    statics.retain(|s| seen.insert(s.path.clone()));
    statics.sort_by(|a, b| a.path.cmp(&b.path));
    let linkable = seen;
    let (site, site_diagnostics) = site::build(config, content.pages, linkable, &titles);
    diagnostics.extend(site_diagnostics);
    lap!("site");
    let mut theme = theme?;
    theme.static_files = statics;
    // Assets that pages link come first: pages carry their fingerprinted names.
    let mut generated: Vec<OutputFile> = site
        .config
        .languages
        .iter()
        .map(|l| OutputFile {
            path: search::index_path(&l.code),
            bytes: search::index_js(&site, &l.code).into_bytes(),
        })
        .collect();
    let asset_urls =
        match assets::fingerprint(&mut theme.static_files, &mut generated, options.fingerprint) {
            Ok(urls) => urls,
            Err(d) => {
                diagnostics.push(d);
                return None;
            }
        };
    let mut renderer = match Renderer::new(&theme, &site) {
        Ok(r) => r,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    lap!("assets+renderer");
    renderer.set_assets(&asset_urls);
    let jobs = render::jobs(&site);
    let (mut files, errors) = renderer.render_all(&jobs);
    diagnostics.extend(errors);
    lap!("render");
    drop(renderer);
    diagnostics.extend(check_anchors(&site, &files));
    lap!("anchors");
    files.extend(generated);
    Some(Rendered {
        site,
        files,
        statics: theme.static_files,
    })
}

/// Links to `page.md#fragment`: the fragment must be an id in the target's rendered HTML
/// (a heading of its body, or a section the template adds, such as `#checklist`).
fn check_anchors(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    let by_path: std::collections::HashMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let mut out = Vec::new();
    for p in &site.pages {
        for a in &p.anchors {
            let Some(html) = by_path.get(a.target.as_str()) else {
                continue;
            };
            let needle = format!("id=\"{}\"", a.fragment);
            if !html.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                out.push(
                    Diagnostic::error(format!(
                        "link to `#{}`: no such anchor in {}",
                        a.fragment, a.target
                    ))
                    .in_file(&p.page.file.display)
                    .with_source(p.page.text.clone())
                    .at(a.line, a.column)
                    .with_label("this link"),
                );
            }
        }
    }
    out
}

/// Builds and writes the site. The output folder is replaced only if the build succeeded.
pub fn build(options: &BuildOptions) -> Outcome {
    if let Err(d) = output::check_output_dir(&options.source, &options.output) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(d);
        return Outcome {
            rendered: None,
            diagnostics,
            elapsed: Duration::ZERO,
        };
    }
    let mut outcome = render_site(options);
    if let Some(rendered) = &outcome.rendered {
        if let Err(d) = output::write_site(&options.output, &rendered.files, &rendered.statics) {
            outcome.diagnostics.push(d);
            outcome.rendered = None;
        }
    }
    outcome
}

/// Section titles for generated section pages, from the UI strings.
struct SectionTitles<'a>(Option<&'a Strings>);

impl GeneratedTitles for SectionTitles<'_> {
    fn section_title(&self, lang: &str, section: &str) -> String {
        self.0
            .and_then(|s| s.get(lang))
            .and_then(|s| s.get(section))
            .cloned()
            .unwrap_or_else(|| {
                let mut c = section.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
    }
}

/// Shown when the source folder has no `site.yaml`, to help a first run.
pub fn missing_site_hint(source: &Path) -> Option<Diagnostic> {
    (!source.join(crate::config::CONFIG_FILE).exists()).then(|| {
        Diagnostic::error(format!("no site.yaml in `{}`", source.display()))
            .with_help("run the command from a site's folder, pass `--source DIR`, or start a site with `equipe init DIR`")
    })
}
