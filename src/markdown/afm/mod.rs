//! Adobe Flavored Markdown (AFM): the Markdown of Adobe's Experience League guides, read
//! as it is written (see Adobe's `markdown-it-adobe-plugin` for the reference renderer).
//!
//! Three parts, so that a plain Markdown page pays almost nothing:
//! - [`include`]: `{{$include file.md}}` and `{{snippet}}` are expanded in the source
//!   before it is parsed (included text is Markdown of the page);
//! - [`filter`]: one pass over pulldown-cmark's events, before the Markdown stage's own,
//!   turns the blockquote blocks (`>[!NOTE]`, tabs, shade boxes, videos), `+++`
//!   collapsibles and the inline markers ([`inline`]) into HTML, and takes the attribute
//!   lists off the text that follows links and images;
//! - [`apply_attrs`]: once links are resolved, puts those attributes on them.
//!
//! Before parsing, what CommonMark would misread in Adobe's guides is put right, byte
//! for byte: lines of settings that would be link definitions ([`definitions`]), links
//! whose `)` and bold text whose `**` machine translation put after a French `?`
//! ([`translated`]), emphasis delimiters in attribute lists' values ([`attr_values`]).
//!
//! Block labels are not written here (this stage does not know the page's language): the
//! theme's stylesheet names each kind per language, as it does for GFM alerts.

pub(crate) mod attr_values;
pub(crate) mod definitions;
pub(crate) mod glued;
pub(crate) mod include;
pub(crate) mod inline;
pub(crate) mod translated;

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Tag, TagEnd};

use crate::markdown::{LinkResolver, LinkTarget, escape_attr};
use crate::text::has;
pub(crate) use inline::{Attrs, FrontBadge, front_matter_badge, front_text, parse_attrs, plain};
use inline::{Marker, Open, Piece};

/// Where the words of a `[!DNL …]` (do not localize: a product's name) start and end
/// among a body's events: they are not typeset (`Yahoo! Mail` in a French page, not
/// `Yahoo ! Mail`). The Markdown stage takes these out before it writes the HTML (see
/// `crate::markdown::Rewrite`).
pub(crate) const DNL_START: &str = "<!--equipe-dnl-->";
pub(crate) const DNL_END: &str = "<!--/equipe-dnl-->";

type Spanned<'a> = (Event<'a>, Range<usize>);

/// The event with what the repairs before parsing swapped put back: a link definition's
/// `[` if `definitions` ([`definitions`]), an attribute list's `_` and `*` if
/// `attr_values` ([`attr_values`]). Only for bodies that have some: kept out of the loop
/// over every body's events.
#[inline(never)]
pub(crate) fn restore(event: Event<'_>, definitions: bool, attr_values: bool) -> Event<'_> {
    let event = match definitions {
        true => definitions::restore(event),
        false => event,
    };
    match attr_values {
        true => attr_values::restore(event),
        false => event,
    }
}

/// The event with `map` applied to the text it carries (text, code, raw HTML): where what
/// a repair before parsing swapped comes back (see [`restore`]).
fn texts_mapped<'a>(event: Event<'a>, map: impl Fn(CowStr<'a>) -> CowStr<'a>) -> Event<'a> {
    match event {
        Event::Text(text) => Event::Text(map(text)),
        Event::Code(text) => Event::Code(map(text)),
        Event::Html(text) => Event::Html(map(text)),
        Event::InlineHtml(text) => Event::InlineHtml(map(text)),
        other => other,
    }
}

/// What [`filter`] found that later steps need.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Attribute lists of links and images, by the source offset of the link or image.
    pub attrs: Vec<(usize, Attrs)>,
    /// `.md` links of raw HTML that lead nowhere: source offset and message.
    pub broken: Vec<(usize, String)>,
    /// Links of raw HTML to a `#fragment` (of another page or of the page itself), for
    /// their anchors to be checked as Markdown links' are: source offset, the target's
    /// output path and the fragment, and the `href` as written into the HTML.
    pub anchors: Vec<(usize, (String, String), String)>,
    /// Blocks left out because equipe cannot show them (warnings): source offset and
    /// message, its help after a line break.
    pub left_out: Vec<(usize, String)>,
}

/// The callout kinds that are blockquotes starting with `[!KIND]`, beyond the five that
/// pulldown-cmark already reads as GFM alerts.
const CALLOUTS: &[&str] = &[
    "NOTE",
    "TIP",
    "IMPORTANT",
    "WARNING",
    "CAUTION",
    "INFO",
    "ADMIN",
    "ADMINISTRATION",
    "AVAILABILITY",
    "PREREQUISITES",
    "ERROR",
    "SUCCESS",
    "MORELIKETHIS",
];

/// Rewrites the AFM constructs of a page's events (see the module's documentation).
/// `events` come straight from the parser of `source` (no vector of them all before this
/// one's), about `capacity` of them; they go into `out` (empty: its allocation is reused).
pub(crate) fn filter<'a>(
    events: impl Iterator<Item = Spanned<'a>>,
    source: &str,
    mut out: Vec<Spanned<'a>>,
    capacity: usize,
    resolver: &dyn LinkResolver,
) -> (Vec<Spanned<'a>>, Found) {
    out.clear();
    // A vector too small is replaced, not grown: growing it copied the last body's
    // events, dropped already, into the new room (2% of a guide's Markdown stage).
    if out.capacity() < capacity {
        out = Vec::with_capacity(capacity.max(2 * out.capacity()));
    }
    let mut f = Filter::new(out, source, resolver);
    let mut events = events.peekable();
    while let Some((event, range)) = events.next() {
        if f.hidden_quotes > 0 {
            match event {
                Event::Start(Tag::BlockQuote(_)) => f.hidden_quotes += 1,
                Event::End(TagEnd::BlockQuote(_)) => f.hidden_quotes -= 1,
                _ => {}
            }
            continue;
        }
        if f.skip_paragraph {
            f.skip_paragraph = !matches!(event, Event::End(TagEnd::Paragraph));
            continue;
        }
        f.event(event, range, &mut events);
    }
    f.finish();
    (f.out, f.found)
}

impl<'a, 'r> Filter<'a, 'r> {
    fn new(out: Vec<Spanned<'a>>, source: &'r str, resolver: &'r dyn LinkResolver) -> Self {
        Filter {
            out,
            source,
            found: Found::default(),
            opens: Vec::new(),
            open_at: Vec::new(),
            depth: 0,
            images: 0,
            code: false,
            links: Vec::new(),
            last_closed: None,
            quotes: Vec::new(),
            tabs: Vec::new(),
            tab_count: 0,
            heading_level: 1,
            heading_badge: None,
            shadeboxes: 0,
            collapsibles: 0,
            lists: 0,
            closed_after_lists: 0,
            skip_paragraph: false,
            hidden_quotes: 0,
            raw_open: None,
            raw_open_at_line: None,
            chained: 0,
            dangling: 0,
            resolver,
        }
    }

    /// One event of the page, `rest` being the events after it (which a block start
    /// reads ahead in).
    fn event<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        rest: &mut Peekable<I>,
    ) {
        if let Event::Html(html) = &event {
            self.raw_open_at_line = self.raw_open;
            if self.raw_open.is_some() || html.contains('<') {
                unread_spans_of_html(html, &mut self.raw_open);
            }
        }
        match event {
            // `+++` under a tight list's last item is that item's text for CommonMark (a
            // lazy line): it closes the collapsible after the list, where it can.
            Event::Text(ref t)
                if !self.code
                    && self.collapsibles > 0
                    && self.lists > 0
                    && t.trim() == "+++"
                    && matches!(self.out.last(), Some((Event::SoftBreak, _)))
                    && matches!(rest.peek(), Some((Event::End(TagEnd::Item), _))) =>
            {
                self.out.pop();
                self.collapsibles -= 1;
                self.closed_after_lists += 1;
            }
            Event::Text(t) if !self.code => self.text_run(t, range, rest),
            Event::Start(Tag::List(_)) => {
                self.lists += 1;
                self.start(event, range);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists = self.lists.saturating_sub(1);
                self.end_tag(event, range.clone());
                if self.lists == 0 && self.closed_after_lists > 0 {
                    let html = "</details>\n".repeat(std::mem::take(&mut self.closed_after_lists));
                    self.html(html, range.end);
                }
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let first = peek_block_start(rest);
                self.block_quote(kind, range, first);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                match self.quotes.pop() {
                    Some(Some(html)) => self.html(html, range.start),
                    _ => self.push(event, range),
                }
                self.end();
            }
            // A paragraph that is only an attribute list (of the table above it, or
            // of an element machine translation dropped): nothing to show.
            Event::Start(Tag::Paragraph)
                if self
                    .source
                    .get(range.clone())
                    .is_some_and(inline::is_attribute_list_alone) =>
            {
                self.skip_paragraph = true;
            }
            // A paragraph without `+++` in its text has no collapsible's edge: its
            // events go on in the stream, rather than be gathered to look for one.
            Event::Start(Tag::Paragraph)
                if !self
                    .source
                    .get(range.clone())
                    .is_none_or(|text| has(text, "+++")) =>
            {
                self.start(event, range);
            }
            Event::Start(Tag::Paragraph) => {
                let mut inner = Vec::new();
                while let Some(next) =
                    rest.next_if(|(e, _)| !matches!(e, Event::End(TagEnd::Paragraph)))
                {
                    inner.push(next);
                }
                self.paragraph(range, inner);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if next_url_attribute(html).is_some() || has(html, "[!") || has(html, "](") =>
            {
                // `<a href="…">` and its `</a>` are events of their own in a paragraph.
                let closed_next = matches!(
                    rest.peek(),
                    Some((Event::InlineHtml(next), _)) if next.trim() == "</a>"
                );
                self.raw_html(event, range, closed_next);
            }
            // `<name@host>`: a mail link, not a file.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                id,
            }) => {
                let event = Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: CowStr::from(format!("mailto:{dest_url}")),
                    title,
                    id,
                });
                self.start(event, range);
            }
            Event::Start(_) => self.start(event, range),
            Event::End(_) => self.end_tag(event, range),
            e => self.push(e, range),
        }
    }

    /// Adjacent text is one run: pulldown-cmark splits `[!DNL x]` at brackets.
    fn text_run<I: Iterator<Item = Spanned<'a>>>(
        &mut self,
        first: CowStr<'a>,
        mut range: Range<usize>,
        rest: &mut Peekable<I>,
    ) {
        let run = joined(first, &mut range, rest, self.source);
        self.text(run, range);
    }

    /// Raw HTML that may hold links, images or inline markers; `closed_next`: the next
    /// event is an `</a>`.
    fn raw_html(&mut self, event: Event<'a>, range: Range<usize>, closed_next: bool) {
        let (Event::Html(html) | Event::InlineHtml(html)) = &event else {
            return self.push(event, range);
        };
        // A line of an HTML block may go on with what the lines before opened.
        let open = match event {
            Event::Html(_) => self.raw_open_at_line,
            _ => None,
        };
        let html = match inline::to_html(html) {
            std::borrow::Cow::Borrowed(_) => {
                self.raw_html_links(html, open, range.start, closed_next)
            }
            std::borrow::Cow::Owned(h) => self.raw_html_links(&h, open, range.start, closed_next),
        };
        let event = match event {
            Event::Html(_) if has(&html, "](") => {
                Event::Html(self.markdown_links_in_html(&html, open, range.start))
            }
            Event::Html(_) => Event::Html(html),
            _ => Event::InlineHtml(html),
        };
        self.push(event, range);
    }

    /// The end of any other tag.
    fn end_tag(&mut self, event: Event<'a>, range: Range<usize>) {
        let closes_link = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
        match event {
            Event::End(TagEnd::Image) => self.images -= 1,
            Event::End(TagEnd::CodeBlock) => self.code = false,
            _ => {}
        }
        self.push(event, range);
        if closes_link {
            self.last_closed = self.links.pop();
        }
        self.end();
    }
}

/// The events after a block's start up to its first non-text inline event, taken off the
/// stream so that the start can be judged by its first words.
fn peek_block_start<'a, I: Iterator<Item = Spanned<'a>>>(
    events: &mut std::iter::Peekable<I>,
) -> Vec<Spanned<'a>> {
    let mut taken = Vec::new();
    // A blockquote's first paragraph start, then its text; or a paragraph's text.
    if let Some((Event::Start(Tag::Paragraph), _)) = events.peek() {
        taken.extend(events.next());
    }
    while let Some((Event::Text(_) | Event::SoftBreak | Event::HardBreak, _)) = events.peek() {
        taken.extend(events.next());
    }
    // `>[!VIDEO](url)` parses as a link whose text is `!VIDEO`.
    if let Some((Event::Start(Tag::Link { .. }), _)) = events.peek()
        && taken.iter().all(|(e, _)| matches!(e, Event::Start(_)))
    {
        taken.extend(events.next());
        while let Some((Event::Text(_) | Event::End(TagEnd::Link), _)) = events.peek() {
            let end = matches!(events.peek(), Some((Event::End(_), _)));
            taken.extend(events.next());
            if end {
                break;
            }
        }
    }
    taken
}

struct Filter<'a, 'r> {
    out: Vec<Spanned<'a>>,
    found: Found,
    /// Inline markers open, and beside each: the output index of its opening and the
    /// depth it was opened at.
    opens: Vec<Open>,
    open_at: Vec<(usize, usize)>,
    /// Depth of open tags in the output.
    depth: usize,
    images: usize,
    code: bool,
    /// Source offsets of the links and images open.
    links: Vec<usize>,
    /// Offset of the link or image that closed last, while the next event may be its
    /// attribute list.
    last_closed: Option<usize>,
    /// For each open blockquote: the HTML that closes it if it was rewritten.
    quotes: Vec<Option<String>>,
    /// For each tab group: whether a tab section is open, and its titles' level (the
    /// same for all its tabs, whatever headings a tab holds).
    tabs: Vec<(bool, u8)>,
    tab_count: usize,
    heading_level: u8,
    /// The attribute list of a badge that ends the current heading (see [`Filter::start`]).
    heading_badge: Option<inline::Attrs>,
    shadeboxes: usize,
    collapsibles: usize,
    /// Lists open, and the collapsibles whose `+++` ended a tight list's last item: they
    /// close when the outermost list does.
    lists: usize,
    closed_after_lists: usize,
    /// Drop events up to the end of the current paragraph (a marker's own paragraph).
    skip_paragraph: bool,
    /// Blockquotes open in one that is left out whole (`>[!CONTEXTUALHELP]`), itself
    /// included: its events are dropped until it closes.
    hidden_quotes: usize,
    /// The end of the code, comment or script that the raw HTML read so far left open,
    /// and the one open at the start of the current line of raw HTML.
    raw_open: Option<&'static str>,
    raw_open_at_line: Option<&'static str>,
    /// Markers read in a row in one quote's first paragraph (see `block_quote`): past
    /// [`MAX_CHAINED`], the rest is text.
    chained: usize,
    /// Markers just closed at the end of the tag they were opened in, whose `]` may come
    /// right after it (`**[!UICONTROL Save**]`) or after more words and emphasis of the
    /// same paragraph (`**[!UICONTROL Manage Data** > **Connections]**`): that `]` is
    /// theirs.
    dangling: usize,
    /// The Markdown the events are parsed from.
    source: &'r str,
    resolver: &'r dyn LinkResolver,
}

impl<'a> Filter<'a, '_> {
    fn push(&mut self, event: Event<'a>, range: Range<usize>) {
        self.last_closed = None;
        // A closed marker's `]` is looked for in text and emphasis, up to anything else.
        let emphasis = |tag: &Tag| matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Strikethrough);
        let keeps = match &event {
            Event::Text(_) | Event::SoftBreak => true,
            Event::Start(tag) => emphasis(tag),
            Event::End(end) => matches!(
                end,
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough
            ),
            _ => false,
        };
        if !keeps {
            self.dangling = 0;
        }
        // A marker in a code span is its words, as Experience League shows them
        // (`$ [!DNL name] = [!DNL value]` in Dynamic Media's developer guide reads
        // `$ name = value` there); code blocks keep theirs as written.
        let event = match event {
            Event::Code(code) if has(&code, "[!") => {
                Event::Code(CowStr::from(inline::plain(&code).into_owned()))
            }
            Event::Html(html) if has(&html, "<a name=") => Event::Html(named_anchors(html)),
            Event::InlineHtml(html) if has(&html, "<a name=") => {
                Event::InlineHtml(named_anchors(html))
            }
            event => event,
        };
        self.out.push((event, range));
    }

    /// The attribute list that ends the source at `range` if it follows a `[!BADGE …]`.
    fn trailing_badge_attrs(&self, range: &Range<usize>) -> Option<inline::Attrs> {
        let text = self.source.get(range.clone())?.trim_end();
        let open = text.rfind("]{")?;
        let list = &text[open + 1..];
        if !text[..open].contains("[!BADGE") {
            return None;
        }
        inline::parse_attrs(list)
            .filter(|(_, len)| *len == list.len())
            .map(|(attrs, _)| attrs)
    }

    fn html(&mut self, html: String, at: usize) {
        self.push(Event::Html(CowStr::from(html)), at..at);
    }

    fn start(&mut self, mut event: Event<'a>, range: Range<usize>) {
        match &mut event {
            Event::Start(Tag::Link { .. }) => self.links.push(range.start),
            Event::Start(Tag::Image { .. }) => {
                self.links.push(range.start);
                self.images += 1;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading_level = *level as u8;
                // `#### [!BADGE SaaS]{type=Positive tooltip="…"}`: pulldown-cmark read the
                // badge's attribute list as the heading's, one attribute a word.
                self.heading_badge = self.trailing_badge_attrs(&range);
                if let Some(badge) = &self.heading_badge {
                    if *id == badge.id.as_deref().map(CowStr::from) {
                        *id = None;
                    }
                    classes.clear();
                    attrs.clear();
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.code = true,
            _ => {}
        }
        self.push(event, range);
        self.depth += 1;
    }

    /// An end tag was pushed: markers opened inside it and not closed there end with it
    /// (guides write `**[!UICONTROL Save**]`, the emphasis closed first), and their `]`
    /// is dropped if it comes next.
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        let mut dangling = 0;
        while let Some((at, depth)) = self.open_at.last()
            && *depth > self.depth
        {
            let closing = match &self.out[*at].0 {
                Event::InlineHtml(html) if html.as_ref() == DNL_START => Some(DNL_END),
                Event::InlineHtml(html) if !html.is_empty() => Some("</span>"),
                _ => None,
            };
            self.open_at.pop();
            self.opens.pop();
            if let Some(closing) = closing {
                // Before the end tag, the last event.
                let end = self.out.len().saturating_sub(1);
                let range = self.out[end].1.clone();
                self.out
                    .insert(end, (Event::InlineHtml(CowStr::from(closing)), range));
            }
            dangling += 1;
        }
        self.dangling += dangling;
    }

    /// A run of text. One that ends with ` {#id}` ends with an anchor of that id, as
    /// kramdown reads it (Adobe's Cloud Manager guide ids a step so, and links to it).
    fn text(&mut self, run: CowStr<'a>, range: Range<usize>) {
        // Most runs have none of the brackets that markers, anchors and attribute lists
        // are written with: kept as they are, in one scan (the steps below, each looking
        // for its own sign, were 1.6% of a first build's instructions). As those steps do,
        // a run ends what a closed link's list could follow, and an empty one is nothing.
        if memchr::memchr3(b'{', b'[', b']', run.as_bytes()).is_none() {
            self.last_closed = None;
            if !run.is_empty() {
                self.out.push((Event::Text(run), range));
            }
            return;
        }
        let glued = self.last_closed.is_none();
        match inline::trailing_anchor(&run, glued).filter(|_| self.images == 0) {
            Some((cut, id)) => {
                let anchor = format!("<span id=\"{id}\"></span>");
                let head = run[..cut].to_string();
                if !head.is_empty() {
                    self.marked_text(CowStr::from(head), range.clone());
                }
                self.out
                    .push((Event::InlineHtml(CowStr::from(anchor)), range));
            }
            None => self.marked_text(run, range),
        }
    }

    /// A run of text without what ends a marker or a link before it: the `]` of markers
    /// closed with their emphasis, the attribute list of a link or image (applied to it).
    /// `None` if nothing is left.
    fn after_closed(&mut self, run: CowStr<'a>) -> Option<CowStr<'a>> {
        let mut run = run;
        let dangling = std::mem::take(&mut self.dangling);
        if dangling > 0 && run.contains(['[', ']']) {
            // Their `]`, right after or after more words of the label (`_[!UICONTROL
            // Generate new text_ section]`, Adobe's GenStudio; `**[!UICONTROL Manage
            // Data** > **Connections]**`, Commerce Business Intelligence): the first ones
            // that close no `[` of the text (`**[!DNL SQL Report Builder]]**` there).
            let mut left = dangling;
            let mut depth = 0usize;
            let kept: String = run
                .split_inclusive(['[', ']'])
                .map(|piece| {
                    if left == 0 {
                        return piece;
                    }
                    if piece.ends_with('[') {
                        depth += 1;
                        return piece;
                    }
                    match piece.strip_suffix(']') {
                        Some(_) if depth > 0 => {
                            depth -= 1;
                            piece
                        }
                        Some(before) => {
                            left -= 1;
                            before
                        }
                        None => piece,
                    }
                })
                .collect();
            run = CowStr::from(kept);
            // A `[` left open: what follows is its text.
            if depth == 0 {
                self.dangling = left;
            }
        } else {
            // Not in this run: in a later one of the paragraph, maybe.
            self.dangling = dangling;
        }
        if let Some(link) = self.last_closed.take()
            && run.starts_with('{')
        {
            // An empty list (`![](x.png){ }`, Experience Manager Guides has nine a
            // language) is a list too, of nothing: not text.
            let len = match inline::parse_attrs(&run) {
                Some((attrs, len)) => {
                    self.found.attrs.push((link, attrs));
                    Some(len)
                }
                None => {
                    let inside = run[1..].trim_start_matches([' ', '\t']);
                    inside
                        .starts_with('}')
                        .then(|| run.len() - inside.len() + 1)
                }
            };
            if let Some(len) = len {
                run = CowStr::from(run[len..].to_string());
            }
        }
        (!run.is_empty()).then_some(run)
    }

    /// A run of text: inline markers, and the attribute list of a link or image.
    fn marked_text(&mut self, run: CowStr<'a>, range: Range<usize>) {
        let Some(mut run) = self.after_closed(run) else {
            return;
        };
        if let std::borrow::Cow::Owned(stripped) = inline::strip_stray_attrs(&run) {
            run = CowStr::from(stripped);
        }

        if !has(&run, "[!") && (self.opens.is_empty() || !run.contains(']')) {
            self.out.push((Event::Text(run), range));
            return;
        }
        let pieces = inline::scan(&run, &mut self.opens);
        let plain = self.images > 0;
        for piece in pieces {
            let event = match piece {
                Piece::Text(t) => Event::Text(CowStr::from(t.to_string())),
                Piece::Open(marker, _) => {
                    let html = match (marker, plain) {
                        (Marker::UiControl | Marker::Badge, false) => inline::open_html(marker),
                        (Marker::Dnl, false) => DNL_START,
                        _ => "",
                    };
                    self.open_at.push((self.out.len(), self.depth));
                    Event::InlineHtml(CowStr::from(html))
                }
                Piece::Close(marker, attrs) => {
                    let Some((at, _)) = self.open_at.pop() else {
                        continue;
                    };
                    let attrs = match marker {
                        Marker::Badge => attrs.or_else(|| self.heading_badge.take()),
                        _ => attrs,
                    };
                    let mut linked = false;
                    if marker == Marker::Badge
                        && !plain
                        && let Some(attrs) = attrs
                    {
                        // `url="…"` makes it a link (Adobe's test page), not inside another.
                        let href = inline::badge_url(attrs.get("url"))
                            .0
                            .filter(|_| self.links.is_empty())
                            .map(|url| {
                                self.raw_link(url, range.start, escape_attr)
                                    .unwrap_or_else(|| escape_attr(url))
                            });
                        linked = href.is_some();
                        self.out[at].0 = Event::InlineHtml(CowStr::from(inline::badge_open(
                            &attrs,
                            href.as_deref(),
                        )));
                    }
                    match (marker, plain) {
                        (Marker::Badge, false) if linked => Event::InlineHtml(CowStr::from("</a>")),
                        (Marker::UiControl | Marker::Badge, false) => {
                            Event::InlineHtml(CowStr::from("</span>"))
                        }
                        (Marker::Dnl, false) => {
                            // A `:` or `;` ending its words is the sentence's, which machine
                            // translation put inside (`[!DNL IDFA:] 20915`): typeset.
                            let sign = match self.out.last_mut() {
                                Some((Event::Text(words), _)) => sentence_sign(words),
                                _ => None,
                            };
                            self.out
                                .push((Event::InlineHtml(CowStr::from(DNL_END)), range.clone()));
                            if let Some(sign) = sign {
                                self.out.push((Event::Text(sign), range.clone()));
                            }
                            continue;
                        }
                        _ => continue,
                    }
                }
            };
            self.out.push((event, range.clone()));
        }
    }

    /// A blockquote: an AFM block if its first words are `[!KIND…]`.
    fn block_quote(
        &mut self,
        kind: Option<BlockQuoteKind>,
        range: Range<usize>,
        mut rest: Vec<Spanned<'a>>,
    ) {
        let first = first_words(&rest);
        let Some((name, arg, marker_len)) = block_marker(&first) else {
            return self.plain_block_quote(kind, range, rest);
        };
        let at = range.start;
        let structural = |html: String, f: &mut Self, rest: Vec<Spanned<'a>>| {
            f.html(html, at);
            let kept = f.after_marker(rest, marker_len);
            // `>[!BEGINTABS]` with `>[!TAB Name]` on the next line is one paragraph (a
            // lazy line, as Adobe's Blueprints guide has it): the next marker is read in
            // the same quote, which closes once.
            if f.chained < MAX_CHAINED && starts_structural(&kept) {
                f.chained += 1;
                f.block_quote(kind, range.clone(), kept);
                f.chained = 0;
                return;
            }
            f.quotes.push(Some(String::new()));
            f.depth += 1;
            f.replay(kept);
        };
        match name.as_str() {
            "BEGINTABS" => {
                self.tabs
                    .push((false, (self.heading_level + 1).clamp(2, 6)));
                structural("<div class=\"afm-tabs\">\n".into(), self, rest);
            }
            "TAB" => {
                let mut html = String::new();
                let level = match self.tabs.last_mut() {
                    Some((open, level)) => {
                        if *open {
                            html.push_str("</section>\n");
                        }
                        *open = true;
                        *level
                    }
                    None => {
                        html.push_str("<div class=\"afm-tabs\">\n");
                        let level = (self.heading_level + 1).clamp(2, 6);
                        self.tabs.push((true, level));
                        level
                    }
                };
                self.tab_count += 1;
                let id = format!("tab-{}", self.tab_count);
                html.push_str(&format!(
                    "<section class=\"afm-tab\" aria-labelledby=\"{id}\">\n<h{level} class=\"afm-tab-title\" id=\"{id}\">{}</h{level}>\n",
                    escape_attr(&plain(arg.trim()))
                ));
                structural(html, self, rest);
            }
            "ENDTABS" => {
                let html = match self.tabs.pop() {
                    Some((true, _)) => "</section>\n</div>\n",
                    Some((false, _)) => "</div>\n",
                    None => "",
                };
                structural(html.into(), self, rest);
            }
            "BEGINSHADEBOX" => {
                self.shadeboxes += 1;
                structural("<div class=\"afm-shadebox\">\n".into(), self, rest);
            }
            "ENDSHADEBOX" if self.shadeboxes > 0 => {
                self.shadeboxes -= 1;
                structural("</div>\n".into(), self, rest);
            }
            "VIDEO" => match web_url(&rest) {
                Some(url) => {
                    let html = link_block("afm-video", &url);
                    rest.retain(|(e, _)| !is_in_paragraph_head(e));
                    structural(html, self, rest);
                }
                None => self.plain_block_quote(kind, range, rest),
            },
            callout if CALLOUTS.contains(&callout) => {
                let class = callout.to_ascii_lowercase();
                let mut html = format!("<blockquote class=\"markdown-alert-{class}\">\n");
                let title = plain(arg.trim());
                if !title.is_empty() {
                    html.push_str(&format!(
                        "<p class=\"markdown-alert-title\">{}</p>\n",
                        escape_attr(&title)
                    ));
                }
                self.html(html, at);
                self.quotes.push(Some("</blockquote>\n".into()));
                self.depth += 1;
                let kept = self.after_marker(rest, marker_len);
                self.replay(kept);
            }
            // The text of the help that Adobe's products show beside a control (`id=`,
            // `title=`, `abstract=` lines): not for the page, Experience League leaves
            // it out.
            "CONTEXTUALHELP" => self.hidden_quotes = 1,
            // Another embed, `>[!SLIDE](id)`.
            embed if marker_link(&rest).is_some() => {
                let html = self.embed(embed, &rest, at);
                rest.retain(|(e, _)| !is_in_paragraph_head(e));
                structural(html, self, rest);
            }
            _ => self.plain_block_quote(kind, range, rest),
        }
    }

    /// An embed other than a video (`>[!SLIDE](id)`): a link to it if it has a URL; else
    /// left out, with a warning at `at`.
    fn embed(&mut self, name: &str, rest: &[Spanned<'a>], at: usize) -> String {
        if let Some(url) = web_url(rest) {
            return link_block("afm-embed", &url);
        }
        let id = marker_link(rest).unwrap_or_default();
        self.found.left_out.push((
            at,
            format!(
                "`[!{name}]({id})` shows content that Experience League keeps by its id, which equipe cannot show: left out\nlink to where readers can see it instead"
            ),
        ));
        String::new()
    }

    fn plain_block_quote(
        &mut self,
        kind: Option<BlockQuoteKind>,
        range: Range<usize>,
        rest: Vec<Spanned<'a>>,
    ) {
        self.start(Event::Start(Tag::BlockQuote(kind)), range);
        self.quotes.push(None);
        self.replay(rest);
    }

    /// Puts back the events taken to judge a block, the marker's `marker_len` bytes of
    /// text and its line removed; a first paragraph left empty goes with them.
    fn after_marker(&mut self, rest: Vec<Spanned<'a>>, marker_len: usize) -> Vec<Spanned<'a>> {
        let mut skip = marker_len;
        let mut kept = Vec::with_capacity(rest.len());
        for (event, range) in rest {
            match event {
                Event::Text(t) if skip > 0 => {
                    if t.len() <= skip {
                        skip -= t.len();
                    } else {
                        let tail = t[skip..].to_string();
                        skip = 0;
                        kept.push((Event::Text(CowStr::from(tail)), range));
                    }
                }
                e => kept.push((e, range)),
            }
        }
        // The marker's own line: the rest of it (a title) was read already. If the first
        // paragraph goes on after that line, it stays, minus the line.
        if matches!(kept.first(), Some((Event::Start(Tag::Paragraph), _))) {
            match kept
                .iter()
                .position(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
            {
                Some(line_end) => {
                    kept.drain(1..=line_end);
                }
                None => {
                    kept.clear();
                    self.skip_paragraph = true;
                }
            }
        }
        kept
    }

    fn replay(&mut self, events: Vec<Spanned<'a>>) {
        let mut events = events.into_iter().peekable();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Text(t) => {
                    let mut range = range;
                    let run = joined(t, &mut range, &mut events, self.source);
                    self.text(run, range);
                }
                Event::Start(_) => self.start(event, range),
                Event::End(TagEnd::Link) => {
                    self.push(event, range);
                    self.last_closed = self.links.pop();
                    self.end();
                }
                e => self.push(e, range),
            }
        }
    }

    /// A paragraph (its inline events; its end follows in the stream). A line of it that
    /// starts with `+++` is a collapsible's edge, blank lines around it or not: `+++Title`
    /// opens one titled by the rest of its line, `+++` alone closes the one open. The
    /// text on either side of such a line stays in paragraphs of its own.
    fn paragraph(&mut self, range: Range<usize>, inner: Vec<Spanned<'a>>) {
        let lines = lines_of(&inner);
        if !lines.iter().any(|l| fold_of(&inner[l.clone()]).is_some()) {
            self.start(Event::Start(Tag::Paragraph), range);
            self.inline(inner);
            return;
        }
        let mut part: Vec<Spanned<'a>> = Vec::new();
        let mut events = inner.into_iter();
        for line in lines {
            let line: Vec<Spanned<'a>> = events.by_ref().take(line.len()).collect();
            let at = line.first().map_or(range.start, |(_, r)| r.start);
            match fold_of(&line) {
                Some(Fold::Close) if self.collapsibles > 0 => {
                    self.part(&mut part, true);
                    self.collapsibles -= 1;
                    self.html("</details>\n".into(), at);
                }
                Some(Fold::Open) => {
                    self.part(&mut part, true);
                    self.collapsibles += 1;
                    self.html("<details class=\"afm-collapse\"><summary>".into(), at);
                    self.depth += 1;
                    self.inline(summary_of(line));
                    self.html("</summary>\n".into(), at);
                    self.end();
                }
                _ => part.extend(line),
            }
        }
        // The paragraph's end, next in the stream, closes the last part.
        self.part(&mut part, false);
    }

    /// The text of a paragraph between collapsible edges, as a paragraph of its own;
    /// `close`d here, or by the paragraph's end to come (dropped if there is no text).
    fn part(&mut self, part: &mut Vec<Spanned<'a>>, close: bool) {
        while let Some((Event::SoftBreak | Event::HardBreak, _)) = part.last() {
            part.pop();
        }
        let (Some((_, first)), Some((_, last))) = (part.first(), part.last()) else {
            self.skip_paragraph = !close;
            return;
        };
        let range = first.start..last.end;
        self.start(Event::Start(Tag::Paragraph), range.clone());
        self.inline(std::mem::take(part));
        if close {
            self.end_tag(Event::End(TagEnd::Paragraph), range.end..range.end);
        }
    }

    /// Inline events of a paragraph, as the stream would have brought them.
    fn inline(&mut self, events: Vec<Spanned<'a>>) {
        let mut events = events.into_iter().peekable();
        while let Some((event, range)) = events.next() {
            self.event(event, range, &mut events);
        }
    }

    /// Markdown links in a line of raw HTML (`<td>See [the option](enable.md).</td>`,
    /// which CommonMark leaves as written: Adobe's guides have them in their HTML
    /// tables) as links, resolved and checked like the others; not in code, comments or
    /// scripts (see [`unread_spans_of_html`]), not images.
    fn markdown_links_in_html(
        &mut self,
        html: &str,
        open: Option<&'static str>,
        at: usize,
    ) -> CowStr<'a> {
        let mut out = String::with_capacity(html.len() + 32);
        let mut last = 0;
        let unread = unread_spans_of_html(html, &mut open.clone());
        for (close, _) in html.match_indices("](") {
            if close < last || unread.iter().any(|(r, _)| r.contains(&close)) {
                continue;
            }
            let Some(open) = html[last..close].rfind('[').map(|o| last + o) else {
                continue;
            };
            let text = &html[open + 1..close];
            let dest_start = close + 2;
            let Some(dest_len) = html[dest_start..].find(')') else {
                continue;
            };
            let dest = &html[dest_start..dest_start + dest_len];
            let plain = |s: &str, bad: &[char]| !s.is_empty() && !s.contains(bad);
            if html[..open].ends_with('!')
                || !plain(text, &['[', ']', '<', '>'])
                || !plain(dest, &[' ', '\t', '"', '<', '>', '('])
            {
                continue;
            }
            let href = self
                .raw_link(dest, at, escape_attr)
                .unwrap_or_else(|| escape_attr(dest));
            out.push_str(&html[last..open]);
            out.push_str(&format!("<a href=\"{href}\">{text}</a>"));
            last = dest_start + dest_len + 1;
        }
        out.push_str(&html[last..]);
        CowStr::from(out)
    }

    /// The `href` to write, escaped, for a link of raw HTML to `dest`: the URL of the page
    /// it goes to, or `dest` as `written` for a link to a `#fragment` of the page itself;
    /// either one's anchor is noted for checking. `None` for any other link, which stays
    /// as written (a broken one is reported).
    fn raw_link(&mut self, dest: &str, at: usize, written: fn(&str) -> String) -> Option<String> {
        let (href, anchor) = match self.resolver.resolve(dest, at) {
            LinkTarget::Internal { href, anchor, .. } => (escape_attr(&href), anchor),
            LinkTarget::SamePage { target, fragment } => (written(dest), Some((target, fragment))),
            LinkTarget::Broken(message) => {
                self.found.broken.push((at, message));
                return None;
            }
            LinkTarget::Warned(message) => {
                self.found.left_out.push((at, message));
                return None;
            }
            LinkTarget::External => return None,
        };
        if let Some(anchor) = anchor {
            self.found.anchors.push((at, anchor, href.clone()));
        }
        Some(href)
    }

    /// The words a raw HTML link to `dest` without any shows (into `out`, escaped), with a
    /// warning at `at`: its page's title, or its address for a link out.
    fn words_of_empty_link(&mut self, dest: &str, at: usize, out: &mut String) {
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        let (words, what) = if crate::site::is_external(path) {
            (crate::markdown::address(dest).to_string(), "its address")
        } else {
            match self.resolver.title(dest, at) {
                Some(title) => (title, "its page's title"),
                None => return,
            }
        };
        crate::text::escape_into(out, &words);
        let help = "write the link's words between its `<a …>` and `</a>`";
        let warning = crate::markdown::no_text_warning(&crate::markdown::short(dest), what, help);
        self.found.left_out.push((at, warning));
    }

    /// Rewrites the `href="…"` and `src="…"` of raw HTML that name a file of the site
    /// (a page's `.md`, an image) like Markdown links and images, checked the same way,
    /// and notes the anchors of those and of `href="#…"` links, except in comments
    /// (Adobe's Workfront guide comments out paragraphs that link to removed pages). Left
    /// as written, `<img src="assets/x.png">` would be looked for beside the page's own
    /// folder (`page/index.html`), where it is not.
    ///
    /// A link with no words (`<a href="…"></a>`: machine translation empties some) shows
    /// its page's title or its address, with a warning, as a Markdown one does; `closed_next`
    /// says that the `</a>` of `html`'s last tag is the next event.
    fn raw_html_links(
        &mut self,
        html: &str,
        open: Option<&'static str>,
        at: usize,
        closed_next: bool,
    ) -> CowStr<'a> {
        let mut out = String::with_capacity(html.len());
        // Looked for at the first link to check only: most raw HTML has none.
        let mut comments: Option<Vec<Range<usize>>> = None;
        let mut rest = html;
        while let Some(attribute) = next_url_attribute(rest) {
            let (found, start) = (attribute.name, attribute.value.start);
            let len = attribute.value.len();
            let dest = &rest[start..start + len];
            // Messages point at the URL itself, where the source has it as `html` does
            // (else at the HTML's start).
            let dest_at = at + (html.len() - rest.len()) + start;
            let dest_at = match self.source.get(dest_at..) {
                Some(there) if there.starts_with(dest) => dest_at,
                _ => at,
            };
            out.push_str(&rest[..start]);
            let path = dest.split(['#', '?']).next().unwrap_or(dest);
            let in_comment = |comments: &mut Option<Vec<Range<usize>>>| {
                let offset = html.len() - rest.len() + start;
                comments
                    .get_or_insert_with(|| {
                        unread_spans_of_html(html, &mut open.clone())
                            .into_iter()
                            .filter_map(|(r, end)| (end == "-->").then_some(r))
                            .collect()
                    })
                    .iter()
                    .any(|r| r.contains(&offset))
            };
            // A link to the page's own `#fragment` is checked too; it stays as written.
            let checked =
                !path.is_empty() && !crate::site::is_external(path) || dest.starts_with('#');
            let read = !in_comment(&mut comments);
            match (checked && read)
                .then(|| self.raw_link(dest, dest_at, str::to_string))
                .flatten()
            {
                // A value without quotes gets them: the URL may hold what ends one.
                Some(href) if !attribute.quoted => {
                    out.push('"');
                    out.push_str(&href);
                    out.push('"');
                }
                Some(href) => out.push_str(&href),
                None => out.push_str(dest),
            }
            // An `href` of an `<a …>` tag (not of `<link>`, `<area>`…).
            let is_link = attribute.href
                && html[..html.len() - rest.len() + found]
                    .rfind('<')
                    .is_some_and(|t| {
                        let tag = &html.as_bytes()[t..];
                        tag.len() > 2
                            && tag[1].eq_ignore_ascii_case(&b'a')
                            && tag[2].is_ascii_whitespace()
                    });
            rest = &rest[start + len..];
            if let Some(end) = rest.find('>').filter(|_| is_link && read) {
                let after = &rest[end + 1..];
                if after.starts_with("</a>") || closed_next && after.is_empty() {
                    out.push_str(&rest[..=end]);
                    rest = after;
                    self.words_of_empty_link(dest, dest_at, &mut out);
                }
            }
        }
        out.push_str(rest);
        CowStr::from(out)
    }

    fn finish(&mut self) {
        self.found.attrs.sort_by_key(|(offset, _)| *offset);
        let end = self.out.last().map_or(0, |(_, r)| r.end);
        let mut html = String::new();
        for (open, _) in self.tabs.drain(..).rev() {
            html.push_str(if open {
                "</section>\n</div>\n"
            } else {
                "</div>\n"
            });
        }
        html.push_str(&"</div>\n".repeat(self.shadeboxes));
        html.push_str(&"</details>\n".repeat(self.collapsibles + self.closed_after_lists));
        if !html.is_empty() {
            self.html(html, end);
        }
    }
}

/// The `:` or `;` that ends `words` (with the spaces before it), taken off them.
fn sentence_sign<'a>(words: &mut CowStr<'a>) -> Option<CowStr<'a>> {
    let signs = words.trim_end_matches([':', ';']).len();
    if signs == words.len() {
        return None;
    }
    let start = words[..signs]
        .trim_end_matches([' ', '\u{a0}', '\u{202f}'])
        .len();
    let sign = CowStr::from(words[start..].to_string());
    *words = CowStr::from(words[..start].to_string());
    Some(sign)
}

/// Raw HTML's `<a name="x">` anchors as `<a id="x">`: a link to `#x` lands on either in
/// a browser, but `name` is not an attribute pages keep (the cleaning drops it), and the
/// anchors' check reads ids. Marketo's developer guide names 68 rows of a table so, and
/// links to them. An `<a>` with an id of its own keeps it.
fn named_anchors(html: CowStr<'_>) -> CowStr<'_> {
    let mut out = String::new();
    let mut last = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), "<a name=") {
        let tag = &html[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.contains(" id=") {
            continue;
        }
        out.push_str(&html[last..at]);
        out.push_str("<a id=");
        last = at + "<a name=".len();
    }
    if last == 0 {
        return html;
    }
    out.push_str(&html[last..]);
    CowStr::from(out)
}

/// An `href` or `src` attribute of a tag in raw HTML: where its name starts, where its
/// value starts and ends (without its quotes), and whether it is quoted.
struct UrlAttribute {
    name: usize,
    value: Range<usize>,
    quoted: bool,
    href: bool,
}

/// The next `href` or `src` attribute of a tag in `html`, written in any of HTML's ways
/// (Experience Manager Guides has `<img  src ="assets/x.png">`): any case, spaces around
/// its `=`, its value in double quotes, single quotes or none.
fn next_url_attribute(html: &str) -> Option<UrlAttribute> {
    let bytes = html.as_bytes();
    let skip = |at: &mut usize| {
        while bytes.get(*at).is_some_and(|b| *b == b' ' || *b == b'\t') {
            *at += 1;
        }
    };
    // From each `=` (few, and found fast), back over spaces to the attribute's name.
    for equals in memchr::memchr_iter(b'=', bytes) {
        let name_end = bytes[..equals]
            .iter()
            .rposition(|b| *b != b' ' && *b != b'\t')
            .map_or(0, |at| at + 1);
        let named = |name: &[u8]| {
            name_end > name.len()
                && bytes[name_end - name.len()..name_end].eq_ignore_ascii_case(name)
                && bytes[name_end - name.len() - 1].is_ascii_whitespace()
        };
        let href = named(b"href");
        if !href && !named(b"src") {
            continue;
        }
        let found = name_end - if href { 4 } else { 3 };
        // Inside a tag: its `<` comes after the last `>`.
        let before = &html[..found];
        if before
            .rfind('<')
            .is_none_or(|lt| before.rfind('>').is_some_and(|gt| gt > lt))
        {
            continue;
        }
        let mut at = equals + 1;
        skip(&mut at);
        let (value, quoted) = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let Some(len) = memchr::memchr(quote, &bytes[at + 1..]) else {
                    continue;
                };
                (at + 1..at + 1 + len, true)
            }
            Some(_) => {
                let len = bytes[at..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .unwrap_or(bytes.len() - at);
                (at..at + len, false)
            }
            None => continue,
        };
        return Some(UrlAttribute {
            name: found,
            value,
            quoted,
            href,
        });
    }
    None
}

/// How many markers one quote's first paragraph may hold in a row, a line each (a deeper
/// chain would be a deeper recursion of [`Filter::block_quote`]; no guide has more than
/// two).
const MAX_CHAINED: usize = 16;

/// Whether `events` (what is left of a quote's first paragraph after a marker's line)
/// start with the line of a marker that opens or closes tabs or a shade box.
fn starts_structural(events: &[Spanned<'_>]) -> bool {
    matches!(events.first(), Some((Event::Start(Tag::Paragraph), _)))
        && block_marker(&first_words(events)).is_some_and(|(name, ..)| {
            matches!(
                name.as_str(),
                "BEGINTABS" | "TAB" | "ENDTABS" | "BEGINSHADEBOX" | "ENDSHADEBOX"
            )
        })
}

/// The text a block starts with, up to its first non-text event.
fn first_words(events: &[Spanned<'_>]) -> String {
    let mut words = String::new();
    for (e, _) in events {
        match e {
            Event::Start(Tag::Paragraph) => {}
            Event::Text(t) => words.push_str(t),
            // `[!VIDEO](url)`: the link's text, bracketed back.
            Event::Start(Tag::Link { .. }) if words.is_empty() => words.push('['),
            Event::End(TagEnd::Link) => {
                words.push(']');
                break;
            }
            _ => break,
        }
    }
    words
}

/// A collapsible's edge: which one a line of a paragraph is.
#[derive(Debug, PartialEq)]
enum Fold {
    Open,
    Close,
}

/// Whether a line (inline events, its line break included) is a collapsible's edge.
fn fold_of(line: &[Spanned<'_>]) -> Option<Fold> {
    let (Event::Text(first), _) = line.first()? else {
        return None;
    };
    let title = first.strip_prefix("+++")?;
    let blank = |e: &Event<'_>| match e {
        Event::Text(t) => t.trim().is_empty(),
        Event::SoftBreak | Event::HardBreak => true,
        _ => false,
    };
    if title.trim().is_empty() && line[1..].iter().all(|(e, _)| blank(e)) {
        Some(Fold::Close)
    } else {
        Some(Fold::Open)
    }
}

/// A `+++Title` line's title: its events without the `+++` and the line break.
fn summary_of(mut line: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    while let Some((Event::SoftBreak | Event::HardBreak, _)) = line.last() {
        line.pop();
    }
    if let Some((Event::Text(first), range)) = line.first_mut() {
        let title = first.strip_prefix("+++").unwrap_or(first).trim_start();
        let skipped = first.len() - title.len();
        if title.is_empty() {
            line.remove(0);
        } else {
            *first = CowStr::from(title.to_string());
            range.start += skipped.min(range.len());
        }
    }
    line
}

/// The lines of a paragraph's inline events: index ranges, each ending after its line
/// break. A break inside emphasis or a link does not end a line here (the line that
/// follows it cannot be an edge without breaking that span).
fn lines_of(events: &[Spanned<'_>]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => {
                lines.push(start..i + 1);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < events.len() {
        lines.push(start..events.len());
    }
    lines
}

fn is_in_paragraph_head(e: &Event<'_>) -> bool {
    matches!(
        e,
        Event::Text(_) | Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)
    )
}

/// `[!NAME]` or `[!NAME argument]` (followed by a title for callouts): the name, the
/// argument or title, and the length of text the marker takes.
fn block_marker(words: &str) -> Option<(String, String, usize)> {
    let rest = words.strip_prefix("[!")?;
    let name_len = rest.bytes().take_while(u8::is_ascii_uppercase).count();
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    if let Some(arg) = after.strip_prefix(' ') {
        // `[!TAB name]`: the argument runs to the last `]` of the line.
        let line = arg.split('\n').next().unwrap_or(arg);
        let close = line.rfind(']')?;
        return Some((
            name.to_string(),
            arg[..close].to_string(),
            2 + name_len + 1 + close + 1,
        ));
    }
    let after = after.strip_prefix(']')?;
    let title = after.split('\n').next().unwrap_or("");
    Some((
        name.to_string(),
        title.to_string(),
        2 + name_len + 1 + title.len(),
    ))
}

/// The destination of the link that a block's marker is (`>[!SLIDE](id)`), if it is one.
fn marker_link(events: &[Spanned<'_>]) -> Option<String> {
    events.iter().find_map(|(e, _)| match e {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    })
}

/// The marker's link (see [`marker_link`]) if it goes to the web (`>[!VIDEO](https://…)`).
fn web_url(events: &[Spanned<'_>]) -> Option<String> {
    marker_link(events).filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

/// An embed as what it is without a player: a paragraph of `class` with a link to `url`
/// (nothing loads before a click).
fn link_block(class: &str, url: &str) -> String {
    // The link reads as where it goes, without the player's settings
    // (`video.tv.adobe.com/v/3458327`, not `https://…/?learn=on&enablevpops=true`).
    let shown = url.split_once("://").map_or(url, |(_, rest)| rest);
    let shown = shown
        .split(['?', '#'])
        .next()
        .unwrap_or(shown)
        .trim_end_matches('/');
    format!(
        "<p class=\"{class}\"><a href=\"{}\" rel=\"noopener\">{}</a></p>\n",
        escape_attr(url),
        escape_attr(shown)
    )
}

/// Puts the attribute lists [`filter`] found on their links and images, once the links
/// are resolved: a link or image with attributes is written as HTML here.
pub(crate) fn apply_attrs(events: &mut Vec<Spanned<'_>>, attrs: &[(usize, Attrs)]) {
    if attrs.is_empty() {
        return;
    }
    let find = |offset: usize| {
        attrs
            .binary_search_by_key(&offset, |(o, _)| *o)
            .ok()
            .map(|i| &attrs[i].1)
    };
    let mut out = Vec::with_capacity(events.len());
    let mut links: Vec<bool> = Vec::new();
    let mut events_iter = std::mem::take(events).into_iter();
    while let Some((event, range)) = events_iter.next() {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if let Some(a) = find(range.start) => {
                let mut alt = String::new();
                let mut depth = 0;
                for (e, _) in events_iter.by_ref() {
                    match e {
                        Event::End(TagEnd::Image) if depth == 0 => break,
                        Event::Start(_) => depth += 1,
                        Event::End(_) => depth -= 1,
                        Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                        _ => {}
                    }
                }
                let mut html = format!(
                    "<img src=\"{}\" alt=\"{}\"",
                    escape_attr(&dest_url),
                    escape_attr(&alt)
                );
                if !title.is_empty() {
                    html.push_str(&format!(" title=\"{}\"", escape_attr(&title)));
                }
                html.push_str(&a.to_html());
                html.push_str(" />");
                out.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            Event::Start(Tag::Link {
                ref dest_url,
                ref title,
                ..
            }) => {
                let Some(a) = find(range.start) else {
                    links.push(false);
                    out.push((event, range));
                    continue;
                };
                let mut html = format!("<a href=\"{}\"", escape_attr(dest_url));
                if !title.is_empty() {
                    html.push_str(&format!(" title=\"{}\"", escape_attr(title)));
                }
                html.push_str(&a.to_html());
                html.push('>');
                links.push(true);
                out.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            Event::End(TagEnd::Link) => {
                let event = match links.pop() {
                    Some(true) => Event::InlineHtml(CowStr::from("</a>")),
                    _ => event,
                };
                out.push((event, range));
            }
            // A link the Markdown stage resolved and wrote as HTML.
            Event::InlineHtml(ref html) if html.starts_with("<a href=") && html.ends_with('>') => {
                match find(range.start) {
                    Some(a) => {
                        let html = format!("{}{}>", &html[..html.len() - 1], a.to_html());
                        out.push((Event::InlineHtml(CowStr::from(html)), range));
                    }
                    None => out.push((event, range)),
                }
            }
            e => out.push((e, range)),
        }
    }
    *events = out;
}

/// The byte ranges of `line`, a line of raw HTML, that are not text: code (`<code>`,
/// `<pre>`), scripts, styles and comments. `open` is the end awaited of one that the
/// lines before left open, and is updated to the line's end. Each span comes with the
/// end that closes it (`-->` for a comment).
fn unread_spans_of_html(
    line: &str,
    open: &mut Option<&'static str>,
) -> Vec<(Range<usize>, &'static str)> {
    const SPANS: &[(&str, &str)] = &[
        ("<!--", "-->"),
        ("<pre", "</pre>"),
        ("<code", "</code>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
    ];
    let mut spans = Vec::new();
    let mut from = 0;
    loop {
        let (start, close) = match *open {
            Some(close) => (from, close),
            None => {
                // One pass over the line's `<`s, most of which open no such span.
                let first = memchr::memchr_iter(b'<', &line.as_bytes()[from..]).find_map(|at| {
                    let at = from + at;
                    SPANS
                        .iter()
                        .find(|(o, _)| line[at..].starts_with(o))
                        .map(|(o, c)| (at, *o, *c))
                });
                let Some((at, o, c)) = first else {
                    return spans;
                };
                from = at;
                (at + o.len(), c)
            }
        };
        match line[start..].find(close) {
            Some(end) => {
                spans.push((from..start + end, close));
                from = start + end + close.len();
                *open = None;
            }
            None => {
                spans.push((from..line.len(), close));
                *open = Some(close);
                return spans;
            }
        }
    }
}
/// `first` and the text events right after it in `rest`, taken from it, as one text;
/// `range` grows to cover them. One string grows for a run of many pieces (a new one for
/// each piece copied the run again and again).
///
/// A marker's words that end with a backslash keep it (`[!DNL C:\\Windows\\Temp\\]`, as
/// Adobe's Data Workbench writes folders): Adobe's renderer reads markers before backslash
/// escapes, so the `]` closes the marker there; to CommonMark it was an escaped bracket,
/// and the backslash was lost. Only a bracket that would close a marker opened in the run
/// gets it back; any other escaped bracket is a bracket.
fn joined<'a, I: Iterator<Item = Spanned<'a>>>(
    first: CowStr<'a>,
    range: &mut Range<usize>,
    rest: &mut Peekable<I>,
    source: &str,
) -> CowStr<'a> {
    let mut run: Option<String> = None;
    while let Some((Event::Text(next), r)) = rest.next_if(|(e, _)| matches!(e, Event::Text(_))) {
        let run = run.get_or_insert_with(|| first.to_string());
        if next.starts_with(']') && escaped(source, r.start) && in_open_marker(run) {
            run.push('\\');
        }
        run.push_str(&next);
        range.end = r.end;
    }
    run.map_or(first, CowStr::from)
}

/// Whether the byte of `source` at `at` is escaped: after an odd number of backslashes.
fn escaped(source: &str, at: usize) -> bool {
    let before = source.as_bytes().get(..at).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Whether `run` ends inside a marker's words: a `[!DNL ` or `[!UICONTROL ` with no
/// bracket after it.
fn in_open_marker(run: &str) -> bool {
    ["[!DNL ", "[!UICONTROL "].iter().any(|marker| {
        run.rfind(marker)
            .is_some_and(|at| !run[at + 1..].contains(['[', ']']))
    })
}
