//! Writing the output folder, whole or not at all.
//!
//! A build writes into a fresh sibling folder and swaps it in only once every file is
//! written (see [`crate::swap`]), so a failed or killed build leaves the previous site as
//! it was. A build with the build cache stages only the files that changed and moves
//! them in at the end ([`Staging::begin_update`]). Files go to disk as they are rendered
//! (the site is never whole in memory), and a file that did not change is kept from the
//! previous output (left in place, or hard-linked) rather than rewritten, so that it
//! keeps its mtime. Every output path is checked to stay inside the output folder,
//! whatever content or themes say. Files that cannot be written (a full disk) are
//! counted by cause, so that a build reports one line per cause, not per file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::files::{StaticBytes, StaticFile};
use crate::hash::{FastMap, FastSet};
use crate::output_folder::{IN_PLACE_STAGING, MARKER, MARKER_TEXT, OutputFolder, Replace};
use crate::swap::sibling;
use crate::text::lines;

/// `a/b/c.html` with only plain parts: no `..`, no root, no drive.
fn is_safe_relative(path: &str) -> bool {
    // The output's own paths (names between single `/`s, none of them `.` or `..`, and no
    // `\` or `:` that Windows would read as a separator or a drive) are checked as text:
    // parsing their components, twice for each file of the output, was 1% of a build's
    // instructions after a title edit at 20,000 pages, and a pass over the text for each
    // check (a search, a split, a match per name) 1.2%. Anything else is parsed.
    is_plain_relative(path.as_bytes())
        || !path.is_empty()
            && Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether `bytes` are names between single `/`s, none empty, `.` or `..`, with no `\`
/// or `:`: one search for those two, then one for each `/` (a loop over the path byte by
/// byte took nearly as long as the three passes it replaced).
fn is_plain_relative(bytes: &[u8]) -> bool {
    if memchr::memchr2(b'\\', b':', bytes).is_some() {
        return false;
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'/', bytes).chain([bytes.len()]) {
        if matches!(&bytes[start..end], b"" | b"." | b"..") {
            return false;
        }
        start = end + 1;
    }
    true
}

/// A fresh folder that becomes the output once every file is in it: beside the output, or
/// inside it when the output cannot be renamed (see [`Replace`]).
///
/// Files are written as they are rendered (from any thread), so a build never holds the
/// whole site in memory. A file whose bytes equal the previous output's file at the same
/// path is hard-linked from it instead of written: same inode, same mtime, so a rebuild
/// with nothing changed changes nothing that rsync or a CDN would see. The previous files
/// are never modified, so a failed or killed build still leaves the previous site whole;
/// dropping an unfinished `Staging` removes its folder.
///
/// A build that has the build cache (see [`Staging::begin_update`]) stages only the files
/// that changed, and moves them into the output at the end.
pub(crate) struct Staging<'a> {
    folder: &'a OutputFolder,
    dir: PathBuf,
    finished: bool,
    /// The files of the previous output, when this staging updates it in place: the
    /// files that did not change stay where they are instead of being linked here.
    update: Option<Vec<String>>,
    /// Whether there was an output folder when the build began: without one, no file is
    /// compared with the previous output's (a first build is spared a failed look-up for
    /// each file).
    has_previous: bool,
    /// The previous output folder, open: its files are looked up from it (at 20,000
    /// pages, a build after one edit looks up every one, and resolving the folder's own
    /// path again each time was a third of that).
    #[cfg(unix)]
    previous_dir: Option<rustix::fd::OwnedFd>,
    /// Each file put in the output, with its stamp (see [`Stamp`]; `None` if its
    /// metadata could not be read), taken by the writing threads as they go: listing
    /// 20,000 files again at the end took a quarter second.
    written: Mutex<Vec<(String, Option<FileStamp>)>>,
    /// Each file put in the folder, with its size and mtime: what the build cache records
    /// of the output (see [`Staging::reuse`]).
    stamps: Mutex<FastMap<String, FileStamp>>,
    /// Files that could not be written, by cause: how many, and the first one.
    failed: Mutex<BTreeMap<String, (usize, String)>>,
    /// The folders this build made or found: each file's folder is made once, not asked
    /// for again for every file in it (a failed `mkdir` and a `stat` each time).
    folders: Mutex<FastSet<PathBuf>>,
}

impl<'a> Staging<'a> {
    /// Creates an empty staging folder for `folder` (removing a stale one), with the
    /// marker that tells the next build the output is equipe's.
    pub(crate) fn begin(folder: &'a OutputFolder) -> Result<Staging<'a>, Diagnostic> {
        Staging::make(folder, None)
    }

    /// Like [`Staging::begin`], for a build that knows the previous output's files (from
    /// the build cache): only the files that change are staged, [`Staging::finish`] moves
    /// them into the output and removes the previous files the build did not make. At
    /// 20,000 pages, linking every unchanged file into a new folder and removing the
    /// previous one took half of a build after one edit. Until `finish`, the output is
    /// untouched; during it, each file is replaced whole (a rename), and a build killed
    /// then leaves a mix that the next build, having no build cache, replaces whole.
    pub(crate) fn begin_update(
        folder: &'a OutputFolder,
        previous: Vec<String>,
    ) -> Result<Staging<'a>, Diagnostic> {
        Staging::make(folder, Some(previous))
    }

    fn make(
        folder: &'a OutputFolder,
        update: Option<Vec<String>>,
    ) -> Result<Staging<'a>, Diagnostic> {
        let dir = match folder.replace {
            Replace::Swap => sibling(&folder.path, "equipe-new"),
            Replace::InPlace => folder.target.join(IN_PLACE_STAGING),
        };
        let cannot = |what: &str, e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot {what} the staging folder of `{}`: {e}",
                folder.shown
            ))
        };
        if std::fs::symlink_metadata(&dir).is_ok() {
            std::fs::remove_dir_all(&dir).map_err(|e| cannot("remove", e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| cannot("create", e))?;
        let staging = Staging {
            folder,
            dir,
            finished: false,
            update,
            has_previous: folder.target.is_dir(),
            #[cfg(unix)]
            previous_dir: open_folder(&folder.target),
            written: Mutex::default(),
            stamps: Mutex::default(),
            failed: Mutex::default(),
            folders: Mutex::default(),
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Puts one file at `path` (relative, checked to stay inside the folder). A file that
    /// cannot be written is counted (see [`Staging::failures`]), not returned.
    pub(crate) fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        let previous = self.folder.target.join(path);
        // Sizes are compared first, so that a changed page is seldom read.
        let same = self
            .previous_stamp(path)
            .is_some_and(|(len, _)| len == bytes.len() as u64)
            && std::fs::read(&previous).is_ok_and(|old| old == bytes);
        if same && self.update.is_some() {
            // Left where it is, as it is.
            self.record(path, &previous);
            return Ok(());
        }
        let written = self.make_parent(&target).and_then(|()| {
            if same && std::fs::hard_link(&previous, &target).is_ok() {
                // A link is the previous file: its stamp is read from it.
                Ok(None)
            } else {
                write_file(&target, bytes).map(Some)
            }
        });
        match written {
            Ok(Some(stamp)) => self.note(path, Some(stamp)),
            Ok(None) => self.record(path, &target),
            Err(e) => self.fail(path, &e),
        }
        Ok(())
    }

    /// Keeps at `path` the previous output's file (hard-linked here, or left in place by
    /// an update) if it still has the size and mtime `stamp` it had when the build cache
    /// recorded it (and so the bytes that were made from what the cache says). False if
    /// it has not, or cannot be linked: the file must then be made again.
    pub(crate) fn reuse(&self, path: &str, stamp: FileStamp) -> bool {
        if !is_safe_relative(path) {
            return false;
        }
        let same = self.previous_stamp(path) == Some(stamp);
        // An update leaves the file where it is: its path in the staging folder is not
        // made (1% of a build's instructions after a title edit at 20,000 pages).
        let linked = same
            && (self.update.is_some()
                || self.target(path).is_ok_and(|target| {
                    self.make_parent(&target).is_ok()
                        && std::fs::hard_link(self.folder.target.join(path), &target).is_ok()
                }));
        if linked {
            // A link is the same file: same size, same mtime.
            self.note(path, Some(stamp));
        }
        linked
    }

    /// The size and mtime of the previous output's file at `path` (a relative path that
    /// stays inside it), if there is one and it is a file.
    fn previous_stamp(&self, path: &str) -> Option<FileStamp> {
        if !self.has_previous {
            return None;
        }
        #[cfg(unix)]
        if let Some(dir) = &self.previous_dir {
            use rustix::fs::{AtFlags, FileType, statat};
            let stat = statat(dir, path, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                return None;
            }
            // As `stamp_of` has it: nanoseconds since 1970, 0 before. (The nanoseconds,
            // below a second, are signed on some systems.)
            let mtime = u128::try_from(stat.st_mtime).map_or(0, |seconds| {
                seconds * 1_000_000_000 + stat.st_mtime_nsec as u128
            });
            return Some((u64::try_from(stat.st_size).unwrap_or(0), mtime));
        }
        let m = std::fs::symlink_metadata(self.folder.target.join(path)).ok()?;
        m.is_file().then(|| stamp_of(&m))
    }

    /// The bytes of a file [`Staging::reuse`] kept (`None` if it cannot be read): the
    /// previous output's, whether it was left in place or linked here.
    pub(crate) fn read_kept(&self, path: &str) -> Option<Vec<u8>> {
        if !is_safe_relative(path) {
            return None;
        }
        std::fs::read(self.folder.target.join(path)).ok()
    }

    /// The size and mtime of every file put in the folder so far, by path.
    pub(crate) fn stamps(&self) -> FastMap<String, FileStamp> {
        std::mem::take(&mut *self.stamps.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts one file at `path` whose bytes `fill` writes as they are made, so that a file
    /// of tens of megabytes is never whole in memory. As with [`Staging::write`], a file
    /// equal to the previous output's is replaced by a link to it, keeping its mtime, and
    /// one that cannot be written is counted; an error of `fill` itself is returned.
    pub(crate) fn write_with(
        &self,
        path: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        let file = match self
            .make_parent(&target)
            .and_then(|()| std::fs::File::create(&target))
        {
            Ok(file) => file,
            Err(e) => {
                self.fail(path, &e);
                return Ok(());
            }
        };
        let mut out = FirstError {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            error: None,
        };
        let filled = fill(&mut out);
        let flushed = out.flush();
        // A write that failed is the disk's doing, whatever `fill` made of it (a template
        // error, for one rendered straight to the file).
        if let Some(e) = out.error.take().or(flushed.err()) {
            self.fail(path, &e);
            return Ok(());
        }
        filled?;
        // The file's own stamp, read from it while it is open (a look-up less than by
        // its path).
        let stamp = out.inner.get_ref().metadata().ok().map(|m| stamp_of(&m));
        drop(out);
        let previous = self.folder.target.join(path);
        let same = self.has_previous && same_files(&previous, &target);
        if !same {
            self.note(path, stamp);
            return Ok(());
        }
        if self.update.is_some() {
            // Left where it is, as it is.
            let _ = std::fs::remove_file(&target);
            self.record(path, &previous);
            return Ok(());
        }
        // Linked beside, then renamed over: the new file stays if linking fails.
        let link = target.with_extension("equipe-link");
        if std::fs::hard_link(&previous, &link).is_ok()
            && let Err(e) = std::fs::rename(&link, &target)
        {
            self.fail(path, &e);
            return Ok(());
        }
        self.record(path, &target);
        Ok(())
    }

    /// Where `path` (relative, checked to stay inside the folder) goes in the staging
    /// folder.
    fn target(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        if !is_safe_relative(path) {
            return Err(Diagnostic::error(format!(
                "refusing to write `{path}`: it would land outside the output folder"
            )));
        }
        Ok(self.dir.join(path))
    }

    /// Notes a written file's stamp (see [`Staging::finish`]).
    fn record(&self, path: &str, target: &Path) {
        self.note(path, std::fs::metadata(target).ok().map(|m| stamp_of(&m)));
    }

    /// Notes a file's stamp (`None`: its metadata could not be read).
    fn note(&self, path: &str, stamp: Option<FileStamp>) {
        if let Some(stamp) = stamp {
            self.stamps
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path.to_string(), stamp);
        }
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((path.to_string(), stamp));
    }

    /// Counts a file that could not be written under its cause.
    fn fail(&self, path: &str, error: &std::io::Error) {
        let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        let (count, _) = failed
            .entry(crate::diagnostics::io_cause(error))
            .or_insert_with(|| (0, path.to_string()));
        *count += 1;
    }

    /// One error per cause of the files that could not be written ("no space left on
    /// device: 815 files of `public` not written"). The build must not finish if any.
    pub(crate) fn failures(&self) -> Vec<Diagnostic> {
        let failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        let shown = &self.folder.shown;
        failed
            .iter()
            .map(|(cause, (count, first))| {
                let files = if *count == 1 { "file" } else { "files" };
                Diagnostic::error(format!(
                    "{cause}: {count} {files} of `{shown}` not written (the first: `{first}`)"
                ))
                .with_help(format!(
                    "the previous site in `{shown}` was left as it was; fix the cause (free \
                     space on the disk that holds it, for one) and build again"
                ))
            })
            .collect()
    }

    /// Copies static files (read from the theme, the site or the content folder).
    pub(crate) fn write_statics(&self, statics: &[StaticFile]) -> Result<(), Diagnostic> {
        statics.par_iter().try_for_each(|s| match &s.bytes {
            StaticBytes::Disk(source) => self.copy(&s.path, source),
            StaticBytes::Embedded(bytes) => self.write(&s.path, bytes),
        })
    }

    /// Copies a file from disk (an image beside the content, say) without reading it into
    /// memory: the kernel copies it (`copy_file_range`, or a reflink where the file system
    /// has them, else `sendfile`). The copy gets the source's modification time, so that
    /// the next build finds a previous output file of the source's size and time to be the
    /// same, as rsync's quick check does, and links it instead: no byte is read or written.
    /// Each side is opened once (`std::fs::copy` then opening the copy again to set its
    /// time, and a `stat` of it by path, were 14 system calls a file; a guide has hundreds
    /// of images).
    fn copy(&self, path: &str, source: &Path) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        let cannot_read =
            |e: std::io::Error| Diagnostic::error(format!("cannot read static file `{path}`: {e}"));
        let mut from = std::fs::File::open(source).map_err(cannot_read)?;
        let metadata = from.metadata().map_err(cannot_read)?;
        if metadata.modified().is_ok() && self.reuse(path, stamp_of(&metadata)) {
            return Ok(());
        }
        let copied = self.make_parent(&target).and_then(|()| {
            let mut to = std::fs::File::create(&target)?;
            copy_contents(&mut from, &mut to, metadata.len())?;
            if let Ok(time) = metadata.modified() {
                // Without it, the next build copies the file again: not worth failing for.
                let _ = to.set_modified(time);
            }
            Ok(stamp_of(&to.metadata()?))
        });
        match copied {
            Ok(stamp) => self.note(path, Some(stamp)),
            Err(e) => self.fail(path, &e),
        }
        Ok(())
    }

    /// Makes the folder `file` goes in, unless this build already did.
    fn make_parent(&self, file: &Path) -> std::io::Result<()> {
        let Some(folder) = file.parent() else {
            return Ok(());
        };
        let folders = || self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if folders().contains(folder) {
            return Ok(());
        }
        std::fs::create_dir_all(folder)?;
        folders().insert(folder.to_path_buf());
        Ok(())
    }

    /// Puts the staging folder in place of the output, or, for an update, its files into
    /// the output and the previous files this build did not make out of it (call only
    /// when [`Staging::failures`] is empty). Returns the list of the output's files for
    /// [`Stamp::save`] (`None` if a file's metadata could not be read).
    pub(crate) fn finish(mut self) -> Result<Option<String>, Diagnostic> {
        self.finished = true;
        // In the order a walk sorted by file name gives, as `list` makes it (see
        // [`by_components`]); a file written twice counts once, as last written: the
        // latest first, kept first by a stable sort (`sort_by_cached_key` is one), and the
        // others dropped.
        let mut files =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner));
        files.reverse();
        files.sort_by_cached_key(|(path, _)| by_components(path));
        files.dedup_by(|later, kept| later.0 == kept.0);
        let folder = self.folder;
        let swapped = match (&self.update, folder.replace) {
            (Some(previous), _) => {
                let made: FastSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
                let gone: Vec<&str> = previous
                    .iter()
                    .filter(|p| is_safe_relative(p) && !made.contains(p.as_str()))
                    .map(String::as_str)
                    .collect();
                crate::swap::update(&self.dir, &folder.target, &gone)
            }
            (None, Replace::Swap) => crate::swap::swap(&self.dir, &folder.path),
            (None, Replace::InPlace) => crate::swap::update_in_place(&self.dir, &folder.target),
        };
        swapped.map_err(|e| {
            let _ = std::fs::remove_dir_all(&self.dir);
            let previous = match (&self.update, folder.replace) {
                (None, Replace::Swap) => "the previous site was left as it was",
                _ => "it may now hold a mix of the previous site and this one",
            };
            Diagnostic::error(format!(
                "cannot put the new site in place of `{}`: {}; {previous}",
                folder.shown,
                crate::diagnostics::io_cause(&e)
            ))
        })?;
        // The listing's lines made here, in one string, rather than one string a file.
        Ok(files.iter().try_fold(
            String::with_capacity(files.len() * 64),
            |mut listing, (path, stamp)| {
                listing.push_str(path);
                push_stamp(&mut listing, (*stamp)?);
                Some(listing)
            },
        ))
    }
}

/// A key that orders relative paths written with `/` between plain names as `Path`
/// compares them (name by name): their bytes with `/` below every other byte (a name has
/// no NUL). Sorting 20,000 paths as `PathBuf`s, which walk their components at each
/// comparison, was half of finishing a build after one edit at 20,000 pages; comparing
/// them byte by byte with `/` mapped at each comparison, 3% of its instructions (keys made
/// once are compared with `memcmp`).
fn by_components(path: &str) -> Vec<u8> {
    path.bytes()
        .map(|byte| if byte == b'/' { 0 } else { byte })
        .collect()
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `bytes` to a new file at `path` and returns its stamp, read from the open file
/// (`std::fs::write` and a look-up by path after it cost one more path walk a file).
/// Puts a new file at `path` in one step: `make` writes it beside (`path` with
/// `.equipe-edit`), renamed over `path` once written, so that a reader, or a build killed
/// midway, sees the old file or the new one. Returns the stamp `make` gives it.
pub(crate) fn replace_file(
    path: &Path,
    make: impl FnOnce(&Path) -> std::io::Result<FileStamp>,
) -> std::io::Result<FileStamp> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".equipe-edit");
    let beside = path.with_file_name(name);
    let made = make(&beside).and_then(|stamp| std::fs::rename(&beside, path).map(|()| stamp));
    if made.is_err() {
        let _ = std::fs::remove_file(&beside);
    }
    made
}

/// Copies what `from` holds (`len` bytes, as its metadata said) into `to`, by the kernel.
/// On Linux, `copy_file_range` until `len` bytes are copied: `std::io::copy` asked both
/// files for their metadata again and called it once more to find the end, three system
/// calls of the eleven a copied image took. Elsewhere, or where the kernel cannot copy
/// between these files, `std::io::copy` copies what is left.
fn copy_contents(
    from: &mut std::fs::File,
    to: &mut std::fs::File,
    len: u64,
) -> std::io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let mut left = len;
        while left > 0 {
            let chunk = usize::try_from(left).unwrap_or(usize::MAX).min(1 << 30);
            match rustix::fs::copy_file_range(&*from, None, &*to, None, chunk) {
                // The file ended sooner than its metadata said: all of it is copied.
                Ok(0) => return Ok(()),
                Ok(n) => left = left.saturating_sub(n as u64),
                Err(_) => break,
            }
        }
        if left == 0 {
            return Ok(());
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = len;
    std::io::copy(from, to).map(drop)
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<FileStamp> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    Ok(stamp_of(&file.metadata()?))
}

/// A writer that remembers its first error, so that a failed write is told apart from an
/// error of what was writing into it.
struct FirstError<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for FirstError<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| self.note(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| self.note(e))
    }
}

impl<W> FirstError<W> {
    fn note(&mut self, e: &std::io::Error) {
        if self.error.is_none() {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
    }
}

/// The record of the last build that succeeded: every input file and every output file
/// with its size and mtime (as make and git trust them), a hash of each page's text, and
/// the build's warnings. When the inputs, the settings and the output are all as that
/// build left them, a new build would write the same bytes and find the same warnings: it
/// can stop there, and say them again (every real guide has some: a missing anchor, a
/// `draft: Probably`). It can too when the only inputs that changed are pages whose text
/// is the same (see [`Stamp::only_touched`]). Kept beside the output folder
/// (`.public.equipe-stamp`), never in it, where it would be published.
///
/// The file holds five lists, an empty line before each of the last four: the inputs
/// (the settings and the binary first), the output's files, each page file's name and the
/// hash of its text, the warnings, one JSON object a line (see [`Diagnostic::kept`]),
/// then the pages a build after an edit of their text alone made again (see
/// `body_edit`) since the build cache was written: the next build that runs reads them
/// again, as the cache has them as they were; last, the files the output has copies of,
/// as they are, that nothing else of the site reads, each with its copy's path (see
/// `static_edit`).
pub(crate) struct Stamp {
    file: PathBuf,
    /// `None` when an input could not be listed: such a build is never skipped.
    inputs: Option<String>,
    /// What the last build saved in `file`, read once (see [`Stamp::saved`]).
    saved: std::sync::OnceLock<Option<String>>,
}

impl Stamp {
    /// Lists the inputs of a build of `source` into `output`; `settings` are the options
    /// that change the output.
    pub(crate) fn of(source: &Path, output: &Path, settings: &str) -> Stamp {
        let mut inputs = String::new();
        inputs.push_str(settings);
        inputs.push('\n');
        // A new equipe binary (or another one) may render differently.
        let listed = this_binary().is_some_and(|stamp| {
            inputs.push_str("equipe");
            push_stamp(&mut inputs, stamp);
            true
        }) && std::iter::once(crate::config::CONFIG_FILE)
            .chain(crate::config::SOURCE_FOLDERS)
            .all(|name| list(&source.join(name), source, &mut inputs));
        Stamp {
            file: sibling(output, "equipe-stamp"),
            inputs: listed.then_some(inputs),
            saved: std::sync::OnceLock::new(),
        }
    }

    /// The last build's stamp, read the first time it is asked for: whether the
    /// output is current and which inputs changed are both read from it.
    fn saved(&self) -> Option<&str> {
        self.saved
            .get_or_init(|| std::fs::read_to_string(&self.file).ok())
            .as_deref()
    }

    /// Whether `output` is what the last build of these same inputs wrote.
    pub(crate) fn is_current(&self, output: &Path) -> bool {
        let (Some(inputs), Some(saved)) = (&self.inputs, self.saved()) else {
            return false;
        };
        // A changed source is seen without listing the output: at 20,000 pages that
        // listing took a sixth of a build after one edit.
        if !saved.starts_with(inputs.as_str()) {
            return false;
        }
        let saved = Saved::of(saved);
        let mut listed = String::new();
        saved.inputs == inputs && list(output, output, &mut listed) && listed == saved.output
    }

    /// Whether the only inputs that changed since the last build are page files of
    /// `source` whose text is the same as that build read (their size or mtime changed:
    /// `touch`, a checkout and back, an editor saving unchanged, a sync tool), and
    /// `output` is as that build left it: the output is then still what a build would
    /// write, since a page is made from its text, never from its file's dates. If so,
    /// records the inputs as they are now, so that the next build stops at
    /// [`Stamp::is_current`]. A file added, removed or changed otherwise (a template, an
    /// include, an image) needs a build.
    pub(crate) fn only_touched(&self, source: &Path, output: &Path) -> bool {
        let (Some(inputs), Some(saved)) = (&self.inputs, self.saved()) else {
            return false;
        };
        let Saved {
            inputs: inputs_then,
            output: output_then,
            texts: Some(texts),
            warnings: Some(warnings),
            edited,
            copies,
        } = Saved::of(saved)
        else {
            return false;
        };
        let Some(changed) = changed_names(inputs_then, inputs) else {
            return false;
        };
        for (name, same_size) in changed {
            // Another size: an edit, most likely (the text of a file whose line endings
            // changed may be the same: it is built all the same).
            if !same_size {
                return false;
            }
            // A page whose text hashes as it did.
            let same = text_hash_in(texts, name).is_some_and(|hash| {
                read_text(&source.join(name)).is_some_and(|text| *hash == text_hash_line(&text))
            });
            if !same {
                return false;
            }
        }
        // Nothing but pages of the same text: the output must be as that build left it.
        let mut listed = String::new();
        list(output, output, &mut listed)
            && listed == output_then
            && self.write(
                &listed,
                texts,
                warnings,
                edited.unwrap_or(""),
                copies.unwrap_or(""),
            )
    }

    /// The inputs that changed since the last build if each is a file that build listed,
    /// at the same place in the list (none added or removed, the settings and the binary
    /// the same), with that build's lists: what a build after an edit of pages' text alone
    /// starts from (see `body_edit`), which checks the output last (see
    /// [`TextEdits::output_is_as_left`]: listing it is most of such a build). `None`
    /// otherwise.
    pub(crate) fn text_edits(&self) -> Option<TextEdits<'_>> {
        let (inputs, saved) = (self.inputs.as_ref()?, self.saved()?);
        let saved = Saved::of(saved);
        let (Some(texts), Some(warnings)) = (saved.texts, saved.warnings) else {
            return None;
        };
        let changed = changed_names(saved.inputs, inputs)?;
        Some(TextEdits {
            changed: changed.into_iter().map(|(name, _)| name).collect(),
            output: saved.output,
            texts,
            warnings,
            edited: saved.edited.unwrap_or(""),
            copies: saved.copies.unwrap_or(""),
        })
    }

    /// Records a build after an edit of pages' text alone or of files copied as they are
    /// (see [`Stamp::text_edits`]): the inputs as they are now, and the lists the build
    /// updated.
    pub(crate) fn save_text_edits(
        &self,
        listing: &str,
        edits: &TextEdits<'_>,
        texts: &str,
        edited: &str,
    ) {
        self.write(listing, texts, edits.warnings, edited, edits.copies);
    }

    /// The warnings of the last build, to say again if nothing changed since; `None` if
    /// they cannot all be read back (the build then runs, and finds them).
    pub(crate) fn kept_warnings(&self) -> Option<Vec<Diagnostic>> {
        Saved::of(self.saved()?)
            .warnings?
            .lines()
            .map(Diagnostic::from_kept)
            .collect()
    }

    /// The input files (relative to the site's folder) whose size or mtime is not what
    /// the last build listed, or that it did not list; `None` if there is no such
    /// build, if it had other settings or another binary, or if a name is not UTF-8. Call
    /// before [`Stamp::forget`]. The build cache on disk, if any, is that build's (a
    /// build that keeps its output and cannot write its cache removes the old one), so
    /// that every other file is as the cache read it: a build after one edit checks only
    /// these, rather than stat every file a second time.
    pub(crate) fn changed_inputs(&self) -> Option<Vec<PathBuf>> {
        let inputs = self.inputs.as_ref()?;
        let saved = Saved::of(self.saved()?);
        let (mut before, mut now) = (lines(saved.inputs), lines(inputs));
        // The settings and the binary.
        for _ in 0..2 {
            if before.next()? != now.next()? {
                return None;
            }
        }
        let before: crate::hash::FastSet<&str> = before.collect();
        // The pages a build after an edit of their text alone made again: the cache has
        // them as they were.
        let edited = saved.edited.unwrap_or("").lines();
        now.filter(|line| !before.contains(line))
            .map(|line| line.split('\t').next().unwrap_or(line))
            .chain(edited)
            .map(|name| (!name.contains('\u{fffd}')).then(|| PathBuf::from(name)))
            .collect()
    }

    /// Forgets the last build: from now on the output may change.
    pub(crate) fn forget(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    /// Records a build without errors that just wrote `output`, whose files `listing`
    /// lists (from [`Staging::finish`]; `None` to list the folder), from pages whose
    /// [`text_line`]s are `texts`, with its `warnings`. Best effort: without a stamp the
    /// next build is a full one, nothing worse; a warning that cannot be kept leaves the
    /// build unstamped (the next one runs, and finds it). Returns the output's listing
    /// if the stamp was written.
    pub(crate) fn save(
        &self,
        output: &Path,
        listing: Option<String>,
        (texts, copies): (&str, &str),
        warnings: &[&Diagnostic],
    ) -> Option<String> {
        // A guide's thousands of warnings, each a line of JSON, on every core.
        let warnings = warnings
            .par_iter()
            .map(|w| w.kept().map(|line| line + "\n"))
            .collect::<Option<Vec<String>>>()?
            .concat();
        let listing = listing.or_else(|| {
            let mut listed = String::new();
            list(output, output, &mut listed).then_some(listed)
        });
        let listing = listing?;
        // A build that runs writes the build cache again: it has every page as it is.
        self.write(&listing, texts, &warnings, "", copies)
            .then_some(listing)
    }

    /// Writes the stamp: these inputs, the output's `listing`, the pages' `texts`, the
    /// `warnings`, the pages `edited` since the build cache was written and the output's
    /// plain `copies` (see [`Stamp`]).
    fn write(
        &self,
        listing: &str,
        texts: &str,
        warnings: &str,
        edited: &str,
        copies: &str,
    ) -> bool {
        let Some(inputs) = &self.inputs else {
            return false;
        };
        // An empty line (no line of a list is empty) before each list but the first. The
        // lists written one after the other, not copied into one text first (a guide's
        // are megabytes).
        let lists = [inputs.as_str(), listing, texts, warnings, edited, copies];
        let write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&self.file)?);
            for (i, list) in lists.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(list.as_bytes())?;
            }
            out.into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            Ok(())
        };
        write().is_ok()
    }
}

impl TextEdits<'_> {
    /// Whether the output folder is as the last build left it.
    pub(crate) fn output_is_as_left(&self, output: &Path) -> bool {
        let mut listed = String::new();
        list(output, output, &mut listed) && listed == self.output
    }
}

/// What the last build's stamp says, for a build after an edit of pages' text alone (see
/// [`Stamp::text_edits`]).
pub(crate) struct TextEdits<'s> {
    /// The input files whose size or mtime changed (names in the source folder).
    pub changed: Vec<&'s str>,
    /// The output's files, as that build left them.
    pub output: &'s str,
    /// Each page file's name and the hash of its text (see [`text_line`]).
    pub texts: &'s str,
    /// That build's warnings, as kept.
    pub warnings: &'s str,
    /// The pages edited so since the build cache was written, one name a line.
    pub edited: &'s str,
    /// The files the output has plain copies of: each one's name, a tab, its copy's path.
    pub copies: &'s str,
}

/// The names of the lines that differ between two listings of the inputs, each with
/// whether its size is the same; `None` if a file was added, removed or renamed, or if
/// the settings or the binary (the first two lines) differ.
fn changed_names<'a>(then: &'a str, now: &'a str) -> Option<Vec<(&'a str, bool)>> {
    let mut changed = Vec::new();
    let (mut before, mut after) = (lines(then), lines(now));
    for i in 0.. {
        let (before, now) = match (before.next(), after.next()) {
            (None, None) => break,
            (Some(before), Some(now)) => (before, now),
            _ => return None,
        };
        if before == now {
            continue;
        }
        let ((name, size), (was, was_size)) = (name_size(now)?, name_size(before)?);
        if i < 2 || name != was {
            return None;
        }
        changed.push((name, size == was_size));
    }
    Some(changed)
}

/// The hashes the stamp's list of page texts (see [`text_line`]) gives the page file
/// `name`, found by its line alone: a build after one edit looks up one of 20,000.
pub(crate) fn text_hash_in<'t>(texts: &'t str, name: &str) -> Option<&'t str> {
    let key = format!("{name}\t");
    memchr::memmem::find_iter(texts.as_bytes(), key.as_bytes())
        .find(|&at| at == 0 || texts.as_bytes()[at - 1] == b'\n')
        .and_then(|at| texts[at + key.len()..].lines().next())
}

/// The hashes of a text as [`text_line`] writes them.
pub(crate) fn text_hash_line(text: &str) -> String {
    let front =
        crate::content::body_start(text).map_or(0, |start| crate::content::front_hash(text, start));
    hashes_line([crate::content::text_hash(text), front])
}

/// Whether two [`text_hash_line`]s are of texts with the same front matter (as far as
/// their hashes tell).
pub(crate) fn same_front(a: &str, b: &str) -> bool {
    a.get(16..).is_some_and(|front| Some(front) == b.get(16..))
}

fn hashes_line(hashes: [u64; 2]) -> String {
    let mut line = String::with_capacity(32);
    push_hashes(&mut line, hashes);
    line
}

/// The hashes of a text as a stamp's line has them: each in 16 hexadecimal digits
/// (lowercase, as `{:016x}` writes them: through `format_args!`, the stamp's numbers
/// were 2.8% of a build's instructions after one title edit at 20,000 pages).
fn push_hashes(out: &mut String, hashes: [u64; 2]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 32];
    for (digits, hash) in hex.chunks_exact_mut(16).zip(hashes) {
        for (i, digit) in digits.iter_mut().enumerate() {
            *digit = DIGITS[(hash >> (60 - 4 * i) & 0xf) as usize];
        }
    }
    out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
}

/// A page file's text, decoded as the content stage decodes it; `None` if it cannot be
/// read or decoded.
pub(crate) fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| crate::text::decode(bytes).ok())
}

/// `list` with the lines of the files `changed` names replaced by theirs (name, then
/// the rest of the line) and no others: a listing, or the texts' list, after a build that
/// changed a few files.
pub(crate) fn with_lines(list: &str, changed: &FastMap<String, String>) -> String {
    let mut out = String::with_capacity(list.len());
    for line in list.split_inclusive('\n') {
        let name = line.split('\t').next().unwrap_or(line);
        match changed.get(name) {
            Some(rest) => {
                out.push_str(name);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The rest of a listing's line (after the name) for a file of `stamp`.
pub(crate) fn listing_rest(stamp: FileStamp) -> String {
    let mut rest = String::new();
    push_stamp(&mut rest, stamp);
    rest
}

/// A page file's line in the stamp: its name in the source folder (as [`list`] names
/// it), the hash of its text and that of its front matter (its page's `source_hash` and
/// `front_hash`).
pub(crate) fn text_line(out: &mut String, name: &str, hashes: [u64; 2]) {
    out.push_str(name);
    out.push('\t');
    push_hashes(out, hashes);
    out.push('\n');
}

/// The name and the size a line of a list gives.
fn name_size(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.split('\t');
    Some((parts.next()?, parts.next()?))
}

/// The six lists of a saved stamp (see [`Stamp`]), each line ending in `\n`; `texts`,
/// `warnings`, `edited` and `copies` are `None` in a stamp from before equipe kept them.
struct Saved<'s> {
    inputs: &'s str,
    output: &'s str,
    texts: Option<&'s str>,
    warnings: Option<&'s str>,
    edited: Option<&'s str>,
    copies: Option<&'s str>,
}

impl<'s> Saved<'s> {
    fn of(saved: &'s str) -> Saved<'s> {
        let mut lists = Lists { saved, at: 0 };
        let inputs = lists.next().unwrap_or(saved);
        Saved {
            inputs,
            output: lists.next().unwrap_or(""),
            texts: lists.next(),
            warnings: lists.next(),
            edited: lists.next(),
            copies: lists.next(),
        }
    }
}

/// The lists of a saved stamp, one after the other: each ends at an empty line (no line
/// of a list is empty), the last one at the end of the text.
struct Lists<'s> {
    saved: &'s str,
    at: usize,
}

impl<'s> Iterator for Lists<'s> {
    type Item = &'s str;

    fn next(&mut self) -> Option<&'s str> {
        let rest = self.saved.get(self.at..)?;
        // An empty list is its empty line alone; another one ends at a line's `\n`
        // followed by the empty line's.
        let len = if rest.starts_with('\n') {
            0
        } else {
            memchr::memmem::find(rest.as_bytes(), b"\n\n").map_or(rest.len(), |at| at + 1)
        };
        self.at += len + 1;
        Some(&rest[..len])
    }
}

/// Appends a line per file under `path` (following links, sorted); false if one could not
/// be read. A missing `path` is an empty list.
fn list(path: &Path, base: &Path, out: &mut String) -> bool {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return true;
    };
    // Every build lists its whole source before anything else: a folder without links
    // is listed in parallel; links (which may loop) and unreadable entries are left to
    // the walk below, which says what they are.
    if metadata.is_dir()
        && let Some(listed) = list_folder(path, &folder_prefix(path, base))
    {
        out.push_str(&listed);
        return true;
    }
    walk(path, base, out)
}

/// [`list`] by a walk of `path`, one entry at a time.
fn walk(path: &Path, base: &Path, out: &mut String) -> bool {
    for entry in walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else {
            return false;
        };
        let Ok(metadata) = entry.metadata() else {
            return false;
        };
        if metadata.is_file() {
            let name = entry.path().strip_prefix(base).unwrap_or(entry.path());
            out.push_str(&crate::text::lossy(name));
            push_stamp(out, stamp_of(&metadata));
        }
    }
    true
}

/// The lines [`list`] makes for a folder, in the same order (a walk sorted by file
/// name), its entries listed in parallel; `None` at a symbolic link or an entry that
/// cannot be read.
fn list_folder(folder: &Path, prefix: &str) -> Option<String> {
    let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = std::fs::read_dir(folder)
        .ok()?
        .map(|entry| entry.map(|e| (e.file_name(), e)))
        .collect::<Result<_, _>>()
        .ok()?;
    // Each name made once (`sort_by_key` made both names of every comparison, each a new
    // string: most of a build that finds nothing changed), and a line's name made of
    // the folder's and the file's as text, rather than each file's path made and then
    // cut from the base folder's.
    crate::name_order::sort_by_name(&mut entries);
    let lines: Vec<String> = entries
        .par_iter()
        .map(|(name, entry)| {
            let kind = entry.file_type().ok()?;
            if kind.is_symlink() {
                return None;
            }
            if kind.is_dir() {
                let inner = format!("{prefix}{}/", crate::text::lossy(name));
                return list_folder(&entry.path(), &inner);
            }
            let metadata = entry.metadata().ok()?;
            let mut line = String::new();
            if metadata.is_file() {
                line.push_str(prefix);
                line.push_str(&crate::text::lossy(name));
                push_stamp(&mut line, stamp_of(&metadata));
            }
            Some(line)
        })
        .collect::<Option<_>>()?;
    Some(lines.concat())
}

/// How [`list_folder`]'s lines name the files of `folder`, below `base`: `content/roles/`
/// (nothing for `base` itself).
fn folder_prefix(folder: &Path, base: &Path) -> String {
    let mut prefix = folder
        .strip_prefix(base)
        .unwrap_or(folder)
        .to_string_lossy()
        .into_owned();
    if !prefix.is_empty() {
        prefix.push('/');
    }
    prefix
}

/// The rest of a listing's line after the file's name: its size and mtime in decimal
/// (written by `itoa`, as `Display` writes them, with a tenth of its instructions; see
/// [`push_hashes`]).
fn push_stamp(line: &mut String, (len, mtime): FileStamp) {
    let mut digits = itoa::Buffer::new();
    line.push('\t');
    line.push_str(digits.format(len));
    line.push('\t');
    line.push_str(digits.format(mtime));
    line.push('\n');
}

/// A file's size and mtime (nanoseconds since 1970; 0 if unknown): while both are the
/// same, make, rsync and equipe take the file to be the same.
pub(crate) type FileStamp = (u64, u128);

/// The stamp of the running equipe binary: what the stamp and the build cache were made
/// with (another binary may render, or hash, differently).
pub(crate) fn this_binary() -> Option<FileStamp> {
    let binary = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    Some(stamp_of(&binary))
}

/// `folder` open for looking up its files, if it is a folder.
#[cfg(unix)]
fn open_folder(folder: &Path) -> Option<rustix::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags, open};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    open(folder, flags, Mode::empty()).ok()
}

pub(crate) fn stamp_of(m: &std::fs::Metadata) -> FileStamp {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (m.len(), mtime)
}

/// Whether two files have the same bytes, compared a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let size = |p: &Path| {
        std::fs::symlink_metadata(p)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
    };
    if size(a).is_none() || size(a) != size(b) {
        return false;
    }
    let (Ok(mut a), Ok(mut b)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match a.read(&mut x) {
            Ok(0) => return b.read(&mut y).is_ok_and(|m| m == 0),
            Ok(n) => n,
            Err(_) => return false,
        };
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `root/public`, claimed for a build of `root`.
    fn claim(root: &Path) -> OutputFolder {
        OutputFolder::claim(root, &root.join("public"), false).unwrap()
    }

    /// A stamp's numbers are written as `format!` writes them: sizes and mtimes in
    /// decimal, hashes in 16 lowercase hexadecimal digits.
    #[test]
    fn stamp_numbers_read_as_format_writes_them() {
        for (len, mtime) in [
            (0, 0),
            (1, 9),
            (4_096, 1_765_000_000_123_456_789),
            (u64::MAX, u128::MAX),
        ] {
            let mut line = "a.md".to_string();
            push_stamp(&mut line, (len, mtime));
            assert_eq!(line, format!("a.md\t{len}\t{mtime}\n"));
        }
        for hashes in [
            [0, 1],
            [0xfedc_ba98_7654_3210, u64::MAX],
            [0x0a, 0xb0_0000_0000_0000],
        ] {
            let mut line = String::new();
            push_hashes(&mut line, hashes);
            assert_eq!(line, format!("{:016x}{:016x}", hashes[0], hashes[1]));
        }
    }

    /// A page's line is found by its whole name, and its hashes tell an edit of the text
    /// from one of the front matter.
    #[test]
    fn a_pages_text_hashes_tell_front_matter_edits_apart() {
        let page = "---\ntitle: A\n---\nText.\n";
        let mut texts = String::new();
        for (name, text) in [("x/ba.md", "---\ntitle: B\n---\n"), ("a.md", page)] {
            let start = crate::content::body_start(text).unwrap();
            let hashes = [
                crate::content::text_hash(text),
                crate::content::front_hash(text, start),
            ];
            text_line(&mut texts, name, hashes);
        }
        let was = text_hash_in(&texts, "a.md").unwrap();
        assert_eq!(was, text_hash_line(page));
        assert_eq!(text_hash_in(&texts, "ba.md"), None);
        let text_edited = text_hash_line("---\ntitle: A\n---\nText, edited.\n");
        assert_ne!(text_edited, was);
        assert!(same_front(&text_edited, was));
        let title_edited = text_hash_line("---\ntitle: A x\n---\nText.\n");
        assert!(!same_front(&title_edited, was));
        // A stamp of an older build, with the text's hash alone: no front matter to
        // compare.
        assert!(!same_front(&text_edited, &was[..16]));
    }

    /// The listing's order is `Path`'s: a stamp lists the output in that order.
    #[test]
    fn paths_sort_by_components_as_path_does() {
        let names = [
            "a",
            "a-b",
            "a.b",
            "a/b",
            "a/b/c",
            "a-b/c",
            "a0/x",
            "a/-",
            "a/b-c",
            "a/b/c/d",
            "b",
            "en/roles/x/index.html",
            "en/roles-x/index.html",
            "en/roles/index.html",
            "en/roles.html",
            "é/a",
            "e/a",
            "z",
            "A",
            "a b/c",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    by_components(a).cmp(&by_components(b)),
                    Path::new(a).cmp(Path::new(b)),
                    "{a} against {b}"
                );
            }
        }
    }

    #[test]
    fn unsafe_paths() {
        for path in [
            "fr/roles/x/index.html",
            "a//b",
            "a/./b",
            "./a",
            "a/",
            "a/..",
            "..",
            ".",
            "/",
            "é/ü.html",
            "a\\b",
            "c:/x",
            "...",
            "a/.../b",
            ".a/b.",
            "a/.b/..c",
            "x:",
        ] {
            let parsed = !path.is_empty()
                && Path::new(path)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
            assert_eq!(is_safe_relative(path), parsed, "{path}");
        }
        assert!(is_safe_relative("fr/roles/x/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    fn mtime(path: &Path) -> std::time::SystemTime {
        std::fs::metadata(path).and_then(|m| m.modified()).unwrap()
    }

    /// A first build of `root/public` with `files`; the output's path.
    fn first_build(root: &Path, files: &[(&str, &[u8])]) -> PathBuf {
        let folder = claim(root);
        let first = Staging::begin(&folder).unwrap();
        for (path, bytes) in files {
            first.write(path, bytes).unwrap();
        }
        first.finish().unwrap();
        root.join("public")
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_changed_ones_are_new() {
        let root = tempfile::tempdir().unwrap();
        let output = first_build(
            root.path(),
            &[("a/index.html", b"same"), ("b/index.html", b"before")],
        );
        let same = mtime(&output.join("a/index.html"));
        std::thread::sleep(std::time::Duration::from_millis(20));

        let folder = claim(root.path());
        let second = Staging::begin(&folder).unwrap();
        second.write("a/index.html", b"same").unwrap();
        second.write("b/index.html", b"after!").unwrap();
        second.finish().unwrap();
        assert_eq!(mtime(&output.join("a/index.html")), same);
        assert_ne!(mtime(&output.join("b/index.html")), same);
        assert_eq!(
            std::fs::read(output.join("b/index.html")).unwrap(),
            b"after!"
        );
        assert!(!root.path().join(".public.equipe-new").exists());
        assert!(!root.path().join(".public.equipe-old").exists());
    }

    /// What `reuse` looks up of the previous output is the stamp its build recorded, for
    /// files only; an old mtime too.
    #[test]
    fn the_previous_files_stamps_are_the_ones_recorded() {
        let root = tempfile::tempdir().unwrap();
        let output = first_build(root.path(), &[("a/index.html", b"page"), ("b.txt", b"old")]);
        let old = std::time::UNIX_EPOCH + std::time::Duration::new(1_000_000_000, 123_456_789);
        let file = std::fs::File::options()
            .write(true)
            .open(output.join("b.txt"))
            .unwrap();
        file.set_modified(old).unwrap();
        drop(file);
        #[cfg(unix)]
        std::os::unix::fs::symlink("a/index.html", output.join("link.html")).unwrap();

        let folder = claim(root.path());
        let second = Staging::begin(&folder).unwrap();
        for path in ["a/index.html", "b.txt"] {
            let metadata = std::fs::symlink_metadata(output.join(path)).unwrap();
            assert_eq!(
                second.previous_stamp(path),
                Some(stamp_of(&metadata)),
                "{path}"
            );
        }
        assert_eq!(
            second.previous_stamp("b.txt").unwrap(),
            (3, 1_000_000_000_123_456_789)
        );
        for path in ["a", "link.html", "missing.html", "a/missing/x.html"] {
            assert_eq!(second.previous_stamp(path), None, "{path}");
        }
    }

    /// A stamp reads back as its five lists, an empty one or a missing one included.
    #[test]
    fn a_stamp_reads_back_as_its_lists() {
        let lists = |saved| {
            let Saved {
                inputs,
                output,
                texts,
                warnings,
                edited,
                copies: _,
            } = Saved::of(saved);
            (inputs, output, texts, warnings, edited)
        };
        // The files copied as they are, last; an empty list of pages edited before them.
        let copies = |saved| Saved::of(saved).copies;
        assert_eq!(
            copies("s\nb\n\n\n\n\n\ncontent/a.png\ta.png\n"),
            Some("content/a.png\ta.png\n")
        );
        assert_eq!(copies("s\nb\n\n\n\n{}\n\nc/a.md\n"), None);
        assert_eq!(
            lists(
                "s\nb\nc/a.md\t1\t2\n\nindex.html\t3\t4\n\nc/a.md\t00ff\n\n{\"w\":1}\n{}\n\nc/a.md\n"
            ),
            (
                "s\nb\nc/a.md\t1\t2\n",
                "index.html\t3\t4\n",
                Some("c/a.md\t00ff\n"),
                Some("{\"w\":1}\n{}\n"),
                Some("c/a.md\n")
            )
        );
        assert_eq!(
            lists("s\nb\n\n\n\n\n"),
            ("s\nb\n", "", Some(""), Some(""), Some(""))
        );
        assert_eq!(
            lists("s\nb\n\nindex.html\t3\t4\n\n\n{}\n\n"),
            (
                "s\nb\n",
                "index.html\t3\t4\n",
                Some(""),
                Some("{}\n"),
                Some("")
            )
        );
        assert_eq!(lists("s\nb\n\n\nc/a.md\t00ff\n\n\n").1, "");
        // Written before the edited pages were kept; before the warnings were; before
        // the texts were.
        assert_eq!(lists("s\nb\n\n\n\n{}\n").4, None);
        assert_eq!(
            lists("s\nb\n\n\nc/a.md\t00ff\n"),
            ("s\nb\n", "", Some("c/a.md\t00ff\n"), None, None)
        );
        assert_eq!(
            lists("s\nb\n\nindex.html\t3\t4\n"),
            ("s\nb\n", "index.html\t3\t4\n", None, None, None)
        );
    }

    #[test]
    fn a_folder_is_listed_in_parallel_as_a_walk_lists_it() {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        for path in [
            "b.md",
            "a-c.md",
            "a/b/c.md",
            "a/index.md",
            "a/b.css",
            "Z.md",
            "é.md",
        ] {
            let path = site.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, path.to_string_lossy().as_bytes()).unwrap();
        }
        std::fs::create_dir_all(site.join("empty/deeper")).unwrap();
        let mut walked = String::new();
        assert!(walk(&site, root.path(), &mut walked));
        assert_eq!(
            list_folder(&site, &folder_prefix(&site, root.path())).as_deref(),
            Some(walked.as_str())
        );
        assert_eq!(walked.lines().count(), 7);
        // A link (which could loop) is left to the walk.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(site.join("a"), site.join("a/b/up")).unwrap();
            assert_eq!(list_folder(&site, &folder_prefix(&site, root.path())), None);
            let (mut listed, mut walked) = (String::new(), String::new());
            assert_eq!(
                list(&site, root.path(), &mut listed),
                walk(&site, root.path(), &mut walked)
            );
            assert_eq!(listed, walked);
        }
    }

    #[test]
    fn the_files_written_are_listed_as_a_walk_of_the_output_lists_them() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let folder = claim(root.path());
        let staging = Staging::begin(&folder).unwrap();
        for path in [
            "b.html",
            "a-c.txt",
            "a/b/c.html",
            "a/index.html",
            "a/b.css",
            "b.html",
        ] {
            staging.write(path, path.as_bytes()).unwrap();
        }
        let listing = staging.finish().unwrap().expect("every file listed");
        let mut walked = String::new();
        assert!(list(&output, &output, &mut walked));
        assert_eq!(listing, walked);
        // The five files and the marker.
        assert_eq!(listing.lines().count(), 6);
    }

    #[test]
    fn a_streamed_file_equal_to_the_previous_one_keeps_its_mtime() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let fill = |text: &'static [u8]| {
            move |out: &mut dyn Write| {
                out.write_all(text)
                    .map_err(|e| Diagnostic::error(e.to_string()))
            }
        };
        let folder = claim(root.path());
        let first = Staging::begin(&folder).unwrap();
        first.write_with("big.json", fill(b"same")).unwrap();
        first.write_with("other.json", fill(b"before")).unwrap();
        first.finish().unwrap();
        let same = mtime(&output.join("big.json"));
        std::thread::sleep(std::time::Duration::from_millis(20));

        drop(folder);
        let folder = claim(root.path());
        let second = Staging::begin(&folder).unwrap();
        second.write_with("big.json", fill(b"same")).unwrap();
        second.write_with("other.json", fill(b"after!")).unwrap();
        let listing = second.finish().unwrap().expect("listed");
        assert_eq!(mtime(&output.join("big.json")), same);
        assert_ne!(mtime(&output.join("other.json")), same);
        assert_eq!(std::fs::read(output.join("other.json")).unwrap(), b"after!");
        assert_eq!(listing.lines().count(), 3, "two and the marker: {listing}");
        assert!(!output.join("big.equipe-link").exists());
    }

    #[test]
    fn an_unfinished_staging_folder_leaves_the_output_alone() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let folder = claim(root.path());
        let first = Staging::begin(&folder).unwrap();
        first.write("index.html", b"published").unwrap();
        first.finish().unwrap();

        drop(folder);
        let folder = claim(root.path());
        let failed = Staging::begin(&folder).unwrap();
        failed.write("index.html", b"half-built").unwrap();
        assert!(failed.write("../escape.html", b"x").is_err());
        drop(failed);
        assert_eq!(
            std::fs::read(output.join("index.html")).unwrap(),
            b"published"
        );
        assert!(!root.path().join(".public.equipe-new").exists());
        assert!(!root.path().join("escape.html").exists());
    }

    #[test]
    fn files_that_cannot_be_written_are_counted_by_cause() {
        let root = tempfile::tempdir().unwrap();
        let folder = claim(root.path());
        let staging = Staging::begin(&folder).unwrap();
        staging.write("a", b"a file").unwrap();
        // Each needs a folder where a file is.
        for path in ["a/1.html", "a/2.html", "a/3/index.html"] {
            staging.write(path, b"x").unwrap();
        }
        staging
            .write_with("a/big.json", |out| {
                out.write_all(b"{}")
                    .map_err(|e| Diagnostic::error(e.to_string()))
            })
            .unwrap();
        let failures = staging.failures();
        let messages: Vec<&str> = failures.iter().map(|d| d.message.as_str()).collect();
        // `a/` cannot be made (a file is there) for three; `a/3/` is under a file for one.
        assert_eq!(
            messages,
            [
                "file exists: 3 files of `public` not written (the first: `a/1.html`)",
                "not a directory: 1 file of `public` not written (the first: `a/3/index.html`)"
            ]
        );
    }

    #[test]
    fn a_failed_write_is_remembered_whatever_the_writer_made_of_it() {
        /// A disk that is full.
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from_raw_os_error(28))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = FirstError {
            inner: Full,
            error: None,
        };
        // What a template engine does: turn the write error into its own, and go on.
        let _ = out
            .write_all(b"<html>")
            .map_err(|_| "template `page.html` failed");
        let _ = out.write_all(b"</html>");
        let error = out.error.expect("the write error");
        assert_eq!(
            crate::diagnostics::io_cause(&error),
            "no space left on device"
        );
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        assert!(crate::output_folder::check_output_dir(root, root).is_err());
        assert!(crate::output_folder::check_output_dir(&root.join("sub"), root).is_err());
        assert!(crate::output_folder::check_output_dir(root, &root.join("content/out")).is_err());
        assert!(crate::output_folder::check_output_dir(root, &root.join("public")).is_ok());
        assert!(
            crate::output_folder::check_output_dir(root, &root.join("content/../public")).is_ok()
        );
    }
}
