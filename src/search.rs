//! The search index: one small script per language, built at build time.
//!
//! Shipped as `assets/search-<lang>.js` (a script, not JSON fetched at run time) so that
//! search also works when the site is opened from `file://`, where browsers refuse
//! `fetch`. Each entry holds what a reader may type: title, description, headings, the
//! text and the checklist items of a page. Accents are folded by the browser script, so
//! `equipe` finds `équipe`.

use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;

use crate::checklist_item::Checklist;
use crate::content::Kind;
use crate::files::OutputFile;
use crate::hash::{FastMap, FastSet, hash_all};
use crate::json;
use crate::markdown::Heading;
use crate::site::{Site, SitePage};

/// Output path of a language's index.
pub(crate) fn index_path(lang: &str) -> String {
    format!("assets/search-{lang}.js")
}

/// Whether a page has an entry: generated section lists only repeat other pages' titles,
/// and a page marked `hide: yes` (Adobe's guides: pages not yet announced) is not to be
/// found by search.
pub(crate) fn is_indexed(p: &SitePage) -> bool {
    !(p.page.is_hidden() || p.generated && p.page.kind == Kind::Section)
}

/// A page's entry, as JSON: made in parallel with its body (see [`crate::site::Body`]),
/// so that the index is only joined here.
pub(crate) fn entry(
    p: &SitePage,
    toc: &[Heading],
    plain: &str,
    checklist: Checklist<'_>,
) -> String {
    let page = &p.page;
    let items = items_of(p, checklist);
    entry_of(
        &page.title,
        &p.path,
        page.description.as_deref().unwrap_or(""),
        toc,
        plain,
        items.map(String::as_str),
    )
}

/// What a page's entry holds besides its body's text and headings: its title, URL and
/// description, its responsibilities, skills, risks and checklist items. A build after an
/// edit of its text alone (see `body_edit`) makes the entry again from it.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct EntryPage {
    title: String,
    url: String,
    description: String,
    items: Vec<String>,
}

impl EntryPage {
    pub(crate) fn of(p: &SitePage, checklist: Checklist<'_>) -> EntryPage {
        EntryPage {
            title: p.page.title.clone(),
            url: p.path.clone(),
            description: p.page.description.clone().unwrap_or_default(),
            items: items_of(p, checklist).cloned().collect(),
        }
    }

    /// The entry of the page with a body of these headings and text.
    pub(crate) fn entry(&self, toc: &[Heading], plain: &str) -> String {
        entry_of(
            &self.title,
            &self.url,
            &self.description,
            toc,
            plain,
            self.items.iter().map(String::as_str),
        )
    }
}

fn items_of<'a>(
    p: &'a SitePage,
    checklist: Checklist<'a>,
) -> impl Iterator<Item = &'a String> + Clone {
    let page = &p.page;
    page.responsibilities
        .iter()
        .chain(&page.skills)
        .chain(&page.risks)
        .chain(checklist.iter().map(|c| &c.text))
}

fn entry_of<'a>(
    title: &str,
    url: &str,
    description: &str,
    toc: &[Heading],
    plain: &'a str,
    items: impl Iterator<Item = &'a str> + Clone,
) -> String {
    let text = distinct_words(std::iter::once(plain).chain(items));
    let headings = toc
        .iter()
        .map(|h| h.text.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    // `t` title, `u` URL (relative to the site root), `d` description, `h` headings, `x`
    // text and checklist items, as the browser's script reads them.
    let mut entry = String::with_capacity(text.len() + headings.len() + 64);
    let fields = [
        ("t", title),
        ("u", url),
        ("d", description),
        ("h", &headings),
        ("x", &text),
    ];
    entry.push('{');
    for (i, (name, value)) in fields.into_iter().enumerate() {
        // Writing into a `String` does not fail.
        let _ = json::key(&mut entry, i == 0, name).and_then(|()| json::string(&mut entry, value));
    }
    entry.push('}');
    entry
}

/// The words of `texts`, each once, in the order they first come, separated by spaces.
/// The browser's search looks each word of a query (split at white space) up as a part of
/// this text, and ranks a page by which of its fields hold it, not by how often: a word of
/// the query is in the text if and only if it is in one of its words, so the same pages
/// are found in the same order. The index is then about 40% smaller on real guides, for
/// readers to load and for the build to write. Words are split at ASCII white space only
/// (fast, byte by byte): JavaScript's `\s` splits at more, so a query word never holds
/// any of it either.
fn distinct_words<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> String {
    let size: usize = texts.clone().map(str::len).sum();
    // About one word in eight bytes: room enough that the set seldom grows. A word of up
    // to 15 bytes (most of them) is looked up as one number rather than as text: hashing
    // and comparing each word as text was 4.9% of a first build's instructions at 2,000
    // pages (callgrind), a million words. One of up to 7 bytes (most of those) as a
    // 64-bit number: 128-bit ones took twice the instructions to make, hash and compare.
    let mut short: std::collections::HashSet<u64, BuildHasherDefault<Folded>> =
        std::collections::HashSet::with_capacity_and_hasher(size / 8, Default::default());
    let mut seen: std::collections::HashSet<u128, BuildHasherDefault<Folded>> =
        std::collections::HashSet::with_capacity_and_hasher(size / 32, Default::default());
    let mut long: FastSet<&str> = FastSet::default();
    // The short words last seen, one a slot, checked before the set: most words of a text
    // are words it had before (`the`, `of`, `project`), each then found by one comparison
    // rather than a look-up in the set (0.8% of a first build's instructions at 2,000
    // pages). No word's number is 0 (its length is in it), what every slot starts with.
    let mut recent = [0u64; 1 << RECENT_BITS];
    let mut out = String::with_capacity(size);
    for text in texts {
        let bytes = text.as_bytes();
        let mut at = 0;
        loop {
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            if at == bytes.len() {
                break;
            }
            let start = at;
            at = next_space(bytes, at);
            // Split at ASCII bytes: on characters' boundaries. Sliced only where it is
            // kept (a new word, a long one): most words were seen before.
            let word = || &text[start..at];
            let new = if let Some(number) = short_word(bytes, start, at) {
                // Fibonacci hashing: the top bits of one multiplication pick the slot.
                let slot =
                    (number.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - RECENT_BITS)) as usize;
                if recent[slot] == number {
                    false
                } else {
                    recent[slot] = number;
                    short.insert(number)
                }
            } else if let Some(number) = mid_word(bytes, start, at) {
                seen.insert(number)
            } else {
                long.insert(word())
            };
            if new {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word());
            }
        }
    }
    out.shrink_to_fit();
    out
}

/// How many bits pick a slot of [`distinct_words`]'s short words last seen (2 KiB of them).
const RECENT_BITS: u32 = 8;

/// Where the first ASCII white space byte of `bytes` from `at` is (its length if there is
/// none), looked for 8 bytes at a time: byte by byte, finding the words of every page's
/// text was about 5% of a first build's instructions (2,000 pages, callgrind). In a word
/// read as a number, `(x - 0x21 each) & !x & 0x80 each` sets the high bit of each byte
/// below 0x21 (and maybe of bytes above such a byte, where the subtraction borrowed): the
/// lowest one set is the first byte below 0x21, which is white space or another control
/// byte, checked on its own.
fn next_space(bytes: &[u8], mut at: usize) -> usize {
    const EACH: u64 = u64::from_le_bytes([1; 8]);
    while let Some(eight) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        let below = word.wrapping_sub(EACH * 0x21) & !word & (EACH * 0x80);
        if below == 0 {
            at += 8;
            continue;
        }
        let first = at + (below.trailing_zeros() / 8) as usize;
        if bytes[first].is_ascii_whitespace() {
            return first;
        }
        at = first + 1;
    }
    while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The word at `start..end` of `bytes` (not empty) as one number, if it has at most 7
/// bytes: its bytes, then zeros, and its length in the last byte (so that two words have
/// the same number only if they are the same). Read as the 8 bytes from its start where
/// the text has them, the bytes after the word masked off: copying the word into a buffer
/// and reading it back as a number stalled on every word (the load waits for the copy's
/// stores).
fn short_word(bytes: &[u8], start: usize, end: usize) -> Option<u64> {
    let len = end - start;
    if len > 7 {
        return None;
    }
    let mask = u64::MAX >> (64 - 8 * len);
    let packed = match bytes.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().ok()?) & mask,
        None => {
            let mut packed = [0u8; 8];
            packed[..len].copy_from_slice(&bytes[start..end]);
            u64::from_le_bytes(packed)
        }
    };
    Some(packed | (len as u64) << 56)
}

/// The word at `start..end` of `bytes` as one number, if it has 8 to 15 bytes: as
/// [`short_word`] makes one, in 16 bytes.
fn mid_word(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 15 {
        return None;
    }
    let packed = match bytes.get(start..start + 16) {
        Some(sixteen) => u128::from_le_bytes(sixteen.try_into().ok()?) & ((1 << (8 * len)) - 1),
        None => {
            let mut packed = [0u8; 16];
            packed[..len].copy_from_slice(&bytes[start..end]);
            u128::from_le_bytes(packed)
        }
    };
    Some(packed | (len as u128) << 120)
}

/// Hashes a word's number (see [`short_word`], [`mid_word`]) by one multiplication (of
/// its halves, for 16 bytes): a word is text of a page that its author wrote, hashed
/// where aHash's general mixing was most of the cost of the words' set.
#[derive(Default)]
struct Folded(u64);

impl Hasher for Folded {
    /// What the trait asks for; the sets hash their numbers by [`Hasher::write_u64`] and
    /// [`Hasher::write_u128`].
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u128(u128::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let product = u128::from(n ^ 0x243f_6a88_85a3_08d3 ^ self.0) * 0x1319_8a2e_0370_7344;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn write_u128(&mut self, n: u128) {
        // The folded multiply of aHash's fallback and of foldhash: the high bits, which
        // the table's tags take, and the low bits, which pick its bucket, both mixed.
        let product = u128::from((n as u64) ^ 0x243f_6a88_85a3_08d3 ^ self.0)
            * u128::from(((n >> 64) as u64) ^ 0x1319_8a2e_0370_7344);
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// What `serve` keeps of the search indexes from one rebuild to the next.
#[derive(Default)]
pub(crate) struct Cache {
    /// By path, with the key of their entries.
    indexes: FastMap<String, (u64, Bytes)>,
}

/// Every language's index, as output files, reusing from `cache` (by path) the indexes
/// whose entries are all the same.
pub(crate) fn indexes(site: &Site, mut cache: Option<&mut Cache>) -> Vec<OutputFile> {
    site.config
        .languages
        .iter()
        .map(|l| {
            let path = index_path(&l.code);
            let key = index_key(site, &l.code);
            let bytes = match cache.as_deref_mut() {
                None => index_js(site, &l.code).into(),
                Some(cache) => match cache.indexes.get(&path) {
                    Some((k, bytes)) if *k == key => bytes.clone(),
                    _ => {
                        let bytes = Bytes::from(index_js(site, &l.code));
                        cache.indexes.insert(path.clone(), (key, bytes.clone()));
                        bytes
                    }
                },
            };
            OutputFile { path, bytes }
        })
        .collect()
}

/// The key of a language's index: the same entries, in the same order, make the same
/// index. Keyed by its bodies rather than by what they hold, the index of a language
/// with one page edited was written again and compared with the previous one (30 ms at
/// 20,000 pages) when the edit had left that page's entry as it was.
pub(crate) fn index_key(site: &Site, lang: &str) -> u64 {
    hash_all(indexed(site, lang).map(|p| p.body.entry_key))
}

/// Lets go of a language's entries once its index is written. Only a one-off build does
/// this: its bodies are its own, whereas `serve` shares them with its cache.
pub(crate) fn release_entries(site: &mut Site, lang: &str) {
    for p in site.pages.iter_mut().filter(|p| p.lang() == lang) {
        if let Some(body) = Arc::get_mut(&mut p.body) {
            body.search_entry = crate::site::LazyText::default();
        }
    }
}

/// The pages of a language's index, in the site's order.
fn indexed<'a>(site: &'a Site, lang: &'a str) -> impl Iterator<Item = &'a SitePage> {
    site.pages
        .iter()
        .filter(move |p| p.lang() == lang && is_indexed(p))
}

/// The script for one language: `(window.EQUIPE_SEARCH ||= {})["fr"] = [...]`. The index
/// is a script file of its own (never inline in HTML), so its JSON needs no escaping
/// beyond JSON's.
pub(crate) fn index_js(site: &Site, lang: &str) -> Vec<u8> {
    let size = indexed(site, lang)
        .map(|p| p.body.search_entry.text().len() + 1)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size + 80);
    // Writing to memory cannot fail.
    let _ = write_index(site, lang, &mut out);
    out
}

/// Writes [`index_js`] to `out` as it goes: a build streams each index to its file
/// rather than hold it whole (45 to 51 MB a language at 20,000 pages).
pub(crate) fn write_index(site: &Site, lang: &str, out: &mut dyn Write) -> std::io::Result<()> {
    write!(
        out,
        "(window.EQUIPE_SEARCH = window.EQUIPE_SEARCH || {{}})[{}] = [",
        serde_json::to_string(lang).unwrap_or_default()
    )?;
    for (i, p) in indexed(site, lang).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        // Unpacked for the moment it is written (see `Body::search_entry`).
        out.write_all(p.body.search_entry.text().as_bytes())?;
    }
    out.write_all(b"];\n")
}

#[cfg(test)]
mod tests {
    use super::distinct_words;

    /// The words as `split_ascii_whitespace` finds them, each once, in order.
    fn plainly(texts: &[&str]) -> String {
        let mut seen = std::collections::HashSet::new();
        let words: Vec<&str> = texts
            .iter()
            .flat_map(|t| t.split_ascii_whitespace())
            .filter(|w| seen.insert(*w))
            .collect();
        words.join(" ")
    }

    #[test]
    fn words_are_split_at_ascii_white_space_only_wherever_it_falls() {
        // Each kind of ASCII white space, other bytes below 0x21, Unicode spaces and
        // multi-byte characters, at every place of an 8-byte word, in words shorter and
        // longer than 8 and 16 bytes.
        let pieces = [
            "a",
            "mot",
            "\t",
            "\n",
            "\r",
            "\x0c",
            " ",
            "\x0b",
            "\x01",
            "\x1f",
            "!",
            "é",
            "entrepôt",
            "\u{a0}",
            "\u{85}",
            "longerthansixteenbytes",
            "0123456",
            "~",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..seed % 40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(
                distinct_words([text.as_str()].into_iter()),
                plainly(&[&text]),
                "{text:?}"
            );
        }
    }

    /// More short words than the slots of the words last seen, each coming back after
    /// others took its slot, and right after itself.
    #[test]
    fn words_seen_long_before_are_still_seen() {
        let mut seed = 11u64;
        let mut text = String::new();
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let word = format!("w{} ", (seed >> 33) % 3000);
            text.push_str(&word);
            if seed.is_multiple_of(7) {
                text.push_str(&word);
            }
        }
        assert_eq!(
            distinct_words(std::iter::once(text.as_str())),
            plainly(&[&text])
        );
    }

    #[test]
    fn distinct_words_keep_every_word_once_in_order() {
        let text = distinct_words(
            [
                "Le  stock\tdu stock,\nle stock du entrepôt",
                "stock\u{a0}final\u{85}x",
            ]
            .into_iter(),
        );
        // Split at ASCII white space only.
        assert_eq!(
            text,
            "Le stock du stock, le entrepôt stock\u{a0}final\u{85}x"
        );
    }

    /// Words looked up as numbers (up to 7 bytes, up to 15) or as text (longer) are kept
    /// once each, as a set of the words as text keeps them: around the lengths where one
    /// becomes another, with bytes of zero, with characters of several bytes.
    #[test]
    fn short_and_long_words_alike() {
        let words = [
            "a",
            "a\0",
            "\0",
            "\0\0",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmno\0",
            "éééééééé",
            "ééééééé",
            "abcdefghijklmn",
            "abcdefg",
            "abcdefgh",
            "abcdefg\0",
            "abcdef\0",
            "\0\0\0\0\0\0\0",
            "\0\0\0\0\0\0\0\0",
            "ééé",
            "éééé",
        ];
        let text: String = words
            .iter()
            .chain(words.iter().rev())
            .chain(&words)
            .map(|w| format!("{w} "))
            .collect();
        let mut expected: Vec<&str> = Vec::new();
        for w in text.split_ascii_whitespace() {
            if !expected.contains(&w) {
                expected.push(w);
            }
        }
        assert_eq!(
            distinct_words(std::iter::once(text.as_str())),
            expected.join(" ")
        );
        assert_eq!(expected.len(), words.len());
    }

    /// The browser looks each query word (no white space in it) up as a part of the
    /// text: every part of the original text without white space is in the shorter one.
    #[test]
    fn every_part_without_white_space_is_still_found() {
        let original = "Expédier les commandes et les commandes expédiées: 1.2.58\n\
                        — voir l’entrepôt; l’entrepôt expédie l’entrepôt.";
        let short = distinct_words(std::iter::once(original));
        assert!(short.len() < original.len());
        let chars: Vec<char> = original.chars().collect();
        for start in 0..chars.len() {
            for end in start + 1..=chars.len() {
                let part: String = chars[start..end].iter().collect();
                if part.chars().any(char::is_whitespace) {
                    continue;
                }
                assert!(short.contains(&part), "{part:?} is lost");
            }
        }
        // And nothing that was not there: every word of the short text is in the original.
        for word in short.split(' ') {
            assert!(original.contains(word));
        }
    }
}
