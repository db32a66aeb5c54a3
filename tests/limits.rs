//! The engine's memory budget, measured: with every size at its limit, one
//! session (its text, model, optimiser, history, one training iteration with
//! per-chunk updates, a full-length sample, the timeline and a model file
//! read back) stays under [`LIMITS`]`.memory_bytes`. (The gradient check is
//! left out for time, about 3 s at these sizes: it holds one copy of θ and
//! one forward trace at a time, far less than the sample.)
//!
//! A counting global allocator records the peak of live bytes. It is the
//! only test in this binary, so no other thread allocates meanwhile.

use rnn_lab::engine::history::{History, HistoryEntry};
use rnn_lab::engine::model_file::{self, ModelFile};
use rnn_lab::engine::timeline::timeline;
use rnn_lab::engine::{
    Clip, LIMITS, ModelConfig, OptimizerConfig, OptimizerKind, Session, SessionConfig,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only the
// byte counts around it are recorded.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak live bytes allocated while `f` runs, above what was live before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, PEAK.load(Relaxed) - base)
}

/// A 100 KB text with 256 distinct symbols: 128 ASCII (controls included)
/// and 128 two-byte ones, then ASCII up to the byte limit (one index per
/// character, so ASCII is the most characters per byte).
fn worst_text() -> String {
    let mut text: String = (0u32..128)
        .chain(0x100..0x180)
        .filter_map(char::from_u32)
        .collect();
    while text.len() < LIMITS.text_bytes {
        text.push('a');
    }
    text
}

#[test]
fn a_session_at_every_limit_stays_within_the_memory_budget() {
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let config = SessionConfig {
        model: ModelConfig {
            hidden: LIMITS.hidden,
            weight_scale: 0.01,
            bias: true,
            ..ModelConfig::default()
        },
        text: worst_text(),
        seq_len: Some(LIMITS.seq),
        // Adam keeps the most memory; per-chunk updates back the model up.
        optimizer: OptimizerConfig::new(OptimizerKind::Adam, 0.001),
        clip: Clip::Norm(5.0),
        truncation: Some((64, LIMITS.seq)),
        update_per_chunk: true,
        history_capacity: LIMITS.history,
        ..SessionConfig::default()
    };
    let (_, session_peak) = peak_of(|| {
        let mut s = Session::new(config).unwrap();
        assert_eq!(s.vocab().len(), LIMITS.vocab);
        s.train(1).unwrap();
        let sample = s.sample(0, LIMITS.sample_length, 1.0, 0).unwrap();
        assert_eq!(sample.probs.len() * sample.probs[0].len(), 10_000 * 256);
        drop(sample);
        timeline(&s, Some((1, 1))).unwrap();
        let json = serde_json::to_string(&ModelFile::from_session(&s, &s.config().text)).unwrap();
        let model = model_file::parse(&json).unwrap();
        assert_eq!(&model.params, s.params());
    });
    // The history at capacity: T + 1 gradient norms per iteration.
    let (_, history_peak) = peak_of(|| {
        let mut h = History::new(LIMITS.history);
        for i in 0..LIMITS.history as u64 + 10 {
            h.push(HistoryEntry {
                iteration: i,
                loss: 0.0,
                smooth_loss: 0.0,
                grad_norms: [0.0; 5],
                grad_norm_total: 0.0,
                dh_norms: vec![0.0; LIMITS.seq + 1],
                clip_fired: false,
            });
        }
        h
    });
    let total = session_peak + history_peak;
    eprintln!(
        "peak: session {:.1} MiB + history {:.1} MiB = {:.1} MiB (budget {:.0} MiB)",
        mib(session_peak),
        mib(history_peak),
        mib(total),
        mib(LIMITS.memory_bytes)
    );
    assert!(total <= LIMITS.memory_bytes);
}
