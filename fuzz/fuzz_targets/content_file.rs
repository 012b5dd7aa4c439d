//! Arbitrary bytes as a content file, through parsing, the site model and rendering.
//! Any panic is a bug: bad input must become a diagnostic; the YAML fast path must agree
//! with serde-saphyr. The harness is shared with the regression test of the inputs found
//! (`tests/it/fuzz_regressions.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    equipe::internals::fuzz_content_file(data);
});
