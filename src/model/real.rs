//! The scalar type of the numeric core.
//!
//! Training runs in `f32` (twice the SIMD width, and the nets are tiny so
//! precision is not the limit); the gradient tests run the very same code in
//! `f64` so that finite differences can be compared tightly.

use std::fmt::Debug;
use std::ops::{AddAssign, MulAssign, SubAssign};

use num_traits::Float;

pub trait Real:
    Float + AddAssign + SubAssign + MulAssign + Default + Debug + Send + Sync + 'static
{
    fn of(v: f64) -> Self;
    fn as_f64(self) -> f64;
}

impl Real for f32 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl Real for f64 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        self
    }
}
