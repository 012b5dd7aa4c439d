//! Strings read back from the build cache, for `#[serde(deserialize_with = "…")]` on the
//! fields of what only the cache reads (parsed pages, bodies).
//!
//! serde reads a `String` as text, which postcard checks with std's UTF-8 check, byte by
//! byte for a short string: that was 8% of the instructions of a build after one title
//! edit at 20,000 pages (908,000 strings of a few words, most of them in the parsed
//! pages, read before anything else can start). Read as bytes (postcard writes a string
//! as its bytes), a string is checked as ASCII a word at a time, and as UTF-8 only when
//! it is not ASCII. A format that gives the value as text (JSON) is taken as it is.

use std::fmt;
use std::path::PathBuf;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Unexpected, Visitor};

/// A `String`.
pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_bytes(Text)
}

/// An `Option<String>`.
pub(crate) fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(OptionalText)
}

/// A `Vec<String>`.
pub(crate) fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_seq(Texts)
}

/// A `PathBuf` (which serde writes as text).
pub(crate) fn path<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    string(d).map(PathBuf::from)
}

/// The text of `bytes`, if they are UTF-8 (checked with SIMD, see
/// [`crate::text::str_of`]).
fn text_of(bytes: &[u8]) -> Option<String> {
    if bytes.is_ascii() {
        // SAFETY: ASCII bytes are UTF-8.
        Some(unsafe { String::from_utf8_unchecked(bytes.to_vec()) })
    } else {
        crate::text::str_of(bytes).ok().map(str::to_owned)
    }
}

struct Text;

impl<'de> Visitor<'de> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<String, E> {
        text_of(bytes).ok_or_else(|| E::invalid_value(Unexpected::Bytes(bytes), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<String, E> {
        Ok(text)
    }
}

impl<'de> DeserializeSeed<'de> for Text {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        string(d)
    }
}

struct OptionalText;

impl<'de> Visitor<'de> for OptionalText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or nothing")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        string(d).map(Some)
    }
}

struct Texts;

impl<'de> Visitor<'de> for Texts {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        // The length is the file's word: room for a few, not for what it claims.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(text) = seq.next_element_seed(Text)? {
            out.push(text);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Plain {
        a: String,
        b: Option<String>,
        c: Vec<String>,
        d: PathBuf,
        e: Option<String>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Fast {
        #[serde(deserialize_with = "string")]
        a: String,
        #[serde(deserialize_with = "option")]
        b: Option<String>,
        #[serde(deserialize_with = "strings")]
        c: Vec<String>,
        #[serde(deserialize_with = "path")]
        d: PathBuf,
        #[serde(deserialize_with = "option")]
        e: Option<String>,
    }

    fn plain_of(f: Fast) -> Plain {
        Plain {
            a: f.a,
            b: f.b,
            c: f.c,
            d: f.d,
            e: f.e,
        }
    }

    /// What serde writes reads back the same, from postcard (as bytes) and from JSON (as
    /// text), ASCII or not; bytes that are not UTF-8 are an error, as they were.
    #[test]
    fn strings_read_back_as_serde_wrote_them() {
        let value = Plain {
            a: "Chef de projet".into(),
            b: Some("Équipe : « entrepôt »".into()),
            c: vec![
                String::new(),
                "a".repeat(100),
                "é".repeat(40),
                "x\u{0}y".into(),
            ],
            d: PathBuf::from("content/rôles/a.fr.md"),
            e: None,
        };
        let bytes = postcard::to_stdvec(&value).unwrap();
        assert_eq!(
            plain_of(postcard::from_bytes::<Fast>(&bytes).unwrap()),
            value
        );
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            plain_of(serde_json::from_str::<Fast>(&json).unwrap()),
            value
        );
        // The first string's bytes, its second made a lone continuation byte.
        let mut bad = bytes.clone();
        bad[2] = 0x80;
        assert!(postcard::from_bytes::<Fast>(&bad).is_err());
        assert!(postcard::from_bytes::<Plain>(&bad).is_err());
    }
}
