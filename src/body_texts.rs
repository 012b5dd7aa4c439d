//! The bodies' texts as the build cache keeps them (each page's HTML and search entry,
//! compressed on a large site), in a file of their own beside it (`.public.equipe-texts`)
//! that builds append to.
//!
//! They are most of the cache's bytes (68 of 110 MB at 20,000 pages), and a build after
//! one edit keeps nearly all of them: written with the rest of the cache, they were copied
//! whole into each new cache file. The cache now names each text by where it is in this
//! file, with its CRC-32, checked when the cache is read as the cache's own checksum
//! checks the rest of it; a build appends the texts it made and names the others where
//! they already are. The file is written anew, with the texts of the build alone, when it
//! has grown past twice the size of the texts the last cache named (texts of bodies no
//! longer kept, of builds that failed), or when there is none to append to.
//!
//! Trust: the file starts with the identity of the binary and settings that made it and
//! a number drawn when it was begun (its generation), which the cache names; a cache
//! whose texts file is missing, of another generation, shorter than the texts it names or
//! whose texts do not have their CRC is not used (the build is a full one). The file is
//! only ever appended to past the texts a cache names, or replaced by a rename, so a
//! build killed midway leaves the cache in use whole.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::PackedText;

/// Names the format of the texts' file.
const MAGIC: &[u8] = b"equipe texts 1\n";

/// The magic line, then the identity of the binary and settings, and the generation.
const HEADER: u64 = MAGIC.len() as u64 + 16;

/// Where a text is in the texts' file (from the end of its header), and its CRC-32.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TextAt {
    at: u64,
    len: u64,
    crc: u32,
}

/// A text as the build cache names it: compressed or not, and where it is.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredText {
    lz4: bool,
    at: TextAt,
}

/// A body's two texts as they are in one texts' file (see [`Texts::generation`]): a build
/// that appends to that file names them where they are rather than write them again.
#[derive(Clone, Copy)]
pub(crate) struct Kept {
    generation: u64,
    html: TextAt,
    entry: TextAt,
}

/// A texts' file, read (mapped) for the cache that names it.
pub(crate) struct Texts {
    bytes: bytes::Bytes,
    generation: u64,
}

/// What the cache in use says of its texts' file: for this build's texts to be appended to
/// it or not.
#[derive(Clone, Copy)]
pub(crate) struct InUse {
    generation: u64,
    /// The size of its texts.
    len: u64,
    /// The size of the texts the cache named.
    live: u64,
}

impl Texts {
    /// The texts' file at `file`, if it was made by `identity` and is of `generation`.
    pub(crate) fn open(file: &Path, identity: u64, generation: u64) -> Option<Texts> {
        use std::io::Read;
        let mut file = std::fs::File::open(file).ok()?;
        let mut header = [0; HEADER as usize];
        file.read_exact(&mut header).ok()?;
        let ids = header.strip_prefix(MAGIC)?;
        if ids[..8] != identity.to_le_bytes() || ids[8..] != generation.to_le_bytes() {
            return None;
        }
        let bytes = crate::mapped::contents(&mut file, header.len())?;
        Some(Texts { bytes, generation })
    }

    /// A body's two texts, slices of the file (`None` if the file does not hold them).
    pub(crate) fn get(
        &self,
        html: StoredText,
        entry: StoredText,
    ) -> Option<(PackedText, PackedText, Kept)> {
        let text = |s: StoredText| {
            let end = s.at.at.checked_add(s.at.len)?;
            let range = usize::try_from(s.at.at).ok()?..usize::try_from(end).ok()?;
            (range.end <= self.bytes.len())
                .then(|| PackedText::from_parts(s.lz4, self.bytes.slice(range)))
        };
        let kept = Kept {
            generation: self.generation,
            html: html.at,
            entry: entry.at,
        };
        Some((text(html)?, text(entry)?, kept))
    }

    /// Whether every text the cache named has its CRC-32 (checked on every core).
    pub(crate) fn sound(&self, named: &[Kept]) -> bool {
        named.par_iter().all(|k| {
            [k.html, k.entry].iter().all(|t| {
                // In range: `get` made the slices.
                let (at, len) = (t.at as usize, t.len as usize);
                crc32fast::hash(&self.bytes[at..at + len]) == t.crc
            })
        })
    }

    /// What a build appending to this file needs to know of it; `named`: the texts the
    /// cache named.
    pub(crate) fn in_use(&self, named: &[Kept]) -> InUse {
        InUse {
            generation: self.generation,
            len: self.bytes.len() as u64,
            live: named.iter().map(|k| k.html.len + k.entry.len).sum(),
        }
    }
}

/// Where a build writes its bodies' texts: the end of the last build's file, or a new
/// file put in its place when the build's cache is.
pub(crate) struct Appender {
    out: std::io::BufWriter<std::fs::File>,
    /// Where the next text goes.
    end: u64,
    generation: u64,
}

/// How a build writes its texts: appended to the file at `file`, or to a new one beside
/// it (`partial`), renamed over it once the build's cache is in place.
pub(crate) enum Begun {
    Appended(Appender),
    New(Appender, PathBuf),
}

/// Begins this build's texts beside the texts' file at `file`: appended to it if the
/// cache in use names it (`in_use`) and it is no more than twice the size of the texts
/// it names, else in a new file (`partial`). `None` if neither can be written.
pub(crate) fn begin(
    file: &Path,
    partial: PathBuf,
    identity: u64,
    in_use: Option<InUse>,
) -> Option<Begun> {
    let appends = in_use.filter(|r| r.live > 0 && r.len <= 2 * r.live);
    if let Some(last) = appends
        && let Ok(appended) = std::fs::OpenOptions::new().append(true).open(file)
        && let Ok(len) = appended.metadata().map(|m| m.len())
        && len >= HEADER + last.len
    {
        return Some(Begun::Appended(Appender {
            out: std::io::BufWriter::with_capacity(1 << 20, appended),
            end: len - HEADER,
            generation: last.generation,
        }));
    }
    let generation = new_generation(identity);
    let created = std::fs::File::create(&partial).and_then(|created| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, created);
        out.write_all(MAGIC)?;
        out.write_all(&identity.to_le_bytes())?;
        out.write_all(&generation.to_le_bytes())?;
        Ok(out)
    });
    match created {
        Ok(out) => Some(Begun::New(
            Appender {
                out,
                end: 0,
                generation,
            },
            partial,
        )),
        Err(_) => {
            let _ = std::fs::remove_file(&partial);
            None
        }
    }
}

/// A number no other texts' file beside this output is likely to have had.
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

    /// Names a body's two texts in this file: where `kept` says they are if it is this
    /// file, else appended.
    pub(crate) fn put(
        &mut self,
        html: &PackedText,
        entry: &PackedText,
        kept: Option<Kept>,
    ) -> std::io::Result<(StoredText, StoredText)> {
        let (html_at, entry_at) = match kept {
            Some(kept) if kept.generation == self.generation => (kept.html, kept.entry),
            _ => (self.append(html.bytes())?, self.append(entry.bytes())?),
        };
        Ok((
            StoredText {
                lz4: html.is_lz4(),
                at: html_at,
            },
            StoredText {
                lz4: entry.is_lz4(),
                at: entry_at,
            },
        ))
    }

    fn append(&mut self, bytes: &[u8]) -> std::io::Result<TextAt> {
        self.out.write_all(bytes)?;
        let at = TextAt {
            at: self.end,
            len: bytes.len() as u64,
            crc: crc32fast::hash(bytes),
        };
        self.end += at.len;
        Ok(at)
    }

    /// Writes what is buffered: the texts are on file before the cache naming them is.
    pub(crate) fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
