//! Hashes: keys of what a rebuild may reuse, and stable content hashes.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use ahash::AHasher;

/// A map looked up for every page at every rebuild: aHash, not SipHash (no key comes
/// from an adversary).
pub(crate) type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// A hash of anything hashable, for cache keys (stable within one process, which is all a
/// cache in memory needs). aHash rather than std's SipHash: keys hash every page's title,
/// URL and checklist at each rebuild, in many small writes, where SipHash took a sixth of
/// a 2,000-page rebuild.
pub(crate) fn hash_of(value: &impl Hash) -> u64 {
    let mut h = AHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// [`hash_of`] a sequence, fed to the hasher item by item rather than collected first.
pub(crate) fn hash_all<T: Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    let mut h = AHasher::default();
    for item in items {
        item.hash(&mut h);
    }
    h.finish()
}

/// FNV-1a: a stable hash (std's hasher may change between Rust versions).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
