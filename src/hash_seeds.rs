//! Where the hash maps' seeds come from. Each `RandomState::new()` of aHash (every
//! `FastMap` and `FastSet` made, and the maps Tera makes for each loop of a template)
//! draws a seed from one atomic counter shared by every thread: with both cores making
//! maps, that counter's cache line went back and forth between them, 1.1% of a first
//! build's CPU samples at 20,000 pages. Here each thread counts on its own.

use std::cell::Cell;

use ahash::random_state::{RandomSource, set_random_source};

/// Seeds from a counter of the calling thread's, started at a value of its own (the
/// address of that counter, as aHash's own source starts at an address). aHash mixes the
/// seed with keys it draws at random once per process, so maps stay unpredictable from
/// outside, as with its own source.
struct PerThread;

/// An odd step (the golden ratio's bits, a common one for such counters).
const STEP: usize = 0x9e37_79b9_7f4a_7c15_u64 as usize;

impl RandomSource for PerThread {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: Cell<usize> = const { Cell::new(0) };
        }
        NEXT.with(|next| {
            let seed = match next.get() {
                0 => std::ptr::from_ref(next) as usize,
                seed => seed,
            };
            // With an odd step, the counter goes through every value before it repeats one.
            next.set(seed.wrapping_add(STEP));
            seed
        })
    }
}

/// Installs [`PerThread`]; to be called before any map is made (it is refused after, and
/// aHash's own source stays).
pub(crate) fn per_thread() {
    let _ = set_random_source(PerThread);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every seed differs from the last of its thread and from another thread's.
    #[test]
    fn seeds_differ_within_and_across_threads() {
        let draw = || {
            (0..1000)
                .map(|_| PerThread.gen_hasher_seed())
                .collect::<Vec<_>>()
        };
        let here = draw();
        let there = std::thread::spawn(draw).join().unwrap();
        let mut all: Vec<usize> = here.iter().chain(&there).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 2000);
    }
}
