//! The memory allocator and how it is set up: mimalloc, with a `realloc` that copies only
//! what the block holds, transparent huge pages off, and (for a run that ends with its
//! build) freed memory kept rather than given back.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

use mimalloc::MiMalloc;

unsafe extern "C" {
    // Linked with the allocator (libmimalloc-sys); its crate binds these only with its
    // `extended` feature (and `mi_option_set` without the option's constant).
    fn mi_usable_size(p: *const c_void) -> usize;
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_malloc(size: usize) -> *mut c_void;
    fn mi_zalloc(size: usize) -> *mut c_void;
}

/// Whether mimalloc's plain `mi_malloc` gives a block aligned as `layout` asks: its size
/// classes are multiples of 8 bytes (of 16 above 16) and a page's first block is 16-byte
/// aligned, so a size that is a multiple of an alignment of at most 16 is aligned so.
///
/// The `mimalloc` crate asks `mi_malloc_aligned` for every block, and mimalloc 3 takes
/// its plain path only for sizes that are powers of two: a 40- or 48-byte block (a
/// `String` in a struct, a small vector) went, whenever its page had no free block left,
/// through a slower path that allocates `size + align - 1` bytes, a block of the next
/// class. That path was 7% of the instructions of a build after one title edit at
/// 20,000 pages (benches/README.md, thirty-eighth session).
fn natural(layout: Layout) -> bool {
    // `MI_MAX_ALIGN_SIZE`.
    const MAX_NATURAL_ALIGN: usize = 16;
    layout.align() <= MAX_NATURAL_ALIGN && layout.size().is_multiple_of(layout.align())
}

/// mimalloc rather than the system allocator: a build allocates and frees many small
/// strings and event vectors on two threads, and glibc's malloc took about a sixth of a
/// guide's build (see benches/README.md, "Experience League guides").
///
/// Its `realloc` is this one's, not mimalloc's: to grow a block into a new one, mimalloc
/// copies the whole old block as its size class has it, up to an eighth more than the
/// vector asked for and never wrote. Reading fresh memory maps the kernel's zero page
/// there, so the next write to it faults again, copies, and flushes the other core's TLB
/// with an interrupt. Copying only the bytes the caller had (`layout.size()`) took a first
/// build at 20,000 pages from 4.19-4.33 to 4.01-4.12 s of user time (benches/README.md,
/// eighth session).
pub(crate) struct Allocator;

// SAFETY: each method hands the call to mimalloc as `MiMalloc` does; `realloc` keeps the
// block when mimalloc would (the same test as its own), and otherwise allocates the new
// block with the old alignment, copies what the old one held (the smaller of the two
// sizes) and frees it with its own layout, as `GlobalAlloc::realloc`'s default does.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if natural(layout) {
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if natural(layout) {
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            // mimalloc's rule: the block stays if the new size fits it and uses at least
            // half of it.
            let usable = mi_usable_size(ptr.cast());
            if new_size <= usable && new_size >= usable / 2 {
                return ptr;
            }
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                MiMalloc.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// Transparent huge pages off for this process. mimalloc asks the kernel for them on its
/// arenas, so that touching any byte of a fresh 2 MiB span made the kernel zero all of
/// it: a guide's first build had twice the resident memory (80 against 35 MiB) and spent
/// a quarter of its CPU samples in that zeroing, and a first build at 20,000 pages took
/// 5.1-5.5 s of system time against 1.5-1.7 s without (benches/README.md, "transparent
/// huge pages off"). A build ends in seconds and `serve` rebuilds in milliseconds: neither
/// gains from huge pages what their faults cost.
///
/// Turned off by the loader, before `main`: the runtime allocates before `main` runs (the
/// main thread's name), and that first allocation is when mimalloc reserves its arena and
/// advises huge pages on it. Turned off from `main`, the process still took two huge
/// pages a build in that arena, and on a virtual machine whose host had not yet backed the
/// memory, zeroing them cost up to 40 ms of a guide's 90 ms build (benches/README.md,
/// eighteenth session).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NO_HUGE_PAGES_BEFORE_MAIN: extern "C" fn() = no_transparent_huge_pages;

#[cfg(target_os = "linux")]
extern "C" fn no_transparent_huge_pages() {
    // Refused only by kernels older than 3.15: then nothing changes.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// For a run that ends when its build does (`build`, `check`): memory freed stays with
/// the process instead of going back to the system. mimalloc gives freed spans back
/// ("purges" them) while a guide builds, about 50 MiB in 100 to 140 purges, and the
/// kernel zeroes each page again when it is used next: a quarter of a guide's CPU samples
/// were that zeroing. `serve` keeps the default: it idles between rebuilds.
pub(crate) fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3): -1 never purges.
    const PURGE_DELAY: c_int = 15;
    // SAFETY: sets an option's value (an atomic in mimalloc), with a valid option number.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block is aligned as its layout asks, whether mimalloc's plain path or its
    /// aligned one gives it, in every size class a build uses and past them.
    #[test]
    fn blocks_are_aligned_as_asked() {
        let a = Allocator;
        let mut held = Vec::new();
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=3000).chain([4096, 40_000, 100_000, 3 << 20]) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                // Several of each, so that pages fill and new ones are taken.
                for zeroed in [false, true, false] {
                    let p = unsafe {
                        if zeroed {
                            a.alloc_zeroed(layout)
                        } else {
                            a.alloc(layout)
                        }
                    };
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "{size} bytes aligned to {align}");
                    if zeroed {
                        assert!((0..size).all(|i| unsafe { *p.add(i) } == 0));
                    }
                    held.push((p, layout));
                }
            }
            for (p, layout) in held.drain(..) {
                unsafe { a.dealloc(p, layout) };
            }
        }
    }

    /// Growing and shrinking keep the bytes, whether the block stays or moves.
    #[test]
    fn realloc_keeps_the_contents() {
        let a = Allocator;
        for (from, to) in [
            (16, 20),
            (16, 4096),
            (100_000, 300_000),
            (300_000, 1000),
            (64, 40),
        ] {
            let layout = Layout::from_size_align(from, 8).unwrap();
            unsafe {
                let p = a.alloc(layout);
                assert!(!p.is_null());
                for i in 0..from {
                    *p.add(i) = (i % 251) as u8;
                }
                let q = a.realloc(p, layout, to);
                assert!(!q.is_null());
                for i in 0..from.min(to) {
                    assert_eq!(*q.add(i), (i % 251) as u8, "byte {i} of {from} -> {to}");
                }
                a.dealloc(q, Layout::from_size_align(to, 8).unwrap());
            }
        }
    }
}
