//! Hashes: keys of what a rebuild may reuse, and stable content hashes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

/// A map looked up for every page at every rebuild: aHash, not SipHash (no key comes
/// from an adversary).
pub(crate) type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// A set, as [`FastMap`].
pub(crate) type FastSet<T> = std::collections::HashSet<T, ahash::RandomState>;

/// The hasher's keys: fixed, so that a key is the same in every run of one equipe binary
/// and the build cache beside the output can be read back (`AHasher::default` draws its
/// keys at random once per process). A cache made by another binary is never read (see
/// `build_cache`), so that the hash need not stay the same across versions.
static KEYS: ahash::RandomState = ahash::RandomState::with_seeds(
    0x6571_7569_7065_2d31,
    0x9e37_79b9_7f4a_7c15,
    0xbf58_476d_1ce4_e5b9,
    0x94d0_49bb_1331_11eb,
);

/// A hash of anything hashable, for cache keys (the same in every run of one binary). A rebuild keys every page by the view its template receives:
/// hundreds of small writes each (titles, URLs, checklist items of related pages). They
/// are gathered into a buffer and hashed at once with aHash, which hashes long input many
/// times faster than it takes small writes one by one (SipHash, std's, was slower still).
pub(crate) fn hash_of(value: &(impl Hash + ?Sized)) -> u64 {
    hash_with(|h| value.hash(h))
}

/// A hash of bytes, taken as they are (a file of hundreds of megabytes is not copied into
/// [`hash_with`]'s buffer first).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = KEYS.build_hasher();
    h.write(bytes);
    h.finish()
}

/// [`hash_of`] a sequence, fed item by item rather than collected first.
pub(crate) fn hash_all<T: Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    hash_with(|h| {
        for item in items {
            item.hash(h);
        }
    })
}

/// The hash of what `feed` writes, gathered in this thread's buffer: for a key made of
/// parts fed one by one, without collecting them first.
pub(crate) fn hash_with(feed: impl FnOnce(&mut Buffered)) -> u64 {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| {
        // A `Hash` implementation that hashes with `hash_of` within it gets its own.
        let mut own = Vec::new();
        let mut shared = buffer.try_borrow_mut();
        let buffer = shared.as_deref_mut().unwrap_or(&mut own);
        buffer.clear();
        let mut h = Buffered {
            buffer,
            hasher: KEYS.build_hasher(),
        };
        feed(&mut h);
        h.finish()
    })
}

/// A [`Hasher`] that gathers what it is given and hashes it a block at a time (see
/// [`hash_of`]): the data of a site-wide file (every checklist of 20,000 pages) would
/// otherwise grow each thread's buffer to tens of megabytes, kept for the next key.
pub(crate) struct Buffered<'b> {
    buffer: &'b mut Vec<u8>,
    hasher: ahash::AHasher,
}

/// What [`Buffered`] gathers before it hashes.
const BLOCK: usize = 64 * 1024;

impl Hasher for Buffered<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BLOCK {
            self.hasher.write(self.buffer);
            self.buffer.clear();
        }
    }

    fn finish(&self) -> u64 {
        let mut h = self.hasher.clone();
        h.write(self.buffer);
        h.finish()
    }
}

/// FNV-1a: a stable hash (std's hasher may change between Rust versions).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
