//! `build --strict`: every warning is an error, and a failed build leaves the previous
//! output as it was. Without the flag, warnings do not stop a build.

use crate::common;

use common::*;

const ONE_LANGUAGE: &str = "title:\n  en: Team\ndefault_language: en\nlanguages:\n  en: English\n";

/// A page linking to an existing page's missing `#anchor` (a warning), saying `words`.
fn site_with_a_missing_anchor(site: &TestSite, words: &str) {
    site.write(
        "content/guide.md",
        &format!("---\ntitle: Guide\n---\n{words} See [steps](steps.md#no-such-part).\n"),
    );
    site.write(
        "content/steps.md",
        "---\ntitle: Steps\n---\n## First step\n\nDo it.\n",
    );
}

fn guide_text(site: &TestSite) -> String {
    text(&select(&site.html("en/guide/index.html"), "main")[0])
}

#[test]
fn build_strict_fails_on_a_warning_and_keeps_the_previous_output() {
    let site = TestSite::new(ONE_LANGUAGE);
    site_with_a_missing_anchor(&site, "First words.");
    // Without --strict: a warning, and the site is built.
    let run = site.build().ok();
    assert!(run.stderr().contains("no such anchor"), "{}", run.stderr());
    assert!(guide_text(&site).contains("First words."));

    site_with_a_missing_anchor(&site, "Second words.");
    let err = site.run(&["build", "--strict"]).fails();
    assert!(err.contains("no such anchor"), "{err}");
    assert!(err.contains("content/guide.md"), "{err}");
    assert!(
        err.contains("build failed: 1 error(s) (--strict: warnings count as errors)"),
        "{err}"
    );
    assert!(
        guide_text(&site).contains("First words."),
        "the previous output stays untouched"
    );

    // The warning fixed, --strict builds and the output is replaced.
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\nThird words. See [steps](steps.md#first-step).\n",
    );
    site.run(&["build", "--strict"]).ok();
    assert!(guide_text(&site).contains("Third words."));
}

#[test]
fn build_help_offers_strict() {
    let help = TestSite::new(ONE_LANGUAGE).run(&["build", "--help"]).ok();
    assert!(help.stdout().contains("--strict"), "{}", help.stdout());
    assert!(help.stdout().contains("warnings"), "{}", help.stdout());
}
