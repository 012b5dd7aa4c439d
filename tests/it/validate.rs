//! The example site's HTML passes the Nu Html Checker (npm `vnu-jar`, run with Java) with
//! zero errors, with and without a base URL.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::*;

fn vnu_jar() -> Option<std::path::PathBuf> {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    (jar.is_file() && java).then_some(jar)
}

#[test]
fn example_site_is_valid_html() {
    let jar = vnu_jar();
    let why = jar
        .is_none()
        .then(|| "java or node_modules/vnu-jar missing (run `npm ci`)".to_string());
    if skip("HTML validation", why) {
        return;
    }
    let Some(jar) = jar else { return };
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
