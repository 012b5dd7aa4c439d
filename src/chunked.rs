//! The build cache's large maps (each output file's key), serialized as chunks of postcard
//! bytes, so that they are made and read back on every core: read in one stream, the
//! parsed pages alone (kept so before they went to the cache's store, see `cache_store`)
//! were a twelfth of a build after one edit at 20,000 pages, on one thread. Used as
//! `#[serde(with = "crate::chunked")]`.

use std::hash::Hash;

use rayon::prelude::*;
use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::hash::FastMap;

/// Entries per chunk: enough chunks for every core, each large enough to be worth a task.
const ENTRIES: usize = 512;

pub(crate) fn serialize<K, V, S>(map: &FastMap<K, V>, s: S) -> Result<S::Ok, S::Error>
where
    K: Serialize + Sync,
    V: Serialize + Sync,
    S: Serializer,
{
    let entries: Vec<(&K, &V)> = map.iter().collect();
    let chunks = entries
        .par_chunks(ENTRIES)
        .map(|chunk| postcard::to_stdvec(chunk).map(bytes::Bytes::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(S::Error::custom)?;
    chunks.serialize(s)
}

pub(crate) fn deserialize<'de, K, V, D>(d: D) -> Result<FastMap<K, V>, D::Error>
where
    K: DeserializeOwned + Hash + Eq + Send,
    V: DeserializeOwned + Send,
    D: Deserializer<'de>,
{
    let chunks = Vec::<&'de [u8]>::deserialize(d)?;
    let parts = chunks
        .par_iter()
        .map(|chunk| postcard::from_bytes::<Vec<(K, V)>>(chunk))
        .collect::<Result<Vec<_>, _>>()
        .map_err(D::Error::custom)?;
    let mut map = FastMap::with_capacity_and_hasher(
        parts.iter().map(Vec::len).sum(),
        ahash::RandomState::default(),
    );
    for part in parts {
        map.extend(part);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use crate::hash::FastMap;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Holder {
        #[serde(with = "super")]
        map: FastMap<String, (u64, Vec<String>)>,
    }

    /// More entries than a chunk holds, and none: each reads back as it was.
    #[test]
    fn maps_of_several_chunks_read_back_whole() {
        for n in [0, 1, super::ENTRIES, 3 * super::ENTRIES + 7] {
            let map: FastMap<String, (u64, Vec<String>)> = (0..n)
                .map(|i| {
                    (
                        format!("fr/roles/r-{i}/index.html"),
                        (i as u64, vec![format!("id-{i}")]),
                    )
                })
                .collect();
            let holder = Holder { map };
            let bytes = postcard::to_stdvec(&holder).unwrap();
            let back: Holder = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, holder);
        }
    }
}
