//! "Did you mean ...?": the nearest known name to a misspelt one.
//!
//! Authors misspell front matter keys (`weigth`), role and team keys in `works_with` and
//! `depends_on` (`lead-developper`) and file names in links. One edit distance serves all
//! of them, so that every message suggests by the same rule.

/// The candidate nearest to `name`, if it is near enough to be a likely typo: at most one
/// edit per three characters of the candidate (at least one), case and `_`/`-` ignored.
/// Ties go to the first candidate in sorted order, so the answer is stable.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = normalize(name);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(&wanted, &normalize(c)), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn normalize(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
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
}
