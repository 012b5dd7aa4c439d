//! Finding the content files of a site and what their paths say.
//!
//! A path says three things: the file's language (a `.fr.md` suffix or a `fr/` top
//! folder), its translation key (the path without the language marker and `.md`, which
//! translations share) and its section (`roles`, `teams`, ...). Names starting with `_`
//! (except `_index`) or `.` are not pages: snippets, drafts and editor files live there.
//! Symbolic links are read only when they stay inside the site, and never followed into
//! folders, so a link loop cannot hang the walk.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::{Config, is_language_code};
use crate::diagnostics::Diagnostic;
use crate::files::{StaticBytes, StaticFile};
use crate::hash::FastMap;

/// A Markdown file of the site, before it is read.
#[derive(Clone, Debug, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceFile {
    /// Absolute (or as given) path on disk.
    #[serde(deserialize_with = "crate::cached_strings::path")]
    pub path: PathBuf,
    /// Path relative to the site root, with `/`, for messages: `content/roles/a.fr.md`.
    #[serde(deserialize_with = "crate::cached_strings::path")]
    pub display: PathBuf,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub lang: String,
    /// Translation key: `roles/project-manager`, `_index`, `roles/_index`.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub key: String,
}

/// Paths compared as written, byte for byte: `Path`'s own comparison goes component by
/// component, and a rebuild compares every file of the site with the one it had (5% of
/// `serve`'s rebuild at 2,000 pages). The same path written two ways only counts as a
/// change.
impl PartialEq for SourceFile {
    fn eq(&self, other: &SourceFile) -> bool {
        self.path.as_os_str() == other.path.as_os_str()
            && self.display.as_os_str() == other.display.as_os_str()
            && self.lang == other.lang
            && self.key == other.key
    }
}

impl SourceFile {
    /// The key's folders: `["roles"]` for `roles/project-manager`.
    pub fn dirs(&self) -> Vec<&str> {
        let mut parts: Vec<&str> = self.key.split('/').collect();
        parts.pop();
        parts
    }

    /// The key's last part: `project-manager`, `_index`.
    pub fn stem(&self) -> &str {
        self.key.rsplit('/').next().unwrap_or(&self.key)
    }

    pub fn is_index(&self) -> bool {
        self.stem() == "_index"
    }

    /// [`SourceFile::display`] as text, as the stamp and the bodies' records name the file
    /// (see [`crate::text::lossy`]).
    pub(crate) fn display_text(&self) -> std::borrow::Cow<'_, str> {
        crate::text::lossy(&self.display)
    }
}

/// What `content/` holds: Markdown pages, and other files (images, PDFs) that pages link
/// and that are copied beside them.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub pages: Vec<SourceFile>,
    pub files: Vec<StaticFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Some page is a symbolic link: an edit of its target is an event on another path.
    pub has_links: bool,
    /// What the walk found in each folder, by folder, with the folder's mtime: while
    /// they stay the same, no entry was added, removed or renamed, and the walk would
    /// find the same files; the next walk lists again only the folders whose mtime
    /// changed (see [`discover_cached`]).
    listed: FastMap<PathBuf, Arc<Listing>>,
}

/// What a walk found in one folder, in the walk's order (by name).
#[derive(Debug)]
struct Listing {
    mtime: Option<SystemTime>,
    /// Whether its mtime was old enough, when listed, that a later change must give it
    /// another one.
    trusted: bool,
    entries: Vec<Found>,
}

#[derive(Debug)]
enum Found {
    Folder(PathBuf),
    Page(SourceFile),
    File(StaticFile),
    Problem(Diagnostic),
    /// A symbolic link to a file of the site, read as the entry after it.
    Link,
}

/// Filesystems with the coarsest mtimes (FAT) count in steps of 2 s.
const MTIME_STEP: Duration = Duration::from_secs(2);

/// [`discover`], reusing `previous` when no folder of `content/` changed since it was
/// walked, and otherwise what it found in each folder whose mtime is the same: a save
/// through a file renamed over the page (most editors' safe write, `sed -i`) changes its
/// folder's mtime, and walking every folder again took a fifth of a rebuild of Adobe's
/// Workfront guide (1,211 folders, 16,329 files). Folders modified within
/// [`MTIME_STEP`] before they were walked could change again without their mtime
/// changing, on a filesystem that counts in seconds: they are listed again.
pub(crate) fn discover_cached(
    config: &Config,
    previous: Option<&Arc<Discovered>>,
) -> Arc<Discovered> {
    // (A walk that found no `content/` listed nothing, and is not kept.)
    if let Some(previous) = previous.filter(|p| !p.listed.is_empty())
        && previous
            .listed
            .iter()
            .all(|(folder, l)| l.trusted && modified(folder) == l.mtime)
    {
        return Arc::clone(previous);
    }
    Arc::new(walk(config, previous.map(|p| &p.listed)))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::symlink_metadata(path).ok()?.modified().ok()
}

/// Walks `content/` and classifies every Markdown file. Files whose language marker is
/// not configured are reported, not dropped silently.
pub(crate) fn discover(config: &Config) -> Discovered {
    walk(config, None)
}

/// [`discover`], taking from `previous` the listing of each folder whose mtime is the
/// same and that could be trusted.
fn walk(config: &Config, previous: Option<&FastMap<PathBuf, Arc<Listing>>>) -> Discovered {
    let content = config.content_dir();
    let mut found = Discovered::default();
    if !content.is_dir() {
        found.diagnostics.push(
            Diagnostic::error("the site has no `content/` folder")
                .in_file("content")
                .with_help("create content/_index.<lang>.md for the home page"),
        );
        return found;
    }
    let walk = Walk {
        config,
        site_root: std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone()),
        started: SystemTime::now(),
        previous,
    };
    walk.folder(content, &mut found);
    found
}

/// One walk of `content/` (see [`walk`]).
struct Walk<'w> {
    config: &'w Config,
    site_root: PathBuf,
    started: SystemTime,
    previous: Option<&'w FastMap<PathBuf, Arc<Listing>>>,
}

impl Walk<'_> {
    /// Adds to `found` what `dir` holds, its folders' after each folder, in the order of
    /// their names (a walk sorted by name, depth first).
    fn folder(&self, dir: PathBuf, found: &mut Discovered) {
        let mtime = modified(&dir);
        let listing = match self.previous.and_then(|p| p.get(&dir)) {
            Some(listed) if listed.trusted && listed.mtime == mtime => Arc::clone(listed),
            _ => Arc::new(self.list(&dir, mtime)),
        };
        for entry in &listing.entries {
            match entry {
                Found::Folder(inner) => self.folder(inner.clone(), found),
                Found::Page(page) => found.pages.push(page.clone()),
                Found::File(file) => found.files.push(file.clone()),
                Found::Problem(problem) => found.diagnostics.push(problem.clone()),
                Found::Link => found.has_links = true,
            }
        }
        found.listed.insert(dir, listing);
    }

    /// What `dir` holds, by name: its folders (but hidden ones), its pages and other
    /// files, and what cannot be read.
    fn list(&self, dir: &Path, mtime: Option<SystemTime>) -> Listing {
        let config = self.config;
        let content = config.content_dir();
        let mut entries = Vec::new();
        let cannot = |e: std::io::Error, path: &Path| {
            Found::Problem(
                Diagnostic::error(format!("cannot read: {e}")).in_file(display_path(config, path)),
            )
        };
        let mut children: Vec<(std::ffi::OsString, std::fs::DirEntry)> = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(read) => {
                for child in read {
                    match child {
                        Ok(child) => children.push((child.file_name(), child)),
                        Err(e) => entries.push(cannot(e, dir)),
                    }
                }
            }
            Err(e) => entries.push(cannot(e, dir)),
        }
        crate::name_order::sort_by_name(&mut children);
        for (name, child) in children {
            let path = child.path();
            let kind = match child.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    entries.push(cannot(e, &path));
                    continue;
                }
            };
            if is_hidden(&crate::text::lossy(&name), kind.is_dir()) {
                continue;
            }
            let is_page = path.extension().and_then(|e| e.to_str()) == Some("md");
            if kind.is_symlink() {
                // A link may point anywhere: accept it only if its target is a file inside
                // the site. A folder is not followed (a link to a folder above it would
                // loop); the warning says which of these it is.
                let skipped = match std::fs::canonicalize(&path) {
                    Ok(target) if !target.starts_with(&self.site_root) => {
                        "it points outside the site"
                    }
                    Ok(target) if target.is_file() => {
                        entries.push(Found::Link);
                        ""
                    }
                    Ok(target) if target.is_dir() => {
                        "it points to a folder, and only links to files are followed"
                    }
                    Ok(_) => "it points to neither a file nor a folder",
                    Err(_) => "it points to nothing (or to itself)",
                };
                if !skipped.is_empty() {
                    entries.push(Found::Problem(
                        Diagnostic::warning(format!("symbolic link skipped: {skipped}"))
                            .in_file(display_path(config, &path)),
                    ));
                    continue;
                }
            } else if kind.is_dir() {
                entries.push(Found::Folder(path));
                continue;
            } else if !kind.is_file() {
                continue;
            }
            let Some(relative) = slash_relative(&path, &content) else {
                continue;
            };
            // Markdown in a `_` folder (includes, snippets, drafts) is no page; its other
            // files are copied: Adobe's guides keep their images in `_assets/`.
            if is_page && in_underscore_folder(&relative) {
                continue;
            }
            if !is_page {
                entries.push(Found::File(StaticFile {
                    path: relative,
                    bytes: StaticBytes::Disk(path),
                }));
                continue;
            }
            // `content/` is the site's `content` folder: what `display_path` gives, without
            // cutting the path from the site's folder again (a file's path was cut twice,
            // 1.2% of a build's instructions after a title edit at 20,000 pages).
            let mut display = String::with_capacity("content/".len() + relative.len());
            display.push_str("content/");
            display.push_str(&relative);
            let display = PathBuf::from(display);
            entries.push(match classify(config, &relative) {
                Ok((lang, key)) => Found::Page(SourceFile {
                    path,
                    display,
                    lang,
                    key,
                }),
                Err(message) => Found::Problem(Diagnostic::error(message).in_file(&display)),
            });
        }
        Listing {
            mtime,
            trusted: mtime.is_some_and(|m| m + MTIME_STEP < self.started),
            entries,
        }
    }
}

/// `.git`, `.#file`, `_snippet.md`: not read. `_index.md` and `_index.<lang>.md` are;
/// `_index-old.md` and `_index.md.bak` are not. Other files whose names start with `_`
/// are (Adobe's Knowledge Base names its images `___<id>___.png`), and so is a folder
/// whose name starts with `_`, for the files beside its Markdown (see
/// [`in_underscore_folder`]).
fn is_hidden(name: &str, is_dir: bool) -> bool {
    let is_index = !is_dir
        && name
            .strip_prefix("_index")
            .and_then(|rest| rest.strip_suffix(".md"))
            .is_some_and(|marker| {
                marker.is_empty()
                    || marker
                        .strip_prefix('.')
                        .is_some_and(|code| !code.is_empty() && !code.contains('.'))
            });
    name.starts_with('.') || (name.starts_with('_') && !is_dir && !is_index && name.contains(".md"))
}

/// Whether a file (its path from `content/`, in [`slash_path`]'s form) is in a folder
/// whose name starts with `_` (`_includes/`, `_drafts/`, `_assets/`), at any depth.
fn in_underscore_folder(relative: &str) -> bool {
    split_last(relative, b'/')
        .is_some_and(|(dir, _)| dir.split('/').any(|name| name.starts_with('_')))
}

/// `text.rsplit_once(byte)` for an ASCII byte, found by `memrchr`: `str`'s search for a
/// character took about 200 instructions a call on a file's path (1.3% of a build's
/// instructions after a title edit at 20,000 pages, three calls a page).
fn split_last(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = memchr::memrchr(byte, text.as_bytes())?;
    // An ASCII byte is a character of its own: both sides are whole characters.
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The path relative to the site root, with `/` separators.
pub(crate) fn display_path(config: &Config, path: &Path) -> PathBuf {
    PathBuf::from(slash_relative(path, &config.root).unwrap_or_else(|| slash_path(path)))
}

/// `path` from `base` (as [`Path::strip_prefix`] has it) in [`slash_path`]'s form; `None`
/// if it is not under `base`. A walk of `base` makes every path under it as `base`, a `/`
/// and names: such a path is cut as text, without parsing its components (parsing them
/// three times for each file was a tenth of the instructions of a build after one edit
/// at 20,000 pages).
fn slash_relative(path: &Path, base: &Path) -> Option<String> {
    if std::path::MAIN_SEPARATOR == '/'
        && let (Some(text), Some(base_text)) = (path.to_str(), base.to_str())
        && let Some(rest) = text
            .strip_prefix(base_text)
            .and_then(|rest| rest.strip_prefix('/'))
        && rest
            .as_bytes()
            .split(|&b| b == b'/')
            .all(|name| !matches!(name, b"" | b"." | b".."))
    {
        return Some(rest.to_string());
    }
    path.strip_prefix(base).ok().map(slash_path)
}

/// The names of `path`'s components, `/` between them (`en/help/page.md`).
fn slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Language and translation key of a path relative to `content/`, in [`slash_path`]'s
/// form.
pub(super) fn classify(config: &Config, relative: &str) -> Result<(String, String), String> {
    let (folders, file) = match split_last(relative, b'/') {
        Some((folders, file)) => (Some(folders), file),
        None => (None, relative),
    };
    let stem = file.strip_suffix(".md").unwrap_or(file);

    // Folder layout: content/fr/roles/x.md.
    let mut lang = None;
    // Where the key's folders start in `relative`: after a language's folder.
    let mut start = 0;
    if let Some(first) = folders.and_then(|f| f.split('/').next())
        && config.has_language(first)
    {
        lang = Some(first.to_string());
        start = first.len() + 1;
    }
    // Suffix layout: x.fr.md. Where the folder gives the language, a suffix that is not
    // one of the site's languages is part of the name (Livefyre's `c-livefyre.js.md`).
    let (stem, suffix_lang) = match split_last(stem, b'.') {
        Some((base, marker))
            if is_language_code(marker)
                && !base.is_empty()
                && (lang.is_none() || config.has_language(marker)) =>
        {
            if !config.has_language(marker) {
                return Err(format!(
                    "language marker `.{marker}` is not configured in site.yaml (languages: {})",
                    config.language_codes().join(", ")
                ));
            }
            (base, Some(marker.to_string()))
        }
        _ => (stem, None),
    };
    let lang = match (lang, suffix_lang) {
        (Some(folder), Some(suffix)) if folder != suffix => {
            return Err(format!(
                "the folder says the language is `{folder}` but the file name says `{suffix}`"
            ));
        }
        (Some(l), _) | (None, Some(l)) => l,
        (None, None) => config.default_language().to_string(),
    };
    // The folders as written (each with its `/`), then the stem: cut from `relative`
    // rather than its names collected and joined again.
    let folders = folders.map_or("", |f| relative.get(start..=f.len()).unwrap_or_default());
    let mut key = String::with_capacity(folders.len() + stem.len());
    key.push_str(folders);
    key.push_str(stem);
    Ok((lang, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            Path::new("/site"),
            "title: T\ndefault_language: fr\nlanguages: {fr: Français, en: English}\n",
        )
        .unwrap()
    }

    fn classify_str(p: &str) -> Result<(String, String), String> {
        classify(&config(), &slash_path(Path::new(p)))
    }

    #[test]
    fn suffix_layout() {
        assert_eq!(
            classify_str("roles/project-manager.en.md").unwrap(),
            ("en".into(), "roles/project-manager".into())
        );
    }

    #[test]
    fn folder_layout() {
        assert_eq!(
            classify_str("en/roles/project-manager.md").unwrap(),
            ("en".into(), "roles/project-manager".into())
        );
        for (path, key) in [
            ("en/_index.md", "_index"),
            ("en/a/b/c.md", "a/b/c"),
            ("a/en/b.md", "a/en/b"),
            ("enx/b.md", "enx/b"),
        ] {
            let lang = if path.starts_with("en/") { "en" } else { "fr" };
            assert_eq!(
                classify_str(path).unwrap(),
                (lang.into(), key.into()),
                "{path}"
            );
        }
    }

    #[test]
    fn no_marker_is_the_default_language() {
        assert_eq!(
            classify_str("about.md").unwrap(),
            ("fr".into(), "about".into())
        );
        assert_eq!(
            classify_str("v1.2.md").unwrap(),
            ("fr".into(), "v1.2".into())
        );
    }

    #[test]
    fn unconfigured_marker_is_an_error() {
        let e = classify_str("roles/x.de.md").unwrap_err();
        assert!(e.contains("`.de`"), "{e}");
    }

    #[test]
    fn disagreeing_markers_are_an_error() {
        assert!(classify_str("en/roles/x.fr.md").is_err());
    }

    /// In a language's folder, a suffix that is no language of the site is the name's
    /// (Livefyre's guide: `c-livefyre.js.md`, `t-add-livefyre.js-to-the-page.md`).
    #[test]
    fn in_a_language_folder_other_suffixes_are_the_name_s() {
        assert_eq!(
            classify_str("en/help/c-livefyre.js.md").unwrap(),
            ("en".into(), "help/c-livefyre.js".into())
        );
        assert_eq!(
            classify_str("fr/help/t-add-livefyre.js-to-the-page.md").unwrap(),
            ("fr".into(), "help/t-add-livefyre.js-to-the-page".into())
        );
        assert_eq!(
            classify_str("en/help/x.en.md").unwrap(),
            ("en".into(), "help/x".into())
        );
    }

    #[test]
    fn split_last_is_rsplit_once() {
        for text in [
            "", "/", "a", "a/b", "a/b/c", "é/ü.md", "x.fr.md", "/a/", "...",
        ] {
            for byte in [b'/', b'.'] {
                assert_eq!(split_last(text, byte), text.rsplit_once(char::from(byte)));
            }
        }
    }

    #[test]
    fn hidden_names() {
        assert!(is_hidden(".x.md.swp", false));
        assert!(is_hidden("_snippet.md", false));
        assert!(!is_hidden("_index.fr.md", false));
        assert!(!is_hidden("_index.md", false));
        assert!(!is_hidden("roles", true));
        assert!(is_hidden("_index-old.md", false));
        assert!(is_hidden("_indexes.md", false));
        assert!(is_hidden("_index.md.bak", false));
        assert!(!is_hidden("___0a25a893-1f2a___.png", false));
        // Folders are read: their Markdown is no page, their other files are copied.
        assert!(!is_hidden("_drafts", true));
        assert!(in_underscore_folder("en/help/_assets/a.png"));
        assert!(in_underscore_folder("_drafts/x/y.md"));
        assert!(!in_underscore_folder("en/help/a_b/_index.md"));
        assert!(!in_underscore_folder("_index.md"));
    }

    /// Paths cut as text give what `Path::strip_prefix` and the components give.
    #[test]
    fn paths_cut_as_text_are_as_parsed() {
        let paths = [
            ("content/a/b.md", "content"),
            ("contentX/a.md", "content"),
            ("content//a.md", "content"),
            ("content/./a.md", "content"),
            ("/site/./content/x.md", "/site/./content"),
            ("/site/content/x.md", "/site/content/"),
            ("content", "content"),
            ("content/é/ü.md", "content"),
            ("other/a.md", "content"),
        ];
        for (path, base) in paths {
            let (path, base) = (Path::new(path), Path::new(base));
            assert_eq!(
                slash_relative(path, base),
                path.strip_prefix(base).ok().map(slash_path),
                "{path:?}"
            );
        }
    }

    /// What a walk finds, as names: pages with their language and key, other files,
    /// problems, folders.
    fn names(found: &Discovered) -> Vec<String> {
        let pages = found
            .pages
            .iter()
            .map(|p| format!("{} {} {}", p.display.display(), p.lang, p.key));
        let files = found.files.iter().map(|f| format!("file {}", f.path));
        let problems = found.diagnostics.iter().map(Diagnostic::location);
        let mut folders: Vec<String> = found
            .listed
            .keys()
            .map(|f| f.display().to_string())
            .collect();
        folders.sort();
        pages.chain(files).chain(problems).chain(folders).collect()
    }

    /// A walk after changes takes what it found in each folder whose mtime is the same,
    /// lists the others again, and finds what a first walk finds: a file added in one
    /// folder, one removed in another, a folder added, a page with an unknown language.
    #[test]
    fn a_walk_lists_again_only_the_folders_that_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let config = Config::parse(
            root,
            "title: T\ndefault_language: fr\nlanguages: {fr: Français, en: English}\n",
        )
        .expect("config");
        let write = |path: &str| {
            let path = root.join("content").join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            std::fs::write(path, "---\ntitle: T\n---\n").expect("written");
        };
        // Folders an hour old, as an author's are: a walk may take what it found in them.
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let age = |folder: &str, minutes: u64| {
            let folder = std::fs::File::open(root.join("content").join(folder)).expect("folder");
            folder
                .set_modified(hour_ago + Duration::from_secs(60 * minutes))
                .expect("mtime set");
        };
        let folders = ["", "roles", "teams", "guides", "guides/week"];
        for page in ["_index.md", "roles/a.fr.md", "roles/b.en.md", "teams/t.md"] {
            write(page);
        }
        write("guides/week/one.md");
        std::fs::write(root.join("content/guides/shot.png"), b"png").expect("image");
        folders.iter().for_each(|f| age(f, 0));
        let first = Arc::new(discover(&config));
        assert!(first.listed.values().all(|l| l.trusted));
        // A page's path for messages is the one `display_path` cuts from the site's.
        assert_eq!(first.pages.len(), 5);
        for page in &first.pages {
            assert_eq!(page.display, display_path(&config, &page.path));
        }

        write("roles/c.de.md");
        std::fs::remove_file(root.join("content/teams/t.md")).expect("removed");
        write("guides/month/two.en.md");
        for changed in ["roles", "teams", "guides", "guides/month"] {
            age(changed, 1);
        }
        let again = discover_cached(&config, Some(&first));
        assert_eq!(names(&again), names(&discover(&config)));
        assert!(
            names(&again).iter().any(|n| n.contains("roles/c.de.md")),
            "{:?}",
            names(&again)
        );
        assert!(!names(&again).iter().any(|n| n.contains("teams/t.md")));
        // The folders whose mtime is the same were not listed again.
        let content = config.content_dir();
        for (folder, kept) in [
            ("guides/week", true),
            ("", true),
            ("roles", false),
            ("teams", false),
        ] {
            let path = if folder.is_empty() {
                content.clone()
            } else {
                content.join(folder)
            };
            assert_eq!(
                Arc::ptr_eq(&first.listed[&path], &again.listed[&path]),
                kept,
                "{folder:?}"
            );
        }
    }
}
