//! Content that tries to run script, to land on a file equipe generates, or to make
//! messages unreadable: real fixture sites built with the real binary, HTML read back
//! with an HTML parser.

use crate::common;

use std::process::Command;

use common::*;
use scraper::Html;

/// Every hostile Markdown input of `tests/fuzz_inputs/hostile-*.md`, one page each.
fn hostile_inputs() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut inputs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/fuzz_inputs")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("hostile-"))
        })
        .map(|p| {
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "hostile inputs: {}", inputs.len());
    inputs
}

fn hostile_site(site_yaml: &str) -> (TestSite, Vec<String>) {
    let site = TestSite::new(site_yaml);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    site.write("content/_index.en.md", "---\ntitle: Home\n---\n");
    // The files the raw HTML's images name: a missing one would be an error.
    site.write_bytes("content/x", b"x");
    site.write_bytes("content/diagram.png", b"png");
    let mut pages = Vec::new();
    for (stem, text) in hostile_inputs() {
        site.write(&format!("content/{stem}.fr.md"), &text);
        pages.push(format!("fr/{stem}/index.html"));
    }
    (site, pages)
}

/// Every attribute of every element in `html`'s content area (`.prose`).
fn content_attributes(html: &Html) -> Vec<(String, String, String)> {
    select(html, ".prose, .prose *")
        .iter()
        .flat_map(|e| {
            e.value()
                .attrs()
                .map(|(k, v)| (e.value().name().to_string(), k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn is_script_url(value: &str) -> bool {
    let v: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || (v.starts_with("data:") && !v.starts_with("data:image/"))
}

#[test]
fn hostile_markdown_cannot_run_script_by_default() {
    let (site, pages) = hostile_site(TWO_LANGUAGES);
    let run = site.build().ok();
    let stderr = run.stderr();
    for page in &pages {
        let html = site.html(page);
        // No event handler anywhere in the page, no script URL anywhere.
        for e in select(&html, "*") {
            for (name, value) in e.value().attrs() {
                assert!(
                    !name.to_ascii_lowercase().starts_with("on"),
                    "{page}: <{} {name}=\"{value}\">",
                    e.value().name()
                );
                assert!(
                    !is_script_url(value),
                    "{page}: <{} {name}=\"{value}\">",
                    e.value().name()
                );
            }
        }
        // No script, style or frame in the content, nor their text.
        for tag in ["script", "style", "iframe", "object", "embed", "form"] {
            assert!(
                select(&html, &format!(".prose {tag}")).is_empty(),
                "{page}: <{tag}> in content"
            );
        }
        // A dropped Markdown link keeps its text, which may be the URL itself (an
        // autolink): harmless text. Elsewhere, no trace of the scripts may remain.
        let prose: String = select(&html, ".prose").iter().map(text).collect();
        assert!(
            page.contains("hostile-links") || !prose.contains("alert("),
            "{page}: script text: {prose}"
        );
        assert!(!content_attributes(&html).is_empty(), "{page} has content");
    }

    // The heading attribute injection stays one attribute, in the heading and the anchor.
    let html = site.html("fr/hostile-heading-attributes/index.html");
    let id = "a\"onmouseover=\"alert(1)";
    let heading = select(&html, ".prose h2");
    assert_eq!(attr(&heading[0], "id"), id);
    let anchor = select(&html, ".prose h2 a.anchor");
    assert_eq!(attr(&anchor[0], "href"), format!("#{id}"));
    assert!(select(&html, ".prose [onclick]").is_empty());

    // What documentation needs stays.
    let html = site.html("fr/hostile-raw-html/index.html");
    for kept in [
        ".prose details > summary",
        ".prose kbd",
        ".prose sup",
        ".prose sub",
        ".prose br",
        ".prose table td",
        ".prose img[src='../../diagram.png']",
        ".prose img[src^='data:image/png']",
        ".prose a[href='https://example.org/'].external",
    ] {
        assert!(!select(&html, kept).is_empty(), "{kept}");
    }
    // Markdown inside the <details> stays inside it.
    assert_eq!(select(&html, ".prose details strong").len(), 1);

    // Dropped Markdown links and images are warnings with file:line:col.
    assert!(
        stderr.contains("content/hostile-links.fr.md:5:5") && stderr.contains("dropped"),
        "{stderr}"
    );
    let html = site.html("fr/hostile-links/index.html");
    assert!(text(&select(&html, ".prose")[0]).contains("click me"));
}

/// An element of raw HTML that cleaning takes out is a warning at its line and column,
/// not a silent gap in the page; in a comment or in code it is no element.
#[test]
fn raw_html_taken_out_is_said() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write(
        "content/embed.fr.md",
        "---\ntitle: Vidéo\n---\nTexte.\n\n<script>alert(1)</script>\n\nLa vidéo : <iframe src=\"https://example.org/v\"></iframe>\n\n<!-- <script> -->\n\n```html\n<script>x</script>\n```\n\nEt `<style>` en code.\n",
    );
    let stderr = site.build().ok().stderr();
    assert!(
        stderr.contains("content/embed.fr.md:6:1") && stderr.contains("`<script>` left out"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/embed.fr.md:8:12") && stderr.contains("`<iframe>` left out"),
        "{stderr}"
    );
    assert!(stderr.contains(">[!VIDEO]"), "{stderr}");
    assert_eq!(stderr.matches("left out").count(), 2, "{stderr}");
    assert!(select(&site.html("fr/embed/index.html"), ".prose iframe").is_empty());
}

/// A body nested deeper than a browser nests a page (100,000 quotes, then raw HTML that
/// must be cleaned) is an error at the page, not a build that cleans it for minutes: the
/// HTML parser that cleaning uses looks through every open element at each tag. The same
/// nesting in HTML that needs no cleaning builds; the output is left as it was.
#[test]
fn html_nested_past_what_a_browser_builds_is_an_error() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/a.fr.md", "---\ntitle: A\n---\nTexte.\n");
    site.build().ok();
    let before = std::fs::read(site.output("fr/a/index.html")).expect("built");
    let quotes = ">".repeat(100_000);
    site.write(
        "content/deep.fr.md",
        &format!("---\ntitle: Profond\n---\n{quotes} x\n\n<div><script>x</script></div>\n"),
    );
    site.write(
        "content/divs.fr.md",
        &format!("---\ntitle: Divs\n---\n{}\n", "<div>".repeat(200_000)),
    );
    let stderr = site.build().fails();
    for page in ["deep", "divs"] {
        assert!(
            stderr.contains(&format!("content/{page}.fr.md:4:1"))
                && stderr.contains("nests its quotes, lists or HTML elements more than 512 deep"),
            "{page}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read(site.output("fr/a/index.html")).expect("kept"),
        before
    );
    // Nested as deep as a page may be, it builds, cleaned.
    site.write(
        "content/deep.fr.md",
        &format!(
            "---\ntitle: Profond\n---\n{} x\n\n<div><script>x</script></div>\n",
            ">".repeat(500)
        ),
    );
    std::fs::remove_file(site.path("content/divs.fr.md")).expect("rm");
    site.build().ok();
    let html = site.html("fr/deep/index.html");
    assert_eq!(select(&html, ".prose blockquote").len(), 500);
    assert!(select(&html, ".prose script").is_empty());
}

#[test]
fn trusted_raw_html_passes_through() {
    let yaml = format!("{TWO_LANGUAGES}markdown:\n  raw_html: trusted\n");
    let (site, _) = hostile_site(&yaml);
    let stderr = site.build().ok().stderr();
    assert!(!stderr.contains("dropped"), "{stderr}");
    assert!(!stderr.contains("left out"), "{stderr}");
    let html = site.html("fr/hostile-raw-html/index.html");
    assert!(!select(&html, ".prose script").is_empty());
    assert_eq!(select(&html, ".prose img[onerror]").len(), 1);
    let html = site.html("fr/hostile-links/index.html");
    assert!(!select(&html, ".prose a[href^='javascript:']").is_empty());
}

#[test]
fn content_over_a_generated_file_is_an_error_naming_both() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    site.write("content/robots.txt", "User-agent: *\n");
    // A checklist item, so that the language has a checklist page.
    site.write(
        "content/roles/chef.fr.md",
        "---\ntitle: Chef\nonboarding: [Lire la charte]\n---\n",
    );
    site.write(
        "content/liste.fr.md",
        "---\ntitle: Ma liste\nslug: checklist\n---\n",
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains(
            "content/robots.txt: this file would replace `robots.txt`, the robots.txt rules"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/liste.fr.md")
            && stderr.contains("`fr/checklist/index.html` is the checklist page"),
        "{stderr}"
    );
    assert!(!site.output("robots.txt").exists());
}

#[test]
fn a_static_file_over_a_generated_one_wins_with_a_warning() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let stderr = site.build().ok().stderr();
    assert!(
        stderr
            .contains("⚠ static/robots.txt: this file replaces `robots.txt`, the robots.txt rules"),
        "{stderr}"
    );
    assert_eq!(
        site.read_output("robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn underscore_files_and_folders_are_never_pages_in_either_layout() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    site.write("content/en/_index.md", "---\ntitle: Home\n---\n");
    // Each is empty, which is an error if it is read as a page.
    for not_a_page in [
        "content/_snippet.fr.md",
        "content/_drafts/role.fr.md",
        "content/roles/_index-old.fr.md",
        "content/roles/_index.fr.md.bak",
        "content/en/_notes.md",
        "content/en/_drafts/x.md",
        "content/en/roles/_index-draft.md",
        "content/_index/x.fr.md",
    ] {
        site.write(not_a_page, "");
    }
    site.build().ok();
    let files = output_files(&site);
    assert!(files.iter().all(|f| !f.contains('_')), "{files:?}");
    assert!(site.output("en/index.html").is_file());
}

#[test]
fn a_base_url_must_be_http_in_site_yaml_and_on_the_command_line() {
    let site = TestSite::new(
        "title: T\ndefault_language: fr\nlanguages:\n  fr: Français\nbase_url: javascript:alert(1)//\n",
    );
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    let stderr = site.build().fails();
    assert!(stderr.contains("site.yaml:5:11"), "{stderr}");

    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    let run = site.run(&["build", "--base-url", "ftp://example.org/"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("--base-url") && run.stderr().contains("https://"),
        "{}",
        run.stderr()
    );
    assert!(!site.output("index.html").exists());
    site.run(&["build", "--base-url", "https://example.org/x"])
        .ok();
    assert!(
        site.read_output("sitemap.xml")
            .contains("https://example.org/x/fr/")
    );
}

#[test]
fn csv_export_cells_cannot_be_formulas() {
    let no_node = Command::new("node")
        .arg("--version")
        .output()
        .is_err()
        .then(|| "no `node` on the PATH".to_string());
    if skip("CSV export under Node", no_node) {
        return;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/static/assets/checklist.js");
    // The smallest DOM the script needs: boxes with their labels, and the export button.
    let driver = format!(
        r#"
        const texts = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"];
        const boxes = texts.map((t, i) => ({{
          getAttribute: (n) => n === "data-check" ? "id" + i : n === "aria-label" ? t : null,
          checked: false, defaultChecked: false, closest: () => null,
        }}));
        let click = null, saved = null;
        const button = {{
          getAttribute: (n) => n === "data-checklist-export" ? "csv" : null,
          addEventListener: (e, f) => {{ click = f; }},
        }};
        const store = {{}};
        global.window = {{
          localStorage: {{
            setItem: (k, v) => {{ store[k] = v; }}, getItem: (k) => store[k] ?? null,
            removeItem: (k) => {{ delete store[k]; }}, key: (i) => Object.keys(store)[i],
            get length() {{ return Object.keys(store).length; }},
          }},
          addEventListener: () => {{}},
        }};
        global.location = {{ host: "h" }};
        global.document = {{
          documentElement: {{ getAttribute: () => "s" }},
          readyState: "complete",
          addEventListener: () => {{}},
          querySelectorAll: (s) => s === "input.check[data-check]" ? boxes
            : s === "[data-checklist-export]" ? [button] : [],
          createElement: () => ({{ click() {{}}, remove() {{}} }}),
          body: {{ appendChild() {{}} }},
        }};
        global.Blob = function (parts) {{ saved = parts.join(""); }};
        global.URL = {{ createObjectURL: () => "blob:", revokeObjectURL: () => {{}} }};
        global.setTimeout = () => {{}};
        require({script:?});
        click();
        process.stdout.write(JSON.stringify(saved));
        "#
    );
    let out = Command::new("node")
        .arg("-e")
        .arg(&driver)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv: String = serde_json::from_slice(&out.stdout).expect("json");
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(rows[0], "\"id\",\"text\",\"done\"");
    for (row, cell) in rows[1..].iter().zip([
        "\"'=HYPERLINK(\"\"http://x\"\")\"",
        "\"'+1\"",
        "\"'-2\"",
        "\"'@SUM(A1)\"",
        "\"'\tx\"",
        "\"'\rx\"",
        "\"plain\"",
        "\"a=b\"",
    ]) {
        assert!(
            row.contains(&format!(",{cell},")),
            "{row:?} has no {cell:?}"
        );
    }
}

#[test]
fn a_missing_logo_is_a_warning() {
    let site = TestSite::new(&format!(
        "{TWO_LANGUAGES}theme_options:\n  accent_color: \"#123456\"\n  logo: img/logo.svg\n"
    ));
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    let stderr = site.build().ok().stderr();
    assert!(
        stderr.contains("⚠ site.yaml:11:9: theme option `logo: img/logo.svg`"),
        "{stderr}"
    );
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let stderr = site.build().ok().stderr();
    assert!(!stderr.contains("logo"), "{stderr}");
}

#[test]
fn an_unreadable_theme_folder_is_an_error_not_the_built_in_theme() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    // `themes` a file: `themes/default` cannot be read, even by root.
    site.write("themes", "not a folder");
    let stderr = site.build().fails();
    assert!(
        stderr.contains("themes/default") && stderr.contains("cannot read"),
        "{stderr}"
    );
}

#[test]
fn a_megabyte_line_gives_a_short_snippet() {
    let site = TestSite::new(TWO_LANGUAGES);
    site.write("content/_index.fr.md", "---\ntitle: Accueil\n---\n");
    let line = format!(
        "{} [x](missing.md) {}",
        "a".repeat(1_000_000),
        "b".repeat(1_000)
    );
    site.write(
        "content/long.fr.md",
        &format!("---\ntitle: Long\n---\n\n{line}\n"),
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains("content/long.fr.md:5:1000002"),
        "{stderr:.2000}"
    );
    assert!(stderr.contains("[x](missing.md)"), "{stderr:.2000}");
    assert!(stderr.len() < 4_000, "{} bytes of stderr", stderr.len());
}
