//! Putting a staged site in place of the previous one so that a crash at any moment leaves
//! a whole site at the output path.
//!
//! Where the OS can exchange two folders in one system call (Linux `renameat2` with
//! `RENAME_EXCHANGE`, macOS `renameatx_np` with `RENAME_SWAP`), the staged folder and the
//! output trade places at once and the previous site, now under the staging name, is
//! removed. Elsewhere (or on a file system that refuses the exchange) it takes two renames:
//! the output is moved aside to `.public.equipe-old`, then the staged folder renamed in.
//! A crash between the two leaves no output but a whole previous site beside it, which
//! [`recover`] (run by the next build, under the output's lock) puts back.
//!
//! An output that cannot be renamed (a mount point, a symbolic link that is kept) is
//! updated in place instead: each file renamed into it, then the files that are no longer
//! part of the site removed. That is not atomic, and the build says so. A build with the
//! build cache updates the output the same way, with only the files that changed (see
//! [`update`]).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Swaps the whole folder `staged` in place of `output`; removes the previous site.
pub(crate) fn swap(staged: &Path, output: &Path) -> io::Result<()> {
    crash_point("staged");
    if std::fs::symlink_metadata(output).is_err() {
        std::fs::rename(staged, output)?;
        crash_point("swapped");
        return Ok(());
    }
    match exchange(staged, output) {
        Ok(()) => {
            crash_point("swapped");
            // The previous site is under the staging name now.
            let _ = remove_tree(staged);
            Ok(())
        }
        Err(_) => swap_by_two_renames(staged, output),
    }
}

/// Moves `output` aside, `staged` into its place, then removes what was moved aside.
fn swap_by_two_renames(staged: &Path, output: &Path) -> io::Result<()> {
    let old = sibling(output, "equipe-old");
    if std::fs::symlink_metadata(&old).is_ok() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(output, &old)?;
    crash_point("moved-aside");
    if let Err(e) = std::fs::rename(staged, output) {
        // Put the previous site back rather than leave nothing.
        let _ = std::fs::rename(&old, output);
        return Err(e);
    }
    crash_point("swapped");
    let _ = remove_tree(&old);
    Ok(())
}

/// Removes a folder and all it holds, as `std::fs::remove_dir_all` does, its entries in
/// parallel: the previous site, removed after every build, is a folder per page, and its
/// removal was the longest serial step at the end of a build. Symbolic links are removed,
/// not followed.
#[cfg(unix)]
fn remove_tree(folder: &Path) -> io::Result<()> {
    use rustix::fs::{Mode, open};
    let dir = open(folder, DIR_FLAGS, Mode::empty())?;
    remove_entries(dir)?;
    std::fs::remove_dir(folder)
}

/// How [`remove_tree`] opens a folder: to list it and remove its entries, never through
/// a symbolic link.
#[cfg(unix)]
const DIR_FLAGS: rustix::fs::OFlags = rustix::fs::OFlags::RDONLY
    .union(rustix::fs::OFlags::DIRECTORY)
    .union(rustix::fs::OFlags::NOFOLLOW)
    .union(rustix::fs::OFlags::CLOEXEC);

/// Removes what the open folder `dir` holds. Each entry is named relative to its folder
/// (`unlinkat`): removing each by its whole path made the kernel walk that path again
/// for every file of the site.
#[cfg(unix)]
fn remove_entries(dir: rustix::fd::OwnedFd) -> io::Result<()> {
    use rayon::prelude::*;
    use rustix::fs::{AtFlags, Dir, FileType, Mode, openat, statat, unlinkat};
    let mut entries = Dir::new(dir)?;
    let names: Vec<(std::ffi::CString, FileType)> = entries
        .by_ref()
        .filter_map(|entry| match entry {
            Ok(e) if matches!(e.file_name().to_bytes(), b"." | b"..") => None,
            Ok(e) => Some(Ok((e.file_name().to_owned(), e.file_type()))),
            Err(e) => Some(Err(io::Error::from(e))),
        })
        .collect::<io::Result<_>>()?;
    let dir = entries.fd()?;
    names.par_iter().try_for_each(|(name, kind)| {
        let kind = match kind {
            FileType::Unknown => FileType::from_raw_mode(
                statat(dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)?.st_mode,
            ),
            known => *known,
        };
        if kind == FileType::Directory {
            remove_entries(openat(dir, name.as_c_str(), DIR_FLAGS, Mode::empty())?)?;
            unlinkat(dir, name.as_c_str(), AtFlags::REMOVEDIR)?;
        } else {
            unlinkat(dir, name.as_c_str(), AtFlags::empty())?;
        }
        Ok(())
    })
}

/// See the Unix [`remove_tree`].
#[cfg(not(unix))]
fn remove_tree(folder: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(folder)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(folder)
}

/// Exchanges two folders in one system call, where the OS has one.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(debug_assertions)]
    if std::env::var_os("EQUIPE_TEST_SWAP").is_some_and(|v| v == "renames") {
        return Err(io::ErrorKind::Unsupported.into());
    }
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Finishes what a killed build left: when the output is missing and the previous site
/// was moved aside whole (a crash between the two renames of [`swap_by_two_renames`]),
/// puts it back (returns true); then removes staging and old copies. Call with the
/// output's lock held, or another build's swap could be mistaken for a crash.
pub(crate) fn recover(output: &Path) -> Result<bool, Diagnostic> {
    let old = sibling(output, "equipe-old");
    let staged = sibling(output, "equipe-new");
    let cannot = |what: &str, path: &Path, e: io::Error| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        Diagnostic::error(format!(
            "cannot {what} `{name}` (left by a killed build): {e}"
        ))
    };
    let mut put_back = false;
    if std::fs::symlink_metadata(output).is_err() && old.is_dir() {
        std::fs::rename(&old, output).map_err(|e| cannot("put back", &old, e))?;
        put_back = true;
    }
    for leftover in [old, staged] {
        if std::fs::symlink_metadata(&leftover).is_ok() {
            std::fs::remove_dir_all(&leftover).map_err(|e| cannot("remove", &leftover, e))?;
        }
    }
    Ok(put_back)
}

/// Moves every file of `staged` (a folder inside `target`) to the same place in `target`,
/// then removes from `target` what is not part of the new site, and `staged`.
pub(crate) fn update_in_place(staged: &Path, target: &Path) -> io::Result<()> {
    crash_point("staged");
    let files = move_files(staged, target)?;
    crash_point("swapped");
    // Listed first, then visited backwards: a folder's files before the folder. (walkdir's
    // `contents_first` does not mix with `filter_entry`, which skips the wrong folder.)
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(target)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.path() != staged)
        .collect::<Result<_, _>>()?;
    for entry in entries.iter().rev() {
        let relative = entry.path().strip_prefix(target).unwrap_or(entry.path());
        if entry.file_type().is_dir() {
            // Only empty folders go: the others hold files of the new site.
            let _ = std::fs::remove_dir(entry.path());
        } else if !files.contains(relative) {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_dir_all(staged)
}

/// Moves the files of `staged` (the files of the new site that changed) into `target`
/// (the previous site), then removes from it the files of the previous site that the
/// new one has not (`gone`, relative paths) and the folders they leave empty, and
/// `staged`. Nothing else of `target` is listed or touched.
pub(crate) fn update(staged: &Path, target: &Path, gone: &[&str]) -> io::Result<()> {
    crash_point("staged");
    move_files(staged, target)?;
    crash_point("swapped");
    for path in gone {
        let file = target.join(path);
        // Never through a symbolic link put in the output: what it names is not equipe's.
        if through_link(target, &file) {
            continue;
        }
        // A folder there now holds files of the new site (see `move_files`).
        if std::fs::symlink_metadata(&file).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&file)?;
        }
        for folder in file.ancestors().skip(1) {
            if folder == target || std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
    std::fs::remove_dir_all(staged)
}

/// Whether a folder between `target` and `file` is a symbolic link.
fn through_link(target: &Path, file: &Path) -> bool {
    file.ancestors()
        .skip(1)
        .take_while(|folder| *folder != target)
        .any(|folder| std::fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()))
}

/// Renames every file of `staged` to the same place in `target`; returns their paths,
/// relative. A file of `target` where a file goes in a folder is removed, and so is a
/// folder where a file goes.
fn move_files(staged: &Path, target: &Path) -> io::Result<BTreeSet<PathBuf>> {
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(staged).min_depth(1) {
        let entry = entry?;
        if !entry.file_type().is_dir() {
            files.insert(
                entry
                    .path()
                    .strip_prefix(staged)
                    .unwrap_or(entry.path())
                    .to_path_buf(),
            );
        }
    }
    for file in &files {
        let to = target.join(file);
        let mut at = target.to_path_buf();
        for part in file.parent().into_iter().flat_map(Path::components) {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(&at)?;
            }
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&to)?;
        }
        std::fs::rename(staged.join(file), &to)?;
    }
    Ok(files)
}

/// Test hooks, only in debug builds: `EQUIPE_TEST_ABORT_AT=STEP` aborts the process at that
/// step of the swap (`staged`, `moved-aside`, `swapped`; `text-edited` for a build of
/// pages' text alone, see `body_edit`), `EQUIPE_TEST_PAUSE_AT=STEP:MS`
/// sleeps there, so that tests can kill a build mid-swap or run two at once. Release
/// builds read no variable.
#[cfg(debug_assertions)]
pub(crate) fn crash_point(step: &str) {
    if std::env::var("EQUIPE_TEST_ABORT_AT").is_ok_and(|s| s == step) {
        std::process::abort();
    }
    if let Ok(pause) = std::env::var("EQUIPE_TEST_PAUSE_AT")
        && let Some((at, ms)) = pause.split_once(':')
        && at == step
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.parse().unwrap_or(0)));
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn crash_point(_: &str) {}

/// `.public.equipe-new` beside `public`.
pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    fn files(dir: &Path) -> Vec<(String, String)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let name = e.path().strip_prefix(dir).unwrap().display().to_string();
                (name, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn a_tree_is_removed_whole_and_links_in_it_are_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let (tree, kept) = (root.path().join("old"), root.path().join("kept"));
        site(
            &tree,
            &[
                ("index.html", "i"),
                ("en/a/index.html", "a"),
                ("en/b/c/d.txt", "d"),
            ],
        );
        std::fs::create_dir_all(tree.join("empty")).unwrap();
        site(&kept, &[("file.txt", "k")]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("en/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(std::fs::symlink_metadata(&tree).is_err());
        assert_eq!(files(&kept), vec![("file.txt".into(), "k".into())]);
        assert!(remove_tree(&tree).is_err(), "a missing folder is an error");
    }

    #[test]
    fn the_staged_site_takes_the_place_of_the_previous_one() {
        let root = tempfile::tempdir().unwrap();
        let (output, staged) = (
            root.path().join("public"),
            root.path().join(".public.equipe-new"),
        );
        site(&output, &[("index.html", "old"), ("gone.html", "old")]);
        site(&staged, &[("index.html", "new")]);
        swap(&staged, &output).unwrap();
        assert_eq!(files(&output), [("index.html".into(), "new".into())]);
        assert!(!staged.exists());
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_put_back() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        site(
            &root.path().join(".public.equipe-old"),
            &[("index.html", "old")],
        );
        site(
            &root.path().join(".public.equipe-new"),
            &[("index.html", "half")],
        );
        assert!(recover(&output).unwrap());
        assert_eq!(files(&output), [("index.html".into(), "old".into())]);
        assert!(!root.path().join(".public.equipe-old").exists());
        assert!(!root.path().join(".public.equipe-new").exists());
        assert!(!recover(&output).unwrap(), "nothing left to do");
    }

    #[test]
    fn in_place_keeps_the_folder_and_drops_what_is_gone() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("www");
        site(
            &target,
            &[
                ("index.html", "old"),
                ("gone/index.html", "old"),
                ("a", "was a file"),
            ],
        );
        let staged = target.join(".equipe-staging");
        site(
            &staged,
            &[("index.html", "new"), ("a/index.html", "now a folder")],
        );
        update_in_place(&staged, &target).unwrap();
        assert_eq!(
            files(&target),
            [
                ("a/index.html".into(), "now a folder".into()),
                ("index.html".into(), "new".into())
            ]
        );
    }
}
