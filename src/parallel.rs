//! How the stages that go over every page share it between the cores.

/// The most pages a rayon job of a stage over `pages` pages takes. Rayon splits a range
/// no further once no thread has stolen from it, and a job's pages are done one after the
/// other on one core: on a large site, a core sat idle while the other did the last of a
/// quarter of the bodies (180 ms of a first build at 20,000 pages) until jobs were of 64
/// pages at most; on a guide of 290 pages, jobs of 64 still left the last 36 bodies to one
/// core (6 ms of a 95 ms build). So at least 32 jobs a core, of 4 to 64 pages.
pub(crate) fn job_len(pages: usize) -> usize {
    (pages / (32 * rayon::current_num_threads())).clamp(4, 64)
}
