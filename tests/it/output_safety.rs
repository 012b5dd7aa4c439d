//! Never lose a user's files: what `build --output` may replace, one build per output at a
//! time, a build killed mid-swap, outputs that cannot be renamed, and a full disk. Each
//! test drives the real binary on a site in a temporary folder.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, assert_same, files};

/// `equipe build --source SITE ARGS` with extra environment variables.
fn build_command(site: &Path, args: &[&OsStr], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_equipe"));
    cmd.arg("build")
        .arg("--source")
        .arg(site)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("EQUIPE_TEST_ABORT_AT")
        .env_remove("EQUIPE_TEST_PAUSE_AT")
        .env_remove("EQUIPE_TEST_SWAP");
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd
}

fn build(site: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    build_command(site, &args, env)
        .output()
        .expect("run equipe")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "expected success:\n{}", stderr(&out));
    out
}

/// Exit 1 with a message; returns it.
fn fails(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1:\n{}",
        stderr(out)
    );
    stderr(out)
}

/// The names in `dir` that builds leave beside an output named `name` while they run.
fn leftovers(dir: &Path, name: &str) -> Vec<String> {
    ["equipe-new", "equipe-old"]
        .iter()
        .map(|s| format!(".{name}.{s}"))
        .filter(|n| dir.join(n).exists())
        .collect()
}

/// A small site: one language, a home page and a role.
fn small_site() -> TestSite {
    let site = TestSite::new("title: Team\nlanguages:\n  en: English\n");
    site.write("content/_index.md", "---\ntitle: Welcome\n---\nHello.\n");
    site.write(
        "content/roles/tester.md",
        "---\ntitle: Tester\n---\nTests things.\n",
    );
    site
}

/// The site as a build from scratch makes it, built into a folder of its own.
fn reference(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let reference = tempfile::tempdir().expect("temp dir");
    let out = reference.path().join("site");
    ok(build(
        site.root(),
        &["--output", out.to_str().unwrap()],
        &[],
    ));
    files(&out)
}

/// Whether this binary has the swap's test hooks (debug builds only).
pub(crate) fn has_test_hooks() -> bool {
    if !cfg!(debug_assertions) {
        common::say("SKIPPED: the swap's test hooks exist only in debug builds");
    }
    cfg!(debug_assertions)
}

#[test]
fn a_folder_equipe_did_not_make_is_left_untouched_unless_forced() {
    let site = small_site();
    site.write("www/notes.txt", "my notes");
    site.write("www/drafts/plan.md", "my plan");
    let before = files(&site.path("www"));

    let message = fails(&build(site.root(), &["--output", "www"], &[]));
    assert!(
        message.contains("refusing to replace `www`") && message.contains("--force"),
        "{message}"
    );
    assert_same(&files(&site.path("www")), &before, "untouched");
    assert!(leftovers(site.root(), "www").is_empty());

    ok(build(site.root(), &["--output", "www", "--force"], &[]));
    let built = files(&site.path("www"));
    assert!(built.contains_key("index.html") && built.contains_key(".equipe-output"));
    assert!(!built.contains_key("notes.txt") && !built.contains_key("drafts/plan.md"));
    assert_same(&built, &reference(&site), "the site, and only the site");
    // Now equipe's: a build needs no --force, and the marker is no page.
    ok(build(
        site.root(),
        &["--output", "www", "--base-url", "https://x.org/"],
        &[],
    ));
    let sitemap = String::from_utf8(files(&site.path("www"))["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("https://x.org/") && !sitemap.contains("equipe-output"));

    // An empty folder is fine; so is one a previous version built (its stamp beside it).
    std::fs::create_dir(site.path("empty")).unwrap();
    ok(build(site.root(), &["--output", "empty"], &[]));
    site.write("old/index.html", "built by an older equipe");
    site.write(".old.equipe-stamp", "");
    ok(build(site.root(), &["--output", "old"], &[]));
    assert!(site.path("old/.equipe-output").exists());
}

#[test]
fn git_folders_home_and_plain_files_are_refused_even_with_force() {
    let site = small_site();
    site.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    site.write("repo/README.md", "a project");
    let home = tempfile::tempdir().expect("a home folder");
    std::fs::write(home.path().join(".bashrc"), "alias ll='ls -l'\n").unwrap();
    let config = std::fs::read(site.path("site.yaml")).unwrap();
    let repo = files(&site.path("repo"));

    for (output, why) in [
        ("repo/.git", "`.git` folder"),
        ("repo", "holds a git repository"),
        ("site.yaml", "it is a file"),
        (home.path().to_str().unwrap(), "your home folder"),
    ] {
        for force in [false, true] {
            let mut args = vec!["--output", output];
            if force {
                args.push("--force");
            }
            let home = home.path().to_str().unwrap();
            let message = fails(&build(site.root(), &args, &[("HOME", home)]));
            assert!(message.contains(why), "--output {output}: {message}");
            assert!(message.contains("nothing was changed"), "{message}");
        }
    }
    assert_eq!(std::fs::read(site.path("site.yaml")).unwrap(), config);
    assert!(site.path("site.yaml").is_file());
    assert_same(&files(&site.path("repo")), &repo, "the repository");
    assert_eq!(
        files(home.path()).keys().collect::<Vec<_>>(),
        [".bashrc"],
        "nothing written into the home folder"
    );
}

/// Waits until `path` exists (a child process reached a step).
fn wait_for(path: &Path, child: &mut Child) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            child.try_wait().expect("poll the build").is_none(),
            "the first build ended before it staged its files"
        );
        assert!(start.elapsed() < Duration::from_secs(60), "no {path:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_builds_of_one_output_never_interleave() {
    let site = TestSite::example();
    let expected = reference(&site);
    let public: &[&OsStr] = &[];

    // Two builds started together: each succeeds or says another build was writing, and
    // the site is whole either way.
    let spawn = || {
        build_command(site.root(), public, &[])
            .stderr(Stdio::piped())
            .spawn()
            .expect("start a build")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().expect("a build");
        if !out.status.success() {
            assert!(
                fails(&out).contains("another build is writing `public/`"),
                "a second build fails only because of the first"
            );
        }
    }
    assert_same(&files(&site.output("")), &expected, "the site");

    if !has_test_hooks() {
        return;
    }
    // A build held at its swap: one started meanwhile fails and changes nothing.
    site.write(
        "content/roles/tester.en.md",
        "---\ntitle: Tester\n---\nChanged.\n",
    );
    let expected = reference(&site);
    let mut first = build_command(
        site.root(),
        public,
        &[("EQUIPE_TEST_PAUSE_AT", "staged:1500")],
    )
    .stderr(Stdio::piped())
    .spawn()
    .expect("start a build");
    wait_for(&site.path(".public.equipe-new"), &mut first);
    let second = fails(&build(site.root(), &[], &[]));
    assert!(
        second.contains("another build is writing `public/`"),
        "{second}"
    );
    assert!(first.wait_with_output().expect("a build").status.success());
    assert_same(&files(&site.output("")), &expected, "the site");
    assert!(leftovers(site.root(), "public").is_empty());
}

#[test]
fn a_build_killed_at_any_step_of_the_swap_leaves_a_whole_site() {
    if !has_test_hooks() {
        return;
    }
    let exchange = cfg!(any(target_os = "linux", target_os = "macos"));
    let mut cases = vec![
        ("renames", "staged"),
        ("renames", "moved-aside"),
        ("renames", "swapped"),
    ];
    if exchange {
        cases.extend([("exchange", "staged"), ("exchange", "swapped")]);
    }
    for (swap, step) in cases {
        let case = format!("{swap} killed at {step}");
        let site = small_site();
        ok(site.build().0);
        // Without its build cache, a build replaces the output whole (with the cache, it
        // updates it: see the next test); without the records of its bodies, this edit
        // is not one of the text alone (see `text_edits.rs`).
        std::fs::remove_file(site.path(".public.equipe-cache")).expect("a build cache");
        std::fs::remove_file(site.path(".public.equipe-edits")).expect("bodies' records");
        let before = files(&site.output(""));
        site.write(
            "content/roles/tester.md",
            &format!("---\ntitle: Tester\n---\n{case}.\n"),
        );
        let after = reference(&site);
        assert_ne!(before, after);

        let killed = build(
            site.root(),
            &[],
            &[("EQUIPE_TEST_ABORT_AT", step), ("EQUIPE_TEST_SWAP", swap)],
        );
        assert!(!killed.status.success(), "{case}: the build was killed");
        let left = files(&site.output(""));
        match step {
            "staged" => assert_same(&left, &before, &format!("{case}: the previous site")),
            "swapped" => assert_same(&left, &after, &format!("{case}: the new site")),
            _ => {
                // The one moment two renames leave no output: the previous site is beside it.
                assert!(!site.output("").exists(), "{case}");
                assert_same(&files(&site.path(".public.equipe-old")), &before, &case);
            }
        }

        let next = ok(build(site.root(), &[], &[]));
        if step == "moved-aside" {
            assert!(
                stderr(&next).contains("the previous site was put back"),
                "{case}"
            );
        }
        assert_same(
            &files(&site.output("")),
            &after,
            &format!("{case}: the next build"),
        );
        assert!(leftovers(site.root(), "public").is_empty(), "{case}");
    }
    if exchange {
        // With the exchange, there is no moment where the site was moved aside.
        let site = small_site();
        ok(site.build().0);
        site.write("content/roles/tester.md", "---\ntitle: T\n---\nNew.\n");
        ok(build(
            site.root(),
            &[],
            &[("EQUIPE_TEST_ABORT_AT", "moved-aside")],
        ));
    }
}

/// A build of pages' text alone (see `text_edits.rs`) killed once it has replaced the
/// page's file and the search index, before it stamped them: the next build runs, and
/// gives the site a first build gives.
#[test]
fn a_build_of_text_alone_killed_midway_is_repaired_by_the_next() {
    if !has_test_hooks() {
        return;
    }
    let site = small_site();
    ok(site.build().0);
    site.write(
        "content/roles/tester.md",
        "---\ntitle: Tester\n---\nTests zanzibar things.\n",
    );
    let killed = build(site.root(), &[], &[("EQUIPE_TEST_ABORT_AT", "text-edited")]);
    assert!(!killed.status.success(), "the build was killed");
    assert!(
        site.read_output("en/roles/tester/index.html")
            .contains("zanzibar"),
        "the page was replaced before the kill"
    );
    let next = ok(build(site.root(), &[], &[]));
    assert!(stderr(&next).contains("built 3 pages"), "{}", stderr(&next));
    assert_same(
        &files(&site.output("")),
        &reference(&site),
        "the next build",
    );
    assert!(leftovers(site.root(), "public").is_empty());
}

/// A build with the build cache moves the files that changed into the output, then
/// removes the files of pages that are gone. Killed before, it leaves the previous site;
/// killed between the two, a mix, and no build cache: the next build replaces it whole.
#[test]
fn a_build_killed_while_it_updates_the_output_is_repaired_by_the_next() {
    if !has_test_hooks() {
        return;
    }
    for step in ["staged", "swapped"] {
        let site = small_site();
        site.write(
            "content/roles/designer.md",
            "---\ntitle: Designer\n---\nDraws.\n",
        );
        ok(site.build().0);
        assert!(site.path(".public.equipe-cache").exists(), "a build cache");
        let before = files(&site.output(""));
        site.write(
            "content/roles/tester.md",
            "---\ntitle: Tester\n---\nNew text.\n",
        );
        std::fs::remove_file(site.path("content/roles/designer.md")).expect("remove");
        let after = reference(&site);

        let killed = build(site.root(), &[], &[("EQUIPE_TEST_ABORT_AT", step)]);
        assert!(!killed.status.success(), "killed at {step}");
        let left = files(&site.output(""));
        let tester = "en/roles/tester/index.html";
        let designer = "en/roles/designer/index.html";
        if step == "staged" {
            assert_same(
                &left,
                &before,
                "killed before the update: the previous site",
            );
        } else {
            // The new page is in, the page that is gone not yet removed.
            assert_eq!(left.get(tester), after.get(tester), "the changed page");
            assert!(left.contains_key(designer), "{:?}", left.keys());
        }
        assert!(
            !site.path(".public.equipe-cache").exists(),
            "killed at {step}: no build cache describes the output"
        );

        let next = ok(build(site.root(), &[], &[]));
        assert!(
            !stderr(&next).contains("reused from the last build"),
            "{}",
            stderr(&next)
        );
        assert_same(
            &files(&site.output("")),
            &after,
            &format!("{step}: the next build"),
        );
        assert!(
            !site.output("en/roles/designer").exists(),
            "the page's folder is gone"
        );
        assert!(leftovers(site.root(), "public").is_empty(), "{step}");
    }
}

/// A build that updates the output removes the files of pages that are gone, but never
/// through a symbolic link put inside the output: the folder it names is someone's.
#[cfg(unix)]
#[test]
fn an_update_never_removes_files_through_a_link_inside_the_output() {
    let site = small_site();
    site.write(
        "content/roles/designer.md",
        "---\ntitle: Designer\n---\nDraws.\n",
    );
    ok(site.build().0);
    // The page's folder moved elsewhere and linked back, its file the same (a hard
    // link: same size and mtime, so the build keeps it where it is).
    let page = site.output("en/roles/designer");
    std::fs::create_dir(site.path("mine")).unwrap();
    std::fs::hard_link(page.join("index.html"), site.path("mine/index.html")).unwrap();
    std::fs::remove_dir_all(&page).unwrap();
    std::os::unix::fs::symlink(site.path("mine"), &page).unwrap();
    std::fs::remove_file(site.path("content/roles/designer.md")).unwrap();
    ok(site.build().0);
    assert!(
        site.path("mine/index.html").exists(),
        "the linked folder's file stays"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_keeps_its_link_and_loses_pages_that_are_gone() {
    let site = small_site();
    std::fs::create_dir(site.path("www")).unwrap();
    std::os::unix::fs::symlink("www", site.path("public")).unwrap();
    let out = ok(site.build().0);
    assert!(
        stderr(&out).contains("warning: `public` is a symbolic link"),
        "{}",
        stderr(&out)
    );
    let link = std::fs::symlink_metadata(site.path("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    assert_same(&files(&site.path("www")), &reference(&site), "the site");

    std::fs::remove_file(site.path("content/roles/tester.md")).unwrap();
    site.write(
        "content/roles/designer.md",
        "---\ntitle: Designer\n---\nDraws.\n",
    );
    ok(site.build().0);
    let link = std::fs::symlink_metadata(site.path("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    assert_same(
        &files(&site.path("www")),
        &reference(&site),
        "the old page is gone",
    );
    assert!(!site.path("www/.equipe-staging").exists());
}

/// A tmpfs of `size` mounted at `at`, unmounted when dropped; `None` (with the reason
/// printed) where mounting is not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).expect("a mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Tmpfs(at.to_path_buf())),
            Ok(out) => {
                common::say(&format!(
                    "SKIPPED: cannot mount a tmpfs (needs root): {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
                None
            }
            Err(e) => {
                common::say(&format!("SKIPPED: cannot run mount: {e}"));
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_mounted_output_is_written_in_place() {
    let site = small_site();
    let Some(_disk) = Tmpfs::mount(&site.path("public"), "8m") else {
        return;
    };
    let out = ok(site.build().0);
    assert!(
        stderr(&out).contains("warning: `public` is a mount point"),
        "{}",
        stderr(&out)
    );
    assert_same(&files(&site.output("")), &reference(&site), "the site");
    std::fs::remove_file(site.path("content/roles/tester.md")).unwrap();
    ok(site.build().0);
    assert_same(
        &files(&site.output("")),
        &reference(&site),
        "the old page is gone",
    );
}

#[test]
fn a_full_disk_is_one_message_and_the_previous_site_stays() {
    let disk = tempfile::tempdir().expect("temp dir");
    let Some(_disk) = Tmpfs::mount(disk.path(), "2m") else {
        return;
    };
    let site = small_site();
    let output = disk.path().join("public");
    let output_arg = output.to_str().unwrap();
    ok(build(site.root(), &["--output", output_arg], &[]));
    let before = files(&output);

    // Far more than 2 MiB of pages.
    let body = "A sentence about testing that takes some room on the disk. ".repeat(60);
    for i in 0..400 {
        site.write(
            &format!("content/roles/role-{i}.md"),
            &format!("---\ntitle: Role {i}\n---\n{body}\n"),
        );
    }
    let message = fails(&build(site.root(), &["--output", output_arg], &[]));
    let full: Vec<&str> = message
        .lines()
        .filter(|l| l.contains("no space left on device"))
        .collect();
    assert_eq!(full.len(), 1, "one line for the cause:\n{message}");
    let count: usize = full[0]
        .split("no space left on device: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count of files: {}", full[0]));
    assert!(count > 1, "{}", full[0]);
    assert!(
        !message.contains("template"),
        "not blamed on a template:\n{message}"
    );
    assert_same(&files(&output), &before, "the previous site");
    assert!(
        leftovers(disk.path(), "public").is_empty(),
        "staging removed"
    );
}
