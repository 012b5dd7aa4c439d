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
    /// An explicit id wins; otherwise the id comes from the page's key and the item's
    /// text, never its position, so inserting or reordering items keeps ticks in place.
    pub fn new(page_key: &str, id: Option<&str>, text: &str, done: bool) -> ChecklistItem {
        let id = match id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => slug::slugify(id),
            None => {
                // Most keys have no `_index` to rename: not copied.
                let key = if crate::text::has(page_key, "_index") {
                    std::borrow::Cow::Owned(page_key.replace("_index", "index"))
                } else {
                    std::borrow::Cow::Borrowed(page_key)
                };
                format!(
                    "{}-{:08x}",
                    slug::slugify(key),
                    fnv1a(text.trim().as_bytes()) as u32
                )
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
