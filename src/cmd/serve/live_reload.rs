//! The live-reload client and where it goes in a served page.

use super::http::EVENTS_PATH;

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

/// The live-reload client, for a page of the given build version.
pub(super) fn reload_script(version: &str) -> String {
    RELOAD_SCRIPT
        .replace("__EQUIPE_VERSION__", version)
        .replace("__EQUIPE_EVENTS__", EVENTS_PATH)
}

const RELOAD_SCRIPT: &str = r#"<script data-equipe-live-reload>
(function () {
  var version = "__EQUIPE_VERSION__";
  var overlay = null;
  function show(problems) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!problems.length) return;
    overlay = document.createElement("div");
    overlay.id = "equipe-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(24,24,24,.95);color:#f2f2f2;padding:2em;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1em;font-size:1.2em;color:#ff8a80";
    title.textContent = "equipe: the last change did not build (" + problems.length +
      (problems.length > 1 ? " errors" : " error") + "); the page shows the last good version.";
    overlay.appendChild(title);
    problems.forEach(function (p) {
      var where = document.createElement("div");
      where.className = "equipe-error";
      where.style.cssText = "margin-top:1.2em;color:#ffd54f;font-weight:bold";
      where.textContent = (p.location ? p.location + ": " : "") + p.message;
      overlay.appendChild(where);
      var text = document.createElement("pre");
      text.style.cssText = "white-space:pre-wrap;margin:.4em 0 0";
      text.textContent = p.text;
      overlay.appendChild(text);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }
  function swapStylesheets(next) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (old) {
      var url = new URL(old.href, location.href);
      url.searchParams.set("equipe", next);
      var fresh = old.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { old.remove(); };
      old.after(fresh);
    });
  }
  var events = new EventSource("__EQUIPE_EVENTS__");
  events.addEventListener("hello", function (e) {
    if (JSON.parse(e.data).version !== version) location.reload();
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function (e) {
    version = JSON.parse(e.data).version;
    swapStylesheets(version);
  });
  events.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
})();
</script>
"#;


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
        let script = reload_script("abc-3");
        assert!(script.contains("\"abc-3\""));
        assert!(script.contains("\"/__equipe/events\""));
        assert!(!script.contains("__EQUIPE_"));
    }

}
