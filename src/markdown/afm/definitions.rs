//! Lines that open with an inline marker and a colon, as Adobe's guides write settings:
//! `* [!UICONTROL Metric]: \`Inventory on hand\``. To CommonMark such a line is a link
//! reference definition: pulldown-cmark would take it out of the page, and make every
//! later `[!UICONTROL Metric]` a link to `` `Inventory on hand` ``. Experience League reads
//! the markers before the Markdown, so the line is text there.
//!
//! Before parsing, the `[` of such a line is swapped for [`PROTECTED`], one byte for one
//! (every offset of the source stays where it was, for positions in messages), which
//! opens no definition; [`restore`] puts the `[` back in the events, before the markers
//! are read.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event};

/// What stands for the `[` of a line that would be a definition: a control character,
/// which no Markdown syntax uses and no text needs.
const PROTECTED: u8 = 0x1a;

/// `body` with the `[` of each line that would be read as a definition of an inline
/// marker's label swapped for [`PROTECTED`]; borrowed if there is none, and then its
/// events need no [`restore`].
pub(crate) fn protect(body: &str) -> Cow<'_, str> {
    if !crate::text::has(body, "]:") || !crate::text::has(body, "[!") {
        return Cow::Borrowed(body);
    }
    let mut protected: Option<Vec<u8>> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if let Some(at) = marker_definition(line) {
            protected.get_or_insert_with(|| body.as_bytes().to_vec())[offset + at] = PROTECTED;
        }
        offset += line.len();
    }
    match protected.map(String::from_utf8) {
        // An ASCII byte took the place of another.
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(body),
    }
}

/// The event with each [`PROTECTED`] byte a `[` again.
pub(crate) fn restore(event: Event<'_>) -> Event<'_> {
    super::texts_mapped(event, back)
}

fn back(text: CowStr<'_>) -> CowStr<'_> {
    if text.contains(PROTECTED as char) {
        CowStr::from(text.replace(PROTECTED as char, "["))
    } else {
        text
    }
}

/// Where the `[` of `[!NAME …]:` is in `line`, if the line opens with it after its
/// indentation, blockquote `>` and list markers.
fn marker_definition(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => i += 1,
            b'*' | b'-' | b'+' if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => i += 1,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let marker = matches!(bytes.get(i + digits), Some(b'.' | b')'))
                    && matches!(bytes.get(i + digits + 1), Some(b' ' | b'\t'));
                if !marker {
                    return None;
                }
                i += digits + 1;
            }
            b'[' => break,
            _ => return None,
        }
    }
    let after = line[i..].strip_prefix("[!")?;
    let name = after.bytes().take_while(u8::is_ascii_uppercase).count();
    let close = after.find(']')?;
    (name > 0 && after[close + 1..].starts_with(':')).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_lines_that_look_like_definitions() {
        for (line, at) in [
            ("[!UICONTROL Metric]: `x`\n", Some(0)),
            ("  * [!UICONTROL Group by]:\n", Some(4)),
            ("> 1. [!DNL Commerce]: y\n", Some(5)),
            ("[label]: https://x.org\n", None),
            ("Text [!UICONTROL A]: b\n", None),
            (">[!NOTE]\n", None),
            ("* [!UICONTROL A] and b\n", None),
        ] {
            assert_eq!(marker_definition(line), at, "{line:?}");
        }
    }

    #[test]
    fn protected_text_keeps_its_offsets_and_comes_back() {
        let body = "* [!UICONTROL Metric]: `x`\n* [ref]: y\n";
        let protected = protect(body);
        assert_eq!(protected.len(), body.len());
        assert!(matches!(protected, Cow::Owned(_)));
        assert!(protected.starts_with("* \u{1a}!UICONTROL"));
        assert!(protected.ends_with("* [ref]: y\n"), "real definitions stay");
        let Event::Text(text) = restore(Event::Text(CowStr::from("\u{1a}!UICONTROL Metric]: ")))
        else {
            unreachable!()
        };
        assert_eq!(&*text, "[!UICONTROL Metric]: ");
        assert!(matches!(protect("No markers here.\n"), Cow::Borrowed(_)));
    }
}
