//! The default theme: what the built HTML says (tables of contents with the template's
//! sections, contact addresses as links, French typography on every text a French page
//! writes, a 404 page linked from the site's root) and, in headless Chromium
//! (`tests/browser/theme.mjs`), how it looks at 1280 and 390 px, light and dark.

use crate::common;

use std::process::{Command, Stdio};

use common::{
    Killed, TestSite, attr, free_port, missing_browser, resolve, run_browser_script, select, skip,
    text, wait_for_port,
};

const FRENCH: &str = "title: L'équipe\nbase_url: https://example.org/team/\ndefault_language: fr\nlanguages:\n  fr: Français\n";

/// A role and a team with body headings and every section the templates add.
fn site() -> TestSite {
    let site = TestSite::new(FRENCH);
    site.write(
        "content/_index.fr.md",
        "---\ntitle: Accueil de l'équipe\n---\n",
    );
    site.write(
        "content/roles/pm.fr.md",
        "---\ntitle: Chef d'orchestre\nslug: chef\ndescription: Celui qui coordonne l'équipe !\nresponsibilities: [Tenir l'agenda]\nskills: [L'écoute]\nworks_with: [dev]\ndepends_on: [warehouse]\nonboarding: [Lire l'annexe]\n---\n## Le rôle\n\nIl parle à l'[architecte](dev.fr.md) et d'*abord* au `l'code`.\n\n## Au quotidien\n\nTexte.\n",
    );
    site.write(
        "content/roles/dev.fr.md",
        "---\ntitle: Développeur\nslug: dev\n---\n",
    );
    site.write(
        "content/teams/warehouse.fr.md",
        "---\ntitle: Entrepôt\nslug: entrepot\nrisks: [Colis en retard]\ncontact: \"Responsable logistique (logistique@example.org), ou l'accueil\"\nchecklist: [La date]\n---\n## Pourquoi l'entrepôt compte\n\nTexte.\n",
    );
    site.build().ok();
    site
}

#[test]
fn table_of_contents_lists_the_templates_sections() {
    let site = site();
    let role = site.html("fr/roles/chef/index.html");
    let toc: Vec<(String, String)> = select(&role, ".toc a")
        .iter()
        .map(|a| (attr(a, "href"), text(a)))
        .collect();
    let hrefs: Vec<&str> = toc.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "#le-role",
            "#au-quotidien",
            "#responsibilities",
            "#skills",
            "#works-with",
            "#onboarding",
            "#depends-on"
        ]
    );
    // Every entry leads to an element of the page.
    for (href, _) in &toc {
        assert_eq!(select(&role, href).len(), 1, "{href}");
    }
    assert_eq!(toc[5].1, "Liste d’intégration");

    let team = site.html("fr/teams/entrepot/index.html");
    let hrefs: Vec<String> = select(&team, ".toc a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "#pourquoi-l-entrepot-compte",
            "#risks",
            "#checklist",
            "#contact",
            "#depended-by"
        ]
    );
    assert_eq!(
        text(&select(&team, ".toc a")[0]),
        "Pourquoi l’entrepôt compte"
    );
    // A page with fewer than three entries has none.
    let dev = site.html("fr/roles/dev/index.html");
    assert!(select(&dev, ".toc").is_empty());
}

#[test]
fn contact_addresses_are_mailto_links() {
    let site = site();
    let team = site.html("fr/teams/entrepot/index.html");
    let contact = select(&team, "#contact + p")[0];
    let links = select(&team, "#contact + p a");
    assert_eq!(links.len(), 1);
    assert_eq!(attr(&links[0], "href"), "mailto:logistique@example.org");
    assert_eq!(text(&links[0]), "logistique@example.org");
    assert_eq!(
        text(&contact),
        "Responsable logistique (logistique@example.org), ou l’accueil"
    );
}

#[test]
fn french_typography_reaches_ui_strings_titles_and_inline_boundaries() {
    let site = site();
    let home = site.html("fr/index.html");
    // UI string and front matter title.
    assert_eq!(text(&select(&home, "#home-map")[0]), "Carte de l’équipe");
    assert_eq!(text(&select(&home, "h1")[0]), "Accueil de l’équipe");
    let role = site.html("fr/roles/chef/index.html");
    assert_eq!(text(&select(&role, "h1")[0]), "Chef d’orchestre");
    assert_eq!(
        text(&select(&role, ".lead")[0]),
        "Celui qui coordonne l’équipe\u{202f}!"
    );
    assert_eq!(
        text(&select(&role, "#responsibilities + ul li")[0]),
        "Tenir l’agenda"
    );
    assert_eq!(text(&select(&role, ".tags li")[0]), "L’écoute");
    assert_eq!(text(&select(&role, ".checklist span")[0]), "Lire l’annexe");
    assert!(
        text(&select(&role, "title")[0]).starts_with("Chef d’orchestre · "),
        "the title element"
    );
    // Text beside a link or emphasis; never code or attributes.
    let source = site.read_output("fr/roles/chef/index.html");
    assert!(
        source.contains("à l’<a href=\"../../../fr/roles/dev/index.html\""),
        "{source}"
    );
    assert!(source.contains("d’<em>abord</em>"));
    assert!(source.contains("<code>l'code</code>"));
    assert!(source.contains("content=\"Celui qui coordonne l’équipe\u{202f}!\""));
    // The site title, in the header and the title element.
    assert_eq!(text(&select(&home, ".site-title")[0]), "L’équipe");
}

/// What a role must tell each team it depends on is `told.html`, rendered once per team,
/// language and depth and shared by the roles: each role shows it with links from its own
/// depth, a site's own `told.html` replaces it, and a `role.html` of its own that loops
/// over `page.depends_on` still gets each team's checklist.
#[test]
fn what_roles_tell_a_team_is_shown_in_each_from_its_depth() {
    let site = site();
    site.write(
        "content/roles/deep/ops.fr.md",
        "---\ntitle: Exploitation\nslug: ops\ndepends_on: [warehouse]\n---\n",
    );
    site.build().ok();
    for role in ["fr/roles/chef/index.html", "fr/roles/deep/ops/index.html"] {
        let html = site.html(role);
        let told = select(&html, "#depends-on ~ .team-checklist");
        assert_eq!(told.len(), 1, "{role}");
        let link = &select(&html, ".team-checklist h3 a")[0];
        assert_eq!(text(link), "Entrepôt", "{role}");
        assert_eq!(
            resolve(role, &attr(link, "href")),
            "fr/teams/entrepot/index.html",
            "{role}"
        );
        let items: Vec<String> = select(&html, ".team-checklist .checklist li")
            .iter()
            .map(text)
            .collect();
        assert_eq!(items, ["La date"], "{role}");
        assert_eq!(
            text(&select(&html, ".team-checklist .progress-text")[0]),
            "0 sur 1 faits",
            "{role}"
        );
    }

    site.write(
        "templates/told.html",
        "<p class=\"told\">{{ team.title }} {{ root }}{{ team.url }} {{ t.depends_on }}</p>",
    );
    site.build().ok();
    let told = |role: &str| text(&select(&site.html(role), ".told")[0]);
    assert_eq!(
        told("fr/roles/chef/index.html"),
        "Entrepôt ../../../fr/teams/entrepot/index.html Équipes externes à tenir informées"
    );
    assert_eq!(
        told("fr/roles/deep/ops/index.html"),
        "Entrepôt ../../../../fr/teams/entrepot/index.html Équipes externes à tenir informées"
    );

    std::fs::remove_file(site.path("templates/told.html")).expect("told.html");
    site.write(
        "templates/role.html",
        "{% extends \"base.html\" %}{% block content %}{% for team in page.depends_on %}<p class=\"own\">{{ team.title }}: {% for i in team.checklist %}{{ i.text }}{% endfor %}</p>{% endfor %}{% endblock content %}",
    );
    site.build().ok();
    let html = site.html("fr/roles/deep/ops/index.html");
    assert_eq!(text(&select(&html, ".own")[0]), "Entrepôt: La date");
    assert!(select(&html, ".team-checklist").is_empty());
}

/// A template under `fragments/` is rendered once per language and depth, with the
/// language's values and not a page's, and every page of them shows it as
/// `fragments.<name>`, without its file's last line break; an error in one names its file.
#[test]
fn fragments_are_rendered_for_each_language_and_depth() {
    let site = site();
    site.write(
        "content/roles/deep/ops.fr.md",
        "---\ntitle: Exploitation\nslug: ops\n---\n",
    );
    site.write(
        "templates/fragments/note.html",
        "<p class=\"note\">{{ lang }} {{ root }} {{ t.depends_on }} {{ site.default_language }}</p>\n",
    );
    site.write(
        "templates/role.html",
        "{% extends \"base.html\" %}{% block content %}{{ fragments.note }}|{% endblock content %}",
    );
    site.build().ok();
    for (role, root) in [
        ("fr/roles/chef/index.html", "../../../"),
        ("fr/roles/deep/ops/index.html", "../../../../"),
    ] {
        let html = site.html(role);
        let note = select(&html, ".note");
        assert_eq!(note.len(), 1, "{role}");
        assert_eq!(
            text(&note[0]),
            format!("fr {root} Équipes externes à tenir informées fr"),
            "{role}"
        );
        assert!(site.read_output(role).contains("</p>|"), "{role}");
        // The default theme's fragments are there too.
        assert_eq!(select(&html, "form.search").len(), 1, "{role}");
        assert_eq!(select(&html, "footer.site-footer").len(), 1, "{role}");
    }

    site.write("templates/fragments/bad.html", "{{ page.title }}");
    let said = site.build().fails();
    assert!(said.contains("fragments/bad.html"), "{said}");
}

#[test]
fn not_found_page_links_from_the_site_root() {
    let site = site();
    let page = site.html("404.html");
    assert_eq!(
        attr(&select(&page, "base")[0], "href"),
        "https://example.org/team/"
    );
    let sheet = attr(&select(&page, "link[rel=stylesheet]")[0], "href");
    assert!(sheet.starts_with("assets/style"), "{sheet}");
    assert!(site.output(&sheet).is_file());
    for a in select(&page, "a[href]") {
        let href = attr(&a, "href");
        assert!(!href.contains("://"), "{href}");
        assert!(site.output(&resolve("404.html", &href)).is_file(), "{href}");
    }
}

/// The example site with a right-to-left language, served by `equipe serve` and built
/// into a folder for file://.
#[test]
fn theme_in_chromium() {
    if skip("browser tests", missing_browser()) {
        return;
    }
    let site = TestSite::example();
    let yaml = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    let yaml = yaml
        .replace(
            "  en: E-commerce project team\n",
            "  en: E-commerce project team\n  ar: فريق مشروع التجارة الإلكترونية\n",
        )
        .replace(
            "  en: English\n",
            "  en: English\n  ar: { name: العربية, dir: rtl }\n",
        );
    assert!(yaml.contains("dir: rtl"), "{yaml}");
    site.write("site.yaml", &yaml);
    site.write(
        "content/_index.ar.md",
        "---\ntitle: مرحبا بكم في الفريق\n---\nدليل الفريق، دورا بدور.\n",
    );
    site.write(
        "content/roles/project-manager.ar.md",
        "---\ntitle: مدير المشروع\nslug: mudir\ndescription: يخطط المشروع وينسق الفريق ويبقي الفرق الخارجية على اطلاع حتى الإطلاق.\n---\n## الدور\n\nمدير المشروع مسؤول عن التسليم.\n",
    );
    site.write(
        "content/roles/tester.ar.md",
        "---\ntitle: مدير الاختبار\nslug: mukhtabir\ndescription: يختبر الموقع قبل الإطلاق ويتابع الأخطاء مع مدير المشروع.\n---\n",
    );
    site.build().ok();

    let port = free_port();
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_equipe"))
            .args(["serve", "--port", &port.to_string(), "--source"])
            .arg(site.root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start equipe serve"),
    );
    wait_for_port(port);
    let url = format!("http://127.0.0.1:{port}/");
    // The first build of `serve` may still run when the port answers.
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        && !reachable(&format!("127.0.0.1:{port}"), "/fr/index.html")
    {
        assert!(start.elapsed().as_secs() < 30, "serve never built");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let public = site.output("");
    let stdout = run_browser_script(
        "theme.mjs",
        &[url.as_ref(), public.as_os_str()],
        String::new,
    );
    assert!(stdout.contains("all browser checks passed"));
}

/// Whether a plain HTTP GET of `path` answers 200.
fn reachable(host: &str, path: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return false;
    };
    let _ = write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}
