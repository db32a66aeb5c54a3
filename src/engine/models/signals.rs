//! Three small sequences for the top of the chapter "Why recurrence?":
//! a sentence read one character at a time, a synthetic heartbeat trace and
//! a synthetic sound. Each is generated here from a seed (no downloads) and
//! handed to the page as plain data; the page draws the first `known`
//! values and asks "what comes next?".
//!
//! ```text
//! heartbeat:  x(t) = Σ_k Σ_w a_w · exp(−(t − t_k − μ_w)² / (2 σ_w²)) + wander(t) + noise
//!             t_{k+1} = t_k + RR_k,  RR_k = 0.8 s + 0.05 s · sin(2π k / 5) + 0.03 s · ε_k
//!             (five waves P, Q, R, S, T per beat; ε_k ~ N(0, 1) from the seed)
//! sound:      x(t) = env(t) · Σ_{j=1..3} (1/j) sin(2π j f_n t) / 1.83,  a note f_n each 0.4 s
//!             (notes drawn from the seed out of a pentatonic scale)
//! ```

use crate::engine::rng::Rng;
use serde::Serialize;
use std::f64::consts::PI;

/// The lecture's sentence.
pub const SENTENCE: &str = "This morning I took the dog for a walk.";
/// Characters of the sentence shown before the question (up to "for a ").
pub const SENTENCE_KNOWN: usize = 34;
/// Samples per second of the heartbeat trace.
pub const HEART_RATE_HZ: f64 = 100.0;
/// Seconds of heartbeat generated.
pub const HEART_SECONDS: f64 = 8.0;
/// Seconds of heartbeat shown before the question.
pub const HEART_KNOWN_SECONDS: f64 = 6.0;
/// Samples per second of the sound (Web Audio plays buffers at this rate).
pub const SOUND_RATE_HZ: f64 = 8000.0;
/// Seconds per note.
pub const NOTE_SECONDS: f64 = 0.4;
/// Notes in the sound.
pub const NOTES: usize = 4;
/// A pentatonic scale (Hz): C4 D4 E4 G4 A4 C5.
pub const SCALE: [f64; 6] = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25];
/// Samples of the sound's chart: the first 30 ms of the first note (the
/// whole sound is 12 800 samples, far more than a chart can show).
pub const SOUND_CHART_SAMPLES: usize = 240;
/// Samples of the chart shown before the question.
pub const SOUND_KNOWN: usize = 160;

/// A sentence as a sequence of characters, x_1, x_2, ….
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CharSequence {
    pub text: String,
    /// One string per character, in order.
    pub chars: Vec<String>,
    /// Characters shown before the question.
    pub known: usize,
}

/// A sampled signal: `values[i]` at time `i / rate` seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub rate: f64,
    pub values: Vec<f64>,
    /// Values shown before the question.
    pub known: usize,
}

/// The heartbeat trace and its beats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heartbeat {
    pub signal: Signal,
    /// Time of each R peak (s).
    pub beats: Vec<f64>,
    /// 60 / RR of each interval between beats (beats per minute).
    pub bpm: Vec<f64>,
}

/// The sound and the slice the chart shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sound {
    /// Every sample, to play (values in [−1, 1]).
    pub samples: Vec<f64>,
    pub rate: f64,
    /// The notes' frequencies (Hz), in order.
    pub notes: Vec<f64>,
    /// The first [`SOUND_CHART_SAMPLES`] samples, for the chart.
    pub chart: Signal,
}

/// The three examples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequenceExamples {
    pub seed: u64,
    pub sentence: CharSequence,
    pub heartbeat: Heartbeat,
    pub sound: Sound,
}

/// The sentence, character by character.
pub fn sentence() -> CharSequence {
    CharSequence {
        text: SENTENCE.to_string(),
        chars: SENTENCE.chars().map(|c| c.to_string()).collect(),
        known: SENTENCE_KNOWN,
    }
}

/// (amplitude, offset from the R peak in s, width σ in s) of the P, Q, R, S, T waves.
const WAVES: [(f64, f64, f64); 5] = [
    (0.12, -0.20, 0.025),
    (-0.12, -0.035, 0.010),
    (1.00, 0.0, 0.012),
    (-0.22, 0.035, 0.012),
    (0.30, 0.26, 0.040),
];

/// A synthetic heartbeat trace of [`HEART_SECONDS`] from `seed`.
pub fn heartbeat(seed: u64) -> Heartbeat {
    let mut rng = Rng::new(seed ^ 0x0048_4541_5254);
    let n = (HEART_SECONDS * HEART_RATE_HZ) as usize;
    // Beats from 0.3 s on, until past the end (a wave's tail reaches back 0.3 s).
    let mut beats = Vec::new();
    let mut t = 0.3 + 0.2 * rng.uniform();
    let mut k = 0.0;
    while t < HEART_SECONDS + 0.3 {
        beats.push(t);
        let rr = 0.8 + 0.05 * (2.0 * PI * k / 5.0).sin() + 0.03 * rng.normal();
        t += rr.clamp(0.55, 1.1);
        k += 1.0;
    }
    let phase = 2.0 * PI * rng.uniform();
    let values = (0..n)
        .map(|i| {
            let t = i as f64 / HEART_RATE_HZ;
            let beat: f64 = beats
                .iter()
                .flat_map(|&b| {
                    WAVES
                        .iter()
                        .map(move |&(a, mu, s)| a * (-(t - b - mu).powi(2) / (2.0 * s * s)).exp())
                })
                .sum();
            beat + 0.05 * (2.0 * PI * 0.25 * t + phase).sin() + 0.01 * rng.normal()
        })
        .collect();
    let bpm = beats.windows(2).map(|w| 60.0 / (w[1] - w[0])).collect();
    beats.retain(|&b| b < HEART_SECONDS);
    Heartbeat {
        signal: Signal {
            rate: HEART_RATE_HZ,
            values,
            known: (HEART_KNOWN_SECONDS * HEART_RATE_HZ) as usize,
        },
        beats,
        bpm,
    }
}

/// A synthetic sound of [`NOTES`] notes from `seed`.
pub fn sound(seed: u64) -> Sound {
    let mut rng = Rng::new(seed ^ 0x0053_4f55_4e44);
    let notes: Vec<f64> = (0..NOTES)
        .map(|_| SCALE[(rng.next_u64() % SCALE.len() as u64) as usize])
        .collect();
    let per_note = (NOTE_SECONDS * SOUND_RATE_HZ) as usize;
    let samples = notes
        .iter()
        .flat_map(|&f| {
            (0..per_note).map(move |i| {
                let t = i as f64 / SOUND_RATE_HZ;
                // 10 ms attack, then an exponential decay; 20 ms release at the end.
                let attack = (t / 0.01).min(1.0);
                let release = ((NOTE_SECONDS - t) / 0.02).min(1.0);
                let env = attack * release * (-3.0 * t).exp();
                let wave: f64 = (1..=3)
                    .map(|j| (2.0 * PI * j as f64 * f * t).sin() / j as f64)
                    .sum();
                0.8 * env * wave / 1.84
            })
        })
        .collect::<Vec<f64>>();
    let chart = Signal {
        rate: SOUND_RATE_HZ,
        values: samples[..SOUND_CHART_SAMPLES].to_vec(),
        known: SOUND_KNOWN,
    };
    Sound {
        samples,
        rate: SOUND_RATE_HZ,
        notes,
        chart,
    }
}

/// All three examples from `seed`.
pub fn examples(seed: u64) -> SequenceExamples {
    SequenceExamples {
        seed,
        sentence: sentence(),
        heartbeat: heartbeat(seed),
        sound: sound(seed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_stops_before_walk() {
        let s = sentence();
        assert_eq!(s.chars.len(), SENTENCE.len());
        let known: String = s.chars[..s.known].concat();
        assert_eq!(known, "This morning I took the dog for a ");
    }

    #[test]
    fn the_heartbeat_has_one_tall_r_peak_per_beat_at_a_plausible_rate() {
        let h = heartbeat(1);
        let v = &h.signal.values;
        assert_eq!(v.len(), 800);
        assert_eq!(h.signal.known, 600);
        assert!(v.iter().all(|x| x.is_finite()));
        // Peaks above 0.6 are the R waves: as many as the beats inside the trace.
        let peaks = (1..v.len() - 1)
            .filter(|&i| v[i] > 0.6 && v[i] >= v[i - 1] && v[i] > v[i + 1])
            .count();
        assert_eq!(peaks, h.beats.len());
        assert!((8..=13).contains(&h.beats.len()), "{}", h.beats.len());
        assert!(
            h.bpm.iter().all(|b| (54.0..110.0).contains(b)),
            "{:?}",
            h.bpm
        );
        // The beats are not evenly spaced: there is variability.
        let (lo, hi) = h
            .bpm
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(hi - lo > 2.0, "{lo}..{hi}");
    }

    #[test]
    fn the_sound_is_four_notes_in_range_and_starts_periodic() {
        let s = sound(1);
        assert_eq!(s.samples.len(), 4 * 3200);
        assert!(s.samples.iter().all(|x| x.abs() <= 1.0));
        assert!(s.notes.iter().all(|f| SCALE.contains(f)));
        assert_eq!(s.chart.values, s.samples[..SOUND_CHART_SAMPLES]);
        // It is loud enough to hear.
        assert!(s.samples.iter().fold(0.0f64, |m, x| m.max(x.abs())) > 0.3);
    }

    #[test]
    fn a_seed_gives_the_same_examples_and_another_seed_others() {
        assert_eq!(examples(7), examples(7));
        assert_ne!(heartbeat(7), heartbeat(8));
        let notes: Vec<Vec<f64>> = (0..6).map(|s| sound(s).notes).collect();
        assert!(notes.windows(2).any(|w| w[0] != w[1]));
    }
}
