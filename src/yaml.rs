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
