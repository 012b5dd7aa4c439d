//! Translation status: which keys exist in which languages, and which translations may
//! be out of date.
//!
//! A translation is out of date when its source (the default-language file of the same
//! key) changed after it was made. Two records of "made from" are understood:
//! `source_hash:`, written by `equipe translations --stamp` (the hash of the source file
//! when the translation was last brought up to date), and `source-git-commit:`, as
//! translation pipelines write it (the source's commit: the translation is out of date
//! when the last commit that changed the source is not part of it). Git is asked once for
//! the history of the whole content folder, then once per distinct recorded commit, never
//! once per file; when the site is not in a git repository, or git is absent, the
//! records are quietly ignored.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::config::Config;
use crate::content::{self, Page};
use crate::diagnostics::Diagnostic;
use crate::hash::fnv1a;
use crate::site::Site;

/// The state of one translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// The default-language file itself.
    Source,
    Current,
    /// No record of what it was made from.
    Unknown,
    Outdated(String),
    Missing,
}

impl Freshness {
    pub fn label(&self) -> &'static str {
        match self {
            Freshness::Source => "source",
            Freshness::Current => "ok",
            Freshness::Unknown => "yes",
            Freshness::Outdated(_) => "OUTDATED",
            Freshness::Missing => "MISSING",
        }
    }
}

/// One translation key across the languages, in language order.
#[derive(Debug)]
pub struct KeyStatus {
    pub key: String,
    pub languages: Vec<(String, Freshness)>,
}

/// The hash `--stamp` records: of the source file's whole text.
pub fn source_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// Status of every key of the site. `git` enables `source-git-commit` checks.
pub fn status(site: &Site, git: bool) -> Vec<KeyStatus> {
    let default = site.config.default_language();
    let history = git
        .then(|| GitHistory::load(&site.config.content_dir()))
        .flatten();
    site.translation_keys()
        .into_iter()
        .map(|key| {
            let source = site
                .find(key, default)
                .map(|i| &site.pages[i])
                .filter(|p| !p.generated);
            let languages = site
                .config
                .languages
                .iter()
                .map(|l| {
                    let page = site
                        .find(key, &l.code)
                        .map(|i| &site.pages[i])
                        .filter(|p| !p.generated);
                    let state = match (page, source) {
                        (None, _) => Freshness::Missing,
                        (Some(_), _) if l.code == default => Freshness::Source,
                        (Some(p), Some(s)) => freshness(&p.page, &s.page, history.as_ref()),
                        (Some(_), None) => Freshness::Unknown,
                    };
                    (l.code.clone(), state)
                })
                .collect();
            KeyStatus {
                key: key.to_string(),
                languages,
            }
        })
        .collect()
}

fn freshness(translation: &Page, source: &Page, git: Option<&GitHistory>) -> Freshness {
    if let Some(recorded) = translation
        .extra
        .get("source_hash")
        .and_then(|v| v.as_str())
    {
        return if recorded == source_hash(&source.source()) {
            Freshness::Current
        } else {
            Freshness::Outdated(format!(
                "{} changed after this translation was stamped",
                source.file.display.display()
            ))
        };
    }
    if let Some(commit) = translation
        .extra
        .get("source-git-commit")
        .and_then(|v| v.as_str())
        && let Some(git) = git
    {
        return match git.changed_after(commit, &source.file.path) {
            Some(true) => Freshness::Outdated(format!(
                "{} changed in git after commit {}",
                source.file.display.display(),
                &commit[..commit.len().min(12)]
            )),
            Some(false) => Freshness::Current,
            None => Freshness::Unknown,
        };
    }
    Freshness::Unknown
}

/// What git knows of the content folder's history.
struct GitHistory {
    /// The repository's top folder, which git's paths are relative to.
    top: PathBuf,
    /// The last commit that changed each file, by path relative to `top`.
    last: HashMap<PathBuf, String>,
    /// The commits that changed the content folder up to a recorded commit, by recorded
    /// commit (`None`: git does not know it), asked once each.
    up_to: Mutex<HashMap<String, Option<HashSet<String>>>>,
    content: PathBuf,
}

impl GitHistory {
    /// One `git log` over the content folder; `None` outside a repository or without git.
    fn load(content: &Path) -> Option<GitHistory> {
        let top = git_output(content, &["rev-parse", "--show-toplevel"])?;
        let top = std::fs::canonicalize(top.trim()).ok()?;
        let log = git_output(
            content,
            &[
                "-c",
                "core.quotePath=false",
                "log",
                "--format=%x00%H",
                "--name-only",
                "--no-renames",
                "--",
                ".",
            ],
        )?;
        let mut last = HashMap::new();
        for entry in log.split('\0').filter(|e| !e.is_empty()) {
            let mut lines = entry.lines();
            let Some(commit) = lines.next() else {
                continue;
            };
            for file in lines.filter(|l| !l.is_empty()) {
                last.entry(PathBuf::from(file))
                    .or_insert_with(|| commit.to_string());
            }
        }
        Some(GitHistory {
            top,
            last,
            up_to: Mutex::default(),
            content: content.to_path_buf(),
        })
    }

    /// Whether `file` changed in a commit that `commit` does not contain; `None` if git
    /// does not know the commit or the file.
    fn changed_after(&self, commit: &str, file: &Path) -> Option<bool> {
        if commit.len() < 4 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let relative = std::fs::canonicalize(file).ok()?;
        let last = self.last.get(relative.strip_prefix(&self.top).ok()?)?;
        if last.starts_with(commit) {
            return Some(false);
        }
        let mut up_to = self
            .up_to
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let contained = up_to.entry(commit.to_string()).or_insert_with(|| {
            let log = git_output(
                &self.content,
                &["log", "--full-history", "--format=%H", commit, "--", "."],
            )?;
            Some(log.lines().map(str::to_string).collect())
        });
        contained.as_ref().map(|c| !c.contains(last))
    }
}

/// The standard output of a successful git command run in `dir`.
fn git_output(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The front matter keys by which a page records what it was translated from.
const MADE_FROM: [&str; 2] = ["source_hash", "source-git-commit"];

/// A warning at `default_language` in site.yaml when most of the default language's pages
/// record what they were translated from and another language's pages record nothing:
/// that other language is the source. Experience League's guides are so: their French
/// files carry `source-git-commit:`, their English ones nothing, and `equipe init` makes
/// French the default. Built that way, the translation table calls each French file the
/// source, and links that machine translation left with English `#anchors` are not
/// mapped to the French headings (276 warnings of one guide, where 35 with English the
/// default).
pub(crate) fn source_language_hint(site: &Site) -> Option<Diagnostic> {
    use rayon::prelude::*;
    let languages = &site.config.languages;
    // For each language: its pages, and how many of them record a source (on every core:
    // a build after one edit goes over 20,000 pages here).
    let none = || vec![(0usize, 0usize); languages.len()];
    let counts = site
        .pages
        .par_iter()
        .filter(|p| !p.generated)
        .fold(none, |mut counts, p| {
            if let Some(l) = languages.iter().position(|l| l.code == p.lang()) {
                counts[l].0 += 1;
                if MADE_FROM.iter().any(|key| p.page.extra.contains_key(key)) {
                    counts[l].1 += 1;
                }
            }
            counts
        })
        .reduce(none, |mut all, some| {
            for (a, s) in all.iter_mut().zip(some) {
                a.0 += s.0;
                a.1 += s.1;
            }
            all
        });
    // The default language comes first (see `Config::default_language`).
    let (pages, translated) = counts[0];
    if translated == 0 || translated * 2 < pages {
        return None;
    }
    let source = (1..languages.len())
        .filter(|&l| counts[l].0 > 0 && counts[l].1 == 0)
        .max_by_key(|&l| counts[l].0)?;
    let (default, source) = (&languages[0].code, &languages[source].code);
    let d = Diagnostic::warning(format!(
        "the `{default}` pages are translations ({translated} of {pages} record what they \
         were translated from: `source-git-commit:` or `source_hash:`) and the `{source}` \
         pages are not: `{source}` looks like the source language, not `{default}`"
    ))
    .with_help(format!(
        "set `default_language: {source}`: translations are then checked against their \
         `{source}` pages, and a link's `#anchor` that names a heading of the `{source}` \
         page goes to the translated heading"
    ));
    Some(site.config.locate(d, &["default_language"]))
}

/// Warnings for translations that may be out of date.
pub fn outdated_warnings(site: &Site, statuses: &[KeyStatus]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in statuses {
        for (lang, state) in &s.languages {
            if let Freshness::Outdated(reason) = state
                && let Some(i) = site.find(&s.key, lang)
            {
                let page = &site.pages[i].page;
                out.push(
                    page.diagnostic_at_key(
                        Diagnostic::warning(format!("translation may be out of date: {reason}"))
                            .with_help(format!(
                                "update it, then run `equipe translations --stamp {}`",
                                page.file.display.display()
                            )),
                        if page.extra.contains_key("source_hash") {
                            "source_hash"
                        } else {
                            "source-git-commit"
                        },
                    ),
                );
            }
        }
    }
    out
}

/// The status as a table, for people. The key column is as wide as the longest key up to
/// [`KEY_WIDTH`]: a longer key (a guide has file names of 280 characters) pushes its own
/// row's states along, not every row's off the screen.
pub fn table(config: &Config, statuses: &[KeyStatus]) -> String {
    let width = statuses
        .iter()
        .map(|s| s.key.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(15, KEY_WIDTH);
    let mut out = format!("\n{:<width$}", "translation key");
    for l in &config.languages {
        out.push_str(&format!("  {:<8}", l.code));
    }
    out.push('\n');
    for s in statuses {
        out.push_str(&format!("{:<width$}", s.key));
        for (_, state) in &s.languages {
            out.push_str(&format!("  {:<8}", state.label()));
        }
        out.push('\n');
    }
    out
}

/// The widest the key column of [`table`] gets.
const KEY_WIDTH: usize = 48;

/// Records in translated files the hash of their default-language source. With `all`,
/// every translation of the site; else the files given.
pub fn stamp(config: &Config, files: &[PathBuf], all: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let (content, diagnostics) = content::load(config, true, None);
    let pages = content.pages;
    if let Some(d) = diagnostics.into_iter().find(Diagnostic::is_error) {
        return Err(d);
    }
    let default = config.default_language();
    let wanted: Vec<PathBuf> = files
        .iter()
        .map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone()))
        .collect();
    let mut stamped = Vec::new();
    for page in pages.iter().filter(|p| p.lang != default) {
        let path =
            std::fs::canonicalize(&page.file.path).unwrap_or_else(|_| page.file.path.clone());
        if !all && !wanted.contains(&path) {
            continue;
        }
        let Some(source) = pages
            .iter()
            .find(|p| p.key == page.key && p.lang == default)
        else {
            return Err(Diagnostic::error(format!(
                "`{}` has no {default} source to stamp it against",
                page.file.display.display()
            ))
            .in_file(&page.file.display));
        };
        let text = set_front_matter_key(
            &page.source(),
            "source_hash",
            &source_hash(&source.source()),
        );
        std::fs::write(&page.file.path, text).map_err(|e| {
            Diagnostic::error(format!("cannot write: {e}")).in_file(&page.file.display)
        })?;
        stamped.push(page.file.path.clone());
    }
    if !all {
        for f in files {
            let canonical = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
            if !pages.iter().any(|p| {
                p.lang != default
                    && std::fs::canonicalize(&p.file.path).is_ok_and(|c| c == canonical)
            }) {
                return Err(Diagnostic::error(format!(
                    "`{}` is not a translation (a content file in another language than {default})",
                    f.display()
                )));
            }
        }
    }
    Ok(stamped)
}

/// Sets `key: value` in a file's front matter, replacing the line if the key is there.
pub fn set_front_matter_key(text: &str, key: &str, value: &str) -> String {
    let line = format!("{key}: {value}");
    let Some(rest) = text.strip_prefix("---\n") else {
        return format!("---\n{line}\n---\n{text}");
    };
    let mut out = String::from("---\n");
    let mut done = false;
    let mut lines = rest.split_inclusive('\n');
    for l in lines.by_ref() {
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            if !done {
                out.push_str(&line);
                out.push('\n');
            }
            out.push_str(l);
            break;
        }
        if !done && l.starts_with(&format!("{key}:")) {
            out.push_str(&line);
            out.push('\n');
            done = true;
        } else {
            out.push_str(l);
        }
    }
    out.extend(lines);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long key pushes its own row's states along; the other rows stay in columns.
    #[test]
    fn the_key_column_has_a_width_limit() {
        let config = Config::parse(
            Path::new("."),
            "title: T\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n",
        )
        .expect("valid site.yaml");
        let row = |key: &str, fr: Freshness| KeyStatus {
            key: key.to_string(),
            languages: vec![("en".into(), Freshness::Source), ("fr".into(), fr)],
        };
        let long = format!("help/{}", "x".repeat(200));
        let table = table(
            &config,
            &[
                row("help/a", Freshness::Current),
                row(&long, Freshness::Missing),
                row("help/b", Freshness::Unknown),
            ],
        );
        let lines: Vec<&str> = table.lines().filter(|l| !l.is_empty()).collect();
        let column = |line: &str| line.find("source");
        assert_eq!(column(lines[1]), Some(KEY_WIDTH + 2));
        assert_eq!(column(lines[3]), Some(KEY_WIDTH + 2));
        assert_eq!(column(lines[2]), Some(long.len() + 2));
        assert!(lines[2].ends_with("MISSING "), "{:?}", lines[2]);
    }

    #[test]
    fn stamping_inserts_or_replaces_the_key() {
        assert_eq!(
            set_front_matter_key("---\ntitle: A\n---\nBody\n", "source_hash", "ab"),
            "---\ntitle: A\nsource_hash: ab\n---\nBody\n"
        );
        assert_eq!(
            set_front_matter_key(
                "---\nsource_hash: old\ntitle: A\n---\nBody\n",
                "source_hash",
                "ab"
            ),
            "---\nsource_hash: ab\ntitle: A\n---\nBody\n"
        );
        assert_eq!(
            set_front_matter_key("# Title\n", "source_hash", "ab"),
            "---\nsource_hash: ab\n---\n# Title\n"
        );
    }
}
