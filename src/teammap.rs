//! The team map: who works with whom, and which outside teams each role keeps informed,
//! drawn at build time as an SVG grid.
//!
//! The map is a matrix, not a node-link drawing, because of what the content is: the seed's
//! nine roles have about twenty `works_with` links among them (more than half of all pairs)
//! and fifteen `depends_on` arrows to three teams. No node-link layout of a graph that dense
//! keeps its links apart (the arc diagram this replaced had 72 crossings); a matrix has none
//! at any size, and a newcomer reads their own row from left to right:
//!
//! - one row per role, in site order (weight, then title), its label at the start;
//! - one column per role (works with) then, past a gap, one column per outside team
//!   (keeps informed), their names written upwards over the grid;
//! - a dot where a row's role works with a column's role (both ways: the grid is
//!   symmetric), a diamond where it must keep a column's team informed.
//!
//! Each row is a link to its role's page whose accessible name lists its relations, so
//! that every relation can be found with the keyboard or a screen reader alone; the theme's
//! CSS highlights the hovered or focused row. The layout is computed, not simulated: the
//! same site gives the same picture, byte for byte. It is drawn twice (wide for screens,
//! narrow for phones, where it is shown at 1:1 so that its text stays at 12 px or more).
//! The module knows nothing of the site model: [`crate::render`] turns a language's pages
//! into a [`TeamMap`].

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::text::escape_attr;
use crate::typography::Typography;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NodeKind {
    Role,
    Team,
}

/// A role or an outside team, with its link (relative to the page the map is on).
#[derive(Clone, Debug, Hash)]
pub(crate) struct MapNode {
    pub label: String,
    pub href: String,
    pub kind: NodeKind,
}

/// The graph to draw. Edges are pairs of indices into `nodes`.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct TeamMap {
    pub nodes: Vec<MapNode>,
    /// Role with role; shown both ways whatever the direction it was written in.
    pub works_with: Vec<(usize, usize)>,
    /// Role to outside team.
    pub depends_on: Vec<(usize, usize)>,
}

/// Words of the page's language: the map's name and description for screen readers, and
/// the names of the two relations (column groups, row names, tooltips).
pub(crate) struct MapText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub works_with: &'a str,
    pub keeps_informed: &'a str,
    /// The page's typography, for the sentences the map makes of these words.
    pub typography: Typography,
}

/// The dimensions of a drawing, in SVG units (pixels when shown at 1:1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Size {
    font: f64,
    line: f64,
    /// Width of a column, and least height of a row.
    cell: f64,
    /// Characters per line of a row label.
    label_chars: usize,
    /// Characters of a column name before it is cut with `…` (the row gives it whole).
    header_chars: usize,
    pad: f64,
}

impl Size {
    pub(crate) const WIDE: Size = Size {
        font: 15.0,
        line: 18.0,
        cell: 36.0,
        label_chars: 24,
        header_chars: 26,
        pad: 10.0,
    };
    /// Shown at 1:1 on phones: 12 px text, a grid of twelve columns within 336 px.
    pub(crate) const NARROW: Size = Size {
        font: 12.0,
        line: 14.0,
        cell: 18.0,
        label_chars: 14,
        header_chars: 22,
        pad: 5.0,
    };

    /// The drawn width of `chars` characters: generous (0.56 em; common sans-serif fonts
    /// average 0.5 em), since the reader's font is not known at build time and a label
    /// must not run into the grid.
    fn text_width(&self, chars: usize) -> f64 {
        chars as f64 * 0.56 * self.font
    }
}

const MAX_LINES: usize = 3;
/// Beyond this many boxes a map is a wall, not a picture: the home page shows none.
pub(crate) const MAX_NODES: usize = 80;
const MARGIN: f64 = 2.0;

const ROLE_COLOR: &str = "#1f5f8b";
const TEAM_COLOR: &str = "#8a4b00";
const INK: &str = "#1d2329";
const GRID: &str = "#d5dbe1";
const ZEBRA: &str = "#f4f6f8";

/// A role's row: its node, its top edge and its label's lines.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub node: usize,
    pub y: f64,
    pub lines: Vec<String>,
}

/// A column: its node, its centre and its (possibly cut) name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Column {
    pub node: usize,
    pub x: f64,
    pub name: String,
}

/// A mark in the grid: the row's node relates to the column's node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Mark {
    pub row: usize,
    pub column: usize,
    pub kind: NodeKind,
    pub x: f64,
    pub y: f64,
}

/// Where everything goes, in SVG user units; `view` is the viewBox (x, y, w, h).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layout {
    pub rows: Vec<Row>,
    pub columns: Vec<Column>,
    pub marks: Vec<Mark>,
    /// Height of every row.
    pub row_h: f64,
    /// Where the grid starts: after the labels, below the column names.
    pub grid_x: f64,
    pub grid_y: f64,
    /// Where the team columns start (the end of the grid when there are none).
    pub teams_x: f64,
    pub view: (f64, f64, f64, f64),
}

/// Places every row, column and mark. Pure and deterministic.
pub(crate) fn layout(map: &TeamMap, size: &Size) -> Layout {
    let roles = kind_indices(map, NodeKind::Role);
    let teams = kind_indices(map, NodeKind::Team);
    let labels: Vec<Vec<String>> = roles
        .iter()
        .map(|&i| wrap(&map.nodes[i].label, size.label_chars))
        .collect();
    let max_lines = labels.iter().map(Vec::len).max().unwrap_or(1);
    let widest = labels
        .iter()
        .flatten()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let row_h = (max_lines as f64 * size.line + size.pad).max(size.cell);
    let grid_x = size.text_width(widest) + 2.0 * size.pad;

    let names: Vec<String> = roles
        .iter()
        .chain(&teams)
        .map(|&i| cut(&map.nodes[i].label, size.header_chars))
        .collect();
    let tallest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let grid_y = size.text_width(tallest) + 2.0 * size.pad;

    let gap = size.cell / 2.0;
    let teams_x =
        grid_x + roles.len() as f64 * size.cell + if teams.is_empty() { 0.0 } else { gap };
    let columns: Vec<Column> = roles
        .iter()
        .enumerate()
        .map(|(k, &node)| (node, grid_x + (k as f64 + 0.5) * size.cell))
        .chain(
            teams
                .iter()
                .enumerate()
                .map(|(k, &node)| (node, teams_x + (k as f64 + 0.5) * size.cell)),
        )
        .zip(names)
        .map(|((node, x), name)| Column { node, x, name })
        .collect();
    let rows: Vec<Row> = roles
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(k, (&node, lines))| Row {
            node,
            y: grid_y + k as f64 * row_h,
            lines,
        })
        .collect();

    let marks = marks(map, &rows, &columns, row_h);

    let right = if teams.is_empty() {
        teams_x
    } else {
        teams_x + teams.len() as f64 * size.cell
    };
    let view = (
        -MARGIN,
        -MARGIN,
        right + 2.0 * MARGIN,
        grid_y + rows.len() as f64 * row_h + 2.0 * MARGIN,
    );
    Layout {
        rows,
        columns,
        marks,
        row_h,
        grid_x,
        grid_y,
        teams_x,
        view,
    }
}

/// A mark where a row's role works with a column's role (both ways) or depends on its team.
fn marks(map: &TeamMap, rows: &[Row], columns: &[Column], row_h: f64) -> Vec<Mark> {
    let is = |i: usize, kind: NodeKind| map.nodes.get(i).is_some_and(|n| n.kind == kind);
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &(a, b) in &map.works_with {
        if a != b && is(a, NodeKind::Role) && is(b, NodeKind::Role) {
            pairs.insert((a, b));
            pairs.insert((b, a));
        }
    }
    for &(a, b) in &map.depends_on {
        if is(a, NodeKind::Role) && is(b, NodeKind::Team) {
            pairs.insert((a, b));
        }
    }
    let mut marks = Vec::with_capacity(pairs.len());
    for row in rows {
        for column in columns {
            if pairs.contains(&(row.node, column.node)) {
                marks.push(Mark {
                    row: row.node,
                    column: column.node,
                    kind: map.nodes[column.node].kind,
                    x: column.x,
                    y: row.y + row_h / 2.0,
                });
            }
        }
    }
    marks
}

fn kind_indices(map: &TeamMap, kind: NodeKind) -> Vec<usize> {
    (0..map.nodes.len())
        .filter(|&i| map.nodes[i].kind == kind)
        .collect()
}

/// A name on one line of at most `max_chars` characters, cut with `…`.
fn cut(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        label.to_string()
    } else {
        let kept: String = label.chars().take(max_chars - 1).collect();
        format!("{}…", kept.trim_end())
    }
}
/// Splits a label into at most [`MAX_LINES`] lines of about `max_chars` characters,
/// on spaces, then on hyphens, then anywhere; what does not fit ends in `…`.
pub(crate) fn wrap(label: &str, max_chars: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while rest.len() > max_chars {
            let cut = rest[..max_chars]
                .iter()
                .rposition(|&c| c == '-')
                .map_or(max_chars, |p| p + 1);
            words.push(rest[..cut].iter().collect());
            rest.drain(..cut);
        }
        words.push(rest.into_iter().collect());
    }
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line)
                if line.chars().count() + 1 + word.chars().count() <= max_chars
                    && !line.ends_with('-') =>
            {
                line.push(' ');
                line.push_str(&word);
            }
            Some(line)
                if line.ends_with('-')
                    && line.chars().count() + word.chars().count() <= max_chars =>
            {
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(max_chars - 1).collect();
            *last = format!("{kept}…");
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The map as an inline `<svg>` element. `id` prefixes the element ids it defines.
pub(crate) fn svg(map: &TeamMap, text: &MapText, id: &str, size: &Size) -> String {
    let l = layout(map, size);
    let font = size.font;
    let mut out = String::with_capacity(4096 + 800 * map.nodes.len());
    let (vx, vy, vw, vh) = l.view;
    // `write!` into a String cannot fail.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"team-map-svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" font-family=\"system-ui, sans-serif\" font-size=\"{font}\">",
        n(vx),
        n(vy),
        n(vw),
        n(vh),
        n(vw),
        n(vh)
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>",
        escape_attr(text.title),
        escape_attr(text.description)
    );
    let grid_right = vx + vw - MARGIN;
    grid(&mut out, &l, size, grid_right);
    columns(&mut out, map, text, &l, size);
    for row in &l.rows {
        map_row(&mut out, map, text, &l, size, row, grid_right);
    }
    out.push_str("</svg>");
    out
}

/// The grid: a wash on every other row, a line between columns, the diagonal greyed.
fn grid(out: &mut String, l: &Layout, size: &Size, grid_right: f64) {
    let grid_bottom = l.grid_y + l.rows.len() as f64 * l.row_h;
    out.push_str("<g class=\"map-grid\" aria-hidden=\"true\">\n");
    for (k, row) in l.rows.iter().enumerate() {
        if k % 2 == 1 {
            let _ = writeln!(
                out,
                "<rect class=\"map-zebra\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{ZEBRA}\"/>",
                n(row.y),
                n(grid_right),
                n(l.row_h)
            );
        }
        if let Some(c) = l.columns.iter().find(|c| c.node == row.node) {
            let _ = writeln!(
                out,
                "<rect class=\"map-self\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{GRID}\"/>",
                n(c.x - size.cell / 2.0),
                n(row.y),
                n(size.cell),
                n(l.row_h)
            );
        }
    }
    for c in &l.columns {
        let x = c.x - size.cell / 2.0;
        let _ = writeln!(
            out,
            "<line class=\"map-rule\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/>",
            n(x),
            n(l.grid_y),
            n(x),
            n(grid_bottom)
        );
    }
    if let Some(last) = l.columns.last() {
        let x = last.x + size.cell / 2.0;
        let _ = writeln!(
            out,
            "<line class=\"map-rule\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/>",
            n(x),
            n(l.grid_y),
            n(x),
            n(grid_bottom)
        );
    }
    out.push_str("</g>\n");
}

/// Column names, written upwards so that twelve of them fit a phone's width. They
/// repeat what each row says (its accessible name lists its relations): hidden from
/// screen readers, not links (columns of 19 px would be targets too small to hit).
fn columns(out: &mut String, map: &TeamMap, text: &MapText, l: &Layout, size: &Size) {
    let font = size.font;
    out.push_str("<g class=\"map-columns\" aria-hidden=\"true\">\n");
    for c in &l.columns {
        let kind = map.nodes[c.node].kind;
        let (class, color) = match kind {
            NodeKind::Role => ("map-column-role", INK),
            NodeKind::Team => ("map-column-team", TEAM_COLOR),
        };
        let (x, y) = (c.x + font * 0.35, l.grid_y - size.pad);
        let _ = writeln!(
            out,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" transform=\"rotate(-90 {} {})\" fill=\"{color}\"><title>{}</title>{}</text>",
            n(x),
            n(y),
            n(x),
            n(y),
            escape_attr(&text.typography.apply(&map.nodes[c.node].label)),
            escape_attr(&text.typography.apply(&c.name))
        );
    }
    out.push_str("</g>\n");
}

/// One link per row: its label, its marks, and a name that says them in words.
fn map_row(
    out: &mut String,
    map: &TeamMap,
    text: &MapText,
    l: &Layout,
    size: &Size,
    row: &Row,
    grid_right: f64,
) {
    let font = size.font;
    let node = &map.nodes[row.node];
    let label = text.typography.apply(&node.label);
    let marks: Vec<&Mark> = l.marks.iter().filter(|m| m.row == row.node).collect();
    let names = |kind: NodeKind| {
        marks
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| map.nodes[m.column].label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut said = label.clone();
    for (kind, words) in [
        (NodeKind::Role, text.works_with),
        (NodeKind::Team, text.keeps_informed),
    ] {
        let list = names(kind);
        if !list.is_empty() {
            said.push_str(&text.typography.apply(&format!(". {words}: {list}")));
        }
    }
    let _ = writeln!(
        out,
        "<a class=\"map-row\" href=\"{}\" aria-label=\"{}\"><rect class=\"map-row-bg\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"transparent\"/>",
        escape_attr(&node.href),
        escape_attr(&said),
        n(row.y),
        n(grid_right),
        n(l.row_h)
    );
    let first =
        row.y + l.row_h / 2.0 - (row.lines.len() as f64 - 1.0) * size.line / 2.0 + font * 0.35;
    let _ = write!(
        out,
        "<text class=\"map-row-label\" x=\"{}\" y=\"{}\" fill=\"{ROLE_COLOR}\">",
        n(size.pad),
        n(first)
    );
    // A line that ends where the label has a space ends with it, where it shows nothing:
    // the label's text is then its words ("Développeur principal", not
    // "Développeurprincipal"), which the link's accessible name must hold (WCAG 2.5.3,
    // label in name). A word cut at a hyphen or across lines gets none.
    let words = node.label.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut at = 0;
    for (k, line) in row.lines.iter().enumerate() {
        let dy = if k == 0 { 0.0 } else { size.line };
        at += line.len();
        let space = if words.get(at..).is_some_and(|rest| rest.starts_with(' ')) {
            at += 1;
            " "
        } else {
            ""
        };
        let _ = write!(
            out,
            "<tspan x=\"{}\" dy=\"{}\">{}{space}</tspan>",
            n(size.pad),
            n(dy),
            escape_attr(&text.typography.apply(line))
        );
    }
    out.push_str("</text>");
    let cell_r = size.cell.min(l.row_h) * 0.27;
    for m in marks {
        mark(out, map, text, &label, m, cell_r);
    }
    out.push_str("</a>\n");
}

/// One mark of a row: a circle (works with) or a diamond (keeps informed), with a tip.
fn mark(out: &mut String, map: &TeamMap, text: &MapText, label: &str, m: &Mark, cell_r: f64) {
    let other = text.typography.apply(&map.nodes[m.column].label);
    let (words, shape) = match m.kind {
        NodeKind::Role => (
            text.works_with,
            format!(
                "<circle class=\"map-works-with\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{ROLE_COLOR}\">",
                n(m.x),
                n(m.y),
                n(cell_r)
            ),
        ),
        NodeKind::Team => {
            let r = cell_r * 1.25;
            (
                text.keeps_informed,
                format!(
                    "<path class=\"map-depends-on\" d=\"M{},{}L{},{}L{},{}L{},{}z\" fill=\"{TEAM_COLOR}\">",
                    n(m.x),
                    n(m.y - r),
                    n(m.x + r),
                    n(m.y),
                    n(m.x),
                    n(m.y + r),
                    n(m.x - r),
                    n(m.y)
                ),
            )
        }
    };
    let tip = text
        .typography
        .apply(&format!("{label} — {words}: {other}"));
    let close = if m.kind == NodeKind::Role {
        "</circle>"
    } else {
        "</path>"
    };
    let _ = write!(out, "{shape}<title>{}</title>{close}", escape_attr(&tip));
}

/// A coordinate as written in the SVG: one decimal, no `-0`, never NaN.
fn n(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 9] = [
        "project-manager",
        "technical-architect",
        "functional-lead",
        "business-analyst",
        "lead-developer",
        "frontend-developer",
        "designer",
        "content-manager",
        "tester",
    ];
    const TEAMS: [&str; 3] = ["warehouse", "customer-service", "marketing"];

    /// The example site's map in French: its nine roles in site order, its three outside
    /// teams, and the `works_with` and `depends_on` lists of `content/roles/*.fr.md`.
    fn example() -> TeamMap {
        let labels = [
            "Chef de projet",
            "Architecte technique",
            "Responsable fonctionnel",
            "Analyste métier",
            "Développeur principal",
            "Développeur front-end",
            "Designer",
            "Responsable de contenu",
            "Testeur",
            "Entrepôt",
            "Service client",
            "Marketing",
        ];
        let relations: [(&str, &[&str], &[&str]); 9] = [
            (
                "project-manager",
                &["technical-architect", "functional-lead", "tester"],
                &["warehouse", "customer-service", "marketing"],
            ),
            (
                "technical-architect",
                &["project-manager", "lead-developer", "business-analyst"],
                &["warehouse"],
            ),
            (
                "functional-lead",
                &[
                    "project-manager",
                    "business-analyst",
                    "tester",
                    "content-manager",
                ],
                &["customer-service", "marketing"],
            ),
            (
                "business-analyst",
                &["functional-lead", "technical-architect", "tester"],
                &["warehouse", "customer-service"],
            ),
            (
                "lead-developer",
                &["technical-architect", "frontend-developer", "tester"],
                &[],
            ),
            (
                "frontend-developer",
                &["designer", "lead-developer", "tester"],
                &["marketing"],
            ),
            (
                "designer",
                &["frontend-developer", "content-manager", "functional-lead"],
                &["marketing"],
            ),
            (
                "content-manager",
                &["designer", "functional-lead", "frontend-developer"],
                &["marketing", "customer-service"],
            ),
            (
                "tester",
                &["business-analyst", "lead-developer", "functional-lead"],
                &["warehouse", "customer-service"],
            ),
        ];
        let index = |key: &str| {
            KEYS.iter()
                .chain(&TEAMS)
                .position(|k| *k == key)
                .expect("a key of the example")
        };
        let mut map = TeamMap::default();
        for (k, label) in labels.iter().enumerate() {
            map.nodes.push(MapNode {
                label: label.to_string(),
                href: format!("roles/{k}/index.html"),
                kind: if k < KEYS.len() {
                    NodeKind::Role
                } else {
                    NodeKind::Team
                },
            });
        }
        for (role, works, depends) in relations {
            let r = index(role);
            map.works_with.extend(works.iter().map(|w| (r, index(w))));
            map.depends_on.extend(depends.iter().map(|d| (r, index(d))));
        }
        map
    }

    fn text() -> MapText<'static> {
        MapText {
            title: "Carte de l'équipe",
            description: "Rôles & équipes <externes>",
            works_with: "Travaille avec",
            keeps_informed: "Équipes à informer",
            typography: Typography::French,
        }
    }

    /// Segments of every link drawn between two nodes. The grid draws none: relations are
    /// marks in cells, so no two links can cross. This counts what a node-link drawing
    /// would have, from the SVG itself, so that a return to drawn links is measured.
    fn link_crossings(svg: &str) -> usize {
        let fragment = scraper::Html::parse_fragment(svg);
        let links = scraper::Selector::parse("line.map-link, path.map-link").expect("selector");
        let segments: Vec<((f64, f64), (f64, f64))> = fragment
            .select(&links)
            .filter_map(|e| {
                let v = |a: &str| e.value().attr(a)?.parse::<f64>().ok();
                Some(((v("x1")?, v("y1")?), (v("x2")?, v("y2")?)))
            })
            .collect();
        let cross = |(p, q): ((f64, f64), (f64, f64)), (r, s): ((f64, f64), (f64, f64))| {
            let side = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
                (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
            };
            side(p, q, r) * side(p, q, s) < 0.0 && side(r, s, p) * side(r, s, q) < 0.0
        };
        let mut count = 0;
        for (i, a) in segments.iter().enumerate() {
            count += segments[i + 1..].iter().filter(|b| cross(*a, **b)).count();
        }
        count
    }

    #[test]
    fn the_example_map_has_no_crossing_links() {
        for size in [Size::WIDE, Size::NARROW] {
            let out = svg(&example(), &text(), "m", &size);
            assert_eq!(link_crossings(&out), 0);
            assert!(
                !out.contains("map-link"),
                "no links are drawn between nodes"
            );
        }
        // The counter itself finds a crossing where there is one.
        let x = "<svg><line class=\"map-link\" x1=\"0\" y1=\"0\" x2=\"10\" y2=\"10\"/><line class=\"map-link\" x1=\"0\" y1=\"10\" x2=\"10\" y2=\"0\"/></svg>";
        assert_eq!(link_crossings(x), 1);
    }

    #[test]
    fn every_relation_has_its_mark_both_ways_and_no_other() {
        let map = example();
        let l = layout(&map, &Size::WIDE);
        let mut expected: BTreeSet<(usize, usize)> = BTreeSet::new();
        for &(a, b) in &map.works_with {
            expected.insert((a, b));
            expected.insert((b, a));
        }
        expected.extend(map.depends_on.iter().copied());
        let drawn: BTreeSet<(usize, usize)> = l.marks.iter().map(|m| (m.row, m.column)).collect();
        assert_eq!(drawn, expected);
        assert_eq!(l.marks.len(), expected.len());
        // Each mark sits in its row and its column.
        for m in &l.marks {
            let row = l.rows.iter().find(|r| r.node == m.row).expect("row");
            let column = l
                .columns
                .iter()
                .find(|c| c.node == m.column)
                .expect("column");
            assert_eq!(m.x, column.x);
            assert!(m.y > row.y && m.y < row.y + l.row_h);
        }
        let out = svg(&map, &text(), "m", &Size::WIDE);
        let works = map.works_with.iter().filter(|(a, b)| a < b).count();
        let both_ways = expected.len() - map.depends_on.len();
        assert!(both_ways >= works);
        assert_eq!(out.matches("class=\"map-works-with\"").count(), both_ways);
        assert_eq!(
            out.matches("class=\"map-depends-on\"").count(),
            map.depends_on.len()
        );
    }

    /// A label on several lines reads as its words, each line's text kept apart by a
    /// space only where the label has one (not in a word cut at its hyphen), so that the
    /// link's name holds what it shows (WCAG 2.5.3; axe-core's `label-content-name-mismatch`).
    #[test]
    fn a_wrapped_label_reads_as_its_words() {
        let mut map = example();
        map.nodes[8].label = "Ingénieur-assurance-qualité".to_string();
        let out = svg(&map, &text(), "m", &Size::NARROW);
        let fragment = scraper::Html::parse_fragment(&out);
        let labels = scraper::Selector::parse("a.map-row text.map-row-label").expect("selector");
        let read: Vec<String> = fragment
            .select(&labels)
            .map(|t| t.text().collect::<String>())
            .collect();
        assert!(
            read.iter().any(|r| r == "Responsable de contenu"),
            "{read:?}"
        );
        assert!(
            read.iter().any(|r| r == "Développeur principal"),
            "{read:?}"
        );
        assert!(
            read.iter().any(|r| r == "Ingénieur-assurance-qualité"),
            "{read:?}"
        );
        // Each is on more than one line here.
        let spans =
            scraper::Selector::parse("a.map-row text.map-row-label tspan").expect("selector");
        assert!(fragment.select(&spans).count() > read.len() + 2);
    }

    #[test]
    fn every_role_is_a_link_that_names_its_relations() {
        let map = example();
        let out = svg(&map, &text(), "m", &Size::WIDE);
        let fragment = scraper::Html::parse_fragment(&out);
        let rows = scraper::Selector::parse("a.map-row").expect("selector");
        let rows: Vec<_> = fragment.select(&rows).collect();
        assert_eq!(rows.len(), KEYS.len());
        let pm = rows[0].value();
        assert_eq!(pm.attr("href"), Some("roles/0/index.html"));
        assert_eq!(
            pm.attr("aria-label"),
            Some(
                "Chef de projet. Travaille avec\u{a0}: Architecte technique, Responsable fonctionnel, Testeur. Équipes à informer\u{a0}: Entrepôt, Service client, Marketing"
            )
        );
        // The lead developer keeps no team informed: its name says only who it works with.
        let lead = rows[4].value().attr("aria-label").expect("label");
        assert!(lead.starts_with("Développeur principal. Travaille avec"));
        assert!(!lead.contains("informer"));
        assert!(
            out.contains("<title id=\"m-title\">Carte de l’équipe</title>")
                || out.contains("<title id=\"m-title\">Carte de l'équipe</title>")
        );
        assert!(out.contains("<desc id=\"m-desc\">Rôles &amp; équipes &lt;externes&gt;</desc>"));
    }

    #[test]
    fn layout_is_deterministic_and_inside_its_view() {
        for map in [example(), TeamMap::default(), {
            let mut one = TeamMap::default();
            one.nodes.push(MapNode {
                label: "Seul".into(),
                href: "seul/".into(),
                kind: NodeKind::Role,
            });
            one
        }] {
            for size in [Size::WIDE, Size::NARROW] {
                let l = layout(&map, &size);
                assert_eq!(l, layout(&map, &size));
                let (x, y, w, h) = l.view;
                assert!([x, y, w, h].iter().all(|v| v.is_finite()));
                assert!(w > 0.0 && h > 0.0);
                for c in &l.columns {
                    assert!(c.x + size.cell / 2.0 <= x + w);
                }
                for r in &l.rows {
                    assert!(r.y + l.row_h <= y + h);
                }
                let out = svg(&map, &text(), "m", &size);
                assert_eq!(out, svg(&map, &text(), "m", &size));
                assert!(!out.contains("NaN") && !out.contains("\"inf") && !out.contains("-inf"));
            }
        }
    }

    #[test]
    fn the_narrow_map_fits_a_phone_at_twelve_pixels() {
        // A 390 px phone leaves about 340 px for the map, shown at 1:1 (no scaling down).
        let l = layout(&example(), &Size::NARROW);
        assert!(l.view.2 <= 336.0, "view {:?}", l.view);
        const { assert!(Size::NARROW.font >= 12.0) };
        // Rows are targets at least 24 px high (WCAG 2.2 target size).
        assert!(l.row_h >= 24.0);
        // Labels stay left of the grid.
        for r in &l.rows {
            for line in &r.lines {
                let w = Size::NARROW.text_width(line.chars().count());
                assert!(Size::NARROW.pad + w <= l.grid_x, "{line}");
            }
        }
    }

    fn wrap_wide(label: &str) -> Vec<String> {
        wrap(label, 17)
    }

    #[test]
    fn long_labels_wrap_on_words_and_hyphens() {
        assert_eq!(wrap_wide("Chef de projet"), ["Chef de projet"]);
        assert_eq!(
            wrap_wide("Responsable de contenu"),
            ["Responsable de", "contenu"]
        );
        assert_eq!(
            wrap_wide("Développeur front-end"),
            ["Développeur", "front-end"]
        );
        // Too long for three lines: cut on hyphens, and the last line says so.
        assert_eq!(
            wrap_wide("Ingénieur-assurance-qualité-logicielle"),
            ["Ingénieur-", "assurance-", "qualité-…"]
        );
        assert_eq!(wrap_wide("Ingénieur-qualité"), ["Ingénieur-qualité"]);
        let many = wrap_wide("un deux trois quatre cinq six sept huit neuf dix onze douze treize");
        assert_eq!(many.len(), MAX_LINES);
        assert!(many[MAX_LINES - 1].ends_with('…'));
        assert!(many.iter().all(|l| l.chars().count() <= 17));
        assert_eq!(wrap_wide(""), [""]);
        assert_eq!(cut("Responsable fonctionnel", 12), "Responsable…");
        assert_eq!(cut("Testeur", 12), "Testeur");
    }

    #[test]
    fn numbers_are_short_and_never_nan() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(41.26), "41.3");
        assert_eq!(n(-12.05), "-12.1");
        assert_eq!(n(f64::NAN), "0");
    }
}
