//! Markdown -> HTML, with what an onboarding page needs on top of CommonMark.
//!
//! One pass over pulldown-cmark's events: headings get stable ids, an anchor link and a
//! place in the table of contents; links to other content files become the URL of that
//! page in the page's language; GFM task list items become checklist items with stable
//! ids and real, labelled checkboxes. The stage knows nothing of URLs itself: a
//! [`LinkResolver`] given by the site stage answers "where does `x.md` go from here".
//! Unless the site trusts its content ([`RawHtml::Trusted`]), nothing a body says can run
//! script: `javascript:` links and images and `on*` heading attributes are dropped with a
//! warning, and a body with raw HTML is cleaned (see [`crate::sanitize`]).

pub(crate) mod afm;
pub(crate) mod lines;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::checklist_item::{ChecklistItem, ItemIds};
use crate::hash::{FastMap, FastSet};
use crate::markdown::lines::Lines;
use crate::sanitize::{self, RawHtml};
pub(crate) use crate::text::escape_attr;
use crate::text::escape_into;
use crate::typography::Typography;

/// What the site stage answers for a link found in a page.
#[derive(Clone, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum LinkTarget {
    /// Not a link to a content file: leave it alone.
    External,
    /// The URL to use, relative to the page, and the target's language if it differs.
    /// `anchor` is the target's output path and the `#fragment`, to be checked once
    /// every page is rendered.
    Internal {
        href: String,
        hreflang: Option<String>,
        anchor: Option<(String, String)>,
    },
    /// A link to a `#fragment` of the page itself (`target`, its output path): left as
    /// written, its anchor checked as any other.
    SamePage { target: String, fragment: String },
    /// A link to a content file that does not exist.
    Broken(String),
    /// A link left as written that leads nowhere a reader wants, with a warning (its
    /// help after a line break): a folder of pages without a page of its own.
    Warned(String),
}

pub(crate) trait LinkResolver {
    /// Where `dest`, written at byte `at` of the Markdown being rendered, goes.
    fn resolve(&self, dest: &str, at: usize) -> LinkTarget;

    /// The title of the page `dest` names, if it names one: the text of a link to it
    /// that has none.
    fn title(&self, _dest: &str, _at: usize) -> Option<String> {
        None
    }
}

/// A heading, for the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub id: String,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub text: String,
}

/// A link that did not resolve, with its line and column in the body.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct BrokenLink {
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// The included file the link is written in (shown from the site's folder), when it is
    /// one's: the position is then its include directive's.
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub included: Option<String>,
}

impl BrokenLink {
    fn at(body: &Lines, offset: usize, message: String) -> BrokenLink {
        let (line, column) = body.line_col(offset);
        BrokenLink {
            message,
            line,
            column,
            included: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The body's text without markup, its first [`PLAIN_TEXT_MAX`] bytes: what search
    /// indexes. Made here, once per render, rather than by parsing the HTML back.
    pub plain: String,
    pub tasks: Vec<ChecklistItem>,
    pub broken_links: Vec<BrokenLink>,
    /// What was dropped because it could run script, or left out because equipe cannot
    /// show it (warnings), with positions; a message's help after its first line break.
    pub dropped: Vec<BrokenLink>,
    pub anchors: Vec<AnchorLink>,
    /// The text of the `# Title` the body opened with, which is not in its HTML: the
    /// page's heading, as Experience League and Docusaurus show it (the front matter's
    /// `title` is the browser's and the menus'). See [`drop_leading_title`].
    pub heading: Option<String>,
    /// The ids that name that `# Title`.
    pub title_ids: Vec<String>,
}

/// A link to `#fragment` of another page, with its line and column in the body.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct AnchorLink {
    /// Output path of the target page.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub target: String,
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub fragment: String,
    /// The `href` as written in the HTML (escaped), for [`crate::anchors`] to rewrite.
    #[serde(deserialize_with = "crate::cached_strings::string")]
    pub href: String,
    pub line: usize,
    pub column: usize,
    /// As [`BrokenLink::included`].
    #[serde(deserialize_with = "crate::cached_strings::option")]
    pub included: Option<String>,
}

/// The CommonMark extensions pages are parsed with (the benchmark's floor uses the same).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Bytes of Markdown per event, about, to size a body's vector of events (a twentieth
/// of the guides' bodies have fewer than 10, half fewer than 21).
const EVENT_BYTES: usize = 8;

thread_local! {
    /// Each thread's vector of events, emptied, kept from one body to the next: a new one
    /// per body was memory the kernel zeroed first, about a twentieth of a guide's build.
    static EVENTS: std::cell::Cell<Vec<Spanned<'static>>> = const { std::cell::Cell::new(Vec::new()) };
}

/// An emptied vector of events, as one of events of any body: its allocation, kept
/// (collected in place, as the standard library does from a vector's own iterator into
/// elements of the same size).
fn recycle(mut events: Vec<Spanned<'_>>) -> Vec<Spanned<'static>> {
    events.clear();
    events
        .into_iter()
        .map(|_| unreachable!("the vector was emptied"))
        .collect()
}

/// Renders a page body. `page_key` seeds task item ids; a leading `# Title` is dropped
/// because the template shows it as the page's only `<h1>` (see [`Rendered::heading`]);
/// `typography`
/// applies to prose text only, never to code; `raw_html` says whether the body may run
/// script.
pub(crate) fn render(
    body: &str,
    page_key: &str,
    resolver: &dyn LinkResolver,
    typography: Typography,
    raw_html: RawHtml,
) -> Rendered {
    // Adobe Flavored Markdown, read before the rest (see `crate::markdown::afm`), as the
    // parser gives the events: one vector of them, sized once for most bodies (growing it
    // by doubling copied it and touched fresh memory each time), the thread's own.
    // (What would be a definition of a marker's label is text: see `afm::definitions`; a
    // link's `)` or a `**` that machine translation put after a French `?` comes back:
    // see `afm::translated`; emphasis glued to a marker goes inside it: see `afm::glued`.)
    let repaired = crate::markdown::afm::translated::repair(body);
    let repaired = match crate::markdown::afm::glued::repair(&repaired) {
        std::borrow::Cow::Owned(glued) => std::borrow::Cow::Owned(glued),
        std::borrow::Cow::Borrowed(_) => repaired,
    };
    let source = crate::markdown::afm::definitions::protect(&repaired);
    let protected = matches!(source, std::borrow::Cow::Owned(_));
    let (source, swapped) = match crate::markdown::afm::attr_values::protect(&source) {
        std::borrow::Cow::Owned(swapped) => (std::borrow::Cow::Owned(swapped), true),
        std::borrow::Cow::Borrowed(_) => (source, false),
    };
    let events =
        Parser::new_ext(&source, options())
            .into_offset_iter()
            .map(move |(event, range)| match protected || swapped {
                // Most bodies: the event as it is (this closure stays small enough to be
                // inlined into the loop over the events; the repairs' way is out of line).
                false => (event, range),
                true => (
                    crate::markdown::afm::restore(event, protected, swapped),
                    range,
                ),
            });
    let buffer = EVENTS.take();
    let (events, afm) =
        crate::markdown::afm::filter(events, &source, buffer, body.len() / EVENT_BYTES, resolver);
    let (title, dropped) = match drop_leading_title(&events) {
        Some((text, ids, events)) => (Some((text, ids)), events),
        None => (None, 0..0),
    };
    let mut events = join_texts(events, dropped);
    let sanitized = raw_html == RawHtml::Sanitized;
    // Only a body whose raw HTML does not pass where it is is checked whole, and cleaned if
    // need be: the others stay byte for byte as written.
    let check_whole = sanitized && !raw_html_passes(&mut events);
    let lines = Lines::new(body);
    let mut rewrite = Rewrite {
        body: &lines,
        item_ids: ItemIds::of(page_key),
        resolver,
        typography,
        sanitized,
        out: Rendered::default(),
        used_ids: UsedIds::default(),
        replaced_links: Vec::new(),
        dropped_images: Vec::new(),
        in_code_block: false,
        in_dnl: 0,
        anchors: Vec::new(),
    };
    // The title's id stays taken, as where its heading is shown (Experience League): a
    // section named as the page is `-1`, which is what links to it name (Workfront's
    // `#create-an-agile-team-1`).
    if let Some(id) = title.as_ref().and_then(|(_, ids)| ids.first()) {
        rewrite.used_ids.ids.insert(id.clone());
    }
    for i in 0..events.len() {
        rewrite.event(&mut events, i);
    }
    let anchors = std::mem::take(&mut rewrite.anchors);
    for (offset, anchor, href) in afm.anchors {
        rewrite.note_anchor(offset, anchor, href);
    }
    let mut out = rewrite.out;
    if let Some((heading, ids)) = title {
        // Typeset as the page's title is, which it is compared with.
        out.heading = Some(typography.apply(&heading));
        out.title_ids = ids;
    }
    for (offset, message) in afm.broken {
        out.broken_links
            .push(BrokenLink::at(&lines, offset, message));
    }
    for (offset, message) in afm.left_out {
        out.dropped.push(BrokenLink::at(&lines, offset, message));
    }
    out.html.reserve(body.len() * 3 / 2);
    if afm.attrs.is_empty() {
        // The heading anchors go in as the HTML is written: no copy of the events for
        // them. (The searchable text skips raw HTML, so they change nothing there.)
        out.plain = searchable_text(&events, PLAIN_TEXT_MAX);
        pulldown_cmark::html::push_html(
            &mut out.html,
            with_inserts(events.drain(..), anchors).map(|(e, _)| e),
        );
        EVENTS.set(recycle(events));
    } else {
        // Attribute lists rewrite images and links with what is around them, anchors
        // included: they see the events whole. Both vectors' room is kept, as above
        // (without it, the next body of the thread grew a new one by doubling: most pages
        // of Adobe's guides have an attribute list).
        let mut whole: Vec<Spanned> = Vec::with_capacity(events.len() + anchors.len());
        whole.extend(with_inserts(events.drain(..), anchors));
        crate::markdown::afm::apply_attrs(&mut whole, &afm.attrs);
        out.plain = searchable_text(&whole, PLAIN_TEXT_MAX);
        pulldown_cmark::html::push_html(&mut out.html, whole.drain(..).map(|(e, _)| e));
        let larger = match whole.capacity() > events.capacity() {
            true => whole,
            false => events,
        };
        EVENTS.set(recycle(larger));
    }
    if check_whole {
        check_whole_body(&mut out, &lines);
    }
    out
}

/// A body whose raw HTML could not be checked where it is: checked whole, and cleaned if
/// it does not pass (see [`sanitize::plain`]); one nested past what a browser builds is
/// an error instead (see [`sanitize::nests_too_deep`]).
fn check_whole_body(out: &mut Rendered, lines: &Lines) {
    out.html = match sanitize::plain(&out.html) {
        Some(std::borrow::Cow::Borrowed(_)) => std::mem::take(&mut out.html),
        Some(std::borrow::Cow::Owned(html)) => html,
        None if sanitize::nests_too_deep(&out.html) => {
            out.broken_links.push(BrokenLink::at(
                lines,
                0,
                format!(
                    "this page nests its quotes, lists or HTML elements more than {} deep: \
                     a browser would not show it as written\nnest them less deeply",
                    sanitize::MAX_DEPTH
                ),
            ));
            String::new()
        }
        None => sanitize::clean(&out.html),
    };
}

/// Whether the raw HTML among a body's `events` (the author's and AFM's) passes
/// [`sanitize::Pieces`], where it is: an HTML block whole (a tag may go on over its
/// lines), an inline tag on its own. If it does, each piece is left as it goes into the
/// page (without comments and the attributes to drop); if not, the events are as they
/// were. `[!DNL …]`'s markers are taken out before the HTML is written (see
/// `Rewrite::event`).
fn raw_html_passes(events: &mut [Spanned]) -> bool {
    let is_raw = |e: &Event| match e {
        Event::Html(html) | Event::InlineHtml(html) => !matches!(
            html.as_ref(),
            "" | crate::markdown::afm::DNL_START | crate::markdown::afm::DNL_END
        ),
        _ => false,
    };
    // Most bodies have none: nothing to follow.
    if !events.iter().any(|(e, _)| is_raw(e)) {
        return true;
    }
    let mut pieces = sanitize::Pieces::default();
    // The HTML block being read: where its first line is, and its lines.
    let mut block: Option<(usize, String)> = None;
    // Pieces rewritten: their events (a block's lines), and their HTML.
    let mut rewritten: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut piece = |pieces: &mut sanitize::Pieces, at: std::ops::Range<usize>, html: &str| {
        if let std::borrow::Cow::Owned(html) = pieces.html(html)? {
            rewritten.push((at, html));
        }
        Some(())
    };
    for (i, (event, _)) in events.iter().enumerate() {
        let passes = match event {
            Event::Start(Tag::HtmlBlock) => {
                block = Some((i + 1, String::new()));
                Some(())
            }
            Event::End(TagEnd::HtmlBlock) => block
                .take()
                .and_then(|(at, b)| piece(&mut pieces, at..i, &b)),
            Event::Html(html) if block.is_some() => block.as_mut().map(|(_, b)| b.push_str(html)),
            Event::Html(html) | Event::InlineHtml(html) if is_raw(event) => {
                piece(&mut pieces, i..i + 1, html)
            }
            Event::Html(_) | Event::InlineHtml(_) => Some(()),
            Event::Start(tag) => pieces.start(matches!(tag, Tag::Link { .. })),
            Event::End(tag) => pieces.end(matches!(tag, TagEnd::Link)),
            Event::Text(text) => pieces.text(text),
            Event::SoftBreak => Some(()),
            _ => pieces.void(),
        };
        if passes.is_none() {
            return false;
        }
    }
    if !pieces.finish() {
        return false;
    }
    for (lines, html) in rewritten {
        // The first event takes the whole piece; a block's other lines are left empty.
        let mut html = Some(html);
        for (event, _) in &mut events[lines] {
            if let Event::Html(text) | Event::InlineHtml(text) = event {
                *text = CowStr::from(html.take().unwrap_or_default());
            }
        }
    }
    true
}

/// The cells of the table head starting at `i`, if every one is empty: tables exported
/// to Markdown often have an empty header row (`|||||`) above their real first row, which
/// was a strip of empty header cells, each one a header without a name for screen readers
/// (Live Search's languages table). The row stays, without cells: `<thead><tr></tr>`.
fn drop_empty_head(events: &mut [Spanned], i: usize) {
    let mut end = i + 1;
    while let Some((Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell), _)) =
        events.get(end)
    {
        end += 1;
    }
    if matches!(events.get(end), Some((Event::End(TagEnd::TableHead), _))) && end > i + 1 {
        for (event, _) in &mut events[i + 1..end] {
            *event = Event::InlineHtml(CowStr::Borrowed(""));
        }
    }
}

/// Each run of text events as one, and the events of `dropped` (a leading title, see
/// [`drop_leading_title`]) taken out: entities and smart punctuation split text into many
/// pieces, which typography must see whole. Each run's text is made at its length at once
/// (grown piece by piece, it was copied again as it grew: a thousand times a long page of
/// Adobe's guides), then the events are compacted in one pass that moves each kept event
/// at most once, and none before the first one taken out (the title taken out first, and
/// the events swapped into place after it, moved most of a page's events two to four
/// times).
fn join_texts(mut events: Vec<Spanned>, dropped: std::ops::Range<usize>) -> Vec<Spanned> {
    let is_text = |e: &Spanned| matches!(e.0, Event::Text(_));
    // Each run's first event, its length, and its text joined. (A run never crosses the
    // title's ends: they are a heading's start and end.)
    let mut runs: Vec<(usize, usize, Spanned)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let run = events[i..].iter().take_while(|e| is_text(e)).count();
        if run < 2 || dropped.contains(&i) {
            i += run.max(1);
            continue;
        }
        let pieces = &events[i..i + run];
        let len = pieces
            .iter()
            .map(|(e, _)| match e {
                Event::Text(t) => t.len(),
                _ => 0,
            })
            .sum();
        let mut joined = String::with_capacity(len);
        for (event, _) in pieces {
            if let Event::Text(t) = event {
                joined.push_str(t);
            }
        }
        let span = pieces[0].1.start..pieces[run - 1].1.end;
        runs.push((i, run, (Event::Text(CowStr::from(joined)), span)));
        i += run;
    }
    if runs.is_empty() && dropped.is_empty() {
        return events;
    }
    let mut runs = runs.into_iter().peekable();
    let mut index = 0;
    // The end of the run being read: its other pieces are in its first event.
    let mut run_end = 0;
    events.retain_mut(|event| {
        let i = index;
        index += 1;
        if dropped.contains(&i) || i < run_end {
            return false;
        }
        if let Some((_, run, joined)) = runs.next_if(|(at, ..)| *at == i) {
            *event = joined;
            run_end = i + run;
        }
        true
    });
    events
}

/// `events` with each of `inserts` (in the order of their indexes) put before the event at
/// its index, in one pass.
fn with_inserts<'a>(
    mut events: impl Iterator<Item = Spanned<'a>>,
    inserts: Vec<(usize, Event<'a>)>,
) -> impl Iterator<Item = Spanned<'a>> {
    let mut inserts = inserts.into_iter().peekable();
    // The index of the event `events` gives next.
    let mut index = 0;
    std::iter::from_fn(move || {
        if let Some((_, event)) = inserts.next_if(|(at, _)| *at == index) {
            return Some((event, 0..0));
        }
        match events.next() {
            Some(spanned) => {
                index += 1;
                Some(spanned)
            }
            None => inserts.next().map(|(_, event)| (event, 0..0)),
        }
    })
}

/// An event and where it is in the body.
type Spanned<'a> = (Event<'a>, std::ops::Range<usize>);

/// One pass over a body's events that typesets text, gives headings their ids and
/// anchors, turns task markers into checklist items, resolves links and images, and
/// drops what would run script (when the body is sanitized).
struct Rewrite<'r> {
    body: &'r Lines<'r>,
    /// Makes task items' ids from the page's key.
    item_ids: ItemIds<'r>,
    resolver: &'r dyn LinkResolver,
    typography: Typography,
    sanitized: bool,
    out: Rendered,
    used_ids: UsedIds,
    /// Per open link, what replaces its end: `None` keeps pulldown-cmark's `</a>`.
    replaced_links: Vec<Option<CowStr<'static>>>,
    /// Per open image, whether it was dropped.
    dropped_images: Vec<bool>,
    in_code_block: bool,
    /// How many `[!DNL …]` the events so far are in (see `afm::DNL_START`).
    in_dnl: usize,
    /// Heading anchors to put in, each before the event at its index: inserting each as
    /// it was made moved every later event each time.
    anchors: Vec<(usize, Event<'static>)>,
}

impl Rewrite<'_> {
    /// Rewrites `events[i]` (and, for text and headings, the events around it).
    fn event(&mut self, events: &mut [Spanned], i: usize) {
        match &events[i].0 {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            // The words of a `[!DNL …]` are written as they are (see `afm::DNL_START`).
            Event::InlineHtml(html) if html.as_ref() == crate::markdown::afm::DNL_START => {
                self.in_dnl += 1;
                events[i].0 = Event::InlineHtml(CowStr::Borrowed(""));
            }
            Event::InlineHtml(html) if html.as_ref() == crate::markdown::afm::DNL_END => {
                self.in_dnl = self.in_dnl.saturating_sub(1);
                events[i].0 = Event::InlineHtml(CowStr::Borrowed(""));
            }
            Event::Text(_)
                if !self.in_code_block
                    && self.in_dnl == 0
                    && self.typography != Typography::None =>
            {
                self.typeset(events, i);
            }
            Event::Html(html) | Event::InlineHtml(html) if self.sanitized => {
                let start = events[i].1.start;
                for (at, element) in sanitize::removed_elements(html) {
                    let mut message = format!(
                        "`<{element}>` left out: raw HTML is cleaned of what could run script or load other pages into this one"
                    );
                    // (The line after the message is its help.)
                    if matches!(element, "iframe" | "video") {
                        message.push_str("\nfor a video, write `>[!VIDEO](https://…)` (a link to it); set `markdown: { raw_html: trusted }` in site.yaml only if every author of the content is trusted");
                    }
                    self.out
                        .dropped
                        .push(BrokenLink::at(self.body, start + at, message));
                }
            }
            Event::Start(Tag::Heading { .. }) => self.heading(events, i),
            Event::Start(Tag::TableHead) => drop_empty_head(events, i),
            Event::TaskListMarker(checked) => {
                let checked = *checked;
                let text = plain_text(&events[i + 1..item_text_end(events, i)]);
                let item = self.item_ids.item(None, &text, checked);
                events[i].0 = Event::InlineHtml(CowStr::from(checkbox_html(&item)));
                self.out.tasks.push(item);
            }
            Event::Start(Tag::Link { dest_url, .. })
                if self.sanitized && sanitize::is_unsafe_url(dest_url, false) =>
            {
                let message = format!("link to `{}` dropped: it would run script", short(dest_url));
                self.drop_script(events, i, message);
                self.replaced_links.push(Some(CowStr::Borrowed("")));
            }
            Event::Start(Tag::Link { .. }) => self.link(events, i),
            // An image that would run script is dropped; its alt text stays, as text.
            Event::Start(Tag::Image { dest_url, .. })
                if self.sanitized && sanitize::is_unsafe_url(dest_url, true) =>
            {
                let message = format!("image `{}` dropped: it would run script", short(dest_url));
                self.drop_script(events, i, message);
                self.dropped_images.push(true);
            }
            Event::Start(Tag::Image { .. }) => {
                self.dropped_images.push(false);
                image_target(events, i, self.resolver, self.body, &mut self.out);
                // An alt text of spaces (`![ ](x.png)`, as machine translation leaves
                // some) is no text: `alt=""`, an image screen readers pass over, rather
                // than one they announce by its file name.
                if let (Some((Event::Text(text), _)), Some((Event::End(TagEnd::Image), _))) =
                    (events.get(i + 1), events.get(i + 2))
                    && text.trim().is_empty()
                {
                    events[i + 1].0 = Event::Text(CowStr::Borrowed(""));
                }
            }
            Event::End(TagEnd::Image) if self.dropped_images.pop() == Some(true) => {
                events[i].0 = Event::InlineHtml(CowStr::from(""));
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(html)) = self.replaced_links.pop() {
                    events[i].0 = Event::InlineHtml(html);
                }
            }
            _ => {}
        }
    }

    /// Replaces `events[i]` with nothing and says why.
    fn drop_script(&mut self, events: &mut [Spanned], i: usize, message: String) {
        self.out
            .dropped
            .push(BrokenLink::at(self.body, events[i].1.start, message));
        events[i].0 = Event::InlineHtml(CowStr::from(""));
    }

    /// Typesets the text at `events[i]` (a whole run: see [`join_texts`]).
    fn typeset(&self, events: &mut [Spanned], i: usize) {
        let Event::Text(text) = &events[i].0 else {
            return;
        };
        // Links and emphasis split a sentence into text nodes: the rules see the
        // letters across them (`l'<a>architecte</a>`).
        let before = events[..i]
            .iter()
            .rev()
            .find(|(e, _)| !is_inline_boundary(e))
            .and_then(|(e, _)| match e {
                Event::Text(t) => t.chars().next_back(),
                _ => None,
            });
        let after = events[i + 1..]
            .iter()
            .find(|(e, _)| !is_inline_boundary(e))
            .and_then(|(e, _)| match e {
                Event::Text(t) => t.chars().next(),
                _ => None,
            });
        if let std::borrow::Cow::Owned(typeset) = self.typography.apply_between(text, before, after)
        {
            events[i].0 = Event::Text(CowStr::from(typeset));
        }
    }

    /// Gives the heading at `events[i]` its unique id and anchor, drops its event-handler
    /// attributes when sanitized, and lists it in the table of contents (every level: the
    /// page decides how deep its own goes, see `bodies::toc_depth`).
    fn heading(&mut self, events: &mut [Spanned], i: usize) {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            return;
        };
        let level = *level;
        let explicit = id.as_ref().map(std::string::ToString::to_string);
        let at = events[i].1.start;
        if self.sanitized
            && let Event::Start(Tag::Heading { attrs, .. }) = &mut events[i].0
        {
            let (body, dropped) = (self.body, &mut self.out.dropped);
            attrs.retain(|(name, _)| {
                // (Bytes: a name read from a heading's braces may start with `é`.)
                let handler = name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on");
                if handler {
                    dropped.push(BrokenLink::at(
                        body,
                        at,
                        format!("heading attribute `{name}` dropped: it would run script"),
                    ));
                }
                !handler
            });
        }
        let end = find_end(events, i);
        let text = plain_text(&events[i + 1..end]);
        let id = unique_id(
            explicit.unwrap_or_else(|| slug::slugify(&text)),
            &mut self.used_ids,
        );
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
            *slot = Some(CowStr::from(id.clone()));
        }
        // A link to the heading itself, reachable with Tab (it shows on focus) and named
        // by the heading it belongs to; put in after the pass (see `Rewrite::anchors`).
        // Written piece by piece: with `format!`, this and `checkbox_html` were 0.7% of a
        // first build's instructions at 2,000 pages (callgrind).
        let mut anchor = String::with_capacity(64 + 2 * id.len());
        anchor.push_str(" <a class=\"anchor\" href=\"#");
        escape_into(&mut anchor, &id);
        anchor.push_str("\" aria-labelledby=\"");
        escape_into(&mut anchor, &id);
        anchor.push_str("\">#</a>");
        self.anchors
            .push((end, Event::InlineHtml(CowStr::from(anchor))));
        // Typeset as the heading itself will be (its text comes next).
        self.out.toc.push(Heading {
            level: level as u8,
            id,
            text: self.typography.apply(&text),
        });
    }

    /// Notes the link at byte `at`, to `#fragment` of `target` and written with `href`, for
    /// its anchor to be checked once every page is rendered.
    fn note_anchor(&mut self, at: usize, (target, fragment): (String, String), href: String) {
        let (line, column) = self.body.line_col(at);
        self.out.anchors.push(AnchorLink {
            target,
            fragment,
            href,
            line,
            column,
            included: None,
        });
    }

    /// Resolves the link at `events[i]`: an internal one becomes its page's URL (its
    /// anchor kept for checking), a broken one is reported; one without words shows its
    /// page's title or its address.
    fn link(&mut self, events: &mut [Spanned], i: usize) {
        let Event::Start(Tag::Link {
            dest_url, title, ..
        }) = &events[i].0
        else {
            return;
        };
        let at = events[i].1.start;
        let target = self.resolver.resolve(dest_url, at);
        let shown = empty_link(events, i).and_then(|blank| {
            let shown = match &target {
                LinkTarget::Internal { .. } => {
                    (self.resolver.title(dest_url, at)?, "its page's title")
                }
                LinkTarget::External | LinkTarget::Warned(_) => {
                    (address(dest_url).to_string(), "its address")
                }
                LinkTarget::SamePage { .. } | LinkTarget::Broken(_) => return None,
            };
            Some((blank, shown, short(dest_url)))
        });
        // Right after a link with the words it would show, an empty link says them again
        // (Substance 3D: `[Sharing sbsar Files…](https://helpx…)[](sharing….md)`, which
        // Experience League shows once): it is left out.
        if let Some((blank, (words, _), dest)) = &shown
            && follows_link_of(events, i, words)
        {
            events[i].0 = Event::InlineHtml(CowStr::Borrowed(""));
            if let Some(blank) = *blank {
                events[blank].0 = Event::Text(CowStr::Borrowed(""));
            }
            self.replaced_links.push(Some(CowStr::Borrowed("")));
            let message = format!(
                "link to `{dest}` has no text, right after a link with the words it would show: left out"
            );
            self.out
                .dropped
                .push(BrokenLink::at(self.body, at, message));
            return;
        }
        match target {
            LinkTarget::External => self.replaced_links.push(None),
            LinkTarget::SamePage { target, fragment } => {
                // Written by pulldown-cmark as it is: the href as it escapes it.
                let mut href = String::new();
                let _ = pulldown_cmark_escape::escape_href(&mut href, dest_url);
                self.note_anchor(at, (target, fragment), href);
                self.replaced_links.push(None);
            }
            LinkTarget::Internal {
                href,
                hreflang,
                anchor,
            } => {
                let mut html = String::with_capacity(href.len() + 16);
                html.push_str("<a href=\"");
                escape_into(&mut html, &href);
                if let Some(anchor) = anchor {
                    // The href as just escaped into the tag.
                    let written = html["<a href=\"".len()..].to_string();
                    self.note_anchor(at, anchor, written);
                }
                if let Some(lang) = hreflang {
                    html.push_str("\" hreflang=\"");
                    escape_into(&mut html, &lang);
                }
                if !title.is_empty() {
                    html.push_str("\" title=\"");
                    escape_into(&mut html, title);
                }
                html.push_str("\">");
                events[i].0 = Event::InlineHtml(CowStr::from(html));
                self.replaced_links.push(Some(CowStr::Borrowed("</a>")));
            }
            LinkTarget::Broken(message) => {
                self.out
                    .broken_links
                    .push(BrokenLink::at(self.body, at, message));
                self.replaced_links.push(None);
            }
            LinkTarget::Warned(message) => {
                self.out
                    .dropped
                    .push(BrokenLink::at(self.body, at, message));
                self.replaced_links.push(None);
            }
        }
        // The words go before the link's end, its blank text away; a warning says so,
        // for the author to write them.
        if let Some((blank, (words, what), dest)) = shown {
            if let Some(blank) = blank {
                events[blank].0 = Event::Text(CowStr::Borrowed(""));
            }
            let mut end = String::with_capacity(words.len() + 4);
            escape_into(&mut end, &words);
            end.push_str("</a>");
            if let Some(last) = self.replaced_links.last_mut() {
                *last = Some(CowStr::from(end));
            }
            let help = "write the link's words between its brackets: `[the words](…)`";
            let message = no_text_warning(&dest, what, help);
            self.out
                .dropped
                .push(BrokenLink::at(self.body, at, message));
        }
    }
}

/// The warning for a link to `dest` (shortened) that has no words and shows `what`
/// instead, with `help` on how to write them.
pub(crate) fn no_text_warning(dest: &str, what: &str, help: &str) -> String {
    format!("link to `{dest}` has no text: {what} is shown\n{help}")
}

/// A link's address as its text: without the scheme, nor a last `/`.
pub(crate) fn address(url: &str) -> &str {
    let bare = ["https://", "http://", "mailto:"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .unwrap_or(url);
    bare.strip_suffix('/').unwrap_or(bare)
}

/// Whether the link opened at `events[i]` shows no text (`[](x.md)`, `[ ](x.md)`: machine
/// translation moves a link's words out of its brackets, and a reader sees nothing to
/// click): `Some` with the index of its blank text, if it has one.
fn empty_link(events: &[Spanned], i: usize) -> Option<Option<usize>> {
    let closes = |k: usize| matches!(events.get(k), Some((Event::End(TagEnd::Link), _)));
    match events.get(i + 1) {
        _ if closes(i + 1) => Some(None),
        Some((Event::Text(text), _)) if text.trim().is_empty() && closes(i + 2) => {
            Some(Some(i + 1))
        }
        _ => None,
    }
}

/// Whether the link at `events[i]` comes right after the end of a link whose words are
/// `words`.
fn follows_link_of(events: &[Spanned], i: usize, words: &str) -> bool {
    let Some(end) = i.checked_sub(1) else {
        return false;
    };
    let ends_link = match &events[end].0 {
        Event::End(TagEnd::Link) => true,
        // A link already written (see `Rewrite::link`).
        Event::InlineHtml(html) => html.ends_with("</a>"),
        _ => false,
    };
    ends_link
        && end
            .checked_sub(1)
            .is_some_and(|k| matches!(&events[k].0, Event::Text(t) if t.trim() == words.trim()))
}

/// An event that starts or ends an inline element inside a sentence: text on both
/// sides of it reads as one.
fn is_inline_boundary(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
        ) | Event::InlineHtml(_)
    )
}

/// Points an image at its page's URL when it names a content file.
fn image_target(
    events: &mut [(Event, std::ops::Range<usize>)],
    i: usize,
    resolver: &dyn LinkResolver,
    body: &Lines,
    out: &mut Rendered,
) {
    let at = events[i].1.start;
    let Event::Start(Tag::Image { dest_url, .. }) = &mut events[i].0 else {
        return;
    };
    match resolver.resolve(dest_url, at) {
        LinkTarget::External | LinkTarget::SamePage { .. } => {}
        LinkTarget::Internal { href, .. } => *dest_url = CowStr::from(href),
        LinkTarget::Broken(message) => {
            out.broken_links.push(BrokenLink::at(body, at, message));
        }
        LinkTarget::Warned(message) => out.dropped.push(BrokenLink::at(body, at, message)),
    }
}

/// A URL for a message: its first 60 characters.
pub(crate) fn short(url: &str) -> String {
    match url.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &url[..at]),
        None => url.to_string(),
    }
}

/// How much of a body's text search keeps: enough to match on, small enough to ship.
pub(crate) const PLAIN_TEXT_MAX: usize = 4_000;

/// The text of the events, blocks separated by a space, cut near `max` bytes.
fn searchable_text(events: &[(Event, std::ops::Range<usize>)], max: usize) -> String {
    let mut out = String::with_capacity(max.min(4096));
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ');
            }
            _ => {}
        }
        if out.len() >= max {
            break;
        }
    }
    // At most `max` bytes, whatever the length of the last text.
    let mut end = out.len().min(max);
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// Finds a `# Title` that opens the body, to take out (the page's template shows it as its
/// `<h1>`: see [`Rendered::heading`]): its text, the ids a link to it may use (its own,
/// `# Title {#id}`, equipe's and Experience League's for its text) and its events, which
/// [`join_texts`] takes out.
///
/// HTML comments before it do not count (an author's note to the next one, `<!-- UPDATE
/// THIS TOPIC -->`, as Adobe's Dynamic Media Classic has). A heading that shows an image
/// (a logo as the title) stays in the body: its words alone would lose it.
fn drop_leading_title(
    events: &[(Event, std::ops::Range<usize>)],
) -> Option<(String, Vec<String>, std::ops::Range<usize>)> {
    let mut start = 0;
    while let Some((Event::Start(Tag::HtmlBlock), _)) = events.get(start) {
        let end = find_end(events, start);
        let html: String = events[start + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Html(h) => Some(h.as_ref()),
                _ => None,
            })
            .collect();
        if !is_comments(&html) {
            return None;
        }
        start = end + 1;
    }
    let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            id,
            ..
        }),
        _,
    )) = events.get(start)
    else {
        return None;
    };
    let explicit = id.as_ref().map(ToString::to_string);
    let end = find_end(events, start);
    let inside = &events[start + 1..end];
    if inside
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::Image { .. })))
    {
        return None;
    }
    let text = plain_text(inside);
    let mut ids: Vec<String> = explicit
        .into_iter()
        .chain([slug::slugify(&text), crate::body_ids::adobe_id(&text)])
        .filter(|id| !id.is_empty())
        .collect();
    ids.dedup();
    Some((text, ids, start..end + 1))
}

/// Whether `html` is HTML comments and white space only.
pub(crate) fn is_comments(html: &str) -> bool {
    let mut rest = html.trim_start();
    while let Some(comment) = rest.strip_prefix("<!--") {
        let Some(end) = comment.find("-->") else {
            return false;
        };
        rest = comment[end + 3..].trim_start();
    }
    rest.is_empty()
}

/// Index of the event that closes the one opened at `start`.
fn find_end(events: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Where a task item's own text stops: its end, or a nested list.
fn item_text_end(events: &[(Event, std::ops::Range<usize>)], marker: usize) -> usize {
    let mut depth = 0i32;
    for (j, (e, _)) in events.iter().enumerate().skip(marker + 1) {
        match e {
            Event::Start(Tag::List(_)) if depth == 0 => return j,
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return j,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    events.len()
}

fn plain_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The heading ids of a body so far, and for each id asked for twice the next number to
/// try after it.
#[derive(Default)]
struct UsedIds {
    // aHash rather than SipHash: a reference page's thousand headings were 3% of its
    // body's samples in SipHash.
    ids: FastSet<String>,
    next: FastMap<String, usize>,
}

/// `base` (or `section`), else the first of `base-1`, `base-2`, … not used yet. The
/// numbers tried are remembered: a page with a hundred headings of one name (the
/// "Exemple" of a French reference page) tried 1, 2, … from the start for each.
fn unique_id(base: String, used: &mut UsedIds) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    if used.ids.insert(base.clone()) {
        return base;
    }
    let mut n = used.next.get(&base).copied().unwrap_or(1);
    let id = loop {
        let id = format!("{base}-{n}");
        n += 1;
        if used.ids.insert(id.clone()) {
            break id;
        }
    };
    used.next.insert(base, n);
    id
}

fn checkbox_html(item: &ChecklistItem) -> String {
    let mut html = String::with_capacity(80 + item.id.len() + item.text.len());
    html.push_str("<input type=\"checkbox\" class=\"check\" data-check=\"");
    escape_into(&mut html, &item.id);
    html.push_str("\" aria-label=\"");
    escape_into(&mut html, &item.text);
    html.push_str(if item.done { "\" checked> " } else { "\"> " });
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(body: &str, key: &str, links: &dyn LinkResolver) -> Rendered {
        render(body, key, links, Typography::None, RawHtml::Sanitized)
    }

    #[test]
    fn an_alt_text_of_spaces_is_no_text() {
        for typography in [Typography::None, Typography::French] {
            let r = render(
                "![ ](a.png) ![Un graphique](b.png) ![](c.png)\n",
                "k",
                &Links,
                typography,
                RawHtml::Sanitized,
            );
            assert!(
                r.html.contains("<img src=\"a.png\" alt=\"\" />"),
                "{}",
                r.html
            );
            assert!(r.html.contains("alt=\"Un graphique\""), "{}", r.html);
            assert!(
                r.html.contains("<img src=\"c.png\" alt=\"\" />"),
                "{}",
                r.html
            );
        }
    }

    #[test]
    fn french_apostrophes_across_links_and_emphasis() {
        let r = render(
            "Voir l'[architecte](https://x.org/l'a) et d'*abord* **Note**: l'`code`\n",
            "k",
            &Links,
            Typography::French,
            RawHtml::Sanitized,
        );
        assert!(
            r.html.contains("l’<a href=\"https://x.org/l&#x27;a\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("d’<em>abord</em>"), "{}", r.html);
        assert!(
            r.html.contains("<strong>Note</strong>\u{a0}:"),
            "{}",
            r.html
        );
        assert!(r.html.contains("l'<code>code</code>"), "{}", r.html);
    }

    #[test]
    fn french_typography_spares_code_and_links() {
        let r = render(
            "Attention : lire `a : b` et [le site](https://x.org/?q=1) !\n\n```\nx : y ?\n```\n",
            "k",
            &Links,
            Typography::French,
            RawHtml::Sanitized,
        );
        assert!(
            r.html.contains("Attention\u{a0}: lire <code>a : b</code>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://x.org/?q=1\""), "{}", r.html);
        assert!(r.html.contains("</a>\u{202f}!"), "{}", r.html);
        assert!(r.html.contains("x : y ?"), "{}", r.html);
    }

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, dest: &str, _at: usize) -> LinkTarget {
            match dest {
                "architect.md" => LinkTarget::Internal {
                    anchor: None,
                    href: "../architecte/index.html".into(),
                    hreflang: None,
                },
                "only-fr.md" => LinkTarget::Internal {
                    anchor: None,
                    href: "../x/index.html".into(),
                    hreflang: Some("fr".into()),
                },
                "missing.md" => LinkTarget::Broken("no page `missing`".into()),
                _ => LinkTarget::External,
            }
        }
    }

    #[test]
    fn entities_are_decoded_once() {
        let r = render_plain(
            "Chaque magasin a besoin d&#39;une équipe &amp; d'un &lt;plan&gt;",
            "k",
            &Links,
        );
        assert!(
            r.html.contains("d'une équipe &amp; d'un &lt;plan&gt;"),
            "{}",
            r.html
        );
    }

    #[test]
    fn repeated_heading_ids_are_numbered_as_when_counted_from_one() {
        // The numbering before the next numbers were remembered.
        fn counted(base: &str, used: &mut std::collections::HashSet<String>) -> String {
            let base = if base.is_empty() { "section" } else { base };
            let mut id = base.to_string();
            let mut n = 1;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        }
        let bases = [
            "a",
            "a",
            "a-1",
            "a",
            "a-2",
            "a",
            "",
            "",
            "section-1",
            "b-3",
            "b",
            "b",
            "b",
            "b",
        ];
        let (mut used, mut before) = (UsedIds::default(), std::collections::HashSet::new());
        for base in bases {
            assert_eq!(
                unique_id(base.to_string(), &mut used),
                counted(base, &mut before),
                "{base}"
            );
        }
    }

    #[test]
    fn a_recycled_vector_of_events_keeps_its_allocation() {
        let text = String::from("body");
        let mut events: Vec<Spanned> = Vec::with_capacity(100);
        events.push((Event::Text(CowStr::Borrowed(&text)), 0..4));
        let recycled = recycle(events);
        assert!(recycled.is_empty());
        assert_eq!(recycled.capacity(), 100);
    }

    #[test]
    fn inserts_go_before_the_event_at_their_index() {
        let text = |t: &'static str| Event::Text(CowStr::Borrowed(t));
        let events: Vec<Spanned> = ["a", "b", "c"].iter().map(|t| (text(t), 0..1)).collect();
        let inserts = vec![
            (0, text("0")),
            (2, text("2")),
            (2, text("2'")),
            (3, text("end")),
        ];
        let out: Vec<String> = with_inserts(events.into_iter(), inserts)
            .map(|(e, _)| match e {
                Event::Text(t) => t.to_string(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(out, ["0", "a", "b", "2", "2'", "c", "end"]);
    }

    #[test]
    fn headings_get_unique_ids_anchors_and_toc() {
        let r = render_plain(
            "# Title\n\n## Rôles clés\n\n## Rôles clés\n\n### Détail {#mine}\n",
            "k",
            &Links,
        );
        assert!(!r.html.contains("<h1"), "leading title dropped: {}", r.html);
        assert!(r.html.contains("<h2 id=\"roles-cles\">"), "{}", r.html);
        assert!(r.html.contains("id=\"roles-cles-1\""));
        assert!(r.html.contains("<h3 id=\"mine\">"));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].text, "Rôles clés");
    }

    #[test]
    fn links_to_content_files_are_rewritten() {
        let r = render_plain(
            "See [the architect](architect.md) and [x](only-fr.md \"t\") and [web](https://x.org)",
            "k",
            &Links,
        );
        assert!(
            r.html
                .contains("<a href=\"../architecte/index.html\">the architect</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("hreflang=\"fr\" title=\"t\">x</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"https://x.org\">web</a>"));
    }

    #[test]
    fn broken_links_have_positions() {
        let r = render_plain("Line one\n\nSee [gone](missing.md)\n", "k", &Links);
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!((r.broken_links[0].line, r.broken_links[0].column), (3, 5));
    }

    #[test]
    fn task_items_become_labelled_checkboxes() {
        let r = render_plain(
            "- [ ] Tell the warehouse\n- [x] Book the room\n  - [ ] nested\n",
            "teams/w",
            &Links,
        );
        assert_eq!(r.tasks.len(), 3);
        assert_eq!(r.tasks[0].text, "Tell the warehouse");
        assert!(r.tasks[1].done);
        assert_eq!(r.tasks[1].text, "Book the room");
        assert!(r.html.contains(&format!(
            "data-check=\"{}\" aria-label=\"Tell the warehouse\">",
            r.tasks[0].id
        )));
    }

    #[test]
    fn plain_text_for_search() {
        let r = render_plain(
            "## Rôle\n\nL&#39;équipe &amp; *moi*\n\n- [ ] tâche\n",
            "k",
            &Links,
        );
        assert_eq!(r.plain, "Rôle L'équipe & moi tâche");
    }

    /// Whether `body`'s raw HTML passes where it is (see [`raw_html_passes`]).
    fn passes_in_pieces(body: &str) -> bool {
        let events = Parser::new_ext(body, options()).into_offset_iter();
        let (mut events, _) = crate::markdown::afm::filter(events, body, Vec::new(), 0, &Links);
        raw_html_passes(&mut events)
    }

    #[test]
    fn raw_html_passes_in_pieces_as_the_whole_body_would() {
        for body in [
            "No HTML at all, *emphasis*.\n",
            "Click [!UICONTROL Save] in [!DNL Adobe Commerce] [!BADGE Beta].\n",
            "**[!UICONTROL Save**]\n\n- [!UICONTROL *a*]\n- b\n",
            "| a | b |\n|---|---|\n| [!UICONTROL x] | a<br>b |\n",
            "a <b>bold</b>, a break<br/>and [a link](https://x.org) <em>x</em>\n",
            "<div class=\"note\">\n\n*Markdown* in it\n\n</div>\n",
            "<table>\n<tr>\n<td>a</td>\n<td>b</td>\n</tr>\n</table>\n",
            "> [!NOTE]\n>\n> A note\n\n> [!BEGINSHADEBOX]\n>\n> In a box\n\n> [!ENDSHADEBOX]\n",
            ">[!VIDEO](https://video.tv.adobe.com/v/1)\n",
            // Taken out as checking takes them out: a comment, a table's style.
            "Text <!-- a note --> more\n\n<!--\nA comment block\n-->\n",
            "<table style=\"table-layout:auto\">\n<tr><td>a</td></tr>\n</table>\n",
        ] {
            assert!(passes_in_pieces(body), "{body}");
            // As checking the whole body would have written it.
            let html = render_plain(body, "k", &Links).html;
            assert!(
                matches!(sanitize::plain(&html), Some(std::borrow::Cow::Borrowed(_))),
                "{html}"
            );
            assert!(!html.contains("<!--") && !html.contains("style="), "{html}");
        }
        for body in [
            // A span closed in the emphasis it did not open in.
            "[!UICONTROL a *b] c*\n",
            // Spans across two paragraphs, a link in a link, an element left open, text
            // between a table's parts.
            "<span class=\"uicontrol\">a\n\nb</span>\n",
            "[a <a href=\"https://x.org\">b</a>](https://y.org)\n",
            "<div>\n\n- an item\n",
            "<table>\n<tr><td>a</td></tr>\n\nText in the table\n\n</table>\n",
            // An element cleaning takes out.
            "<script>alert(1)</script>\n",
        ] {
            assert!(!passes_in_pieces(body), "{body}");
            // Checked whole, and cleaned where need be.
            let html = render_plain(body, "k", &Links).html;
            assert!(sanitize::plain(&html).is_some(), "{html}");
            assert!(!html.contains("<script"), "{html}");
        }
    }

    #[test]
    fn alerts_and_tables() {
        let r = render_plain(
            "> [!NOTE]\n> Read this\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "k",
            &Links,
        );
        assert!(r.html.contains("markdown-alert-note"), "{}", r.html);
        assert!(r.html.contains("<table>"));
    }
}
