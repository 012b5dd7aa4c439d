//! The build cache's large maps (each content file's parsed page, each output file's
//! key), serialized as chunks of postcard bytes, so that they are made and read back on
//! every core: read in one stream, the parsed pages alone were a twelfth of a build after
//! one edit at 20,000 pages, on one thread. Used as `#[serde(with = "crate::chunked")]`.

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

/// Writes `items` (each a map entry, `(K, V)`) as [`serialize`] writes a map, one chunk at
/// a time on this thread: for a map written while other stages run (see
/// `content::Cache::sink`), with one chunk in memory at a time rather than all of them.
/// `put` appends an item's bytes to its chunk: serialized, or as [`read_items`] read them.
pub(crate) fn write_items<T>(
    items: &[T],
    out: &mut impl std::io::Write,
    put: impl Fn(&T, Vec<u8>) -> postcard::Result<Vec<u8>>,
) -> postcard::Result<()> {
    let chunks = items.chunks(ENTRIES);
    // postcard writes a sequence's length, then each of its items: here, byte strings,
    // each a sequence of entries.
    postcard::to_io(&chunks.len(), &mut *out)?;
    let mut bytes = Vec::new();
    for chunk in chunks {
        bytes = postcard::to_extend(&chunk.len(), bytes)?;
        for item in chunk {
            bytes = put(item, bytes)?;
        }
        postcard::to_io(&bytes.len(), &mut *out)?;
        out.write_all(&bytes)
            .map_err(|_| postcard::Error::SerdeSerCustom)?;
        bytes.clear();
    }
    Ok(())
}

/// What [`read_items`] reads: each entry with its bytes, and the bytes after them.
pub(crate) type Items<'b, K, V> = (Vec<((K, V), &'b [u8])>, &'b [u8]);

/// The entries of a map [`serialize`] or [`write_items`] wrote at the start of `bytes`
/// (read in parallel), each with its own bytes, and what follows: an entry that did not
/// change can go to the next file as it is.
pub(crate) fn read_items<K, V>(bytes: &[u8]) -> Option<Items<'_, K, V>>
where
    K: DeserializeOwned + Send,
    V: DeserializeOwned + Send,
{
    let (chunks, after) = postcard::take_from_bytes::<Vec<&[u8]>>(bytes).ok()?;
    let parts = chunks
        .par_iter()
        .map(|chunk| {
            let (count, mut rest) = postcard::take_from_bytes::<usize>(chunk).ok()?;
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                let (item, next) = postcard::take_from_bytes::<(K, V)>(rest).ok()?;
                items.push((item, &rest[..rest.len() - next.len()]));
                rest = next;
            }
            rest.is_empty().then_some(items)
        })
        .collect::<Option<Vec<_>>>()?;
    Some((parts.into_iter().flatten().collect(), after))
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

    /// More entries than a chunk holds, and none: each reads back as it was, whether the
    /// map was serialized, written item by item, or written again from the bytes each
    /// item was read from.
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
            let entries: Vec<(&String, &(u64, Vec<String>))> = holder.map.iter().collect();
            let mut written = Vec::new();
            super::write_items(&entries, &mut written, |entry, bytes| {
                postcard::to_extend(entry, bytes)
            })
            .unwrap();
            assert_eq!(written, bytes, "written as serialized");
            let back: Holder = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, holder);

            let mut with_more = bytes.clone();
            with_more.extend_from_slice(b"after");
            let (items, after) =
                super::read_items::<String, (u64, Vec<String>)>(&with_more).unwrap();
            assert_eq!(after, b"after");
            let read: FastMap<String, (u64, Vec<String>)> =
                items.iter().map(|(item, _)| item.clone()).collect();
            assert_eq!(read, holder.map);
            let mut again = Vec::new();
            super::write_items(&items, &mut again, |(_, raw), mut bytes| {
                bytes.extend_from_slice(raw);
                Ok(bytes)
            })
            .unwrap();
            assert_eq!(again, bytes, "written again from the bytes read");
        }
    }
}
