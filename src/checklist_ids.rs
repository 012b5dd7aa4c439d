//! Checklist items that share an id. A reader's ticks are kept by item id (see the
//! theme's `checklist.js`), so two items with one id are ticked together: a team's file
//! copied to start another, its `id:`s kept, ticks the new team's items when the old
//! team's are ticked. Translations share their ids on purpose (a box ticked on the French
//! page is ticked on the English one): each language is checked on its own.

use std::collections::hash_map::Entry;

use rayon::prelude::*;

use crate::checklist_item::ChecklistItem;
use crate::content::ChecklistPlaces;
use crate::diagnostics::Diagnostic;
use crate::hash::FastMap;
use crate::site::{PageId, Site};

/// A warning at each checklist item whose id an earlier item of its language has, in the
/// site's order: another page's item, or one of its own page. Each language on a core of
/// its own: at 20,000 pages, 200,000 items went through one map on one core, 4% of a
/// build after one title edited.
pub(crate) fn shared(site: &Site) -> Vec<Diagnostic> {
    site.config
        .languages
        .par_iter()
        .flat_map_iter(|language| shared_in(site, &language.code))
        .collect()
}

/// [`shared`]'s warnings for the pages of one language.
fn shared_in(site: &Site, language: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let pages = || site.ids().filter(|&i| site.pages[i].lang() == language);
    let items = pages().map(|i| site.pages[i].checklist().len()).sum();
    let mut first: FastMap<&str, PageId> = FastMap::default();
    first.reserve(items);
    for i in pages() {
        // Where the page's items are written, found once for all its warnings.
        let mut places = None;
        for (n, item) in site.pages[i].checklist().iter().enumerate() {
            match first.entry(item.id.as_str()) {
                Entry::Vacant(e) => {
                    e.insert(i);
                }
                Entry::Occupied(e) => {
                    let places =
                        places.get_or_insert_with(|| site.pages[i].page.checklist_places());
                    found.push(warning(site, i, (n, item), *e.get(), places));
                }
            }
        }
    }
    found
}

/// The warning for `item`, item `n` of page `i`'s checklist, whose id page `earlier` has
/// already.
fn warning(
    site: &Site,
    i: PageId,
    (n, item): (usize, &ChecklistItem),
    earlier: PageId,
    places: &ChecklistPlaces<'_>,
) -> Diagnostic {
    let p = &site.pages[i];
    let checklist = p.checklist();
    let message = if earlier == i {
        format!(
            "checklist item id `{}` is also that of an earlier item of this page: a reader's tick of one ticks the other",
            item.id
        )
    } else {
        let other = &site.pages[earlier].page;
        format!(
            "checklist item id `{}` is also that of an item of `{}` ({}): a reader's tick of one ticks the other",
            item.id,
            other.key,
            other.file.display.display()
        )
    };
    let d = Diagnostic::warning(message);
    if n < checklist.front.len() {
        places
            .at_front_item(d, n)
            .with_help("give this item an `id:` of its own")
    } else {
        // A task's id comes from its page's key and its text.
        let same_before = checklist.tasks[..n - checklist.front.len()]
            .iter()
            .filter(|t| t.text == item.text)
            .count();
        places
            .at_task(d, &item.text, same_before)
            .with_help("a task's id comes from its text: word the two tasks apart")
    }
}
