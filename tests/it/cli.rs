//! `equipe check`, `init` and `new` through the real binary.

use crate::common;

use std::process::Command;

use common::*;

fn equipe(args: &[&str], dir: &std::path::Path) -> Run {
    Run(Command::new(env!("CARGO_BIN_EXE_equipe"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run"))
}

fn planted_problems() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/roles/a.fr.md", "---\ntitle: A\nweigth: 2\nworks_with: [ghost]\n---\n\n[b](b.md) [lost](nowhere.md) [bad anchor](b.md#nope) [good anchor](b.md#ici)\n");
    site.write("content/roles/a.en.md", "---\ntitle: A\n---\n");
    site.write("content/roles/b.fr.md", "---\ntitle: B\n---\n## Ici\n");
    site
}

#[test]
fn check_finds_every_planted_problem_with_file_and_line() {
    let site = planted_problems();
    let run = site.run(&["check"]);
    let err = run.fails();
    assert!(
        err.contains("content/roles/a.fr.md:3") && err.contains("did you mean `weight`?"),
        "{err}"
    );
    assert!(
        err.contains("content/roles/a.fr.md:4") && err.contains("`ghost`"),
        "{err}"
    );
    assert!(
        err.contains("content/roles/a.fr.md:7:11") && err.contains("nowhere.md"),
        "{err}"
    );
    assert!(err.contains("`#nope`"), "{err}");
    assert!(
        !err.contains("`#ici`"),
        "a good anchor is not reported: {err}"
    );
    assert!(
        err.contains("`roles/b` has no translation in `en`"),
        "{err}"
    );
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn check_json_prints_one_object_per_finding() {
    let site = planted_problems();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let lines: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert!(lines.len() >= 5, "{lines:?}");
    let ghost = lines
        .iter()
        .find(|v| v["message"].as_str().unwrap_or("").contains("ghost"))
        .expect("ghost finding");
    assert_eq!(ghost["file"], "content/roles/a.fr.md");
    assert_eq!(ghost["line"], 4);
    assert_eq!(ghost["severity"], "error");
}

#[test]
fn check_strict_turns_warnings_into_errors() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/only.fr.md",
        "---\ntitle: Seulement en français\n---\n",
    );
    let run = site.run(&["check"]).ok();
    assert!(run.stderr().contains("has no translation in `en`"));
    assert!(
        run.stdout().contains("MISSING"),
        "translation table: {}",
        run.stdout()
    );
    let err = site.run(&["check", "--strict"]).fails();
    assert!(err.contains("has no translation in `en`"), "{err}");
}

#[test]
fn check_passes_on_the_example_site() {
    let site = TestSite::example();
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr().contains("0 error(s), 0 warning(s)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn init_writes_a_site_that_builds_in_three_languages() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = equipe(&["init", "my-team", "--languages", "fr,en,de"], dir.path()).ok();
    assert!(run.stdout().contains("site.yaml"));
    let site = dir.path().join("my-team");
    assert!(site.join(".gitignore").exists());
    let build = equipe(&["build"], &site).ok();
    assert!(
        !build.stderr().contains("warning"),
        "a fresh site builds clean: {}",
        build.stderr()
    );
    let de = std::fs::read_to_string(site.join("public/de/roles/projektleiter/index.html"))
        .expect("German role page");
    assert!(de.contains("Verantwortlichkeiten"), "German UI strings");
    assert!(
        site.join("public/en/roles/project-manager/index.html")
            .exists()
    );
    // A second init refuses the non-empty folder.
    let err = equipe(&["init", "my-team"], dir.path()).fails();
    assert!(err.contains("not empty"), "{err}");
    equipe(&["init", "my-team", "--force", "--theme-files"], dir.path()).ok();
    assert!(site.join("themes/default/templates/role.html").exists());
}

#[test]
fn new_role_writes_one_file_per_language_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tmp");
    equipe(&["init", "site"], dir.path()).ok();
    let site = dir.path().join("site");
    let run = equipe(&["new", "role", "data-analyst"], &site).ok();
    assert!(
        run.stdout().contains("content/roles/data-analyst.fr.md"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("content/roles/data-analyst.en.md"));
    let en =
        std::fs::read_to_string(site.join("content/roles/data-analyst.en.md")).expect("en file");
    assert!(
        en.contains("slug: data-analyst")
            && en.contains("works_with:")
            && en.contains("onboarding:"),
        "{en}"
    );
    equipe(&["build"], &site).ok();
    assert!(
        site.join("public/fr/roles/data-analyst/index.html")
            .exists()
    );
    let err = equipe(&["new", "role", "data-analyst"], &site).fails();
    assert!(err.contains("already exists"), "{err}");
    equipe(&["new", "team", "finance"], &site).ok();
    equipe(&["new", "page", "faq"], &site).ok();
    equipe(&["build"], &site).ok();
    assert!(site.join("public/en/teams/finance/index.html").exists());
}

#[test]
fn a_german_site_without_german_strings_in_the_theme_falls_back_and_warns() {
    let site = TestSite::new(
        "title: Team\ndefault_language: en\nlanguages:\n  en: English\n  it: Italiano\n",
    );
    site.write(
        "content/roles/a.en.md",
        "---\ntitle: A\nresponsibilities: [x]\n---\n",
    );
    site.write(
        "content/roles/a.it.md",
        "---\ntitle: A\nresponsibilities: [x]\n---\n",
    );
    let run = site.build().ok();
    let stderr = run.stderr();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("UI string(s) missing for language `it`"))
        .collect();
    assert_eq!(warnings.len(), 1, "reported once: {}", run.stderr());
    assert!(
        site.read_output("it/roles/a/index.html")
            .contains("Responsibilities"),
        "falls back to the default language"
    );
    // German ships with the theme: no warning, German strings.
    let site = TestSite::new(
        "title: Team\ndefault_language: en\nlanguages:\n  en: English\n  de: Deutsch\n",
    );
    site.write(
        "content/roles/a.de.md",
        "---\ntitle: A\nresponsibilities: [x]\n---\n",
    );
    let run = site.build().ok();
    assert!(!run.stderr().contains("UI string"), "{}", run.stderr());
    assert!(
        site.read_output("de/roles/a/index.html")
            .contains("Verantwortlichkeiten")
    );
}

#[test]
fn rtl_languages_set_dir() {
    let site = TestSite::new(
        "title: T\ndefault_language: en\nlanguages:\n  en: English\n  ar: {name: العربية, dir: rtl}\n",
    );
    site.write("content/a.ar.md", "---\ntitle: صفحة\n---\n");
    site.build().ok();
    let html = site.html("ar/a/index.html");
    assert_eq!(attr(&select(&html, "html")[0], "dir"), "rtl");
}

#[test]
fn theme_options_set_colour_logo_footer_and_warn_on_unknown_ones() {
    let site = TestSite::new(&format!(
        "{TWO_LANGUAGES}theme_options:\n  accent_color: \"#b03a2e\"\n  logo: img/logo.svg\n  footer_text:\n    fr: Pied de page\n    en: Footer text\n  contact_email: lead@example.org\n  acent_color: red\n"
    ));
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    let run = site.build().ok();
    assert!(
        run.stderr().contains("unknown theme option `acent_color`"),
        "{}",
        run.stderr()
    );
    let page = site.read_output("fr/a/index.html");
    assert!(page.contains("--accent: #b03a2e"), "accent colour");
    assert!(page.contains("src=\"../../img/logo.svg\""), "logo");
    assert!(site.output("img/logo.svg").exists());
    assert!(page.contains("Pied de page") && page.contains("mailto:lead@example.org"));
    assert!(site.read_output("en/index.html").contains("Footer text"));
    // A value that is not a colour never reaches the CSS.
    let site = TestSite::new(&format!(
        "{TWO_LANGUAGES}theme_options:\n  accent_color: \"red;}} body{{display:none\"\n"
    ));
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    let run = site.build().ok();
    assert!(
        run.stderr().contains("is not a CSS colour"),
        "{}",
        run.stderr()
    );
    assert!(!site.read_output("fr/a/index.html").contains("display:none"));
}

#[test]
fn stamped_translation_is_flagged_when_its_source_changes() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/roles/a.fr.md", "---\ntitle: A\n---\nVersion 1\n");
    site.write("content/roles/a.en.md", "---\ntitle: A\n---\nVersion 1\n");
    let en = site.path("content/roles/a.en.md");
    let run = site
        .run(&["translations", "--stamp", en.to_str().expect("utf-8 path")])
        .ok();
    assert!(run.stdout().contains("a.en.md"), "{}", run.stdout());
    assert!(
        std::fs::read_to_string(&en)
            .expect("en")
            .contains("source_hash: ")
    );
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("out of date"), "{}", run.stderr());
    assert!(
        run.stdout().contains("roles/a") && run.stdout().contains("ok"),
        "{}",
        run.stdout()
    );
    site.write("content/roles/a.fr.md", "---\ntitle: A\n---\nVersion 2\n");
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr().contains("content/roles/a.en.md:3") && run.stderr().contains("out of date"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("OUTDATED"), "{}", run.stdout());
    let err = site.run(&["check", "--strict"]).fails();
    assert!(err.contains("out of date"), "{err}");
    // Stamping again after updating the translation clears it.
    site.run(&["translations", "--stamp", "--all"]).ok();
    assert!(!site.run(&["check"]).ok().stderr().contains("out of date"));
}

#[test]
fn source_git_commit_is_compared_with_git_history() {
    let site = TestSite::new(TWO_LANGUAGES);
    let git = |args: &[&str]| site.git(args);
    git(&["init", "-q"]);
    site.write("content/a.fr.md", "---\ntitle: A\n---\nVersion 1\n");
    git(&["add", "."]);
    git(&["commit", "-qm", "one"]);
    let first = git(&["rev-parse", "HEAD"]);
    site.write(
        "content/a.en.md",
        &format!("---\ntitle: A\nsource-git-commit: {first}\n---\n"),
    );
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("out of date"), "{}", run.stderr());
    site.write("content/a.fr.md", "---\ntitle: A\n---\nVersion 2\n");
    git(&["commit", "-qam", "two"]);
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr()
            .contains("content/a.fr.md changed in git after commit"),
        "{}",
        run.stderr()
    );
    // A commit git does not know (the seed's, from another repository) is ignored quietly.
    site.write(
        "content/a.en.md",
        "---\ntitle: A\nsource-git-commit: 226f1925d9ca628c94b67a86888084a21cd7e336\n---\n",
    );
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("out of date"), "{}", run.stderr());
}
