//! A page's table of contents made again alone, for a build after an edit of its headings
//! (see `body_edit`).
//!
//! Adding, removing or rewording a heading changes a page's file in two places: its body,
//! and its table of contents, which the theme writes outside the body from `page.toc`
//! (`toc.html`). The rest of the site sees a page's headings only through links to its
//! sections, and through its translations' headings, which links to their sections are
//! aligned with. So while every such link goes where it went (see
//! [`NamedSections`]), such an edit is an edit of that page's file (and its search entry)
//! alone.
//!
//! Rather than the whole page's template, `toc.html` is rendered alone, twice: with the
//! old table of contents, which must be found once in the page's file, and with the new
//! one, which takes its place. That gives the page's file exactly as a whole render
//! would when `toc.html` reads nothing of its page but `page.toc`, `page.kind` and fields
//! it only tests (`{% if page.responsibilities %}`), besides UI strings (`t.…`): those are
//! recorded for each page, the tests' answers as booleans, at every build (see
//! [`Facts`]). A theme whose `toc.html` reads more, or whose other templates read `toc`
//! or set `page` or `t`, is not edited so ([`TocTemplate::of`]); anything `toc.html`
//! names beyond what is recorded is an undefined variable, an error, and the build runs
//! as usual.

use rayon::prelude::*;

use crate::anchors::{NamedSections, may_name};
use crate::body_ids::BodyIds;
use crate::markdown::Heading;
use crate::site::{PageId, Site};
use crate::template_scan::{binds, names, tags, words};
use crate::theme::{Strings, Template};

/// The theme's `toc.html`, when a heading edit can be made with it alone.
pub(crate) struct TocTemplate<'t> {
    source: &'t str,
    /// The fields of `page` it tests (`{% if page.field %}`), and nothing else of them.
    tested: Vec<String>,
    /// The UI strings it shows (`t.key`).
    strings: Vec<String>,
}

/// At most this many fields tested: their answers are the bits of a `u64`.
const MOST_TESTED: usize = 64;

impl TocTemplate<'_> {
    /// The theme's `toc.html`, if it reads of its page only `toc`, `kind` and fields it
    /// tests, includes nothing, and no other template names `toc` (but to include
    /// `toc.html`) or sets `page` or `t`.
    pub(crate) fn of(templates: &[Template]) -> Option<TocTemplate<'_>> {
        let mut toc = None;
        for template in templates {
            if template.name == "toc.html" {
                toc = Some(template);
                continue;
            }
            for tag in tags(&template.source)? {
                if words(&tag).any(|w| w == "toc") || binds(&tag, &["page", "t"]) {
                    return None;
                }
            }
        }
        let toc = toc?;
        let mut tested = Vec::new();
        let mut strings = Vec::new();
        for tag in tags(&toc.source)? {
            let words: Vec<&str> = tag.split_whitespace().collect();
            if binds(&tag, &["page", "t"])
                || tag.starts_with('<')
                || matches!(
                    words.first(),
                    Some(&("include" | "extends" | "import" | "block" | "component" | "macro"))
                )
            {
                return None;
            }
            for (name, field) in names(&tag) {
                match (name, field) {
                    ("page", Some("toc" | "kind")) => {}
                    ("page", Some(field)) => {
                        let test = format!("page.{field}");
                        if !matches!(words[..], ["if" | "elif", w] if w == test) {
                            return None;
                        }
                        tested.push(field.to_string());
                    }
                    ("t", Some(key)) => strings.push(key.to_string()),
                    ("page" | "t", None) => return None,
                    _ => {}
                }
            }
        }
        tested.sort();
        tested.dedup();
        strings.sort();
        strings.dedup();
        (tested.len() <= MOST_TESTED).then_some(TocTemplate {
            source: &toc.source,
            tested,
            strings,
        })
    }

    /// What a build records for heading edits: the template, its strings in each
    /// language, and each page that may be edited so, with its kind, its answers to the
    /// template's tests and the fragments links name it by. A page whose ids or headings
    /// a link's fragment comes to has none (see [`NamedSections`]), nor a page with a
    /// field this cannot answer.
    pub(crate) fn facts(&self, site: &Site, strings: &Strings, named: &NamedSections) -> Vec<u8> {
        let languages: Vec<(&str, Vec<String>)> = site
            .config
            .languages
            .iter()
            .map(|l| {
                let typography = site.config.typography(&l.code);
                let all = strings.get(&l.code);
                let texts = self
                    .strings
                    .iter()
                    .map(|key| {
                        all.and_then(|s| s.get(key))
                            .map(|s| typography.apply(s))
                            .unwrap_or_default()
                    })
                    .collect();
                (l.code.as_str(), texts)
            })
            .collect();
        let none = Vec::new();
        // On every core: 20,000 pages' answers took 10 ms of each of `serve`'s rebuilds.
        let mut pages: Vec<_> = (0..site.pages.len())
            .into_par_iter()
            .map(PageId::at)
            .filter(|i| !named.fixed.contains(i) && !site.pages[i.index()].generated)
            .filter_map(|i| {
                let p = &site.pages[i];
                let answers = crate::render::tested(site, i, &self.tested)?;
                Some((
                    p.page.file.display_text(),
                    p.lang(),
                    p.page.kind.name(),
                    answers,
                    named.fragments.get(&i).unwrap_or(&none),
                ))
            })
            .collect();
        // In the order they are looked up in (see `Facts::page`): the pages come in the
        // site's, by key and language.
        pages.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        postcard::to_allocvec(&(self.source, &self.tested, &self.strings, languages, pages))
            .unwrap_or_default()
    }
}

/// A recorded page: its file's name, its language, its kind, its answers to the
/// template's tests, the fragments links name it by (each with whether it is one of its
/// ids, see [`NamedSections`]).
type Page<'f> = (&'f str, &'f str, &'f str, u64, Vec<(&'f str, bool)>);

/// Recorded [`TocTemplate::facts`], read back.
pub(crate) struct Facts<'f> {
    source: &'f str,
    tested: Vec<&'f str>,
    strings: Vec<&'f str>,
    languages: Vec<(&'f str, Vec<&'f str>)>,
    pages: Vec<Page<'f>>,
}

impl<'f> Facts<'f> {
    pub(crate) fn read(bytes: &'f [u8]) -> Option<Facts<'f>> {
        let (source, tested, strings, languages, pages) = postcard::from_bytes(bytes).ok()?;
        Some(Facts {
            source,
            tested,
            strings,
            languages,
            pages,
        })
    }

    /// Whether the page of file `name` may have its headings edited alone into a body of
    /// these `ids`, its table of contents shown as each of `shown`: each fragment links
    /// name it by goes where it went (see [`NamedSections`]): one of its ids is still
    /// one, any other comes to none; neither is an id of its table of contents.
    pub(crate) fn takes(&self, name: &str, ids: &BodyIds, shown: [&str; 2]) -> bool {
        let shown = shown.map(BodyIds::of);
        self.page(name).is_some_and(|page| {
            page.4.iter().all(|&(fragment, id)| {
                let kept = if id {
                    ids.has(fragment)
                } else {
                    !may_name(ids, fragment)
                };
                kept && !shown.iter().any(|s| s.has(fragment))
            })
        })
    }

    fn page(&self, name: &str) -> Option<&Page<'f>> {
        let at = self.pages.binary_search_by(|p| p.0.cmp(name)).ok()?;
        Some(&self.pages[at])
    }

    /// `toc.html` rendered for the page of file `name` with each table of contents of
    /// `tocs` (the old one and the new one); `None` if it has no facts or the template
    /// fails.
    pub(crate) fn render(&self, name: &str, tocs: [&[Heading]; 2]) -> Option<[String; 2]> {
        let &(_, lang, kind, answers, _) = self.page(name)?;
        let mut page: std::collections::BTreeMap<&str, tera::Value> = self
            .tested
            .iter()
            .enumerate()
            .map(|(n, field)| (*field, tera::Value::from(answers >> n & 1 == 1)))
            .collect();
        page.insert("kind", tera::Value::from(kind));
        let texts = &self.languages.iter().find(|(l, _)| *l == lang)?.1;
        let t: std::collections::BTreeMap<&str, &str> = self
            .strings
            .iter()
            .copied()
            .zip(texts.iter().copied())
            .collect();
        // As the renderer compiles it (see `render::compile`).
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_template("toc.html", self.source).ok()?;
        let mut render = |toc: &[Heading]| {
            page.insert("toc", tera::Value::from_serializable(&toc));
            let mut context = tera::Context::new();
            context.insert("page", &page);
            context.insert("t", &t);
            tera.render("toc.html", &context).ok()
        };
        let [old, new] = tocs;
        Some([render(old)?, render(new)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, source: &str) -> Template {
        Template {
            name: name.into(),
            file: format!("templates/{name}").into(),
            source: source.into(),
        }
    }

    fn default_toc() -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates/toc.html"),
        )
        .expect("the default toc.html")
    }

    /// The default theme's `toc.html` tests the fields of the sections it lists, and
    /// shows their names.
    #[test]
    fn the_default_toc_reads_its_page_s_toc_kind_and_tests() {
        let templates = [
            template("toc.html", &default_toc()),
            template(
                "role.html",
                "{% include \"toc.html\" %}{% for s in page.skills %}{{ s }}{% endfor %}",
            ),
        ];
        let toc = TocTemplate::of(&templates).expect("the default toc.html");
        assert_eq!(
            toc.tested,
            [
                "checklist",
                "contact",
                "depended_by",
                "depends_on",
                "responsibilities",
                "risks",
                "skills",
                "works_with"
            ]
        );
        assert!(toc.strings.contains(&"on_this_page".to_string()));
    }

    /// What `toc.html` may not read, and what other templates may not do.
    #[test]
    fn a_toc_that_reads_more_is_not_rendered_alone() {
        let toc = |source: &str| TocTemplate::of(&[template("toc.html", source)]).is_some();
        assert!(toc(
            "{% for h in page.toc %}{{ h.text }}{% endfor %}{{ t.x }}"
        ));
        assert!(toc(
            "{% if page.kind == \"role\" %}{% elif page.skills -%}x{% endif %}"
        ));
        assert!(toc("{# {{ page.title }} #}{{ \"page.title\" }}"));
        for reads_more in [
            "{{ page.title }}",
            "{% if page.skills | length > 1 %}x{% endif %}",
            "{% if page.skills and page.risks %}x{% endif %}",
            "{{ page }}",
            "{{ page | json_encode }}",
            "{{ t }}",
            "{% include \"other.html\" %}",
            "{% set page = 1 %}{{ page.toc }}",
            "{% for t in page.toc %}{{ t.text }}{% endfor %}",
            "{{ page.toc ",
        ] {
            assert!(!toc(reads_more), "{reads_more}");
        }
        let with = |other: &str| {
            TocTemplate::of(&[
                template("toc.html", "{{ page.toc | length }}"),
                template("page.html", other),
            ])
            .is_some()
        };
        assert!(with("{% include \"toc.html\" %}{{ content }}"));
        assert!(!with("{{ page.toc | length }}"));
        assert!(!with("{% set t = 1 %}{% include \"toc.html\" %}"));
        assert!(!with("{% for page in pages %}{% endfor %}"));
        assert!(
            TocTemplate::of(&[template("page.html", "{{ content }}")]).is_none(),
            "no toc.html"
        );
    }

    /// Rendered alone from what is recorded, `toc.html` gives what it gives in the page.
    #[test]
    fn facts_render_the_toc_as_recorded() {
        let source = "{% if page.skills %}S{% endif %}{{ page.kind }}:{% for h in page.toc %}<a href=\"#{{ h.id }}\">{{ h.text }}</a>{% endfor %} {{ t.on }}";
        let bytes = postcard::to_allocvec(&(
            source,
            vec!["risks", "skills"],
            vec!["on"],
            vec![("fr", vec!["Sur cette page"])],
            vec![(
                "content/a.fr.md",
                "fr",
                "role",
                0b10u64,
                vec![("onboarding", false), ("x", true)],
            )],
        ))
        .expect("facts");
        let facts = Facts::read(&bytes).expect("read");
        let toc = [Heading {
            level: 2,
            id: "x".into(),
            text: "A & B".into(),
        }];
        assert_eq!(
            facts.render("content/a.fr.md", [&[], &toc]),
            Some([
                "Srole: Sur cette page".to_string(),
                "Srole:<a href=\"#x\">A &amp; B</a> Sur cette page".to_string()
            ])
        );
        let ids = |html: &str| BodyIds::of(html);
        let shown = ["<nav>", "<nav><a href=\"#onboarding\">On</a></nav>"];
        assert!(facts.takes("content/a.fr.md", &ids("<h2 id=\"x\">A</h2>"), shown));
        assert!(!facts.takes("content/b.fr.md", &ids("<h2 id=\"x\">A</h2>"), shown));
        // A fragment that would come to the body, or to its table of contents; an id
        // links name that the body no longer has.
        let heading = "<h2 id=\"x\">X</h2><h2 id=\"on-boarding\">On boarding</h2>";
        assert!(!facts.takes("content/a.fr.md", &ids(heading), shown));
        assert!(!facts.takes("content/a.fr.md", &ids("<h2 id=\"y\">A</h2>"), shown));
        let with_id = ["<nav>", "<a id=\"onboarding\"></a>"];
        assert!(!facts.takes("content/a.fr.md", &ids("<p id=\"x\">x</p>"), with_id));
        assert_eq!(facts.render("content/b.fr.md", [&toc, &toc]), None);
    }
}
