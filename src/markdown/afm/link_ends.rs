//! Links whose closing parenthesis machine translation moved past a punctuation mark:
//! French puts a space before `?`, `!`, `:` and `;`, and a sentence that ended with a
//! link in English (`…[the article](https://…)?`) came out as `…[l’article](https://… ?)`
//! in Adobe's French guides. To CommonMark, a destination followed by a space and
//! anything but a quoted title is no link: the reader saw the Markdown as written.
//!
//! Before parsing, such a link's `)` is moved back before the space and the mark, which
//! then follow the link as text. The bytes are only reordered (every offset of the
//! source past the link stays where it was, for positions in messages); fenced code
//! blocks and code spans are left as written.

use std::borrow::Cow;

/// `body` with the `)` of each such link moved back to the end of its destination;
/// borrowed if there is none.
pub(crate) fn repair(body: &str) -> Cow<'_, str> {
    if !body.contains("](") {
        return Cow::Borrowed(body);
    }
    let mut repaired: Option<Vec<u8>> = None;
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let opening = line.trim_start();
        match fence {
            Some(marker) if opening.starts_with(marker) => fence = None,
            Some(_) => {}
            None if opening.starts_with("```") => fence = Some("```"),
            None if opening.starts_with("~~~") => fence = Some("~~~"),
            None => {
                for (at, end) in links_to_repair(line) {
                    let bytes = repaired.get_or_insert_with(|| body.as_bytes().to_vec());
                    // `<destination><space><mark>)` -> `<destination>)<space><mark>`.
                    bytes[offset + at..offset + end].rotate_right(1);
                }
            }
        }
        offset += line.len();
    }
    match repaired.map(String::from_utf8) {
        // Whole characters moved, none split.
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(body),
    }
}

/// In `line`, for each link to repair, where its space after the destination starts and
/// where its `)` ends.
fn links_to_repair(line: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    for open in memchr::memmem::find_iter(bytes, "](") {
        // Inside a code span: after an odd number of backticks.
        if bytes[..open].iter().filter(|&&b| b == b'`').count() % 2 == 1 {
            continue;
        }
        let start = open + 2;
        let destination = line[start..]
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .unwrap_or(line.len() - start);
        if destination == 0 {
            continue;
        }
        let after = start + destination;
        let rest = &line[after..];
        let Some(space) = [" ", "\u{a0}", "\u{202f}"]
            .into_iter()
            .find(|s| rest.starts_with(s))
        else {
            continue;
        };
        let tail = &rest.as_bytes()[space.len()..];
        if tail.len() >= 2 && matches!(tail[0], b'?' | b'!' | b':' | b';') && tail[1] == b')' {
            found.push((after, after + space.len() + 2));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parenthesis_goes_back_before_the_mark() {
        assert_eq!(
            repair("Voir [l’article](https://x.org/a?lang=fr ?)\n"),
            "Voir [l’article](https://x.org/a?lang=fr) ?\n"
        );
        assert_eq!(
            repair("[a](/help/b.md\u{a0}!) et [c](d.md :)."),
            "[a](/help/b.md)\u{a0}! et [c](d.md) :."
        );
    }

    #[test]
    fn other_text_stays_as_written() {
        for text in [
            "[a](b.md \"title ?\")",
            "[a](b.md) ?",
            "[a]( ?)",
            "`[a](b ?)`",
            "```\n[a](b ?)\n```\n",
            "(see b ?)",
        ] {
            assert!(matches!(repair(text), Cow::Borrowed(_)), "{text}");
        }
        // After a fence closes, links are repaired again.
        assert_eq!(repair("~~~\nx\n~~~\n[a](b ?)"), "~~~\nx\n~~~\n[a](b) ?");
    }
}
