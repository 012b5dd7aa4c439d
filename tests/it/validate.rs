//! The example site's HTML passes the Nu Html Checker (npm `vnu-jar`, run with Java) with
//! zero errors, with and without a base URL.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::*;

/// The checker's jar, installed by `npm ci` if need be, or why it cannot run.
fn vnu_jar() -> Result<std::path::PathBuf, String> {
    if let Some(why) = npm_packages() {
        return Err(why);
    }
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !java {
        return Err("no `java` on the PATH (apt-get install default-jre-headless)".into());
    }
    Ok(Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar"))
}

#[test]
fn example_site_is_valid_html() {
    let jar = match vnu_jar() {
        Ok(jar) => jar,
        Err(why) => {
            skip("HTML validation", Some(why));
            return;
        }
    };
    let site = TestSite::example();
    site.build().ok();
    let no_base = TestSite::example();
    no_base.write(
        "site.yaml",
        &std::fs::read_to_string(no_base.path("site.yaml"))
            .expect("site.yaml")
            .replace("base_url:", "# base_url:"),
    );
    no_base.build().ok();
    for public in [site.path("public"), no_base.path("public")] {
        let out = Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--skip-non-html", "--errors-only", "--format", "text"])
            .arg(&public)
            .output()
            .expect("run vnu");
        let report = String::from_utf8_lossy(&out.stderr);
        // vnu exits non-zero when it finds errors, and names each as `error:`.
        assert!(
            out.status.success() && !report.to_lowercase().contains("error:"),
            "Nu Html Checker errors:\n{report}"
        );
    }
}
