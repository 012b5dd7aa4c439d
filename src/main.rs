//! The `equipe` command line; the library is the pipeline it runs.

// Errors are `Diagnostic` values, large but built only on the error path (as in the library).
#![allow(clippy::result_large_err)]

mod allocator;
mod cmd;
mod hash_seeds;

#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

fn main() -> std::process::ExitCode {
    hash_seeds::per_thread();
    cmd::main()
}
