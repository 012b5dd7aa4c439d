//! What a theme's templates read, found in their text: the tags of a template and the
//! variables they name. Tera 2 gives no syntax tree to ask; reading the tags as text is
//! enough to tell, conservatively, that a template reads no more than some fields of a
//! variable (see `toc_edit` and `render::prepared`).

/// What a tag is: `{{ … }}` shows a value, `{% … %}` is a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagKind {
    Expression,
    Statement,
}

/// Each tag of a template but its comments (`{# … #}`), with its kind and its code as
/// written; `None` if a tag is not closed.
pub(crate) fn raw_tags(source: &str) -> Option<Vec<(TagKind, &str)>> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find('{') {
        rest = &rest[at + 1..];
        let (kind, close) = match rest.as_bytes().first() {
            Some(b'{') => (Some(TagKind::Expression), "}}"),
            Some(b'%') => (Some(TagKind::Statement), "%}"),
            Some(b'#') => (None, "#}"),
            _ => continue,
        };
        let end = rest.find(close)?;
        let code = &rest[1..end];
        rest = &rest[end + 2..];
        if let Some(kind) = kind {
            out.push((kind, code));
        }
    }
    Some(out)
}

/// The code of each tag of a template (comments left out), with its string literals
/// emptied and its whitespace control (`-`) trimmed; `None` if a tag is not closed.
pub(crate) fn tags(source: &str) -> Option<Vec<String>> {
    let tags = raw_tags(source)?;
    Some(
        tags.into_iter()
            .map(|(_, code)| without_strings(code.trim_matches(['-', ' ', '\n', '\t', '\r'])))
            .collect(),
    )
}

/// `code` with the text of its string literals left out (their quotes kept).
fn without_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote = None;
    for c in code.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The words of a tag's code (names and numbers).
pub(crate) fn words(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !is_word(c)).filter(|w| !w.is_empty())
}

/// Each variable a tag's code names (not an attribute of another), with the attribute
/// after it if there is one (`page.toc` is `("page", Some("toc"))`).
pub(crate) fn names(code: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < code.len() {
        let c = code[at..].chars().next().unwrap_or(' ');
        if !is_word(c) {
            at += c.len_utf8();
            continue;
        }
        let end = code[at..]
            .find(|c: char| !is_word(c))
            .map_or(code.len(), |e| at + e);
        let name = &code[at..end];
        let attribute = code[..at].ends_with('.') || code[..at].ends_with("?.");
        if !attribute && !name.starts_with(|c: char| c.is_ascii_digit()) {
            let field = code[end..].strip_prefix('.').map(|rest| {
                let len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
                &rest[..len]
            });
            out.push((name, field.filter(|f| !f.is_empty())));
        }
        at = end;
    }
    out
}

/// Whether a tag gives one of `variables` another value (`set`, `set_global`, a `for`
/// loop's names). `set x = x` gives none: the default theme sets names again so that
/// Tera finds them sooner (see its `base.html`).
pub(crate) fn binds(code: &str, variables: &[&str]) -> bool {
    if let ["set" | "set_global", name, "=", value] =
        code.split_whitespace().collect::<Vec<_>>()[..]
        && name == value
    {
        return false;
    }
    let mut words = words(code);
    let bound: Vec<&str> = match words.next() {
        Some("set" | "set_global") => words.take(1).collect(),
        Some("for") => words.take_while(|w| *w != "in").collect(),
        _ => return false,
    };
    bound.iter().any(|w| variables.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_set_to_itself_is_not_bound_again() {
        let page = ["page", "t"];
        for code in ["set page = page", "set  t  =  t", "set_global t = t"] {
            assert!(!binds(code, &page), "{code}");
        }
        for code in [
            "set page = other",
            "set t = t | upper",
            "set t = t.roles",
            "set page = -page",
            "set t=t",
            "for page in pages",
            "for k, t in x",
            "set_global page = 1",
        ] {
            assert!(binds(code, &page), "{code}");
        }
        assert!(!binds("set other = page", &page));
    }
}
