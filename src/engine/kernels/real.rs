//! [`Real`]: the float types the kernels run on, f64 (the exact engine) and f32
//! (the fast training mode, `engine::fast`). The kernels are written once over
//! it; each type's code is its own monomorphisation, so the f64 results keep
//! their bits.

use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

/// f64 or f32: the arithmetic the kernels and update rules use.
pub trait Real:
    Copy
    + Default
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + std::fmt::Debug
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    const NEG_INFINITY: Self;
    /// The nearest value of this type (exact for f64, rounded for f32).
    fn from_f64(v: f64) -> Self;
    /// Widened to f64 (always exact).
    fn to_f64(self) -> f64;
    fn sqrt(self) -> Self;
    fn is_finite(self) -> bool;
    /// The value an optimiser keeps in its memory: f64 keeps every value (bit for bit
    /// as the float64 reference); f32, the fast mode, gives 0 for a subnormal
    /// (|x| < 2⁻¹²⁶ ≈ 1.2e-38). A memory whose gradient stays 0 decays by β or μ per
    /// step into the subnormals and, rounded, stays there (0.9 times the smallest
    /// subnormal rounds back to it), and x86 computes with subnormals many times
    /// slower: a text-mode run with Adam slowed 3.7× as 12 000 of its moments got stuck.
    fn keep_in_memory(self) -> Self;
}

macro_rules! real {
    ($t:ty, $keep:expr) => {
        impl Real for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const NEG_INFINITY: Self = <$t>::NEG_INFINITY;
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline(always)]
            fn keep_in_memory(self) -> Self {
                $keep(self)
            }
        }
    };
}
real!(f64, |x: f64| x);
real!(f32, |x: f32| if x.abs() < f32::MIN_POSITIVE {
    0.0
} else {
    x
});
