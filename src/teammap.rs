//! The team map: an SVG picture of the roles and the outside teams, drawn at build time.
//!
//! A newcomer should see at a glance who works with whom inside the project and which
//! outside teams each role must keep informed. The layout is fixed, not simulated, so the
//! same site always gives the same picture (byte for byte) and no JavaScript is needed:
//!
//! - roles stand in a column, in site order (weight, then title);
//! - `works_with` links are arcs on the left of that column (inside the project), the
//!   wider the further apart the two roles are (an arc diagram);
//! - outside teams stand in a column on the right; `depends_on` links are dashed arrows
//!   from a role to a team (outside the project).
//!
//! Every node is a link to its page; labels wrap on words (French labels are long) and
//! the picture has a `viewBox` so that it scales with its container. The module knows
//! nothing of the site model: [`crate::render`] turns a language's pages into a [`TeamMap`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Role,
    Team,
}

/// A role or an outside team, with its link (relative to the page the map is on).
#[derive(Clone, Debug)]
pub struct MapNode {
    pub label: String,
    pub href: String,
    pub kind: NodeKind,
}

/// The graph to draw. Edges are pairs of indices into `nodes`.
#[derive(Clone, Debug, Default)]
pub struct TeamMap {
    pub nodes: Vec<MapNode>,
    /// Role with role; drawn once per pair whatever the direction.
    pub works_with: Vec<(usize, usize)>,
    /// Role to outside team.
    pub depends_on: Vec<(usize, usize)>,
}

/// Words for screen readers, in the page's language.
pub struct MapText<'a> {
    pub title: &'a str,
    pub description: &'a str,
}

/// The dimensions of a drawing. The map is drawn twice: wide for screens, narrow for
/// phones (CSS shows one), because an SVG scaled down to a phone's width would shrink its
/// text below what can be read; the narrow one is drawn to be read at about 1:1 there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    font: f64,
    line: f64,
    node_w: f64,
    pad_y: f64,
    /// Characters per label line: about 0.57 × `font` units each, inside `node_w`.
    max_chars: usize,
    role_gap: f64,
    team_gap: f64,
    /// Horizontal room for the `depends_on` arrows between the role and team columns.
    column_gap: f64,
    /// How far left a `works_with` arc reaches: `arc_base + arc_factor × distance`.
    arc_base: f64,
    arc_factor: f64,
}

impl Size {
    pub const WIDE: Size = Size {
        font: 15.0,
        line: 18.0,
        node_w: 164.0,
        pad_y: 10.0,
        max_chars: 17,
        role_gap: 16.0,
        team_gap: 36.0,
        column_gap: 170.0,
        arc_base: 24.0,
        arc_factor: 0.5,
    };
    pub const NARROW: Size = Size {
        font: 13.0,
        line: 15.0,
        node_w: 116.0,
        pad_y: 7.0,
        max_chars: 14,
        role_gap: 10.0,
        team_gap: 24.0,
        column_gap: 44.0,
        arc_base: 10.0,
        arc_factor: 0.16,
    };
}

const MAX_LINES: usize = 3;
/// Beyond this many boxes a map is a wall, not a picture: the home page shows none.
pub const MAX_NODES: usize = 80;
const MARGIN: f64 = 12.0;

const ROLE_STROKE: &str = "#1f5f8b";
const TEAM_STROKE: &str = "#8a4b00";
const TEAM_FILL: &str = "#fff8ef";
const INK: &str = "#1d2329";
const WORKS_WITH: &str = "#4f7da0";

/// A node's place: centre, size and label lines.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<String>,
}

/// A `works_with` curve: a quadratic Bézier from one role's left side to another's.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub from: (f64, f64),
    pub control: (f64, f64),
    pub to: (f64, f64),
}

/// Where everything goes, in SVG user units; `view` is the viewBox (x, y, w, h).
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub boxes: Vec<NodeBox>,
    pub works_with: Vec<Curve>,
    pub depends_on: Vec<((f64, f64), (f64, f64))>,
    pub view: (f64, f64, f64, f64),
}

/// Places every node and edge. Pure and deterministic.
pub fn layout(map: &TeamMap, size: &Size) -> Layout {
    let lines: Vec<Vec<String>> = map
        .nodes
        .iter()
        .map(|n| wrap(&n.label, size.max_chars))
        .collect();
    let max_lines = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let h = 2.0 * size.pad_y + size.line * max_lines as f64;
    let roles: Vec<usize> = kind_indices(map, NodeKind::Role);
    let teams: Vec<usize> = kind_indices(map, NodeKind::Team);

    let column = |count: usize, gap: f64| {
        let step = h + gap;
        (step, (count as f64 * step - gap).max(0.0))
    };
    let (role_step, role_span) = column(roles.len(), size.role_gap);
    let (team_step, team_span) = column(teams.len(), size.team_gap);
    let centre_y = role_span.max(team_span) / 2.0;
    let team_x = size.node_w + size.column_gap;

    let mut boxes: Vec<NodeBox> = lines
        .into_iter()
        .map(|lines| NodeBox {
            x: 0.0,
            y: 0.0,
            w: size.node_w,
            h,
            lines,
        })
        .collect();
    for (k, &i) in roles.iter().enumerate() {
        boxes[i].y = centre_y - role_span / 2.0 + h / 2.0 + k as f64 * role_step;
    }
    for (k, &i) in teams.iter().enumerate() {
        boxes[i].x = team_x;
        boxes[i].y = centre_y - team_span / 2.0 + h / 2.0 + k as f64 * team_step;
    }

    let valid = |&&(a, b): &&(usize, usize)| a != b && a < boxes.len() && b < boxes.len();
    let mut pairs: Vec<(usize, usize)> = map
        .works_with
        .iter()
        .filter(valid)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut arrows: Vec<(usize, usize)> = map.depends_on.iter().filter(valid).copied().collect();
    arrows.sort_unstable();
    arrows.dedup();

    // Where each edge meets a box: spread along the side, in the order of the other
    // ends, so that edges leave a box side by side instead of from one point.
    let left = attachments(&boxes, pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]));
    let out = attachments(&boxes, arrows.iter().copied());
    let into = attachments(&boxes, arrows.iter().map(|&(a, b)| (b, a)));

    // An arc diagram: the further apart two roles, the further left their curve goes.
    let works_with: Vec<Curve> = pairs
        .iter()
        .map(|&(a, b)| {
            let from = (boxes[a].x - size.node_w / 2.0, left[&(a, b)]);
            let to = (boxes[b].x - size.node_w / 2.0, left[&(b, a)]);
            let reach = size.arc_base + size.arc_factor * (to.1 - from.1).abs();
            Curve {
                from,
                control: (from.0.min(to.0) - reach, (from.1 + to.1) / 2.0),
                to,
            }
        })
        .collect();
    let depends_on = arrows
        .iter()
        .map(|&(a, b)| {
            (
                (boxes[a].x + size.node_w / 2.0, out[&(a, b)]),
                (boxes[b].x - size.node_w / 2.0, into[&(b, a)]),
            )
        })
        .collect();

    // The view holds every box and the leftmost reach of the curves.
    let mut min_x: f64 = 0.0;
    let mut max_x: f64 = 0.0;
    let mut max_y: f64 = 0.0;
    for b in &boxes {
        min_x = min_x.min(b.x - b.w / 2.0);
        max_x = max_x.max(b.x + b.w / 2.0);
        max_y = max_y.max(b.y + b.h / 2.0);
    }
    for c in &works_with {
        // The curve's leftmost point is at t = 1/2 (the ends are on the same side).
        let mid = 0.25 * c.from.0 + 0.5 * c.control.0 + 0.25 * c.to.0;
        min_x = min_x.min(mid);
    }
    let view = (
        min_x - MARGIN,
        -MARGIN,
        max_x - min_x + 2.0 * MARGIN,
        max_y + 2.0 * MARGIN,
    );
    Layout {
        boxes,
        works_with,
        depends_on,
        view,
    }
}

/// For edges `(node, other)` meeting one side of `node`: the y where each meets it,
/// spread over the middle two thirds of the side in the order of `other`'s y.
fn attachments(
    boxes: &[NodeBox],
    edges: impl Iterator<Item = (usize, usize)>,
) -> HashMap<(usize, usize), f64> {
    let mut by_node: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (node, other) in edges {
        by_node.entry(node).or_default().push(other);
    }
    let mut out = HashMap::new();
    for (node, mut others) in by_node {
        others.sort_by(|&a, &b| boxes[a].y.total_cmp(&boxes[b].y).then(a.cmp(&b)));
        let b = &boxes[node];
        let count = others.len();
        for (k, other) in others.into_iter().enumerate() {
            let y = if count == 1 {
                b.y
            } else {
                b.y - b.h / 3.0 + (2.0 * b.h / 3.0) * k as f64 / (count - 1) as f64
            };
            out.insert((node, other), y);
        }
    }
    out
}

fn kind_indices(map: &TeamMap, kind: NodeKind) -> Vec<usize> {
    (0..map.nodes.len())
        .filter(|&i| map.nodes[i].kind == kind)
        .collect()
}

/// Splits a label into at most [`MAX_LINES`] lines of about `max_chars` characters,
/// on spaces, then on hyphens, then anywhere; what does not fit ends in `…`.
pub fn wrap(label: &str, max_chars: usize) -> Vec<String> {
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
pub fn svg(map: &TeamMap, text: &MapText, id: &str, size: &Size) -> String {
    let l = layout(map, size);
    let (font, line_height) = (size.font, size.line);
    let mut out = String::with_capacity(4096 + 600 * map.nodes.len());
    let (vx, vy, vw, vh) = l.view;
    // `write!` into a String cannot fail.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"team-map-svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" font-family=\"system-ui, sans-serif\">",
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
        escape(text.title),
        escape(text.description)
    );
    let _ = writeln!(
        out,
        "<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"{TEAM_STROKE}\"/></marker></defs>"
    );
    out.push_str("<g class=\"map-edges\" aria-hidden=\"true\" fill=\"none\">\n");
    for c in &l.works_with {
        let _ = writeln!(
            out,
            "<path class=\"map-works-with\" d=\"M{},{} Q{},{} {},{}\" stroke=\"{WORKS_WITH}\" stroke-width=\"2\"/>",
            n(c.from.0),
            n(c.from.1),
            n(c.control.0),
            n(c.control.1),
            n(c.to.0),
            n(c.to.1)
        );
    }
    for (from, to) in &l.depends_on {
        let _ = writeln!(
            out,
            "<line class=\"map-depends-on\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{TEAM_STROKE}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" marker-end=\"url(#{id}-arrow)\"/>",
            n(from.0),
            n(from.1),
            n(to.0),
            n(to.1)
        );
    }
    out.push_str("</g>\n");
    for (node, b) in map.nodes.iter().zip(&l.boxes) {
        let (class, stroke, fill) = match node.kind {
            NodeKind::Role => ("map-role", ROLE_STROKE, "#ffffff"),
            NodeKind::Team => ("map-team", TEAM_STROKE, TEAM_FILL),
        };
        let _ = writeln!(
            out,
            "<a class=\"map-node {class}\" href=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
            escape(&node.href),
            n(b.x - b.w / 2.0),
            n(b.y - b.h / 2.0),
            n(b.w),
            n(b.h)
        );
        let first = b.y - (b.lines.len() as f64 - 1.0) * line_height / 2.0 + font * 0.35;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{font}\" fill=\"{INK}\">",
            n(b.x),
            n(first)
        );
        for (k, line) in b.lines.iter().enumerate() {
            let dy = if k == 0 { 0.0 } else { line_height };
            let _ = write!(
                out,
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                n(b.x),
                n(dy),
                escape(line)
            );
        }
        out.push_str("</text></a>\n");
    }
    out.push_str("</svg>");
    out
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, kind: NodeKind) -> MapNode {
        MapNode {
            label: label.to_string(),
            href: format!("roles/{}/index.html", label.to_lowercase()),
            kind,
        }
    }

    /// The example site's shape: nine roles (French labels), three outside teams.
    fn example() -> TeamMap {
        let roles = [
            "Chef de projet",
            "Architecte technique",
            "Responsable fonctionnel",
            "Développeur principal",
            "Développeur front-end",
            "Analyste métier",
            "Designer",
            "Responsable de contenu",
            "Testeur",
        ];
        let mut nodes: Vec<MapNode> = roles.iter().map(|r| node(r, NodeKind::Role)).collect();
        for t in ["Entrepôt", "Service client", "Marketing"] {
            nodes.push(node(t, NodeKind::Team));
        }
        TeamMap {
            nodes,
            works_with: vec![(0, 1), (1, 0), (0, 2), (0, 8), (3, 4), (6, 7), (2, 5)],
            depends_on: vec![(0, 9), (0, 10), (0, 11), (7, 11), (2, 10)],
        }
    }

    fn text() -> MapText<'static> {
        MapText {
            title: "Carte de l'équipe",
            description: "Rôles & équipes <externes>",
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let map = example();
        for size in [Size::WIDE, Size::NARROW] {
            assert_eq!(layout(&map, &size), layout(&map, &size));
            assert_eq!(
                svg(&map, &text(), "m", &size),
                svg(&map, &text(), "m", &size)
            );
        }
    }

    #[test]
    fn every_node_is_a_link_with_its_label() {
        let map = example();
        let out = svg(&map, &text(), "m", &Size::WIDE);
        assert_eq!(out.matches("<a class=\"map-node").count(), map.nodes.len());
        assert_eq!(out.matches("class=\"map-node map-team\"").count(), 3);
        for node in &map.nodes {
            assert!(out.contains(&format!("href=\"{}\"", escape(&node.href))));
            for line in wrap(&node.label, Size::WIDE.max_chars) {
                assert!(
                    out.contains(&format!(">{}</tspan>", escape(&line))),
                    "{line}"
                );
            }
        }
        assert!(out.contains("<title id=\"m-title\">Carte de l'équipe</title>"));
        assert!(out.contains("<desc id=\"m-desc\">Rôles &amp; équipes &lt;externes&gt;</desc>"));
        assert!(out.contains("aria-labelledby=\"m-title\""));
    }

    #[test]
    fn edges_are_deduplicated_and_styled_apart() {
        let out = svg(&example(), &text(), "m", &Size::WIDE);
        // (0, 1) and (1, 0) are one link.
        assert_eq!(out.matches("class=\"map-works-with\"").count(), 6);
        assert_eq!(out.matches("class=\"map-depends-on\"").count(), 5);
        assert_eq!(out.matches("marker-end=\"url(#m-arrow)\"").count(), 5);
    }

    #[test]
    fn coordinates_are_finite_and_boxes_do_not_overlap() {
        for map in [example(), TeamMap::default(), {
            let mut one = TeamMap::default();
            one.nodes.push(node("Seul", NodeKind::Role));
            one
        }] {
            for size in [Size::WIDE, Size::NARROW] {
                let l = layout(&map, &size);
                let (x, y, w, h) = l.view;
                assert!([x, y, w, h].iter().all(|v| v.is_finite()));
                assert!(w > 0.0 && h > 0.0);
                for b in &l.boxes {
                    assert!(b.x.is_finite() && b.y.is_finite());
                    assert!(b.x - b.w / 2.0 >= x && b.x + b.w / 2.0 <= x + w);
                    assert!(b.y - b.h / 2.0 >= y && b.y + b.h / 2.0 <= y + h);
                }
                for (i, a) in l.boxes.iter().enumerate() {
                    for b in &l.boxes[i + 1..] {
                        let apart = (a.x - b.x).abs() >= (a.w + b.w) / 2.0
                            || (a.y - b.y).abs() >= (a.h + b.h) / 2.0;
                        assert!(apart, "{:?} overlaps {:?}", a.lines, b.lines);
                    }
                }
                let out = svg(&map, &text(), "m", &size);
                assert!(!out.contains("NaN") && !out.contains("inf"));
            }
        }
    }

    #[test]
    fn the_narrow_map_fits_a_phone_at_a_readable_size() {
        // A 360 px wide phone leaves about 320 px for the map: the text must stay at
        // 11 px or more once the drawing is scaled to that width.
        let l = layout(&example(), &Size::NARROW);
        let scale = (320.0 / l.view.2).min(1.0);
        assert!(
            Size::NARROW.font * scale >= 11.0,
            "view {:?}, scale {scale}",
            l.view
        );
        let wide = layout(&example(), &Size::WIDE);
        assert!(wide.view.2 > l.view.2 * 1.5);
    }

    #[test]
    fn curves_stay_inside_the_view() {
        let l = layout(&example(), &Size::WIDE);
        for c in &l.works_with {
            let mid = 0.25 * c.from.0 + 0.5 * c.control.0 + 0.25 * c.to.0;
            assert!(mid >= l.view.0);
        }
    }

    fn wrap_wide(label: &str) -> Vec<String> {
        wrap(label, Size::WIDE.max_chars)
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
        assert!(
            many.iter()
                .all(|l| l.chars().count() <= Size::WIDE.max_chars)
        );
        assert_eq!(wrap_wide(""), [""]);
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
