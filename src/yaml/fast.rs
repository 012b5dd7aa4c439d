//! A fast path for the YAML that front matter is made of.
//!
//! serde-saphyr costs about 350,000 instructions for a 25-line front matter (its event
//! machinery, budgets and positions), two seconds of CPU for 20,000 pages. Real front matter
//! uses a small subset of YAML: a block mapping of keys to one-line scalars, flow lists of
//! scalars, block lists of scalars or of small mappings, nested mappings, comments. This
//! module reads that subset, and only that, in one linear pass.
//!
//! It never decides anything it is unsure of: on ANY construct outside the subset (anchors,
//! aliases, tags, block scalars, multi-line scalars, flow mappings, duplicate keys, tabs,
//! complex keys, document markers, odd indentation, scalars whose type it does not know for
//! certain) it returns `None`, and the caller parses the text with serde-saphyr, which gives
//! the value, or the error with its line and column. So its result, when it gives one, is
//! the one serde-saphyr gives into `serde_json::Value`; the tests check that over a corpus.
//! Plain scalars are typed as serde-saphyr types them by default: YAML 1.1 booleans
//! (`yes`, `Off`, `y`...), `null`/`~`/empty as null, decimal integers; every other spelling
//! that could be a number (floats, `0x`, `+1`, `007`, `1_000`, `.inf`...) is left to it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Texts longer than this go to serde-saphyr, whose budgets (events, nodes, scalar bytes)
/// then apply exactly as before; no real front matter comes near it.
const MAX_LEN: usize = 64 * 1024;

/// Nesting deeper than this goes to serde-saphyr (whose depth budget is 64).
const MAX_DEPTH: usize = 16;

/// The mapping `text` holds, when it is in the subset; `None` otherwise.
pub(crate) fn parse(text: &str) -> Option<BTreeMap<String, Value>> {
    if text.len() > MAX_LEN || !allowed_text(text) {
        return None;
    }
    let mut lines = Vec::new();
    for line in crate::text::lines(text) {
        if line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        let rest = line.trim_start_matches(' ');
        if rest.trim_end_matches(' ').is_empty() || rest.starts_with('#') {
            continue;
        }
        lines.push(Line {
            indent: line.len() - rest.len(),
            rest,
        });
    }
    if lines.first()?.indent != 0 {
        return None;
    }
    let mut parser = Parser {
        lines,
        pos: 0,
        depth: 0,
    };
    let map = parser.mapping(0)?;
    (parser.pos == parser.lines.len()).then(|| map.into_iter().collect())
}

/// Whether every character is one the fast path reads: printable, no tab, no carriage
/// return, no byte order mark, nothing that YAML 1.1 takes for a line break (U+0085,
/// U+2028, U+2029). Checked on the UTF-8 bytes, which is several times cheaper than
/// decoding characters.
fn allowed_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A fold without early exit, so that the compiler checks many bytes at once.
    let control = bytes.iter().fold(false, |bad, &b| {
        bad | ((b < b' ' && b != b'\n') | (b == 0x7F))
    });
    !control
        && memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).all(|i| match bytes[i] {
            // U+0080 to U+009F (C1 controls, NEL).
            0xC2 => bytes[i + 1] >= 0xA0,
            // U+2028, U+2029.
            0xE2 => !(bytes[i + 1] == 0x80 && matches!(bytes[i + 2], 0xA8 | 0xA9)),
            // U+FEFF, U+FFFE, U+FFFF.
            _ => !matches!(
                (bytes[i + 1], bytes[i + 2]),
                (0xBB, 0xBF) | (0xBF, 0xBE | 0xBF)
            ),
        })
}

/// Where a comment starts in `text` (a `#` after a space), or its length.
fn comment_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&i| i > 0 && bytes[i - 1] == b' ')
        .unwrap_or(text.len())
}

/// Whether `text` holds a `: ` (which would make a key of what is before it).
fn has_colon_space(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|i| bytes.get(i + 1) == Some(&b' '))
}

/// A line with content (blank and comment lines are dropped: they mean nothing here).
struct Line<'a> {
    indent: usize,
    /// The line after its indentation.
    rest: &'a str,
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// A block mapping whose keys stand at column `indent`, its keys in the order of the
    /// text (as serde-saphyr gives them to `serde_json::Map`).
    fn mapping(&mut self, indent: usize) -> Option<Map<String, Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut map = Map::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, after) = split_key(line.rest)?;
            if map.contains_key(&key) {
                return None;
            }
            self.pos += 1;
            let value = self.value_after_key(after, indent)?;
            map.insert(key, value);
        }
        self.depth -= 1;
        Some(map)
    }

    /// The value of a key of the mapping at `indent`: on the key's line, or below it.
    fn value_after_key(&mut self, after: &'a str, indent: usize) -> Option<Value> {
        let value = after.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            return self.nested(indent);
        }
        let value = inline_value(value)?;
        self.no_continuation(indent)?;
        Some(value)
    }

    /// What stands under a key with nothing after it: a block list (which may start at the
    /// key's own column), a mapping further right, or nothing (null).
    fn nested(&mut self, indent: usize) -> Option<Value> {
        let Some(line) = self.lines.get(self.pos) else {
            return Some(Value::Null);
        };
        if line.indent >= indent && is_dash(line.rest) {
            let indent = line.indent;
            return self.sequence(indent).map(Value::Array);
        }
        if line.indent > indent {
            let indent = line.indent;
            return self.mapping(indent).map(Value::Object);
        }
        Some(Value::Null)
    }

    /// A block list whose `-` stand at column `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Vec<Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent < indent || (line.indent == indent && !is_dash(line.rest)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after = &line.rest[1..];
            let item = after.trim_start_matches(' ');
            if item.is_empty() || item.starts_with('#') || is_dash(item) {
                return None;
            }
            if split_key(item).is_some() {
                // `- id: x` opens a mapping whose keys stand at the column of `id`.
                let column = indent + 1 + after.len() - item.len();
                self.lines[self.pos] = Line {
                    indent: column,
                    rest: item,
                };
                items.push(Value::Object(self.mapping(column)?));
            } else {
                self.pos += 1;
                items.push(inline_value(item)?);
                self.no_continuation(indent)?;
            }
        }
        self.depth -= 1;
        Some(items)
    }

    /// A value on one line is complete only if no line further right follows it (that would
    /// continue a multi-line scalar, or be an error).
    fn no_continuation(&self, indent: usize) -> Option<()> {
        match self.lines.get(self.pos) {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }
}

/// A `-` list entry indicator.
fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// `key: rest` with a plain key that serde-saphyr reads as that very string.
fn split_key(line: &str) -> Option<(String, &str)> {
    let first = line.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let colon = memchr::memchr(b':', line.as_bytes())?;
    let (key, after) = (&line[..colon], &line[colon + 1..]);
    if !(after.is_empty() || after.starts_with(' '))
        || key.ends_with(' ')
        // A match, not a search through a list of the indicators for each byte of each
        // key: that was a fifth of the front matter's parse (callgrind).
        || key.bytes().any(|b| {
            matches!(
                b,
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'&' | b'*' | b'!' | b'|'
                    | b'>' | b'%' | b'@' | b'`'
            )
        })
    {
        return None;
    }
    match plain_scalar(key)? {
        Value::String(key) => Some((key, after)),
        _ => None,
    }
}

/// A scalar or flow list that fills the rest of a line (up to a comment).
fn inline_value(text: &str) -> Option<Value> {
    let (value, tail) = match text.as_bytes()[0] {
        b'"' => double_quoted(&text[1..]).map(|(s, tail)| (Value::String(s), tail))?,
        b'\'' => single_quoted(&text[1..]).map(|(s, tail)| (Value::String(s), tail))?,
        b'[' => flow_sequence(&text[1..])?,
        _ => {
            // A plain scalar runs to the end of the line or to ` #`; a `: ` in it would
            // make it a key.
            let scalar = text[..comment_start(text)].trim_end_matches(' ');
            if !plain_start(scalar) || has_colon_space(scalar) || scalar.ends_with(':') {
                return None;
            }
            return plain_scalar(scalar);
        }
    };
    end_of_line(tail)?;
    Some(value)
}

/// What may follow a value on its line: spaces, then a comment.
fn end_of_line(tail: &str) -> Option<()> {
    let rest = tail.trim_start_matches(' ');
    (rest.is_empty() || (rest.starts_with('#') && rest.len() < tail.len())).then_some(())
}

/// Whether a plain scalar may start this way (not with an indicator).
fn plain_start(scalar: &str) -> bool {
    let mut chars = scalar.chars();
    match chars.next() {
        None => false,
        Some('-') => chars.next().is_some_and(|c| c != ' '),
        Some(c) => !matches!(
            c,
            '?' | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        ),
    }
}

/// A `"..."` scalar on one line, with YAML's escapes, and the text after it.
fn double_quoted(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let at = memchr::memchr2(b'"', b'\\', rest.as_bytes())?;
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'"' {
            return Some((out, &rest[at + 1..]));
        }
        let mut chars = rest[at + 1..].chars();
        let e = chars.next()?;
        let hex_digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if hex_digits > 0 {
            let mut code = 0u32;
            for _ in 0..hex_digits {
                code = code * 16 + chars.next()?.to_digit(16)?;
            }
            out.push(char::from_u32(code)?);
        } else {
            out.push(match e {
                '0' => '\0',
                'a' => '\u{7}',
                'b' => '\u{8}',
                't' => '\t',
                'n' => '\n',
                'v' => '\u{B}',
                'f' => '\u{C}',
                'r' => '\r',
                'e' => '\u{1B}',
                ' ' | '"' | '/' | '\\' => e,
                'N' => '\u{85}',
                '_' => '\u{A0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                _ => return None,
            });
        }
        rest = chars.as_str();
    }
}

/// A `'...'` scalar on one line (`''` is a quote), and the text after it.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let end = memchr::memchr(b'\'', rest.as_bytes())?;
        out.push_str(&rest[..end]);
        if rest[end + 1..].starts_with('\'') {
            out.push('\'');
            rest = &rest[end + 2..];
        } else {
            return Some((out, &rest[end + 1..]));
        }
    }
}

/// A `[a, "b"]` list of scalars on one line (after its `[`), and the text after it.
fn flow_sequence(text: &str) -> Option<(Value, &str)> {
    let mut items = Vec::new();
    let mut rest = text.trim_start_matches(' ');
    if let Some(tail) = rest.strip_prefix(']') {
        return Some((Value::Array(items), tail));
    }
    loop {
        let (item, after) = match rest.as_bytes().first()? {
            b'"' => double_quoted(&rest[1..]).map(|(s, tail)| (Value::String(s), tail))?,
            b'\'' => single_quoted(&rest[1..]).map(|(s, tail)| (Value::String(s), tail))?,
            _ => {
                let end = memchr::memchr2(b',', b']', rest.as_bytes())?;
                let scalar = rest[..end].trim_end_matches(' ');
                if !plain_start(scalar)
                    || scalar
                        .bytes()
                        .any(|b| matches!(b, b'#' | b':' | b'[' | b'{' | b'}'))
                {
                    return None;
                }
                (plain_scalar(scalar)?, &rest[end..])
            }
        };
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(tail) = after.strip_prefix(']') {
            return Some((Value::Array(items), tail));
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.starts_with(']') {
            return None;
        }
    }
}

/// A plain scalar typed as serde-saphyr types it into a `serde_json::Value` (null, YAML 1.1
/// boolean, decimal integer, text); `None` for any spelling that might be another number.
fn plain_scalar(s: &str) -> Option<Value> {
    if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    // The spellings of a boolean have at most 5 letters: longer scalars (most keys and
    // texts) are not compared with each of them.
    if s.len() <= 5 {
        for (spellings, b) in [
            (["true", "yes", "y", "on"], true),
            (["false", "no", "n", "off"], false),
        ] {
            if spellings.iter().any(|w| s.eq_ignore_ascii_case(w)) {
                return Some(Value::Bool(b));
            }
        }
    }
    let negative = s.starts_with('-');
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Some(Value::String(s.to_string()));
    }
    let decimal = unsigned.len() <= 18
        && unsigned.bytes().all(|b| b.is_ascii_digit())
        && (unsigned == "0" || !unsigned.starts_with('0'));
    if decimal && !s.starts_with('+') {
        let n: u64 = unsigned.parse().ok()?;
        return Some(if negative {
            Value::from(-(n as i64))
        } else {
            Value::from(n)
        });
    }
    if might_be_number(unsigned) {
        return None;
    }
    Some(Value::String(s.to_string()))
}

/// Whether `unsigned` (a scalar after its sign, starting with a digit or `.`) might be read
/// as a number: a radix prefix followed only by digits of that radix, or only characters
/// of decimal and exponent notation with a sign only after the exponent's `e`.
/// `226f19`, `0b0bc88c`, `0%`, `2024-01-01` cannot.
fn might_be_number(unsigned: &str) -> bool {
    let bytes = unsigned.as_bytes();
    if bytes[0] == b'.' {
        return true;
    }
    if bytes[0] == b'0'
        && let Some(&radix) = bytes.get(1)
        && b"xXoObB".contains(&radix)
    {
        return bytes[2..].iter().all(|&b| {
            b == b'_'
                || match radix {
                    b'x' | b'X' => b.is_ascii_hexdigit(),
                    b'o' | b'O' => (b'0'..=b'7').contains(&b),
                    _ => b == b'0' || b == b'1',
                }
        });
    }
    bytes.iter().enumerate().all(|(i, b)| match b {
        b'0'..=b'9' | b'.' | b'e' | b'E' | b'_' => true,
        b'+' | b'-' => i > 0 && matches!(bytes[i - 1], b'e' | b'E'),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Top = BTreeMap<String, Value>;

    /// What serde-saphyr gives for `text`, as the front matter parser asks it.
    fn saphyr(text: &str) -> Option<Top> {
        crate::yaml::from_str::<Top>(text, 1).ok()
    }

    /// Asserts that the fast path, when it answers, answers what serde-saphyr does; returns
    /// whether it answered.
    fn agrees(text: &str) -> bool {
        let Some(fast) = parse(text) else {
            return false;
        };
        assert_eq!(
            Some(fast),
            saphyr(text),
            "the fast path differs on:\n{text}"
        );
        true
    }

    /// A role page's front matter as `examples/gen_site.rs` writes it (the benchmark's).
    const BENCH_ROLE: &str = r#"title: "Rôle 0"
slug: role-fr-00000
description: "Échéance recette tôt risque budget commande fournisseur partage avant contenu paiement à documentation soigneusement."
weight: 0
responsibilities:
  - "Ensemble revue soigneusement budget documentation qualité échéance."
  - "Documentation retour promotion partage entrepôt décision contenu."
skills:
  - "Clairement promotion lancement."
  - "Et échéance pour."
works_with: [role-00008, role-00015, role-00022]
depends_on: [team-000, team-001]
onboarding:
  - id: role-00000-step-0
    text: "Doit avant décision partage vérifie soigneusement."
  - id: role-00000-step-1
    text: "Le décision qualité ensemble partage dans."
source-git-commit: 0123456789abcdef
ht-degree: 100
"#;

    /// The seed guide page's front matter (machine-translated documentation).
    const SEED: &str = "title: Équipes de projet
description: Créez l’équipe appropriée à votre projet de commerce électronique.
source-git-commit: 226f1925d9ca628c94b67a86888084a21cd7e336
workflow-type: tm+mt
source-wordcount: '404'
ht-degree: 0%

";

    #[test]
    fn the_benchmark_and_the_seed_take_the_fast_path() {
        assert!(agrees(BENCH_ROLE));
        assert!(agrees(SEED));
        let seed = parse(SEED).unwrap();
        assert_eq!(seed["ht-degree"], "0%");
        assert_eq!(seed["source-wordcount"], "404");
        let role = parse(BENCH_ROLE).unwrap();
        assert_eq!(role["ht-degree"], 100);
        assert_eq!(role["onboarding"][1]["id"], "role-00000-step-1");
        assert_eq!(role["works_with"][2], "role-00022");
    }

    #[test]
    fn every_front_matter_of_the_repository_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut files, mut fast) = (0, 0);
        for dir in ["content", "tests/fixtures", "tests/fuzz_inputs"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let bytes = std::fs::read(entry.path()).unwrap();
                let Ok(text) = std::str::from_utf8(&bytes) else {
                    continue;
                };
                let text = text.replace("\r\n", "\n");
                let Some(yaml) =
                    crate::content::front_matter_yaml(text.trim_start_matches('\u{FEFF}'))
                else {
                    continue;
                };
                files += 1;
                fast += usize::from(agrees(yaml));
            }
        }
        println!("{fast} of {files} front matters took the fast path");
        assert!(files > 10 && fast * 2 > files, "{fast} of {files}");
    }

    /// Plain scalars the fast path types itself (see the test below).
    const SURE: &[&str] = &[
        "true",
        "false",
        "True",
        "FALSE",
        "yes",
        "No",
        "NO",
        "y",
        "Y",
        "n",
        "on",
        "Off",
        "null",
        "Null",
        "NULL",
        "~",
        "0",
        "-0",
        "7",
        "42",
        "-17",
        "123456789012345678",
        "0%",
        "100%",
        "2024-01-01",
        "2024-01-01T10:00:00Z",
        "12:30",
        "1:30:00",
        "1st",
        "3D",
        "10k",
        "226f1925d9ca",
        "0123456789abcdef",
        "1-2",
        "1+2",
        "v1.2",
        "hello world",
        "Équipe",
        "a#b",
        "tm+mt",
        "http://example.org/a?b=c",
        "a:b",
        "inf",
        "-inf",
        "+inf",
        "nan",
        "NaN",
        "Infinity",
        "yes!",
        "nul",
        "~x",
        "a \"b\" c",
        "it's",
        "a, b",
        "a]b",
        "a}",
        "-x",
        "-1x",
        "+",
        "+x",
        "e",
        "E5",
        "_1",
        "<<",
        "=",
        "…",
        "1 2",
    ];

    /// Spellings the fast path leaves to serde-saphyr.
    const UNSURE: &[&str] = &[
        "007",
        "-007",
        "+1",
        "+0",
        "1_000",
        "1.5",
        "-1.5",
        ".5",
        "1e3",
        "1E3",
        "1.",
        "1.e3",
        ".inf",
        "-.inf",
        ".NaN",
        "+.nan",
        "0x1F",
        "0o17",
        "0b101",
        "0X1F",
        "1234567890123456789",
        "99999999999999999999",
        "1e999",
        "1.2.3",
        "0.",
        "1__0",
        "0x",
    ];

    /// Each plain scalar, as a value, a flow item and a block item: the same as serde-saphyr,
    /// and the fast path taken exactly for the spellings it is sure of.
    #[test]
    fn plain_scalars_are_typed_as_serde_saphyr_types_them() {
        for (words, expect) in [(SURE, true), (UNSURE, false)] {
            for word in words {
                let value = format!("k: {word}\n");
                assert_eq!(agrees(&value), expect, "{value}");
                let block = format!("k:\n  - {word}\n");
                assert_eq!(agrees(&block), expect, "{block}");
                if !word.contains([',', ']', '}', '#', ':', '[', '{']) {
                    let flow = format!("k: [{word}]\n");
                    assert_eq!(agrees(&flow), expect, "{flow}");
                }
            }
        }
        assert_eq!(parse("k: yes\n").unwrap()["k"], true);
        assert_eq!(parse("k: -0\n").unwrap()["k"], 0);
        assert_eq!(parse("k:\n").unwrap()["k"], Value::Null);
        assert_eq!(parse("k: 2024-01-01\n").unwrap()["k"], "2024-01-01");
    }

    #[test]
    fn quoted_scalars_with_escapes_agree() {
        let sure = [
            r#""""#,
            "''",
            r#""a: b # c""#,
            "'a: b # c'",
            "'it''s'",
            r#""say \"hi\"""#,
            r#""\\ \/ \t \n \r \0 \a \b \v \f \e \  \N \_ \L \P""#,
            r#""\x41\u00e9\U0001F600""#,
            r#""007""#,
            "'true'",
            r#""null""#,
            "'~'",
            r#""a" # note"#,
            "'a'   ",
            r#""Rôle \u00E9""#,
            "\"'\"",
            "'\"'",
            r##""#hash""##,
        ];
        let unsure = [
            r#""open"#,
            "'open",
            r#""a" b"#,
            r##""a"#b"##,
            r#""\q""#,
            r#""\ud800""#,
            r#""\x4""#,
            "'a' b",
            r#""a\"#,
        ];
        for (words, expect) in [(&sure[..], true), (&unsure[..], false)] {
            for word in words {
                let value = format!("k: {word}\n");
                assert_eq!(agrees(&value), expect, "{value}");
                let block = format!("k:\n- {word}\n");
                assert_eq!(agrees(&block), expect, "{block}");
            }
        }
        assert_eq!(parse("k: 'it''s'\n").unwrap()["k"], "it's");
        assert_eq!(parse("k: \"\\x41\\u00e9\"\n").unwrap()["k"], "Aé");
    }

    /// Whole documents: the subset (fast path taken), and every construct outside it or
    /// wrong (left to serde-saphyr).
    #[test]
    fn documents_in_and_out_of_the_subset() {
        let sure = [
            "a: 1\nb: two\n",
            "# comment\na: 1 # trailing\n\n   # indented comment\nb:   spaced   \n",
            "a:\n  b: 1\n  c:\n    d: [x, 'y', \"z\"]\ne: f\n",
            "list:\n- a\n- b\nnext: 1\n",
            "list:\n  - a\n  -   b\nnext: 1\n",
            "list:\n  - id: x\n    text: y\n  - id: z\n    text: w\n    done: true\n",
            "list:\n-   id: x\n    text: y\n",
            "list:\n- k:\n  - a\n  - b\n- j: 2\n",
            "list:\n- k:\n- j\n",
            "a:\nb:\n",
            "a: # nothing\nb: ~\n",
            "a: []\nb: [ ]\nc: [ a , b ]\n",
            "a: [1, true, null, \"x\", 'y', -3]\n",
            "key with spaces: v\nkey-dash_under.dot: w\nÉtat: x\n",
            "a: b\n\n\n",
            "a: 'x' # c\nb: \"y\"   \n",
            "a:\n    b:\n        c: 1\n    d: 2\n",
            "a: -\u{2014}\n",
            "m:\n  - a\n  - b: 1\n    c: [d]\n",
            "a: \u{A0}x\u{A0}\nb: é ü 😀 \u{2027}\u{FFFD}\n",
        ];
        let unsure = [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: !custom x\n",
            "a: |\n  text\n",
            "a: >-\n  text\n",
            "a: one\n  two\n",
            "a: \"one\n  two\"\n",
            "a: 'one\n  two'\n",
            "a: {b: 1}\n",
            "a: 1\na: 2\n",
            "a:\n\tb: 1\n",
            "a: \tb\n",
            "? a\n: b\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            "%YAML 1.2\na: 1\n",
            "1: a\n",
            "true: a\n",
            "null: a\n",
            "\"a\": 1\n",
            "<<: {a: 1}\n",
            "  a: 1\n  b: 2\n",
            "a:\n  b: 1\n c: 2\n",
            "a:\n  b: 1\n   c: 2\n",
            "a: 1\n  b: 2\n",
            "- a\n- b\n",
            "just text\n",
            "a: b: c\n",
            "a: b:\n",
            "a:b\n",
            "a : b\n",
            "a: [b, [c]]\n",
            "a: [b,]\n",
            "a: [b, , c]\n",
            "a: [b\n  , c]\n",
            "a: [b # c\n]\n",
            "a: [b] c\n",
            "a: [b, {c: d}]\n",
            "a:\n  -\n  - b\n",
            "a:\n  - - b\n",
            "a:\n  - b\n    c\n",
            "a:\n  - id: x\n   text: y\n",
            "a:\n  - b\n   - c\n",
            "# only a comment\n",
            "a: 1\r\nb: 2\r\n",
            "\u{FEFF}a: 1\n",
            "a: x\u{85}y\n",
            "a: x\u{2028}y\n",
            "a: x\u{2029}y\n",
            "a: x\u{FEFF}\n",
            "a: x\u{FFFE}\n",
            "a: x\u{7F}\n",
            "a: x\u{1}\n",
            "a: x\u{9F}\n",
            "a: @b\n",
            "a: `b\n",
            "a: %b\n",
            "a: - b\n",
            "a: ? b\n",
            "a: :b\n",
            "a: ,b\n",
            "a: ]\n",
            "a: }\n",
            "a: *\n",
        ];
        for text in sure {
            assert!(agrees(text), "not taken:\n{text}");
        }
        for text in unsure {
            assert!(!agrees(text), "taken:\n{text}");
        }
        let deep: String = (0..40).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(!agrees(&deep));
        let long = format!("a: {}\n", "x".repeat(MAX_LEN));
        assert!(!agrees(&long));
    }

    /// Keys of the generated documents (see the test below).
    const GEN_KEYS: &[&str] = &[
        "title",
        "a",
        "b",
        "works_with",
        "ht-degree",
        "x y",
        "k1",
        "État",
        "id",
    ];

    /// What near misses insert into the generated documents.
    const GEN_NOISE: &[&str] = &[
        " ", "  ", "-", ":", "#", "'", "\"", "[", "]", ",", "\t", "\n", "&", "?",
    ];

    /// Values of the generated documents: the first 16 in the subset, the others not;
    /// three in four values are taken from the first 16.
    const GEN_SCALARS: &[&str] = &[
        "text",
        "Rôle 0",
        "\"quoted: yes\"",
        "'single ''q'''",
        "42",
        "-3",
        "yes",
        "No",
        "~",
        "null",
        "0%",
        "2024-01-01",
        "a # c",
        "http://x",
        "[a, b]",
        "[1, 'x', \"y\"]",
        "[]",
        "\"\\u00e9\\t\"",
        "a#b",
        "",
        "true",
        "007",
        "1.5",
        "0x10",
        "+1",
        ".inf",
        "-",
        "a: b",
        "&a x",
        "*a",
        "!t x",
        "|",
        "{a: 1}",
        "'open",
        "\"open",
    ];

    /// A deterministic generator of front matter from the subset, with near misses mixed in
    /// (stray indicators, shifted indentation, characters dropped or doubled): whatever the
    /// fast path answers is what serde-saphyr answers.
    #[test]
    fn generated_documents_agree() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (keys, scalars, noise) = (GEN_KEYS, GEN_SCALARS, GEN_NOISE);
        let (mut total, mut fast) = (0, 0);
        for _ in 0..1500 {
            let mut doc = String::new();
            for _ in 0..1 + next(5) {
                let key = keys[next(keys.len())];
                match next(4) {
                    0 => {
                        doc.push_str(&format!("{key}:\n"));
                        let indent = " ".repeat(next(3) * 2);
                        for _ in 0..1 + next(3) {
                            if next(3) == 0 {
                                let (k, v) = (
                                    keys[next(keys.len())],
                                    scalars[if next(4) == 0 {
                                        next(scalars.len())
                                    } else {
                                        next(16)
                                    }],
                                );
                                let (k2, v2) = (
                                    keys[next(keys.len())],
                                    scalars[if next(4) == 0 {
                                        next(scalars.len())
                                    } else {
                                        next(16)
                                    }],
                                );
                                doc.push_str(&format!(
                                    "{indent}- {k}: {v}\n{indent}  {k2}: {v2}\n"
                                ));
                            } else {
                                let v = scalars[if next(4) == 0 {
                                    next(scalars.len())
                                } else {
                                    next(16)
                                }];
                                doc.push_str(&format!("{indent}- {v}\n"));
                            }
                        }
                    }
                    1 => {
                        doc.push_str(&format!("{key}:\n"));
                        for _ in 0..1 + next(3) {
                            let (k, v) = (
                                keys[next(keys.len())],
                                scalars[if next(4) == 0 {
                                    next(scalars.len())
                                } else {
                                    next(16)
                                }],
                            );
                            doc.push_str(&format!("  {k}: {v}\n"));
                        }
                    }
                    _ => {
                        let v = scalars[if next(4) == 0 {
                            next(scalars.len())
                        } else {
                            next(16)
                        }];
                        doc.push_str(&format!("{key}: {v}\n"));
                    }
                }
                if next(8) == 0 {
                    doc.push_str(if next(2) == 0 { "\n" } else { "  # note\n" });
                }
            }
            if next(3) == 0 {
                // A near miss: one change somewhere.
                let mut at = next(doc.len() + 1);
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                match next(3) {
                    0 => doc.insert_str(at, noise[next(noise.len())]),
                    1 => {
                        if let Some(c) = doc[at..].chars().next() {
                            doc.replace_range(at..at + c.len_utf8(), "");
                        }
                    }
                    _ => {
                        if let Some(c) = doc[at..].chars().next() {
                            doc.insert(at, c);
                        }
                    }
                }
            }
            total += 1;
            fast += usize::from(agrees(&doc));
        }
        println!("{fast} of {total} generated documents took the fast path");
        assert!(fast * 5 > total, "{fast} of {total}");
    }
}
