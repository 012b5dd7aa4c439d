//! Links to `page.md#fragment` checked against the ids of the rendered target.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use crate::body_ids::{PageIds, ids_in};
use crate::diagnostics::Diagnostic;
use crate::hash::FastMap;
use crate::site::Site;

/// Links to `page.md#fragment`: the fragment must be an id in the target's rendered HTML
/// (a heading of its body, or a section the template adds, such as `#checklist`). Each
/// target's ids are collected as it is rendered, so that the check needs no rendered page
/// kept in memory; a rebuild keeps them with the cached file.
pub(super) struct AnchorCheck<'a> {
    /// The fragments linked, by target output path.
    wanted: FastMap<&'a str, BTreeSet<&'a str>>,
    /// Collect the ids of every page, not only of linked ones (for the cache).
    every_page: bool,
    /// The ids of each rendered page, by output path.
    found: Mutex<FastMap<String, PageIds>>,
}

impl<'a> AnchorCheck<'a> {
    pub(super) fn new(site: &'a Site, every_page: bool) -> AnchorCheck<'a> {
        let mut wanted: FastMap<&str, BTreeSet<&str>> = FastMap::default();
        for a in site.pages.iter().flat_map(|p| &p.body.anchors) {
            wanted
                .entry(a.target.as_str())
                .or_default()
                .insert(a.fragment.as_str());
        }
        AnchorCheck {
            wanted,
            every_page,
            found: Mutex::default(),
        }
    }

    pub(super) fn observe(&self, path: &str, bytes: &[u8]) {
        let is_page = path.ends_with(".html");
        if (self.every_page && is_page) || self.wanted.contains_key(path) {
            self.observe_ids(path, Arc::new(ids_in(bytes)));
        }
    }

    /// Whether some page links a fragment of `path`.
    pub(super) fn wants(&self, path: &str) -> bool {
        self.wanted.contains_key(path)
    }

    pub(super) fn observe_ids(&self, path: &str, ids: PageIds) {
        self.found
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), ids);
    }

    pub(super) fn ids_of(&self, path: &str) -> Option<PageIds> {
        let found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        found.get(path).cloned()
    }

    /// A link to a fragment its (rendered) target does not have is a warning, as in
    /// Docusaurus (`onBrokenAnchors: warn`): the page exists and the reader lands on it.
    /// `check --strict` makes it an error.
    pub(super) fn findings(self, site: &Site) -> Vec<Diagnostic> {
        let found = self
            .found
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut out = Vec::new();
        for p in &site.pages {
            for a in &p.body.anchors {
                let Some(present) = found.get(a.target.as_str()) else {
                    continue;
                };
                if !present.contains(a.fragment.as_str()) {
                    out.push(
                        Diagnostic::warning(format!(
                            "link to `#{}`: no such anchor in {}",
                            a.fragment, a.target
                        ))
                        .in_file(&p.page.file.display)
                        .with_source(p.page.source())
                        .at(a.line, a.column)
                        .with_link_label(a.included.as_deref()),
                    );
                }
            }
        }
        out
    }
}
