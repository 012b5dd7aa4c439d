//! French typography: the spaces and apostrophes French print rules ask for.
//!
//! Applied to the text of French pages only (never code, URLs or HTML attributes, which
//! never reach it: the markdown stage passes text nodes alone). A narrow no-break space
//! goes before `;`, `!` and `?`, a no-break space before `:` and inside `« »`, and the
//! straight apostrophe between letters becomes `’`. Writers who typed the space keep it,
//! made unbreakable; writers who did not get it added, except where the sign is glued to
//! something that is not prose (`10:30`, `https://`, `?id=3`, `!important`).

use std::borrow::Cow;

/// Which typographic rules a language uses.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Typography {
    #[default]
    None,
    French,
}

impl Typography {
    /// `typography:` of a language in site.yaml; French languages default to French rules.
    pub fn for_language(code: &str, setting: Option<&str>) -> Typography {
        match setting {
            Some("fr") => Typography::French,
            Some(_) => Typography::None,
            None if code == "fr" || code.starts_with("fr-") => Typography::French,
            None => Typography::None,
        }
    }

    pub fn apply(self, text: &str) -> String {
        self.apply_between(text, None, None).into_owned()
    }

    /// Like [`Typography::apply`] for a text that sits between others, as a text node
    /// does beside a link or emphasis (`l'<a>architecte</a>`): `before` and `after` are
    /// the characters that touch it in the neighbouring texts. They decide the rules at
    /// the edges and are not written.
    /// A text with nothing to change is given back as it is, not copied.
    pub fn apply_between(
        self,
        text: &str,
        before: Option<char>,
        after: Option<char>,
    ) -> Cow<'_, str> {
        match self {
            Typography::None => Cow::Borrowed(text),
            Typography::French => french(text, before, after),
        }
    }
}

const NNBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

fn french(text: &str, before: Option<char>, after: Option<char>) -> Cow<'_, str> {
    // Most text nodes (split by links and emphasis) have no sign to space: kept as they
    // are. Looked for as bytes (`«` and `»` by their last byte, which a few other letters
    // share: those are passed over).
    let Some(mut at) = first_sign(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    // `text[..copied]` is in `out`, rewritten; the text between signs is copied whole.
    let mut copied = 0;
    // A space the neighbouring text's `«` opens is unbreakable.
    if text.starts_with(' ') && before == Some('«') {
        out.push(NBSP);
        copied = 1;
    }
    loop {
        let mut start = at;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let c = text[start..].chars().next().unwrap_or_default();
        let end = start + c.len_utf8();
        if matches!(c, ';' | '!' | '?' | ':' | '\'' | '«' | '»') {
            out.push_str(&text[copied..start]);
            copied = end;
            let prev = text[..start].chars().next_back().or(before);
            let next = text[end..]
                .chars()
                .next()
                .or(if end == text.len() { after } else { None });
            sign(&mut out, c, start == 0, prev, next);
            // The space after a `«` is unbreakable.
            if c == '«' && text[end..].starts_with(' ') {
                out.push(NBSP);
                copied += 1;
            }
        }
        let from = end.max(copied);
        match first_sign(&text.as_bytes()[from..]) {
            Some(n) => at = from + n,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    // A space before the neighbouring text's `»` is unbreakable.
    if after == Some('»') && copied < text.len() && out.ends_with(' ') {
        out.pop();
        out.push(NBSP);
    }
    Cow::Owned(out)
}

/// Where the first byte of a sign is in `bytes`, if any (`«` and `»` by their last
/// byte, which a few other letters share: those are passed over). Sixteen bytes at a
/// time where the processor has SSE2 (every x86-64 does): a test of each byte in turn
/// was 0.9% of a first build's instructions, on a site of French and English pages.
fn first_sign(bytes: &[u8]) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: built only where SSE2 is enabled for the whole program.
    let (start, found) = unsafe { first_sign_sse2(bytes) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    let (start, found) = (0, None);
    found.or_else(|| {
        bytes[start..]
            .iter()
            .position(|b| SIGNS.contains(b))
            .map(|n| start + n)
    })
}

/// The bytes [`first_sign`] looks for.
const SIGNS: [u8; 7] = [b';', b'!', b'?', b':', b'\'', 0xAB, 0xBB];

/// [`first_sign`] in the whole sixteen-byte blocks of `bytes`: where it is, or where the
/// bytes left to look at start.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn first_sign_sse2(bytes: &[u8]) -> (usize, Option<usize>) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let signs = SIGNS.map(|b| _mm_set1_epi8(b as i8));
    let mut start = 0;
    while let Some(chunk) = bytes.get(start..start + 16) {
        // SAFETY: `chunk` is 16 bytes long, which is what is read (unaligned).
        let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
        let any = signs[1..]
            .iter()
            .fold(_mm_cmpeq_epi8(v, signs[0]), |any, &sign| {
                _mm_or_si128(any, _mm_cmpeq_epi8(v, sign))
            });
        let found = _mm_movemask_epi8(any);
        if found != 0 {
            return (start, Some(start + found.trailing_zeros() as usize));
        }
        start += 16;
    }
    (start, None)
}

/// Writes sign `c` (at the start of its text if `first`, between `prev` and `next`) with
/// the spaces it takes before it and after it.
fn sign(out: &mut String, c: char, first: bool, prev: Option<char>, next: Option<char>) {
    let spaced = |p: Option<char>| p == Some(' ') || p == Some(NBSP) || p == Some(NNBSP);
    match c {
        ';' | '!' | '?' | ':' => {
            let space = if c == ':' { NBSP } else { NNBSP };
            let typed = spaced(prev);
            // A space typed in the text before (`*mot* !`) cannot be replaced here.
            if needs_space_before(c, prev, next) && !(typed && first) {
                // Replace a typed space, or add one.
                if typed {
                    out.pop();
                }
                out.push(space);
            }
            out.push(c);
        }
        '«' => {
            out.push(c);
            if next != Some(' ') && next != Some(NBSP) && next.is_some() {
                out.push(NBSP);
            }
        }
        '»' => {
            // The space typed before it, written as it was.
            if prev == Some(' ') && !first && out.ends_with(' ') {
                out.pop();
                out.push(NBSP);
            } else if prev.is_some() && !spaced(prev) {
                out.push(NBSP);
            }
            out.push(c);
        }
        '\'' if prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic) => {
            out.push('’');
        }
        c => out.push(c),
    }
}

fn needs_space_before(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let Some(prev) = prev else {
        return false; // start of a text: `?` at the start of a line stays as it is
    };
    // Glued to a word or to code on the right: `https://`, `?id=3`, `!important`, `10:30`,
    // `a:b`, a Windows path (`C:\Program Files`), a `::` path (`alchemist::type`, Substance
    // 3D Sampler's French pages), `editorCss:{}` (Livefyre's); or quoted alone as a
    // character (`":"`, Livefyre's too).
    if next.is_some_and(|n| {
        n.is_alphanumeric() || matches!(n, '/' | '=' | '_' | '\\' | ':' | '{' | '[')
    }) || (matches!(prev, '"' | '\'') && next == Some(prev))
    {
        return false;
    }
    if prev == ' ' || prev == NBSP || prev == NNBSP {
        return true;
    }
    // `?!`, `!!`, `...:` : one space before the group only.
    if matches!(prev, '!' | '?' | ';' | ':' | '.') {
        return false;
    }
    let _ = c;
    prev.is_alphanumeric() || matches!(prev, ')' | '»' | '"' | '’' | '\'' | '*' | '_' | ']')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(s: &str) -> String {
        Typography::French.apply(s)
    }

    /// The rules applied char by char, as they were before `french` copied the text
    /// between signs whole (the signs' own rules are `sign`'s, checked by the examples
    /// above): the reference the text's copying is checked against.
    fn french_reference(text: &str, before: Option<char>, after: Option<char>) -> String {
        if !text
            .bytes()
            .any(|b| matches!(b, b';' | b'!' | b'?' | b':' | b'\'' | 0xAB | 0xBB))
        {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]).or(before);
            let next =
                chars
                    .get(i + 1)
                    .copied()
                    .or(if i + 1 == chars.len() { after } else { None });
            match c {
                // Spaces beside guillemets, one char at a time.
                ' ' if next == Some('»') || (prev == Some('«')) => out.push(NBSP),
                '»' => {
                    if prev.is_some_and(|p| p != ' ' && p != NBSP && p != NNBSP) {
                        out.push(NBSP);
                    }
                    out.push(c);
                }
                ';' | '!' | '?' | ':' | '\'' | '«' => sign(&mut out, c, i == 0, prev, next),
                c => out.push(c),
            }
        }
        out
    }

    /// Every text of up to 4 characters from an alphabet of the signs, spaces, letters
    /// and letters sharing `«`'s and `»`'s last bytes, between every pair of neighbours.
    #[test]
    fn same_as_the_rules_char_by_char() {
        let alphabet = [
            ';', '!', '?', ':', '\'', '«', '»', ' ', NBSP, NNBSP, 'a', '1', '/', '.', 'л', 'ë',
        ];
        let edges = [None, Some(' '), Some('a'), Some('«'), Some('»'), Some('!')];
        let mut texts = vec![String::new()];
        let mut last = texts.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |&c| format!("{t}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        for text in &texts {
            for &before in &edges {
                for &after in &edges {
                    assert_eq!(
                        Typography::French.apply_between(text, before, after),
                        french_reference(text, before, after),
                        "{text:?} between {before:?} and {after:?}"
                    );
                }
            }
        }
    }

    /// Texts long enough to be searched sixteen bytes at a time: each sign (and each
    /// letter sharing a last byte with `«` or `»`) at each place of the blocks.
    #[test]
    fn signs_found_anywhere_in_long_texts() {
        for sign in [';', '!', '?', ':', '\'', '«', '»', 'л', 'ë'] {
            for before in 0..40 {
                for letter in ["a", "é"] {
                    let text = format!("{}{sign} mot{}", letter.repeat(before), "z".repeat(20));
                    assert_eq!(fr(&text), french_reference(&text, None, None), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn spaces_before_double_signs() {
        assert_eq!(fr("Bonjour !"), "Bonjour\u{202f}!");
        assert_eq!(fr("Vraiment?"), "Vraiment\u{202f}?");
        assert_eq!(
            fr("Note : lire ceci ; puis cela"),
            "Note\u{a0}: lire ceci\u{202f}; puis cela"
        );
        assert_eq!(fr("Quoi ?!"), "Quoi\u{202f}?!");
    }

    #[test]
    fn guillemets() {
        assert_eq!(fr("« Bonjour »"), "«\u{a0}Bonjour\u{a0}»");
        assert_eq!(fr("«Bonjour»"), "«\u{a0}Bonjour\u{a0}»");
    }

    #[test]
    fn apostrophes() {
        assert_eq!(fr("l'équipe d'entrepôt"), "l’équipe d’entrepôt");
        assert_eq!(fr("'cité'"), "'cité'");
    }

    #[test]
    fn neighbours_decide_at_the_edges() {
        let fr = Typography::French;
        // `l'<a>architecte</a>`, `<em>Note</em> :`, `<b>attention</b>!`
        assert_eq!(fr.apply_between("de l'", Some(' '), Some('a')), "de l’");
        assert_eq!(fr.apply_between("'s", Some('t'), None), "’s");
        assert_eq!(
            fr.apply_between("! suite", Some('n'), None),
            "\u{202f}! suite"
        );
        assert_eq!(fr.apply_between(" !", Some('n'), None), "\u{202f}!");
        assert_eq!(fr.apply_between("l'", None, Some(' ')), "l'");
    }

    #[test]
    fn tricky_cases_are_left_alone() {
        assert_eq!(fr("https://example.org/a?b=1"), "https://example.org/a?b=1");
        assert_eq!(fr("à 10:30 précises"), "à 10:30 précises");
        assert_eq!(fr("sous C:\\Program Files"), "sous C:\\Program Files");
        assert_eq!(
            fr("alchemist::variation::type=multi"),
            "alchemist::variation::type=multi"
        );
        assert_eq!(fr("? au début"), "? au début");
        assert_eq!(
            fr("les caractères tels que \":\", \".\" ou '?'"),
            "les caractères tels que \":\", \".\" ou '?'"
        );
        assert_eq!(
            fr("l’objet editorCss:{} ou a:[1]"),
            "l’objet editorCss:{} ou a:[1]"
        );
        assert_eq!(fr("Il dit \"non!\""), "Il dit \"non\u{202f}!\"");
        assert_eq!(fr("color: red !important"), "color\u{a0}: red !important");
    }

    #[test]
    fn other_languages_untouched() {
        assert_eq!(Typography::None.apply("Hello : world !"), "Hello : world !");
        assert_eq!(Typography::for_language("fr-ca", None), Typography::French);
        assert_eq!(
            Typography::for_language("en", Some("fr")),
            Typography::French
        );
        assert_eq!(
            Typography::for_language("fr", Some("none")),
            Typography::None
        );
    }
}
