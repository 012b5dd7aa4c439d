//! YAML parsing with positions that point into the user's file.
//!
//! Front matter is a slice of a Markdown file, so a YAML error's line is shifted by the line
//! where the slice starts. Alias expansion is bounded by serde-saphyr's budget, so a
//! "billion laughs" file is an error rather than a memory blow-up.
//!
//! The parser's messages are precise but in its own words ("while parsing a block mapping,
//! did not find expected key"); the common mistakes of people writing YAML by hand (bad
//! indentation, a `: ` inside an unquoted text, tabs, an unclosed quote or list) also get a
//! help line in plain words, with the fix where it can be shown.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{MessageFormatter, UserMessageFormatter};

use crate::diagnostics::Diagnostic;

pub(crate) mod fast;

/// A YAML error, with a position in the enclosing file.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What to do about it, in plain words.
    pub help: Option<String>,
}

impl YamlError {
    pub(crate) fn into_diagnostic(self, file: impl AsRef<Path>, source: Arc<str>) -> Diagnostic {
        let mut d = Diagnostic::error(self.message)
            .in_file(file)
            .with_source(source);
        if let Some(line) = self.line {
            d = d.at(line, self.column.unwrap_or(1));
        }
        if let Some(help) = self.help {
            d = d.with_help(help);
        }
        d
    }
}

/// Budgets against resource exhaustion: generous for any real front matter, small enough
/// that a hostile file fails fast.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 64;
    budget.max_events = 200_000;
    budget.max_nodes = 200_000;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parses `text`, whose first line is line `first_line` of its file.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| {
        let message = UserMessageFormatter
            .format_message(err.without_snippet())
            .into_owned();
        let location = err.location().filter(|l| l.line() > 0);
        let help = location.and_then(|l| {
            help_for(
                &message,
                text,
                l.line() as usize,
                l.column() as usize,
                first_line,
            )
        });
        YamlError {
            message,
            line: location.map(|l| l.line() as usize + first_line - 1),
            column: location.map(|l| l.column() as usize),
            help,
        }
    })
}

/// Parses `text` into a map of its top-level keys: with the [`fast`] path when the text is
/// in its subset (the same map, far cheaper), with serde-saphyr otherwise.
pub(crate) fn map_from_str(
    text: &str,
    first_line: usize,
) -> Result<BTreeMap<String, serde_json::Value>, YamlError> {
    match fast::parse(text) {
        Some(map) => Ok(map),
        None => from_str(text, first_line),
    }
}

/// A plain help line for the common hand-writing mistakes, recognised from the parser's
/// message and the text of the line it points at (`line` and `column` are 1-based in
/// `text`; `first_line` shifts line numbers into the file for the message).
fn help_for(
    message: &str,
    text: &str,
    line: usize,
    column: usize,
    first_line: usize,
) -> Option<String> {
    let line_text = text.lines().nth(line.checked_sub(1)?).unwrap_or("");
    let file_line = line + first_line - 1;
    let indent = &line_text[..line_text.len() - line_text.trim_start().len()];
    if indent.contains('\t') || message.contains("tab") {
        return Some(format!(
            "YAML does not accept tabs for indentation: replace the tabs at the start of line {file_line} with spaces"
        ));
    }
    if let Some(help) = shape_help(message, text, line) {
        return Some(help);
    }
    if let Some(help) = markup_start_help(text, line).filter(|_| may_be_a_text(message)) {
        return Some(help);
    }
    if message.contains("mapping values are not allowed") {
        // A `key: ` before the error's `:` means the text itself holds a `: `.
        let first_colon = line_text
            .find(": ")
            .map(|b| line_text[..b].chars().count() + 1);
        if let Some((key, value)) = line_text
            .split_once(": ")
            .filter(|_| first_colon.is_some_and(|c| c < column))
        {
            let value = value.trim().replace('\\', "\\\\").replace('"', "\\\"");
            return Some(format!(
                "a `: ` inside a text starts a new key: put the whole text in double quotes, as in\n{key}: \"{value}\""
            ));
        }
        return Some(indentation_help(file_line));
    }
    if message.contains("did not find expected") || message.contains("indentation") {
        return Some(indentation_help(file_line));
    }
    if message.contains("unclosed quote") {
        return Some(
            "close the quote at the end of the text (quotes are needed only around a text that holds `: ` or ` #`, or starts with a quote, `[` or `{`)".into(),
        );
    }
    if message.contains("unclosed bracket") {
        return Some(
            "a list written in brackets closes with `]`, as in `skills: [one, two]`".into(),
        );
    }
    None
}

/// For a value of the wrong shape (a text or a map where a list goes, a list where a map
/// goes: `skills: one`, `languages: [fr, en]`), how the key's value is written.
fn shape_help(message: &str, text: &str, line: usize) -> Option<String> {
    if message.starts_with("a checklist item is") {
        return Some(
            "write it as `- Read the charter`, or, to give it an id of its own:\n- id: read-charter\n  text: Read the charter".into(),
        );
    }
    if message.starts_with("invalid i64") || message.starts_with("invalid u64") {
        let key = key_of_line(text, line)?;
        return Some(format!("`{key}` is a whole number, as in\n{key}: 10"));
    }
    let list = message.contains("expected sequence start");
    if !list && !message.contains("expected mapping start") {
        return None;
    }
    let key = key_of_line(text, line)?;
    Some(if list {
        format!(
            "`{key}` is a list: write its items in brackets, as in\n{key}: [one, two]\nor each on a line of its own below it, after `- `"
        )
    } else if key == "languages" {
        "`languages` names each language by its code, with its name, one a line below it:\nlanguages:\n  fr: { name: Français }\n  en: { name: English }".to_string()
    } else {
        format!(
            "`{key}` holds `name: value` entries, each on a line of its own below it, indented:\n{key}:\n  name: value"
        )
    })
}

/// The key whose value holds line `line` (1-based in `text`): that line's own key, or the
/// key of the nearest line above it that is indented no deeper.
fn key_of_line(text: &str, line: usize) -> Option<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = line.checked_sub(1).filter(|&l| l < lines.len())?;
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let deepest = indent(lines[at]);
    (0..=at).rev().find_map(|i| {
        let l = lines[i];
        let trimmed = l.trim_start_matches(' ');
        if indent(l) > deepest || trimmed.starts_with(['-', '#']) {
            return None;
        }
        let (key, _) = trimmed.split_once(':')?;
        is_plain_key(key).then_some(key)
    })
}

/// Whether an error says the text is not YAML as written, or that a text was expected:
/// where a value that starts with markup may be a text meant as one. Not one that says what
/// the key holds (a language, a checklist item): that value was read as meant.
fn may_be_a_text(message: &str) -> bool {
    [
        "did not find expected",
        "illegal placement",
        "while parsing",
        "while scanning",
        "unexpected character",
        "reference to unknown",
        "expected string",
        "scalar",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// For an error at `line` (1-based in `text`): if the value of its key or list item starts
/// with a character YAML reads as markup (`title: [Draft] Plan`, `title: @home`), or the
/// line before it opened a list or a map it never closed (`title: [draft`, whose error
/// the parser reports at the next key), a help line that says so and shows the value
/// quoted. The parser's own words ("did not find expected key", "illegal placement of
/// ':' indicator") say nothing of the `[`, and the indentation help they got was wrong.
fn markup_start_help(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = line.checked_sub(1).filter(|&l| l < lines.len())?;
    // The entry the error is in: its line, or the key or item line above a continuation;
    // then the entry before it.
    let entry_up_from = |i: usize| {
        (0..=i)
            .rev()
            .find_map(|j| Some((j, entry_value(lines[j])?)))
    };
    let (entry, (start, value)) = entry_up_from(at)?;
    if let Some(help) = markup_help(start, value, false) {
        return Some(help);
    }
    let (_, (start, value)) = entry_up_from(entry.checked_sub(1)?)?;
    markup_help(start, value, true)
}

/// The help for a `key: value` line whose value starts with YAML markup, for a mistake
/// found once the YAML was read: `title: !draft` is a title with a type tag and no text.
pub(crate) fn markup_line_help(line: &str) -> Option<String> {
    let (start, value) = entry_value(line)?;
    markup_help(start, value, false)
}

/// The help for an entry whose value (after `start`, the key or `- ` and what precedes
/// it) starts with YAML markup; with `unclosed`, only for a list or map left open on its
/// line.
fn markup_help(start: &str, value: &str, unclosed: bool) -> Option<String> {
    let first = value.chars().next()?;
    let what = match first {
        '[' => "a list (as in `skills: [one, two]`)",
        '{' => "a map (as in `{ id: x, text: y }`)",
        '*' => "a reference to a value named elsewhere with `&`",
        '&' => "a name given to the value after it",
        '!' => "a type tag",
        '@' | '`' | '%' => "reserved",
        _ => return None,
    };
    if unclosed {
        let close = if first == '[' { ']' } else { '}' };
        if !matches!(first, '[' | '{') || value.contains(close) {
            return None;
        }
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    let shown = if first == '`' {
        "`` ` ``".to_string()
    } else {
        format!("`{first}`")
    };
    Some(format!(
        "in YAML, a value that starts with {shown} is {what}: if it is a text, put it in double quotes, as in\n{start}\"{quoted}\""
    ))
}

/// A `key: value` or `- value` line as what comes before its value (the key and `: `, or
/// the `- `, with the line's indentation) and its value, trimmed; `None` for another line
/// (a continuation, a comment, a key with its value on the next lines).
fn entry_value(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.starts_with('#') {
        return None;
    }
    let value_at = if let Some(item) = trimmed.strip_prefix("- ") {
        // An item may be a map's first key (`- id: x`).
        let key = item
            .split_once(": ")
            .filter(|(k, _)| is_plain_key(k))
            .map_or(0, |(k, _)| k.len() + 2);
        line.len() - item.len() + key
    } else {
        let (key, _) = trimmed.split_once(": ")?;
        if !is_plain_key(key) {
            return None;
        }
        line.len() - trimmed.len() + key.len() + 2
    };
    let value = line[value_at..].trim();
    (!value.is_empty()).then(|| (&line[..value_at], value))
}

/// Whether `key` reads as a key written by hand (`title`, `source-git-commit`).
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn indentation_help(file_line: usize) -> String {
    format!(
        "check the spaces at the start of line {file_line}: the keys of one map start at the same column (top-level keys at column 1), and so do the `-` of one list"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct W {
        weight: i64,
    }

    #[test]
    fn wrong_type_points_at_the_value_in_the_file() {
        let e = from_str::<W>("weight: ten\n", 5).unwrap_err();
        assert_eq!(e.line, Some(5));
        assert_eq!(e.column, Some(9));
        assert!(!e.message.contains("line"), "{}", e.message);
    }

    /// The help of the error `text` gives, as the build would print it (its front matter
    /// from line 2 of its file).
    fn help_of(text: &str) -> String {
        let e = from_str::<BTreeMap<String, serde_json::Value>>(text, 2).unwrap_err();
        e.help.unwrap_or_default()
    }

    #[test]
    fn a_value_that_starts_with_markup_is_shown_quoted() {
        for (text, first) in [
            ("title: [Draft] Project plan\nslug: x\n", '['),
            ("title: @home\n", '@'),
            ("title: %done\n", '%'),
            ("title: *star\n", '*'),
            ("title: & amp\n", '&'),
        ] {
            let value = text["title: ".len()..text.find('\n').unwrap()].to_string();
            let help = help_of(text);
            assert!(
                help.contains(&format!("a value that starts with `{first}` is")),
                "{text}: {help}"
            );
            assert!(
                help.ends_with(&format!("\ntitle: \"{value}\"")),
                "{text}: {help}"
            );
        }
        let help = help_of("title: `code` x\n");
        assert!(help.contains("starts with `` ` `` is reserved"), "{help}");
        // Reported at the next key: the list the line before opened and never closed.
        let help = help_of("title: [draft\nslug: chef\nweight: 1\n");
        assert!(help.ends_with("\ntitle: \"[draft\""), "{help}");
        // A list item, indented, with a quote in it.
        let help = help_of("onboarding:\n  - [ ] Read \"the\" charter\n  - Meet\n");
        assert!(
            help.ends_with("\n  - \"[ ] Read \\\"the\\\" charter\""),
            "{help}"
        );
        // A value of the wrong shape is shown its own.
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Role {
            skills: Vec<String>,
        }
        let help_as_role = |text: &str| from_str::<Role>(text, 2).unwrap_err().help.unwrap();
        let help = help_as_role("title: x\nskills: {a: b}\n");
        assert!(help.starts_with("`skills` is a list"), "{help}");
        assert!(!help.contains("quotes"), "{help}");
        let help = help_as_role("title: x\nskills: one\n");
        assert!(help.contains("\nskills: [one, two]\n"), "{help}");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Weighed {
            weight: i64,
        }
        let help = from_str::<Weighed>("weight: high\n", 2).unwrap_err().help;
        assert_eq!(
            help.as_deref(),
            Some("`weight` is a whole number, as in\nweight: 10")
        );
        // A list that is closed is not blamed for an error after it.
        let help = help_of("skills: [a, b]\ntitle: x\n  y: z\n");
        assert!(!help.contains("starts with"), "{help}");
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in 'b'..='j' {
            doc.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = name;
        }
        let r = from_str::<BTreeMap<String, serde_json::Value>>(&doc, 1);
        assert!(r.is_err());
    }
}
