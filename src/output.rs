//! Writing the output folder, whole or not at all.
//!
//! A build writes into a fresh sibling folder and swaps it in only once every file is
//! written, so a failed or killed build leaves the previous site as it was. Every output
//! path is checked to stay inside the output folder, whatever content or themes say.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;
use crate::theme::StaticFile;

/// Refuses an output folder that would destroy or recurse into the site's sources.
pub fn check_output_dir(source: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let source = absolute(source);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into `{}`: {why}",
            output.display()
        ))
        .with_help("pass another folder with `--output`, for example `--output public`"))
    };
    if output == source {
        return refuse("it is the site's source folder");
    }
    if source.starts_with(&output) {
        return refuse("it contains the site's source folder");
    }
    for inside in ["content", "static", "templates", "themes", "i18n"] {
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

/// `a/b/c.html` with only plain parts: no `..`, no root, no drive.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes the files and static files into `output`, replacing it only on success.
pub fn write_site(
    output: &Path,
    files: &[OutputFile],
    statics: &[StaticFile],
) -> Result<(), Diagnostic> {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = output.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    let staging = parent.join(format!(".{name}.equipe-new"));
    let old = parent.join(format!(".{name}.equipe-old"));
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display()))
    };
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io("remove", &staging, e))?;
    }
    std::fs::create_dir_all(&staging).map_err(|e| io("create", &staging, e))?;

    let t0 = std::time::Instant::now();
    let result = write_all(&staging, files, statics);
    eprintln!("TIMING write {:?}", t0.elapsed());
    if let Err(d) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(d);
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io("remove", &old, e))?;
    }
    if output.exists() {
        std::fs::rename(output, &old).map_err(|e| io("move aside", output, e))?;
    }
    if let Err(e) = std::fs::rename(&staging, output) {
        // Put the previous site back rather than leave nothing.
        let _ = std::fs::rename(&old, output);
        return Err(io("move into place", output, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    eprintln!("TIMING swap+rm {:?}", t0.elapsed());
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile], statics: &[StaticFile]) -> Result<(), Diagnostic> {
    for path in files
        .iter()
        .map(|f| &f.path)
        .chain(statics.iter().map(|s| &s.path))
    {
        if !is_safe_relative(path) {
            return Err(Diagnostic::error(format!(
                "refusing to write `{path}`: it would land outside the output folder"
            )));
        }
    }
    // Folders first (sequentially, they nest), then files in parallel.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(statics.iter().map(|s| s.path.as_str()))
        .filter_map(|p| Path::new(p).parent().map(|d| dir.join(d)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(folder)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", folder.display())))?;
    }
    let rendered = files.par_iter().map(|f| {
        std::fs::write(dir.join(&f.path), &f.bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", f.path)))
    });
    let copied = statics.par_iter().map(|s| {
        let bytes = s
            .bytes
            .read()
            .map_err(|e| Diagnostic::error(format!("cannot read static file `{}`: {e}", s.path)))?;
        std::fs::write(dir.join(&s.path), bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", s.path)))
    });
    rendered
        .chain(copied)
        .collect::<Result<Vec<()>, Diagnostic>>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths() {
        assert!(is_safe_relative("fr/roles/x/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(&root.join("sub"), root).is_err());
        assert!(check_output_dir(root, &root.join("content/out")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, &root.join("content/../public")).is_ok());
    }
}
