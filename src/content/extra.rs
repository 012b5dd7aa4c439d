//! The front matter keys equipe does not know, kept for templates (`page.extra`) and for
//! the few it reads itself (`exl-id`, `source_hash`, `source-git-commit`).

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde_json::Value;

/// Unknown front matter keys and their values, sorted by key. A boxed slice rather than a
/// `BTreeMap`: a page has a few of them, and a map's first node took some 600 bytes of
/// every page (12 MB at 20,000 pages whose files carry two such keys).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    entries: Box<[(String, Value)]>,
    /// `hide: true`, read once: every build asks it of every page (keys of the pages to
    /// render, the sitemap, the search index), and after one edit at 20,000 pages the
    /// keys' strings, read from the build cache and not touched since, cost a cache miss
    /// each (a quarter of the time spent keying the pages).
    hide: bool,
    /// Whether it has an `exl-id` that is text (see [`Extra::exl_id`]), for the same reason:
    /// every build looks for it in every page.
    exl_id: bool,
    /// Adobe's `hidefromtoc: yes`, read once too: the menus ask it of every page.
    hide_from_toc: bool,
}

impl Extra {
    /// The value of `key`, if the front matter has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Adobe's `exl-id`, if it is text: the key its translations share.
    pub fn exl_id(&self) -> Option<&str> {
        self.exl_id
            .then(|| self.get("exl-id").and_then(Value::as_str))
            .flatten()
    }

    /// Whether the page is left out of its guide's menu: Adobe's `hidefromtoc: yes`.
    pub fn hides_from_toc(&self) -> bool {
        self.hide_from_toc
    }

    /// Whether the page is hidden: `hide: true` (see [`super::Page::is_hidden`]).
    pub fn hides_page(&self) -> bool {
        self.hide
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// Whether `key` is set to true, as YAML 1.2 or 1.1 writes it (`true`, `yes`):
    /// Adobe's `hidefromtoc: yes`.
    pub fn is_true(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => super::front_matter::word_bool(s) == Some(true),
            _ => false,
        }
    }
}

impl From<BTreeMap<String, Value>> for Extra {
    fn from(map: BTreeMap<String, Value>) -> Extra {
        let mut extra = Extra {
            entries: map.into_iter().collect(),
            hide: false,
            exl_id: false,
            hide_from_toc: false,
        };
        extra.hide = extra.is_true("hide");
        extra.exl_id = extra.get("exl-id").is_some_and(Value::is_string);
        extra.hide_from_toc = extra.is_true("hidefromtoc");
        extra
    }
}

/// A map, as templates and the build cache see it.
impl serde::Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        BTreeMap::deserialize(d).map(Extra::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_reads_back_as_the_map_it_was() {
        let map: BTreeMap<String, Value> = [
            ("source-git-commit".to_string(), Value::from("226f19")),
            ("ht-degree".to_string(), Value::from("0%")),
            ("exl-id".to_string(), Value::from("abc")),
        ]
        .into_iter()
        .collect();
        let extra = Extra::from(map.clone());
        assert_eq!(extra.get("ht-degree"), Some(&Value::from("0%")));
        assert_eq!(extra.get("exl-id"), Some(&Value::from("abc")));
        assert_eq!(extra.exl_id(), Some("abc"));
        assert_eq!(Extra::default().exl_id(), None);
        let number = Extra::from(BTreeMap::from([("exl-id".to_string(), Value::from(7))]));
        assert_eq!(number.exl_id(), None);
        assert!(!extra.contains_key("title"));
        assert!(!extra.hides_page());
        assert_eq!(
            extra.keys().collect::<Vec<_>>(),
            ["exl-id", "ht-degree", "source-git-commit"]
        );
        let json = serde_json::to_string(&extra).unwrap();
        assert_eq!(json, serde_json::to_string(&map).unwrap());
        assert_eq!(serde_json::from_str::<Extra>(&json).unwrap(), extra);
    }

    #[test]
    fn hide_is_read_as_yaml_1_1_and_1_2_write_true_and_kept_through_the_cache() {
        for (value, hidden) in [
            (Value::Bool(true), true),
            (Value::from("yes"), true),
            (Value::Bool(false), false),
            (Value::from("no"), false),
            (Value::from("maybe"), false),
        ] {
            let extra = Extra::from(BTreeMap::from([("hide".to_string(), value.clone())]));
            assert_eq!(extra.hides_page(), hidden, "hide: {value}");
            assert!(!extra.hides_from_toc());
            let toc = Extra::from(BTreeMap::from([("hidefromtoc".to_string(), value.clone())]));
            assert_eq!(toc.hides_from_toc(), hidden, "hidefromtoc: {value}");
            assert!(!toc.hides_page());
            let back: Extra =
                serde_json::from_str(&serde_json::to_string(&extra).unwrap()).unwrap();
            assert_eq!(back.hides_page(), hidden, "hide: {value}, read back");
        }
    }
}
