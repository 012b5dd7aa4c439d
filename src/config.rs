//! `site.yaml`: what the site is called, where it lives and which languages it speaks.
//!
//! Read once per build. Languages keep a stable order (the default language first, then
//! the others by code) so that menus and output are the same on every build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::sanitize::RawHtml;
use crate::typography::Typography;
use crate::yaml;

pub const CONFIG_FILE: &str = "site.yaml";

/// The folders of a site root whose contents are sources (what `serve` and `build --watch`
/// watch, and what a build's stamp covers).
pub const SOURCE_FOLDERS: [&str; 5] = ["content", "static", "templates", "i18n", "themes"];

/// The site's configuration, resolved and checked.
#[derive(Clone, Debug, Hash)]
pub struct Config {
    /// The site's root folder (where `site.yaml` is).
    pub root: PathBuf,
    /// Site title per language code.
    pub title: BTreeMap<String, String>,
    /// Absolute URL of the published site, ending in `/`, if known.
    pub base_url: Option<String>,
    /// Languages, the default one first.
    pub languages: Vec<Language>,
    pub theme: String,
    /// Free-form options for the theme (`theme_options:`), passed to templates.
    pub theme_options: serde_json::Map<String, serde_json::Value>,
    /// What raw HTML in Markdown may do (`markdown: { raw_html: ... }`).
    pub raw_html: RawHtml,
    /// The text of `site.yaml`, for the snippets of messages about it.
    pub source: Arc<str>,
}

#[derive(Clone, Debug, Hash, serde::Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// `rtl` for right-to-left scripts, else `ltr`.
    pub dir: String,
    /// Typographic rules for the text of this language's pages.
    #[serde(skip)]
    pub typography: Typography,
}

impl Config {
    /// Reads `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                .in_file(CONFIG_FILE)
                .with_help("run `equipe init DIR` to start a new site, or pass `--source DIR`")
        })?;
        let text = String::from_utf8(text).map_err(|e| {
            Diagnostic::error(format!(
                "{CONFIG_FILE} is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
            .in_file(CONFIG_FILE)
        })?;
        Self::parse(root, &text)
    }

    /// Parses the text of a `site.yaml`.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let source: Arc<str> = Arc::from(text);
        let raw: RawConfig =
            yaml::from_str(text, 1).map_err(|e| e.into_diagnostic(CONFIG_FILE, source.clone()))?;
        let default = default_language(&source, &raw.languages, raw.default_language)?;
        let mut languages = raw
            .languages
            .iter()
            .map(|(code, spec)| language(&source, code, spec))
            .collect::<Result<Vec<_>, _>>()?;
        languages.sort_by_key(|l| (l.code != default, l.code.clone()));
        let title = titles(raw.title, &languages, &default);

        let mut config = Config {
            root: root.to_path_buf(),
            title,
            base_url: None,
            languages,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            theme_options: raw.theme_options,
            raw_html: RawHtml::default(),
            source,
        };
        if let Some(url) = raw.base_url.filter(|u| !u.trim().is_empty()) {
            config.base_url = Some(parse_base_url(&url).map_err(|message| {
                config.locate(
                    Diagnostic::error(format!("`base_url: {url}`: {message}")),
                    &["base_url"],
                )
            })?);
        }
        if let Some(value) = raw.markdown.raw_html {
            config.raw_html = RawHtml::parse(&value).ok_or_else(|| {
                config.locate(
                    Diagnostic::error(format!(
                        "`raw_html: {value}` must be `sanitized` (the default) or `trusted`"
                    )),
                    &["markdown", "raw_html"],
                )
            })?;
        }
        Ok(config)
    }

    /// Points a diagnostic at a key of `site.yaml` (`["theme_options", "logo"]`): its
    /// line and the column of its value, where the key is written in block style.
    pub fn locate(&self, d: Diagnostic, path: &[&str]) -> Diagnostic {
        located(&self.source, d, path)
    }

    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    /// The typography of a language (none for a language the site does not have).
    pub fn typography(&self, code: &str) -> Typography {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.typography)
            .unwrap_or_default()
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    pub fn language_codes(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.code.as_str()).collect()
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// Where the value of a key is, 1-based: each key of `path` is searched among the lines
/// indented deeper than its parent's.
fn key_position(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let mut parent_indent: Option<usize> = None;
    let mut lines = text.lines().enumerate();
    let mut found = None;
    for key in path {
        found = None;
        for (i, line) in lines.by_ref() {
            let content = line.trim_start();
            let indent = line.len() - content.len();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if parent_indent.is_some_and(|p| indent <= p) {
                return None;
            }
            let Some(rest) = content
                .strip_prefix(key)
                .map(|r| r.trim_start_matches(['"', '\'']))
                .and_then(|r| r.strip_prefix(':'))
            else {
                continue;
            };
            let value_at = line.len() - rest.trim_start().len();
            found = Some((i + 1, line[..value_at].chars().count() + 1));
            parent_indent = Some(indent);
            break;
        }
        found?;
    }
    found
}

/// Checks a base URL (from `site.yaml` or `--base-url`) and makes it end in one `/`: it
/// lands in the sitemap, canonical links and `og:url`, so it must be an `http(s)` URL
/// with a host.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("must start with `https://` or `http://`")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err("has no host name".into());
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"<>`\\".contains(c))
    {
        return Err("may not contain spaces, quotes, `<`, `>` or backslashes".into());
    }
    Ok(normalize_base_url(url))
}

/// Makes a base URL end in exactly one `/`.
pub(crate) fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

/// `fr`, `en`, `pt-br`, `zh-hant`: what can stand as a language marker in a file name.
pub(crate) fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A diagnostic about `site.yaml` as a whole.
/// `d` in `site.yaml` (whose text is `source`), at the value of the key `path` where the
/// key is written in block style.
fn located(source: &Arc<str>, d: Diagnostic, path: &[&str]) -> Diagnostic {
    let d = d.in_file(CONFIG_FILE).with_source(source.clone());
    match key_position(source, path) {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
}

/// An error of `site.yaml` at the key `path` (see [`located`]).
fn config_error(source: &Arc<str>, message: String, path: &[&str]) -> Diagnostic {
    located(source, Diagnostic::error(message), path)
}

/// `default_language`, which may be left out when there is only one language.
fn default_language(
    source: &Arc<str>,
    languages: &BTreeMap<String, RawLanguage>,
    given: Option<String>,
) -> Result<String, Diagnostic> {
    if languages.is_empty() {
        return Err(config_error(
            source,
            "`languages` must name at least one language".into(),
            &["languages"],
        )
        .with_help("for example:\nlanguages:\n  fr: Français\n  en: English"));
    }
    let names = || languages.keys().cloned().collect::<Vec<_>>().join(", ");
    let default = match given {
        Some(code) => code,
        None if languages.len() == 1 => languages.keys().next().cloned().unwrap_or_default(),
        None => {
            return Err(
                config_error(source, "`default_language` is missing".into(), &[])
                    .with_help(format!("set it to one of: {}", names())),
            );
        }
    };
    if !languages.contains_key(&default) {
        return Err(config_error(
            source,
            format!(
                "`default_language: {default}` is not one of `languages` ({})",
                names()
            ),
            &["default_language"],
        ));
    }
    Ok(default)
}

/// One entry of `languages`: a name, or a name with a direction and typography.
fn language(source: &Arc<str>, code: &str, spec: &RawLanguage) -> Result<Language, Diagnostic> {
    if !is_language_code(code) {
        return Err(config_error(
            source,
            format!(
                "`{code}` is not a language code (expected something like `fr`, `en` or `pt-br`)"
            ),
            &["languages", code],
        ));
    }
    let (name, dir, typography) = match spec {
        RawLanguage::Name(name) => (name.clone(), None, None),
        RawLanguage::Full {
            name,
            dir,
            typography,
        } => (
            name.clone().unwrap_or_else(|| code.to_string()),
            dir.clone(),
            typography.as_deref(),
        ),
    };
    let dir = match dir.as_deref() {
        None | Some("ltr") => "ltr",
        Some("rtl") => "rtl",
        Some(other) => {
            return Err(config_error(
                source,
                format!("language `{code}`: `dir: {other}` must be `ltr` or `rtl`"),
                &["languages", code],
            ));
        }
    };
    Ok(Language {
        code: code.to_string(),
        name,
        dir: dir.to_string(),
        typography: Typography::for_language(code, typography),
    })
}

/// The site's title in every language: one for all, or one per language, a missing one
/// taking the default language's.
fn titles(raw: RawTitle, languages: &[Language], default: &str) -> BTreeMap<String, String> {
    match raw {
        RawTitle::One(t) => languages
            .iter()
            .map(|l| (l.code.clone(), t.clone()))
            .collect(),
        RawTitle::PerLanguage(map) => {
            let fallback = map
                .get(default)
                .cloned()
                .or_else(|| map.values().next().cloned());
            languages
                .iter()
                .map(|l| {
                    let t = map.get(&l.code).cloned().or_else(|| fallback.clone());
                    (l.code.clone(), t.unwrap_or_default())
                })
                .collect()
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: RawTitle,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    default_language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    theme_options: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    markdown: RawMarkdown,
}

/// `markdown:` in `site.yaml`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawTitle {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

/// A language of `languages`: its name, or its name with a direction and typography. A
/// misspelt field (`nom:`) is an error, not a language named by its code.
#[derive(Deserialize)]
#[serde(
    untagged,
    deny_unknown_fields,
    expecting = "a language is its name (`fr: Français`), or `{ name: …, dir: ltr or rtl, typography: … }`"
)]
enum RawLanguage {
    Name(String),
    Full {
        name: Option<String>,
        dir: Option<String>,
        typography: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("."), text)
    }

    #[test]
    fn a_misspelt_field_of_a_language_is_an_error_at_it() {
        let Err(e) = parse(
            "title: T\ndefault_language: fr\nlanguages:\n  fr: Français\n  en: { nom: English }\n",
        ) else {
            panic!("a misspelt field is an error");
        };
        let text = e.render(false);
        assert!(text.contains("a language is its name"), "{text}");
        assert!(text.contains("site.yaml:5:"), "{text}");
        assert!(!text.contains("double quotes"), "{text}");
    }

    #[test]
    fn default_language_comes_first() {
        let c =
            parse("title: T\ndefault_language: fr\nlanguages:\n  en: English\n  fr: Français\n")
                .unwrap();
        assert_eq!(c.language_codes(), vec!["fr", "en"]);
        assert_eq!(c.title["en"], "T");
    }

    #[test]
    fn rtl_and_per_language_titles() {
        let c = parse(
            "title:\n  fr: Équipe\n  ar: فريق\ndefault_language: fr\nlanguages:\n  fr: Français\n  ar: {name: العربية, dir: rtl}\n",
        )
        .unwrap();
        assert_eq!(c.languages[1].dir, "rtl");
        assert_eq!(c.title["ar"], "فريق");
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let e = parse("title: T\nlanguages:\n  fr: Français\ntheme_color: red\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn default_language_must_be_configured() {
        let e = parse("title: T\ndefault_language: de\nlanguages:\n  fr: Français\n").unwrap_err();
        assert!(e.message.contains("de"), "{e}");
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c =
            parse("title: T\nbase_url: https://x.org/team//\nlanguages: {fr: Français}\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://x.org/team/"));
    }

    #[test]
    fn base_url_must_be_http_and_points_at_its_value() {
        let e = parse("title: T\nlanguages: {fr: Français}\nbase_url: javascript:alert(1)\n")
            .unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(11)), "{e}");
        assert!(e.message.contains("https://"), "{e}");
        for bad in [
            "ftp://x.org/",
            "https://",
            "https:///x",
            "https://x.org/a b",
            "x.org",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_base_url("HTTP://x.org").unwrap(), "HTTP://x.org/");
    }

    #[test]
    fn raw_html_policy() {
        let c = parse("title: T\nlanguages: {fr: Français}\n").unwrap();
        assert_eq!(c.raw_html, RawHtml::Sanitized);
        let c =
            parse("title: T\nlanguages: {fr: Français}\nmarkdown:\n  raw_html: trusted\n").unwrap();
        assert_eq!(c.raw_html, RawHtml::Trusted);
        let e =
            parse("title: T\nlanguages: {fr: Français}\nmarkdown:\n  raw_html: yes\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(4), Some(13)), "{e}");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("fr"));
        assert!(is_language_code("pt-br"));
        assert!(!is_language_code("v2"));
        assert!(!is_language_code("index"));
    }
}
