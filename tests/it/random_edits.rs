//! Edits drawn at random, one after another, to the example site: after each, `build`
//! gives exactly the files a first build of the same content gives, whichever way it
//! took (nothing changed, a page's text alone, the build cache's, a full build). The
//! other tests check each way after edits written down in order (`build_cache.rs`,
//! `text_edits.rs`); this one goes through them in orders no one wrote down. The draws
//! come from fixed seeds, so that a failure replays: its message lists the edits.

use crate::build_cache::first_build;
use crate::common::{TestSite, assert_same, files, files_under};
use crate::rebuild::tick;

/// xorshift64*: enough to draw edits, and no crate needed for it.
struct Draw(u64);

impl Draw {
    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let drawn = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33;
        usize::try_from(drawn).unwrap_or(0) % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The site's page files (relative paths), `_index` pages left out.
fn page_files(site: &TestSite) -> Vec<String> {
    files_under(&site.path("content"))
        .into_iter()
        .filter(|p| p.ends_with(".md") && !p.contains("_index"))
        .map(|p| format!("content/{p}"))
        .collect()
}

/// A page's front matter (with its `---` lines) and its body.
fn split(text: &str) -> (&str, &str) {
    let end = text[4..].find("\n---\n").map_or(0, |i| i + 4 + 5);
    text.split_at(end)
}

/// Makes one edit drawn by `draw` (`n` tells it apart from the others); says what it did.
fn edit(site: &TestSite, draw: &mut Draw, n: usize) -> String {
    let pages = page_files(site);
    let file = draw.pick(&pages).clone();
    let text = std::fs::read_to_string(site.path(&file)).expect("page");
    let (front, body) = split(&text);
    let lang = if file.ends_with(".fr.md") { "fr" } else { "en" };
    let added: Vec<&String> = pages.iter().filter(|p| p.contains("/added-")).collect();
    let (what, new_text) = match draw.below(10) {
        0 => (
            "a paragraph appended",
            format!("{text}\nAdded paragraph {n}.\n"),
        ),
        1 => {
            let lines: Vec<&str> = body.lines().collect();
            let at = draw.below(lines.len() + 1);
            let mut lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
            lines.insert(at, format!("\n## Step {n}\n"));
            (
                "a heading inserted",
                format!("{front}{}\n", lines.join("\n")),
            )
        }
        2 => (
            "its title",
            text.replacen("\ntitle: ", &format!("\ntitle: {n} "), 1),
        ),
        3 if front.contains("\ndescription: ") => (
            "its description",
            text.replacen("\ndescription: ", &format!("\ndescription: {n} "), 1),
        ),
        4 => ("written again as it was", text.clone()),
        5 => {
            let new = format!("content/roles/added-{n}.{lang}.md");
            site.write(
                &new,
                &format!("---\ntitle: Added {n}\ndescription: Role {n}.\n---\n\n## Its work\n\nText {n}.\n"),
            );
            return format!("{new} added");
        }
        6 if !added.is_empty() => {
            let gone = (*draw.pick(&added)).clone();
            std::fs::remove_file(site.path(&gone)).expect("remove");
            return format!("{gone} removed");
        }
        7 => ("a task item", format!("{text}\n- [ ] Task {n}\n")),
        8 => {
            // Relative, to the page's language-free name, as the example links; not to
            // an added page, which an edit may remove.
            let kept: Vec<&String> = pages.iter().filter(|p| !p.contains("/added-")).collect();
            let other = draw.pick(&kept).trim_start_matches("content/");
            let other = other.replace(".en.md", ".md").replace(".fr.md", ".md");
            let up = "../".repeat(file.trim_start_matches("content/").matches('/').count());
            let to = format!("{up}{other}");
            let link = match draw.below(3) {
                0 => format!("[the other page]({to})"),
                1 => format!("[]({to})"),
                _ => format!("[its checklist]({to}#onboarding)"),
            };
            ("a link", format!("{text}\nSee {link}.\n"))
        }
        _ => {
            let weight = draw.below(200);
            let front = match front.find("\nweight: ") {
                Some(at) => {
                    let end = at + 1 + front[at + 1..].find('\n').unwrap_or(0);
                    format!("{}\nweight: {weight}{}", &front[..at], &front[end..])
                }
                None => front.replacen("---\n", &format!("---\nweight: {weight}\n"), 1),
            };
            ("its weight", format!("{front}{body}"))
        }
    };
    site.write(&file, &new_text);
    format!("{file}: {what}")
}

fn random_edits(site: &TestSite, seed: u64, steps: usize) {
    site.build().ok();
    let mut draw = Draw(seed);
    let mut done = Vec::new();
    for n in 0..steps {
        tick();
        done.push(edit(site, &mut draw, n));
        let said = site.build().ok().stderr();
        let what = format!("seed {seed}, after {done:#?}\n{said}");
        assert_same(&files(&site.output("")), &first_build(site), &what);
    }
}

#[test]
fn after_random_edits_a_build_equals_a_first_build() {
    random_edits(&TestSite::example(), 0x5eed_0001, 40);
}

/// The same, with the bodies' HTML placed in the cache's store, as a build of a large site
/// does.
#[test]
fn after_random_edits_a_build_with_placed_bodies_equals_a_first_build() {
    let site = TestSite::example().with_env("EQUIPE_TEST_PLACED_FROM_PAGES", "0");
    random_edits(&site, 0x5eed_0002, 40);
}
