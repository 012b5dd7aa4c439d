//! `TOC.md`: the table of contents of an Experience League guide.
//!
//! Every guide folder of an Adobe documentation repository has a `TOC.md`: front matter
//! with `user-guide-title` and `user-guide-description`, a `# Heading`, then a nested
//! list (`-`, `+` or `*`, any indentation) whose items are links to the guide's pages
//! (`[Install](install.md)`) or group labels (`Admin {#live-search-admin}`) over a deeper
//! list. `{hide-from-toc}` before a link keeps the page in the guide but out of the menu.
//! The list is read line by line rather than as CommonMark: labels hold Adobe's
//! `[!DNL ...]` inside link text, which a CommonMark parser would see as nested links, and
//! every entry keeps its line for diagnostics.

use crate::text::decode_entities;

/// One entry of a guide's table of contents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct TocEntry {
    /// What the reader sees, Adobe markers removed.
    pub label: String,
    /// The link's destination as written (`install.md`, `https://...`); `None` for a
    /// group label.
    pub dest: Option<String>,
    /// A group's `{#id}`.
    pub id: Option<String>,
    /// `{hide-from-toc}`: part of the guide, not shown in its menu.
    pub hidden: bool,
    /// Line and column of the entry in the `TOC.md` file.
    pub line: usize,
    pub column: usize,
    pub children: Vec<TocEntry>,
}

/// Parses the list of a `TOC.md` body; `body_line` is the file line the body starts at.
/// Lines that are not list items (the `# Heading`, blank lines, prose) are skipped.
pub(crate) fn parse(body: &str, body_line: usize) -> Vec<TocEntry> {
    let mut items: Vec<Item> = Vec::new();
    let body = without_comments(body);
    // Whether the line before was an item's or its paragraph's: a line of links after it
    // goes on that paragraph (CommonMark), each link an entry beside the item's (Support
    // Resources' podcast: `+ [Ep.1](episode1.md)` then `[Ep.2](episode2.md)` on the next
    // lines; eight of nine episodes were not in the menu).
    let mut in_item = false;
    for (n, line) in body.lines().enumerate() {
        let indent: usize = line
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let rest = line.trim_start();
        let Some(content) = ["- ", "+ ", "* "]
            .iter()
            .find_map(|marker| rest.strip_prefix(marker))
        else {
            in_item = in_item && !rest.is_empty();
            if let Some(last) = items.last().filter(|_| in_item && rest.starts_with('[')) {
                let (indent, text) = (last.indent, last.text);
                let at = (body_line + n, line.len() - rest.len() + 1);
                push_entries(&mut items, rest, (indent, text), at);
            }
            continue;
        };
        in_item = true;
        // Where the item's text starts, as CommonMark counts it: after the marker and up
        // to four spaces (one, when more: the text is then indented code).
        let spaces = content.len() - content.trim_start_matches(' ').len() + 1;
        let text = indent + 1 + if spaces > 4 { 1 } else { spaces };
        let at = (body_line + n, line.len() - rest.len() + 3);
        push_entries(&mut items, content, (indent, text), at);
    }
    let mut pos = 0;
    nest(&mut items, &mut pos, 0, 0)
}

/// How many levels deep a menu nests: items indented deeper are the deepest level's
/// (each level is a call of [`nest`], and of what walks the menu after it: a `TOC.md` of
/// 20,000 levels overflowed the thread's stack and aborted the build). Adobe's guides
/// nest five or six.
const MAX_LEVELS: usize = 32;

/// The entries of an item's `content` (one, or several run on: see [`run_on`]), its
/// marker at `indent` and its text at `text`, written at `(line, column)`.
fn push_entries(
    items: &mut Vec<Item>,
    content: &str,
    (indent, text): (usize, usize),
    (line, column): (usize, usize),
) {
    for (at, piece) in run_on(content) {
        let entry = entry(piece.trim(), line, column + at);
        items.push(Item {
            indent,
            text,
            entry,
        });
    }
}

/// `body` with its HTML comments blanked, every other byte where it was (for lines and
/// columns in messages): entries an author took out of the menu (`<!-- + [Debug](x.md)
/// -->`, as Adobe's Target guide has) are not entries. A comment not closed runs to the
/// end, as in HTML.
fn without_comments(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("<!--") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let comment = &rest[start..];
        let end = comment.find("-->").map_or(comment.len(), |end| end + 3);
        out.extend(
            comment[..end]
                .bytes()
                .map(|b| if b == b'\n' { '\n' } else { ' ' }),
        );
        rest = &comment[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The entries of one list item's text, each with its offset: one, or several where a
/// line break was lost between entries (`[A](a.md)   - [B](b.md)`, as in a real guide).
fn run_on(content: &str) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in content.match_indices(')') {
        let after = &content[i + 1..];
        let gap = after.len() - after.trim_start().len();
        let next = after.trim_start();
        if gap > 0
            && ["- [", "+ [", "* ["].iter().any(|m| next.starts_with(m))
            && content[start..i].starts_with('[')
        {
            pieces.push((start, &content[start..=i]));
            start = i + 1 + gap + 2;
        }
    }
    pieces.push((start, &content[start..]));
    pieces
}

/// A list item of a `TOC.md`: where its marker is, where its text starts, its entry.
struct Item {
    indent: usize,
    text: usize,
    entry: TocEntry,
}

/// The items from `pos` indented at least `indent`, each with the items after it that
/// are indented as far as its text as children. That is CommonMark's nesting: an item
/// indented less than its list's first item but as far as its parent's text is still in
/// that list (Analytics Learn's `TOC.md` indents a group's first items four spaces and
/// the next ones two).
fn nest(items: &mut [Item], pos: &mut usize, indent: usize, level: usize) -> Vec<TocEntry> {
    let mut out = Vec::new();
    while *pos < items.len() && items[*pos].indent >= indent {
        let text = items[*pos].text;
        let mut entry = std::mem::take(&mut items[*pos].entry);
        *pos += 1;
        if level + 1 < MAX_LEVELS {
            entry.children = nest(items, pos, text, level + 1);
        }
        out.push(entry);
    }
    out
}

/// One list item's text: `[label](dest)`, or `label {#id}`, either after `{hide-from-toc}`.
fn entry(content: &str, line: usize, column: usize) -> TocEntry {
    let (hidden, content) = match content.strip_prefix("{hide-from-toc}") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, content),
    };
    // An attribute list after a link (`{target="_blank"}`) says how it opens: a link out
    // opens as every link out of the menu does.
    let content = match content.rsplit_once("){") {
        Some((link, attrs)) if attrs.ends_with('}') && !attrs.contains(')') => {
            &content[..link.len() + 1]
        }
        _ => content,
    };
    let link = content
        .strip_prefix('[')
        .and_then(|c| c.strip_suffix(')'))
        .and_then(|c| c.rsplit_once("]("));
    match link {
        Some((label, dest)) => TocEntry {
            label: clean_label(label),
            dest: Some(dest.trim().to_string()),
            hidden,
            line,
            column,
            ..TocEntry::default()
        },
        None => {
            // `{#id}` ends the label, or sits inside it where machine translation moved
            // it (`Capturer les {#event-forwarding} de données`).
            let (label, id) = match content.rsplit_once("{#").and_then(|(before, rest)| {
                let (id, after) = rest.split_once('}')?;
                Some((format!("{before} {after}"), id.trim().to_string()))
            }) {
                Some((label, id)) => (label, Some(id)),
                None => (content.to_string(), None),
            };
            TocEntry {
                label: clean_label(&label),
                id,
                hidden,
                line,
                column,
                ..TocEntry::default()
            }
        }
    }
}

/// A label as a reader sees it: `[!DNL Live Search]` and `[!UICONTROL Save]` are their
/// text, so are `` `code` `` and `**bold**` (a menu entry is plain text), entities are
/// characters, runs of spaces (machine translation leaves doubles) are one space.
pub(crate) fn clean_label(label: &str) -> String {
    let label = label.replace("**", "").replace('`', "");
    let label = label.as_str();
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    while let Some(at) = rest.find("[!") {
        out.push_str(&rest[..at]);
        let marker = &rest[at + 2..];
        let word_end = marker
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(marker.len());
        match marker[word_end..]
            .strip_prefix(' ')
            .map(|t| (t, t.find(']')))
        {
            Some((text, Some(end))) if word_end > 0 => {
                out.push_str(&text[..end]);
                rest = &text[end + 1..];
            }
            _ => {
                out.push_str("[!");
                rest = marker;
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE_SEARCH: &str = r#"# [!DNL Live Search] for Commerce {#live-search}

- [What is [!DNL Live Search]?](overview.md)
- Admin {#live-search-admin}
   - [Performance](performance.md)
   - Facets {#facets}
      - [Overview](facets.md)
   - [Indexing](indexing.md)
- [Return home](https://experienceleague.adobe.com/docs/home.html)
"#;

    #[test]
    fn entries_in_comments_are_not_entries() {
        let toc = parse(
            "# T\n\n+ [A](a.md)\n<!--+ [B](b.md)\n+ [C](c.md)-->\n+ [D](d.md) <!-- + [E](e.md) -->\n<!--\n+ [F](f.md)\n",
            1,
        );
        let labels: Vec<&str> = toc.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["A", "D"]);
        assert_eq!(toc[1].line, 6, "lines stay where they were");
    }

    /// A menu deeper than [`MAX_LEVELS`] keeps every entry, the deeper ones at the
    /// deepest level, in order.
    #[test]
    fn a_menu_nests_at_most_max_levels() {
        let body: String = (0..2_000)
            .map(|i| format!("{}+ [P{i}](p{i}.md)\n", "  ".repeat(i)))
            .collect();
        let toc = parse(&body, 1);
        let mut level = &toc;
        let mut depth = 1;
        while let Some(first) = level.first().filter(|e| !e.children.is_empty()) {
            level = &first.children;
            depth += 1;
        }
        assert_eq!(depth, MAX_LEVELS);
        assert_eq!(level.len(), 2_000 - (MAX_LEVELS - 1));
        assert_eq!(level[0].label, format!("P{}", MAX_LEVELS - 1));
        assert_eq!(level.last().map(|e| e.label.as_str()), Some("P1999"));
    }

    /// Items of one list need not be indented alike: each belongs to the innermost item
    /// whose text it is indented as far as (CommonMark).
    #[test]
    fn items_nest_as_commonmark_nests_them() {
        let toc = parse(
            "+ Intro {#intro}\n    + [What](what.md)\n    + Can {#can}\n      + [How](how.md)\n  + Strategy {#strategy}\n    + [Plan](plan.md)\n+ [Next](next.md)\n - [Beside](beside.md)\n-   [Wide](wide.md)\n    - [Under](under.md)\n",
            1,
        );
        let tree = |entries: &[TocEntry]| -> Vec<String> {
            fn walk(entries: &[TocEntry], depth: usize, out: &mut Vec<String>) {
                for e in entries {
                    out.push(format!("{}{}", "  ".repeat(depth), e.label));
                    walk(&e.children, depth + 1, out);
                }
            }
            let mut out = Vec::new();
            walk(entries, 0, &mut out);
            out
        };
        assert_eq!(
            tree(&toc),
            [
                "Intro",
                "  What",
                "  Can",
                "    How",
                "  Strategy",
                "    Plan",
                "Next",
                "Beside",
                "Wide",
                "  Under"
            ]
        );
    }

    /// Links on the lines after an item's go on its paragraph: each an entry beside it.
    #[test]
    fn links_on_an_item_s_next_lines_are_entries_beside_it() {
        let toc = parse(
            "+ Podcast {#podcast}\n  + [Ep.1](e1.md)\n    [Ep.2](e2.md)\n    [Ep.3](e3.md) + [Ep.4](e4.md)\n+ [After](after.md)\n\n[Not an entry](x.md)\n",
            1,
        );
        let podcast: Vec<&str> = toc[0].children.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(podcast, ["Ep.1", "Ep.2", "Ep.3", "Ep.4"]);
        let top: Vec<&str> = toc.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(top, ["Podcast", "After"]);
    }

    #[test]
    fn nested_groups_keep_their_order() {
        let toc = parse(LIVE_SEARCH, 9);
        let labels: Vec<&str> = toc.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["What is Live Search?", "Admin", "Return home"]);
        assert_eq!(toc[0].dest.as_deref(), Some("overview.md"));
        assert_eq!(toc[0].line, 11);
        let admin = &toc[1];
        assert_eq!(admin.id.as_deref(), Some("live-search-admin"));
        assert_eq!(admin.dest, None);
        let inner: Vec<&str> = admin.children.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(inner, ["Performance", "Facets", "Indexing"]);
        assert_eq!(
            admin.children[1].children[0].dest.as_deref(),
            Some("facets.md")
        );
    }

    #[test]
    fn ids_inside_labels_run_on_entries_and_inline_markup() {
        let toc = parse(
            "- Capturer les {#event-forwarding} de données\n\
             - [A: `cron` **fails**](a.md)     - [B](b.md)\n",
            1,
        );
        assert_eq!(toc[0].label, "Capturer les de données");
        assert_eq!(toc[0].id.as_deref(), Some("event-forwarding"));
        let links: Vec<(&str, Option<&str>)> = toc[1..]
            .iter()
            .map(|e| (e.label.as_str(), e.dest.as_deref()))
            .collect();
        assert_eq!(
            links,
            [("A: cron fails", Some("a.md")), ("B", Some("b.md"))]
        );
        assert_eq!(toc[2].column, toc[1].column + 34, "where `[B` is");
    }

    #[test]
    fn an_attribute_list_after_a_link_is_not_its_text() {
        let toc = parse(
            "- [Search [!DNL QPT]](https://example.org/qpt/index.html){target=\"_blank\"}\n- Label {#x}\n",
            1,
        );
        assert_eq!(toc[0].label, "Search QPT");
        assert_eq!(
            toc[0].dest.as_deref(),
            Some("https://example.org/qpt/index.html")
        );
        assert_eq!(toc[1].dest, None);
    }

    #[test]
    fn plus_bullets_and_hidden_entries() {
        let toc = parse(
            "+ Release notes {#rn}\n    + [Tools](tools.md)\n    + {hide-from-toc}[Archive](archive.md)\n",
            1,
        );
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].children.len(), 2);
        assert!(!toc[0].children[0].hidden);
        assert!(toc[0].children[1].hidden);
        assert_eq!(toc[0].children[1].dest.as_deref(), Some("archive.md"));
    }

    #[test]
    fn labels_lose_adobe_markers_and_double_spaces() {
        assert_eq!(
            clean_label("Qu&#39;est-ce que  [!DNL Live Search] ?"),
            "Qu'est-ce que Live Search ?"
        );
        assert_eq!(clean_label("[!UICONTROL Save] [x]"), "Save [x]");
        assert_eq!(clean_label("a [!b"), "a [!b");
    }
}
