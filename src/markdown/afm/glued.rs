//! Emphasis glued to a marker: `**[!UICONTROL All Dates]**displays`, `the**[!UICONTROL
//! Menu]** now`, `*[!DNL File.cfg]*s` (Adobe's Data Workbench has a dozen a language).
//! Adobe's renderer replaces markers by their words before it reads emphasis, so the
//! words are bold there. To CommonMark, a `**` between the marker's bracket and a letter
//! neither opens nor closes anything (a delimiter run after punctuation must be followed
//! by a space or punctuation to close), and the reader saw the asterisks. The delimiters
//! go inside the marker (`[!UICONTROL **All Dates**]displays`), where they open and
//! close: the same words, bold.
//!
//! The bytes are only reordered (every offset of the source outside a repair stays where
//! it was, for positions in messages); fenced code blocks and code spans are left as
//! written.

use std::borrow::Cow;

/// The markers whose words a reader sees as text.
const MARKERS: [&str; 2] = ["[!UICONTROL ", "[!DNL "];

/// `body` with the emphasis glued to each such marker moved inside it; borrowed if there
/// is none.
pub(crate) fn repair(body: &str) -> Cow<'_, str> {
    // Most bodies have markers after a delimiter (`**[!UICONTROL Save]**`), few glued
    // ones: the body is read line by line only if one may be.
    if glued_in(body, false).is_empty() {
        return Cow::Borrowed(body);
    }
    let mut repaired: Option<Vec<u8>> = None;
    for (offset, line) in super::translated::prose_lines(body) {
        for glued in glued_in(line, true) {
            let bytes = repaired.get_or_insert_with(|| body.as_bytes().to_vec());
            let (start, label, close, end) = (
                offset + glued.start,
                offset + glued.label,
                offset + glued.close,
                offset + glued.end,
            );
            // `**[!UICONTROL ` -> `[!UICONTROL **`, `]**` -> `**]`.
            bytes[start..label].rotate_left(glued.run);
            bytes[close..end].rotate_left(1);
        }
    }
    match repaired.map(String::from_utf8) {
        // ASCII bytes moved, no character split.
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(body),
    }
}

/// Where a marker's `[!` comes right after an emphasis delimiter in `bytes`: looked for
/// byte by byte (most bodies and lines have none, and a searcher made for each line cost
/// more than the search: 2% of a guide's build).
fn openings(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'[', bytes).filter(|&at| {
        at > 0 && matches!(bytes[at - 1], b'*' | b'_') && bytes.get(at + 1) == Some(&b'!')
    })
}

/// A marker with emphasis glued to it, in a line: where its opening delimiters start,
/// where its label starts, where its `]` is and where its closing delimiters end, and how
/// many delimiters there are on each side.
struct Glued {
    start: usize,
    label: usize,
    close: usize,
    end: usize,
    run: usize,
}

/// The glued markers of `line`; `skip_code` leaves out those in a code span (after an odd
/// number of backticks), which only a line can tell.
fn glued_in(line: &str, skip_code: bool) -> Vec<Glued> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    // The backticks before each opening, counted on from the last one's (counted from the
    // line's start at each, a line of 50,000 markers took 9 s).
    let (mut ticks, mut counted) = (0, 0);
    for at in openings(bytes) {
        let Some(marker) = MARKERS.iter().find(|m| line[at..].starts_with(*m)) else {
            continue;
        };
        if skip_code {
            ticks += memchr::memchr_iter(b'`', &bytes[counted..at]).count();
            counted = at;
            if ticks % 2 == 1 {
                continue;
            }
        }
        let delimiter = bytes[at - 1];
        let run = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == delimiter)
            .count();
        let label = at + marker.len();
        let Some(close) = line[label..].find([']', '[']).map(|c| label + c) else {
            continue;
        };
        if bytes[close] != b']' {
            continue;
        }
        let after = bytes[close + 1..]
            .iter()
            .take_while(|&&b| b == delimiter)
            .count();
        let start = at - run;
        let end = close + 1 + run;
        let word = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
        if run > 3
            || after != run
            || close == label
            || !(word(bytes[..start].last()) || word(bytes.get(end)))
        {
            continue;
        }
        found.push(Glued {
            start,
            label,
            close,
            end,
            run,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn emphasis_glued_to_a_marker_goes_inside_it() {
        for (written, repaired) in [
            (
                "Selecting **[!UICONTROL All Dates]**displays",
                "Selecting [!UICONTROL **All Dates**]displays",
            ),
            (
                "Open the**[!UICONTROL Menu]** now.",
                "Open the[!UICONTROL **Menu**] now.",
            ),
            ("*[!DNL File.cfg]*s", "[!DNL *File.cfg*]s"),
            // Not glued: CommonMark reads it already.
            (
                "Click **[!UICONTROL Save]** now.",
                "Click **[!UICONTROL Save]** now.",
            ),
            // Runs that differ, code, a fence: as written.
            ("a**[!DNL X]*b", "a**[!DNL X]*b"),
            ("`a**[!DNL X]**b`", "`a**[!DNL X]**b`"),
            ("```\na**[!DNL X]**b\n```\n", "```\na**[!DNL X]**b\n```\n"),
            // Code spans and markers on one line: each marker after an even number of
            // backticks is repaired.
            (
                "`x` a**[!DNL X]**b `c**[!DNL Y]**d` e**[!DNL Z]**f",
                "`x` a[!DNL **X**]b `c**[!DNL Y]**d` e[!DNL **Z**]f",
            ),
        ] {
            assert_eq!(repair(written), repaired, "{written}");
        }
    }
}
