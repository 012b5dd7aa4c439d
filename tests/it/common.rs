//! Test harness: fixture sites in temporary folders, the real binary, HTML read back.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use scraper::{Html, Selector};

/// A site in a temporary folder.
pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
    /// Set for each run of the binary (see [`TestSite::with_env`]).
    env: Vec<(&'static str, &'static str)>,
}

pub(crate) const TWO_LANGUAGES: &str = "title:\n  fr: Équipe\n  en: Team\nbase_url: https://example.org/team/\ndefault_language: fr\nlanguages:\n  fr: Français\n  en: English\n";

impl TestSite {
    /// An empty site with the given site.yaml.
    pub(crate) fn new(site_yaml: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
            env: Vec::new(),
        };
        site.write("site.yaml", site_yaml);
        std::fs::create_dir_all(site.path("content")).expect("content dir");
        site
    }

    /// A copy of the repository's example site (content, site.yaml; theme from the binary).
    pub(crate) fn example() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
            env: Vec::new(),
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(root.join("site.yaml"), site.path("site.yaml")).expect("copy site.yaml");
        copy_dir(&root.join("content"), &site.path("content"));
        site
    }

    /// The same site, the binary run with `key=value` in its environment (the debug
    /// build's test hooks).
    pub(crate) fn with_env(mut self, key: &'static str, value: &'static str) -> TestSite {
        self.env.push((key, value));
        self
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `git ARGS` in the site's folder (a throwaway identity, no signing) and
    /// returns its output; panics if git fails.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub(crate) fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub(crate) fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, bytes).expect("write file");
    }

    /// Runs `equipe ARGS` with `--source` pointing at this site.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_equipe"));
        cmd.args(args)
            .arg("--source")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .envs(self.env.iter().copied());
        Run(cmd.output().expect("run equipe"))
    }

    /// Runs `build` with the debug build's hook that aborts the process at `step` (see
    /// `src/swap.rs`); the build is expected to die there.
    pub(crate) fn build_killed_at(&self, step: &str) {
        let killed = Command::new(env!("CARGO_BIN_EXE_equipe"))
            .args(["build", "--source"])
            .arg(self.root())
            .env("EQUIPE_TEST_ABORT_AT", step)
            .output()
            .expect("run equipe");
        assert!(!killed.status.success(), "the build was killed at {step}");
    }

    /// Starts a command that keeps running (`serve`, `build --watch`) on this site, with
    /// `--source` added and colours off; what it prints goes to the log file returned.
    pub(crate) fn start(&self, args: &[&str]) -> (Child, tempfile::NamedTempFile) {
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_equipe"))
            .args(args)
            .arg("--source")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("start equipe {args:?}: {e}"));
        (child, log)
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub(crate) fn output(&self, relative: &str) -> PathBuf {
        self.path("public").join(relative)
    }

    pub(crate) fn read_output(&self, relative: &str) -> String {
        std::fs::read_to_string(self.output(relative))
            .unwrap_or_else(|e| panic!("cannot read public/{relative}: {e}"))
    }

    pub(crate) fn html(&self, relative: &str) -> Html {
        Html::parse_document(&self.read_output(relative))
    }
}

/// The result of running the binary.
pub(crate) struct Run(pub Output);

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    /// Asserts success and returns self.
    pub(crate) fn ok(self) -> Run {
        assert_eq!(
            self.code(),
            0,
            "expected success; stderr:\n{}",
            self.stderr()
        );
        self
    }
    /// Asserts exit status 1 (content errors) and returns stderr.
    pub(crate) fn fails(self) -> String {
        assert_eq!(
            self.code(),
            1,
            "expected exit 1; stderr:\n{}",
            self.stderr()
        );
        self.stderr()
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub(crate) fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    html.select(&selector).collect()
}

pub(crate) fn text(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

pub(crate) fn attr(element: &scraper::ElementRef<'_>, name: &str) -> String {
    element.value().attr(name).unwrap_or_default().to_string()
}

/// Resolves a relative href from an output file to a path in the output folder.
pub(crate) fn resolve(from_file: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        path = format!("{path}/index.html")
            .trim_start_matches('/')
            .to_string();
    }
    path
}

/// Every file under the output folder, relative, with `/`.
pub(crate) fn output_files(site: &TestSite) -> Vec<String> {
    files_under(&site.path("public"))
}

/// Every file under `root`, relative to it, with `/`, sorted.
pub(crate) fn files_under(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The npm packages of `package.json` that the browser and HTML tests use.
const NPM_PACKAGES: &[&str] = &["playwright-core", "axe-core", "vnu-jar"];

fn missing_npm_package() -> Option<&'static str> {
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    NPM_PACKAGES
        .iter()
        .copied()
        .find(|p| !modules.join(p).join("package.json").is_file())
}

/// Makes sure the npm packages of `package.json` are in `node_modules`, running `npm ci`
/// when one is missing and `npm` is on the PATH, so that a bare `cargo test` runs the
/// browser and HTML tests too. Tests run as threads of one binary and cargo runs test
/// binaries one after the other, but `cargo test` may run in two terminals at once: a
/// `OnceLock` installs once per binary, and an exclusive lock on a file of the target
/// folder makes the other processes wait, then find the packages there. Returns why the
/// packages are still missing, if they are.
pub(crate) fn npm_packages() -> Option<String> {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    MISSING.get_or_init(install_npm_packages).clone()
}

fn install_npm_packages() -> Option<String> {
    let package = missing_npm_package()?;
    if Command::new("npm").arg("--version").output().is_err() {
        return Some(format!(
            "node_modules/{package} is missing and there is no `npm` to install it (apt-get install npm)"
        ));
    }
    let lock_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-ci.lock");
    let lock = std::fs::File::create(&lock_path)
        .and_then(|file| file.lock().map(|()| file))
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()));
    let _lock = match lock {
        Ok(lock) => lock,
        Err(why) => return Some(why),
    };
    // Another test process may have installed them while this one waited.
    missing_npm_package()?;
    say("npm ci: installing the npm packages of package.json for the browser and HTML tests");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(repo)
        .output();
    match run {
        Ok(out) if out.status.success() => missing_npm_package()
            .map(|p| format!("`npm ci` succeeded but node_modules/{p} is missing")),
        Ok(out) => Some(format!(
            "`npm ci` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("cannot run `npm ci`: {e}")),
    }
}

/// Why headless Chromium cannot be driven here, if it cannot: Chromium, Node and the npm
/// packages of `package.json` (installed by [`npm_packages`] if need be) are needed.
pub(crate) fn missing_browser() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no Chromium at {chromium} (apt-get install chromium)"
        ));
    }
    if let Some(why) = npm_packages() {
        return Some(why);
    }
    for tool in ["node", "python3"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Some(format!("no `{tool}` on the PATH"));
        }
    }
    None
}

/// With a reason, prints `SKIPPED: what: why` (see [`say`]) and returns true; in CI
/// (`CI=true`) a missing prerequisite fails the test instead, so that CI always runs it.
pub(crate) fn skip(what: &str, why: Option<String>) -> bool {
    let Some(why) = why else { return false };
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "{what} cannot run in CI: {why}"
    );
    say(&format!("SKIPPED: {what}: {why}"));
    true
}

/// Prints a line in the output of a plain `cargo test`. libtest captures what a passing
/// test prints with `println!` and `eprintln!` (and shows it only with `--nocapture`), but
/// not what is written to the stderr stream directly: a skipped test must not look like
/// one that passed.
pub(crate) fn say(line: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{line}\n").as_bytes());
}

/// A child process killed when the test ends, however it ends.
pub(crate) struct Killed(pub std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free port on loopback.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until something answers on the port, or fails the test after 20 s.
pub(crate) fn wait_for_port(port: u16) {
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed().as_secs() < 20,
            "nothing listens on port {port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Runs a script of `tests/browser/` with Node, prints its `ok`/`FAIL` lines, and fails
/// the test (with what `context` says then, such as a server's log) when the script
/// reports a failure.
pub(crate) fn run_browser_script(
    script: &str,
    args: &[&std::ffi::OsStr],
    context: impl Fn() -> String,
) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("node")
        .arg(repo.join("tests/browser").join(script))
        .args(args)
        .current_dir(repo)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    println!("{stdout}");
    assert!(
        run.status.success(),
        "{script} checks failed:\n{stdout}\n{}{}",
        String::from_utf8_lossy(&run.stderr),
        context()
    );
    stdout
}

/// A plain static server (`python3 -m http.server`) on a free loopback port for `dir`,
/// as a host would serve the output; stopped when the returned value is dropped.
pub(crate) fn static_server(dir: &Path) -> (Killed, u16) {
    let port = free_port();
    let server = Killed(
        Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start python3 -m http.server"),
    );
    wait_for_port(port);
    (server, port)
}

/// Every file under `dir` with its bytes (empty if `dir` is missing).
pub(crate) fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .map(|e| e.expect("a readable folder"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).expect("inside");
            let bytes = std::fs::read(e.path()).expect("a readable file");
            (name.display().to_string(), bytes)
        })
        .collect()
}

/// Asserts that two sites have the same files with the same bytes, naming the ones that
/// differ (not printing the bytes).
#[track_caller]
pub(crate) fn assert_same(
    left: &BTreeMap<String, Vec<u8>>,
    right: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let differ: Vec<&String> = left
        .keys()
        .chain(right.keys())
        .filter(|k| left.get(*k) != right.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}
