//! Themes: templates, static files and UI strings, with the site's overrides applied.
//!
//! The default theme is compiled into the binary so that an installed `equipe` works
//! anywhere; a `themes/<name>/` folder in the site wins over it, `templates/<name>`
//! overrides one template, `static/` adds or replaces files, and `i18n/<lang>.yaml`
//! overrides UI strings. A UI string missing in a language falls back to the default
//! language's (then English) and is reported once, never as a hard error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::files::{StaticBytes, StaticFile};
use crate::yaml;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template, with where it came from for error messages.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Template {
    /// Tera name: `role.html`.
    pub name: String,
    /// Where it came from: `themes/default/templates/role.html`.
    pub file: PathBuf,
    pub source: Arc<str>,
}

/// UI strings per language, complete (fallbacks filled in).
pub(crate) type Strings = BTreeMap<String, BTreeMap<String, String>>;

#[derive(Debug)]
pub(crate) struct Theme {
    pub templates: Vec<Template>,
    pub static_files: Vec<StaticFile>,
    pub strings: Strings,
    /// Options the theme declares in `theme.yaml`, with their defaults.
    pub options: BTreeMap<String, serde_json::Value>,
}

/// `theme.yaml`: what the theme is and which `theme_options` it understands.
#[derive(Debug, Default, serde::Deserialize)]
struct ThemeManifest {
    #[serde(default)]
    options: BTreeMap<String, OptionSpec>,
}

#[derive(Debug, serde::Deserialize)]
struct OptionSpec {
    #[serde(default)]
    default: serde_json::Value,
}

impl Theme {
    /// The site's `theme_options` over the theme's defaults. An option the theme does
    /// not declare is a warning (a typo would otherwise be silently ignored); an accent
    /// colour that is not a CSS colour is ignored with a warning, since it lands in CSS.
    /// `footer_text` may be one text or one per language; it becomes one per language.
    pub(crate) fn resolve_options(
        &self,
        config: &Config,
        warnings: &mut Vec<Diagnostic>,
    ) -> serde_json::Map<String, serde_json::Value> {
        let mut options: serde_json::Map<String, serde_json::Value> =
            self.options.clone().into_iter().collect();
        for (key, value) in &config.theme_options {
            if !self.options.contains_key(key) {
                let known: Vec<&str> = self.options.keys().map(String::as_str).collect();
                warnings.push(
                    config
                        .locate(
                            Diagnostic::warning(format!(
                                "unknown theme option `{key}`: theme `{}` does not use it",
                                config.theme
                            )),
                            &["theme_options", key],
                        )
                        .with_help(format!("the theme's options are: {}", known.join(", "))),
                );
                continue;
            }
            options.insert(key.clone(), value.clone());
        }
        if let Some(color) = options.get("accent_color").and_then(|v| v.as_str())
            && !is_css_color(color)
        {
            warnings.push(
                config
                    .locate(
                        Diagnostic::warning(format!(
                            "theme option `accent_color: {color}` is not a CSS colour; using the theme's"
                        )),
                        &["theme_options", "accent_color"],
                    )
                    .with_help(
                    "write it as `\"#1f5f8b\"` (with quotes), `rgb(31 95 139)` or a colour name",
                ),
            );
            let default = self
                .options
                .get("accent_color")
                .cloned()
                .unwrap_or_default();
            options.insert("accent_color".into(), default);
        }
        if let Some(logo) = options.get("logo").and_then(|v| v.as_str())
            && !logo.is_empty()
            && !self
                .static_files
                .iter()
                .any(|s| s.path == logo.trim_start_matches('/'))
        {
            warnings.push(
                config
                    .locate(
                        Diagnostic::warning(format!(
                            "theme option `logo: {logo}`: there is no such file in static/"
                        )),
                        &["theme_options", "logo"],
                    )
                    .with_help(format!(
                        "put the image at static/{}, or correct the path",
                        logo.trim_start_matches('/')
                    )),
            );
        }
        if let Some(footer) = options.get("footer_text").cloned() {
            let per_language: serde_json::Map<String, serde_json::Value> = config
                .languages
                .iter()
                .map(|l| {
                    let text = match &footer {
                        serde_json::Value::Object(map) => map
                            .get(&l.code)
                            .or_else(|| map.get(config.default_language()))
                            .cloned(),
                        other => Some(other.clone()),
                    };
                    (l.code.clone(), text.unwrap_or_else(|| "".into()))
                })
                .collect();
            options.insert("footer_text".into(), per_language.into());
        }
        options
    }
}

/// `#1f5f8b`, `rebeccapurple`, `rgb(31 95 139)`: what may safely stand in a CSS value.
fn is_css_color(value: &str) -> bool {
    let v = value.trim();
    let hex = v.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit())
    });
    let name = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphabetic());
    let function = ["rgb(", "rgba(", "hsl(", "hsla(", "oklch("]
        .iter()
        .any(|f| v.starts_with(f))
        && v.ends_with(')')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || " (),.%/-".contains(c));
    hex || name || function
}

/// Whether `themes/<name>/` is there to load. A folder that exists but cannot be read
/// (no permission, `themes` a file, a broken link) is an error: falling back to the
/// built-in theme would publish a site that looks nothing like what its authors made.
fn theme_folder(dir: &Path, name: &str) -> Result<bool, Vec<Diagnostic>> {
    let fail = |e: std::io::Error| {
        vec![
            Diagnostic::error(format!("cannot read the theme folder themes/{name}/: {e}"))
                .in_file(format!("themes/{name}"))
                .with_help("fix its permissions, or remove it to use the built-in theme"),
        ]
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => std::fs::read_dir(dir).map(|_| true).map_err(fail),
        Ok(_) => Err(fail(std::io::Error::other("it is not a folder"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir.symlink_metadata().is_err() => {
            Ok(false)
        }
        Err(e) => Err(fail(e)),
    }
}

/// Loads the site's theme with its overrides. Returns warnings beside it.
pub(crate) fn load(config: &Config) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let root = &config.root;
    let mut collected = Collected::default();
    for f in theme_files(config, &mut errors)? {
        collected.add(f, &mut errors);
    }
    // Site overrides.
    for (folder, prefix) in [
        ("templates", "templates/"),
        ("static", "static/"),
        ("i18n", "i18n/"),
    ] {
        let dir = root.join(folder);
        if dir.is_dir() {
            for mut f in disk_files(root, &dir, &mut errors) {
                f.relative = format!("{prefix}{}", f.relative);
                collected.add(f, &mut errors);
            }
        }
    }
    let strings = resolve_strings(config, &collected.theme_strings, &mut errors, &mut warnings);
    let options = manifest_options(collected.manifest, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        Theme {
            templates: collected.templates.into_values().collect(),
            static_files: collected.static_files.into_values().collect(),
            strings,
            options,
        },
        warnings,
    ))
}

/// The files of the theme named in `site.yaml`: its folder under `themes/`, or the
/// built-in default theme.
fn theme_files(
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<ThemeFile>, Vec<Diagnostic>> {
    let theme_dir = config.root.join("themes").join(&config.theme);
    if theme_folder(&theme_dir, &config.theme)? {
        Ok(disk_files(&config.root, &theme_dir, errors))
    } else if config.theme == "default" {
        Ok(embedded_files())
    } else {
        Err(vec![
            config
                .locate(
                    Diagnostic::error(format!(
                        "theme `{}` not found: there is no folder themes/{}/",
                        config.theme, config.theme
                    )),
                    &["theme"],
                )
                .with_help("remove `theme:` to use the built-in default theme"),
        ])
    }
}

/// The theme's files by role, a later file (the site's override) replacing an earlier one.
#[derive(Default)]
struct Collected {
    templates: BTreeMap<String, Template>,
    static_files: BTreeMap<String, StaticFile>,
    /// Per language, the theme's file then the site's, applied in that order.
    theme_strings: BTreeMap<String, Vec<(PathBuf, Arc<str>)>>,
    manifest: Option<(PathBuf, Arc<str>)>,
}

impl Collected {
    /// Files `f` by its place: `theme.yaml`, `templates/`, `static/` or `i18n/`.
    fn add(&mut self, f: ThemeFile, errors: &mut Vec<Diagnostic>) {
        if f.relative == "theme.yaml" {
            match f.text() {
                Ok(text) => self.manifest = Some((f.display, text)),
                Err(d) => errors.push(d),
            }
        } else if let Some(name) = f.relative.strip_prefix("templates/") {
            match f.text() {
                Ok(source) => {
                    self.templates.insert(
                        name.to_string(),
                        Template {
                            name: name.to_string(),
                            file: f.display,
                            source,
                        },
                    );
                }
                Err(d) => errors.push(d),
            }
        } else if let Some(path) = f.relative.strip_prefix("static/") {
            self.static_files.insert(
                path.to_string(),
                StaticFile {
                    path: path.to_string(),
                    bytes: f.bytes,
                },
            );
        } else if let Some(lang) = f
            .relative
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".yaml"))
        {
            match f.text() {
                Ok(source) => self
                    .theme_strings
                    .entry(lang.to_string())
                    .or_default()
                    .push((f.display, source)),
                Err(d) => errors.push(d),
            }
        }
    }
}

/// The defaults of the options `theme.yaml` declares.
fn manifest_options(
    manifest: Option<(PathBuf, Arc<str>)>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, serde_json::Value> {
    let Some((file, text)) = manifest else {
        return BTreeMap::new();
    };
    match yaml::from_str::<ThemeManifest>(&text, 1) {
        Ok(m) => m.options.into_iter().map(|(k, v)| (k, v.default)).collect(),
        Err(e) => {
            errors.push(e.into_diagnostic(file, text));
            BTreeMap::new()
        }
    }
}

struct ThemeFile {
    /// Relative to the theme (or override) folder, with `/`.
    relative: String,
    display: PathBuf,
    bytes: StaticBytes,
}

impl ThemeFile {
    fn text(&self) -> Result<Arc<str>, Diagnostic> {
        let bytes = self
            .bytes
            .read()
            .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(&self.display))?;
        crate::text::decode(bytes.into_owned())
            .map(Arc::from)
            .map_err(|d| d.in_file(&self.display))
    }
}

fn embedded_files() -> Vec<ThemeFile> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<ThemeFile>) {
        for f in dir.files() {
            let relative = f.path().to_string_lossy().replace('\\', "/");
            out.push(ThemeFile {
                display: PathBuf::from(format!("(built-in default theme)/{relative}")),
                relative,
                bytes: StaticBytes::Embedded(f.contents()),
            });
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&DEFAULT_THEME, &mut out);
    out
}

/// The built-in default theme's files, for `equipe init --theme-files`.
pub(crate) fn default_theme_files() -> Vec<(String, &'static [u8])> {
    embedded_files()
        .into_iter()
        .filter_map(|f| match f.bytes {
            StaticBytes::Embedded(bytes) => Some((f.relative, bytes)),
            StaticBytes::Disk(_) => None,
        })
        .collect()
}

fn disk_files(root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<ThemeFile> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let Ok(relative) = e.path().strip_prefix(dir) else {
                    continue;
                };
                let relative = relative.to_string_lossy().replace('\\', "/");
                out.push(ThemeFile {
                    relative,
                    display: e
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf(),
                    bytes: StaticBytes::Disk(e.path().to_path_buf()),
                });
            }
            Ok(_) => {}
            Err(e) => errors.push(
                Diagnostic::error(format!("cannot read: {e}"))
                    .in_file(dir.strip_prefix(root).unwrap_or(dir)),
            ),
        }
    }
    out
}

/// Fills every configured language's strings, falling back to the default language's,
/// then English's. One warning per language lists the keys that fell back.
fn resolve_strings(
    config: &Config,
    sources: &BTreeMap<String, Vec<(PathBuf, Arc<str>)>>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Strings {
    let mut parsed: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (lang, files) in sources {
        let mut merged = BTreeMap::new();
        for (file, text) in files {
            match yaml::from_str::<BTreeMap<String, String>>(text, 1) {
                Ok(map) => merged.extend(map),
                Err(e) => errors.push(e.into_diagnostic(file, text.clone())),
            }
        }
        parsed.insert(lang.clone(), merged);
    }
    let default = config.default_language();
    let mut fallback: BTreeMap<String, String> = parsed.get("en").cloned().unwrap_or_default();
    if let Some(d) = parsed.get(default) {
        fallback.extend(d.clone());
    }
    let mut strings = Strings::new();
    for lang in &config.languages {
        let own = parsed.get(&lang.code).cloned().unwrap_or_default();
        let missing: Vec<&String> = fallback.keys().filter(|k| !own.contains_key(*k)).collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(8).map(|k| format!("`{k}`")).collect();
            warnings.push(
                Diagnostic::warning(format!(
                    "{} UI string(s) missing for language `{}` ({}{}); using the {} text",
                    missing.len(),
                    lang.code,
                    shown.join(", "),
                    if missing.len() > 8 { ", ..." } else { "" },
                    if parsed.contains_key(default) {
                        default
                    } else {
                        "en"
                    },
                ))
                .in_file(format!("i18n/{}.yaml", lang.code))
                .with_help(format!("add them to i18n/{}.yaml in the site", lang.code)),
            );
        }
        let mut all = fallback.clone();
        all.extend(own);
        strings.insert(lang.code.clone(), all);
    }
    strings
}
