//! The live-reload client and where it goes in a served page. The client is a real
//! JavaScript file, `live-reload.js` next to this module, built into the binary and served
//! at [`SCRIPT_PATH`]; a served HTML page gets one `<script>` tag that loads it and says
//! which build the page came from. `build` never sees either.

use axum::body::Body;
use axum::response::Response;

use super::http::{EVENTS_PATH, set_headers};

/// Where the server serves the client.
pub(super) const SCRIPT_PATH: &str = "/__equipe/live-reload.js";

/// The client itself.
const SCRIPT: &str = include_str!("live-reload.js");

/// `GET /__equipe/live-reload.js`.
pub(super) async fn script() -> Response {
    let mut response = Response::new(Body::from(SCRIPT));
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

/// Inserts `script` just before the last `</body>`, or at the end if there is none.
pub(super) fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The tag that loads the client, for a page of the given build version (the version
/// is the server's own `instance-count` name: no HTML escaping needed).
pub(super) fn reload_script(version: &str) -> String {
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\" data-events=\"{EVENTS_PATH}\"></script>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
        let out = String::from_utf8(inject(b"<p>bare", "<s>")).unwrap();
        assert_eq!(out, "<p>bare<s>");
    }

    #[test]
    fn the_script_knows_its_version_and_endpoint() {
        let tag = reload_script("abc-3");
        assert!(tag.contains("data-version=\"abc-3\""));
        assert!(tag.contains("data-events=\"/__equipe/events\""));
        assert!(tag.contains("src=\"/__equipe/live-reload.js\""));
        // The client reads what the tag gives it.
        assert!(SCRIPT.contains("dataset.version") && SCRIPT.contains("dataset.events"));
    }
}
