//! Front matter: the YAML block at the top of a content file, typed.
//!
//! Known keys are typed (a `weight: ten` is an error at its line); every other key is kept
//! in `extra` for templates, because real corpora carry metadata of their own
//! (`source-git-commit`, `ht-degree`...). A key that is one typo away from a known key
//! gets a "did you mean" warning instead of being silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::yaml::{self, YamlError};

/// The typed part of a front matter block.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub kind: Option<Kind>,
    pub translation_key: Option<String>,
    // Role.
    pub responsibilities: Vec<String>,
    pub skills: Vec<String>,
    pub works_with: Vec<String>,
    pub depends_on: Vec<String>,
    pub onboarding: Vec<ChecklistEntry>,
    // Team.
    pub risks: Vec<String>,
    pub contact: Option<String>,
    pub checklist: Vec<ChecklistEntry>,
}

pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "slug",
    "weight",
    "draft",
    "kind",
    "translation_key",
    "responsibilities",
    "skills",
    "works_with",
    "depends_on",
    "onboarding",
    "risks",
    "contact",
    "checklist",
];

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Home,
    Section,
    Role,
    Team,
    Page,
}

/// A checklist item as written: a string, or a map with an `id`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum ChecklistEntry {
    Text(Scalar),
    Full {
        #[serde(default)]
        id: Option<Scalar>,
        text: Scalar,
        #[serde(default)]
        done: bool,
    },
}

/// Text that YAML may have typed otherwise: `- 42`, or `- Y` (a YAML 1.1 boolean)
/// are checklist items too, kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A file split into its front matter and its body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the `---` lines.
    pub yaml: &'a str,
    /// Line of the file where the YAML starts (1-based).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line of the file where the body starts (1-based).
    pub body_line: usize,
}

/// Splits front matter from the body. `text` has LF line endings and no BOM.
/// A file without an opening `---` has an empty front matter.
pub fn split(text: &str) -> Result<Split<'_>, YamlError> {
    let Some(rest) = text.strip_prefix("---") else {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.trim_start_matches([' ', '\t']).strip_prefix('\n'))
    else {
        // `---` followed by text on the same line is a thematic break or text, not YAML.
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    for (line, raw_line) in (2..).zip(rest.split_inclusive('\n')) {
        let trimmed = raw_line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + raw_line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(YamlError {
        message: "the front matter opened here never closes: add a `---` line after it".into(),
        line: Some(1),
        column: Some(1),
    })
}

/// Front matter parsed: the typed keys, the others, and where each key stands.
#[derive(Debug, Default)]
pub struct Parsed {
    pub front: FrontMatter,
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Line of each top-level key, for messages.
    pub key_lines: BTreeMap<String, usize>,
}

pub fn parse(split: &Split<'_>) -> Result<Parsed, YamlError> {
    if split.yaml.trim().is_empty() {
        return Ok(Parsed::default());
    }
    // YAML is parsed once, into a map; the typed keys are read from that map. When they
    // do not fit (a wrong type, or a scalar YAML typed otherwise, like `title: 1984`), the
    // typed parse of the text decides, with the error's line and column.
    let mut all: BTreeMap<String, serde_json::Value> = yaml::from_str(split.yaml, split.yaml_line)?;
    let known: serde_json::Map<String, serde_json::Value> = KNOWN_KEYS
        .iter()
        .filter_map(|k| all.remove_entry(*k))
        .collect();
    let front = match FrontMatter::deserialize(&serde_json::Value::Object(known)) {
        Ok(front) => front,
        Err(_) => yaml::from_str(split.yaml, split.yaml_line)?,
    };
    let extra = all;
    Ok(Parsed {
        front,
        extra,
        key_lines: key_lines(split),
    })
}

/// Lines of top-level keys (`key:` at column 1).
fn key_lines(split: &Split<'_>) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (i, line) in split.yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            lines.entry(key.to_string()).or_insert(split.yaml_line + i);
        }
    }
    lines
}

/// The known key an unknown one was probably meant to be (`weigth` -> `weight`).
pub fn near_miss(key: &str) -> Option<&'static str> {
    let normalized = key.to_lowercase().replace('-', "_");
    KNOWN_KEYS
        .iter()
        .copied()
        .filter(|k| *k != key)
        .map(|k| (edit_distance(&normalized, k), k))
        .filter(|(d, k)| *d == 0 || (*d <= 2 && k.len() > 3 && *d < k.len() / 2))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
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
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Just a title\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "# Just a title\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let e = split("---\ntitle: A\n# Body\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn seed_keys_go_to_extra() {
        let text = "---\ntitle: Équipes\nsource-git-commit: 226f19\nht-degree: 0%\nworkflow-type: tm+mt\n---\n";
        let p = parse(&split(text).unwrap()).unwrap();
        assert_eq!(p.front.title.as_deref(), Some("Équipes"));
        assert_eq!(p.extra["ht-degree"], "0%");
        assert_eq!(p.key_lines["workflow-type"], 5);
    }

    #[test]
    fn scalars_typed_otherwise_by_yaml_still_fit_text_keys() {
        let p =
            parse(&split("---\ntitle: 1984\ncontact: yes\nht-degree: 0%\n---\n").unwrap()).unwrap();
        assert_eq!(p.front.title.as_deref(), Some("1984"));
        assert_eq!(p.front.contact.as_deref(), Some("yes"));
        assert_eq!(p.extra["ht-degree"], "0%");
        assert!(!p.extra.contains_key("title"));
    }

    #[test]
    fn wrong_type_error_is_at_the_file_line() {
        let e = parse(&split("---\ntitle: A\nweight: ten\n---\n").unwrap()).unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn checklist_entries_are_strings_or_maps() {
        let p =
            parse(&split("---\nchecklist:\n  - Tell them\n  - id: x\n    text: Y\n---\n").unwrap())
                .unwrap();
        assert_eq!(p.front.checklist.len(), 2);
    }

    #[test]
    fn near_misses() {
        assert_eq!(near_miss("weigth"), Some("weight"));
        assert_eq!(near_miss("titel"), Some("title"));
        assert_eq!(near_miss("works-with"), Some("works_with"));
        assert_eq!(near_miss("source-git-commit"), None);
        assert_eq!(near_miss("ht-degree"), None);
    }
}
