//! The build cache: what a build keeps beside the output folder (`.public.equipe-cache`,
//! never inside it, where it would be published) for the next build of the same folder.
//!
//! It holds the stage caches a `serve` session keeps in memory (see [`Cache`]): each
//! content file's parsed page (without its text), each page's rendered body and search
//! entry, and, for every output file, the key of what it was made from with its size and
//! mtime (and, for a page other pages link `#fragments` of, its ids). The next build reads
//! only the files whose size or mtime changed, renders only the bodies and pages whose
//! keys changed, and leaves every other file of the previous output where it is (see
//! [`crate::output::Staging::begin_update`]). It never trusts what it cannot check: a
//! cache from another equipe binary, from other settings, that is cut short or altered
//! is ignored (and the build is a full one), and an output file that is not as the cache
//! recorded it is made again.
//!
//! The file: a magic line, the identity of the binary and settings it was made with, then
//! tagged records appended while the build runs (the store that holds their bytes, the
//! parsed pages once the content is read, the bodies, so that the build need not hold
//! them to its end), the rest of the cache (postcard), and a
//! checksum of all but the header. It is written beside the cache in use and replaced by
//! a rename, so that a killed build leaves the previous cache or the new one. The pages'
//! and bodies' bytes (nearly all of them) are in a file of their own that builds append
//! to, and the cache names them there (see `cache_store`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, mpsc};
use std::thread::JoinHandle;

use rayon::prelude::*;

use crate::bodies::{Packed, PackedIn, Sink};
use crate::cache_store::{self, Begun, Store, StoreFiles};
use crate::content::{Pages, PagesSink};
use crate::hash::fnv1a;
use crate::incremental::Cache;
use crate::output::this_binary;
use crate::swap::sibling;

/// Names the format: a change to what the cache holds changes it.
const MAGIC: &[u8] = b"equipe build cache 19\n";

/// Where a build keeps its cache, and what a cache must have been made with to be used.
pub(crate) struct BuildCache {
    file: PathBuf,
    /// The store of its pages and bodies, and of their HTML (see `cache_store`).
    store: StoreFiles,
    /// The binary and settings: `None` when the binary cannot be identified, and then no
    /// cache is read or written.
    identity: Option<u64>,
    /// What the cache read said of its store, for this build's to append to it.
    store_in_use: Mutex<Option<cache_store::InUse>>,
    /// This build's store is new files, at these paths until its cache is kept.
    new_store: Mutex<Option<StoreFiles>>,
    /// Set if bytes of the store in use, or of this build's, did not read back as they
    /// were written (see [`BuildCache::found_damaged`]).
    damaged: cache_store::Damage,
}

impl BuildCache {
    /// The cache of the builds of `output` (the output folder's path) with `settings` (the
    /// options that change the output).
    pub(crate) fn beside(output: &Path, settings: &str) -> BuildCache {
        // Another binary may render differently, or hash differently (see `hash`).
        let identity = this_binary().map(|(len, modified)| {
            let version = env!("CARGO_PKG_VERSION");
            fnv1a(format!("{version} {len} {modified}\n{settings}").as_bytes())
        });
        BuildCache {
            file: sibling(output, "equipe-cache"),
            store: StoreFiles {
                store: sibling(output, "equipe-store"),
                texts: sibling(output, "equipe-texts"),
            },
            identity,
            store_in_use: Mutex::new(None),
            new_store: Mutex::new(None),
            damaged: cache_store::Damage::default(),
        }
    }

    /// The cache the last build left, or an empty one if there is none that can be
    /// trusted.
    pub(crate) fn load(&self) -> Cache {
        let Some(identity) = self.identity else {
            return Cache::default();
        };
        let Some((cache, store)) = read(&self.file, &self.store, identity, &self.damaged) else {
            return Cache::default();
        };
        *lock(&self.store_in_use) = store;
        cache
    }

    /// Begins the cache of this build beside the one in use: the bodies go to it as they
    /// are rendered (see [`Partial::sink`]). `None` when no cache can be written.
    pub(crate) fn begin(&self) -> Option<Arc<Partial>> {
        let identity = self.identity?;
        let in_use = lock(&self.store_in_use).take();
        let partial = self.store.partial();
        let mut store = cache_store::begin(&self.store, partial, identity, in_use, &self.damaged)?;
        if let Begun::New(_, partial) = &store {
            *lock(&self.new_store) = Some(partial.clone());
        }
        let generation = store.appender().generation();
        let begun = || -> std::io::Result<Checksummed> {
            let mut file = std::fs::File::create(self.partial())?;
            file.write_all(MAGIC)?;
            file.write_all(&identity.to_le_bytes())?;
            let mut file = Checksummed::new(file);
            file.write_all(&[STORE])?;
            file.write_all(&generation.to_le_bytes())?;
            Ok(file)
        };
        match begun().and_then(|file| Partial::new(file, store)) {
            Ok(partial) => Some(Arc::new(partial)),
            Err(_) => {
                self.discard();
                None
            }
        }
    }

    /// Ends the cache [`BuildCache::begin`] began with the rest of `cache`, for
    /// [`BuildCache::keep`] to put in place of the one in use once the output it describes
    /// is (so that it can be written while the new output is swapped in). Best effort:
    /// without it, the next build is a full one.
    pub(crate) fn write(&self, partial: &Partial, cache: &Cache) -> bool {
        let out = partial.finish();
        let write = |(mut out, mut store): Files| -> Result<(), Box<dyn std::error::Error>> {
            out.write_all(&[END_OF_RECORDS])?;
            let mut out = postcard::to_io(cache, out)?;
            let checksum = out.flush_chunk()?;
            out.file.write_all(&checksum.to_le_bytes())?;
            Ok(store.appender().flush()?)
        };
        // `None`: a body could not be written.
        let written = out.is_some_and(|out| write(out).is_ok());
        if !written {
            self.discard();
        }
        written
    }

    /// Removes the cache this build began: the build failed, and the cache in use still
    /// describes the output, which it left as it was.
    pub(crate) fn discard(&self) {
        let _ = std::fs::remove_file(self.partial());
        if let Some(store) = lock(&self.new_store).take() {
            store.remove();
        }
    }

    /// Puts the cache [`BuildCache::write`] wrote in place of the one in use (`keep`: the
    /// new output is in place), or drops it.
    pub(crate) fn keep(&self, written: bool, keep: bool) {
        // A new store first: the cache in use does not name it (a build killed between
        // the two renames leaves a cache whose store is not its own, which is not used).
        let store_in_place = || match lock(&self.new_store).take() {
            Some(store) => store.rename_to(&self.store),
            None => true,
        };
        let kept = written
            && keep
            && store_in_place()
            && std::fs::rename(self.partial(), &self.file).is_ok();
        if written && !kept {
            self.discard();
        }
        if keep && !kept {
            // What the cache in use says of the output no longer holds.
            self.forget();
        }
    }

    fn partial(&self) -> PathBuf {
        self.file.with_extension("equipe-cache-partial")
    }

    /// Removes the cache: what it records of the output no longer holds.
    pub(crate) fn forget(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    /// Whether the build read bytes of a store, after it began, that were not as they were
    /// written (a body's HTML, checked as it is read): what it made from them is not to
    /// be put out, nor this cache used again.
    pub(crate) fn found_damaged(&self) -> bool {
        self.damaged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Lets the cache in use go if damaged bytes were found in it, as the build read them
    /// or as it wrote its own cache (a body reused unread, copied into a new store, which
    /// made no output): it is not used again.
    pub(crate) fn forget_if_damaged(&self) {
        if self.found_damaged() {
            self.forget();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The cache in `file`, if it is one of this binary and settings, whole, its pages and
/// bodies in the store at `store_files`; with what it said of that store. The header is
/// read first: a cache of another binary is not read through.
fn read(
    file: &Path,
    store_files: &StoreFiles,
    identity: u64,
    damaged: &cache_store::Damage,
) -> Option<(Cache, Option<cache_store::InUse>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(file).ok()?;
    let mut header = [0; MAGIC.len() + 8];
    file.read_exact(&mut header).ok()?;
    let made_by = header.strip_prefix(MAGIC)?;
    if made_by != identity.to_le_bytes() {
        return None;
    }
    let rest = crate::mapped::contents(&mut file, header.len())?;
    let (payload, checksum) = rest.split_last_chunk::<8>()?;
    if u64::from_le_bytes(*checksum) != checksum_of(payload) {
        return None;
    }
    let mut bodies = Vec::new();
    let mut pages = None;
    let mut store = None;
    let mut payload = payload;
    loop {
        let (&tag, after) = payload.split_first()?;
        match tag {
            STORE => {
                let (generation, after) = after.split_first_chunk::<8>()?;
                let generation = u64::from_le_bytes(*generation);
                store = Some(Store::open(store_files, identity, generation, damaged)?);
                payload = after;
            }
            A_BODY => {
                let (len, after) = after.split_first_chunk::<4>()?;
                let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
                bodies.push(after.get(..len)?);
                payload = &after[len..];
            }
            PAGES => {
                let (read, live, after) = Pages::read(store.as_ref()?, after)?;
                pages = Some((read, live));
                payload = after;
            }
            END_OF_RECORDS => {
                payload = after;
                break;
            }
            _ => return None,
        }
    }
    let mut cache: Cache = postcard::from_bytes(payload).ok()?;
    // A cache without its pages is not whole.
    let (pages, pages_live) = pages?;
    // Each body's record on its own, on every core (one after the other, the 20,000 of
    // a large site were 40 ms of one core at each build after one edit).
    let bodies: Vec<Packed> = match &store {
        Some(store) => bodies
            .par_iter()
            .map(|record| {
                let body: PackedIn = postcard::from_bytes(record).ok()?;
                body.within(store)
            })
            .collect::<Option<_>>()?,
        None if bodies.is_empty() => Vec::new(),
        None => return None,
    };
    let live = pages_live + bodies.iter().map(Packed::kept_len).sum::<u64>();
    let in_use = store.map(|s| s.in_use(live));
    cache.bodies.add_packed(bodies);
    cache.content.pages = pages;
    Some((cache, in_use))
}

/// Before each body of the file, then the length of its record (4 bytes, little-endian).
const A_BODY: u8 = 1;
/// Before the parsed pages.
const PAGES: u8 = 2;
/// After the last body and the pages, before the rest of the cache.
const END_OF_RECORDS: u8 = 0;
/// The generation of the store the pages and bodies are in (see `cache_store`): before
/// them.
const STORE: u8 = 3;

/// A build's cache file while the build runs: the bodies are appended as they come
/// ([`Partial::sink`]), the rest by [`BuildCache::write`].
///
/// The bodies are written by a thread of its own, in the order they come: written by the
/// threads that render them, under a lock, they were a serial stretch of every build (66
/// ms of a build after one edit at 20,000 pages, 186 ms of a first build), when the
/// stages after the bodies leave a core idle.
pub(crate) struct Partial {
    /// To the writing thread; `None` once [`Partial::finish`] closed it. Read-locked to
    /// send (a sender is shared between threads): the threads that render bodies send
    /// each one, and under a mutex they waited on each other.
    queue: RwLock<Option<mpsc::Sender<Vec<Record>>>>,
    /// Bodies not sent yet: they go to the writing thread [`BATCH`] at a time (one at a
    /// time, waking that thread for each was 2% of a first build's CPU samples at
    /// 20,000 pages, in the kernel's futex calls).
    pending: Mutex<Vec<Record>>,
    /// The writing thread, which gives the files back (`None` if a write failed: the file
    /// is then not a cache).
    writer: Mutex<Option<JoinHandle<Option<Files>>>>,
}

impl Partial {
    fn new(file: Checksummed, store: Begun) -> std::io::Result<Partial> {
        let (queue, records) = mpsc::channel::<Vec<Record>>();
        let writer = std::thread::Builder::new()
            .name("equipe-cache".into())
            .spawn(move || {
                let mut out = Some((file, store));
                for record in records.iter().flatten() {
                    if let Some((file, store)) = &mut out
                        && record.write(file, store).is_err()
                    {
                        out = None;
                    }
                }
                out
            })?;
        Ok(Partial {
            queue: RwLock::new(Some(queue)),
            pending: Mutex::default(),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Where the bodies stage sends each body (see [`crate::bodies::Cache::sink`]).
    pub(crate) fn sink(self: &Arc<Self>) -> Sink {
        let partial = Arc::clone(self);
        Arc::new(move |body: Packed| partial.add_body(Record::Body(body)))
    }

    /// Where the content stage sends the parsed pages (see [`crate::content::Cache::sink`]).
    pub(crate) fn pages_sink(self: &Arc<Self>) -> PagesSink {
        let partial = Arc::clone(self);
        Arc::new(move |pages: Pages| partial.add(vec![Record::Pages(pages)]))
    }

    fn add(&self, records: Vec<Record>) {
        if let Some(queue) = &*self.queue.read().unwrap_or_else(PoisonError::into_inner) {
            // Refused only once the thread is gone: `finish` then finds the file lacking.
            let _ = queue.send(records);
        }
    }

    /// Sends a body with the others of its batch (see [`Partial::pending`]).
    fn add_body(&self, body: Record) {
        let mut pending = lock(&self.pending);
        pending.push(body);
        if pending.len() >= BATCH {
            let batch = std::mem::take(&mut *pending);
            drop(pending);
            self.add(batch);
        }
    }

    /// The file and the store, once every body sent is written (`None` if one could
    /// not be, or if the files were already taken).
    fn finish(&self) -> Option<Files> {
        let last = std::mem::take(&mut *lock(&self.pending));
        self.add(last);
        drop(
            self.queue
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        writer.join().ok().flatten()
    }
}

/// How many bodies go to the writing thread at a time.
const BATCH: usize = 32;

/// The cache's file and the store a [`Partial`] writes.
type Files = (Checksummed, Begun);

/// What the writing thread appends to the file, tagged.
enum Record {
    Body(Packed),
    Pages(Pages),
}

impl Record {
    fn write(
        &self,
        file: &mut Checksummed,
        store: &mut Begun,
    ) -> Result<(), Box<dyn std::error::Error>> {
        match self {
            Record::Body(body) => {
                // Its length first: a build reads the records of its bodies in parallel.
                let mut record = Vec::with_capacity(128);
                body.write_to(&mut record, store.appender())?;
                file.write_all(&[A_BODY])?;
                file.write_all(&u32::try_from(record.len())?.to_le_bytes())?;
                file.write_all(&record)?;
            }
            Record::Pages(pages) => {
                file.write_all(&[PAGES])?;
                pages.write_to(file, store.appender())?;
            }
        }
        Ok(())
    }
}

/// A build that ends without writing its cache still waits for the thread, which holds the
/// file.
impl Drop for Partial {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The checksum is taken a chunk of this many bytes at a time, as the file is written.
const CHUNK: usize = 1 << 20;

/// The checksum of a file's bytes, as [`Checksummed`] takes it: each chunk's hash, folded
/// in order. The chunks are hashed in parallel (100 MB at 20,000 pages).
fn checksum_of(bytes: &[u8]) -> u64 {
    let hashes: Vec<u64> = bytes.par_chunks(CHUNK).map(chunk_sum).collect();
    hashes
        .into_iter()
        .fold(0, |sum, hash| sum.rotate_left(7) ^ hash)
}

/// A chunk's part of the checksum: its CRC-32, which finds a file cut short or altered by
/// accident, as the hash before it did (neither would stop a file made to pass: the cache
/// sits beside the user's own output). The CPU's carry-less multiply does it many times
/// faster than aHash without AES: hashing the 110 MB written at 20,000 pages, and again
/// when they are read back, was 5% of the instructions of a build after one title edit.
fn chunk_sum(chunk: &[u8]) -> u64 {
    u64::from(crc32fast::hash(chunk))
}

/// A buffered writer to a file that checksums what it writes, [`CHUNK`] bytes at a time.
struct Checksummed {
    file: std::fs::File,
    chunk: Vec<u8>,
    sum: u64,
}

impl Checksummed {
    fn new(file: std::fs::File) -> Checksummed {
        Checksummed {
            file,
            chunk: Vec::with_capacity(CHUNK),
            sum: 0,
        }
    }

    /// Writes the chunk so far; returns the checksum of everything written.
    fn flush_chunk(&mut self) -> std::io::Result<u64> {
        if !self.chunk.is_empty() {
            self.sum = self.sum.rotate_left(7) ^ chunk_sum(&self.chunk);
            self.file.write_all(&self.chunk)?;
            self.chunk.clear();
        }
        Ok(self.sum)
    }
}

impl Write for Checksummed {
    fn write(&mut self, mut bytes: &[u8]) -> std::io::Result<usize> {
        let written = bytes.len();
        while !bytes.is_empty() {
            let room = CHUNK - self.chunk.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.chunk.extend_from_slice(now);
            bytes = later;
            if self.chunk.len() == CHUNK {
                self.flush_chunk()?;
            }
        }
        Ok(written)
    }

    /// Nothing: a chunk is written whole (the checksum is taken by chunks of the same
    /// size when the file is read), the last one by [`Checksummed::flush_chunk`].
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
