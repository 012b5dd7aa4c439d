//! What a new author sees for the mistakes everyone makes: a misspelt role or team name,
//! a misspelt link, a badly indented or unquoted line of YAML, placeholders of
//! `equipe new` left in. Every finding is read back from `equipe check --format json`
//! with its exact line and column (the caret of the human output).

use crate::common;

use common::*;
use serde_json::Value;

/// A French and English site with two roles and an outside team, all correct.
fn team_site() -> TestSite {
    let site = TestSite::new(TWO_LANGUAGES);
    for lang in ["fr", "en"] {
        site.write(
            &format!("content/roles/project-manager.{lang}.md"),
            "---\ntitle: PM\nworks_with: [lead-developer]\ndepends_on: [warehouse]\n---\n\nText.\n",
        );
        site.write(
            &format!("content/roles/lead-developer.{lang}.md"),
            "---\ntitle: Lead dev\n---\n\nText.\n",
        );
        site.write(
            &format!("content/teams/warehouse.{lang}.md"),
            "---\ntitle: Warehouse\nslug: entrepot\nrisks:\n  - Late parcels\nchecklist:\n  - id: w-launch\n    text: The launch date\n---\n\nText.\n",
        );
    }
    site
}

/// One finding of `check --format json`.
#[derive(Debug)]
struct Finding {
    severity: String,
    message: String,
    file: String,
    line: u64,
    column: u64,
    help: String,
}

fn check(site: &TestSite, args: &[&str]) -> (i32, Vec<Finding>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let run = site.run(&all);
    let findings = run
        .stdout()
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("one JSON object per line");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Finding {
                severity: s("severity"),
                message: s("message"),
                file: s("file"),
                line: v["line"].as_u64().unwrap_or(0),
                column: v["column"].as_u64().unwrap_or(0),
                help: s("help"),
            }
        })
        .collect();
    (run.code(), findings)
}

/// The only finding of a check, asserting there is exactly one.
fn only_finding(site: &TestSite) -> Finding {
    let (code, mut findings) = check(site, &[]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = findings.remove(0);
    assert_eq!(code, i32::from(f.severity == "error"), "{f:?}");
    f
}

fn at(f: &Finding) -> (&str, u64, u64) {
    (f.file.as_str(), f.line, f.column)
}

#[test]
fn misspelt_works_with_in_flow_style_points_at_the_name_and_suggests() {
    let site = team_site();
    site.write(
        "content/roles/project-manager.fr.md",
        "---\ntitle: PM\nworks_with: [tester,  lead-developper]\ndepends_on: [warehouse]\n---\n",
    );
    site.write("content/roles/tester.fr.md", "---\ntitle: T\n---\n");
    site.write("content/roles/tester.en.md", "---\ntitle: T\n---\n");
    let f = only_finding(&site);
    assert_eq!(at(&f), ("content/roles/project-manager.fr.md", 3, 23));
    assert!(f.message.contains("`lead-developper`"), "{f:?}");
    assert_eq!(f.help, "did you mean `lead-developer`?");

    // The human output's caret stands under the name's first letter.
    let err = site.run(&["check"]).fails();
    let lines: Vec<&str> = err.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.contains("works_with: [tester,  lead-developper]"))
        .expect("snippet line");
    let caret = lines[code + 1]
        .chars()
        .position(|c| c == '▲')
        .expect("caret");
    let name = lines[code].find("lead-developper").expect("name");
    assert_eq!(caret, lines[code][..name].chars().count(), "{err}");

    // 300 unknown names, in block style: each message at its own item (the list's items
    // found once for all of them; each message found them all again, 25 s for 20,000).
    let names: String = (0..300).map(|i| format!("  - nobody-{i}\n")).collect();
    site.write(
        "content/roles/project-manager.fr.md",
        &format!("---\ntitle: PM\nworks_with:\n{names}depends_on: [warehouse]\n---\n"),
    );
    let (_, findings) = check(&site, &[]);
    let unknown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.message.contains("`nobody-"))
        .collect();
    assert_eq!(unknown.len(), 300, "{findings:#?}");
    for (i, f) in unknown.iter().enumerate() {
        assert!(f.message.contains(&format!("`nobody-{i}`")), "{f:?}");
        assert_eq!(
            at(f),
            ("content/roles/project-manager.fr.md", 4 + i as u64, 5)
        );
    }
}

/// A role's file copied from the one it named keeps that name: the page would work with
/// itself. A warning at the name, and the build goes on without it.
#[test]
fn a_role_that_names_itself_in_works_with_is_a_warning_at_the_name() {
    let site = team_site();
    site.write(
        "content/roles/lead-developer.en.md",
        "---\ntitle: Lead dev\nworks_with: [project-manager, lead-developer]\n---\n\nText.\n",
    );
    let f = only_finding(&site);
    assert_eq!(f.severity, "warning", "{f:?}");
    assert_eq!(at(&f), ("content/roles/lead-developer.en.md", 3, 31));
    assert_eq!(f.message, "`works_with` names this page itself");
    assert_eq!(
        f.help,
        "remove `lead-developer` from `works_with`, or name the page you meant"
    );
    // The page lists the other role only.
    site.build().ok();
    let page = site.html("en/roles/lead-developer/index.html");
    let listed: Vec<String> = select(&page, "main a")
        .iter()
        .map(|a| attr(a, "href"))
        .filter(|h| h.contains("roles/"))
        .collect();
    assert!(
        listed.iter().any(|h| h.contains("project-manager")),
        "{listed:?}"
    );
    assert!(
        !listed.iter().any(|h| h.contains("lead-developer")),
        "{listed:?}"
    );
}

#[test]
fn misspelt_depends_on_in_block_style_points_at_the_name_and_suggests() {
    let site = team_site();
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: PM\ndepends_on:\n  - warehouse\n  -  \"warehuose\"\n---\n",
    );
    let f = only_finding(&site);
    assert_eq!(at(&f), ("content/roles/project-manager.en.md", 5, 7));
    assert_eq!(f.help, "did you mean `warehouse`?");
}

#[test]
fn a_role_in_depends_on_is_told_where_it_belongs() {
    let site = team_site();
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: PM\ndepends_on:\n- lead-developer\n---\n",
    );
    let f = only_finding(&site);
    assert_eq!(at(&f), ("content/roles/project-manager.en.md", 4, 3));
    assert!(
        f.help.contains("is a role") && f.help.contains("`works_with`"),
        "{f:?}"
    );
}

#[test]
fn a_name_far_from_every_page_gets_the_rule_not_a_guess() {
    let site = team_site();
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: PM\nworks_with: [designer]\n---\n",
    );
    let f = only_finding(&site);
    assert_eq!(at(&f), ("content/roles/project-manager.en.md", 3, 14));
    assert!(!f.help.contains("did you mean"), "{f:?}");
    assert!(f.help.contains("content/roles/"), "{f:?}");
}

#[test]
fn misspelt_links_suggest_the_file_as_written() {
    let site = team_site();
    site.write(
        "content/roles/project-manager.en.md",
        "---\ntitle: PM\n---\n\nAsk the [lead](lead-developper.md#start).\nTell [them](../teams/entrepot.md).\n",
    );
    let (code, findings) = check(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(
        at(&findings[0]),
        ("content/roles/project-manager.en.md", 5, 9)
    );
    assert_eq!(findings[0].help, "did you mean `lead-developer.md#start`?");
    // `entrepot` is the team's slug: links name files.
    assert_eq!(
        at(&findings[1]),
        ("content/roles/project-manager.en.md", 6, 6)
    );
    assert_eq!(findings[1].help, "did you mean `../teams/warehouse.md`?");
}

#[test]
fn one_broken_file_is_one_error() {
    let site = team_site();
    // One space too many before `checklist:`; the role pages name the team in
    // `depends_on` and link to it.
    site.write(
        "content/teams/warehouse.fr.md",
        "---\ntitle: Entrepôt\nrisks:\n  - Colis en retard\n checklist:\n  - id: w-launch\n---\n",
    );
    site.write(
        "content/roles/project-manager.fr.md",
        "---\ntitle: PM\ndepends_on: [warehouse]\n---\n\nVoir [l'entrepôt](../teams/warehouse.md).\n",
    );
    let f = only_finding(&site);
    assert_eq!(f.severity, "error");
    assert_eq!(at(&f), ("content/teams/warehouse.fr.md", 5, 2));
    assert!(
        f.help.contains("`checklist` is a front matter key") && f.help.contains("1 space"),
        "{f:?}"
    );
}

#[test]
fn yaml_mistakes_get_a_plain_help_line() {
    let site = team_site();
    site.write("content/page.en.md", "---\ntitle: Page\n---\n");
    // Each French page's front matter, where its error is, and what its help says.
    for (front, line, column, helps) in [
        // A `: ` inside an unquoted text.
        (
            "description: Note: ceci est important",
            3,
            18,
            &["description: \"Note: ceci est important\""][..],
        ),
        // A tab for indentation.
        ("skills:\n\t- une", 4, 2, &["tabs", "line 4"]),
        // The keys of one checklist item not lined up.
        (
            "checklist:\n  - id: x\n   text: y",
            5,
            4,
            &["spaces at the start of line 5"],
        ),
        // A quote never closed.
        ("description: \"ouvert", 3, 14, &["close the quote"]),
        // A checklist item without its text, a weight that is no number.
        ("checklist:\n  - id: a", 4, 5, &["text: Read the charter"]),
        ("weight: haut", 3, 9, &["`weight` is a whole number"]),
    ] {
        site.write(
            "content/page.fr.md",
            &format!("---\ntitle: Page\n{front}\n---\n"),
        );
        let f = only_finding(&site);
        assert_eq!(at(&f), ("content/page.fr.md", line, column), "{front}");
        for help in helps {
            assert!(f.help.contains(help), "{front}: {f:?}");
        }
        if front.contains("id: a") {
            assert!(f.message.starts_with("a checklist item is a text"), "{f:?}");
        }
    }

    // A title that starts with what YAML reads as a list, a tag or a reserved sign: the
    // parser's words say nothing of it (and an indentation help was wrong), a tag left no
    // title at all.
    for (title, line, column, starts) in [
        ("[Brouillon] Plan", 2, 20, "`[` is a list"),
        ("[brouillon", 3, 5, "`[` is a list"),
        ("@accueil", 2, 8, "`@` is reserved"),
        ("!important", 2, 1, "`!` is a type tag"),
    ] {
        site.write(
            "content/page.fr.md",
            &format!("---\ntitle: {title}\nslug: page\n---\n"),
        );
        let f = only_finding(&site);
        assert_eq!(at(&f), ("content/page.fr.md", line, column), "{title}");
        assert!(f.help.contains(starts), "{title}: {f:?}");
        assert!(
            f.help.ends_with(&format!("\ntitle: \"{title}\"")),
            "{title}: {f:?}"
        );
    }
}

/// A `slug` that sends a page where another already goes is an error at that `slug:`,
/// in whichever of the two files has it.
#[test]
fn a_slug_taken_by_another_page_is_an_error_at_the_slug() {
    let site = team_site();
    site.write(
        "content/roles/lead-developer.fr.md",
        "---\ntitle: Lead dev\nslug: project-manager\n---\n\nText.\n",
    );
    let (code, findings) = check(&site, &[]);
    assert_eq!(code, 1);
    let f = findings
        .iter()
        .find(|f| f.message.starts_with("two pages would be written"))
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(at(f), ("content/roles/lead-developer.fr.md", 3, 1), "{f:?}");
    assert!(
        f.message
            .ends_with("this one and content/roles/project-manager.fr.md"),
        "{f:?}"
    );
}

/// Mistakes in `site.yaml` are shown at their line and column, as a page's are.
#[test]
fn site_yaml_mistakes_point_at_their_line() {
    let site = team_site();
    let languages = "languages:\n  fr: { name: Français }\n  en: { name: English }\n";
    for (yaml, line, column, message, help) in [
        (
            format!("title: T\ndefault_language: fr\n{languages}theme: fancy\n"),
            6,
            8,
            "theme `fancy` not found",
            "remove `theme:`",
        ),
        (
            format!("title: T\ndefault_language: de\n{languages}"),
            2,
            19,
            "`default_language: de` is not one of",
            "",
        ),
        (
            format!("title: T\ndefault_language: fr\n{languages}theme_options:\n  colour: red\n"),
            7,
            11,
            "unknown theme option `colour`",
            "accent_color",
        ),
        (
            "title: T\ndefault_language: fr\nlanguages:\n  fr: Français\n  english: English\n"
                .to_string(),
            5,
            12,
            "`english` is not a language code",
            "",
        ),
        (
            "title: T\ndefault_language: fr\nlanguages: [fr, en]\n".to_string(),
            3,
            12,
            "expected mapping start",
            "languages:\n  fr: { name: Français }",
        ),
    ] {
        site.write("site.yaml", &yaml);
        let (_, findings) = check(&site, &[]);
        let f = findings
            .iter()
            .find(|f| f.file == "site.yaml")
            .unwrap_or_else(|| panic!("{yaml}: {findings:#?}"));
        assert_eq!((f.line, f.column), (line, column), "{yaml}: {f:?}");
        assert!(f.message.contains(message), "{yaml}: {f:?}");
        assert!(f.help.contains(help), "{yaml}: {f:?}");
        assert!(!f.help.contains("quotes"), "{yaml}: {f:?}");
    }
}

#[test]
fn check_warns_on_the_placeholders_of_a_fresh_new_role() {
    let site = team_site();
    site.run(&["new", "role", "qa-lead"]).ok();
    let fr = std::fs::read_to_string(site.path("content/roles/qa-lead.fr.md")).expect("fr");
    assert!(fr.contains("title: QA lead "), "{fr}");

    let (code, findings) = check(&site, &[]);
    assert_eq!(code, 0, "placeholders are warnings: {findings:#?}");
    let places: Vec<(&str, u64, u64)> = findings
        .iter()
        .inspect(|f| {
            assert_eq!(f.severity, "warning", "{f:?}");
            assert!(f.message.contains("placeholder"), "{f:?}");
        })
        .map(at)
        .collect();
    // fr (default language): title, first onboarding step, text. en: title, slug too.
    assert_eq!(
        places,
        vec![
            ("content/roles/qa-lead.en.md", 2, 20),
            ("content/roles/qa-lead.en.md", 3, 19),
            ("content/roles/qa-lead.en.md", 12, 12),
            ("content/roles/qa-lead.en.md", 15, 1),
            ("content/roles/qa-lead.fr.md", 2, 20),
            ("content/roles/qa-lead.fr.md", 11, 12),
            ("content/roles/qa-lead.fr.md", 14, 1),
        ]
    );
    assert_eq!(check(&site, &["--strict"]).0, 1);

    // Written for real, the pages have nothing more to say.
    for lang in ["fr", "en"] {
        site.write(
            &format!("content/roles/qa-lead.{lang}.md"),
            "---\ntitle: QA lead\nonboarding:\n  - id: qa-lead-first-day\n    text: Read the test plan\n---\n\nText.\n",
        );
    }
    let (code, findings) = check(&site, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}
