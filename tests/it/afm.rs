//! Adobe Flavored Markdown: small sites laid out like Adobe's Experience League guides
//! (`content/<lang>/help/...`), one construct per test, built by the real binary.

use crate::common;

use common::*;

const ADOBE: &str = "title:\n  en: Guide\n  fr: Guide\ndefault_language: en\nlanguages:\n  en: English\n  fr: Français\n";

/// A guide with one English page `help/page.md` holding `body`.
fn guide(body: &str) -> TestSite {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        &format!("---\ntitle: Page\n---\n# Page\n\n{body}"),
    );
    site
}

fn main_of(site: &TestSite, path: &str) -> scraper::Html {
    let html = site.read_output(path);
    let main = html
        .split_once("<main")
        .and_then(|(_, m)| m.split_once("</main>"))
        .map(|(m, _)| m.to_string())
        .unwrap_or(html);
    scraper::Html::parse_fragment(&format!("<main{main}</main>"))
}

const PAGE: &str = "en/help/page/index.html";

#[test]
fn inline_markers_become_their_text_and_ui_labels() {
    let site = guide(
        "Open **[!UICONTROL Stores] > [!UICONTROL Settings]** in [!DNL Adobe Commerce].\n\n\
         [!BADGE Beta]{type=Informative tooltip=\"Not final & beta\"} feature. \
         `$ [!DNL name] = [!DNL value]`\n\n```\n[!DNL kept in a block]\n```\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let labels: Vec<String> = select(&main, "strong .uicontrol")
        .iter()
        .map(text)
        .collect();
    assert_eq!(labels, ["Stores", "Settings"]);
    let p = text(&select(&main, "p")[0]);
    assert_eq!(p, "Open Stores > Settings in Adobe Commerce.");
    let badge = &select(&main, "span.badge")[0];
    assert_eq!(text(badge), "Beta");
    assert_eq!(attr(badge, "title"), "Not final & beta");
    assert!(attr(badge, "class").contains("badge-informative"));
    // In a code span, a marker is its words, as Experience League shows them (Dynamic
    // Media's developer guide); a code block keeps it as written.
    assert_eq!(text(&select(&main, "p code")[0]), "$ name = value");
    assert_eq!(
        text(&select(&main, "pre code")[0]),
        "[!DNL kept in a block]"
    );
    assert!(!text(&select(&main, "p")[1]).contains('{'));
}

/// Settings written `* [!UICONTROL Metric]: value`, as in Adobe's Business Intelligence
/// guide, are text: to CommonMark each would define a link of its label, and take its
/// line out of the page.
#[test]
fn a_marker_and_a_colon_opening_a_line_is_text_not_a_definition() {
    let site = guide(
        "* Report one\n  * [!UICONTROL Metric]: `Inventory on hand`\n  * [!UICONTROL Group by]:\n    * `Sku`\n\n\
         * Report two\n  * [!UICONTROL Metric]: `Revenue`\n\n```\n[!UICONTROL Kept]: as written\n```\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let items: Vec<String> = select(&main, ".prose li li")
        .iter()
        .map(|li| text(li).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        items,
        [
            "Metric: Inventory on hand",
            "Group by: Sku",
            "Sku",
            "Metric: Revenue"
        ]
    );
    assert_eq!(select(&main, ".prose li .uicontrol").len(), 3);
    assert!(
        select(&main, ".prose li a").is_empty(),
        "no link made of a label"
    );
    assert_eq!(
        text(&select(&main, ".prose pre code")[0]).trim(),
        "[!UICONTROL Kept]: as written"
    );
}

/// A badge that ends a heading keeps its attribute list, which pulldown-cmark reads as
/// the heading's (`{type=… tooltip="…"}`): the heading gets none of it.
#[test]
fn a_badge_at_the_end_of_a_heading_keeps_its_attributes() {
    let site = guide(
        "#### Projets [!BADGE SaaS uniquement]{type=Positive tooltip=\"Infrastructure gérée par Adobe.\"}\n\nTexte.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let heading = &select(&main, ".prose h4")[0];
    let names: Vec<&str> = heading.value().attrs().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        ["id"],
        "no attribute of the badge's list on the heading"
    );
    let badge = &select_in(heading, "span.badge")[0];
    assert_eq!(text(badge), "SaaS uniquement");
    assert_eq!(attr(badge, "title"), "Infrastructure gérée par Adobe.");
    assert!(attr(badge, "class").contains("badge-positive"));
    assert!(!text(heading).contains('{'));
}

/// Real guides close an emphasis inside a marker (`**[!UICONTROL Save**]`): the label
/// ends with the emphasis, and its `]` is not shown, even after more words (GenStudio's
/// `_[!UICONTROL Generate new text_ section]`) or more emphasis (Commerce Business
/// Intelligence's `**[!UICONTROL Manage Data** > **Connections]**`, 35 pages a language).
#[test]
fn a_marker_closed_after_its_emphasis_ends_with_it() {
    let site = guide(
        "* **[!UICONTROL Sender Email**]: one\n* when **[!UICONTROL Out Of Stock*]** is on\n\
         * in the _[!UICONTROL Generate new text_ section] and [x](https://example.org) [1]\n\
         * under **[!UICONTROL Manage Data** > _Export_ > **Raw Data Export]**, then [2]\n\
         * by **[!UICONTROL Report Builder** > **[!DNL SQL Report Builder]]**\n\n\
         [!DNL never closed\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let labels: Vec<String> = select(&main, "li strong .uicontrol, li em .uicontrol")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        labels,
        [
            "Sender Email",
            "Out Of Stock",
            "Generate new text",
            "Manage Data",
            "Report Builder"
        ]
    );
    let items: Vec<String> = select(&main, "li").iter().map(text).collect();
    assert_eq!(items[0], "Sender Email: one");
    assert_eq!(items[2], "in the Generate new text section and x [1]");
    assert_eq!(
        items[3],
        "under Manage Data > Export > Raw Data Export, then [2]"
    );
    assert_eq!(items[4], "by Report Builder > SQL Report Builder");
    let all = text(&select(&main, "main")[0]);
    assert!(!all.contains("[!") && !all.contains("]:"), "{all}");
    assert!(all.contains("never closed"), "{all}");
}

#[test]
fn markers_in_titles_descriptions_and_headings_are_plain_text() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        "---\ndescription: About [!DNL Live Search].\n---\n# [!DNL Live Search] setup\n\n## The [!UICONTROL Settings] tab\n",
    );
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(text(&select(&page, "h1")[0]), "Live Search setup");
    assert!(text(&select(&page, "title")[0]).starts_with("Live Search setup"));
    let h2 = &select(&page, "h2#the-settings-tab")[0];
    assert!(text(h2).starts_with("The Settings tab"));
    let raw = site.read_output(PAGE);
    assert!(raw.contains("About Live Search."), "description");
    assert!(
        !raw.contains("[!DNL"),
        "no marker left anywhere in the page"
    );
}

/// An id list at the end of a front matter's title or description (Assets Essentials,
/// as on the page's heading) is not shown: not in the page's title, its lead, its
/// description or the search index; a description that words the heading is no lead.
#[test]
fn an_id_list_ending_a_title_or_a_description_is_not_shown() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        "---\ntitle: Work with your team {#collaborate}\ndescription: Work with your team {#collaborate}\n---\n# Work with your team {#collaborate}\n\nText.\n",
    );
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(
        text(&select(&page, "title")[0]),
        "Work with your team · Guide"
    );
    assert_eq!(
        attr(&select(&page, "meta[name=description]")[0], "content"),
        "Work with your team"
    );
    assert!(
        select(&page, "p.lead").is_empty(),
        "the heading is not said twice"
    );
    assert_eq!(text(&select(&page, "h1")[0]), "Work with your team");
    let index = site.read_output("assets/search-en.js");
    assert!(!index.contains("{#"), "{index}");
    assert!(!site.read_output(PAGE).contains("{#"));
}

/// The words of a `[!DNL …]` (do not localize: a product's name) are written as they
/// are in a French page: `Yahoo! Mail`, not `Yahoo\u{202f}! Mail`; the text around them is
/// typeset, and a `:` that ends them; a marker closed by the end of its emphasis too, and
/// nothing of the marker is left in the page.
#[test]
fn the_words_of_a_dnl_marker_are_not_typeset() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/fr/help/page.md",
        "---\ntitle: Page\n---\n# Page\n\n- [!DNL Yahoo! Mail] : pris en charge!\n\
         - **[!DNL Hello! Bank**] et [!UICONTROL Enregistrer]!\n\
         - [!DNL IDFA:] 20915\n",
    );
    site.build().ok();
    let main = main_of(&site, "fr/help/page/index.html");
    let items: Vec<String> = select(&main, "li").iter().map(text).collect();
    assert_eq!(
        items,
        [
            "Yahoo! Mail\u{a0}: pris en charge\u{202f}!",
            "Hello! Bank et Enregistrer\u{202f}!",
            // A colon that machine translation put inside is the sentence's.
            "IDFA\u{a0}: 20915"
        ]
    );
    let html = site.read_output("fr/help/page/index.html");
    assert!(!html.contains("equipe-dnl"), "{html}");
}

/// `>[!SLIDE](id)`, an embed Experience League resolves by its id: a warning, not a
/// missing file; with a URL, a link to it.
#[test]
fn an_embed_by_id_is_left_out_with_a_warning() {
    let site = guide(
        "Before.\n\n>[!SLIDE](experimentation-agent-overview)\n\n>[!SLIDE](https://x.org/deck)\n\nAfter.\n",
    );
    let run = site.build().ok();
    let stderr = run.stderr();
    assert!(
        stderr.contains("[!SLIDE](experimentation-agent-overview)") && stderr.contains("left out"),
        "{stderr}"
    );
    assert!(stderr.contains("page.md:8:1"), "its place: {stderr}");
    let main = main_of(&site, PAGE);
    let all = text(&select(&main, "article")[0]);
    assert!(
        !all.contains("SLIDE") && !all.contains("experimentation"),
        "{all}"
    );
    let link = &select(&main, ".afm-embed a")[0];
    assert_eq!(attr(link, "href"), "https://x.org/deck");
}

/// `>[!CONTEXTUALHELP]` is the text Adobe's products show beside a control (Adobe's
/// Target guide): Experience League leaves it out of the page, and so does equipe.
#[test]
fn contextual_help_is_left_out_of_the_page() {
    let site = guide(
        "Before.\n\n>[!CONTEXTUALHELP]\n>id=\"target_profile_attribute\"\n>title=\"Profile Attribute\"\n>\n>abstract=\"Made with profile scripts.\"\n>\n>> nested\n\nAfter.\n",
    );
    let run = site.build().ok();
    assert!(!run.stderr().contains("CONTEXTUALHELP"), "{}", run.stderr());
    let main = main_of(&site, PAGE);
    let prose = text(&select(&main, ".prose")[0]);
    assert!(
        prose.contains("Before.") && prose.contains("After."),
        "{prose}"
    );
    for hidden in [
        "CONTEXTUALHELP",
        "target_profile_attribute",
        "Profile Attribute",
        "profile scripts",
        "nested",
    ] {
        assert!(!prose.contains(hidden), "{hidden} in {prose}");
    }
    assert!(select(&main, ".prose blockquote").is_empty());
}

/// Adobe puts `{style="table-layout:auto"}` under its tables (Commerce guides), and
/// French machine translation dropped `[!BADGE Beta]` and left its attribute list on a
/// line of its own: the reader sees neither.
#[test]
fn an_attribute_list_alone_on_its_line_is_not_shown() {
    let site = guide(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n{style=\"table-layout:auto\"}\n\n- item\n\n  | c |\n  |---|\n  | 3 |\n\n  {style=\"table-layout:auto\"}\n\n## Fonctionnalités bêta\n\n{type=Informative}\n\nL’équipe active souvent {type=Positive tooltip=\"x\"} de nouvelles fonctions. Hors planning&rbrack;{type=Neutral}\n\nUn modèle {type=cle} reste.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let paragraphs: Vec<String> = select(&main, ".prose p").iter().map(text).collect();
    assert_eq!(
        paragraphs,
        [
            "item",
            "L’équipe active souvent de nouvelles fonctions. Hors planning]",
            "Un modèle {type=cle} reste."
        ]
    );
    assert_eq!(select(&main, ".prose table").len(), 2);
    assert!(!text(&select(&main, ".prose")[0]).contains("table-layout"));
}

/// ` {#id}` at the end of a paragraph is an anchor there, as kramdown reads it (Adobe's
/// Cloud Manager guide ids a step so and links to it from other pages).
#[test]
fn an_id_list_at_the_end_of_a_paragraph_is_an_anchor() {
    let site = guide(
        "1. Click **Continue** to open the **Stage Testing** tab. {#stage-testing}\n\
         1. See [Stage Testing](#stage-testing).\n\n\
         + TVSDK 1.4 {#tvsdk-1.4} \n\n\
         **Installation d’un{#install-connector}** de connecteur\n\n\
         See [the connector](#install-connector) and [a link](other.md){#not-an-anchor}.\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\nSee [the step](page.md#stage-testing).\n",
    );
    let run = site.build().ok();
    assert!(!run.stderr().contains("no such anchor"), "{}", run.stderr());
    let main = main_of(&site, PAGE);
    let step = &select(&main, "ol li")[0];
    assert_eq!(
        select_in(step, "span#stage-testing").len(),
        1,
        "{}",
        step.html()
    );
    assert_eq!(text(step), "Click Continue to open the Stage Testing tab.");
    // An id with a dot (Primetime's), as a heading's may have.
    let item = &select(&main, "ul li")[0];
    assert_eq!(text(item), "TVSDK 1.4", "{}", item.html());
    assert_eq!(select_in(item, "span[id='tvsdk-1.4']").len(), 1);
    // Machine translation moved the list into the words: still an anchor, never text.
    let moved = &select(&main, "p")[0];
    assert_eq!(
        select_in(moved, "strong span#install-connector").len(),
        1,
        "{}",
        moved.html()
    );
    assert_eq!(text(moved), "Installation d’un de connecteur");
    // A list right after a link is the link's (an id on it), not an anchor after it.
    let linked = &select(&main, "p")[1];
    assert!(
        select_in(linked, "span#not-an-anchor").is_empty(),
        "{}",
        linked.html()
    );
    assert!(!text(linked).contains('{'), "{}", linked.html());
}

/// Adobe's descriptions and titles hold Markdown: every page, menu and search result
/// shows its words.
#[test]
fn markdown_in_titles_and_descriptions_reads_as_text() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        "---\ntitle: Cannot change `app/etc/env.php` in **running** status\n\
         description: Available when the [Quality Patches Tool](https://x.org/qpt) is installed.\n---\nText\n",
    );
    site.build().ok();
    let page = site.html(PAGE);
    let title = "Cannot change app/etc/env.php in running status";
    assert_eq!(text(&select(&page, "h1")[0]), title);
    assert!(text(&select(&page, "title")[0]).starts_with(title));
    let description = "Available when the Quality Patches Tool is installed.";
    assert_eq!(text(&select(&page, ".lead")[0]), description);
    let meta = &select(&page, "meta[name=description]")[0];
    assert_eq!(attr(meta, "content"), description);
    let index = site.read_output("assets/search-en.js");
    assert!(
        index.contains(description) && index.contains(title),
        "{index}"
    );
    assert!(!index.contains("](") && !index.contains("**"), "{index}");
}

/// Badges of a page's front matter (`badgePremium: label="Premium" …`) show by its title,
/// as Experience League shows them: a reader sees that the page is of a Premium, Beta or
/// on-premises feature.
#[test]
fn front_matter_badges_show_by_the_title() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        "---\ntitle: Recommendations\n\
         badgePremium: label=\"Premium\" type=\"Positive\" url=\"https://x.org/premium.html\" tooltip=\"See what [!DNL Target] Premium has.\"\n\
         badge: label=\"Beta\" type=\"Informative\"\n\
         badgeBad: label=\"Bad\" url=\"javascript:alert(1)\"\n\
         badgeLimited: label=\"Limited\" url=\"https://x.org/l.html newtab=true\"\n---\nText\n",
    );
    site.write("content/en/help/other.md", "---\ntitle: Other\n---\nText\n");
    site.build().ok();
    let page = site.html(PAGE);
    let badges = select(&page, "header .badges .badge");
    let labels: Vec<String> = badges.iter().map(text).collect();
    // In the order of their keys.
    assert_eq!(labels, ["Beta", "Bad", "Limited", "Premium"]);
    // Adobe's `newtab=true` inside the URL's quotes opens a new tab (Real-Time CDP
    // Collaboration's 92 pages); it was part of the address.
    assert_eq!(attr(&badges[2], "href"), "https://x.org/l.html");
    assert_eq!(attr(&badges[2], "target"), "_blank");
    let badges = [badges[0], badges[1], badges[3]];
    assert_eq!(attr(&badges[0], "class"), "badge badge-informative");
    assert_eq!(badges[1].value().name(), "span", "a script URL is no link");
    assert_eq!(attr(&badges[2], "href"), "https://x.org/premium.html");
    assert_eq!(attr(&badges[2], "class"), "badge badge-positive");
    assert_eq!(attr(&badges[2], "title"), "See what Target Premium has.");
    assert!(select(&site.html("en/help/other/index.html"), ".badges").is_empty());
}

/// A guide's `TOC.md` badges (Adobe's `badgeAll`, "Old UI Guide" on a legacy guide) show
/// on each of its pages after their own, leading to the page they name (read from the
/// `TOC.md`'s folder, as its menu's links are); a badge naming a missing page is a warning
/// at its key and shows without a link; a build with the cache after the `TOC.md` changed
/// shows what a first build shows.
#[test]
fn a_guide_s_toc_badges_show_on_each_of_its_pages() {
    let site = TestSite::new(ADOBE);
    let toc = |label: &str| {
        format!(
            "---\nuser-guide-title: Legacy\nbadgeAll: label=\"{label}\" type=\"Informative\" \
             url=\"/help/legacy/disclaimer.md#why\" tooltip=\"Old UI\"\nbadgeNear: label=\"Near\" \
             url=\"disclaimer.md\"\nbadgeGone: label=\"Gone\" url=\"/help/legacy/missing.md\"\n\
             ---\n# Legacy\n\n- [Disclaimer](disclaimer.md)\n- Setup\n  - [Install](setup/install.md)\n"
        )
    };
    site.write("content/en/help/legacy/TOC.md", &toc("Old UI Guide"));
    site.write(
        "content/en/help/legacy/disclaimer.md",
        "---\ntitle: Disclaimer\n---\nOld.\n",
    );
    site.write(
        "content/en/help/legacy/setup/install.md",
        "---\ntitle: Install\nbadgeOwn: label=\"Beta\"\n---\nSteps.\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\nbadgeX: label=\"X\" url=\"nowhere.md\"\n---\nText\n",
    );
    let run = site.build().ok();
    let stderr = run.stderr();
    assert!(
        stderr.contains("badge `Gone`: link to `/help/legacy/missing.md`: no such page")
            && stderr.contains("TOC.md:5:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("badge `X`: link to `nowhere.md`: no such page")
            && stderr.contains("other.md:3:1"),
        "{stderr}"
    );
    let badges = |path: &str| -> Vec<(String, String)> {
        select(&site.html(path), "header .badges .badge")
            .iter()
            .map(|b| (text(b), b.value().attr("href").unwrap_or("-").to_string()))
            .collect()
    };
    let pair = |label: &str, href: &str| (label.to_string(), href.to_string());
    let install = "en/help/legacy/setup/install/index.html";
    let disclaimer = "../../../../../en/help/legacy/disclaimer/index.html";
    assert_eq!(
        badges(install),
        [
            pair("Beta", "-"),
            pair("Old UI Guide", &format!("{disclaimer}#why")),
            // In the order of their keys, as a page's own.
            pair("Gone", "-"),
            pair("Near", disclaimer),
        ]
    );
    assert_eq!(
        badges("en/help/legacy/disclaimer/index.html")[2],
        pair("Near", "../../../../en/help/legacy/disclaimer/index.html")
    );
    assert_eq!(badges("en/help/other/index.html"), [pair("X", "-")]);
    // Its own badge of the same label is shown once.
    site.write(
        "content/en/help/legacy/disclaimer.md",
        "---\ntitle: Disclaimer\nbadge: label=\"Old UI Guide\"\n---\nOld.\n",
    );
    site.build().ok();
    let labels = |path: &str| -> Vec<String> { badges(path).into_iter().map(|(l, _)| l).collect() };
    assert_eq!(
        labels("en/help/legacy/disclaimer/index.html"),
        ["Old UI Guide", "Gone", "Near"]
    );
    crate::rebuild::tick();
    site.write("content/en/help/legacy/TOC.md", &toc("Legacy UI"));
    site.build().ok();
    assert_eq!(badges(install)[1].0, "Legacy UI");
}

/// Adobe's `hide: yes` (pages not yet announced): built and reachable, but not found by the
/// site's search, not in the sitemap, and search engines are asked not to index it.
#[test]
fn a_hidden_page_is_built_but_not_searched_or_listed_for_search_engines() {
    let site = TestSite::new(&format!("{ADOBE}base_url: https://docs.example.org/\n"));
    for lang in ["en", "fr"] {
        site.write(
            &format!("content/{lang}/help/page.md"),
            "---\ntitle: Shown page\nexl-id: shown\n---\nShown text\n",
        );
        site.write(
            &format!("content/{lang}/help/beta.md"),
            "---\ntitle: Beta feature\nhide: yes\nhidefromtoc: yes\nexl-id: beta\n---\nBeta text\n",
        );
    }
    site.build().ok();
    let beta = site.html("en/help/beta/index.html");
    assert_eq!(text(&select(&beta, "h1")[0]), "Beta feature");
    assert_eq!(
        attr(&select(&beta, "meta[name=robots]")[0], "content"),
        "noindex"
    );
    assert!(select(&site.html(PAGE), "meta[name=robots]").is_empty());
    for lang in ["en", "fr"] {
        let index = site.read_output(&format!("assets/search-{lang}.js"));
        assert!(
            index.contains("Shown page") && !index.contains("Beta"),
            "{index}"
        );
    }
    let sitemap = site.read_output("sitemap.xml");
    assert!(sitemap.contains("help/page/"), "{sitemap}");
    assert!(!sitemap.contains("beta"), "{sitemap}");
}

/// Experience League puts a page's `seo-title` and `seo-description` in its `<title>` and
/// meta description; the page itself shows its title and description.
#[test]
fn seo_title_and_description_are_for_search_engines_and_tabs() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/page.md",
        "---\ntitle: '[!DNL Payment Services] Guide overview'\n\
         seo-title: Adobe Commerce [!DNL Payment Services] Guide\n\
         description: What the guide covers.\n\
         seo-description: Learn how to **use** Payment Services.\n---\nText\n",
    );
    site.write(
        "content/fr/help/page.md",
        "---\ntitle: Présentation\nseo-title: 'Guide : paiements'\n---\nTexte\n",
    );
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(
        text(&select(&page, "h1")[0]),
        "Payment Services Guide overview"
    );
    assert!(
        text(&select(&page, "title")[0]).starts_with("Adobe Commerce Payment Services Guide · "),
        "{}",
        page.html()
    );
    let meta = |name: &str| attr(&select(&page, name)[0], "content");
    assert_eq!(
        meta("meta[property='og:title']"),
        "Adobe Commerce Payment Services Guide"
    );
    assert_eq!(
        meta("meta[name=description]"),
        "Learn how to use Payment Services."
    );
    assert_eq!(
        meta("meta[property='og:description']"),
        "Learn how to use Payment Services."
    );
    assert_eq!(text(&select(&page, ".lead")[0]), "What the guide covers.");
    // Set in French typography, as titles are; without `seo-description`, the description.
    let fr = site.html("fr/help/page/index.html");
    assert!(
        text(&select(&fr, "title")[0]).starts_with("Guide\u{a0}: paiements · "),
        "{}",
        fr.html()
    );
    assert!(select(&fr, "meta[name=description]").is_empty());
}

/// Adobe's `mini-toc-levels: N` sets how many levels below the title the page's table
/// of contents lists (Experience League's "On this page"); without it, two (`##`, `###`).
#[test]
fn mini_toc_levels_set_how_deep_the_table_of_contents_goes() {
    let site = TestSite::new(ADOBE);
    let body = "## A\n\n### B\n\n## E\n\n#### C\n\n##### D\n\n## F\n";
    for (name, levels) in [
        ("default", ""),
        ("one", "mini-toc-levels: 1\n"),
        ("three", "mini-toc-levels: 3\n"),
        ("four", "mini-toc-levels: '4'\n"),
    ] {
        site.write(
            &format!("content/en/help/{name}.md"),
            &format!("---\ntitle: {name}\n{levels}---\n{body}"),
        );
    }
    site.build().ok();
    let listed = |name: &str| -> Vec<String> {
        let page = site.html(&format!("en/help/{name}/index.html"));
        select(&page, "nav.toc a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect()
    };
    assert_eq!(listed("default"), ["#a", "#b", "#e", "#f"]);
    assert_eq!(listed("one"), ["#a", "#e", "#f"]);
    assert_eq!(listed("three"), ["#a", "#b", "#e", "#c", "#f"]);
    assert_eq!(listed("four"), ["#a", "#b", "#e", "#c", "#d", "#f"]);
    // Every heading keeps its id and anchor, listed or not.
    let one = site.html("en/help/one/index.html");
    assert_eq!(select(&one, "h5#d a.anchor").len(), 1);

    // A guide's `TOC.md` says it for the guide's pages that do not; a build with the
    // cache, after it changed, lists what a first build lists.
    let toc = |levels: u8| {
        format!(
            "---\nuser-guide-title: Guide\nmini-toc-levels: {levels}\n---\n# Guide\n\n\
             - [Plain](plain.md)\n- [Own](own.md)\n"
        )
    };
    site.write("content/en/help/g/TOC.md", &toc(1));
    site.write(
        "content/en/help/g/plain.md",
        &format!("---\ntitle: Plain\n---\n{body}"),
    );
    site.write(
        "content/en/help/g/own.md",
        &format!("---\ntitle: Own\nmini-toc-levels: 3\n---\n{body}"),
    );
    site.build().ok();
    assert_eq!(listed("g/plain"), ["#a", "#e", "#f"]);
    assert_eq!(listed("g/own"), ["#a", "#b", "#e", "#c", "#f"]);
    crate::rebuild::tick();
    site.write("content/en/help/g/TOC.md", &toc(4));
    site.build().ok();
    assert_eq!(listed("g/plain"), ["#a", "#b", "#e", "#c", "#d", "#f"]);
    assert_eq!(listed("g/own"), ["#a", "#b", "#e", "#c", "#f"]);
}

#[test]
fn callouts_with_and_without_space_and_with_a_title() {
    let site = guide(
        ">[!NOTE]\n>\n>A note.\n\n> [!INFO] Read first\n>\n>Some info.\n\n>[!PREREQUISITES]\n>Before you start.\n\n>[!ADMIN]\n>\n>* [!UICONTROL One]\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let note = &select(&main, "blockquote.markdown-alert-note")[0];
    assert_eq!(text(note).trim(), "A note.");
    let info = &select(&main, "blockquote.markdown-alert-info")[0];
    assert_eq!(
        text(&select_in(info, ".markdown-alert-title")[0]),
        "Read first"
    );
    assert!(text(info).contains("Some info."));
    assert!(!text(info).contains("[!"));
    let pre = &select(&main, "blockquote.markdown-alert-prerequisites")[0];
    assert_eq!(text(pre).trim(), "Before you start.");
    let admin = &select(&main, "blockquote.markdown-alert-admin")[0];
    assert_eq!(text(&select_in(admin, "li .uicontrol")[0]), "One");
    // Their labels come from the stylesheet, per language.
    let css = site.read_output("assets/style.css");
    assert!(css.contains(".markdown-alert-prerequisites::before"));
    assert!(css.contains(":lang(fr) .markdown-alert-info::before"));
}

#[test]
fn tabs_read_as_titled_sections() {
    let site = guide(
        "## Add a key\n\n>[!BEGINTABS]\n\n>[!TAB CLI]\n\nUse the **CLI**.\n\n#### In depth\n\nMore.\n\n\
         >[!TAB [!DNL Cloud Console]]\n\nUse the console.\n\n>[!ENDTABS]\n\nAfter.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let tabs = &select(&main, "div.afm-tabs")[0];
    let sections = select_in(tabs, "section.afm-tab");
    assert_eq!(sections.len(), 2);
    let titles: Vec<String> = select_in(tabs, "section > h3.afm-tab-title")
        .iter()
        .map(text)
        .collect();
    // One level for a group's titles, whatever headings a tab holds (Commerce Learn's
    // second tab was an `<h5>` after a `####` in the first).
    assert_eq!(titles, ["CLI", "Cloud Console"]);
    assert_eq!(
        attr(&sections[0], "aria-labelledby"),
        attr(&select_in(&sections[0], "h3")[0], "id")
    );
    assert!(text(&sections[1]).contains("Use the console."));
    assert!(!text(tabs).contains("After."));
    assert!(!text(&select(&main, "div")[0]).contains("[!"));
}

/// `>[!BEGINTABS]` and `>[!TAB …]` on the next line make one paragraph (a lazy line), as
/// Adobe's Blueprints guide writes them.
#[test]
fn markers_on_consecutive_lines_of_one_quote() {
    let site = guide(
        ">[!BEGINTABS]\n>[!TAB Journey (Event-Driven)]\n\n- One\n\n>[!TAB Campaign]\n\nTwo.\n\n>[!ENDTABS]\n>[!BEGINSHADEBOX]\n\nShaded.\n\n>[!ENDSHADEBOX]\n\nAfter.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let tabs = &select(&main, "div.afm-tabs")[0];
    let titles: Vec<String> = select_in(tabs, ".afm-tab-title").iter().map(text).collect();
    assert_eq!(titles, ["Journey (Event-Driven)", "Campaign"]);
    assert!(text(&select(&main, "div.afm-shadebox")[0]).contains("Shaded."));
    let all = text(&select(&main, "article")[0]);
    assert!(!all.contains("[!"), "{all}");
    assert!(all.contains("After."));
}

#[test]
fn shade_boxes_videos_and_collapsibles() {
    let site = guide(
        ">[!BEGINSHADEBOX]\n\nShaded text.\n\n>[!ENDSHADEBOX]\n\n>[!VIDEO](https://video.tv.adobe.com/v/29770/?quality=12)\n\n+++Line items **example**\n\nHidden text.\n\n+++\n\nOutside.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    assert_eq!(
        text(&select(&main, "div.afm-shadebox")[0]).trim(),
        "Shaded text."
    );
    let video = &select(&main, ".afm-video a")[0];
    assert_eq!(
        attr(video, "href"),
        "https://video.tv.adobe.com/v/29770/?quality=12"
    );
    // It reads as where it goes, without the player's settings.
    assert_eq!(text(video), "video.tv.adobe.com/v/29770");
    assert!(
        select(&main, "iframe, video").is_empty(),
        "nothing loads before a click"
    );
    let details = &select(&main, "details.afm-collapse")[0];
    assert_eq!(
        text(&select_in(details, "summary")[0]),
        "Line items example"
    );
    assert_eq!(select_in(details, "summary strong").len(), 1);
    assert!(text(details).contains("Hidden text."));
    assert!(!text(details).contains("Outside."));
    assert!(!text(&select(&main, "main")[0]).contains("+++"));
}

#[test]
fn collapsibles_open_and_close_right_after_text() {
    let site = guide(
        "Intro text.\n+++Line items **example**\nHidden text.\n+++\nAfter text.\n\n\
         +++ **Bold title**\n\nMore hidden.\n+++\n\n\
         Code text.\n`+++code` stays.\n\n```\n+++In a block\n```\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let details = select(&main, "details.afm-collapse");
    assert_eq!(details.len(), 2, "{}", main.html());
    assert_eq!(
        text(&select_in(&details[0], "summary")[0]),
        "Line items example"
    );
    assert_eq!(select_in(&details[0], "summary strong").len(), 1);
    assert_eq!(text(&select_in(&details[0], "p")[0]), "Hidden text.");
    assert!(!text(&details[0]).contains("Intro text."));
    assert!(!text(&details[0]).contains("After text."));
    let paragraphs: Vec<String> = select(&main, ".prose > p").iter().map(text).collect();
    assert!(
        paragraphs.contains(&"Intro text.".to_string()),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs.contains(&"After text.".to_string()),
        "{paragraphs:?}"
    );
    assert_eq!(
        text(&select_in(&details[1], "summary strong")[0]),
        "Bold title"
    );
    assert!(text(&details[1]).contains("More hidden."));
    // In code, `+++` is text.
    assert_eq!(text(&select(&main, "p code")[0]), "+++code");
    assert!(text(&select(&main, "pre code")[0]).contains("+++In a block"));
    let outside_code: String = select(&main, ".prose > p, details > p, summary")
        .iter()
        .map(|e| text(e).replace("+++code", ""))
        .collect();
    assert!(!outside_code.contains("+++"), "{outside_code}");
}

#[test]
fn attribute_lists_apply_when_safe_and_never_show() {
    let site = guide(
        "[Site](https://x.org){target=\"_blank\"} [Other](other.md){target=_blank} \
         ![Shot](/help/assets/shot.png){width=\"600\" zoomable=\"yes\"} \
         ![Evil](/help/assets/shot.png){width=\"1 onerror=alert(1)\" class=\"ok\"} \
         See Videos{target=\"_blank\"}.\n\n\
         [Forgot](https://x.org){target=\"_blank} [Traduit](https://x.org){target=« _blank} \
         ![Commas](/help/assets/shot.png){width=«\u{a0}250\u{a0}», height=«\u{a0}250\u{a0}»} \
         ![Spaced](/help/assets/shot.png) {style=\"border:1px solid lightslategray\"}\n\n\
         ![](/help/assets/shot.png){ } [Empty](other.md){  } here \
         ![Pixels](/help/assets/shot.png){width=\"400px\"} \
         [Word](https://x.org){target=_blank center} ![Word](/help/assets/shot.png){width=50%,align-center} \
         [Blank](https://x.org){_blank}\n",
    );
    site.write("content/en/help/other.md", "---\ntitle: Other\n---\nx\n");
    site.write_bytes("content/en/help/assets/shot.png", b"png");
    site.build().ok();
    let main = main_of(&site, PAGE);
    let links = select(&main, "p a");
    assert_eq!(attr(&links[0], "target"), "_blank");
    assert_eq!(attr(&links[0], "rel"), "noopener");
    assert_eq!(attr(&links[1], "href"), "../../../en/help/other/index.html");
    assert_eq!(attr(&links[1], "rel"), "noopener");
    let images = select(&main, "img");
    assert_eq!(attr(&images[0], "width"), "600");
    assert_eq!(attr(&images[0], "alt"), "Shot");
    assert_eq!(attr(&images[0], "src"), "../../../en/help/assets/shot.png");
    assert_eq!(
        attr(&images[1], "width"),
        "",
        "a width that is not a number is dropped"
    );
    assert_eq!(attr(&images[1], "onerror"), "");
    assert_eq!(attr(&images[1], "class"), "ok");
    assert!(!text(&select(&main, "p")[0]).contains('{'));
    // A closing quote forgotten, and the guillemets machine translation put instead.
    let last = &select(&main, "p")[1];
    assert!(!text(last).contains('{'), "{}", text(last));
    for link in select_in(last, "a") {
        assert_eq!(attr(&link, "target"), "_blank");
    }
    // Commas between the attributes, as Adobe's Journey Optimizer guide has them.
    let image = &select_in(last, "img")[0];
    assert_eq!(
        (attr(image, "width"), attr(image, "height")),
        ("250".into(), "250".into())
    );
    // An empty list (Experience Manager Guides' `![](x.png){ }`) is not text either.
    assert_eq!(text(&select(&main, "p")[2]), "Empty here  Word  Blank");
    // A width in pixels is that width (Substance 3D Painter's `{width="400px"}`).
    let pixels = &select_in(&select(&main, "p")[2], "img")[1];
    assert_eq!(attr(pixels, "width"), "400");
    // A word without a value beside attributes (Core Components' `align-center`) goes
    // with the list; the attributes apply.
    let words = &select(&main, "p")[2];
    assert!(!text(words).contains('{'), "{}", text(words));
    assert_eq!(attr(&select_in(words, "a")[1], "target"), "_blank");
    assert_eq!(attr(&select_in(words, "img")[2], "width"), "50%");
    // `_blank` alone is the target it was meant to be (Journey Optimizer B2B).
    assert_eq!(attr(&select_in(words, "a")[2], "target"), "_blank");
}

/// A link in italics that opens in a new tab (`_[Guide](…){target="_blank"}_`, Adobe's
/// guides): the `_` of `_blank` closed the emphasis, and the reader saw `{target="` and
/// the rest of the list in italics. An underscore or asterisk of a list is its value;
/// the same characters elsewhere keep their meaning.
#[test]
fn an_emphasis_delimiter_in_a_list_value_closes_no_emphasis() {
    let site = guide(
        "See _[the guide](https://x.org/a_b){target=\"_blank\"}_ now, \
         *[two](https://x.org){target=\"_blank\"}* and \
         ![Shot](/help/assets/shot.png){class=\"wide_shot\" width=\"300\"} _in italics_.\n\n\
         In code: `[c](d){e=\"_f\"}_`\n",
    );
    site.write_bytes("content/en/help/assets/shot.png", b"png");
    site.build().ok();
    let main = main_of(&site, PAGE);
    let first = &select(&main, "p")[0];
    assert!(!text(first).contains('{'), "{}", text(first));
    let links = select(&main, "p em > a");
    assert_eq!(links.len(), 2, "{}", text(first));
    assert_eq!(text(&links[0]), "the guide");
    assert_eq!(attr(&links[0], "href"), "https://x.org/a_b");
    assert_eq!(attr(&links[0], "target"), "_blank");
    assert_eq!(attr(&links[1], "target"), "_blank");
    let image = &select(&main, "img")[0];
    assert_eq!(attr(image, "class"), "wide_shot");
    assert_eq!(attr(image, "width"), "300");
    // After an image's list, underscores are emphasis again.
    assert_eq!(text(&select_in(first, "em")[2]), "in italics");
    // In code, as written.
    let second = &select(&main, "p")[1];
    assert_eq!(text(&select_in(second, "code")[0]), "[c](d){e=\"_f\"}_");
}

/// Machine translation put a French `?` inside the link: `[l’article](https://… ?)`, and
/// a no-break space before the `**` that closes bold text.
#[test]
fn a_link_closed_after_a_french_question_mark_is_a_link() {
    let site = guide(
        "Voir [l’article](https://x.org/a?lang=fr ?) et [l’autre](other.md\u{a0}!) \
         [C](https://x.org/r?lang=fr ?){target=_blank}\n\n\
         **Voici pourquoi\u{a0}:\u{a0}**\n",
    );
    site.write("content/en/help/other.md", "---\ntitle: Other\n---\nx\n");
    site.build().ok();
    let main = main_of(&site, PAGE);
    let paragraph = &select(&main, "p")[0];
    let links = select_in(paragraph, "a");
    assert_eq!(attr(&links[0], "href"), "https://x.org/a?lang=fr");
    assert_eq!(attr(&links[1], "href"), "../../../en/help/other/index.html");
    // Its attribute list goes back with the `)` (Target's developer guide).
    assert_eq!(attr(&links[2], "target"), "_blank");
    assert_eq!(text(paragraph), "Voir l’article ? et l’autre\u{a0}! C ?");
    let bold = &select(&main, "p strong")[0];
    assert_eq!(text(bold), "Voici pourquoi\u{a0}:");
}

/// Adobe's Marketo guide keeps its images in `_assets/`: a `_` folder's Markdown is no
/// page, its other files are copied and may be linked.
#[test]
fn files_in_underscore_folders_are_copied_their_markdown_is_no_page() {
    let site = guide(
        "![Amy](/help/_assets/authors/amy.png) and [the notes](_drafts/notes.pdf).\n\n\
         ![](assets/___0a25a893___.png)\n",
    );
    site.write_bytes("content/en/help/_assets/authors/amy.png", b"png");
    // Adobe's Knowledge Base names its images so.
    site.write_bytes("content/en/help/assets/___0a25a893___.png", b"png");
    site.write("content/en/help/_snippet.md", "Not a page.\n");
    site.write_bytes("content/en/help/_drafts/notes.pdf", b"pdf");
    site.write(
        "content/en/help/_drafts/draft.md",
        "---\ntitle: Draft\n---\nNot yet.\n",
    );
    site.write("content/en/help/_assets/readme.md", "# About the images\n");
    site.build().ok();
    assert_eq!(
        std::fs::read(site.output("en/help/_assets/authors/amy.png")).expect("copied"),
        b"png"
    );
    assert!(site.output("en/help/_drafts/notes.pdf").exists());
    assert!(site.output("en/help/assets/___0a25a893___.png").exists());
    assert!(!site.output("en/help/_snippet.md").exists());
    let main = main_of(&site, PAGE);
    assert_eq!(
        attr(&select(&main, "img")[0], "src"),
        "../../../en/help/_assets/authors/amy.png"
    );
    let pages: Vec<String> = output_files(&site)
        .into_iter()
        .filter(|f| {
            f.ends_with(".html")
                && (f.contains("draft") || f.contains("readme") || f.contains("snippet"))
        })
        .collect();
    assert!(pages.is_empty(), "no pages for them: {pages:?}");
}

#[test]
fn includes_and_snippets_expand_from_the_language_root() {
    let site = guide(
        "1. Step one\n\n   {{$include /help/_includes/step.md}}\n\n{{admin-login}}\n\n`{{not-a-snippet}}`\n\n```\n{{ACCESS_TOKEN}}\n```\n\n\
         <!--{{other}}-->\n\n<!--\n{{$include /help/_includes/gone.md}}\n-->\n",
    );
    site.write(
        "content/en/help/_includes/step.md",
        "---\ntitle: dropped\n---\nIncluded **text**.\n\n{{$include nested.md}}\n",
    );
    site.write("content/en/help/_includes/nested.md", "Nested text.\n");
    site.write(
        "content/en/help/_includes/snippets.md",
        "# Snippets\n\n## Admin {#admin-login}\n\n>[!NOTE]\n>\n>Log in to the [!UICONTROL Admin].\n\n## Other {#other}\n\nNot this.\n",
    );
    site.build().ok();
    assert!(!site.output("en/help/_includes/step/index.html").exists());
    let main = main_of(&site, PAGE);
    let item = text(&select(&main, "ol li")[0]);
    assert!(item.contains("Included text."), "{item}");
    assert!(item.contains("Nested text."), "{item}");
    let note = &select(&main, "blockquote.markdown-alert-note")[0];
    assert_eq!(text(&select_in(note, ".uicontrol")[0]), "Admin");
    let all = text(&select(&main, "main")[0]);
    assert!(!all.contains("Not this.") && !all.contains("dropped"));
    assert!(all.contains("{{not-a-snippet}}") && all.contains("{{ACCESS_TOKEN}}"));
    // Commented out: not expanded (`gone.md` does not exist), nothing shows.
    assert!(!all.contains("other") && !all.contains("gone"), "{all}");
}

/// A relative link of an included file is written from that file's folder (an include
/// within an include from its own), as in Experience League's guides; one that does not
/// resolve there (a raw HTML link written for the including pages) from the page's.
#[test]
fn relative_links_of_an_include_start_from_its_folder() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/upgrade/dev/page.md",
        "---\ntitle: Page\n---\n1. Step\n\n   {{$include /help/_includes/login.md}}\n\nOwn [near](near.md).\n",
    );
    site.write(
        "content/en/help/_includes/login.md",
        "Switch to the [owner](../install/owner.md). ![Shot](../assets/shot.png)\n\n\
         {{$include deep/more.md}}\n\n<a href=\"near.md\">near</a>\n",
    );
    site.write(
        "content/en/help/_includes/deep/more.md",
        "Then [tune](../../install/tune.md).\n",
    );
    for (file, title) in [
        ("install/owner.md", "Owner"),
        ("install/tune.md", "Tune"),
        ("upgrade/dev/near.md", "Near"),
    ] {
        site.write(
            &format!("content/en/help/{file}"),
            &format!("---\ntitle: {title}\n---\nText.\n"),
        );
    }
    site.write_bytes("content/en/help/assets/shot.png", b"png");
    site.build().ok();
    let main = main_of(&site, "en/help/upgrade/dev/page/index.html");
    let hrefs: Vec<String> = select(&main, ".prose a:not(.anchor)")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    let to = |path: &str| format!("../../../../../en/help/{path}/index.html");
    assert_eq!(
        hrefs,
        [
            to("install/owner"),
            to("install/tune"),
            to("upgrade/dev/near"),
            to("upgrade/dev/near")
        ]
    );
    assert_eq!(
        attr(&select(&main, ".prose img")[0], "src"),
        "../../../../../en/help/assets/shot.png"
    );
}

/// A warning about what is written in an included file (here a link left without words)
/// is at the include directive of the page, and names the file.
#[test]
fn a_warning_of_an_included_file_is_at_its_directive() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/upgrade/page.md",
        "---\ntitle: Page\n---\nIntro.\n\n{{$include /help/_includes/login.md}}\n",
    );
    site.write(
        "content/en/help/_includes/login.md",
        "First line.\n\nSee the [](https://example.org/login/).\n",
    );
    let err = site.build().ok().stderr();
    assert!(
        err.contains(
            "content/en/help/upgrade/page.md:6:1: link to `https://example.org/login/` has no text"
        ),
        "{err}"
    );
    assert!(
        err.contains("in `content/en/help/_includes/login.md`, included here"),
        "{err}"
    );
}

/// `equipe serve` of a site, stopped when dropped; its terminal output in a file.
struct Serve {
    child: std::process::Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Serve {
    fn start(site: &TestSite) -> Serve {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_equipe"))
            .args(["serve", "--port", &port.to_string(), "--source"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .expect("start equipe serve");
        let serve = Serve { child, port, log };
        serve.wait_for("the first build", "/__equipe/status", "\"built\":true");
        serve
    }

    /// Polls `path` until its body contains `text`; fails with the server's log after 10 s.
    fn wait_for(&self, what: &str, path: &str, text: &str) -> String {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(10) {
            if let Some(r) = crate::http::get(self.port, path)
                && r.status == 200
                && r.body.contains(text)
            {
                return r.body;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let log = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        panic!("timed out waiting for {what} ({path} to contain `{text}`); log:\n{log}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_renders_a_page_again_when_only_its_include_changes() {
    let site = guide("Before.\n\n{{$include /help/_includes/note.md}}\n\nAfter.\n");
    let note = "content/en/help/_includes/note.md";
    site.write(note, "Included version-1.\n");
    let serve = Serve::start(&site);
    let page = "/en/help/page/";
    serve.wait_for("the include", page, "Included version-1.");

    // Only the included file changes.
    site.write(note, "Included version-2.\n");
    let body = serve.wait_for("the edited include", page, "Included version-2.");
    assert!(!body.contains("version-1"), "{body}");

    // Removed: the page renders again, and its error shows (the last good site stays).
    std::fs::remove_file(site.path(note)).expect("remove the include");
    let status = serve.wait_for("the missing include's error", "/__equipe/status", "note.md");
    assert!(status.contains("content/en/help/page.md"), "{status}");
    serve.wait_for("the last good site", page, "Included version-2.");

    // Back: the error goes, the page shows the new text.
    site.write(note, "Included version-3.\n");
    serve.wait_for("the restored include", page, "Included version-3.");
    serve.wait_for("no errors", "/__equipe/status", "\"errors\":[]");
}

#[test]
fn unknown_includes_snippets_and_cycles_are_errors_at_the_directive() {
    let site = guide(
        "Text\n\nSee {{nope}}.\n\n{{$include /help/_includes/a.md}}\n\n{{$include ../gone.md}}\n",
    );
    site.write(
        "content/en/help/_includes/snippets.md",
        "## One {#one}\n\nx\n",
    );
    site.write("content/en/help/_includes/a.md", "{{$include b.md}}\n");
    site.write("content/en/help/_includes/b.md", "{{$include a.md}}\n");
    let err = site.build().fails();
    // Front matter is 3 lines and `# Page` plus a blank line precede the body text.
    assert!(err.contains("content/en/help/page.md:8:5"), "{err}");
    assert!(err.contains("snippet `nope`"), "{err}");
    assert!(err.contains("content/en/help/page.md:10:1"), "{err}");
    assert!(
        err.contains("/help/_includes/a.md -> /help/_includes/b.md -> /help/_includes/a.md"),
        "{err}"
    );
    // Nested too deep: an error, not a thread's stack overflowed by a chain of files.
    let deep = guide("Text\n\n{{$include /help/_includes/i0.md}}\n");
    for i in 0..5000 {
        deep.write(
            &format!("content/en/help/_includes/i{i}.md"),
            &format!("{i} {{{{$include i{}.md}}}}\n", i + 1),
        );
    }
    let deep_err = deep.build().fails();
    assert!(
        deep_err.contains("content/en/help/page.md:8:1")
            && deep_err.contains("includes nested more than 16 deep")
            && deep_err.contains("/help/_includes/i15.md"),
        "{deep_err}"
    );
    // 16 deep is fine.
    deep.write("content/en/help/_includes/i15.md", "end\n");
    deep.build().ok();
    // Six includes a file, twelve files deep: two billion copies, a build that never
    // ended. One error at the directive, after 10,000 pieces, and the next directive is
    // not tried again.
    let wide =
        guide("Text\n\n{{$include /help/_includes/f0.md}}\n\n{{$include /help/_includes/f0.md}}\n");
    for i in 0..12 {
        let inner = match i {
            11 => String::new(),
            _ => format!("{{{{$include f{}.md}}}}\n\n", i + 1).repeat(6),
        };
        wide.write(
            &format!("content/en/help/_includes/f{i}.md"),
            &format!("Level {i}\n\n{inner}"),
        );
    }
    let wide_err = wide.build().fails();
    assert!(
        wide_err.contains("content/en/help/page.md:8:1")
            && wide_err.contains("includes put more than 10000 files or snippets")
            && !wide_err.contains("page.md:10:1")
            && wide_err.contains("1 error(s)"),
        "{wide_err}"
    );
    // Four levels of six (1,555 pieces a directive, 3,110 for the page) still build, each
    // piece in its place.
    wide.write("content/en/help/_includes/f4.md", "Leaf\n");
    wide.build().ok();
    let html = wide.read_output(PAGE);
    let main = html.split_once("<main").map_or("", |(_, m)| m);
    assert_eq!(main.matches("Leaf").count(), 2 * 6usize.pow(4));
    // A missing file: the OS's words without its error number, and the file looked for.
    assert!(err.contains("content/en/help/page.md:12:1"), "{err}");
    assert!(
        err.contains("include `../gone.md`: no such file or directory (/gone.md)"),
        "{err}"
    );
}

/// `{{name}}` where no `_includes/snippets.md` holds snippets is text, as Adobe's renderer
/// shows it (ID Service's `AMCV_{{YOUR_ORG_ID}}` in prose failed the build); where one
/// does, an unknown name is still an error (above).
#[test]
fn a_snippet_without_snippets_is_text() {
    let site = guide("Cookies: (AMCV_{{YOUR_ORG_ID}}, mbox).\n");
    site.build().ok();
    let main = main_of(&site, PAGE);
    assert_eq!(
        text(&select(&main, "p")[0]),
        "Cookies: (AMCV_{{YOUR_ORG_ID}}, mbox)."
    );
}

/// A link written in an included file is reported at the page's include directive (what
/// the page's author sees), and names the file to fix.
#[test]
fn a_broken_link_of_an_include_names_the_included_file() {
    let site = guide("Text\n\n{{$include /help/_includes/notes.md}}\n\nOwn [gone](gone.md).\n");
    site.write(
        "content/en/help/_includes/notes.md",
        "See [the patch](other.md#no-such-part) and [the tool](missing.md).\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\n## Part\n",
    );
    let err = site.build().fails();
    let included = "a link of `content/en/help/_includes/notes.md`, included here";
    // Front matter is 3 lines and `# Page` plus a blank line precede the body text.
    let at_directive = |what: &str| {
        err.split("\n\n")
            .find(|d| d.contains(what))
            .is_some_and(|d| d.contains("content/en/help/page.md:8:1") && d.contains(included))
    };
    assert!(at_directive("missing.md"), "{err}");
    assert!(at_directive("no-such-part"), "{err}");
    // The page's own link is the page's.
    let own = err
        .split("\n\n")
        .find(|d| d.contains("gone.md"))
        .unwrap_or_default();
    assert!(
        own.contains("this link") && !own.contains("included here"),
        "{err}"
    );
    // And in `check --format json`, for CI annotations.
    let run = site.run(&["check", "--format", "json"]);
    let finding = run
        .stdout()
        .lines()
        .chain(run.stderr().lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("missing.md"))
        })
        .unwrap_or_else(|| panic!("{}{}", run.stdout(), run.stderr()));
    assert_eq!(finding["label"], included, "{finding}");
}

#[test]
fn root_paths_resolve_in_the_pages_language_and_mail_links_are_mail() {
    let site = TestSite::new(ADOBE);
    for lang in ["en", "fr"] {
        site.write(
            &format!("content/{lang}/help/guide/page.md"),
            "---\ntitle: Page\n---\n![Shot](/help/assets/shot.png) [Other](/help/other.md#top) \
             <help@example.org> <a href=\"/help/other.md\">raw</a> [Another guide](/en/docs/aem/page)\n",
        );
        site.write(
            &format!("content/{lang}/help/other.md"),
            "---\ntitle: Other\n---\n## Top\n",
        );
        site.write_bytes(
            &format!("content/{lang}/help/assets/shot.png"),
            lang.as_bytes(),
        );
    }
    site.build().ok();
    let main = main_of(&site, "fr/help/guide/page/index.html");
    assert_eq!(
        attr(&select(&main, "img")[0], "src"),
        "../../../../fr/help/assets/shot.png"
    );
    let links = select(&main, "a");
    assert_eq!(
        attr(&links[0], "href"),
        "../../../../fr/help/other/index.html#top"
    );
    assert_eq!(attr(&links[1], "href"), "mailto:help@example.org");
    assert_eq!(
        attr(&links[2], "href"),
        "../../../../fr/help/other/index.html"
    );
    // A path of Experience League's own site, where the guides are published.
    assert_eq!(
        attr(&links[3], "href"),
        "https://experienceleague.adobe.com/en/docs/aem/page"
    );
}

/// Markdown links in raw HTML table cells, which CommonMark leaves as written (Adobe's
/// Commerce guides have them): links, resolved and checked; in code and comments they
/// stay, and links in comments are not checked (Adobe's Campaign and Workfront guides
/// comment out paragraphs with links to removed pages).
#[test]
fn markdown_links_in_raw_html_are_links() {
    let site = guide(
        "<table>\n<tr>\n<td>See the [General option](other.md#top) and [Adobe](https://adobe.com).</td>\n\
         <td><code>[kept](x.md)</code> ![image](a.png)</td>\n</tr>\n</table>\n\n\
         <pre>\n[also kept](y.md)\n</pre>\n\n<!--\nA [comment](gone.md) and <a href=\"gone.md\">x</a>.\n-->\n\n\
         [Markdown](other.md#top) <!-- <a href=\"gone.md\">x</a> -->\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\n## Top\n\nText.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let links = select(&main, "td a");
    assert_eq!(links.len(), 2, "{}", main.html());
    assert_eq!(text(&links[0]), "General option");
    let markdown = &select(&main, "p a")[0];
    assert_eq!(attr(&links[0], "href"), attr(markdown, "href"));
    assert!(attr(markdown, "href").ends_with("other/index.html#top"));
    assert_eq!(attr(&links[1], "href"), "https://adobe.com");
    let cells = text(&select(&main, "table")[0]);
    assert!(
        cells.contains("[kept](x.md)") && cells.contains("![image](a.png)"),
        "{cells}"
    );
    assert!(text(&select(&main, "pre")[0]).contains("[also kept](y.md)"));

    site.write(
        "content/en/help/page.md",
        "---\ntitle: Page\n---\n<table><tr><td>[Gone](gone.md)</td></tr></table>\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("content/en/help/page.md") && err.contains("gone.md"),
        "{err}"
    );
}

#[test]
fn raw_html_links_to_missing_pages_are_errors() {
    let site = guide("<a href=\"gone.md\">gone</a>\n");
    let err = site.build().fails();
    assert!(err.contains("content/en/help/page.md"), "{err}");
    assert!(err.contains("gone.md"), "{err}");
}

/// Images of raw HTML (Adobe's landing pages lay their icons out in tables of `<img>`) go
/// where Markdown images go: a relative `src` is the file's beside the page in content/,
/// which the page's URL (`page/index.html`) would miss; a missing one is an error at its
/// line. Links of raw HTML to files that are not pages too.
#[test]
fn raw_html_images_and_files_resolve_as_markdown_ones() {
    let site = guide(
        "<table><tr><td><img alt=\"Icon\" src=\"assets/icon.svg\" width=\"40\"></td>\n\
         <td><img alt=\"Up\" src=\"../help/assets/icon.svg\"></td></tr></table>\n\n\
         <p><a href=\"assets/sheet.pdf\">Sheet</a> <img alt=\"Web\" src=\"https://example.org/i.png\"></p>\n\n\
         ![Markdown](assets/icon.svg)\n",
    );
    site.write_bytes("content/en/help/assets/icon.svg", b"<svg/>");
    site.write_bytes("content/en/help/assets/sheet.pdf", b"%PDF");
    site.build().ok();
    let main = main_of(&site, PAGE);
    let sources: Vec<String> = select(&main, "img")
        .iter()
        .map(|i| attr(i, "src"))
        .collect();
    let markdown = "../../../en/help/assets/icon.svg";
    assert_eq!(
        sources,
        [markdown, markdown, "https://example.org/i.png", markdown],
        "{}",
        main.html()
    );
    assert_eq!(
        attr(&select(&main, "p a")[0], "href"),
        "../../../en/help/assets/sheet.pdf"
    );
    // Each resolves to a file the output has.
    for file in ["en/help/assets/icon.svg", "en/help/assets/sheet.pdf"] {
        assert!(site.output(file).is_file(), "{file}");
    }

    site.write(
        "content/en/help/page.md",
        "---\ntitle: Page\n---\nText.\n\n<img alt=\"Gone\" src=\"assets/gone.png\">\n\n\
         <p>See <a href=\"gone.md\">this</a>.</p>\n",
    );
    let err = site.build().fails();
    // At the URL itself.
    assert!(
        err.contains("content/en/help/page.md:6:22:") && err.contains("assets/gone.png"),
        "{err}"
    );
    assert!(err.contains("content/en/help/page.md:8:17:"), "{err}");
}

/// Machine translation empties some raw HTML links (`<a href="…"></a>`): as a Markdown
/// link without words, each shows its page's title or its address, with a warning.
#[test]
fn raw_html_links_without_words_show_their_page_s_title_or_address() {
    let site = guide(
        "<table><tr><td>See <a href=\"other.md\"></a> and <a href=\"https://example.org/docs/x/\"></a>.</td></tr></table>\n\n\
         In a paragraph, <a href=\"other.md#part\"></a> too, and <a href=\"other.md\">words</a>.\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other & more\n---\n## Part\n",
    );
    let built = site.build().ok();
    let main = main_of(&site, PAGE);
    let links: Vec<(String, String)> = select(&main, "td a, p a")
        .iter()
        .map(|a| (attr(a, "href"), text(a)))
        .collect();
    let other = "../../../en/help/other/index.html";
    assert_eq!(
        links,
        [
            (other.to_string(), "Other & more".to_string()),
            (
                "https://example.org/docs/x/".into(),
                "example.org/docs/x".into()
            ),
            (format!("{other}#part"), "Other & more".into()),
            (other.into(), "words".into()),
        ]
    );
    let warned = built.stderr();
    assert_eq!(warned.matches("has no text").count(), 3, "{warned}");
    assert!(warned.contains("content/en/help/page.md:"), "{warned}");
}

/// `+++` right under a tight list's last item is that item's text for CommonMark (a lazy
/// line); Adobe's advertising guide closes accordions so: the list ends, then its
/// collapsible, and the next one is not nested in it.
#[test]
fn a_collapsible_closed_under_a_tight_list_ends_after_it() {
    let site = guide(
        "+++Single item\n\n* only item\n  * nested\n+++\n\n+++Numbered\n\n1. first\n1. last\n+++\n\n+++Last\nText\n+++\n\nAfter.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let summaries: Vec<String> = select(&main, "details > summary")
        .iter()
        .map(text)
        .collect();
    assert_eq!(summaries, ["Single item", "Numbered", "Last"]);
    // Three collapsibles side by side, none in another, no `+++` left as text.
    assert!(
        select(&main, "details details").is_empty(),
        "{}",
        main.html()
    );
    let items: Vec<String> = select(&main, "li").iter().map(text).collect();
    assert!(items.iter().all(|i| !i.contains("+++")), "{items:?}");
    assert_eq!(select(&main, "details:nth-of-type(1) ul li").len(), 2);
    assert_eq!(select(&main, "details ol li").len(), 2);
    assert!(!text(&select(&main, "details")[2]).contains("After."));
}

/// `page.md/#anchor`, a slash too many that Experience League's site forgives: the page,
/// and its anchor checked.
#[test]
fn a_page_link_with_a_trailing_slash_is_the_page() {
    let site = guide("[Settings](other.md/#buttons) and <a href=\"other.md/#gone\">raw</a>.\n");
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\n## Buttons\n",
    );
    let built = site.build().ok();
    let main = main_of(&site, PAGE);
    let links = select(&main, "p a");
    assert_eq!(
        attr(&links[0], "href"),
        "../../../en/help/other/index.html#buttons"
    );
    assert_eq!(
        attr(&links[1], "href"),
        "../../../en/help/other/index.html#gone"
    );
    let warned = built.stderr();
    assert_eq!(warned.matches("no such anchor").count(), 1, "{warned}");
    assert!(warned.contains("link to `#gone`"), "{warned}");
}

/// A link to a folder: its `_index` page when it has one; a folder of pages without one
/// has nothing at its address, said in a warning that names one of its pages; a folder
/// that holds no pages is not content's to judge.
#[test]
fn a_link_to_a_folder_is_its_index_page_or_a_warning() {
    let site = guide(
        "[Guide](guide/#start), [Variables](/help/variables/), \
         <a href=\"variables/\">raw</a>, [Files](/downloads/).\n",
    );
    site.write(
        "content/en/help/guide/_index.md",
        "---\ntitle: Guide\n---\n## Start\n",
    );
    for name in ["core", "overview"] {
        site.write(
            &format!("content/en/help/variables/{name}.md"),
            &format!("---\ntitle: {name}\n---\nText.\n"),
        );
    }
    let built = site.build().ok();
    let main = main_of(&site, PAGE);
    let hrefs: Vec<String> = select(&main, "p a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../../en/help/guide/index.html#start",
            "/help/variables/",
            "variables/",
            "/downloads/"
        ]
    );
    let warned = built.stderr();
    assert_eq!(
        warned.matches("it has no page of its own").count(),
        2,
        "{warned}"
    );
    assert!(
        warned.contains("link to the folder `/help/variables/`"),
        "{warned}"
    );
    assert!(
        warned.contains("such as `/help/variables/overview.md`"),
        "{warned}"
    );
    assert!(
        warned.contains("such as `variables/overview.md`"),
        "{warned}"
    );
    assert!(!warned.contains("folder `/downloads/`"), "{warned}");
}

/// The body's `# Title` is the page's heading after the HTML comments that may come
/// first (Dynamic Media Classic's `<!-- UPDATE THIS TOPIC -->`), where the page had the
/// front matter's title and then the body's as a second `<h1>`; a title that is an image
/// (a newsletter's logo) stays in the body, where its alt text alone took its place.
#[test]
fn the_body_s_title_after_a_comment_or_as_an_image() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/sign-in.md",
        "---\ntitle: Sign in and out\n---\n<!-- UPDATE THIS TOPIC\nlater -->\n\n# Sign in {#signin}\n\nText.\n",
    );
    site.write(
        "content/en/help/news.md",
        "---\ntitle: Newsletter Archive\n---\n# ![Newsletter logo](assets/logo.png)\n\nText.\n",
    );
    site.write("content/en/help/assets/logo.png", "png");
    site.build().ok();
    let main = main_of(&site, "en/help/sign-in/index.html");
    let titles: Vec<String> = select(&main, "h1").iter().map(text).collect();
    assert_eq!(titles, ["Sign in"]);
    let main = main_of(&site, "en/help/news/index.html");
    let titles = select(&main, "h1");
    assert_eq!(titles.len(), 2);
    assert_eq!(text(&titles[0]), "Newsletter Archive");
    let logo = select_in(&titles[1], "img");
    assert_eq!(attr(&logo[0], "alt"), "Newsletter logo");
    assert_eq!(attr(&logo[0], "src"), "../../../en/help/assets/logo.png");
}

/// Emphasis glued to a marker (`**[!UICONTROL All Dates]**displays`, Data Workbench) is
/// emphasis, as Adobe's renderer, which reads markers first, shows it: CommonMark alone
/// left the asterisks.
#[test]
fn emphasis_glued_to_a_marker_is_emphasis() {
    let site = guide(
        "Selecting **[!UICONTROL All Dates]**displays, the**[!UICONTROL Menu]** now, \
         *[!DNL File.cfg]*s and `**[!DNL code]**x`.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let bold: Vec<String> = select(&main, "p .uicontrol strong")
        .iter()
        .map(text)
        .collect();
    assert_eq!(bold, ["All Dates", "Menu"]);
    assert_eq!(text(&select(&main, "p em")[0]), "File.cfg");
    let words = text(&select(&main, "p")[0]);
    assert_eq!(
        words,
        "Selecting All Datesdisplays, theMenu now, File.cfgs and **code**x."
    );
}

/// A marker whose words end with a backslash (`[!DNL C:\\Temp\\]`, Data Workbench's
/// folders) keeps it, as Adobe's renderer does: to CommonMark alone, `\\]` is an escaped
/// bracket, and the backslash was lost. An escaped bracket elsewhere is still one.
#[test]
fn a_marker_ending_with_a_backslash_keeps_it() {
    let site =
        guide("Open [!DNL C:\\Windows\\Temp\\] and [!UICONTROL Export\\], not \\] or \\\\].\n");
    site.build().ok();
    let main = main_of(&site, PAGE);
    let words = text(&select(&main, "p")[0]);
    assert_eq!(
        words,
        "Open C:\\Windows\\Temp\\ and Export\\, not ] or \\]."
    );
    assert_eq!(text(&select(&main, "p .uicontrol")[0]), "Export\\");
}

/// A badge with a `url` is a link to it (Adobe's own test page), a page's `.md` resolved
/// as any link; one with a URL that could run script, or inside a link, is not.
#[test]
fn a_badge_with_a_url_is_a_link() {
    let site = guide(
        "[!BADGE Beta]{type=Informative url=\"https://www.example.com\" tooltip=\"Go\"}, \
         [!BADGE Docs]{url=\"other.md\"}, [!BADGE Bad]{url=\"javascript:alert(1)\"}, \
         [!BADGE New]{url=\"https://example.org/new.html newtab=true\"}.\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\nText.\n",
    );
    site.build().ok();
    let main = main_of(&site, PAGE);
    let links = select(&main, "p a.badge");
    assert_eq!(links.len(), 3);
    // Adobe's `newtab=true` inside the URL's quotes: a new tab, not part of the address.
    assert_eq!(attr(&links[2], "href"), "https://example.org/new.html");
    assert_eq!(attr(&links[2], "target"), "_blank");
    assert_eq!(attr(&links[0], "href"), "https://www.example.com");
    assert_eq!(attr(&links[0], "class"), "badge badge-informative");
    assert_eq!(attr(&links[0], "title"), "Go");
    assert_eq!(text(&links[0]), "Beta");
    assert_eq!(attr(&links[1], "href"), "../../../en/help/other/index.html");
    let spans: Vec<String> = select(&main, "p span.badge").iter().map(text).collect();
    assert_eq!(spans, ["Bad"]);
}

/// Raw HTML's `src` and `href` in HTML's other ways (Experience Manager Guides'
/// `<img  src ="assets/x.png">`): spaces around `=`, single quotes, no quotes, capitals.
/// Each is the file beside the page, and a missing one an error.
#[test]
fn raw_html_urls_in_any_of_html_s_ways_resolve() {
    let site = guide(
        "<p><img  src =\"assets/x.png\" width=600> <img src='assets/x.png'> \
         <img src=assets/x.png> <IMG SRC=\"assets/x.png\"> <img Src=\"assets/x.png\"> \
         <a href = \"other.md\">e</a> <a href='other.md'>f</a></p>\n\n\
         <p>src = \"not/in/a/tag.png\"</p>\n",
    );
    site.write("content/en/help/assets/x.png", "png");
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\n---\nText.\n",
    );
    let built = site.build().ok();
    let main = main_of(&site, PAGE);
    let sources: Vec<String> = select(&main, "img")
        .iter()
        .map(|i| attr(i, "src"))
        .collect();
    assert_eq!(sources, vec!["../../../en/help/assets/x.png"; 5]);
    let hrefs: Vec<String> = select(&main, "p a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(hrefs, vec!["../../../en/help/other/index.html"; 2]);
    assert!(
        !built.stderr().contains("not/in/a/tag"),
        "{}",
        built.stderr()
    );
    site.write(
        "content/en/help/page.md",
        "---\ntitle: Page\n---\n<img src = 'assets/missing.png'>\n",
    );
    let failed = site.build().fails();
    assert!(failed.contains("assets/missing.png"), "{failed}");
}

/// A body that opens with the words of the page's description (Dynamic Media's developer
/// guide, 3,382 pages), or has them after a heading or a callout, shows them once, in its
/// text: the page has no lead then. Another body keeps its lead; the description stays the
/// page's meta description either way.
#[test]
fn a_description_the_body_opens_with_is_not_shown_twice() {
    let site = TestSite::new(ADOBE);
    site.write(
        "content/en/help/same.md",
        "---\ntitle: Same\ndescription: Custom variables   hold values.\n---\n# Same\n\nCustom variables hold\nvalues.\n\nMore.\n",
    );
    site.write(
        "content/en/help/other.md",
        "---\ntitle: Other\ndescription: Custom variables hold values.\n---\n# Other\n\n## Syntax\n\nValues live in custom variables.\n",
    );
    site.build().ok();
    let same = site.html("en/help/same/index.html");
    assert!(select(&same, "main .lead").is_empty());
    assert_eq!(
        text(&select(&same, "main .prose p")[0]),
        "Custom variables hold\nvalues."
    );
    let meta = select(&same, "meta[name=description]");
    assert_eq!(attr(&meta[0], "content"), "Custom variables   hold values.");
    let other = site.html("en/help/other/index.html");
    assert_eq!(
        text(&select(&other, "main .lead")[0]),
        "Custom variables hold values."
    );
    // With markup in the body's words (Core Components' `a [content fragment](…).`).
    site.write(
        "content/en/help/linked.md",
        "---\ntitle: Linked\ndescription: Shows a content fragment.\n---\nShows a [content fragment](https://x.org/cf) **.**\n",
    );
    site.write(
        "content/en/help/longer.md",
        "---\ntitle: Longer\ndescription: Shows a content\n---\nShows a contented reader.\n",
    );
    site.build().ok();
    assert!(select(&site.html("en/help/linked/index.html"), "main .lead").is_empty());
    // After a callout (ID Service's `>[!TIP]`), or glued to the next sentence by machine
    // translation (`…de client.Il existe`).
    site.write(
        "content/en/help/tipped.md",
        "---\ntitle: Tipped\ndescription: Same words here.\n---\n>[!TIP]\n>\n>A tip.\n\nSame words here.Next sentence glued.\n",
    );
    // Without the sentence's last sign (Workfront's known issues), or after a callout
    // long enough in French to take it past 600 bytes (Workfront Fusion).
    site.write(
        "content/en/help/unstopped.md",
        "---\ntitle: Unstopped\ndescription: Some fields may not show as expected\n---\nSome fields may not show as expected. More.\n",
    );
    let callout = "Une remarque assez longue pour remplir la ligne. ".repeat(14);
    site.write(
        "content/en/help/far.md",
        &format!("---\ntitle: Far\ndescription: Vous pouvez mapper les relations.\n---\n>[!IMPORTANT]\n>\n>{callout}\n\nVous pouvez mapper les relations. Vous pouvez aussi.\n"),
    );
    // Whose full stop is the text's comma: the sentence goes on (Learning Manager).
    site.write(
        "content/en/help/going-on.md",
        "---\ntitle: Going on\ndescription: You need to create your account.\n---\nYou need to create your account, by following the steps below:\n",
    );
    // Or its capitals (Support Resources: `sandbox Requests.`, `sandbox requests.`).
    site.write(
        "content/en/help/capitals.md",
        "---\ntitle: Capitals\ndescription: Answers about sandbox Requests.\n---\nAnswers about sandbox requests. It also clarifies.\n",
    );
    // A description that only says the title again (73 pages of Workfront Fusion).
    site.write(
        "content/en/help/titled.md",
        "---\ntitle: Make a custom API call\ndescription: Make a custom  API call.\n---\nText.\n",
    );
    site.build().ok();
    for page in [
        "tipped",
        "unstopped",
        "far",
        "titled",
        "going-on",
        "capitals",
    ] {
        let html = site.html(&format!("en/help/{page}/index.html"));
        assert!(select(&html, "main .lead").is_empty(), "{page}");
    }
    assert_eq!(
        select(&site.html("en/help/longer/index.html"), "main .lead").len(),
        1,
        "a description that ends inside a word of the text is not the text's"
    );
}

/// Raw HTML's `<a name="x">` anchors (Marketo's developer guide names 68 rows of a table
/// so, and links to them) are anchors: a link to `#x` lands there, without a warning.
#[test]
fn named_anchors_of_raw_html_are_anchors() {
    let site = guide(
        "See [the option](#opt) and [the row](#row).\n\n<a name=\"opt\"></a>The option.\n\n\
         | Code | Meaning |\n|---|---|\n| <a name=\"row\"></a>601 | Denied |\n",
    );
    let built = site.build().ok();
    assert!(
        !built.stderr().contains("no such anchor"),
        "{}",
        built.stderr()
    );
    let main = main_of(&site, PAGE);
    assert_eq!(select(&main, "a#opt").len(), 1);
    assert_eq!(select(&main, "td a#row").len(), 1);
}

fn select_in<'a>(element: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).expect("selector");
    element.select(&selector).collect()
}

/// A page whose name carries a suffix that is no language of the site, in a language's
/// folder, is a page by that name (Livefyre's guide: `c-livefyre.js.md`, linked from its
/// `TOC.md` and its pages): the build failed on it, with every link to it.
#[test]
fn a_name_with_a_dot_suffix_in_a_language_folder_is_a_page() {
    let site = guide(
        "See [Livefyre.js](c-livefyre.js.md) and [the way](t-add-livefyre.js-to-the-page.md).\n",
    );
    site.write(
        "content/en/help/c-livefyre.js.md",
        "---\ntitle: Livefyre.js\n---\nThe library.\n",
    );
    site.write(
        "content/en/help/t-add-livefyre.js-to-the-page.md",
        "---\ntitle: Add Livefyre.js to the page\n---\nSteps.\n",
    );
    site.build().ok();
    let hrefs: Vec<String> = select(&main_of(&site, PAGE), "a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../../en/help/c-livefyre-js/index.html",
            "../../../en/help/t-add-livefyre-js-to-the-page/index.html"
        ]
    );
    assert!(
        site.read_output("en/help/c-livefyre-js/index.html")
            .contains("The library.")
    );
}

/// An empty header row above a table's real first row (`|||||`, as tables exported to
/// Markdown have it: Live Search's languages) has no header cells, each of which was a
/// header without a name; the first table of the page and a later one alike (the HTML
/// writer keeps a state from one table to the next). A header with a word keeps its cells.
#[test]
fn an_empty_table_header_row_has_no_cells() {
    let empty = "|||\n|--- |--- |\n|Language|Code|\n|German|de_DE|\n";
    let site = guide(&format!(
        "{empty}\nText.\n\n| Name | |\n|---|---|\n| a | b |\n\n{empty}"
    ));
    site.build().ok();
    let main = main_of(&site, PAGE);
    let tables = select(&main, "table");
    assert_eq!(tables.len(), 3);
    let cells = |t: usize, what: &str| -> Vec<String> {
        let table = scraper::Html::parse_fragment(&tables[t].html());
        select(&table, what).iter().map(text).collect()
    };
    assert_eq!(
        select(&main, "thead tr").len(),
        3,
        "each head keeps its row"
    );
    for t in [0, 2] {
        assert!(cells(t, "th").is_empty(), "table {t}: no header cells");
        assert_eq!(cells(t, "td"), ["Language", "Code", "German", "de_DE"]);
    }
    assert_eq!(cells(1, "th"), ["Name", ""]);
    assert_eq!(cells(1, "td"), ["a", "b"]);
}
