//! YAML parsing with positions that point into the user's file.
//!
//! Front matter is a slice of a Markdown file, so a YAML error's line is shifted by the line
//! where the slice starts. Alias expansion is bounded by serde-saphyr's budget, so a
//! "billion laughs" file is an error rather than a memory blow-up.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{MessageFormatter, UserMessageFormatter};

use crate::diagnostics::Diagnostic;

/// A YAML error, with a position in the enclosing file.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl YamlError {
    pub fn into_diagnostic(self, file: impl AsRef<Path>, source: Arc<str>) -> Diagnostic {
        let mut d = Diagnostic::error(self.message)
            .in_file(file)
            .with_source(source);
        if let Some(line) = self.line {
            d = d.at(line, self.column.unwrap_or(1));
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
pub fn from_str<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| {
        let message = UserMessageFormatter
            .format_message(err.without_snippet())
            .into_owned();
        let location = err.location().filter(|l| l.line() > 0);
        YamlError {
            message,
            line: location.map(|l| l.line() as usize + first_line - 1),
            column: location.map(|l| l.column() as usize),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

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
