//! The pages links may name, as one run of the bodies saw them, so that the next run,
//! when pages came, went or moved, checks again only the cached bodies whose links may
//! name one of those.
//!
//! A link names a page by its key (`roles/chef.md` -> `roles/chef`, from the page's
//! folder, an included file's or the root, in one language or another: see
//! `bodies::PageLinks`): whichever way it is looked up, the key's last name is in the
//! link's text, but for a few forms ([`could_name`]). A page whose key, own file's key,
//! language and URL are all as they were leaves every link to it as it was; so a link
//! whose text holds no name of a page that came, went or changed goes where it went,
//! and a body all of whose links are such is reused without resolving them again. At
//! 20,000 pages, resolving every cached body's links again after a page was added was
//! an eighth of that build's instructions.

use memchr::memmem::Finder;
use rayon::prelude::*;

use crate::hash::{FastSet, hash_all, hash_of};
use crate::site::{Site, SitePage};

/// The most names of pages changed that links are searched for; past it, every cached
/// body's links are resolved again (a folder renamed, a language added).
const MOST_CHANGED: usize = 32;

/// What one run saw of the site's pages.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct PagesSeen {
    /// All of it as one number: the key of every page's URL that a body's links are
    /// checked against (see `bodies::LinkDeps`).
    pub key: u64,
    /// Each page's [`seen`], in the site's order.
    pages: Vec<u64>,
    /// The names links find each page by (see [`push_names`]), a line a page, in the same
    /// order; empty if a name holds a line break.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    names: String,
}

/// What links to a page go by: its key, its own file's key (a page paired with its
/// translation by `exl-id` is found by both), its language and its URL.
fn seen(p: &SitePage) -> u64 {
    hash_of(&(&p.page.key, &p.page.file.key, &p.page.lang, &p.path))
}

/// The last names of a page's key and of its own file's key, joined by `/` (which no
/// name holds).
fn push_names(p: &SitePage, out: &mut String) {
    fn last(key: &str) -> &str {
        memchr::memrchr(b'/', key.as_bytes()).map_or(key, |at| &key[at + 1..])
    }
    out.push_str(last(&p.page.key));
    out.push('/');
    out.push_str(last(&p.page.file.key));
}

impl PagesSeen {
    pub(crate) fn of(site: &Site) -> PagesSeen {
        let pages: Vec<u64> = site.pages.par_iter().map(seen).collect();
        let mut names = String::new();
        for p in &site.pages {
            push_names(p, &mut names);
            names.push('\n');
        }
        if memchr::memchr_iter(b'\n', names.as_bytes()).count() != pages.len() {
            names.clear();
        }
        PagesSeen {
            key: hash_all(&pages),
            pages,
            names,
        }
    }

    /// What changed from `self` (the last run's) to `now`: the names of the pages that
    /// came, went or changed, if there are few and links can be searched for them.
    pub(crate) fn changed(&self, now: &PagesSeen) -> Option<Changed> {
        if self.key == now.key {
            return None;
        }
        fn lines(seen: &PagesSeen) -> Option<Vec<&str>> {
            let lines: Vec<&str> = seen.names.lines().collect();
            (lines.len() == seen.pages.len() && !lines.is_empty()).then_some(lines)
        }
        let (before, after) = (lines(self)?, lines(now)?);
        let was: FastSet<u64> = self.pages.iter().copied().collect();
        let is: FastSet<u64> = now.pages.iter().copied().collect();
        let came = now
            .pages
            .iter()
            .zip(&after)
            .filter(|(h, _)| !was.contains(h));
        let went = self
            .pages
            .iter()
            .zip(&before)
            .filter(|(h, _)| !is.contains(h));
        let mut changed: Vec<&str> = came
            .chain(went)
            .flat_map(|(_, names)| names.split('/'))
            .collect();
        changed.sort_unstable();
        changed.dedup();
        let plain =
            |name: &&str| !(name.is_empty() || name.contains("index") || name.contains([' ', '%']));
        if changed.len() > MOST_CHANGED || !changed.iter().all(plain) {
            return None;
        }
        Some(Changed {
            since: self.key,
            names: changed
                .iter()
                .map(|name| Finder::new(name.as_bytes()).into_owned())
                .collect(),
        })
    }
}

/// The pages that came, went or changed since a run (see [`PagesSeen::changed`]).
pub(crate) struct Changed {
    /// That run's key of every page's URL: a body whose links were checked against
    /// another is checked again.
    pub since: u64,
    names: Vec<Finder<'static>>,
}

impl Changed {
    /// Whether a link written `dest` may go elsewhere now: it may name one of the
    /// changed pages, or names a page without its name (a folder, `index.md`, `..`),
    /// or has an escape (`%20`), which a page's key has as its character.
    pub(crate) fn could_name(&self, dest: &str) -> bool {
        // Byte by byte rather than with `str`'s searches: this is asked of every link of
        // every cached body.
        let bytes = dest.as_bytes();
        let path = &bytes[..memchr::memchr2(b'#', b'?', bytes).unwrap_or(bytes.len())];
        if path.is_empty() {
            // A section of the page itself.
            return false;
        }
        let last = memchr::memrchr(b'/', path).map_or(path, |at| &path[at + 1..]);
        let nameless = last.iter().all(|&b| b == b'.')
            || last.starts_with(b"index")
            || last.starts_with(b"_index")
            || memchr::memchr(b'%', path).is_some();
        nameless || self.names.iter().any(|name| name.find(bytes).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(names: &[&str]) -> Changed {
        Changed {
            since: 0,
            names: names
                .iter()
                .map(|n| Finder::new(n.as_bytes()).into_owned())
                .collect(),
        }
    }

    #[test]
    fn a_link_may_name_a_changed_page_by_its_name_or_without_it() {
        let c = changed(&["chef"]);
        for dest in [
            "chef.md",
            "../roles/chef.fr.md#tasks",
            "/help/roles/chef.md",
            "roles/",
            "roles/index.md",
            "_index.md",
            "..",
            "./",
            ".",
            "my%20page.md",
        ] {
            assert!(c.could_name(dest), "{dest}");
        }
        for dest in [
            "#tasks",
            "other.md",
            "../roles/other.fr.md#chef",
            "img/x.png",
        ] {
            assert_eq!(c.could_name(dest), dest.contains("chef"), "{dest}");
        }
    }
}
