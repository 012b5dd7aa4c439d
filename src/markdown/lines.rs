//! Lines and columns of a text, for the positions diagnostics show.
//!
//! A page can have hundreds of links, each noted with its line and column: counting the
//! lines from the start of the text for each one made a long page's cost grow with the
//! square of its length. The starts of its lines are found once, when a position is first
//! asked for (most bodies never ask), and each position is then a binary search.

use std::cell::{Cell, OnceCell};

/// A text and, once asked for, where each of its lines starts.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: OnceCell<Vec<usize>>,
    /// The last offset [`Lines::line_col`] was asked for, and its column.
    last: Cell<Option<(usize, usize)>>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: OnceCell::new(),
            last: Cell::new(None),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts
            .get_or_init(|| crate::text::line_starts(self.text))
    }

    /// The line and column (from 1, the column in characters) of a byte offset; past the
    /// end, of the end.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.starts();
        let line = starts.partition_point(|&start| start <= offset);
        let start = starts[line - 1];
        // Counted on from the last position asked for when it is earlier on the same
        // line: links are asked for in order, and a line of 20,000 links counted its
        // characters from its start for each.
        let (from, column) = match self.last.get() {
            Some((at, column)) if at >= start && at <= offset => (at, column),
            _ => (start, 1),
        };
        let column = column + self.text[from..offset].chars().count();
        self.last.set(Some((offset, column)));
        (line, column)
    }

    /// The byte offset of a line and column (from 1, the column in characters), the
    /// inverse of [`Lines::line_col`]; past the end of a line or of the text, their end.
    pub(crate) fn offset(&self, line: usize, column: usize) -> usize {
        let start = self
            .starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        start
            + self.text[start..]
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the positions were before: counted from the start of the text each time.
    fn counted(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    #[test]
    fn positions_match_counting_and_invert() {
        for text in ["", "a", "a\n", "\n\n", "é\nàb\n\nxyz", "one\r\ntwo\nthré"] {
            let lines = Lines::new(text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let (line, column) = lines.line_col(offset);
                assert_eq!(
                    (line, column),
                    counted(text, offset),
                    "{text:?} at {offset}"
                );
                assert_eq!(lines.offset(line, column), offset, "{text:?} at {offset}");
            }
            assert_eq!(lines.line_col(text.len() + 5), counted(text, text.len()));
        }
        // Asked for in any order: counted on from the last one only when it is earlier
        // on the same line.
        let text = "héllo wörld\nsecond line é\n\nthird";
        let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let lines = Lines::new(text);
        for k in 0..400 {
            let offset = offsets[(k * 7919 + k * k) % offsets.len()];
            assert_eq!(lines.line_col(offset), counted(text, offset), "at {offset}");
        }
        assert_eq!(Lines::new("ab\ncd").offset(9, 1), 5);
        assert_eq!(
            Lines::new("ab\ncd").offset(1, 9),
            5,
            "columns past a line's end run on"
        );
    }
}
