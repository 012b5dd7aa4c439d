//! The search index of the example site, queried with the theme's own search script
//! under Node (the same code the browser runs).

use crate::common;

use std::process::Command;

use common::*;

/// The scripts a language's home page links, by the plain name they start with.
fn linked_script(site: &TestSite, lang: &str, plain: &str) -> std::path::PathBuf {
    let home = site.html(&format!("{lang}/index.html"));
    let src = select(&home, "script[src]")
        .iter()
        .map(|s| attr(s, "src"))
        .find(|src| src.starts_with(&format!("../assets/{plain}.")))
        .unwrap_or_else(|| panic!("{lang}/index.html links no assets/{plain}.*.js"));
    site.output(src.trim_start_matches("../"))
}

/// The search index a language's home page loads when someone searches.
fn index_script(site: &TestSite, lang: &str) -> std::path::PathBuf {
    let home = site.html(&format!("{lang}/index.html"));
    let index = attr(&select(&home, "form.search")[0], "data-index");
    site.output(index.trim_start_matches("../"))
}

/// Runs `query` against a language's index with search.js; returns the titles found.
fn query(site: &TestSite, lang: &str, query: &str) -> Option<Vec<String>> {
    let script = format!(
        "global.window = {{}};\
         require({index:?});\
         const s = require({search:?});\
         const found = s.search(window.EQUIPE_SEARCH[{lang:?}], {query:?}, 20);\
         console.log(JSON.stringify(found.map(e => [e.t, e.u])));",
        index = index_script(site, lang),
        search = linked_script(site, lang, "search"),
    );
    let out = Command::new("node").arg("-e").arg(&script).output().ok()?;
    assert!(
        out.status.success(),
        "node: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<(String, String)> = serde_json::from_slice(&out.stdout).expect("json");
    for (_, url) in &found {
        assert!(site.output(url).exists(), "result URL {url} exists");
    }
    Some(found.into_iter().map(|(t, _)| t).collect())
}

#[test]
fn search_is_per_language_and_accent_insensitive() {
    let site = TestSite::example();
    site.build().ok();
    let Some(found) = query(&site, "fr", "entrepot") else {
        skip("search index query", Some("node not found".into()));
        return;
    };
    assert_eq!(
        found.first().map(String::as_str),
        Some("Entrepôt"),
        "{found:?}"
    );
    let found = query(&site, "fr", "equipe de projet").expect("node");
    assert!(
        found.first().is_some_and(|t| t == "L’équipe de projet"),
        "{found:?}"
    );
    let found = query(&site, "en", "warehouse").expect("node");
    assert_eq!(
        found.first().map(String::as_str),
        Some("Warehouse"),
        "{found:?}"
    );
    assert!(
        found.iter().all(|t| !t.contains("Entrepôt")),
        "English index only: {found:?}"
    );
    // Checklist items are searchable.
    let found = query(&site, "en", "launch date").expect("node");
    assert!(!found.is_empty());
    assert!(query(&site, "fr", "zzzqqq").expect("node").is_empty());
}

/// Pages name their language's index for search.js to load on the first search, and
/// do not load it with the page.
#[test]
fn every_page_names_its_language_index() {
    let site = TestSite::example();
    site.build().ok();
    for (page, lang) in [
        ("fr/roles/chef-de-projet/index.html", "fr"),
        ("en/teams/warehouse/index.html", "en"),
    ] {
        let html = site.html(page);
        let scripts: Vec<String> = select(&html, "script[src]")
            .iter()
            .map(|s| attr(s, "src"))
            .collect();
        assert!(
            scripts.iter().all(|s| !s.contains("assets/search-")),
            "{scripts:?}"
        );
        let form = &select(&html, "form.search")[0];
        assert!(
            attr(form, "data-index").ends_with(&format!("assets/search-{lang}.js")),
            "{}",
            attr(form, "data-index")
        );
        assert_eq!(attr(form, "data-lang"), lang);
        assert!(select(&html, "label[for=search-input]").len() == 1);
    }
}
