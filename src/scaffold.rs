//! `equipe init` and `equipe new`: files a user starts from.
//!
//! `init` writes a small working site in the languages asked for; `new` adds one role,
//! team or page in every configured language, with the front matter keys of its kind
//! filled in. Neither ever overwrites a file: they check every path first and write
//! nothing if one exists.
//!
//! What `new` cannot know (the title in each language, the first onboarding step, the
//! text) it writes as a [`PLACEHOLDER`] word, which `equipe check` reports, with its
//! position, for as long as it is there.

use std::path::{Path, PathBuf};

use crate::config::{Config, is_language_code};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// The word `equipe new` writes where the author has to write something.
pub const PLACEHOLDER: &str = "TODO";

/// Words that are acronyms in role and team keys (`qa-lead` -> "QA lead").
const ACRONYMS: &[&str] = &[
    "ai", "api", "b2b", "b2c", "bi", "ceo", "cfo", "cio", "cmo", "coo", "crm", "cto", "cx", "dba",
    "dpo", "drh", "dsi", "erp", "hr", "it", "ml", "pim", "pm", "po", "pr", "qa", "rh", "rssi",
    "seo", "sea", "sre", "ui", "ux",
];

/// Where each [`PLACEHOLDER`] word of a text stands: (line, column), both 1-based, the
/// column in characters, with the rest of its line (the hint `new` wrote after it) up to
/// a code span. Code is not the author's to fill in: a `// TODO` of a code sample (Adobe's
/// Pass and Experience Manager Guides have some) is the sample's, in a code block (fenced
/// or indented) or a code span of the body, as the Markdown parser finds them.
pub fn placeholders(text: &str) -> Vec<(usize, usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let code = code_in_body(text);
    let mut found = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        for (at, _) in line.match_indices(PLACEHOLDER) {
            let before = line[..at].chars().next_back();
            let after = line[at + PLACEHOLDER.len()..].chars().next();
            let in_code = code.iter().any(|r| r.contains(&(offset + at)));
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) && !in_code {
                let column = line[..at].chars().count() + 1;
                let rest = &line[at..];
                let rest = rest.split('`').next().unwrap_or(rest);
                found.push((i + 1, column, rest.trim_end()));
            }
        }
        offset += line.len();
    }
    found
}

/// The byte ranges of `text` that are code: its body's code blocks and code spans. Found
/// only in a text that has a placeholder, as `check` reads every page.
fn code_in_body(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    if !text.contains(PLACEHOLDER) {
        return Vec::new();
    }
    let start = crate::content::body_start(text).unwrap_or(0);
    Parser::new_ext(&text[start..], crate::markdown::options())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)))
        .map(|(_, range)| start + range.start..start + range.end)
        .collect()
}

/// A warning at every [`PLACEHOLDER`] left in a content file, so that a page
/// made with `equipe new` is not published half-written without anyone noticing.
pub fn placeholder_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for p in site.pages.iter().filter(|p| !p.generated) {
        let source = p.page.source();
        for (line, column, rest) in placeholders(&source) {
            let shown: String = rest
                .trim_end_matches(['"', '\''])
                .chars()
                .take(60)
                .collect();
            warnings.push(
                Diagnostic::warning(format!("placeholder still to replace: `{shown}`"))
                    .in_file(&p.page.file.display)
                    .with_source(source.clone())
                    .at(line, column)
                    .with_label("placeholder")
                    .with_help(format!(
                        "`equipe new` writes `{PLACEHOLDER}` where you have to write something: write it, and delete the `{PLACEHOLDER}` (and its comment)"
                    )),
            );
        }
    }
    warnings
}

/// A title made from a key for the author to replace: words spaced, the first capitalised,
/// known acronyms in capitals (`qa-lead` -> "QA lead", `seo-expert` -> "SEO expert").
fn title_from_key(key: &str) -> String {
    let words: Vec<String> = key
        .split('-')
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, word)| {
            if ACRONYMS.contains(&word) {
                word.to_uppercase()
            } else if i == 0 {
                let mut c = word.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                word.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// What `equipe new` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Role,
    Team,
    Page,
}

/// UI words of the starter content, per language; English for languages not listed.
struct Words {
    home_title: &'static str,
    home_text: &'static str,
    site_title: &'static str,
    pm: &'static str,
    pm_slug: &'static str,
    pm_text: &'static str,
    dev: &'static str,
    dev_slug: &'static str,
    warehouse: &'static str,
    warehouse_slug: &'static str,
    warehouse_text: &'static str,
    item_charter: &'static str,
    item_launch: &'static str,
    risk: &'static str,
    responsibility: &'static str,
}

fn words(lang: &str) -> Words {
    match lang.split('-').next().unwrap_or(lang) {
        "fr" => Words {
            home_title: "Bienvenue dans l'équipe",
            home_text: "Commencez par la page de votre rôle, puis cochez votre liste d'intégration.",
            site_title: "Notre équipe de projet",
            pm: "Chef de projet",
            pm_slug: "chef-de-projet",
            pm_text: "Le chef de projet tient le planning et informe les équipes externes.",
            dev: "Développeur",
            dev_slug: "developpeur",
            warehouse: "Entrepôt",
            warehouse_slug: "entrepot",
            warehouse_text: "L'entrepôt prépare et expédie les commandes : prévenez-le avant chaque lancement.",
            item_charter: "Lire la charte du projet",
            item_launch: "La date de lancement",
            risk: "Un entrepôt en sous-effectif retarde les expéditions",
            responsibility: "Tenir le planning",
        },
        "de" => Words {
            home_title: "Willkommen im Team",
            home_text: "Lesen Sie zuerst die Seite Ihrer Rolle und haken Sie dann Ihre Einarbeitungsliste ab.",
            site_title: "Unser Projektteam",
            pm: "Projektleiter",
            pm_slug: "projektleiter",
            pm_text: "Der Projektleiter hält den Zeitplan und informiert die externen Teams.",
            dev: "Entwickler",
            dev_slug: "entwickler",
            warehouse: "Lager",
            warehouse_slug: "lager",
            warehouse_text: "Das Lager packt und versendet die Bestellungen: Informieren Sie es vor jedem Start.",
            item_charter: "Die Projektcharta lesen",
            item_launch: "Das Startdatum",
            risk: "Ein unterbesetztes Lager verzögert den Versand",
            responsibility: "Den Zeitplan halten",
        },
        "es" => Words {
            home_title: "Bienvenido al equipo",
            home_text: "Empiece por la página de su rol y luego marque su lista de incorporación.",
            site_title: "Nuestro equipo de proyecto",
            pm: "Jefe de proyecto",
            pm_slug: "jefe-de-proyecto",
            pm_text: "El jefe de proyecto mantiene el calendario e informa a los equipos externos.",
            dev: "Desarrollador",
            dev_slug: "desarrollador",
            warehouse: "Almacén",
            warehouse_slug: "almacen",
            warehouse_text: "El almacén prepara y envía los pedidos: avísele antes de cada lanzamiento.",
            item_charter: "Leer el acta del proyecto",
            item_launch: "La fecha de lanzamiento",
            risk: "Un almacén con poco personal retrasa los envíos",
            responsibility: "Mantener el calendario",
        },
        _ => Words {
            home_title: "Welcome to the team",
            home_text: "Start with the page of your role, then tick your onboarding checklist.",
            site_title: "Our project team",
            pm: "Project manager",
            pm_slug: "project-manager",
            pm_text: "The project manager keeps the plan and tells the outside teams what is coming.",
            dev: "Developer",
            dev_slug: "developer",
            warehouse: "Warehouse",
            warehouse_slug: "warehouse",
            warehouse_text: "The warehouse packs and ships the orders: tell it before every launch.",
            item_charter: "Read the project charter",
            item_launch: "The launch date",
            risk: "An understaffed warehouse delays shipping",
            responsibility: "Keep the plan",
        },
    }
}

fn language_name(code: &str) -> String {
    match code {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "ar" => "العربية",
        _ => code,
    }
    .to_string()
}

/// Parses `--languages fr,en,de`.
pub fn parse_languages(list: &str) -> Result<Vec<String>, Diagnostic> {
    let codes: Vec<String> = list
        .split(',')
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err(Diagnostic::error(
            "`--languages` needs at least one language code, such as `fr,en`",
        ));
    }
    for code in &codes {
        if !is_language_code(code) {
            return Err(Diagnostic::error(format!(
                "`{code}` is not a language code (expected something like `fr` or `pt-br`)"
            )));
        }
    }
    Ok(codes)
}

/// The files of a new site, as (relative path, text).
pub fn site_files(languages: &[String]) -> Vec<(String, String)> {
    let default = &languages[0];
    let mut files = Vec::new();
    let mut yaml = String::from("# The site's configuration: see the README of equipe.\ntitle:\n");
    for l in languages {
        yaml.push_str(&format!("  {l}: {}\n", words(l).site_title));
    }
    yaml.push_str(&format!(
        "# base_url: https://example.org/team/   # for the sitemap and canonical links\ndefault_language: {default}\nlanguages:\n"
    ));
    for l in languages {
        let rtl = if matches!(l.as_str(), "ar" | "he" | "fa" | "ur") {
            ", dir: rtl"
        } else {
            ""
        };
        yaml.push_str(&format!("  {l}: {{ name: {}{rtl} }}\n", language_name(l)));
    }
    yaml.push_str("theme: default\n# theme_options:\n#   accent_color: \"#1f5f8b\"\n#   logo: logo.svg          # a file in static/\n");
    files.push(("site.yaml".to_string(), yaml));
    files.push((
        ".gitignore".to_string(),
        "/public\n/.public.equipe-*\n".to_string(),
    ));
    for l in languages {
        let w = words(l);
        // Keys are English: other languages get a slug in their own words.
        let slug = |s: &str| {
            if l == "en" {
                String::new()
            } else {
                format!("slug: {s}\n")
            }
        };
        files.push((
            format!("content/_index.{l}.md"),
            format!("---\ntitle: {}\n---\n\n{}\n", w.home_title, w.home_text),
        ));
        files.push((
            format!("content/roles/project-manager.{l}.md"),
            format!(
                "---\ntitle: {}\n{}weight: 10\nresponsibilities:\n  - {}\nworks_with: [developer]\ndepends_on: [warehouse]\nonboarding:\n  - id: project-manager-charter\n    text: {}\n---\n\n{}\n",
                w.pm,
                slug(w.pm_slug),
                w.responsibility,
                w.item_charter,
                w.pm_text
            ),
        ));
        files.push((
            format!("content/roles/developer.{l}.md"),
            format!(
                "---\ntitle: {}\n{}weight: 20\nworks_with: [project-manager]\n---\n\n- [ ] {}\n",
                w.dev,
                slug(w.dev_slug),
                w.item_charter
            ),
        ));
        files.push((
            format!("content/teams/warehouse.{l}.md"),
            format!(
                "---\ntitle: {}\n{}risks:\n  - {}\nchecklist:\n  - id: warehouse-launch-date\n    text: {}\n---\n\n{}\n",
                w.warehouse,
                slug(w.warehouse_slug),
                w.risk,
                w.item_launch,
                w.warehouse_text
            ),
        ));
    }
    files
}

/// `equipe init DIR`: a working site. Refuses a non-empty folder unless `force`.
pub fn init(
    dir: &Path,
    languages: &[String],
    force: bool,
    theme_files: bool,
) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && !force {
        let non_empty = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read `{}`: {e}", dir.display())))?
            .next()
            .is_some();
        if non_empty {
            return Err(Diagnostic::error(format!(
                "`{}` is not empty: refusing to write a new site there",
                dir.display()
            ))
            .with_help(
                "choose a new folder, or pass `--force` to write over the files of the same names",
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in site_files(languages) {
        written.push(write(&dir.join(path), text.as_bytes())?);
    }
    if theme_files {
        let theme_dir = dir.join("themes/default");
        for (path, bytes) in crate::theme::default_theme_files() {
            written.push(write(&theme_dir.join(path), bytes)?);
        }
    }
    Ok(written)
}

/// `equipe new KIND KEY`: one file per language. Writes nothing if any file exists.
pub fn new_page(config: &Config, kind: NewKind, key: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let key = key.trim().trim_end_matches(".md");
    let slug = slug::slugify(key);
    if slug.is_empty() || slug != key {
        return Err(Diagnostic::error(format!(
            "`{key}` cannot be a key: use lowercase letters, digits and dashes, like `{}`",
            if slug.is_empty() {
                "data-analyst"
            } else {
                &slug
            }
        )));
    }
    let section = match kind {
        NewKind::Role => Some("roles"),
        NewKind::Team => Some("teams"),
        NewKind::Page => None,
    };
    let content = config.content_dir();
    let folder_layout = config
        .languages
        .iter()
        .any(|l| content.join(&l.code).is_dir());
    let default = config.default_language();
    let title = title_from_key(&slug);
    let mut files = Vec::new();
    for lang in &config.languages {
        let relative = match (folder_layout, section) {
            (true, Some(s)) => format!("{}/{s}/{slug}.md", lang.code),
            (true, None) => format!("{}/{slug}.md", lang.code),
            (false, Some(s)) => format!("{s}/{slug}.{}.md", lang.code),
            (false, None) => format!("{slug}.{}.md", lang.code),
        };
        let mut text = format!(
            "---\ntitle: {title}   # {PLACEHOLDER}: the title in {}, then delete this comment\n",
            lang.name
        );
        if lang.code != default {
            text.push_str(&format!(
                "slug: {slug}   # {PLACEHOLDER}: the URL segment in {}, then delete this comment\n",
                lang.name
            ));
        }
        text.push_str("description: \"\"\nweight: 100\n");
        match kind {
            NewKind::Role => text.push_str(&format!(
                "responsibilities: []\nskills: []\nworks_with: []   # keys of other roles, e.g. [project-manager]\ndepends_on: []   # keys of outside teams, e.g. [warehouse]\nonboarding:\n  - id: {slug}-first-day\n    text: \"{PLACEHOLDER}: the first thing a new {title} does\"\n"
            )),
            NewKind::Team => text.push_str(&format!(
                "contact: \"\"\nrisks: []\nchecklist:\n  - id: {slug}-launch-date\n    text: \"{PLACEHOLDER}: what this team must be told before a launch\"\n"
            )),
            NewKind::Page => {}
        }
        text.push_str(&format!(
            "---\n\n{PLACEHOLDER}: what a newcomer should know, in {}.\n",
            lang.name
        ));
        files.push((content.join(relative), text));
    }
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(Diagnostic::error(format!(
            "`{}` already exists: nothing was written",
            existing.display()
        ))
        .with_help("choose another key, or edit the existing files"));
    }
    files
        .iter()
        .map(|(path, text)| write(path, text.as_bytes()))
        .collect()
}

fn write(path: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    std::fs::write(path, bytes)
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_checked() {
        assert_eq!(
            parse_languages("fr, en,DE").ok(),
            Some(vec!["fr".into(), "en".into(), "de".into()])
        );
        assert!(parse_languages("fr,english").is_err());
        assert!(parse_languages("").is_err());
    }

    #[test]
    fn titles_from_keys_keep_acronyms() {
        assert_eq!(title_from_key("qa-lead"), "QA lead");
        assert_eq!(title_from_key("lead-ux-designer"), "Lead UX designer");
        assert_eq!(title_from_key("data-analyst"), "Data analyst");
        assert_eq!(title_from_key("seo"), "SEO");
    }

    #[test]
    fn placeholders_are_whole_words_with_their_position() {
        let text = "---\ntitle: A   # TODO: the title\n---\nTODOS, MyTODO and é TODO.\n";
        assert_eq!(
            placeholders(text),
            vec![(2, 14, "TODO: the title"), (4, 21, "TODO.")]
        );
        // Code samples' own are not placeholders; a hint stops at a code span.
        let text =
            "```c\n// TODO: implement\n```\n`TODO` and TODO: use `x`\n\n    // TODO indented\n";
        assert_eq!(placeholders(text), vec![(4, 12, "TODO: use")]);
    }

    #[test]
    fn site_files_are_valid_config() {
        let files = site_files(&["fr".into(), "en".into(), "ar".into()]);
        let yaml = &files
            .iter()
            .find(|(p, _)| p == "site.yaml")
            .expect("site.yaml")
            .1;
        let config = Config::parse(Path::new("."), yaml).expect("valid site.yaml");
        assert_eq!(config.language_codes(), vec!["fr", "ar", "en"]);
        assert_eq!(config.languages[1].dir, "rtl");
        assert!(
            files
                .iter()
                .any(|(p, _)| p == "content/teams/warehouse.ar.md")
        );
    }
}
