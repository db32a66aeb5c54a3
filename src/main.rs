//! `rnn-lab`: the engine's command-line tool.
//!
//! ```text
//! rnn-lab eval FILE.json                       engine results for a fixture-format input
//! rnn-lab bench [--hidden H] [--seq S] ...     training speed (iterations/s), JSON lines
//! rnn-lab train FILE.txt [options]             train a character model, print samples
//! ```
//!
//! Native only: the wasm build has no command line.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    keep_freed_heap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::run(&args));
}

/// Keeps freed memory in the process (glibc only). By default glibc hands the top of
/// the heap back to the OS whenever 128 KiB are free there, and page-faults it in again
/// on the next allocation; training frees and reallocates its per-sequence arrays
/// every iteration, so depending on the heap layout that cost up to 40% of the time
/// (measured: 56 page faults per iteration at H = 100, seq 25). The wasm build's
/// allocator never returns memory, so it has no such cost.
#[cfg(all(not(target_arch = "wasm32"), target_os = "linux", target_env = "gnu"))]
fn keep_freed_heap() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only changes glibc's allocation policy; called before any thread starts.
    unsafe {
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_MMAP_THRESHOLD, 16 << 20);
    }
}

#[cfg(all(
    not(target_arch = "wasm32"),
    not(all(target_os = "linux", target_env = "gnu"))
))]
fn keep_freed_heap() {}

#[cfg(target_arch = "wasm32")]
fn main() {}
