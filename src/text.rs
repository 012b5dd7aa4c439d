//! Text as the tool reads it and writes it: a file's bytes as text, character references
//! decoded, text escaped for HTML.

use crate::diagnostics::Diagnostic;

/// Text of a content file: UTF-8 (a BOM is dropped), LF line endings. The bytes become
/// the text as they are (most files need neither change): a page's text was copied here,
/// once more into its page, and once more to be hashed.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = string_of(bytes).map_err(|bytes| not_utf8(&bytes))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    // `memchr`'s search, not `str`'s: this looks through every byte of every page.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(text)
}

/// The error for bytes that are not UTF-8, at the first byte that is not.
fn not_utf8(bytes: &[u8]) -> Diagnostic {
    let offset = str_of(bytes).err().map_or(0, |e| e.valid_up_to());
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let column = bytes[..offset]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .count()
        + 1;
    Diagnostic::error(format!(
        "the file is not valid UTF-8: invalid byte 0x{:02x} at byte offset {offset}",
        bytes[offset]
    ))
    .at(line, column)
    .with_help("save the file as UTF-8 (most editors have an \"encoding\" menu)")
}

/// Decodes HTML character references (`&#39;`, `&#x27;`, `&amp;`, `&trade;`...) in front
/// matter text: machine-translated corpora leave them there, and templates escape text
/// again, so left alone they would show as `&#39;`. A named one is any of HTML's, with its
/// `;` (as CommonMark reads them in the body); anything else stays as written.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        // The longest name, `&CounterClockwiseContourIntegral;`, has 31 characters.
        let decoded = rest[1..]
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| Some((reference(&rest[1..=end + 1])?, end + 2)));
        match decoded {
            Some((chars, len)) => {
                out.extend(chars);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The characters `name` (a reference without its `&`, with its `;`) stands for: one, or
/// two for a few named ones (`&NotEqualTilde;`).
fn reference(name: &str) -> Option<impl Iterator<Item = char>> {
    let number = name.strip_suffix(';')?.strip_prefix('#');
    let (first, second) = match number {
        Some(number) => {
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            // Digits alone: `from_str_radix` would take a sign too.
            if !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            let code = u32::from_str_radix(digits, radix).ok()?;
            (code, 0)
        }
        None => *markup5ever::data::NAMED_ENTITIES.get(name)?,
    };
    let first = char::from_u32(first).filter(|c| *c != '\0')?;
    Some(std::iter::once(first).chain(char::from_u32(second).filter(|c| *c != '\0')))
}

/// Bytes as UTF-8, checked with SIMD (simdutf8) and, for an error's position, by std's
/// `from_utf8`: std's check of the bodies read back from the build cache was 5% of the
/// CPU samples of a build after one edit at 20,000 pages, at about 2 GB/s; with simdutf8
/// that build takes about 5% less CPU (benches/README.md).
pub(crate) fn str_of(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    if bytes.len() < SIMD_FROM {
        return short_str_of(bytes);
    }
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// How long bytes must be for simdutf8 to check them with SIMD: shorter ones it gives to
/// std's check, which goes a byte at a time through text that is not ASCII.
const SIMD_FROM: usize = 64;

/// [`str_of`] for bytes shorter than [`SIMD_FROM`]: checked with SIMD as their copy padded
/// with zeros to that length. A zero byte is ASCII and never continues a character, so the
/// padded copy is UTF-8 exactly when the bytes are. (Read back from the build cache, the
/// short texts of pages in French, each with an accent or two, took std's check about
/// 240 instructions each: 2.5% of a build's instructions after a title edit at 20,000
/// pages.)
fn short_str_of(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    let mut padded = [0u8; SIMD_FROM];
    padded[..bytes.len()].copy_from_slice(bytes);
    match simdutf8::basic::from_utf8(&padded) {
        // SAFETY: the bytes are UTF-8, as their padded copy is (see above).
        Ok(_) => Ok(unsafe { std::str::from_utf8_unchecked(bytes) }),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Bytes as a `String` without a copy, checked as [`str_of`] does (the bytes given back
/// if they are not UTF-8).
pub(crate) fn string_of(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were just checked to be UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(_) => Err(bytes),
    }
}

/// A file name or path as text, as `OsStr::to_string_lossy` gives it: that reads every
/// name through std's UTF-8 chunker, a byte at a time, where `to_str`'s check takes most
/// names a word at a time (the names of 20,000 pages, three times each, were 1% of a
/// build's instructions after a title edit). Only a name that is not UTF-8 is made anew.
pub(crate) fn lossy<N: AsRef<std::ffi::OsStr> + ?Sized>(name: &N) -> std::borrow::Cow<'_, str> {
    let name = name.as_ref();
    name.to_str()
        .map_or_else(|| name.to_string_lossy(), std::borrow::Cow::Borrowed)
}

/// Whether `hay` contains `needle`, a few bytes: `str::contains` prepares a searcher at
/// each call, which cost more than the search in the Markdown stage's checks of each
/// paragraph and text for a marker (`+++`, `[!`), most of which have none of its first
/// byte.
pub(crate) fn has(hay: &str, needle: &str) -> bool {
    find(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// Where `needle`, a few bytes, first is in `hay`: at an occurrence of its first byte
/// (found with `memchr`) that it starts, without a searcher prepared for it (see
/// [`has`]; the closing tag of each heading of every body is looked for so).
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    memchr::memchr_iter(first, hay).find(|&at| hay[at + 1..].starts_with(rest))
}

/// `text` without every `suffix` it ends with, as `str::trim_end_matches(suffix)` gives it.
/// That call prepares a substring searcher each time, most of its cost for a short text:
/// 3% of the instructions of a build after one edit at 20,000 pages, which names each
/// page's address on the web and each role's related pages through it.
pub(crate) fn trim_end_all<'t>(text: &'t str, suffix: &str) -> &'t str {
    let mut text = text;
    while !suffix.is_empty()
        && let Some(shorter) = text.strip_suffix(suffix)
    {
        text = shorter;
    }
    text
}

/// Where each line of `text` starts (the first at 0; after a last `\n`, an empty line at
/// the end), its line ends found with `memchr`.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
        .collect()
}

/// The lines of `text`, each with its `\n` if it has one, as `str::split_inclusive('\n')`
/// gives them. Each line end found with `memchr`: `str`'s searcher, set up again for each
/// line, was 1% of a first build's instructions at 2,000 pages (each front matter read
/// line by line twice, to find its end and to parse it).
pub(crate) fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|at| at + 1)
        .chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.map_while(move |end| {
        let line = (start < end).then(|| &text[start..end]);
        start = end;
        line
    })
}

/// The lines of `text` as `str::lines` gives them (without their `\n` or `\r\n`), found
/// as [`lines_inclusive`] finds them.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    })
}

/// `s` escaped for HTML text and attribute values (and XML), as a string of its own.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `text` to `out`, escaped for HTML text and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    // Most labels and paths have nothing to escape: they are copied whole, after a check
    // without an early exit, which the compiler vectorizes (a search byte by byte for the
    // first sign was a fiftieth of a guide's build, for a sidebar of 300 links a page).
    let escapes = text.bytes().fold(false, |found, b| {
        found | matches!(b, b'&' | b'<' | b'>' | b'"')
    });
    if !escapes {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"'))
    {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {

    /// Short bytes are checked as std checks them, whatever their length and wherever a
    /// character is cut or an invalid byte is.
    #[test]
    fn short_bytes_are_utf8_as_std_says() {
        let texts = [
            "",
            "a",
            "é",
            "équipe",
            "L’équipe prévient",
            "日本語",
            "😀x",
            "x😀",
        ];
        for text in texts {
            for end in 0..=text.len() {
                let bytes = &text.as_bytes()[..end];
                assert_eq!(
                    str_of(bytes).ok(),
                    std::str::from_utf8(bytes).ok(),
                    "{bytes:?}"
                );
                for bad in [0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf5, 0xff] {
                    let mut changed = bytes.to_vec();
                    changed.push(bad);
                    changed.extend_from_slice(b"ab");
                    assert_eq!(
                        str_of(&changed).is_ok(),
                        std::str::from_utf8(&changed).is_ok(),
                        "{changed:?}"
                    );
                }
            }
        }
        let long = "é".repeat(40);
        assert_eq!(str_of(long.as_bytes()).ok(), Some(long.as_str()));
        assert_eq!(str_of(&long.as_bytes()[..63]).ok(), None);
    }

    use super::*;

    /// A BOM is dropped and line endings become `\n`, each alone and together; text
    /// with neither stays as it was read.
    #[test]
    fn decodes_boms_and_line_endings() {
        for (bytes, text) in [
            ("a\nb\n", "a\nb\n"),
            ("\u{feff}a\nb", "a\nb"),
            ("a\r\nb\rc", "a\nb\nc"),
            ("\u{feff}a\r\nb", "a\nb"),
            ("é\u{feff}", "é\u{feff}"),
            ("", ""),
        ] {
            assert_eq!(
                decode(bytes.as_bytes().to_vec()).unwrap(),
                text,
                "{bytes:?}"
            );
        }
        let e = decode(b"ab\ncd\xff".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
    }

    #[test]
    fn trims_each_suffix_as_str_does() {
        for text in [
            "",
            "a",
            "x.md",
            "x.md.md",
            ".md",
            "index.html",
            "a/index.html",
            "md",
        ] {
            for suffix in ["", ".md", "index.html", "x"] {
                assert_eq!(
                    trim_end_all(text, suffix),
                    text.trim_end_matches(suffix),
                    "{text:?} without {suffix:?}"
                );
            }
        }
    }

    /// As `str`'s own splits give them, for every text of up to four of a few pieces.
    #[test]
    fn lines_as_str_gives_them() {
        let pieces = ["\n", "\r", "a", "é", "\r\n", ""];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for text in &texts {
                let inclusive: Vec<&str> = lines_inclusive(text).collect();
                assert_eq!(
                    inclusive,
                    text.split_inclusive('\n').collect::<Vec<_>>(),
                    "{text:?}"
                );
                let lines: Vec<&str> = lines(text).collect();
                assert_eq!(lines, text.lines().collect::<Vec<_>>(), "{text:?}");
            }
        }
    }

    #[test]
    fn has_finds_what_contains_finds() {
        for hay in [
            "", "+", "++", "+++", "a++b+++", "++ +", "é+++é", "[!NOTE]", "[[!", "[ !",
        ] {
            for needle in ["", "+++", "[!", "](", ".md", "é"] {
                assert_eq!(has(hay, needle), hay.contains(needle), "{hay:?} {needle:?}");
            }
        }
    }
}
