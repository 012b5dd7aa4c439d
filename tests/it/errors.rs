//! Bad input: every case gets a clear message naming the file (and line), exit status 1,
//! and the previous output stays as it was.

use crate::common;

use common::*;

fn one_language() -> TestSite {
    TestSite::new("title: T\nlanguages: {fr: Français}\n")
}

/// Builds a site with one bad file and returns stderr, asserting exit 1.
fn fails_with(file: &str, bytes: &[u8]) -> String {
    let site = one_language();
    site.write_bytes(file, bytes);
    site.build().fails()
}

#[test]
fn invalid_yaml_points_at_the_line_in_the_file() {
    let err = fails_with(
        "content/a.fr.md",
        b"---\ntitle: A\nskills: [one, two\n---\nBody\n",
    );
    assert!(err.contains("content/a.fr.md:"), "{err}");
    assert!(
        err.contains("skills: [one, two"),
        "snippet shows the line: {err}"
    );
}

#[test]
fn wrong_type_names_file_line_and_column() {
    let err = fails_with("content/a.fr.md", b"---\ntitle: A\nweight: ten\n---\n");
    assert!(err.contains("content/a.fr.md:3:9"), "{err}");
    assert!(err.contains("weight: ten"), "{err}");
}

#[test]
fn front_matter_that_never_closes() {
    let err = fails_with("content/a.fr.md", b"---\ntitle: A\n\nSome text\n");
    assert!(err.contains("content/a.fr.md:1:1"), "{err}");
    assert!(err.contains("never closes"), "{err}");
}

#[test]
fn non_utf8_file_names_the_byte_offset() {
    let err = fails_with("content/a.fr.md", b"---\ntitle: Caf\xe9\n---\n");
    assert!(err.contains("content/a.fr.md:2:"), "{err}");
    assert!(
        err.contains("not valid UTF-8") && err.contains("byte offset 14"),
        "{err}"
    );
}

/// An empty file is no page yet, and nothing broken: a warning, and the rest of the site
/// builds (Adobe's Primetime and ID Service guides have one each, which stopped their
/// whole builds). A link to it is an error, as to any page that does not exist; with
/// `--strict`, so is the warning.
#[test]
fn an_empty_file_is_a_warning_and_no_page() {
    let site = one_language();
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\nTexte.\n");
    site.write_bytes("content/a.fr.md", b"\n");
    let err = site.build().ok().stderr();
    assert!(
        err.contains("content/a.fr.md") && err.contains("the file is empty"),
        "{err}"
    );
    assert!(!site.output("fr/a/index.html").exists());
    assert_eq!(site.run(&["build", "--strict"]).code(), 1);
    site.write(
        "content/_index.fr.md",
        "---\ntitle: Accueil\n---\nVoir [a](a.md).\n",
    );
    let err = site.build().fails();
    assert!(err.contains("link to `a.md`: no such page"), "{err}");
}

#[test]
fn missing_title() {
    let err = fails_with(
        "content/a.fr.md",
        b"---\ndescription: x\n---\nNo heading here.\n",
    );
    assert!(
        err.contains("content/a.fr.md:1:1") && err.contains("no title"),
        "{err}"
    );
}

#[test]
fn unconfigured_language_marker() {
    let err = fails_with("content/roles/a.de.md", b"---\ntitle: A\n---\n");
    assert!(
        err.contains("content/roles/a.de.md") && err.contains("`.de` is not configured"),
        "{err}"
    );
}

#[test]
fn two_pages_on_one_url_name_both_files() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\nslug: same\n---\n");
    site.write("content/b.fr.md", "---\ntitle: B\nslug: same\n---\n");
    let err = site.build().fails();
    assert!(
        err.contains("content/a.fr.md") && err.contains("content/b.fr.md"),
        "{err}"
    );
    assert!(err.contains("fr/same/index.html"), "{err}");
}

#[test]
fn works_with_and_depends_on_naming_missing_keys() {
    let site = one_language();
    site.write(
        "content/roles/a.fr.md",
        "---\ntitle: A\nworks_with: [ghost]\ndepends_on: [nowhere]\n---\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("content/roles/a.fr.md:3") && err.contains("`ghost`"),
        "{err}"
    );
    assert!(
        err.contains("content/roles/a.fr.md:4") && err.contains("`nowhere`"),
        "{err}"
    );
}

#[test]
fn broken_link_to_a_content_file() {
    let err = fails_with(
        "content/a.fr.md",
        b"---\ntitle: A\n---\n\nSee [x](missing-page.md).\n",
    );
    assert!(
        err.contains("content/a.fr.md:5:5") && err.contains("missing-page.md"),
        "{err}"
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{% if page.title %}\n<p>never closed</p>\n",
    );
    let err = site.build().fails();
    assert!(err.contains("templates/page.html:"), "{err}");
}

#[test]
fn unknown_filter_names_the_template() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    site.write("templates/page.html", "<h1>{{ page.title | shout }}</h1>\n");
    let err = site.build().fails();
    assert!(
        err.contains("templates/page.html") && err.contains("shout"),
        "{err}"
    );
}

#[test]
fn undefined_variable_at_render_time_names_the_template_line() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n<p>{{ page.nonexistent.field }}</p>\n",
    );
    let err = site.build().fails();
    assert!(err.contains("templates/page.html:2"), "{err}");
}

#[test]
fn invalid_site_yaml() {
    let site = TestSite::new("title: T\nlanguages: {fr: Français\n");
    let err = site.build().fails();
    assert!(err.contains("site.yaml:"), "{err}");
    let site = TestSite::new("title: T\nlanguages: {fr: Français}\ntheme_colour: red\n");
    let err = site.build().fails();
    assert!(err.contains("site.yaml:3"), "{err}");
}

#[test]
fn missing_site_yaml() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_equipe"))
        .args(["build", "--source"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no site.yaml"));
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    let source = site.root().to_string_lossy().into_owned();
    for output in [
        source.clone(),
        site.path("content/out").to_string_lossy().into_owned(),
        site.root()
            .parent()
            .expect("parent")
            .to_string_lossy()
            .into_owned(),
    ] {
        let err = site.run(&["build", "--output", &output]).fails();
        assert!(err.contains("refusing to write"), "{output}: {err}");
    }
    assert!(!site.path("content/out").exists());
}

#[test]
fn every_error_of_a_build_is_printed() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\nweight: ten\n---\n");
    site.write("content/b.fr.md", "---\ndescription: no title\n---\n");
    site.write("content/c.fr.md", "---\ntitle: C\n---\n[x](nope.md)\n");
    let err = site.build().fails();
    for file in ["content/a.fr.md", "content/b.fr.md", "content/c.fr.md"] {
        assert!(err.contains(file), "{file} missing from:\n{err}");
    }
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: Version one\n---\n");
    site.build().ok();
    let before = site.read_output("fr/a/index.html");
    site.write("content/a.fr.md", "---\ntitle: [broken\n---\n");
    site.build().fails();
    assert_eq!(site.read_output("fr/a/index.html"), before);
    assert!(before.contains("Version one"));
}

#[test]
fn inputs_that_must_just_work() {
    let site = one_language();
    site.write_bytes(
        "content/bom.fr.md",
        b"\xef\xbb\xbf---\r\ntitle: Avec BOM\r\n---\r\nTexte\r\n",
    );
    site.write("content/Fiche Rôle Été.fr.md", "---\ntitle: Accents\n---\n");
    site.write(
        "content/entities.fr.md",
        "---\ntitle: L&#39;équipe\n---\nC&#39;est l&#39;équipe &amp; le projet.\n",
    );
    site.write("content/teams/_index.fr.md", "---\ntitle: Équipes\n---\n");
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        "Une ligne de texte assez longue pour peser. ".repeat(100_000)
    );
    site.write("content/big.fr.md", &big);
    site.build().ok();
    assert!(site.read_output("fr/bom/index.html").contains("Avec BOM"));
    assert!(site.output("fr/fiche-role-ete/index.html").exists());
    let entities = site.read_output("fr/entities/index.html");
    assert!(
        entities.contains("C’est l’équipe &amp; le projet."),
        "{entities}"
    );
    assert!(entities.contains("<h1>L’équipe</h1>"), "{entities}");
    assert!(site.output("fr/teams/index.html").exists());
    assert!(
        std::fs::metadata(site.output("fr/big/index.html"))
            .expect("big")
            .len()
            > 4_000_000
    );
}

#[test]
fn slugs_and_links_cannot_escape_the_output_folder() {
    let site = one_language();
    site.write(
        "content/a.fr.md",
        "---\ntitle: A\nslug: ../../../escaped\n---\n[up](../../../../etc/passwd.md)\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("passwd.md"),
        "the climbing link is reported: {err}"
    );
    site.write(
        "content/a.fr.md",
        "---\ntitle: A\nslug: ../../../escaped\n---\n",
    );
    site.build().ok();
    assert!(site.output("fr/escaped/index.html").exists());
    assert!(
        !site
            .root()
            .parent()
            .expect("parent")
            .join("escaped")
            .exists()
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_and_loops_are_not_followed() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n");
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(
        outside.path().join("secret.fr.md"),
        "---\ntitle: Secret\n---\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.fr.md"),
        site.path("content/secret.fr.md"),
    )
    .expect("link");
    std::os::unix::fs::symlink(outside.path(), site.path("content/elsewhere")).expect("link");
    std::os::unix::fs::symlink(site.path("content"), site.path("content/loop")).expect("link");
    std::os::unix::fs::symlink(
        site.path("content/gone.fr.md"),
        site.path("content/dangling"),
    )
    .expect("link");
    let run = site.build().ok();
    // Each skipped link says why.
    for (link, why) in [
        ("secret.fr.md", "it points outside the site"),
        ("elsewhere", "it points outside the site"),
        (
            "loop",
            "it points to a folder, and only links to files are followed",
        ),
        ("dangling", "it points to nothing"),
    ] {
        let line = run
            .stderr()
            .lines()
            .find(|l| l.contains(&format!("content/{link}")))
            .map(str::to_string);
        assert!(
            line.as_deref().is_some_and(|l| l.contains(why)),
            "{link}: {line:?}\n{}",
            run.stderr()
        );
    }
    assert!(!site.output("fr/secret/index.html").exists());
    assert!(!site.output("fr/elsewhere").exists());
}

#[test]
fn billion_laughs_is_an_error_not_a_memory_blow_up() {
    let mut yaml = String::from(
        "---\ntitle: Lol\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='i' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    yaml.push_str("---\n");
    let err = fails_with("content/lol.fr.md", yaml.as_bytes());
    assert!(err.contains("content/lol.fr.md"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_equipe"))
        .args(["build", "--no-such-flag"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
/// A warning, not an error (the page exists; see tests/guides.rs for `--strict`).
fn a_broken_anchor_in_a_build_shows_its_line_and_snippet() {
    let site = one_language();
    site.write("content/a.fr.md", "---\ntitle: A\n---\n## Ici\n");
    site.write(
        "content/b.fr.md",
        "---\ntitle: B\n---\n\nVoir [là](a.md#ailleurs).\n",
    );
    let err = site.build().ok().stderr();
    assert!(
        err.contains("content/b.fr.md:5:6") && err.contains("`#ailleurs`"),
        "{err}"
    );
    assert!(
        err.contains("Voir [là](a.md#ailleurs)."),
        "the snippet shows the line: {err}"
    );
}

/// A link to a section a role's template writes (`#onboarding`, its checklist) goes there,
/// even when the role's body has a heading the rules for Experience League's links would
/// bring the fragment to ("On boarding", `#on-boarding`): those rules are for fragments
/// that are nowhere on the page.
#[test]
fn a_link_to_a_section_of_the_template_is_not_sent_to_a_heading_alike() {
    let site = one_language();
    site.write(
        "content/roles/tester.fr.md",
        "---\ntitle: Testeur\nonboarding:\n  - Lire le guide\n---\n## On boarding\n\nTexte.\n",
    );
    site.write(
        "content/roles/dev.fr.md",
        "---\ntitle: Dev\n---\nVoir [la liste](tester.md#onboarding) et [le rôle](tester.md#on_boarding).\n",
    );
    site.build().ok();
    let html = site.html("fr/roles/dev/index.html");
    let hrefs: Vec<String> = select(&html, ".prose a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../../fr/roles/tester/index.html#onboarding",
            // A fragment the template has not: the heading alike, as before.
            "../../../fr/roles/tester/index.html#on-boarding",
        ]
    );
    assert_eq!(
        select(&site.html("fr/roles/tester/index.html"), "#onboarding").len(),
        1
    );
}

/// A link to a `#fragment` of the page itself is checked as any other: one to a heading
/// of its body or to a section its template makes is fine, one to nothing is a warning at
/// its line and column, and its href stays as written.
#[test]
fn a_link_to_a_missing_anchor_of_the_same_page_is_a_warning() {
    let site = one_language();
    site.write(
        "content/roles/tester.fr.md",
        "---\ntitle: Testeur\nonboarding:\n  - Lire le guide\n---\n## Ici\n\nVoir [ici](#ici), [la liste](#onboarding)\net [ailleurs](#ailleurs).\n\n[Haut de page](#top), [l'autre](../autre.md#Top).\n",
    );
    site.write("content/autre.fr.md", "---\ntitle: Autre\n---\nTexte.\n");
    let err = site.build().ok().stderr();
    assert!(
        err.contains("content/roles/tester.fr.md:9:4") && err.contains("`#ailleurs`"),
        "{err}"
    );
    assert!(
        !err.contains("`#ici`") && !err.contains("`#onboarding`"),
        "{err}"
    );
    // `#top` is the top of any page, to browsers.
    assert!(!err.to_lowercase().contains("`#top`"), "{err}");
    let hrefs: Vec<String> = select(
        &site.html("fr/roles/tester/index.html"),
        ".prose a:not(.anchor)",
    )
    .iter()
    .map(|a| attr(a, "href"))
    .collect();
    assert_eq!(hrefs[..4], ["#ici", "#onboarding", "#ailleurs", "#top"]);
    assert_eq!(site.run(&["check", "--strict"]).code(), 1);
}
