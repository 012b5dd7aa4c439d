//! A build after an edit of files the output has copies of, as they are: a screenshot
//! replaced in a guide's `assets/`, a PDF updated in `static/`. Nothing of the site reads
//! such a file (no page shows its bytes, no template, no include), so the only output
//! file it changes is its copy. The build cache would still go over every page to find
//! that out: 236 ms on a guide of 4,800 pages whose build after nothing changed takes
//! 41 ms. This build copies the files and stamps the output.
//!
//! A build that runs lists, in its stamp, the files it copied that nothing else reads
//! ([`copies`]): each one's name in the site's folder and its copy's path. The assets
//! whose names carry a hash of their bytes (`assets/*.css`, `assets/*.js`) are left out,
//! as every page names them, and so are the files a body includes. After an edit, a build
//! whose only changed inputs are such files, still there, copies each one again, if the
//! output is as the stamp lists it, and is done (see [`apply`]). Anything else (a file
//! added or removed, a page, a template) and the build runs as usual.

use std::path::{Path, PathBuf};

use crate::bodies::Included;
use crate::edit_records;
use crate::files::{StaticBytes, StaticFile};
use crate::hash::{FastMap, FastSet};
use crate::incremental::Cache;
use crate::output::{self, FileStamp, Stamp, TextEdits};

/// The stamp's list of the files copied as they are that nothing else of the site reads:
/// a line for each, its name in the site's folder `source` (as the stamp lists inputs), a
/// tab, its copy's path in the output. `included` are the files bodies included.
pub(crate) fn copies(statics: &[StaticFile], source: &Path, included: &FastSet<PathBuf>) -> String {
    let included = Included::of(included);
    let mut out = String::new();
    for s in statics {
        let StaticBytes::Disk(file) = &s.bytes else {
            continue;
        };
        if !leaves_as_it_is(&included, &s.path, file) {
            continue;
        }
        // A name the stamp lists as it is (UTF-8, with no tab nor line break in it).
        let Some(name) = file.strip_prefix(source).ok().and_then(Path::to_str) else {
            continue;
        };
        if [name, &s.path].iter().any(|n| n.contains(['\t', '\n'])) {
            continue;
        }
        out.push_str(name);
        out.push('\t');
        out.push_str(&s.path);
        out.push('\n');
    }
    out
}

/// Whether `serve` may serve a save of `files` (each one's path in the output, and its
/// file on disk, which the server reads) as they are, without a rebuild: as a build,
/// it must not be an asset whose name carries its hash (`serve` swaps stylesheets in open
/// pages) nor a file the last rebuild's bodies in `cache` included.
pub fn served_as_they_are<'f>(
    cache: &Cache,
    mut files: impl Iterator<Item = (&'f str, &'f Path)>,
) -> bool {
    let included = Included::of(&cache.bodies.included);
    files.all(|(path, file)| leaves_as_it_is(&included, path, file))
}

/// Whether the output's copy at `path` of `file` is made of its bytes alone: not an asset
/// whose name carries a hash of its bytes, not a file a body included.
fn leaves_as_it_is(included: &Included<'_>, path: &str, file: &Path) -> bool {
    !crate::assets::is_fingerprinted(path) && !included.holds(file)
}

/// What a build after an edit of files copied as they are did.
pub(crate) struct Applied {
    /// How many files it copied again.
    pub copied: usize,
    /// How many files the output has.
    pub files: usize,
    /// The last build's warnings, said again.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// Builds after an edit of files copied as they are, if that is what the changed inputs
/// are (see the module's documentation): copies them again into the output folder
/// `target` and stamps it. `None` if the build must run as usual.
pub(crate) fn apply(
    stamp: &Stamp,
    edits: &TextEdits<'_>,
    (source, output, target): (&Path, &Path, &Path),
) -> Option<Applied> {
    if edits.changed.is_empty() {
        return None;
    }
    let copies: FastMap<&str, &str> = edits
        .copies
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .collect();
    let wanted: Vec<(&str, &str)> = edits
        .changed
        .iter()
        .map(|&name| copies.get(name).map(|&path| (name, path)))
        .collect::<Option<_>>()?;
    if !edits.output_is_as_left(target) {
        return None;
    }
    // From here on the output changes: a build killed midway finds no stamp, and runs.
    stamp.forget();
    let mut listing: FastMap<String, String> = FastMap::default();
    for &(name, path) in &wanted {
        let from = source.join(name);
        let copied = output::replace_file(&target.join(path), |beside| copy(&from, beside)).ok()?;
        listing.insert(path.to_string(), output::listing_rest(copied));
    }
    crate::swap::crash_point("copied");
    let listing = output::with_lines(edits.output, &listing);
    // The bodies' records hold while the stamp lists the output as they found it.
    let _ = edit_records::append(output, std::iter::empty(), &listing);
    stamp.save_text_edits(&listing, edits, edits.texts, edits.edited);
    Some(Applied {
        copied: wanted.len(),
        files: edits.output.lines().count(),
        warnings: stamp.kept_warnings().unwrap_or_default(),
    })
}

/// Copies `from` to `file` with `from`'s modification time, as a build copies it (see
/// `Staging::copy`). Returns the copy's stamp.
fn copy(from: &Path, file: &Path) -> std::io::Result<FileStamp> {
    let mut source = std::fs::File::open(from)?;
    let modified = source.metadata()?.modified()?;
    let mut copy = std::fs::File::create(file)?;
    std::io::copy(&mut source, &mut copy)?;
    copy.set_modified(modified)?;
    Ok(output::stamp_of(&copy.metadata()?))
}
