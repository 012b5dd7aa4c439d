//! The `equipe` command line; the library is the pipeline it runs.

// Errors are `Diagnostic` values, large but built only on the error path (as in the library).
#![allow(clippy::result_large_err)]

mod cmd;

/// mimalloc rather than the system allocator: a build allocates and frees many small
/// strings and event vectors on two threads, and glibc's malloc took about a sixth of a
/// guide's build (see benches/README.md, "Experience League guides").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::main()
}
