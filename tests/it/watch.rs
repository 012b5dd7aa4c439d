//! `equipe build --watch` end to end: the real binary rebuilding a fixture site into its
//! output folder as files are saved, its report read from its log.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// A running `equipe build --watch`, killed when dropped.
struct Watching {
    child: Child,
    log: tempfile::NamedTempFile,
}

impl Watching {
    fn start(site: &TestSite) -> Watching {
        let (child, log) = site.start(&["build", "--watch"]);
        let watching = Watching { child, log };
        watching.wait_for("the first build", |log| log.contains("watching "));
        watching
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if done(&self.log()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; log:\n{}", self.log());
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each rebuild prints the warnings the last build did not have, and a count of the
/// others; a warning fixed and brought back is new again.
#[test]
fn a_rebuild_prints_its_new_warnings_and_counts_the_others() {
    let site = TestSite::new("title: Team\ndefault_language: en\nlanguages:\n  en: English\n");
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nSee [week one](../guides/week-one.md#no-such-part).\n",
    );
    site.write(
        "content/guides/week-one.en.md",
        "---\ntitle: Week one\n---\nFirst week.\n",
    );
    let watching = Watching::start(&site);
    site.write(
        "content/guides/week-one.en.md",
        "---\ntitle: Week one\n---\nFirst week, see [the tester](../roles/tester.md#nor-this).\n",
    );
    watching.wait_for("the rebuild", |log| log.matches("built ").count() == 2);
    let log = watching.log();
    let count = |text: &str| log.matches(text).count();
    assert_eq!(count("`#no-such-part`"), 1, "the old warning, once:\n{log}");
    assert_eq!(count("`#nor-this`"), 1, "the new warning, in full:\n{log}");
    assert!(
        log.contains(
            "with the 1 warning(s) above; 1 warning(s) as in the last build, not shown again"
        ),
        "the new one above, the old one counted:\n{log}"
    );
    // Fixed, then written again: printed again.
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nNo link.\n",
    );
    watching.wait_for("the second rebuild", |log| {
        log.matches("built ").count() == 3
    });
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nSee [week one](../guides/week-one.md#no-such-part).\n",
    );
    watching.wait_for("the third rebuild", |log| {
        log.matches("built ").count() == 4
    });
    assert_eq!(
        watching.log().matches("`#no-such-part`").count(),
        2,
        "the warning that came back, printed again:\n{}",
        watching.log()
    );
}
