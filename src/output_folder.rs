//! Whose the output folder is, and who writes it now.
//!
//! `--output` names a folder that a build replaces whole, so the path is checked before
//! anything is written: equipe replaces only a folder it made (it leaves a marker file,
//! [`MARKER`], in every output) or an empty one, and never a plain file, a `.git` folder, a
//! folder that holds a repository, the site or the user's home, whatever `--force` says.
//! One build writes an output at a time: an OS advisory lock on a file beside the output
//! (released by the OS when the process dies, so a killed build never leaves it held).
//! A build killed while it swapped the new site in is finished here, by the next build:
//! see [`crate::swap`].

use std::fs::File;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::swap::sibling;

/// The file equipe writes into every output folder it makes, so that the next build knows
/// the folder is its own to replace.
pub(crate) const MARKER: &str = ".equipe-output";

/// What the marker file says to a person who finds it.
pub(crate) const MARKER_TEXT: &str =
    "This folder is written by `equipe build`, which replaces it whole on every build.\n";

/// The staging folder of an output that cannot be renamed: inside it, so that each file
/// is renamed into place on the same file system.
pub(crate) const IN_PLACE_STAGING: &str = ".equipe-staging";

/// How the new site replaces the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replace {
    /// Staged beside the output, swapped in by renaming: all or nothing.
    Swap,
    /// The output cannot be renamed (a symbolic link, kept; a mount point): files are
    /// renamed into it one by one and the ones no longer part of the site removed.
    InPlace,
}

/// An output folder claimed for one build: checked, locked, recovered. The lock is held
/// until this value is dropped.
pub(crate) struct OutputFolder {
    /// The output as given, made absolute (a symbolic link not followed): the stamp and
    /// the lock sit beside it.
    pub path: PathBuf,
    /// The folder the site goes into: `path`, or what a symbolic link at `path` names.
    pub target: PathBuf,
    pub replace: Replace,
    /// The output as messages show it (`public`): relative to the site's folder when
    /// inside it.
    pub shown: String,
    /// Lines for the user (`note: ...`, `warning: ...`): a swap that was finished, an
    /// output that is not replaced atomically. Printed by the command, not diagnostics:
    /// a warning diagnostic would keep the stamp from being saved on every build.
    pub notes: Vec<String>,
    _lock: File,
}

impl OutputFolder {
    /// Checks that `output` may be written by a build of `source`, takes its lock, puts back
    /// a site that an interrupted swap left aside and removes the leftovers of killed
    /// builds. `force` lets a build replace a folder equipe did not make (never one of
    /// those [`refuse_always`] lists).
    pub(crate) fn claim(
        source: &Path,
        output: &Path,
        force: bool,
    ) -> Result<OutputFolder, Diagnostic> {
        let shown = shown(source, output);
        let resolved = check_output_dir(source, output)?;
        refuse_always(&resolved, &shown)?;
        let path = lexical(output);
        let parent = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create the folder of `{shown}`: {e}"))
        })?;
        let lock = lock(&path, &shown)?;
        let mut notes = Vec::new();
        if crate::swap::recover(&path)? {
            notes.push(format!(
                "note: a build was interrupted while it swapped `{shown}` in: the previous \
                 site was put back"
            ));
        }
        let (target, replace) = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::canonicalize(&path).map_err(|_| {
                    Diagnostic::error(format!(
                        "`{shown}` is a symbolic link to a folder that does not exist"
                    ))
                    .with_help("create the folder it names, or remove the link")
                })?;
                notes.push(format!(
                    "warning: `{shown}` is a symbolic link: the site is written into the folder it names \
                     file by file, not swapped in whole (a build that fails midway leaves a mix)"
                ));
                (target, Replace::InPlace)
            }
            Ok(_) if is_mount_point(&path) => {
                notes.push(format!(
                    "warning: `{shown}` is a mount point: the site is written into it file by file, not \
                     swapped in whole (a build that fails midway leaves a mix)"
                ));
                (path.clone(), Replace::InPlace)
            }
            _ => (path.clone(), Replace::Swap),
        };
        if replace == Replace::InPlace {
            let leftover = target.join(IN_PLACE_STAGING);
            if leftover.exists() {
                std::fs::remove_dir_all(&leftover).map_err(|e| {
                    Diagnostic::error(format!(
                        "cannot remove `{shown}/{IN_PLACE_STAGING}` (left by a killed build): {e}"
                    ))
                })?;
            }
        }
        check_owner(&path, &target, &shown, force)?;
        Ok(OutputFolder {
            path,
            target,
            replace,
            shown,
            notes,
            _lock: lock,
        })
    }

    /// Whether the output holds the marker of a folder equipe made.
    pub(crate) fn is_equipes(&self) -> bool {
        self.target.join(MARKER).is_file()
    }
}

/// Outputs no flag lets a build replace: a plain file, a `.git` folder or anything in
/// one, a folder that holds a repository, the user's home or a folder holding it.
fn refuse_always(resolved: &Path, shown: &str) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to replace `{shown}`: {why}; nothing was changed"
        ))
        .with_help("pass another folder with `--output`, for example `--output public`"))
    };
    if resolved.is_file() {
        return refuse("it is a file, not a folder");
    }
    if resolved.components().any(|c| c.as_os_str() == ".git") {
        return refuse("it is a git repository's `.git` folder");
    }
    if resolved.join(".git").exists() {
        return refuse("it holds a git repository (`.git`)");
    }
    let home = ["HOME", "USERPROFILE"]
        .iter()
        .filter_map(std::env::var_os)
        .map(PathBuf::from)
        .find(|h| h.is_absolute());
    if let Some(home) = home {
        let home = std::fs::canonicalize(&home).unwrap_or(home);
        if home.starts_with(resolved) {
            return refuse("it is your home folder or holds it");
        }
    }
    Ok(())
}

/// An existing output folder is replaced only if equipe made it, or it is empty, or the
/// user said `--force`.
fn check_owner(path: &Path, target: &Path, shown: &str, force: bool) -> Result<(), Diagnostic> {
    let Ok(mut entries) = std::fs::read_dir(target) else {
        return Ok(()); // Missing: nothing to replace.
    };
    let empty = entries.next().is_none();
    // Builds before the marker existed left their stamp beside the output: theirs too.
    let made_by_equipe = target.join(MARKER).is_file() || sibling(path, "equipe-stamp").is_file();
    if empty || made_by_equipe || force {
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "refusing to replace `{shown}`: it already exists and equipe did not make it (no \
         `{MARKER}` file in it); nothing was changed"
    ))
    .with_help(format!(
        "choose another folder with `--output`, or pass `--force` to delete what `{shown}` \
         holds and put the site there"
    )))
}

/// Takes the lock of `output`: a file beside it (never in it, where it would be swapped
/// away), locked for as long as the returned file is open.
fn lock(output: &Path, shown: &str) -> Result<File, Diagnostic> {
    let path = sibling(output, "equipe-lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Diagnostic::error(format!("cannot create the lock of `{shown}`: {e}")))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Diagnostic::error(format!(
            "another build is writing `{shown}/`; nothing was changed"
        ))
        .with_help(
            "wait for it to finish (or stop the `equipe build --watch` that writes there), \
             then build again",
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Diagnostic::error(format!(
            "cannot lock `{shown}` for this build: {e}"
        ))),
    }
}

/// `output` as messages show it: relative to the site's folder when inside it, else as
/// given.
pub(crate) fn shown(source: &Path, output: &Path) -> String {
    let relative = output.strip_prefix(source).unwrap_or(output);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    let text = relative.display().to_string();
    if text.is_empty() { ".".into() } else { text }
}

/// An absolute path with `.` and `..` resolved as text, links not followed (the output
/// as the user named it: a symbolic link there is kept).
fn lexical(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a file system is mounted at `path` (it cannot be renamed then): another device
/// than its parent's, or listed as a mount point (a bind mount of the same device).
#[cfg_attr(not(unix), allow(unused_variables))]
fn is_mount_point(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if let Some(parent) = path.parent()
            && dev(path) != dev(parent)
        {
            return true;
        }
    }
    #[cfg(target_os = "linux")]
    {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Ok(table) = std::fs::read_to_string("/proc/self/mountinfo") {
            // The fifth field is the mount point, with spaces and such as `\040`.
            return table
                .lines()
                .filter_map(|l| l.split(' ').nth(4))
                .any(|point| Path::new(&unescape_octal(point)) == real);
        }
    }
    false
}

/// `a\040b` -> `a b`, as `/proc/self/mountinfo` escapes.
#[cfg(target_os = "linux")]
fn unescape_octal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).and_then(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|d| u8::from_str_radix(d, 8).ok())
        });
        match (bytes[i], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Refuses an output folder that would destroy or recurse into the site's sources.
pub(crate) fn check_output_dir(source: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = shown(source, output);
    let source = absolute(source);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(
            Diagnostic::error(format!("refusing to write the site into `{shown}`: {why}"))
                .with_help("pass another folder with `--output`, for example `--output public`"),
        )
    };
    if output == source {
        return refuse("it is the site's source folder");
    }
    if source.starts_with(&output) {
        return refuse("it contains the site's source folder");
    }
    for inside in crate::config::SOURCE_FOLDERS {
        if output.starts_with(source.join(inside)) {
            return refuse(&format!("it is inside the site's `{inside}/` folder"));
        }
    }
    if output.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    Ok(output)
}

/// An absolute path with `.` and `..` resolved, and symbolic links resolved in the part
/// that exists (so that `public -> ./content` is caught).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    // Canonicalize the longest existing ancestor, then append the rest.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.into_iter().rev());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_shown_relative_to_the_site() {
        assert_eq!(shown(Path::new("."), Path::new("./public")), "public");
        assert_eq!(
            shown(Path::new("site"), Path::new("site/out/www")),
            "out/www"
        );
        assert_eq!(shown(Path::new("site"), Path::new("/srv/www")), "/srv/www");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_points_with_spaces_are_read_back() {
        assert_eq!(unescape_octal("/mnt/my\\040site"), "/mnt/my site");
        assert_eq!(unescape_octal("/plain"), "/plain");
        assert!(is_mount_point(Path::new("/proc")));
    }

    #[test]
    fn a_folder_equipe_did_not_make_is_kept_unless_forced() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        std::fs::create_dir(&output).unwrap();
        assert!(
            OutputFolder::claim(root.path(), &output, false).is_ok(),
            "empty"
        );
        std::fs::write(output.join("notes.txt"), "mine").unwrap();
        let refused = OutputFolder::claim(root.path(), &output, false)
            .err()
            .unwrap();
        assert!(
            refused.message.contains("did not make it"),
            "{}",
            refused.message
        );
        assert!(OutputFolder::claim(root.path(), &output, true).is_ok());
        std::fs::write(output.join(MARKER), MARKER_TEXT).unwrap();
        assert!(OutputFolder::claim(root.path(), &output, false).is_ok());
    }

    #[test]
    fn one_claim_at_a_time() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let first = OutputFolder::claim(root.path(), &output, false).unwrap();
        let second = OutputFolder::claim(root.path(), &output, false)
            .err()
            .unwrap();
        assert!(
            second
                .message
                .contains("another build is writing `public/`")
        );
        drop(first);
        assert!(OutputFolder::claim(root.path(), &output, false).is_ok());
    }
}
