//! JSON strings written by hand where the site's large JSON files are made: the search
//! index's entries and the checklists' data (`checklists.json`, its parts, the checklist
//! pages' scripts), megabytes at 2,000 pages. serde_json escapes a string a byte at a
//! time through a table: about 10 instructions a byte of those files, 3.5% of a first
//! build's instructions at 2,000 pages (callgrind). This writes what serde_json writes,
//! byte for byte, finding the bytes to escape 8 at a time.

use std::io::{self, Write};

/// Where JSON text goes: a `String` (a search entry) or a stream (a data file).
pub(crate) trait Out {
    /// Appends text that needs no escaping.
    fn text(&mut self, s: &str) -> io::Result<()>;
}

impl Out for String {
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.push_str(s);
        Ok(())
    }
}

/// A stream, as the data files are written (through a `BufWriter`).
pub(crate) struct Stream<'w, W: Write + ?Sized>(pub(crate) &'w mut W);

impl<W: Write + ?Sized> Out for Stream<'_, W> {
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.0.write_all(s.as_bytes())
    }
}

/// Writes `s` as a JSON string: quoted, `"` and `\` escaped, control bytes as `\n`, `\t`,
/// `\r`, `\b`, `\f` or `\u00xx`, as serde_json writes them; everything else as it is.
pub(crate) fn string(out: &mut impl Out, s: &str) -> io::Result<()> {
    out.text("\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        let at = next_escaped(bytes, start);
        // Each byte escaped is ASCII: the runs between them are whole characters.
        out.text(&s[start..at])?;
        let Some(&byte) = bytes.get(at) else { break };
        let hex;
        out.text(match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => {
                hex = format!("\\u{byte:04x}");
                &hex
            }
        })?;
        start = at + 1;
    }
    out.text("\"")
}

/// Writes a `"name":` of an object, `,` before it unless it is the first.
pub(crate) fn key(out: &mut impl Out, first: bool, name: &str) -> io::Result<()> {
    if !first {
        out.text(",")?;
    }
    string(out, name)?;
    out.text(":")
}

/// Writes a list, each item by `each`: `[a,b]`.
pub(crate) fn list<O: Out, T>(
    out: &mut O,
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut O, T) -> io::Result<()>,
) -> io::Result<()> {
    out.text("[")?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.text(",")?;
        }
        each(out, item)?;
    }
    out.text("]")
}

/// Writes a list of strings: `["a","b"]`.
pub(crate) fn strings<'s>(
    out: &mut impl Out,
    items: impl IntoIterator<Item = &'s str>,
) -> io::Result<()> {
    list(out, items, |out, item| string(out, item))
}

/// Where the first byte of `bytes` from `at` that a JSON string escapes is (`"`, `\` or
/// below 0x20), or its length. In a word of 8 bytes, `(x - k each) & !x & 0x80 each` sets
/// the high bit of each byte below `k`, and of `x ^ c each` each byte equal to `c` for
/// `k = 1`; a borrow may set bits above a byte found, never below: the lowest bit set of
/// the three is the first byte to escape.
fn next_escaped(bytes: &[u8], mut at: usize) -> usize {
    const EACH: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = EACH * 0x80;
    let below = |x: u64, k: u64| x.wrapping_sub(EACH * k) & !x & HIGH;
    while let Some(eight) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        let found = below(x, 0x20)
            | below(x ^ (EACH * u64::from(b'"')), 1)
            | below(x ^ (EACH * u64::from(b'\\')), 1);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| !is_escaped(b)) {
        at += 1;
    }
    at
}

fn is_escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut out = String::new();
        string(&mut out, s).unwrap();
        out
    }

    /// Every byte below 0x80 and multi-byte characters, at every place of 8-byte words,
    /// give what serde_json gives.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut pieces: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        pieces
            .extend(["é", "€", "𝄞", "\u{2028}", "\u{7f}", "ab", "\\\"", "x\ny"].map(String::from));
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..40 {
            for _ in 0..200 {
                let text: String = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        pieces[(seed % pieces.len() as u64) as usize].as_str()
                    })
                    .collect();
                assert_eq!(
                    json(&text),
                    serde_json::to_string(&text).unwrap(),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn keys_and_lists_are_serde_json_s() {
        let mut out = String::new();
        out.text("{").unwrap();
        key(&mut out, true, "a").unwrap();
        strings(&mut out, ["x", "y\"z"]).unwrap();
        key(&mut out, false, "b").unwrap();
        strings(&mut out, []).unwrap();
        out.text("}").unwrap();
        let value = serde_json::json!({"a": ["x", "y\"z"], "b": []});
        assert_eq!(out, serde_json::to_string(&value).unwrap());
    }
}
