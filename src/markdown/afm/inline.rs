//! The inline markers of Adobe Flavored Markdown: `[!DNL text]` (text kept as is by
//! machine translation), `[!UICONTROL text]` (a label of the user interface) and
//! `[!BADGE text]{…}`; and the `{key="value" #id .class}` attribute lists written after
//! links, images and badges.
//!
//! pulldown-cmark leaves the markers as literal text (a bracket with no destination is
//! not a link), so one scan over each run of text finds them; a marker may be opened in
//! one run and closed in a later one of the same inline container (`[!UICONTROL **x**]`),
//! hence the [`Open`] stack the caller keeps between runs.

use std::borrow::Cow;

/// A known inline marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Dnl,
    UiControl,
    Badge,
}

impl Marker {
    /// In any case: a guide has `[!UICONTROl My Quotes]`, which nobody means to show.
    fn named(name: &str) -> Option<Marker> {
        [
            ("DNL", Marker::Dnl),
            ("UICONTROL", Marker::UiControl),
            ("BADGE", Marker::Badge),
        ]
        .into_iter()
        .find_map(|(n, marker)| n.eq_ignore_ascii_case(name).then_some(marker))
    }
}

/// A piece of a scanned run of text.
#[derive(Debug, PartialEq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    /// A marker opens; `raw` is its source text, put back if it never closes.
    Open(Marker, &'a str),
    /// The innermost open marker closes, with the attribute list that followed it.
    Close(Marker, Option<Attrs>),
}

/// A marker still open, between runs of text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Open {
    pub marker: Marker,
    /// Plain `[` opened inside the marker and not yet closed.
    brackets: u32,
}

/// Splits `text` into text and markers, continuing the markers of `open`.
pub(crate) fn scan<'a>(text: &'a str, open: &mut Vec<Open>) -> Vec<Piece<'a>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut last, mut i) = (0, 0);
    while let Some(found) = memchr::memchr2(b'[', b']', &bytes[i..]) {
        let j = i + found;
        i = j + 1;
        if bytes[j] == b'[' {
            if let Some((marker, len)) = opener(&text[j..]) {
                push_text(&mut pieces, &text[last..j]);
                pieces.push(Piece::Open(marker, &text[j..j + len]));
                open.push(Open {
                    marker,
                    brackets: 0,
                });
                i = j + len;
                last = i;
            } else if let Some(top) = open.last_mut() {
                top.brackets += 1;
            }
            continue;
        }
        match open.last_mut() {
            Some(top) if top.brackets > 0 => top.brackets -= 1,
            Some(top) => {
                let marker = top.marker;
                open.pop();
                push_text(&mut pieces, &text[last..j]);
                let attrs = match text[i..].starts_with('{') {
                    true => parse_attrs(&text[i..]),
                    false => None,
                };
                let attrs = attrs.map(|(attrs, len)| {
                    i += len;
                    attrs
                });
                pieces.push(Piece::Close(marker, attrs));
                last = i;
            }
            None => {}
        }
    }
    push_text(&mut pieces, &text[last..]);
    pieces
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
}

/// `[!NAME ` or `[!NAME]` of a known inline marker: the marker and the length to skip
/// (the `]` of an empty marker is left to close it).
fn opener(text: &str) -> Option<(Marker, usize)> {
    let rest = text.strip_prefix("[!")?;
    let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let Some(marker) = Marker::named(&rest[..name_len]) else {
        return run_together(rest);
    };
    let after = &rest[name_len..];
    if after.starts_with(']') {
        return Some((marker, 2 + name_len));
    }
    // A space, or the no-break space that French typography put there.
    let space = [" ", "\u{a0}", "\u{202f}"]
        .into_iter()
        .find(|s| after.starts_with(s))?;
    Some((marker, 2 + name_len + space.len()))
}

/// `[!UICONTROLStore Email]`: a marker whose space was forgotten before a capitalized
/// word (as a real guide has it).
fn run_together(rest: &str) -> Option<(Marker, usize)> {
    const NAMES: [(&str, Marker); 3] = [
        ("UICONTROL", Marker::UiControl),
        ("DNL", Marker::Dnl),
        ("BADGE", Marker::Badge),
    ];
    NAMES.into_iter().find_map(|(name, marker)| {
        let word = rest.strip_prefix(name)?.as_bytes();
        let capitalized = word.first()?.is_ascii_uppercase() && word.get(1)?.is_ascii_lowercase();
        capitalized.then_some((marker, 2 + name.len()))
    })
}

/// The text of `text` with its inline markers reduced to their words, for places that
/// show plain text: titles, descriptions, menus, search.
pub(crate) fn plain(text: &str) -> Cow<'_, str> {
    if !crate::text::has(text, "[!") {
        return Cow::Borrowed(text);
    }
    let mut open = Vec::new();
    let pieces = scan(text, &mut open);
    let mut out = String::with_capacity(text.len());
    let mut unclosed = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Open(_, raw) => unclosed.push((out.len(), raw)),
            Piece::Close(..) => {
                unclosed.pop();
            }
        }
    }
    // A marker never closed was text after all.
    for (at, raw) in unclosed.into_iter().rev() {
        out.insert_str(at, raw);
    }
    Cow::Owned(out)
}

/// A front matter's title or description as it is shown: its markers reduced to their
/// words ([`plain`]), without an id list at its end (Assets Essentials writes `title: … the
/// digital assets {#collaborate}`, as on its heading; a title is no heading, and the list
/// showed in the page's title, its lead and the search index).
pub(crate) fn front_text(text: &str) -> String {
    let plain = plain(text);
    match trailing_anchor(&plain, false) {
        Some((end, _)) => plain[..end].to_string(),
        None => plain.into_owned(),
    }
}

/// `text` (raw HTML: the markers are left alone by the Markdown parser there) with its
/// markers written as HTML, as in Markdown text.
pub(crate) fn to_html(text: &str) -> Cow<'_, str> {
    if !crate::text::has(text, "[!") {
        return Cow::Borrowed(text);
    }
    let mut open = Vec::new();
    let mut out = String::with_capacity(text.len() + 32);
    let mut unclosed = Vec::new();
    for piece in scan(text, &mut open) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Open(marker, raw) => {
                unclosed.push((out.len(), raw));
                out.push_str(open_html(marker));
            }
            Piece::Close(marker, attrs) => {
                if let (Some((at, _)), Marker::Badge, Some(attrs)) =
                    (unclosed.last(), marker, &attrs)
                {
                    out.replace_range(*at..*at + open_html(marker).len(), &badge_open(attrs, None));
                }
                unclosed.pop();
                out.push_str(close_html(marker));
            }
        }
    }
    for (at, raw) in unclosed.into_iter().rev() {
        out.insert_str(at, raw);
    }
    Cow::Owned(out)
}

pub(crate) fn open_html(marker: Marker) -> &'static str {
    match marker {
        Marker::Dnl => "",
        Marker::UiControl => "<span class=\"uicontrol\">",
        Marker::Badge => "<span class=\"badge\">",
    }
}

pub(crate) fn close_html(marker: Marker) -> &'static str {
    match marker {
        Marker::Dnl => "",
        Marker::UiControl | Marker::Badge => "</span>",
    }
}

/// A badge's opening tag: its `type` as a class, its `tooltip` as a title (escaped); a
/// link to `href` (escaped) if it has one, in a new tab with `newtab=true`.
pub(crate) fn badge_open(attrs: &Attrs, href: Option<&str>) -> String {
    let new_tab = attrs.get("newtab") == Some("true") || badge_url(attrs.get("url")).1;
    let mut html = match href {
        Some(href) if new_tab => {
            format!("<a href=\"{href}\" target=\"_blank\" rel=\"noopener\" class=\"badge")
        }
        Some(href) => format!("<a href=\"{href}\" class=\"badge"),
        None => String::from("<span class=\"badge"),
    };
    if let Some(kind) = attrs.get("type").filter(|k| is_name(k)) {
        html.push_str(" badge-");
        html.push_str(&kind.to_ascii_lowercase());
    }
    html.push('"');
    if let Some(tip) = attrs.get("tooltip") {
        html.push_str(&format!(" title=\"{}\"", crate::markdown::escape_attr(tip)));
    }
    html.push('>');
    html
}

/// A badge of a page's front matter (`badgePremium: label="Premium" type="Positive"
/// url="https://…" tooltip="…"`, any key starting with `badge`): shown by the page's
/// title, as Experience League shows it, for readers to know a page is of a Premium, Beta
/// or on-premises feature.
#[derive(Clone, Debug, Hash, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontBadge {
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub label: String,
    /// Its `type` in lowercase, a class (`badge-positive`); none unless a plain word.
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub kind: Option<String>,
    /// Where it leads (`http(s)` or relative; a URL that could run script is dropped).
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub url: Option<String>,
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub tooltip: Option<String>,
    /// Opened in a new tab: Adobe's guides write `newtab=true` inside the URL's quotes
    /// (`url="https://…/intro.html newtab=true"`, in Target, Platform and Real-Time CDP
    /// Collaboration) or after them.
    pub new_tab: bool,
}

/// The badge a front matter value describes, if it is a list with a `label`.
pub(crate) fn front_matter_badge(value: &str) -> Option<FrontBadge> {
    let list = format!("{{{}}}", value.trim());
    let (attrs, _) = parse_attrs(&list).filter(|(_, len)| *len == list.len())?;
    let text = |key: &str| {
        attrs
            .get(key)
            .map(|v| plain(v).trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (url, new_tab) = badge_url(attrs.get("url"));
    Some(FrontBadge {
        label: text("label")?,
        kind: attrs
            .get("type")
            .filter(|k| is_name(k))
            .map(str::to_ascii_lowercase),
        url: url.map(str::to_string),
        tooltip: text("tooltip"),
        new_tab: new_tab || attrs.get("newtab") == Some("true"),
    })
}

/// A badge's `url` without the ` newtab=true` Adobe's guides write inside its quotes,
/// and whether it had it; `None` if empty or it could run script.
pub(crate) fn badge_url(url: Option<&str>) -> (Option<&str>, bool) {
    let Some(url) = url.map(str::trim) else {
        return (None, false);
    };
    let (url, new_tab) = match url.strip_suffix("newtab=true") {
        Some(before) if before.ends_with(char::is_whitespace) => (before.trim_end(), true),
        _ => (url, false),
    };
    let safe = !url.is_empty() && !crate::sanitize::is_unsafe_url(url, false);
    (safe.then_some(url), new_tab)
}

/// Takes off `text` the attribute lists of Adobe's player and link settings left with no
/// link (`Files{target="_blank"}`, or `Files {target="_blank"}` where machine translation
/// dropped the link), and those of a badge it dropped: they are never text.
pub(crate) fn strip_stray_attrs(text: &str) -> Cow<'_, str> {
    if !text.contains('{') || !STRAY_KEYS.iter().any(|k| text.contains(k)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in memchr::memchr_iter(b'{', text.as_bytes()) {
        if at < last {
            continue;
        }
        // Right after the `]` of a `[!BADGE …]`, a badge's list is that badge's own
        // (a `]` alone is what machine translation left of one: `Hors planning&rbrack;`).
        let badge_may_own = text[..at].ends_with(']') && text[..at].contains("[!BADGE");
        if let Some((attrs, len)) = parse_attrs(&text[at..])
            && is_stray(&attrs, !badge_may_own)
        {
            // The space before it goes with it.
            out.push_str(text[last..at].trim_end_matches([' ', '\t']));
            last = at + len;
        }
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Where ` {#id}` at the end of `text` starts (the spaces before it included), and the
/// id, if `text` ends with one: an id list after a space. Right after a word too when
/// `glued` (no link or image ends just before `text`, whose list it would be): machine
/// translation moves the list into the words (`**Installation d’un{#install-open-source-connector}**`).
pub(crate) fn trailing_anchor(text: &str, glued: bool) -> Option<(usize, &str)> {
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') {
        return None;
    }
    let open = trimmed.rfind("{#")?;
    let spaced = trimmed[..open].ends_with(' ');
    if !(spaced || glued) || trimmed[..open].ends_with('{') {
        return None;
    }
    let id = &trimmed[open + 2..trimmed.len() - 1];
    is_id(id).then(|| (trimmed[..open].trim_end().len(), id))
}

/// Whether `text` is an attribute list and nothing else: a paragraph of it is left out.
/// Adobe writes `{style="table-layout:auto"}` under its tables (the table's layout, which
/// is the browser's default), and machine translation left `{type=Informative}` alone
/// where it dropped the `[!BADGE Beta]` before it. A list of other keys with bare values
/// (`{type=cle}`) may be text and stays.
pub(crate) fn is_attribute_list_alone(text: &str) -> bool {
    let text = text.trim();
    text.starts_with('{')
        && text.ends_with('}')
        && parse_attrs(text).is_some_and(|(attrs, len)| {
            len == text.len()
                && (is_stray(&attrs, true)
                    || attrs.id.is_some()
                    || !attrs.classes.is_empty()
                    || attrs.get("style").is_some()
                    || attrs.get("class").is_some())
        })
}

/// Keys of the settings of Adobe's links, images and players (`![x](a.png)
/// {style="border:1px solid"}`, a space before the list), and of its badges.
const STRAY_KEYS: &[&str] = &[
    "target=",
    "width=",
    "height=",
    "zoomable=",
    "modal=",
    "style=",
    "tooltip=",
    "type=",
];

/// The types of Adobe's badges: `type=` alone names one of them.
const BADGE_TYPES: &[&str] = &["Informative", "Positive", "Caution", "Negative", "Neutral"];

/// Whether `attrs` are such settings; `of_badges`: a badge's count too.
fn is_stray(attrs: &Attrs, of_badges: bool) -> bool {
    attrs.pairs.iter().any(|(k, v)| match k.as_str() {
        "target" | "width" | "height" | "zoomable" | "modal" | "style" => true,
        "tooltip" => of_badges,
        "type" => of_badges && BADGE_TYPES.contains(&v.as_str()),
        _ => false,
    })
}

/// An attribute list: `{#id .class key="value" key=value}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The attributes that are safe to put on an element, as HTML (each with a leading
    /// space, values escaped): sizes made of digits, classes and ids of plain
    /// characters, and `target="_blank"` with `rel="noopener"`. `zoomable`, `modal` and
    /// the rest are Adobe's player settings: dropped.
    pub(crate) fn to_html(&self) -> String {
        let mut html = String::new();
        if let Some(id) = self.id.as_deref().filter(|id| is_id(id)) {
            html.push_str(&format!(" id=\"{id}\""));
        }
        let mut classes: Vec<&str> = self.classes.iter().map(String::as_str).collect();
        classes.extend(
            self.get("class")
                .into_iter()
                .flat_map(str::split_whitespace),
        );
        classes.retain(|c| is_name(c));
        if !classes.is_empty() {
            html.push_str(&format!(" class=\"{}\"", classes.join(" ")));
        }
        for key in ["width", "height"] {
            if let Some(v) = self.get(key).and_then(size) {
                html.push_str(&format!(" {key}=\"{v}\""));
            }
        }
        if self.get("target") == Some("_blank") {
            html.push_str(" target=\"_blank\" rel=\"noopener\"");
        }
        html
    }
}

/// An element id as an attribute list gives it: a name, dots allowed (Primetime ids a
/// list item `{#tvsdk-1.4}`, as a heading's may be).
fn is_id(s: &str) -> bool {
    made_of(s, b"-_.")
}

fn is_name(s: &str) -> bool {
    made_of(s, b"-_")
}

/// Whether `s` is not empty and made of ASCII letters, digits and `others`.
fn made_of(s: &str, others: &[u8]) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || others.contains(&b))
}

/// A width or a height as HTML takes it: digits, or a percentage; `400px` (Substance 3D
/// Painter writes all its 154 so) is `400`, as browsers read it.
fn size(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = s.strip_suffix("px").unwrap_or(s);
    let digits = s.strip_suffix('%').unwrap_or(s);
    (!digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(s)
}

/// Parses the attribute list that `text` starts with: the attributes and the length of
/// the list, or `None` if `text` does not start with one. A list that is not well formed
/// is read as its author meant it if it can be: Adobe's guides have
/// `{target="_blank}` with its closing quote forgotten, which machine translation made
/// `{target=« _blank}` in French (see [`quoted`]).
pub(crate) fn parse_attrs(text: &str) -> Option<(Attrs, usize)> {
    parse_attrs_as(text, false).or_else(|| parse_attrs_as(text, true))
}

/// Quotes and what closes them: the straight ones, and those machine translation puts in
/// their place (French guillemets, curly quotes).
const QUOTES: &[(&str, &str)] = &[("\"", "\""), ("'", "'"), ("«", "»"), ("“", "”"), ("„", "“")];

/// The quoted value `text` starts with, and the length it takes. Well formed: a straight
/// quote to its closing one. `lenient`: any of [`QUOTES`], to its closer or to the `}`
/// that ends the list (not taken), whichever comes first, without the spaces a French
/// text puts inside guillemets.
fn quoted(text: &str, lenient: bool) -> Option<(&str, usize)> {
    let quotes = if lenient { QUOTES } else { &QUOTES[..2] };
    let (open, close) = quotes.iter().find(|(open, _)| text.starts_with(open))?;
    let inner = &text[open.len()..];
    let closed = inner.find(close);
    let end = if lenient {
        closed.into_iter().chain(inner.find('}')).min()?
    } else {
        closed?
    };
    let closing = if closed == Some(end) { close.len() } else { 0 };
    let value = inner[..end].trim_matches([' ', '\u{a0}', '\u{202f}']);
    Some((value, open.len() + end + closing))
}

fn parse_attrs_as(text: &str, lenient: bool) -> Option<(Attrs, usize)> {
    let inner_start = 1;
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'{') {
        return None;
    }
    let mut attrs = Attrs::default();
    let mut i = inner_start;
    loop {
        // Leniently, commas between the attributes too (`{width="250", height="250"}`).
        while bytes
            .get(i)
            .is_some_and(|b| *b == b' ' || *b == b'\t' || (lenient && *b == b','))
        {
            i += 1;
        }
        match bytes.get(i)? {
            b'}' => break,
            b'#' | b'.' => {
                let len = token_len(&text[i + 1..]);
                if len == 0 {
                    return None;
                }
                let token = text[i + 1..i + 1 + len].to_string();
                match bytes[i] {
                    b'#' => attrs.id = Some(token),
                    _ => attrs.classes.push(token),
                }
                i += 1 + len;
            }
            _ => {
                let key_len = token_len(&text[i..]);
                // Leniently, a word without a value beside attributes that have one
                // (Core Components' `{width=50%,align-center}`): no attribute equipe
                // knows, left out with the list.
                if lenient
                    && key_len > 0
                    && matches!(bytes.get(i + key_len), Some(b' ' | b'\t' | b',' | b'}'))
                {
                    // But `_blank` alone is what `target` was to be (Journey Optimizer
                    // B2B's `[Oracle documentation](https://…){_blank}`).
                    if &text[i..i + key_len] == "_blank" {
                        attrs.pairs.push(("target".into(), "_blank".into()));
                    }
                    i += key_len;
                    continue;
                }
                if key_len == 0 || bytes.get(i + key_len) != Some(&b'=') {
                    return None;
                }
                let key = text[i..i + key_len].to_string();
                i += key_len + 1;
                let value = match quoted(&text[i..], lenient) {
                    Some((value, len)) => {
                        i += len;
                        value
                    }
                    // A quote not closed (well formed), or not one of those read.
                    None if QUOTES.iter().any(|(open, _)| text[i..].starts_with(open)) => {
                        return None;
                    }
                    None => {
                        let ends: &[char] = if lenient {
                            &[' ', '\t', '}', ',']
                        } else {
                            &[' ', '\t', '}']
                        };
                        let len = text[i..].find(ends).filter(|&l| l > 0)?;
                        let value = &text[i..i + len];
                        // Well formed, a value holds no comma nor quote: read leniently,
                        // they part the attributes.
                        let parts = |c: char| c == ',' || QUOTES.iter().any(|(q, _)| q.contains(c));
                        if !lenient && value.contains(parts) {
                            return None;
                        }
                        i += len;
                        value
                    }
                };
                attrs.pairs.push((key, value.to_string()));
            }
        }
    }
    if attrs == Attrs::default() {
        return None;
    }
    Some((attrs, i + 1))
}

fn token_len(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(text: &str) -> Vec<Piece<'_>> {
        scan(text, &mut Vec::new())
    }

    #[test]
    fn a_trailing_id_list_is_an_anchor() {
        assert_eq!(
            trailing_anchor("the Stage Testing tab. {#stage-testing}", false),
            Some((22, "stage-testing"))
        );
        assert_eq!(trailing_anchor(" {#x}", false), Some((0, "x")));
        assert_eq!(
            trailing_anchor("a{#x}", false),
            None,
            "a link's or an image's list"
        );
        assert_eq!(trailing_anchor("d’un{#x-y}", true), Some((6, "x-y")));
        assert_eq!(trailing_anchor("{{#x}", true), None, "a template's tag");
        assert_eq!(trailing_anchor("a {#x y}", true), None);
        assert_eq!(trailing_anchor("a {#x} b", true), None);
    }

    #[test]
    fn front_matter_badges() {
        assert_eq!(
            front_matter_badge(
                r#"label="Premium" type="Positive" url="https://x.org/p.html" tooltip="See [!DNL Target] Premium.""#
            ),
            Some(FrontBadge {
                label: "Premium".into(),
                kind: Some("positive".into()),
                url: Some("https://x.org/p.html".into()),
                tooltip: Some("See Target Premium.".into()),
                new_tab: false,
            })
        );
        // `newtab=true` inside the quotes, or after them.
        for value in [
            r#"label="L" url=" https://x.org/a.html newtab=true""#,
            r#"label="L" url="https://x.org/a.html" newtab=true"#,
        ] {
            let badge = front_matter_badge(value).unwrap();
            assert_eq!(
                badge.url.as_deref(),
                Some("https://x.org/a.html"),
                "{value}"
            );
            assert!(badge.new_tab, "{value}");
        }
        let beta = front_matter_badge(r#"label="Beta" type="Informative""#).unwrap();
        assert_eq!((beta.label.as_str(), beta.url), ("Beta", None));
        assert_eq!(
            front_matter_badge(r#"label="x" url="javascript:alert(1)""#)
                .unwrap()
                .url,
            None
        );
        assert_eq!(front_matter_badge(r#"type="Positive""#), None, "no label");
        assert_eq!(front_matter_badge("Premium"), None, "no list");
    }

    #[test]
    fn markers_and_their_text() {
        assert_eq!(
            scan_all("Go to [!UICONTROL Settings] in [!DNL Commerce]."),
            vec![
                Piece::Text("Go to "),
                Piece::Open(Marker::UiControl, "[!UICONTROL "),
                Piece::Text("Settings"),
                Piece::Close(Marker::UiControl, None),
                Piece::Text(" in "),
                Piece::Open(Marker::Dnl, "[!DNL "),
                Piece::Text("Commerce"),
                Piece::Close(Marker::Dnl, None),
                Piece::Text("."),
            ]
        );
        // The space after the name forgotten before a capitalized word.
        assert_eq!(
            scan_all("[!UICONTROLStore Email] [!UICONTROLSKU]"),
            vec![
                Piece::Open(Marker::UiControl, "[!UICONTROL"),
                Piece::Text("Store Email"),
                Piece::Close(Marker::UiControl, None),
                Piece::Text(" [!UICONTROLSKU]"),
            ]
        );
        // A name in the wrong case (a guide's typo) is still the marker.
        assert_eq!(
            plain("The [!UICONTROl My Quotes] page, [!dnl Commerce]"),
            "The My Quotes page, Commerce"
        );
    }

    #[test]
    fn brackets_inside_a_marker_and_unknown_markers() {
        assert_eq!(plain("[!DNL a [b] c] [!FOO x] [x]"), "a [b] c [!FOO x] [x]");
        assert_eq!(plain("[!UICONTROL]"), "");
        assert_eq!(plain("[!DNL never closed"), "[!DNL never closed");
    }

    #[test]
    fn a_marker_spans_runs() {
        let mut open = Vec::new();
        let first = scan("[!UICONTROL ", &mut open);
        assert_eq!(first, vec![Piece::Open(Marker::UiControl, "[!UICONTROL ")]);
        assert_eq!(open.len(), 1);
        let second = scan("] after", &mut open);
        assert_eq!(
            second,
            vec![Piece::Close(Marker::UiControl, None), Piece::Text(" after")]
        );
    }

    #[test]
    fn badges_take_their_attribute_list() {
        let pieces = scan_all("[!BADGE Supported]{type=Informative tooltip=\"Yes it is\"} x");
        let Piece::Close(Marker::Badge, Some(attrs)) = &pieces[2] else {
            panic!("{pieces:?}");
        };
        assert_eq!(attrs.get("type"), Some("Informative"));
        assert_eq!(attrs.get("tooltip"), Some("Yes it is"));
        assert_eq!(pieces[3], Piece::Text(" x"));
        assert_eq!(plain("[!BADGE Beta]{type=Neutral} feature"), "Beta feature");
        assert_eq!(
            to_html(r#"<td>[!UICONTROL Yes] [!BADGE x]{type=Good tooltip="a<b&"}</td>"#),
            r#"<td><span class="uicontrol">Yes</span> <span class="badge badge-good" title="a&lt;b&amp;">x</span></td>"#
        );
    }

    #[test]
    fn a_no_break_space_after_the_name() {
        assert_eq!(plain("dans [!DNL\u{a0}Goals]."), "dans Goals.");
        assert_eq!(plain("[!UICONTROL\u{202f}Save]"), "Save");
    }

    #[test]
    fn stray_attribute_lists() {
        assert_eq!(strip_stray_attrs("Files{target=\"_blank\"}."), "Files.");
        // Machine translation dropped the link, not its settings.
        assert_eq!(
            strip_stray_attrs("les journaux {target=\"_blank\"}."),
            "les journaux."
        );
        // Other lists are not Adobe's settings.
        assert_eq!(
            strip_stray_attrs("a {target=x} {b=c} x{b=c}"),
            "a {b=c} x{b=c}"
        );
    }

    #[test]
    fn attribute_lists() {
        let (a, len) = parse_attrs("{width=\"600\" zoomable=\"yes\"} rest").unwrap();
        assert_eq!(len, 28);
        assert_eq!(a.to_html(), " width=\"600\"");
        let (a, _) = parse_attrs("{target=_blank}").unwrap();
        assert_eq!(a.to_html(), " target=\"_blank\" rel=\"noopener\"");
        let (a, _) = parse_attrs("{#mine .wide class=\"a b\"}").unwrap();
        assert_eq!(a.to_html(), " id=\"mine\" class=\"wide a b\"");
        // Hostile values are dropped, not escaped into place.
        let (a, _) = parse_attrs("{width=\"1\\\" onload=x\" class='\"><script>'}").unwrap();
        assert_eq!(a.to_html(), "");
        for not_a_list in ["{}", "{ just words }", "{width=\"6", "{width=«6", "no"] {
            assert_eq!(parse_attrs(not_a_list), None, "{not_a_list}");
        }
        // A closing quote forgotten, and what machine translation made of the quotes.
        for written in [
            "{target=\"_blank}",
            "{target=« _blank}",
            "{target=«\u{a0}_blank\u{a0}»}",
            "{target=“_blank”}",
            "{target=\"_blank\", width=\"x\"}",
            "{target=_blank,width=«\u{a0}x\u{a0}»}",
        ] {
            let (a, len) = parse_attrs(&format!("{written} after")).unwrap();
            assert_eq!(
                a.to_html(),
                " target=\"_blank\" rel=\"noopener\"",
                "{written}"
            );
            assert_eq!(len, written.len(), "{written}");
        }
        // Well formed first: a `}` inside quotes is the value's.
        let (a, _) = parse_attrs("{class=\"a}b\"}").unwrap();
        assert_eq!(a.get("class"), Some("a}b"));
    }
}
