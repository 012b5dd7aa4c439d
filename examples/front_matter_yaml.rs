//! The YAML fast path (through `equipe::internals`) against serde-saphyr, on real front matter.
//!
//! ```sh
//! # Every `.md` under the folders: how many front matters take the fast path, and whether
//! # each one it answers is what serde-saphyr gives (exit status 1 if one differs).
//! cargo run --release --example front_matter_yaml -- check DIR...
//! # One file's front matter parsed N times, the way the build does (`fast`, which falls back
//! # to serde-saphyr when it must) or by serde-saphyr alone (`saphyr`): run it under
//! # `valgrind --tool=callgrind` and divide the instructions by N.
//! cargo run --release --example front_matter_yaml -- repeat FILE N fast|saphyr
//! ```

use std::process::ExitCode;

use equipe::internals::{front_matter_yaml as front_matter, yaml_fast, yaml_map};

fn check(dirs: &[String]) -> ExitCode {
    let (mut files, mut fast, mut differ) = (0, 0, 0);
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let text = text.replace("\r\n", "\n");
            let Some(yaml) = front_matter(text.trim_start_matches('\u{FEFF}')) else {
                continue;
            };
            if yaml.trim().is_empty() {
                continue;
            }
            files += 1;
            let Some(map) = yaml_fast(yaml) else {
                continue;
            };
            fast += 1;
            if yaml_map(yaml, false) != Some(map) {
                differ += 1;
                eprintln!("differs: {}", entry.path().display());
            }
        }
    }
    println!(
        "{files} front matters, {fast} took the fast path, {} agreed, {differ} differed",
        fast - differ
    );
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn repeat(file: &str, times: usize, how: &str) -> ExitCode {
    let text = std::fs::read_to_string(file).expect("the file is readable");
    let yaml = front_matter(&text).expect("the file has front matter");
    let mut keys = 0;
    for _ in 0..times {
        let map = yaml_map(yaml, how == "fast").expect("the front matter parses");
        keys += map.len();
    }
    println!("{keys} keys");
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") if args.len() > 1 => check(&args[1..]),
        Some("repeat") if args.len() == 4 => {
            repeat(&args[1], args[2].parse().expect("N is a number"), &args[3])
        }
        _ => {
            eprintln!("usage: front_matter_yaml check DIR... | repeat FILE N fast|saphyr");
            ExitCode::FAILURE
        }
    }
}
