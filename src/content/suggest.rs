//! "Did you mean ...?": the nearest known name to a misspelt one.
//!
//! Authors misspell front matter keys (`weigth`), role and team keys in `works_with` and
//! `depends_on` (`lead-developper`) and file names in links. One edit distance serves all
//! of them, so that every message suggests by the same rule.

/// The candidate nearest to `name`, if it is near enough to be a likely typo: at most one
/// edit per three characters of the candidate (at least one), case and `_`/`-` ignored.
/// Ties go to the first candidate in sorted order, so the answer is stable.
///
/// Most candidates are far: they are set aside by a bound on the distance (the lengths',
/// then the letters' difference) before it is computed, and a distance stops once it is
/// out of reach. Every broken link of a site is compared with every page of its folder
/// (6,000 links broken by a folder renamed, 2,000 pages: 6.9 s, where the build takes
/// 0.1 s).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = normal(name);
    let letters = Letters::of(&wanted);
    let mut candidate = Vec::new();
    let mut rows = Rows::default();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .filter_map(|c| {
            let reach = (c.chars().count() / 3).max(1);
            normal_into(c, &mut candidate);
            if wanted.len().abs_diff(candidate.len()) > reach
                || letters.difference(&candidate) > reach
            {
                return None;
            }
            let d = rows.distance(&wanted, &candidate, reach)?;
            Some((d, c))
        })
        .min()
        .map(|(_, c)| c)
}

fn normalize(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

/// `name` as [`normalize`] makes it, as characters.
fn normal(name: &str) -> Vec<char> {
    let mut out = Vec::new();
    normal_into(name, &mut out);
    out
}

/// [`normal`] into `out` (its room reused): without a string made, for a name in ASCII.
fn normal_into(name: &str, out: &mut Vec<char>) {
    out.clear();
    if name.is_ascii() {
        out.extend(name.bytes().map(|b| match b {
            b'_' => '-',
            b => char::from(b.to_ascii_lowercase()),
        }));
    } else {
        out.extend(normalize(name).chars());
    }
}

/// How many of each ASCII character a name has: the letters two names do not share bound
/// their distance from below (an edit changes one letter, a swap none).
struct Letters {
    counts: [u32; 128],
    len: usize,
    /// Whether the name is ASCII (the bound is not used otherwise).
    ascii: bool,
}

impl Letters {
    fn of(name: &[char]) -> Letters {
        let mut letters = Letters {
            counts: [0; 128],
            len: name.len(),
            ascii: name.iter().all(char::is_ascii),
        };
        if letters.ascii {
            for &c in name {
                letters.counts[c as usize] += 1;
            }
        }
        letters
    }

    /// The larger of what each of the two names has that the other has not (0 when
    /// either is not ASCII): at most their distance.
    fn difference(&self, other: &[char]) -> usize {
        if !self.ascii || !other.iter().all(char::is_ascii) {
            return 0;
        }
        let mut counts = self.counts;
        let mut only_other = 0;
        for &c in other {
            match &mut counts[c as usize] {
                0 => only_other += 1,
                n => *n -= 1,
            }
        }
        let shared = other.len() - only_other;
        (self.len - shared).max(only_other)
    }
}

/// The rows of an edit distance's table, kept from one candidate to the next.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    last: Vec<usize>,
    row: Vec<usize>,
}

impl Rows {
    /// The distance of `a` and `b` (Levenshtein's, a swap of two neighbours counting as
    /// one edit), or `None` once it is sure to be over `reach`: no cell of two rows in a
    /// row is within it (a cell comes from the row above, or from two above by a swap).
    fn distance(&mut self, a: &[char], b: &[char], reach: usize) -> Option<usize> {
        // What both start and end with costs nothing (names of a folder share most of
        // theirs: `page-number-12`, `page-numbr-3`): the table is of the rest.
        let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[start..], &b[start..]);
        let end = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
        let Rows { before, last, row } = self;
        last.clear();
        last.extend(0..=b.len());
        let mut last_min = 0;
        for i in 1..=a.len() {
            row.clear();
            row.push(i);
            let mut row_min = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(before[j - 2] + 1);
                }
                row_min = row_min.min(d);
                row.push(d);
            }
            if row_min > reach && last_min > reach {
                return None;
            }
            last_min = row_min;
            std::mem::swap(before, last);
            std::mem::swap(last, row);
        }
        Some(last[b.len()]).filter(|&d| d <= reach)
    }
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    Rows::default()
        .distance(&a, &b, usize::MAX)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("weigth", "weight"), 1);
        assert_eq!(edit_distance("lead-developper", "lead-developer"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn nearest_candidate_within_reach() {
        let keys = ["developer", "lead-developer", "project-manager", "tester"];
        assert_eq!(closest("lead-developper", keys), Some("lead-developer"));
        assert_eq!(closest("Tester", keys), Some("tester"));
        assert_eq!(closest("project_manger", keys), Some("project-manager"));
        assert_eq!(closest("qa", keys), None);
        assert_eq!(closest("designer", keys), None);
    }

    /// The whole table, as the distance was first computed: the reference.
    fn full_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    /// The first answer's rule: every candidate measured whole.
    fn full_closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let wanted = normalize(name);
        candidates
            .iter()
            .filter(|c| **c != name)
            .map(|c| (full_distance(&wanted, &normalize(c)), *c))
            .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
            .min()
            .map(|(_, c)| c)
    }

    /// Names of a few letters that share much (as a folder's do), some not ASCII.
    fn names(seed: u64, n: usize) -> Vec<String> {
        let letters = ['a', 'b', 'c', '-', '_', 'A', 'é', '1', '2'];
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let len = (state >> 60) as usize;
                (0..len)
                    .map(|k| letters[((state >> (4 * k % 56)) % 9) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn distances_and_answers_are_the_whole_table_s() {
        let names = names(7, 400);
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut suggested = 0;
        for a in &names[..120] {
            for b in &names[..120] {
                assert_eq!(edit_distance(a, b), full_distance(a, b), "{a} / {b}");
            }
            let answer = closest(a, candidates.iter().copied());
            assert_eq!(answer, full_closest(a, &candidates), "{a}");
            suggested += usize::from(answer.is_some());
        }
        // Near names and far ones both.
        assert!((30..110).contains(&suggested), "{suggested}");
    }
}
