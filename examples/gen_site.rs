//! Writes a synthetic `equipe` site for benchmarks, and the same content as a Hugo site
//! and as a Zola site.
//!
//! ```text
//! cargo run --release --example gen_site -- ROLES DIR
//! ```
//!
//! `ROLES` roles, each in French and English (so `2 x ROLES` role pages), with bodies of
//! about 570 words that look like the real content: headings, links to other roles (some
//! with `#onboarding` anchors), a table, a GFM task list, HTML entities (`&#39;`) as
//! machine translation leaves them, and YAML front matter with skills, responsibilities,
//! `works_with`, `depends_on` and an onboarding checklist. One outside team per 50 roles
//! (at least 3), each with risks and a checklist, in both languages.
//!
//! Output, both from the same text so that the generators do the same work:
//! - `DIR/equipe/`: the `equipe` site (`site.yaml`, `content/`);
//! - `DIR/hugo/`: a minimal Hugo site (`hugo.yaml`, `content/`, `layouts/`) with
//!   templates that show the same fields;
//! - `DIR/zola/`: a minimal Zola site (`config.toml`, `content/`, `templates/`) with
//!   templates that show the same fields. Zola reads only its own front matter keys, so
//!   the others go under `extra:`; French is its default language (`x.md`), English is
//!   `x.en.md`.
//!
//! The output is a pure function of `ROLES`: a small xorshift generator seeded by the role
//! number picks words, so runs and machines compare.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const WORDS_EN: &[&str] = &[
    "the",
    "team",
    "project",
    "launch",
    "warehouse",
    "customer",
    "order",
    "payment",
    "catalogue",
    "release",
    "review",
    "plan",
    "risk",
    "checkout",
    "shipping",
    "promotion",
    "content",
    "design",
    "test",
    "sprint",
    "budget",
    "milestone",
    "supplier",
    "stock",
    "deadline",
    "feedback",
    "decision",
    "meeting",
    "documentation",
    "quality",
    "with",
    "before",
    "after",
    "every",
    "week",
    "clearly",
    "early",
    "carefully",
    "together",
    "and",
    "for",
    "on",
    "in",
    "of",
    "to",
    "must",
    "should",
    "keeps",
    "checks",
    "writes",
    "shares",
];

const WORDS_FR: &[&str] = &[
    "l'équipe",
    "le",
    "projet",
    "lancement",
    "entrepôt",
    "client",
    "commande",
    "paiement",
    "catalogue",
    "livraison",
    "revue",
    "planning",
    "risque",
    "panier",
    "expédition",
    "promotion",
    "contenu",
    "maquette",
    "recette",
    "itération",
    "budget",
    "jalon",
    "fournisseur",
    "stock",
    "échéance",
    "retour",
    "décision",
    "réunion",
    "documentation",
    "qualité",
    "avec",
    "avant",
    "après",
    "chaque",
    "semaine",
    "clairement",
    "tôt",
    "soigneusement",
    "ensemble",
    "et",
    "pour",
    "sur",
    "dans",
    "de",
    "à",
    "doit",
    "vérifie",
    "écrit",
    "partage",
    "prévient",
    "évite",
];

/// A deterministic xorshift64 generator.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Fr,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
    fn words(self) -> &'static [&'static str] {
        match self {
            Lang::Fr => WORDS_FR,
            Lang::En => WORDS_EN,
        }
    }
    /// Text as machine translation leaves it: apostrophes as `&#39;`.
    fn entities(self, text: &str) -> String {
        text.replace('\'', "&#39;")
    }
}

fn sentence(rng: &mut Rng, lang: Lang, words: usize) -> String {
    let list = lang.words();
    let mut out = String::new();
    for i in 0..words {
        let w = list[rng.below(list.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
    lang.entities(&out)
}

fn paragraph(rng: &mut Rng, lang: Lang, sentences: usize) -> String {
    (0..sentences)
        .map(|_| {
            let n = 8 + rng.below(10);
            sentence(rng, lang, n)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn role_key(i: usize) -> String {
    format!("role-{i:05}")
}

fn team_key(i: usize) -> String {
    format!("team-{i:03}")
}

/// Everything both generators show of one role in one language.
struct RolePage {
    front_matter: String,
    body: String,
}

#[expect(
    clippy::too_many_lines,
    reason = "to be split: the redesign issue's step 4"
)]
fn role_page(i: usize, roles: usize, teams: usize, lang: Lang) -> RolePage {
    let mut rng = Rng::new(i as u64 * 2 + (lang == Lang::Fr) as u64);
    let (title, heads) = match lang {
        Lang::Fr => (
            format!("Rôle {i}"),
            [
                "Le rôle",
                "Au quotidien",
                "Ce qu'il faut vérifier",
                "Premières tâches",
                "Pièges",
            ],
        ),
        Lang::En => (
            format!("Role {i}"),
            [
                "The role",
                "Day to day",
                "What to check",
                "First tasks",
                "Pitfalls",
            ],
        ),
    };
    let others: Vec<usize> = (1..=3)
        .map(|k| (i + k * 7 + 1) % roles)
        .filter(|&o| o != i)
        .collect();
    let mut fm = String::new();
    let _ = writeln!(fm, "title: \"{title}\"");
    if lang == Lang::Fr {
        let _ = writeln!(fm, "slug: role-fr-{i:05}");
    }
    let _ = writeln!(fm, "description: \"{}\"", sentence(&mut rng, lang, 14));
    let _ = writeln!(fm, "weight: {i}");
    fm.push_str("responsibilities:\n");
    for _ in 0..4 {
        let _ = writeln!(fm, "  - \"{}\"", sentence(&mut rng, lang, 7));
    }
    fm.push_str("skills:\n");
    for _ in 0..4 {
        let _ = writeln!(fm, "  - \"{}\"", sentence(&mut rng, lang, 3));
    }
    let works: Vec<String> = others.iter().map(|&o| role_key(o)).collect();
    let _ = writeln!(fm, "works_with: [{}]", works.join(", "));
    let _ = writeln!(
        fm,
        "depends_on: [{}, {}]",
        team_key(i % teams),
        team_key((i + 1) % teams)
    );
    fm.push_str("onboarding:\n");
    for k in 0..4 {
        let _ = writeln!(
            fm,
            "  - id: {}-step-{k}\n    text: \"{}\"",
            role_key(i),
            sentence(&mut rng, lang, 6)
        );
    }
    fm.push_str("source-git-commit: 0123456789abcdef\nht-degree: 100\n");

    let mut body = String::new();
    let link = |o: usize| format!("[{}]({}.md)", role_key(o), role_key(o));
    let _ = writeln!(body, "## {}\n", heads[0]);
    let _ = writeln!(
        body,
        "{} {} {}\n",
        paragraph(&mut rng, lang, 3),
        link(others.first().copied().unwrap_or(0)),
        paragraph(&mut rng, lang, 3)
    );
    let _ = writeln!(body, "{}\n", paragraph(&mut rng, lang, 4));
    let _ = writeln!(body, "## {}\n", heads[1]);
    for _ in 0..5 {
        let _ = writeln!(
            body,
            "- **{}** {}",
            sentence(&mut rng, lang, 2),
            sentence(&mut rng, lang, 9)
        );
    }
    body.push('\n');
    let _ = writeln!(body, "{}\n", paragraph(&mut rng, lang, 4));
    let _ = writeln!(body, "## {}\n", heads[2]);
    body.push_str("| # | Check | Owner |\n|---|---|---|\n");
    for row in 0..5 {
        let _ = writeln!(
            body,
            "| {row} | {} | {} |",
            sentence(&mut rng, lang, 6),
            link(others[row % others.len().max(1)])
        );
    }
    body.push('\n');
    let _ = writeln!(
        body,
        "{} *{}* {} &amp; {}\n",
        paragraph(&mut rng, lang, 3),
        sentence(&mut rng, lang, 4),
        paragraph(&mut rng, lang, 2),
        sentence(&mut rng, lang, 5)
    );
    let _ = writeln!(body, "## {}\n", heads[3]);
    for k in 0..4 {
        let _ = writeln!(body, "- [ ] {} ({k})", sentence(&mut rng, lang, 7));
    }
    body.push('\n');
    let _ = writeln!(body, "## {}\n", heads[4]);
    let anchor_target = others.last().copied().unwrap_or(0);
    let _ = writeln!(
        body,
        "{} [{}]({}.md#onboarding) {}\n",
        paragraph(&mut rng, lang, 4),
        role_key(anchor_target),
        role_key(anchor_target),
        paragraph(&mut rng, lang, 4)
    );
    let _ = writeln!(body, "> {}\n", sentence(&mut rng, lang, 16));
    RolePage {
        front_matter: fm,
        body,
    }
}

fn team_page(t: usize, lang: Lang) -> RolePage {
    let mut rng = Rng::new(1_000_003 + t as u64 * 2 + (lang == Lang::Fr) as u64);
    let title = match lang {
        Lang::Fr => format!("Équipe {t}"),
        Lang::En => format!("Team {t}"),
    };
    let mut fm = String::new();
    let _ = writeln!(fm, "title: \"{title}\"");
    let _ = writeln!(fm, "description: \"{}\"", sentence(&mut rng, lang, 12));
    let _ = writeln!(fm, "weight: {t}");
    let _ = writeln!(fm, "contact: \"team{t}@example.org\"");
    fm.push_str("risks:\n");
    for _ in 0..3 {
        let _ = writeln!(fm, "  - \"{}\"", sentence(&mut rng, lang, 9));
    }
    fm.push_str("checklist:\n");
    for k in 0..5 {
        let _ = writeln!(
            fm,
            "  - id: {}-tell-{k}\n    text: \"{}\"",
            team_key(t),
            sentence(&mut rng, lang, 6)
        );
    }
    let body = format!(
        "{}\n\n{}\n",
        paragraph(&mut rng, lang, 4),
        paragraph(&mut rng, lang, 4)
    );
    RolePage {
        front_matter: fm,
        body,
    }
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relLangURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ .TableOfContents }}
<div class="prose">{{ .Content }}</div>
{{ with .Params.responsibilities }}<h2>Responsibilities</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.skills }}<h2>Skills</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.risks }}<h2>Risks</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.onboarding }}<h2 id="onboarding">Onboarding</h2><ul>{{ range . }}<li><input type="checkbox" id="{{ .id }}"> {{ .text }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.checklist }}<h2 id="checklist">Checklist</h2><ul>{{ range . }}<li><input type="checkbox" id="{{ .id }}"> {{ .text }}</li>{{ end }}</ul>{{ end }}
{{ range .Params.works_with }}{{ with site.GetPage (printf "/roles/%s" .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}{{ end }}
{{ range .Params.depends_on }}{{ with site.GetPage (printf "/teams/%s" .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}{{ end }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>
{{ end }}
"#;

const ZOLA_CONFIG: &str = r##"base_url = "https://example.org/team/"
title = "Équipe de projet"
default_language = "fr"
compile_sass = false
build_search_index = false
generate_feeds = false

[languages.en]
title = "Project team"
"##;

const ZOLA_BASE: &str = r##"<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{% if page %}{{ page.title }}{% elif section %}{{ section.title }}{% endif %} · {{ config.title }}</title>
{% if page and page.description %}<meta name="description" content="{{ page.description }}">{% endif %}
{% if page %}{% for t in page.translations %}<link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink }}">{% endfor %}{% endif %}
</head>
<body>
<header><a href="{{ get_url(path="@/_index.md", lang=lang) }}">{{ config.title }}</a></header>
<main>{% block main %}{% endblock main %}</main>
</body>
</html>
"##;

const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block main %}
{% set suffix = "" %}{% if lang != config.default_language %}{% set suffix = "." ~ lang %}{% endif %}
<article>
<h1>{{ page.title }}</h1>
{% if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
<nav>{% for h in page.toc %}<a href="#{{ h.id }}">{{ h.title }}</a>{% endfor %}</nav>
<div class="prose">{{ page.content | safe }}</div>
{% if page.extra.responsibilities %}<h2>Responsibilities</h2><ul>{% for r in page.extra.responsibilities %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if page.extra.skills %}<h2>Skills</h2><ul>{% for r in page.extra.skills %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if page.extra.risks %}<h2>Risks</h2><ul>{% for r in page.extra.risks %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if page.extra.onboarding %}<h2 id="onboarding">Onboarding</h2><ul>{% for c in page.extra.onboarding %}<li><input type="checkbox" id="{{ c.id }}"> {{ c.text }}</li>{% endfor %}</ul>{% endif %}
{% if page.extra.checklist %}<h2 id="checklist">Checklist</h2><ul>{% for c in page.extra.checklist %}<li><input type="checkbox" id="{{ c.id }}"> {{ c.text }}</li>{% endfor %}</ul>{% endif %}
{% if page.extra.works_with %}{% for k in page.extra.works_with %}{% set p = get_page(path="roles/" ~ k ~ suffix ~ ".md") %}<a href="{{ p.permalink }}">{{ p.title }}</a> {% endfor %}{% endif %}
{% if page.extra.depends_on %}{% for k in page.extra.depends_on %}{% set p = get_page(path="teams/" ~ k ~ suffix ~ ".md") %}<a href="{{ p.permalink }}">{{ p.title }}</a> {% endfor %}{% endif %}
</article>
{% endblock main %}
"##;

const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.description }}</li>{% endfor %}</ul>
{% endblock main %}
"##;

/// A page for Zola: the same text, with the front matter keys Zola does not know moved
/// under `extra:` (top-level keys and their indented lines).
fn zola_page(front_matter: &str, body: &str) -> String {
    let mut own = String::new();
    let mut extra = String::new();
    let mut in_extra = false;
    for line in front_matter.lines() {
        if !line.starts_with(' ') {
            let key = line.split(':').next().unwrap_or("");
            in_extra = !matches!(key, "title" | "description" | "weight" | "slug" | "draft");
        }
        let target = if in_extra { &mut extra } else { &mut own };
        if in_extra {
            target.push_str("  ");
        }
        target.push_str(line);
        target.push('\n');
    }
    format!("---\n{own}extra:\n{extra}---\n\n{body}")
}

struct Writer {
    root: PathBuf,
}

impl Writer {
    fn write(&self, path: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

fn generate(roles: usize, dir: &Path) -> Result<(), String> {
    let teams = (roles / 50).max(3);
    let equipe = Writer {
        root: dir.join("equipe"),
    };
    let hugo = Writer {
        root: dir.join("hugo"),
    };
    equipe.write(
        "site.yaml",
        "title:\n  fr: Équipe de projet\n  en: Project team\nbase_url: https://example.org/team/\ndefault_language: fr\nlanguages:\n  fr: Français\n  en: English\ntheme: default\n",
    )?;
    hugo.write(
        "hugo.yaml",
        "baseURL: https://example.org/team/\ntitle: Project team\ndefaultContentLanguage: fr\ndefaultContentLanguageInSubdir: true\ndisableKinds: [taxonomy, term, RSS]\nlanguages:\n  fr:\n    languageName: Français\n    weight: 1\n  en:\n    languageName: English\n    weight: 2\nmarkup:\n  goldmark:\n    renderer:\n      unsafe: true\n",
    )?;
    let zola = Writer {
        root: dir.join("zola"),
    };
    zola.write("config.toml", ZOLA_CONFIG)?;
    zola.write("templates/base.html", ZOLA_BASE)?;
    zola.write("templates/page.html", ZOLA_PAGE)?;
    zola.write("templates/section.html", ZOLA_SECTION)?;
    zola.write("templates/index.html", ZOLA_SECTION)?;
    hugo.write("layouts/_default/baseof.html", HUGO_BASEOF)?;
    hugo.write("layouts/_default/single.html", HUGO_SINGLE)?;
    hugo.write("layouts/_default/list.html", HUGO_LIST)?;
    for lang in [Lang::Fr, Lang::En] {
        let code = lang.code();
        let (home, roles_title, teams_title) = match lang {
            Lang::Fr => ("Bienvenue dans l&#39;équipe.", "Rôles", "Équipes"),
            Lang::En => ("Welcome to the team.", "Roles", "Teams"),
        };
        // Zola: French is the default language (no suffix), English is `.en`.
        let zola_suffix = match lang {
            Lang::Fr => String::new(),
            Lang::En => ".en".to_string(),
        };
        for (site, suffix) in [
            (&equipe, format!(".{code}")),
            (&hugo, format!(".{code}")),
            (&zola, zola_suffix.clone()),
        ] {
            let sorted = if std::ptr::eq(site, &zola) {
                "sort_by: weight\n"
            } else {
                ""
            };
            site.write(
                &format!("content/_index{suffix}.md"),
                &format!("---\ntitle: \"{roles_title}\"\n---\n{home}\n"),
            )?;
            site.write(
                &format!("content/roles/_index{suffix}.md"),
                &format!("---\ntitle: \"{roles_title}\"\n{sorted}---\n"),
            )?;
            site.write(
                &format!("content/teams/_index{suffix}.md"),
                &format!("---\ntitle: \"{teams_title}\"\n{sorted}---\n"),
            )?;
        }
        for i in 0..roles {
            let p = role_page(i, roles, teams, lang);
            let text = format!("---\n{}---\n\n{}", p.front_matter, p.body);
            let path = format!("content/roles/{}.{code}.md", role_key(i));
            equipe.write(&path, &text)?;
            hugo.write(&path, &text)?;
            zola.write(
                &format!("content/roles/{}{zola_suffix}.md", role_key(i)),
                &zola_page(&p.front_matter, &p.body),
            )?;
        }
        for t in 0..teams {
            let p = team_page(t, lang);
            let text = format!("---\n{}---\n\n{}", p.front_matter, p.body);
            let path = format!("content/teams/{}.{code}.md", team_key(t));
            equipe.write(&path, &text)?;
            hugo.write(&path, &text)?;
            zola.write(
                &format!("content/teams/{}{zola_suffix}.md", team_key(t)),
                &zola_page(&p.front_matter, &p.body),
            )?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(roles), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen_site ROLES DIR   (writes DIR/equipe, DIR/hugo and DIR/zola)");
        return ExitCode::from(2);
    };
    if roles < 4 {
        eprintln!("gen_site: ROLES must be at least 4 (roles link to three others)");
        return ExitCode::from(2);
    }
    match generate(roles, Path::new(dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_site: {e}");
            ExitCode::FAILURE
        }
    }
}
