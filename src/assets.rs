//! Fingerprinted asset names: `assets/style.css` is also written as
//! `assets/style.3f9a1c2b.css`, named by a hash of its content, so that a CDN or a
//! browser may cache it forever; templates link the fingerprinted name through the
//! `assets` map (`{{ root }}{{ assets["assets/style.css"] }}`).
//!
//! The unfingerprinted copy stays, for templates of older themes that link it directly.
//! `equipe serve` turns fingerprinting off so that a stylesheet edit keeps its name and
//! can be swapped in place without reloading the page.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::files::StaticFile;
use crate::hash::fnv1a;

/// Which files get a fingerprint: what pages link and what changes between releases.
pub(crate) fn is_fingerprinted(path: &str) -> bool {
    path.starts_with("assets/") && (path.ends_with(".css") || path.ends_with(".js"))
}

/// `assets/style.css` + hash -> `assets/style.3f9a1c2b.css`.
fn fingerprinted_name(path: &str, bytes: &[u8]) -> String {
    let hash = fnv1a(bytes) as u32;
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash:08x}.{ext}"),
        None => format!("{path}.{hash:08x}"),
    }
}

/// The fingerprinted name of each asset that gets one: `(plain, fingerprinted)`. An asset
/// that cannot be read is left out ([`fingerprint`] reports it).
pub(crate) fn fingerprinted_paths(statics: &[StaticFile]) -> Vec<(String, String)> {
    statics
        .iter()
        .filter(|s| is_fingerprinted(&s.path))
        .filter_map(|s| {
            let bytes = s.bytes.read().ok()?;
            Some((s.path.clone(), fingerprinted_name(&s.path, &bytes)))
        })
        .collect()
}

/// Adds fingerprinted copies of the static assets. Returns the map from each asset's plain
/// name to the name pages should link. Generated assets (the search indexes) keep their
/// plain names: they change with every text of the site, and a fingerprint in their name
/// would change every page that links them, so that one edit rewrote the whole site.
/// A static file already at a fingerprinted name wins over the copy (see
/// [`crate::collisions`]).
pub(crate) fn fingerprint(
    statics: &mut Vec<StaticFile>,
    generated: &[String],
    enabled: bool,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut urls = BTreeMap::new();
    let mut copies = Vec::new();
    let taken: std::collections::HashSet<String> = statics.iter().map(|s| s.path.clone()).collect();
    for s in statics.iter() {
        let name = if enabled && is_fingerprinted(&s.path) {
            let bytes = s.bytes.read().map_err(|e| {
                Diagnostic::error(format!("cannot read static file `{}`: {e}", s.path))
            })?;
            let name = fingerprinted_name(&s.path, &bytes);
            if !taken.contains(&name) {
                copies.push(StaticFile {
                    path: name.clone(),
                    bytes: s.bytes.clone(),
                });
            }
            name
        } else {
            s.path.clone()
        };
        urls.insert(s.path.clone(), name);
    }
    statics.extend(copies);
    for path in generated {
        urls.insert(path.clone(), path.clone());
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_content() {
        let a = fingerprinted_name("assets/style.css", b"body{}");
        assert!(
            a.starts_with("assets/style.")
                && a.ends_with(".css")
                && a.len() == "assets/style..css".len() + 8
        );
        assert_eq!(a, fingerprinted_name("assets/style.css", b"body{}"));
        assert_ne!(a, fingerprinted_name("assets/style.css", b"body{ }"));
    }

    #[test]
    fn generated_files_keep_their_names() {
        let mut statics = Vec::new();
        let generated = vec!["assets/search-fr.js".to_string()];
        let urls = fingerprint(&mut statics, &generated, true).expect("fingerprint");
        assert_eq!(urls["assets/search-fr.js"], "assets/search-fr.js");
    }
}
