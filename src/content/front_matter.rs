//! Front matter: the YAML block at the top of a content file, typed.
//!
//! Known keys are typed (a `weight: ten` is an error at its line); every other key is kept
//! in `extra` for templates, because real corpora carry metadata of their own
//! (`source-git-commit`, `ht-degree`...). A key that is one typo away from a known key
//! gets a "did you mean" warning instead of being silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::suggest::edit_distance;
use crate::yaml::{self, YamlError};

/// The typed part of a front matter block.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct FrontMatter {
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

pub(super) const KNOWN_KEYS: &[&str] = &[
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

impl Kind {
    /// Its name, as templates and the checklists' data see it (serde's, lowercase).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Section => "section",
            Kind::Role => "role",
            Kind::Team => "team",
            Kind::Page => "page",
        }
    }
}

/// A checklist item as written: a string, or a map with an `id`.
#[derive(Clone, Debug)]
pub(crate) enum ChecklistEntry {
    Text(Scalar),
    Full {
        id: Option<Scalar>,
        text: Scalar,
        done: bool,
    },
}

/// What a checklist item that is neither says.
const CHECKLIST_ENTRY: &str =
    "a checklist item is a text, or a map with a `text:` (and an `id:`, a `done:`)";

/// As serde's `untagged` would read it (a text, else a map with a `text`, an optional
/// `id` and `done`, other keys ignored; anything else the one error above), without
/// first copying each item into serde's buffer to try one form and then the other: that
/// copy was 0.7% of a first build's instructions at 2,000 pages (callgrind).
impl<'de> Deserialize<'de> for ChecklistEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ChecklistEntry, D::Error> {
        use serde::de::Error;
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ChecklistEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(CHECKLIST_ENTRY)
            }
            fn visit_str<E>(self, v: &str) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<ChecklistEntry, E> {
                Ok(ChecklistEntry::Text(Scalar(v.to_string())))
            }
            fn visit_unit<E: Error>(self) -> Result<ChecklistEntry, E> {
                Err(E::custom(CHECKLIST_ENTRY))
            }
            fn visit_none<E: Error>(self) -> Result<ChecklistEntry, E> {
                Err(E::custom(CHECKLIST_ENTRY))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                _: A,
            ) -> Result<ChecklistEntry, A::Error> {
                Err(A::Error::custom(CHECKLIST_ENTRY))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ChecklistEntry, A::Error> {
                let (mut id, mut text, mut done) = (None, None, false);
                let wrong = |_| A::Error::custom(CHECKLIST_ENTRY);
                while let Some(key) = map.next_key::<String>().map_err(wrong)? {
                    match key.as_str() {
                        "id" => id = map.next_value::<Option<Scalar>>().map_err(wrong)?,
                        "text" => text = Some(map.next_value::<Scalar>().map_err(wrong)?),
                        "done" => done = map.next_value::<bool>().map_err(wrong)?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>().map_err(wrong)?;
                        }
                    }
                }
                let text = text.ok_or_else(|| A::Error::custom(CHECKLIST_ENTRY))?;
                Ok(ChecklistEntry::Full { id, text, done })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Text that YAML may have typed otherwise: `- 42`, or `- Y` (a YAML 1.1 boolean)
/// are checklist items too, kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scalar(pub String);

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
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
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
pub(super) struct Split<'a> {
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
pub(super) fn split(text: &str) -> Result<Split<'_>, YamlError> {
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
    for (line, raw_line) in (2..).zip(crate::text::lines_inclusive(rest)) {
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
        help: None,
    })
}

/// Front matter parsed: the typed keys and the others.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub front: FrontMatter,
    pub extra: BTreeMap<String, serde_json::Value>,
}

pub(super) fn parse(split: &Split<'_>) -> Result<Parsed, YamlError> {
    if split.yaml.trim().is_empty() {
        return Ok(Parsed::default());
    }
    // YAML is parsed once, into a map; the typed keys are read from that map. When they
    // do not fit (a wrong type, or a scalar YAML typed otherwise, like `title: 1984`), the
    // typed parse of the text decides, with the error's line and column.
    let mut all: BTreeMap<String, serde_json::Value> =
        yaml::map_from_str(split.yaml, split.yaml_line).map_err(|e| indented_key_help(e, split))?;
    let draft_read = read_draft(&mut all);
    let known: serde_json::Map<String, serde_json::Value> = KNOWN_KEYS
        .iter()
        .filter(|k| **k != "draft" || draft_read)
        .filter_map(|k| all.remove_entry(*k))
        .collect();
    // Taken by value: its strings are moved into the typed front matter, not copied.
    let front = match FrontMatter::deserialize(serde_json::Value::Object(known)) {
        Ok(front) => front,
        Err(_) => yaml::from_str(split.yaml, split.yaml_line)?,
    };
    let extra = all;
    Ok(Parsed { front, extra })
}

/// `draft:` written as a word: `yes`, `no`, `on`, `off` (YAML 1.1's booleans, which
/// YAML 1.2 reads as text) are read as meant. Another word is no boolean: Adobe's
/// Workfront guide has `draft: Probably` on 330 pages it publishes. It stays in `extra`,
/// the page is published, and a warning says so (see `content::front_matter_warnings`).
/// Returns whether `draft` is left to the typed parse.
fn read_draft(all: &mut BTreeMap<String, serde_json::Value>) -> bool {
    let Some(serde_json::Value::String(word)) = all.get("draft") else {
        return true;
    };
    let Some(draft) = word_bool(word) else {
        return false;
    };
    all.insert("draft".into(), serde_json::Value::Bool(draft));
    true
}

/// A boolean written as a word, as YAML 1.1 reads it and front matter written for other
/// tools has it (`yes`, `no`, `on`, `off`, `true`, `false`, in any case).
pub(crate) fn word_bool(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "yes" | "on" | "true" => Some(true),
        "no" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// A YAML error on a line that holds a known key with spaces before it (` checklist:`):
/// the key was meant at the top level, so the help says exactly that.
fn indented_key_help(mut e: YamlError, split: &Split<'_>) -> YamlError {
    let line = e
        .line
        .and_then(|l| l.checked_sub(split.yaml_line))
        .and_then(|i| split.yaml.lines().nth(i));
    if let Some(line) = line {
        let trimmed = line.trim_start_matches(' ');
        let spaces = line.len() - trimmed.len();
        if let Some(key) = top_level_key(trimmed).filter(|k| spaces > 0 && KNOWN_KEYS.contains(k)) {
            e.help = Some(format!(
                "`{key}` is a front matter key: remove the {spaces} space(s) before it, so that it starts at column 1 like the other keys"
            ));
        }
    }
    e
}

/// The key of a top-level `key: value` line, if the line is one.
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(['"', '\'']))
}

/// The line of top-level key `key` (`key:` at column 1), for messages: found in the text
/// when a message needs it rather than kept with every page (a dozen small strings a
/// page, 7.5 MB at 20,000 pages).
pub(crate) fn key_line(split: &Split<'_>, key: &str) -> Option<usize> {
    split
        .yaml
        .lines()
        .position(|line| top_level_key(line) == Some(key))
        .map(|i| split.yaml_line + i)
}

/// Where the items of the top-level list `key` stand in the file: the line and column
/// (1-based, in characters) of each item's first character, inside its quotes if it has
/// them. Both styles are read: flow (`works_with: [a, "b"]`, over one line or several) and
/// block (one `- a` line per item). A message about one item then puts its caret on the
/// item rather than on the key. Empty when `key` is not a list written in either style.
pub(super) fn list_item_positions(split: &Split<'_>, key: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let Some(at) = lines.iter().position(|l| top_level_key(l) == Some(key)) else {
        return Vec::new();
    };
    let first_line = split.yaml_line + at;
    let after_colon: Vec<char> = lines[at]
        .split_once(':')
        .map_or("", |(_, rest)| rest)
        .chars()
        .collect();
    let key_width = lines[at].chars().count() - after_colon.len();
    match after_colon.iter().position(|c| !c.is_whitespace()) {
        Some(i) if after_colon[i] == '[' => flow_items(&lines[at..], key_width + i + 1, first_line),
        Some(i) if after_colon[i] != '#' => Vec::new(),
        _ => block_items(&lines[at + 1..], first_line + 1),
    }
}

/// Items of a flow list whose `[` is just before character `start` of `lines[0]`.
fn flow_items(lines: &[&str], start: usize, first_line: usize) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut expecting_item = true;
    let mut quote: Option<char> = None;
    for (i, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut c = if i == 0 { start } else { 0 };
        let mut after_space = true;
        while c < chars.len() {
            let ch = chars[c];
            if let Some(q) = quote {
                // `\"` in double quotes and `''` in single quotes do not close them.
                let escaped = (ch == '\\' && q == '"')
                    || (ch == q && q == '\'' && chars.get(c + 1) == Some(&'\''));
                if escaped {
                    c += 1;
                } else if ch == q {
                    quote = None;
                }
                c += 1;
                continue;
            }
            match ch {
                ' ' | '\t' => {}
                '#' if after_space => break,
                ']' if depth == 0 => return items,
                ',' if depth == 0 => expecting_item = true,
                _ => {
                    if expecting_item && depth == 0 {
                        expecting_item = false;
                        let quoted = matches!(ch, '"' | '\'');
                        items.push((first_line + i, c + 1 + usize::from(quoted)));
                        if quoted {
                            quote = Some(ch);
                        }
                    }
                    match ch {
                        '[' | '{' => depth += 1,
                        ']' | '}' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
            }
            after_space = ch == ' ' || ch == '\t';
            c += 1;
        }
    }
    items
}

/// Items of a block list: the `- ` lines right under its key, at the first one's indent.
fn block_items(lines: &[&str], first_line: usize) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut dash_indent = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let is_item = trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with("-\t");
        match dash_indent {
            _ if is_item && dash_indent.is_none_or(|d| d == indent) => {
                dash_indent = Some(indent);
                let value = trimmed[1..].trim_start();
                let gap = trimmed[1..].chars().count() - value.chars().count();
                let quoted = value.starts_with(['"', '\'']);
                items.push((first_line + i, indent + 2 + gap + usize::from(quoted)));
            }
            // A line inside an item (a long text, an item's map).
            Some(d) if indent > d => {}
            _ => break,
        }
    }
    items
}

/// The known key an unknown one was probably meant to be (`weigth` -> `weight`).
pub(crate) fn near_miss(key: &str) -> Option<&'static str> {
    let normalized = key.to_lowercase().replace('-', "_");
    // Keys more than two letters longer or shorter are more than two edits away: an
    // Experience League page has ten keys of its own (`source-git-commit`, `exl-id`...),
    // and measuring each against every known key was 3% of a guide's build.
    let letters = normalized.chars().count();
    KNOWN_KEYS
        .iter()
        .copied()
        .filter(|k| *k != key && letters.abs_diff(k.len()) <= 2)
        .map(|k| (edit_distance(&normalized, k), k))
        .filter(|(d, k)| *d == 0 || (*d <= 2 && k.len() > 3 && *d < k.len() / 2))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checklist item is read as serde's `untagged` read it: a text (YAML may have typed
    /// it), a map with a `text` (other keys ignored), anything else one error.
    #[test]
    fn checklist_entries_read_as_a_text_or_a_map() {
        let read = |json: &str| {
            serde_json::from_str::<ChecklistEntry>(json)
                .map(|e| format!("{e:?}"))
                .map_err(|e| e.to_string())
        };
        let text = |t: &str| format!("{:?}", ChecklistEntry::Text(Scalar(t.into())));
        assert_eq!(read(r#""Tell them""#), Ok(text("Tell them")));
        assert_eq!(read("42"), Ok(text("42")));
        assert_eq!(read("-3"), Ok(text("-3")));
        assert_eq!(read("1.5"), Ok(text("1.5")));
        assert_eq!(read("true"), Ok(text("true")));
        let full = |id: Option<&str>, t: &str, done| {
            format!(
                "{:?}",
                ChecklistEntry::Full {
                    id: id.map(|i| Scalar(i.into())),
                    text: Scalar(t.into()),
                    done,
                }
            )
        };
        assert_eq!(read(r#"{"text": "x"}"#), Ok(full(None, "x", false)));
        assert_eq!(
            read(r#"{"id": 7, "text": "x", "done": true, "note": [1, {"a": null}]}"#),
            Ok(full(Some("7"), "x", true))
        );
        assert_eq!(
            read(r#"{"id": null, "text": 2}"#),
            Ok(full(None, "2", false))
        );
        for wrong in [
            "null",
            "[]",
            r#"["x"]"#,
            "{}",
            r#"{"id": "a"}"#,
            r#"{"text": null}"#,
            r#"{"text": ["x"]}"#,
            r#"{"text": "x", "done": "yes"}"#,
            r#"{"text": "x", "id": {"a": 1}}"#,
        ] {
            let error = read(wrong).expect_err(wrong);
            assert!(error.starts_with(CHECKLIST_ENTRY), "{wrong}: {error}");
        }
    }

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
        assert_eq!(key_line(&split(text).unwrap(), "workflow-type"), Some(5));
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

    fn positions(yaml_and_body: &str, key: &str) -> Vec<(usize, usize)> {
        list_item_positions(&split(yaml_and_body).unwrap(), key)
    }

    #[test]
    fn list_items_in_flow_style() {
        let text = "---\ntitle: A\nworks_with: [tester, \"lead-dev\" ,x] # c\n---\n";
        assert_eq!(
            positions(text, "works_with"),
            vec![(3, 14), (3, 23), (3, 34)]
        );
        let text = "---\nworks_with: [\n  a,  # first\n  'b''c', [n, m],\n  d\n]\n---\n";
        assert_eq!(
            positions(text, "works_with"),
            vec![(3, 3), (4, 4), (4, 11), (5, 3)]
        );
        assert_eq!(
            positions("---\nworks_with: []\n---\n", "works_with"),
            vec![]
        );
    }

    #[test]
    fn list_items_in_block_style() {
        let text = "---\ndepends_on:\n  - warehouse\n  -   \"marketing\"\n  # note\n  - x\n    continued\ntitle: A\n- not ours\n---\n";
        assert_eq!(positions(text, "depends_on"), vec![(3, 5), (4, 8), (6, 5)]);
        let text = "---\ndepends_on:\n- a\n- b\ntitle: A\n---\n";
        assert_eq!(positions(text, "depends_on"), vec![(3, 3), (4, 3)]);
        assert_eq!(positions(text, "title"), vec![]);
        assert_eq!(positions(text, "skills"), vec![]);
    }

    #[test]
    fn indented_known_key_gets_a_plain_help() {
        let e = parse(&split("---\ntitle: A\nrisks:\n  - x\n checklist:\n  - y\n---\n").unwrap())
            .unwrap_err();
        assert_eq!((e.line, e.column), (Some(5), Some(2)));
        let help = e.help.unwrap();
        assert!(
            help.contains("`checklist`") && help.contains("1 space"),
            "{help}"
        );
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
