//! The 2-D plane the perceptron and the MLP live on: seeded point clouds of
//! two classes, a plot box, a grid of model outputs over it (for a heatmap)
//! and the line θ₀ + θ₁x₁ + θ₂x₂ = 0 clipped to the box.

use crate::engine::error::{EngineError, Result};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// Largest number of points a generated cloud may have.
pub const MAX_POINTS: usize = 2_000;
/// Largest grid side (cells per axis) a heatmap query may ask for.
pub const MAX_GRID: usize = 400;

/// Points x ∈ ℝ² with classes y ∈ {0, 1}.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Points {
    pub x: Vec<[f64; 2]>,
    pub y: Vec<usize>,
}

fn check_count(n: usize) -> Result<()> {
    if !(2..=MAX_POINTS).contains(&n) {
        return Err(EngineError::Invalid(format!(
            "the number of points must be between 2 and {MAX_POINTS}, got {n}"
        )));
    }
    Ok(())
}

impl Points {
    /// `n` points of two linearly separable classes, fully determined by
    /// `seed`: a random line u·x = c through the middle of the box, two
    /// Gaussian blobs (σ = 0.6) centred 1.3 on either side of it, and every
    /// point closer than 0.25 to the line, or on its blob's wrong side,
    /// redrawn. So the classes are separable with a margin of at least 0.25.
    pub fn separable(seed: u64, n: usize) -> Result<Self> {
        check_count(n)?;
        let mut rng = Rng::new(seed);
        let phi = 2.0 * std::f64::consts::PI * rng.uniform();
        let u = [libm::cos(phi), libm::sin(phi)];
        let c = rng.uniform() - 0.5;
        let mut pts = Self {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
        };
        for i in 0..n {
            let class = i % 2;
            let side = if class == 1 { 1.0 } else { -1.0 };
            let centre = [u[0] * (c + side * 1.3), u[1] * (c + side * 1.3)];
            loop {
                let p = [
                    centre[0] + 0.6 * rng.normal(),
                    centre[1] + 0.6 * rng.normal(),
                ];
                let d = u[0] * p[0] + u[1] * p[1] - c;
                if side * d >= 0.25 {
                    pts.x.push(p);
                    pts.y.push(class);
                    break;
                }
            }
        }
        Ok(pts)
    }

    /// The XOR pattern: `n` points in four Gaussian blobs (σ = `spread`) at
    /// (±1, ±1), drawn in turn; opposite corners share a class: (1, 1) and
    /// (−1, −1) are class 0, (1, −1) and (−1, 1) class 1. No line separates
    /// them: the best line gets about 3 blobs of 4 right (~75%).
    pub fn xor(seed: u64, n: usize, spread: f64) -> Result<Self> {
        check_count(n)?;
        if !(spread.is_finite() && spread > 0.0 && spread <= 1.0) {
            return Err(EngineError::Invalid(format!(
                "the spread of the blobs must be above 0 and at most 1, got {spread}"
            )));
        }
        const CORNERS: [([f64; 2], usize); 4] = [
            ([1.0, 1.0], 0),
            ([-1.0, 1.0], 1),
            ([-1.0, -1.0], 0),
            ([1.0, -1.0], 1),
        ];
        let mut rng = Rng::new(seed);
        let mut pts = Self {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
        };
        for i in 0..n {
            let (c, class) = CORNERS[i % 4];
            pts.x
                .push([c[0] + spread * rng.normal(), c[1] + spread * rng.normal()]);
            pts.y.push(class);
        }
        Ok(pts)
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The fraction of points whose class `predict` gets right.
    pub fn accuracy(&self, mut predict: impl FnMut([f64; 2]) -> usize) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        let right = self
            .x
            .iter()
            .zip(&self.y)
            .filter(|(x, y)| predict(**x) == **y)
            .count();
        right as f64 / self.len() as f64
    }
}

/// The visible part of the plane: [x_min, x_max] × [y_min, y_max].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlotBox {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl Default for PlotBox {
    /// [−3, 3]², which holds the generated clouds.
    fn default() -> Self {
        Self {
            x_min: -3.0,
            x_max: 3.0,
            y_min: -3.0,
            y_max: 3.0,
        }
    }
}

impl PlotBox {
    /// Checks that the bounds are finite and each range is non-empty.
    pub fn validate(&self) -> Result<()> {
        let ok = [self.x_min, self.x_max, self.y_min, self.y_max]
            .iter()
            .all(|v| v.is_finite())
            && self.x_min < self.x_max
            && self.y_min < self.y_max;
        if ok {
            Ok(())
        } else {
            Err(EngineError::Invalid(format!(
                "the plot box needs finite bounds with min < max, got x [{}, {}], y [{}, {}]",
                self.x_min, self.x_max, self.y_min, self.y_max
            )))
        }
    }
}

/// A model output sampled at the centres of nx × ny cells of a box:
/// `values[j·nx + i]` is at x = x_min + (i + ½)Δx, y = y_min + (j + ½)Δy,
/// so row j = 0 is the bottom of the box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub plot_box: PlotBox,
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
}

/// Samples `f` over `plot_box` on an nx × ny grid (each 1..=[`MAX_GRID`]).
pub fn grid(
    plot_box: PlotBox,
    nx: usize,
    ny: usize,
    mut f: impl FnMut([f64; 2]) -> f64,
) -> Result<Grid> {
    plot_box.validate()?;
    if !(1..=MAX_GRID).contains(&nx) || !(1..=MAX_GRID).contains(&ny) {
        return Err(EngineError::Invalid(format!(
            "the grid must have 1 to {MAX_GRID} cells per side, got {nx} × {ny}"
        )));
    }
    let dx = (plot_box.x_max - plot_box.x_min) / nx as f64;
    let dy = (plot_box.y_max - plot_box.y_min) / ny as f64;
    let mut values = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        let y = plot_box.y_min + (j as f64 + 0.5) * dy;
        for i in 0..nx {
            values.push(f([plot_box.x_min + (i as f64 + 0.5) * dx, y]));
        }
    }
    Ok(Grid {
        plot_box,
        nx,
        ny,
        values,
    })
}

/// The line w₀ + w₁x + w₂y = 0 inside `b`, as its two end points on the
/// box's border; `None` when it misses the box or is not a line (w₁ = w₂ = 0).
pub fn clip_line(w0: f64, w1: f64, w2: f64, b: &PlotBox) -> Option<[[f64; 2]; 2]> {
    if !(w0.is_finite() && w1.is_finite() && w2.is_finite()) || (w1 == 0.0 && w2 == 0.0) {
        return None;
    }
    // A point on the line and its direction, then Liang–Barsky on the box.
    let n2 = w1 * w1 + w2 * w2;
    let p = [-w0 * w1 / n2, -w0 * w2 / n2];
    let d = [-w2, w1];
    let (mut t0, mut t1) = (f64::NEG_INFINITY, f64::INFINITY);
    for (pk, dk, lo, hi) in [
        (p[0], d[0], b.x_min, b.x_max),
        (p[1], d[1], b.y_min, b.y_max),
    ] {
        if dk == 0.0 {
            if pk < lo || pk > hi {
                return None;
            }
        } else {
            let (a, c) = ((lo - pk) / dk, (hi - pk) / dk);
            t0 = t0.max(a.min(c));
            t1 = t1.min(a.max(c));
        }
    }
    if t0 > t1 {
        return None;
    }
    Some([
        [p[0] + t0 * d[0], p[1] + t0 * d[1]],
        [p[0] + t1 * d[0], p[1] + t1 * d[1]],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_clouds_are_seeded_balanced_and_separable() {
        let a = Points::separable(3, 100).unwrap();
        assert_eq!(a, Points::separable(3, 100).unwrap());
        assert_ne!(a, Points::separable(4, 100).unwrap());
        assert_eq!(a.y.iter().filter(|&&y| y == 1).count(), 50);
        assert!(Points::separable(3, 1).is_err());
        assert!(Points::separable(3, MAX_POINTS + 1).is_err());
    }

    #[test]
    fn xor_blobs_sit_in_their_corners() {
        let p = Points::xor(1, 200, 0.3).unwrap();
        let by_quadrant = p.accuracy(|x| usize::from(x[0] * x[1] < 0.0));
        assert!(by_quadrant > 0.97, "{by_quadrant}");
        assert!(Points::xor(1, 200, f64::NAN).is_err());
    }

    #[test]
    fn grid_samples_cell_centres_bottom_row_first() {
        let b = PlotBox {
            x_min: 0.0,
            x_max: 2.0,
            y_min: 0.0,
            y_max: 4.0,
        };
        let g = grid(b, 2, 2, |p| p[0] + 10.0 * p[1]).unwrap();
        assert_eq!(g.values, vec![10.5, 11.5, 30.5, 31.5]);
        assert!(grid(b, 0, 2, |_| 0.0).is_err());
        let bad = PlotBox { x_max: -1.0, ..b };
        assert!(grid(bad, 2, 2, |_| 0.0).is_err());
    }

    #[test]
    fn lines_are_clipped_to_the_box() {
        let b = PlotBox::default();
        // x₁ = 1: vertical.
        assert_eq!(
            clip_line(-1.0, 1.0, 0.0, &b),
            Some([[1.0, -3.0], [1.0, 3.0]])
        );
        // x₂ = x₁: the diagonal, corner to corner.
        let [p, q] = clip_line(0.0, 1.0, -1.0, &b).unwrap();
        for (u, v) in p.iter().chain(&q).zip([-3.0, -3.0, 3.0, 3.0]) {
            assert!((u - v).abs() < 1e-12);
        }
        assert_eq!(clip_line(10.0, 1.0, 0.0, &b), None, "x₁ = −10 misses");
        assert_eq!(clip_line(1.0, 0.0, 0.0, &b), None, "no line");
    }
}
