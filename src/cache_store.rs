//! The build cache's store: the bytes of what the cache keeps of each page (its parsed
//! front matter, its body, its body's HTML and search entry), in a file of their own beside
//! the cache (`.public.equipe-store`) that builds append to.
//!
//! They are nearly all of the cache's bytes (105 of 110 MB at 20,000 pages), and a build
//! after one edit keeps nearly all of them: written with the rest of the cache, they were
//! copied whole into each new cache file. The cache now names each one by where it is in
//! this file, with its CRC-32, checked when the cache is read (as the cache's own checksum
//! checks the rest of it); a build appends what it made and names the rest where it
//! already is. The file is written anew, with what the build keeps alone, when it has
//! grown past twice the size of what the last cache named (pages and bodies since made
//! again, builds that failed), or when there is none to append to.
//!
//! Bodies' HTML, most of those bytes (108 of 182 MB at 20,000 pages), is in a second file
//! beside it (`.public.equipe-texts`), read at its offset when a page renders, never
//! mapped: a build after one edit renders few pages again, and the store it maps whole (and
//! so holds in memory) was twice as large with the HTML in it (a title edit's build at
//! 20,000 pages peaked at 425 MiB, 218 of them the mapped files).
//!
//! Trust: the file starts with the identity of the binary and settings that made it and
//! a number drawn when it was begun (its generation), which the cache names; a cache
//! whose store is missing, of another generation, shorter than what it names or whose
//! bytes do not have their CRC is not used (the build is a full one). The file is only
//! ever appended to past what a cache names, or replaced by a rename, so a build killed
//! midway leaves the cache in use whole.

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Names the format of the store.
const MAGIC: &[u8] = b"equipe store 2\n";

/// Names the format of its texts file, the same length.
const TEXTS_MAGIC: &[u8; MAGIC.len()] = b"equipe texts 1\n";

/// The magic line, then the identity of the binary and settings, and the generation.
const HEADER: u64 = MAGIC.len() as u64 + 16;

/// Where bytes are in the store (from the end of its header), and their CRC-32.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Place {
    at: u64,
    len: u32,
    crc: u32,
}

impl Place {
    /// Whether `bytes` have its CRC.
    fn sound(&self, bytes: &[u8]) -> bool {
        crc32fast::hash(bytes) == self.crc
    }

    /// Whether `bytes` have its CRC; if not, the store they were read from is marked
    /// `damaged`.
    fn sound_or_damaged(&self, bytes: &[u8], damaged: &Damage) -> bool {
        let sound = self.sound(bytes);
        if !sound {
            damaged.store(true, Ordering::Relaxed);
        }
        sound
    }

    /// How many bytes it names.
    pub(crate) fn len(&self) -> u64 {
        u64::from(self.len)
    }
}

/// Bytes as they are in one store (see [`Store::generation`]): a build that appends to
/// that store names them where they are rather than write them again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Kept {
    pub(crate) generation: u64,
    pub(crate) place: Place,
}

/// A store, read (mapped) for the cache that names it, and its texts file, read at an
/// offset when a text is asked for.
pub(crate) struct Store {
    bytes: bytes::Bytes,
    generation: u64,
    texts: Arc<Reader>,
    /// The size of what the texts file holds.
    texts_len: u64,
}

/// Set when bytes of a store that a build read after it began (see [`Unchecked`],
/// [`Placed`]) are found damaged: the build must then not put out what it made (see
/// `pipeline::build`), as a text that does not read back reads as empty.
pub(crate) type Damage = Arc<AtomicBool>;

/// A text of a store's texts file, read and checked against its CRC when it is asked for
/// rather than when the cache is (see [`Store::text`]).
#[derive(Clone, Debug)]
pub(crate) struct Unchecked {
    texts: Arc<Reader>,
    place: Place,
}

impl Unchecked {
    /// The bytes, if they read back with their CRC; if not, `None`, and the store they
    /// are in is marked damaged (see [`Damage`]).
    pub(crate) fn checked(&self) -> Option<Vec<u8>> {
        self.texts.read(self.place)
    }
}

/// What the cache in use says of its store: for this build's to be appended to it or not.
#[derive(Clone, Copy)]
pub(crate) struct InUse {
    generation: u64,
    /// The size of what the store holds.
    len: u64,
    /// The size of what its texts file holds.
    texts_len: u64,
    /// The size of what the cache names in them.
    live: u64,
}

impl Store {
    /// The store at `files`, with its texts file, if both were made by `identity` and are
    /// of `generation`; what is found damaged in them later is told to `damaged`.
    pub(crate) fn open(
        files: &StoreFiles,
        identity: u64,
        generation: u64,
        damaged: &Damage,
    ) -> Option<Store> {
        use std::io::Read;
        let expected = |magic| header(magic, identity, generation);
        let mut file = std::fs::File::open(&files.store).ok()?;
        let mut header = [0; HEADER as usize];
        file.read_exact(&mut header).ok()?;
        if header[..] != expected(MAGIC) {
            return None;
        }
        let texts = Reader::open(&files.texts, damaged)?;
        let texts_len = texts.file.metadata().ok()?.len().checked_sub(HEADER)?;
        read_at(&texts.file, &mut header, 0).ok()?;
        if header[..] != expected(TEXTS_MAGIC) {
            return None;
        }
        let bytes = crate::mapped::contents(&mut file, HEADER as usize)?;
        Some(Store {
            bytes,
            generation,
            texts,
            texts_len,
        })
    }

    /// The text at `place` of the texts file, read and checked against its CRC when it is
    /// asked for: a build after one edit at 20,000 pages renders few bodies again, and
    /// checking the HTML of all of them (108 MB) when the cache was read was most of its
    /// CRCs (+30 M instructions, fiftieth session). `None` if the file does not hold it.
    pub(crate) fn text(&self, place: Place) -> Option<Unchecked> {
        (place.at.checked_add(place.len())? <= self.texts_len).then(|| Unchecked {
            texts: Arc::clone(&self.texts),
            place,
        })
    }

    /// The bytes at `place`, sharing the store's (`None` if the store does not hold them,
    /// or they do not have their CRC).
    pub(crate) fn get(&self, place: Place) -> Option<(bytes::Bytes, Kept)> {
        let bytes = self.get_unchecked(place)?;
        place.sound(&bytes).then(|| (bytes, self.kept(place)))
    }

    /// The bytes at `place`, their CRC not checked yet.
    fn get_unchecked(&self, place: Place) -> Option<bytes::Bytes> {
        let end = place.at.checked_add(place.len())?;
        let range = usize::try_from(place.at).ok()?..usize::try_from(end).ok()?;
        (range.end <= self.bytes.len()).then(|| self.bytes.slice(range))
    }

    fn kept(&self, place: Place) -> Kept {
        Kept {
            generation: self.generation,
            place,
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// What a build appending to this store needs to know of it; `live`: the size of
    /// what the cache names in it and its texts file.
    pub(crate) fn in_use(&self, live: u64) -> InUse {
        InUse {
            generation: self.generation,
            len: self.bytes.len() as u64,
            texts_len: self.texts_len,
            live,
        }
    }
}

/// A store's or texts file's first bytes: `magic`, then the identity of the binary and
/// settings, and the generation.
fn header(magic: &[u8], identity: u64, generation: u64) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER as usize);
    header.extend_from_slice(magic);
    header.extend_from_slice(&identity.to_le_bytes());
    header.extend_from_slice(&generation.to_le_bytes());
    header
}

/// Where a store and its texts file are.
#[derive(Clone, Debug)]
pub(crate) struct StoreFiles {
    pub(crate) store: PathBuf,
    pub(crate) texts: PathBuf,
}

impl StoreFiles {
    /// Where a new store's files are until its cache is kept: beside these, `-partial`
    /// after their names.
    pub(crate) fn partial(&self) -> StoreFiles {
        let with = |path: &Path| {
            let mut name = path.as_os_str().to_owned();
            name.push("-partial");
            PathBuf::from(name)
        };
        StoreFiles {
            store: with(&self.store),
            texts: with(&self.texts),
        }
    }

    /// Puts the files at `self` in place of those at `target`, the texts first (a build
    /// killed between the two renames leaves a store and a texts file of two generations,
    /// which no cache uses). False, and both files removed, if either cannot be.
    pub(crate) fn rename_to(&self, target: &StoreFiles) -> bool {
        let renamed = std::fs::rename(&self.texts, &target.texts).is_ok()
            && std::fs::rename(&self.store, &target.store).is_ok();
        if !renamed {
            self.remove();
        }
        renamed
    }

    pub(crate) fn remove(&self) {
        let _ = std::fs::remove_file(&self.store);
        let _ = std::fs::remove_file(&self.texts);
    }
}

/// Where a build writes its store and its texts: the ends of the last build's files, or
/// new files put in their place when the build's cache is.
pub(crate) struct Appender {
    /// The pages and bodies but for their HTML.
    store: Sink,
    /// The bodies' HTML.
    texts: Sink,
    generation: u64,
}

/// One of the files an [`Appender`] writes.
struct Sink {
    out: std::io::BufWriter<std::fs::File>,
    /// Where the next bytes go.
    end: u64,
    /// The same file, to read back the texts placed in it (the texts file's; `None` for
    /// the store, which takes none, or if it could not be opened: they are then held
    /// until the build ends).
    reader: Option<Arc<Reader>>,
    /// Texts placed in the file that are still in the writer's buffer, in the order they
    /// were written: each is let go once its bytes are on file.
    buffered: VecDeque<(Arc<Placed>, Place)>,
}

/// The store a build writes, read back (see [`Placed`]).
#[derive(Debug)]
pub(crate) struct Reader {
    file: std::fs::File,
    damaged: Damage,
}

impl Reader {
    fn open(file: &Path, damaged: &Damage) -> Option<Arc<Reader>> {
        let file = std::fs::File::open(file).ok()?;
        Some(Arc::new(Reader {
            file,
            damaged: Arc::clone(damaged),
        }))
    }

    /// The bytes at `place` (`None` if they cannot be read or do not have their CRC: the
    /// store is then marked damaged). Read at their offset, the file's cursor untouched:
    /// the threads that render pages read at once (behind a lock, they waited on each
    /// other's system calls).
    fn read(&self, place: Place) -> Option<Vec<u8>> {
        let mut bytes = vec![0; usize::try_from(place.len).ok()?];
        if read_at(&self.file, &mut bytes, HEADER + place.at).is_err() {
            self.damaged.store(true, Ordering::Relaxed);
            return None;
        }
        place
            .sound_or_damaged(&bytes, &self.damaged)
            .then_some(bytes)
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut bytes: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// A text a build hands to its store as soon as it is made, and reads back from it when
/// it needs it: a body's HTML on a large site, which the build holds from the bodies
/// stage until its page renders. Held whole, the bodies were a third of a first build's
/// memory at 20,000 pages; compressed (LZ4), compressing and unpacking them was 9% of its
/// instructions (benches/README.md, fiftieth session). The store's writer lets the text go
/// once its bytes are on file ([`Appender::put_placed`]); until then it is read from
/// memory.
#[derive(Debug)]
pub(crate) struct Placed {
    state: Mutex<Placement>,
}

#[derive(Debug)]
enum Placement {
    Held(bytes::Bytes),
    Stored(Place, Arc<Reader>),
}

impl Placed {
    pub(crate) fn new(text: bytes::Bytes) -> Arc<Placed> {
        Arc::new(Placed {
            state: Mutex::new(Placement::Held(text)),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Placement> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The bytes: from memory, or read back from the store (`None` if they cannot be).
    pub(crate) fn bytes(&self) -> Option<Vec<u8>> {
        let (place, reader) = match &*self.state() {
            Placement::Held(bytes) => return Some(bytes.to_vec()),
            Placement::Stored(place, reader) => (*place, Arc::clone(reader)),
        };
        reader.read(place)
    }

    /// The text was written at `place` of the file `reader` reads: it is let go.
    fn stored(&self, place: Place, reader: Arc<Reader>) {
        *self.state() = Placement::Stored(place, reader);
    }
}

/// How a build writes its store: appended to the files at `files`, or to new ones beside
/// them (`partial`), renamed over them once the build's cache is in place.
pub(crate) enum Begun {
    Appended(Appender),
    New(Appender, StoreFiles),
}

/// Begins this build's store beside the store at `files`: appended to it if the cache in
/// use names it (`in_use`) and its files hold no more than twice what the cache names,
/// else in new files (`partial`). `None` if neither can be written.
pub(crate) fn begin(
    files: &StoreFiles,
    partial: StoreFiles,
    identity: u64,
    in_use: Option<InUse>,
    damaged: &Damage,
) -> Option<Begun> {
    let appends = in_use.filter(|r| r.live > 0 && r.len + r.texts_len <= 2 * r.live);
    if let Some(last) = appends
        && let Some(store) = Sink::append(&files.store, last.len)
        && let Some(texts) = Sink::append(&files.texts, last.texts_len)
    {
        return Some(Begun::Appended(Appender {
            store,
            texts: texts.reading_back(&files.texts, damaged),
            generation: last.generation,
        }));
    }
    let generation = new_generation(identity);
    let created =
        Sink::create(&partial.store, &header(MAGIC, identity, generation)).and_then(|store| {
            let texts = Sink::create(&partial.texts, &header(TEXTS_MAGIC, identity, generation))?;
            Ok(Appender {
                store,
                texts: texts.reading_back(&partial.texts, damaged),
                generation,
            })
        });
    match created {
        Ok(appender) => Some(Begun::New(appender, partial)),
        Err(_) => {
            partial.remove();
            None
        }
    }
}

impl Sink {
    /// The file at `file`, to append to, if it holds at least the `len` bytes the cache
    /// in use names (past its header).
    fn append(file: &Path, len: u64) -> Option<Sink> {
        let appended = std::fs::OpenOptions::new().append(true).open(file).ok()?;
        let on_file = appended.metadata().ok()?.len();
        (on_file >= HEADER + len).then(|| Sink {
            out: std::io::BufWriter::with_capacity(1 << 20, appended),
            end: on_file - HEADER,
            reader: None,
            buffered: VecDeque::new(),
        })
    }

    /// A new file at `file`, beginning with `header`.
    fn create(file: &Path, header: &[u8]) -> std::io::Result<Sink> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(file)?);
        out.write_all(header)?;
        Ok(Sink {
            out,
            end: 0,
            reader: None,
            buffered: VecDeque::new(),
        })
    }

    /// The sink, reading back from `file` (its own) the texts placed in it.
    fn reading_back(self, file: &Path, damaged: &Damage) -> Sink {
        Sink {
            reader: Reader::open(file, damaged),
            ..self
        }
    }

    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<Place> {
        let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.out.write_all(bytes)?;
        let place = Place {
            at: self.end,
            len,
            crc: crc32fast::hash(bytes),
        };
        self.end += place.len();
        Ok(place)
    }

    /// Appends a placed text, let go once its bytes are on file.
    fn put_placed(&mut self, placed: &Arc<Placed>, held: &[u8]) -> std::io::Result<Place> {
        let place = self.put(held)?;
        self.buffered.push_back((Arc::clone(placed), place));
        self.let_go();
        Ok(place)
    }

    /// Lets go of the placed texts whose bytes the writer's buffer has written to file.
    fn let_go(&mut self) {
        let Some(reader) = &self.reader else {
            return;
        };
        // The file holds the header and `end` bytes once the buffer is written (a new
        // file's header goes through the buffer too).
        let Some(on_file) = (HEADER + self.end).checked_sub(self.out.buffer().len() as u64) else {
            return;
        };
        while let Some((placed, place)) = self.buffered.front() {
            if HEADER + place.at + place.len() > on_file {
                break;
            }
            placed.stored(*place, Arc::clone(reader));
            self.buffered.pop_front();
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.let_go();
        Ok(())
    }
}

/// A number no other store beside this output is likely to have had.
fn new_generation(identity: u64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    crate::hash::hash_of(&(identity, now, std::process::id()))
}

impl Begun {
    pub(crate) fn appender(&mut self) -> &mut Appender {
        match self {
            Begun::Appended(appender) | Begun::New(appender, _) => appender,
        }
    }
}

impl Appender {
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Names `bytes` in this store: where `kept` says they are if it is this store, else
    /// appended.
    pub(crate) fn put(&mut self, bytes: &[u8], kept: Option<Kept>) -> std::io::Result<Place> {
        match self.here(kept) {
            Some(place) => Ok(place),
            None => self.store.put(bytes),
        }
    }

    /// Names a text in this store's texts file, as [`Appender::put`] does in the store.
    pub(crate) fn put_text(&mut self, bytes: &[u8], kept: Option<Kept>) -> std::io::Result<Place> {
        match self.here(kept) {
            Some(place) => Ok(place),
            None => self.texts.put(bytes),
        }
    }

    /// Where `kept` says bytes are, if that is in this store.
    fn here(&self, kept: Option<Kept>) -> Option<Place> {
        kept.filter(|k| k.generation == self.generation)
            .map(|k| k.place)
    }

    /// Names a placed text in the texts file (see [`Placed`]): appended, and let go once
    /// its bytes are on file. A text already let go is in this store, where it was put.
    pub(crate) fn put_placed(&mut self, placed: &Arc<Placed>) -> std::io::Result<Place> {
        let held = match &*placed.state() {
            Placement::Held(bytes) => bytes.clone(),
            Placement::Stored(place, _) => return Ok(*place),
        };
        self.texts.put_placed(placed, &held)
    }

    /// Names a text of the last build's texts file in this one (see [`Unchecked`]): where
    /// it is if this store is that one, else read, checked and copied (bytes that are not
    /// as they were written do not go into a cache again).
    pub(crate) fn put_unchecked(
        &mut self,
        unchecked: &Unchecked,
        kept: Option<Kept>,
    ) -> std::io::Result<Place> {
        if let Some(place) = self.here(kept) {
            return Ok(place);
        }
        let bytes = unchecked.checked().ok_or_else(|| {
            std::io::Error::other("bytes of the store are not as they were written")
        })?;
        self.texts.put(&bytes)
    }

    /// Writes what is buffered: the bytes are on file before the cache naming them is.
    pub(crate) fn flush(&mut self) -> std::io::Result<()> {
        self.texts.flush()?;
        self.store.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A placed text is read from memory until the writer's buffer has put its bytes on
    /// file, then from the file, checked against its CRC.
    #[test]
    fn a_placed_text_is_read_back_from_the_file_once_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = StoreFiles {
            store: dir.path().join("store"),
            texts: dir.path().join("texts"),
        };
        let partial = files.partial();
        let damaged = Damage::default();
        let mut begun = begin(&files, partial.clone(), 1, None, &damaged).expect("a new store");
        let appender = begun.appender();
        let text = "<p>é</p>".repeat(100);
        let placed = Placed::new(bytes::Bytes::from(text.clone()));
        let place = appender.put_placed(&placed).expect("written");
        assert!(matches!(&*placed.state(), Placement::Held(_)));
        assert_eq!(placed.bytes().expect("held"), text.as_bytes());
        appender.flush().expect("flushed");
        assert!(matches!(&*placed.state(), Placement::Stored(..)));
        assert_eq!(placed.bytes().expect("read back"), text.as_bytes());
        // Put again, it is named where it is.
        assert_eq!(appender.put_placed(&placed).expect("named").at, place.at);
        // In the texts file, not in the store.
        let texts = std::fs::read(&partial.texts).expect("the texts file");
        assert!(texts.ends_with(text.as_bytes()));
        assert_eq!(
            std::fs::read(&partial.store).expect("the store").len() as u64,
            HEADER
        );
        // Bytes that no longer have their CRC do not read back.
        let mut bytes = texts;
        *bytes.last_mut().expect("not empty") ^= 1;
        std::fs::write(&partial.texts, bytes).expect("written");
        assert!(!damaged.load(Ordering::Relaxed));
        assert!(placed.bytes().is_none());
        assert!(
            damaged.load(Ordering::Relaxed),
            "the store is marked damaged"
        );
    }
}
