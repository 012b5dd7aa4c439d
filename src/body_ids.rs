//! The ids of a rendered body's HTML, read once per body: the links to `#anchors` of
//! other pages are checked and mended against them (see `anchors`), and `serve` keeps
//! them with the body it reuses, where every rebuild read each linked page's HTML again
//! (a seventh of a rebuild's CPU at 2,000 pages whose links name a template's section).

use crate::hash::hash_bytes;
use crate::markdown::escape_attr;
use crate::text::find;

/// The values of the `id` attributes of a rendered page (of its whole HTML, where
/// [`BodyIds`] are its body's).
pub(crate) type PageIds = std::sync::Arc<IdSet>;

/// A set of element ids as written in HTML, kept as their hashes, sorted: a build keeps
/// the ids of every page other pages link `#anchors` of, and holding each id's text took
/// about 1.5 kB per page (30 MB at 20,000 pages, against 8 bytes an id). Two ids of one
/// page hashing alike (one chance in about 10^18 for a page of a hundred ids) would only
/// let a link to the missing one go unreported.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IdSet(Box<[u64]>);

/// Written as its hashes' bytes, 8 a hash (little-endian), one run of bytes: a hash is
/// about as large as a `u64` gets, and written as a number each took postcard 10 bytes
/// and a loop a byte to read back (440,000 of them, 2% of a build's instructions after
/// one edit at 20,000 pages: the ids of the pages others link `#anchors` of, in the
/// build cache).
impl serde::Serialize for IdSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|h| h.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }
}

impl<'de> serde::Deserialize<'de> for IdSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IdSet, D::Error> {
        d.deserialize_bytes(IdBytes)
    }
}

/// Reads an [`IdSet`] back from its bytes.
struct IdBytes;

impl serde::de::Visitor<'_> for IdBytes {
    type Value = IdSet;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the bytes of hashes, 8 each")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<IdSet, E> {
        let hashes = bytes.chunks_exact(8);
        if !hashes.remainder().is_empty() {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        Ok(IdSet(
            hashes
                .map(|h| u64::from_le_bytes(h.try_into().unwrap_or_default()))
                .collect(),
        ))
    }
}

impl IdSet {
    /// Whether `id` (as written in the HTML) is in the set.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&hash_bytes(id.as_bytes())).is_ok()
    }
}

/// Each element id of a body (as written in its HTML) and its headings. The build cache
/// keeps them with the body, so that checking a link to a page's `#anchor` does not unpack
/// its HTML (see [`crate::site::Html`]).
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct BodyIds {
    ids: IdSet,
    pub headings: Vec<Heading>,
}

impl BodyIds {
    pub(crate) fn of(html: &str) -> BodyIds {
        BodyIds {
            ids: ids_in(html.as_bytes()),
            headings: headings_in(html),
        }
    }

    /// Whether the body has an element with this id.
    pub(crate) fn has(&self, id: &str) -> bool {
        if id.contains(['&', '"', '<', '>']) {
            self.ids.contains(&escape_attr(id))
        } else {
            self.ids.contains(id)
        }
    }
}

/// The ids of `html`'s elements (see [`id_values`]).
pub(crate) fn ids_in(html: &[u8]) -> IdSet {
    let mut ids: Vec<u64> = id_values(html).map(hash_bytes).collect();
    ids.sort_unstable();
    ids.dedup();
    IdSet(ids.into())
}

/// The value of each ` id="…"` attribute in `html` (not `data-id="…"`), as written.
pub(crate) fn id_values(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memmem::find_iter(html, b"id=\"")
        // ` id="`, not `data-id="`.
        .filter(|&at| at == 0 || html[at - 1].is_ascii_whitespace())
        .map(|at| {
            let value = &html[at + 4..];
            let end = memchr::memchr(b'"', value).unwrap_or(value.len());
            &value[..end]
        })
}

/// A heading of a rendered body.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    pub level: u8,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub id: String,
    /// Its id under Experience League's rule.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub adobe_id: String,
}

/// The headings of a rendered body that have an id, in order.
fn headings_in(html: &str) -> Vec<Heading> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"<h") {
        let Some(&digit) = bytes.get(at + 2) else {
            continue;
        };
        if !(b'1'..=b'6').contains(&digit) || !matches!(bytes.get(at + 3), Some(b' ' | b'>')) {
            continue;
        }
        let Some(tag_end) = memchr::memchr(b'>', &bytes[at..]).map(|e| at + e) else {
            continue;
        };
        let Some(id) = id_of(&html[at..tag_end]) else {
            continue;
        };
        // Each found without a searcher prepared for it (`memmem::find` set one up for
        // each heading: 0.4% of a first build's instructions at 2,000 pages).
        let close = [b'<', b'/', b'h', digit, b'>'];
        let inner_end = find(&bytes[tag_end..], &close).map_or(html.len(), |e| tag_end + e);
        let inner = &html[tag_end + 1..inner_end.max(tag_end + 1)];
        // The `#` link equipe adds after the heading's text is not part of it.
        let inner = find(inner.as_bytes(), b"<a class=\"anchor\"").map_or(inner, |e| &inner[..e]);
        out.push(Heading {
            level: digit - b'0',
            id: unescape(id),
            adobe_id: adobe_id(&unescape(&strip_tags(inner))),
        });
    }
    out
}

/// The value of ` id="…"` in a start tag. (Looked for as bytes: a text searcher made
/// for each heading, and the key put together, were 23% of reading a body's ids.)
fn id_of(tag: &str) -> Option<&str> {
    const KEY: &[u8] = b" id=\"";
    let start = memchr::memmem::find(tag.as_bytes(), KEY)? + KEY.len();
    let len = memchr::memchr(b'"', &tag.as_bytes()[start..])?;
    Some(&tag[start..start + len])
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The character references equipe's HTML writers use.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// A heading's id under Experience League's rule, GitHub's: lower case; letters, digits,
/// `-` and `_` kept; each space a `-`; everything else dropped.
pub(crate) fn adobe_id(text: &str) -> String {
    let text = text.trim();
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        // ASCII (most of a heading, in French too) without Unicode's tables.
        if c.is_ascii() {
            match c {
                ' ' => id.push('-'),
                c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => {
                    id.push(c.to_ascii_lowercase());
                }
                _ => {}
            }
            continue;
        }
        for c in c.to_lowercase() {
            if c.is_alphanumeric() {
                id.push(c);
            }
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_those_of_id_attributes_as_written() {
        let ids = BodyIds::of(
            "<h2 id=\"a-b\">A</h2><p data-id=\"no\">x</p><div\nid=\"q&quot;t\">y</div><p>id=\"text\"</p>",
        );
        assert!(ids.has("a-b"));
        assert!(
            ids.has("q\"t"),
            "an id with a quote, escaped as the writers escape it"
        );
        assert!(!ids.has("no"), "data-id is not an id");
        assert!(!ids.has("text"), "not an attribute");
        assert_eq!(ids.headings.len(), 1);
    }

    #[test]
    fn id_sets_read_back_from_their_bytes() {
        let ids = BodyIds::of("<h2 id=\"a\">A</h2><p id=\"b\">x</p><span id=\"c\"></span>");
        let bytes = postcard::to_allocvec(&ids).expect("serialized");
        let back: BodyIds = postcard::from_bytes(&bytes).expect("read back");
        assert_eq!(back, ids);
        assert!(back.has("b") && !back.has("d"));
        // Three hashes, their bytes after their length.
        let set = postcard::to_allocvec(&ids.ids).expect("serialized");
        assert_eq!(set.len(), 1 + 3 * 8);
        // A length that is not whole hashes is refused, not read as a shorter set.
        let torn = postcard::to_allocvec(&serde_bytes_of(&[1, 2, 3])).expect("serialized");
        assert!(postcard::from_bytes::<IdSet>(&torn).is_err());
    }

    /// Bytes as serde writes a byte string.
    fn serde_bytes_of(bytes: &[u8]) -> impl serde::Serialize + '_ {
        struct Bytes<'a>(&'a [u8]);
        impl serde::Serialize for Bytes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        Bytes(bytes)
    }

    #[test]
    fn experience_league_ids_are_githubs() {
        assert_eq!(
            adobe_id("Provision SSL/TLS certificates"),
            "provision-ssltls-certificates"
        );
        assert_eq!(adobe_id("CRON_CONSUMERS_RUNNER"), "cron_consumers_runner");
        assert_eq!(adobe_id("Étape 2 : l'accès"), "étape-2--laccès");
        // As the rule reads character by character, lower case first: Unicode's letters,
        // digits and lower cases that are more than one character.
        let by_the_rule = |text: &str| -> String {
            text.trim()
                .chars()
                .flat_map(char::to_lowercase)
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect()
        };
        for text in [
            " Déjà vu — ÇA_va-bien ? ",
            "İstanbul ΣΊΣΥΦΟΣ straße ǅ",
            "a\u{a0}b\tc ½ ² ٣ 中文",
            "Tab\u{301}le & <code>x</code>",
        ] {
            assert_eq!(adobe_id(text), by_the_rule(text), "{text}");
        }
    }

    #[test]
    fn headings_are_read_back_from_the_html() {
        let html = "<h2 id=\"a-b\">A &amp; <code>B_C</code> <a class=\"anchor\" href=\"#a-b\">#</a></h2>\n<p>x</p><h3 class=\"afm-tab-title\" id=\"tab-1\">Tab</h3><h4>no id</h4><hr>";
        assert_eq!(
            headings_in(html),
            vec![
                Heading {
                    level: 2,
                    id: "a-b".into(),
                    adobe_id: "a--b_c".into()
                },
                Heading {
                    level: 3,
                    id: "tab-1".into(),
                    adobe_id: "tab".into()
                }
            ]
        );
    }
}
