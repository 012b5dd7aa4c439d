//! What a watching command (`serve`, `build --watch`) prints of a rebuild's warnings:
//! each one the last build did not have, in full, and only a count of the others. A real
//! guide has tens to hundreds of warnings (Adobe's machine-translated links to `#anchors`
//! the French headings renamed); printed again at every save, Merchant Services' 58 were
//! 478 lines a save, which buried what the save itself caused, and their snippets were
//! drawn before the page reloaded. Errors are always printed: they stop the rebuild.

use std::collections::HashSet;
use std::path::PathBuf;

use equipe::diagnostics::{Diagnostic, Diagnostics};

/// What tells a warning from another across builds: where it is and what it says. A
/// warning whose line moved (its file was edited above it) counts as new.
type Key = (Option<PathBuf>, Option<usize>, Option<usize>, String);

fn key(d: &Diagnostic) -> Key {
    (d.file.clone(), d.line, d.column, d.message.clone())
}

/// The warnings of the last build.
#[derive(Default)]
pub(super) struct Repeats {
    last: HashSet<Key>,
}

impl Repeats {
    /// Prints every error of `diagnostics` and each warning the last build did not have;
    /// returns how many warnings it left out.
    pub(super) fn print(&mut self, diagnostics: &Diagnostics) -> usize {
        let warnings: HashSet<Key> = diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .map(key)
            .collect();
        let seen = |d: &Diagnostic| !d.is_error() && self.last.contains(&key(d));
        let left_out = diagnostics.iter().filter(|d| seen(d)).count();
        diagnostics.print_where(|d| !seen(d));
        self.last = warnings;
        left_out
    }
}

/// The end of a rebuild's line when `left_out` warnings were not printed again.
pub(super) fn said_before(left_out: usize) -> String {
    match left_out {
        0 => String::new(),
        n => format!("; {n} warning(s) as in the last build, not shown again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(file: &str, line: usize, message: &str) -> Diagnostic {
        let mut d = Diagnostic::warning(message);
        d.file = Some(PathBuf::from(file));
        d.line = Some(line);
        d
    }

    fn all(items: Vec<Diagnostic>) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(items);
        diagnostics
    }

    /// A first build prints all; a rebuild leaves out the warnings the last one had, never
    /// an error, and a warning that went away and came back is printed again.
    #[test]
    fn a_rebuild_leaves_out_the_last_build_s_warnings_only() {
        let mut repeats = Repeats::default();
        let a = || warning("a.md", 3, "no such anchor");
        let b = || warning("b.md", 1, "unknown key");
        assert_eq!(repeats.print(&all(vec![a(), b()])), 0);
        let error = Diagnostic::error("broken link");
        assert_eq!(repeats.print(&all(vec![a(), b(), error.clone()])), 2);
        // `a` moved a line down: its file changed above it.
        assert_eq!(
            repeats.print(&all(vec![warning("a.md", 4, "no such anchor"), error])),
            0
        );
        assert_eq!(repeats.print(&all(vec![b()])), 0);
        assert_eq!(repeats.print(&all(vec![b()])), 1);
    }
}
