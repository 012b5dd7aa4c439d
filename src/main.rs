//! The `equipe` command line; the library is the pipeline it runs.

// Errors are `Diagnostic` values, large but built only on the error path (as in the library).
#![allow(clippy::result_large_err)]

mod cmd;

fn main() -> std::process::ExitCode {
    cmd::main()
}
