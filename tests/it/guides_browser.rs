//! A guide page on a phone in headless Chromium (`tests/browser/guide_tabs.mjs`): Adobe
//! tabs work as an accessible tablist and still read as sections without JavaScript, the
//! guide sidebar opens (a long group's link beside its marker), a table and a code
//! block wider than the phone are reachable by keyboard, and words longer than its line
//! break rather than widen the page. Skips (printing why) without Chromium, Node or the npm
//! packages, as `browser` does.

use crate::common;

use common::*;

/// A column of long names in code beside a column of prose, as Adobe's reference tables
/// have them: on a phone the long names break, and the prose keeps half the width.
const NAMES_TABLE: &str = "| Variable | Type | Description |\n|---|---|---|\n| `MAGENTO_CLOUD_APPLICATION_NAME` | Chaîne | Nom de l’application paramétrée dans le fichier de configuration de l’application, lu au déploiement et à chaque démarrage de l’application. |\n| `quantity` | Entier | Quantité d’article, sans unité, comptée à la commande et à chaque retour. |\n";

/// Words longer than a phone's line, as Adobe Commerce on Cloud's log page has them: a
/// path and a hash in code, and a bare URL. They break; the page does not scroll sideways.
const LONG_WORDS: &str = "The deploy log is `/var/log/platform/yw1unoukjcawe_stg/deploy.log`, the record `475a3bca674d3bbc77b35973d028e6da1cbee740`.\n\n- See https://experienceleague.adobe.com/en/docs/commerce-cloud-service/user-guide/develop/storage/manage-disk-space-limit-for-projects\n";

/// A card of Adobe's own HTML (Customer Journey Analytics Learn's), whose class is the
/// theme's card's: the theme's card style is not put on its links.
const ADOBE_CARD: &str = "<div class=\"card\" style=\"display: flex\">\n<p class=\"headline\"><a href=\"install.md\">Install</a></p>\n<a class=\"spectrum-Button\" href=\"https://example.org/watch\"><span>Watch</span></a>\n</div>\n";

#[test]
fn tabs_switch_and_the_guide_sidebar_opens_on_a_phone() {
    if skip("guide browser test", missing_browser()) {
        return;
    }
    let site = TestSite::new("title: Docs\nlanguages:\n  en: English\n");
    // A menu of more than 200 entries, whose groups that do not hold the page are links
    // to their first page, one with a label that wraps on a phone.
    let links: String = (0..200)
        .map(|k| format!("  - [Link {k}](https://example.org/{k})\n"))
        .collect();
    site.write(
        "content/en/help/demo/TOC.md",
        &format!("# Demo {{#demo}}\n\n- [Install](install.md)\n- [Other](other.md)\n- A group whose label is long enough to wrap on a phone {{#long}}\n  - [Deep](deep.md)\n- Links {{#links}}\n{links}"),
    );
    site.write(
        "content/en/help/demo/deep.md",
        "---\ntitle: Deep\n---\nText.\n",
    );
    site.write(
        "content/en/help/demo/install.md",
        "---\ntitle: Install\n---\n## Install the tool\n\n>[!BEGINTABS]\n\n>[!TAB macOS]\n\nInstall with brew.\n\n>[!TAB Windows]\n\nInstall with winget.\n\n>[!TAB Linux]\n\nInstall with apt.\n\n>[!ENDTABS]\n\nAfter the tabs.\n",
    );
    // A table and a code line wider than a phone, and a short code block.
    let wide_table = format!(
        "| {} |\n|{}\n| {} |\n",
        [
            "Configuration",
            "Environment",
            "Deployment",
            "Verification",
            "Rollback"
        ]
        .join(" | "),
        "---|".repeat(5),
        [
            "production-eu-west",
            "staging-us-east",
            "blue-green",
            "smoke-tests",
            "automatic"
        ]
        .join(" | ")
    );
    site.write(
        "content/en/help/demo/other.md",
        &format!(
            "---\ntitle: Other\n---\nText.\n\n{LONG_WORDS}\n{wide_table}\n{NAMES_TABLE}\n```sh\nbin/magento config:set --scope=websites --scope-code=base payment/braintree/active 1 && bin/magento cache:flush\n```\n\n```sh\nls\n```\n\n{ADOBE_CARD}"
        ),
    );
    site.build().ok();
    let (_server, port) = static_server(&site.path("public"));
    let url = format!("http://127.0.0.1:{port}/en/help/demo/install/index.html");
    let stdout = run_browser_script("guide_tabs.mjs", &[url.as_ref()], String::new);
    assert!(stdout.contains("all browser checks passed"));
}
