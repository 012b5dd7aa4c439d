//! What machine translation into French breaks in Markdown, put back before parsing.
//! French puts a space before `?`, `!`, `:` and `;` (a no-break space where it can), and
//! Adobe's French guides got them where Markdown does not take them:
//!
//! - after a link's destination: a sentence that ended with a link in English
//!   (`…[the article](https://…)?`) came out as `…[l’article](https://… ?)`. To
//!   CommonMark, a destination followed by a space and anything but a quoted title is no
//!   link: the reader saw the Markdown as written. The `)` goes back before the space;
//! - before the `**` that closes bold text: `**Here's why**` came out as
//!   `**Voici pourquoi : **`, and a `**` after a space closes nothing. The no-break space
//!   goes after the `**`.
//!
//! The bytes are only reordered (every offset of the source past a repair stays where it
//! was, for positions in messages); fenced code blocks and code spans are left as written.

use std::borrow::Cow;

/// `body` with the `)` of each such link moved back to the end of its destination, and
/// the no-break space before each such `**` after it; borrowed if there is none.
pub(crate) fn repair(body: &str) -> Cow<'_, str> {
    // Most bodies have neither: they are not read line by line (searches for a few
    // bytes, which run through a body many times faster).
    let links = ["?)", "!)", ":)", ";)"]
        .iter()
        .any(|end| memchr::memmem::find_iter(body.as_bytes(), end).any(|at| after_space(body, at)));
    let bold = memchr::memmem::find_iter(body.as_bytes(), "**")
        .any(|at| body[..at].ends_with(['\u{a0}', '\u{202f}']));
    if !links && !bold {
        return Cow::Borrowed(body);
    }
    let mut repaired: Option<Vec<u8>> = None;
    for (offset, line) in prose_lines(body) {
        if links {
            for (at, end, moved) in links_to_repair(line) {
                let bytes = repaired.get_or_insert_with(|| body.as_bytes().to_vec());
                // `<destination><space><mark>)` -> `<destination>)<space><mark>`, with
                // the attribute list after the `)` if there is one.
                bytes[offset + at..offset + end].rotate_right(moved);
            }
        }
        if bold {
            for (at, space) in bold_ends_to_repair(line) {
                let bytes = repaired.get_or_insert_with(|| body.as_bytes().to_vec());
                // `<no-break space>**` -> `**<no-break space>`.
                bytes[offset + at..offset + at + space + 2].rotate_left(space);
            }
        }
    }
    match repaired.map(String::from_utf8) {
        // Whole characters moved, none split.
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(body),
    }
}

/// The lines of `body` outside fenced code blocks, each with its offset: where the
/// repairs of the source before parsing look (code spans are each repair's to skip).
pub(crate) fn prose_lines(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    body.split_inclusive('\n').filter_map(move |line| {
        let at = offset;
        offset += line.len();
        let opening = line.trim_start();
        match fence {
            Some(marker) if opening.starts_with(marker) => fence = None,
            Some(_) => {}
            None if opening.starts_with("```") => fence = Some("```"),
            None if opening.starts_with("~~~") => fence = Some("~~~"),
            None => return Some((at, line)),
        }
        None
    })
}

/// Whether a space or a no-break space comes just before byte `at` of `text`.
fn after_space(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before.ends_with(' ') || before.ends_with('\u{a0}') || before.ends_with('\u{202f}')
}

/// In `line`, for each link to repair, where its space after the destination starts,
/// where its `)` (and the attribute list after it, if any) ends, and how many bytes that
/// `)` and list are.
fn links_to_repair(line: &str) -> Vec<(usize, usize, usize)> {
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
            let end = after + space.len() + 2;
            // The link's attribute list after its `)` goes back with it:
            // `(…?lang=fr ?){target=_blank}` -> `(…?lang=fr){target=_blank} ?`.
            let attrs = line[end..]
                .starts_with('{')
                .then(|| super::inline::parse_attrs(&line[end..]))
                .flatten()
                .map_or(0, |(_, len)| len);
            found.push((after, end + attrs, 1 + attrs));
        }
    }
    found
}

/// In `line`, each no-break space before a `**` that closes bold text (an odd number of
/// `**` before it, outside code spans, and after it the end of the line, a space or a
/// punctuation mark): where it is and its length.
fn bold_ends_to_repair(line: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut opened = false;
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'*' if !in_code && bytes.get(i + 1) == Some(&b'*') => {
                let space = ["\u{a0}", "\u{202f}"]
                    .into_iter()
                    .find(|s| line[..i].ends_with(s))
                    .map_or(0, str::len);
                let after = bytes.get(i + 2).copied();
                let closes =
                    after.is_none_or(|b| b.is_ascii_whitespace() || b.is_ascii_punctuation());
                if opened && space > 0 && closes {
                    found.push((i - space, space));
                }
                opened = !opened;
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
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
        // With its attribute list (Target's developer guide).
        assert_eq!(
            repair("[C](https://x.org/r?lang=fr ?){target=_blank} dans."),
            "[C](https://x.org/r?lang=fr){target=_blank} ? dans."
        );
    }

    #[test]
    fn the_no_break_space_goes_after_the_closing_bold_mark() {
        assert_eq!(
            repair("**Voici pourquoi\u{a0}:\u{a0}**\n"),
            "**Voici pourquoi\u{a0}:**\u{a0}\n"
        );
        assert_eq!(
            repair("**a\u{202f}!\u{202f}** b"),
            "**a\u{202f}!**\u{202f} b"
        );
        // An opening `**` after a no-break space, and code, stay as written.
        for text in [
            "**[!UICONTROL Data** >\u{a0}**&#x200B; X**",
            "`**a\u{a0}**`",
            "**a**\u{a0}**b**",
        ] {
            assert!(matches!(repair(text), Cow::Borrowed(_)), "{text}");
        }
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
