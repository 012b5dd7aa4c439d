//! Inputs that once crashed or might crash the content path, run through the very function
//! the fuzz target (`fuzz/fuzz_targets/content_file.rs`) runs: decode, front matter, site model,
//! Markdown, templates. Each must end in a page or a diagnostic, never a panic. Crashing
//! inputs found by `cargo fuzz` are added to `tests/fuzz_inputs/`.

use std::path::Path;

use equipe::internals::fuzz_content_file as run;

const TRICKY: &[&[u8]] = &[
    b"",
    b"---",
    b"---\n",
    b"---\n---",
    b"---\n---\n",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf---\r\n---\r\n# T",
    b"---\ntitle: [\n---\n",
    b"---\ntitle: *a\n---\n",
    b"---\ntitle: &a x\nslug: *a\n---\n",
    b"---\n- a\n- b\n---\n# T",
    b"---\ntitle: 12\n---\n",
    b"---\ntitle: ~\n---\n# T",
    b"---\nchecklist: 3\n---\n# T",
    b"---\nchecklist: [{}]\n---\n# T",
    b"---\nchecklist: [{text: [a]}]\n---\n# T",
    b"---\nonboarding: [{id: '', text: ''}]\n---\n# T",
    b"---\nslug: '///'\ntitle: T\n---\n",
    b"---\nslug: '..'\ntitle: T\n---\n",
    b"---\ntitle: T\nweight: 99999999999999999999999\n---\n",
    b"---\ntitle: T\nworks_with: [x, '', '/', '../..']\ndepends_on: ['.md']\n---\n",
    b"# \n",
    b"#\n",
    b"# &#0;\n",
    b"# T {#}\n## {#}\n## a {#a}\n## a {#a}\n",
    b"# T\n[a](.md) [b](/.md) [c](../../../../.md) [d](x.fr.md#) [e](#) [f](%20.md)\n",
    b"# T\n- [ ]\n- [x] \n  - [ ] a\n    - [ ] b\n",
    b"# T\n> [!NOTE]\n> [!TIP]\n",
    b"# T\n| a |\n|---|\n| [ ] |\n",
    b"# T\n[^1]\n\n[^1]: [^1]\n",
    b"# T\n<script>alert(1)</script>\n",
    b"# T\n```\n---\n```\n",
    b"# T\n\x00\x01\x02",
    b"---\ntitle: T\nseo-title: [a]\nseo-description: '[!DNL'\nbadge: 5\nbadgeX: 'label=\"\" url=\"javascript:x\"'\nbadgeY: '{label=a}'\nbadgeZ: 'label=\"a\" url='\nhide: maybe\n---\n# T\n**b{#c}** d{#} e{#f}{#g}\n",
];

#[test]
fn tricky_inputs_never_panic() {
    let mut rendered = 0;
    for input in TRICKY {
        if run(input) {
            rendered += 1;
        }
    }
    // Most of them are valid pages: the path was really exercised.
    assert!(
        rendered >= 15,
        "only {rendered} of {} rendered",
        TRICKY.len()
    );
}

#[test]
fn crashing_inputs_found_by_the_fuzzer_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz_inputs") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            run(&std::fs::read(&path).expect("read"));
            count += 1;
        }
    }
    assert!(count > 0, "no inputs in tests/fuzz_inputs");
}
