//! A checklist item: from a page's front matter (`onboarding:`, `checklist:`) or a task
//! list item of its body, with an id that survives edits (the reader's ticks are kept by id).

use crate::hash::fnv1a;

/// A thing to do or to tell, with an id that survives edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ChecklistItem {
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub id: String,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub text: String,
    pub done: bool,
}

impl ChecklistItem {
    /// One item of a page (see [`ItemIds::item`]), for tests.
    #[cfg(test)]
    pub fn new(page_key: &str, id: Option<&str>, text: &str, done: bool) -> ChecklistItem {
        ItemIds::of(page_key).item(id, text, done)
    }
}

/// Makes the items of one page (see [`ChecklistItem::new`]), its key slugified once for
/// all of them: slugified for each item, it was 0.7% of a first build's instructions at
/// 2,000 pages (callgrind).
pub(crate) struct ItemIds<'k> {
    page_key: &'k str,
    slug: std::cell::OnceCell<String>,
}

impl<'k> ItemIds<'k> {
    pub(crate) fn of(page_key: &'k str) -> ItemIds<'k> {
        ItemIds {
            page_key,
            slug: std::cell::OnceCell::new(),
        }
    }

    /// An explicit id wins; otherwise the id comes from the page's key and the item's
    /// text, never its position, so inserting or reordering items keeps ticks in place.
    pub(crate) fn item(&self, id: Option<&str>, text: &str, done: bool) -> ChecklistItem {
        let id = match id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => slug::slugify(id),
            None => {
                let key = self.slug.get_or_init(|| {
                    // Most keys have no `_index` to rename: not copied.
                    if crate::text::has(self.page_key, "_index") {
                        slug::slugify(self.page_key.replace("_index", "index"))
                    } else {
                        slug::slugify(self.page_key)
                    }
                });
                // `{key}-{hash:08x}`, written without `format!` (0.3% of a first build's
                // instructions at 2,000 pages).
                let hash = fnv1a(text.trim().as_bytes()) as u32;
                let mut id = String::with_capacity(key.len() + 9);
                id.push_str(key);
                id.push('-');
                for shift in (0..8).rev() {
                    id.push(char::from(
                        b"0123456789abcdef"[(hash >> (4 * shift)) as usize & 15],
                    ));
                }
                id
            }
        };
        ChecklistItem {
            id,
            text: text.trim().to_string(),
            done,
        }
    }
}

/// A page's checklist: its front matter's items, then its body's task list items. The two
/// are kept where they are made (the page and its body) and read as one list, rather than
/// copied into one: a copy of every front matter item was some 10 MB at 20,000 pages.
#[derive(Clone, Copy, Debug, Default, Hash)]
pub struct Checklist<'a> {
    pub front: &'a [ChecklistItem],
    pub tasks: &'a [ChecklistItem],
}

impl<'a> Checklist<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a ChecklistItem> + Clone {
        self.front.iter().chain(self.tasks)
    }

    pub fn len(self) -> usize {
        self.front.len() + self.tasks.len()
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A list, as templates and `checklists.json` see it.
impl serde::Serialize for Checklist<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item's id is its page's key slugified, a dash and the hash of its text in 8
    /// small hexadecimal digits; an explicit id is slugified.
    #[test]
    fn ids_are_the_key_and_the_text_s_hash() {
        for (key, slug) in [
            ("roles/chef", "roles-chef"),
            ("teams/_index", "teams-index"),
        ] {
            let ids = ItemIds::of(key);
            for text in ["Tell them", " Dire à l’équipe ", "", "x"] {
                let hash = fnv1a(text.trim().as_bytes()) as u32;
                assert_eq!(ids.item(None, text, false).id, format!("{slug}-{hash:08x}"));
            }
            assert_eq!(ids.item(Some(" Launch Date "), "x", true).id, "launch-date");
        }
    }
}
