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
    no_transparent_huge_pages();
    cmd::main()
}

/// Transparent huge pages off for this process. mimalloc asks the kernel for them on its
/// arenas, so that touching any byte of a fresh 2 MiB span made the kernel zero all of
/// it: a guide's first build had twice the resident memory (80 against 35 MiB) and spent
/// a quarter of its CPU samples in that zeroing, and a first build at 20,000 pages took
/// 5.1-5.5 s of system time against 1.5-1.7 s without (benches/README.md, "transparent
/// huge pages off"). A build ends in seconds and `serve` rebuilds in milliseconds: neither
/// gains from huge pages what their faults cost.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // Refused only by kernels older than 3.15: then nothing changes.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

/// For a run that ends when its build does (`build`, `check`): memory freed stays with
/// the process instead of going back to the system. mimalloc gives freed spans back
/// ("purges" them) while a guide builds, about 50 MiB in 100 to 140 purges, and the
/// kernel zeroes each page again when it is used next: a quarter of a guide's CPU samples
/// were that zeroing. `serve` keeps the default: it idles between rebuilds.
pub(crate) fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3): -1 never purges.
    const PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        // Linked with the allocator (libmimalloc-sys); its crate binds it only with its
        // `extended` feature, and without this option's constant.
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: sets an option's value (an atomic in mimalloc), with a valid option number.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}
