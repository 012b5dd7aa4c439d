//! Emphasis delimiters inside an attribute list's values: `_[Guide](https://…){target="_blank"}_`
//! (Adobe's guides italicize a link that opens in a new tab). Experience League reads the
//! list before the emphasis; to CommonMark, the `_` of `_blank` closes the emphasis the
//! first `_` opened, and the reader saw `{target="` and the rest in italics.
//!
//! Before parsing, each `_` and `*` of a list right after a link, an image or a marker
//! (`){…}`, `]{…}`) and right before an emphasis delimiter is swapped for a control byte, one for one (every offset of the source
//! stays where it was, for positions in messages), which no emphasis reads; [`restore`]
//! puts them back in the events, before the lists are read.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, Tag};

/// What stands for a `_` and a `*` of an attribute list: control characters, which no
/// Markdown syntax uses and no text needs (see also `definitions::PROTECTED`).
const UNDERSCORE: u8 = 0x1c;
const ASTERISK: u8 = 0x1d;

/// `body` with the `_` and `*` of each attribute list after a link, an image or a
/// marker swapped (see the module); borrowed if there is none, and then its events need
/// no [`restore`].
pub(crate) fn protect(body: &str) -> Cow<'_, str> {
    // Most bodies have no list that emphasis closes: found at memory speed.
    if !crate::text::has(body, "}_") && !crate::text::has(body, "}*") {
        return Cow::Borrowed(body);
    }
    let bytes = body.as_bytes();
    let mut protected: Option<Vec<u8>> = None;
    for at in memchr::memchr_iter(b'{', bytes) {
        if at == 0 || !matches!(bytes[at - 1], b')' | b']') {
            continue;
        }
        // A list that emphasis closes right after, on its line, well formed or as its
        // author meant it. (Most lists hold a `_`, as `_blank`: copying their bodies for
        // them, and reading each list twice, cost 1.8% of a guide's build.)
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
        let closes = memchr::memchr(b'}', &bytes[at..line_end])
            .is_some_and(|n| matches!(bytes.get(at + n + 1), Some(b'_' | b'*')));
        if !closes {
            continue;
        }
        let Some((_, len)) = super::inline::parse_attrs(&body[at..line_end]) else {
            continue;
        };
        for i in at..at + len {
            let swapped = match bytes[i] {
                b'_' => UNDERSCORE,
                b'*' => ASTERISK,
                _ => continue,
            };
            protected.get_or_insert_with(|| bytes.to_vec())[i] = swapped;
        }
    }
    match protected.map(String::from_utf8) {
        // ASCII bytes took the place of others.
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(body),
    }
}

/// The event with each swapped byte as it was written.
pub(crate) fn restore(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: back(dest_url),
            title: back(title),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: back(dest_url),
            title: back(title),
            id,
        }),
        other => super::texts_mapped(other, back),
    }
}

fn back(text: CowStr<'_>) -> CowStr<'_> {
    if text.bytes().any(|b| b == UNDERSCORE || b == ASTERISK) {
        CowStr::from(
            text.replace(UNDERSCORE as char, "_")
                .replace(ASTERISK as char, "*"),
        )
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_values_of_a_list_after_a_link_image_or_marker_are_swapped() {
        let body =
            "_[Guide](https://x.org/a_b){target=\"_blank\"}_ and {not_this} `){c=\"_d\"}_`\n";
        let protected = protect(body);
        assert_eq!(protected.len(), body.len());
        assert_eq!(
            protected,
            "_[Guide](https://x.org/a_b){target=\"\u{1c}blank\"}_ and {not_this} `){c=\"\u{1c}d\"}_`\n"
        );
        assert!(matches!(
            protect("_a_ {b=\"_c\"} [x](y) {z} [a](b){target=\"_blank\"} _c_"),
            Cow::Borrowed(_)
        ));
        let restored = restore(Event::Text(CowStr::from("{target=\"\u{1c}blank\"}")));
        assert_eq!(restored, Event::Text(CowStr::from("{target=\"_blank\"}")));
    }
}
