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

    /// The slice as f32 when `Self` is f32: the generic code hands such
    /// slices to the vectorised kernels (`super::kernels`), which take plain
    /// f32 slices and their own config, so this trait stays a leaf.
    #[inline(always)]
    fn f32s(_v: &[Self]) -> Option<&[f32]> {
        None
    }

    /// [`Real::f32s`] for an output vector.
    #[inline(always)]
    fn f32s_mut(_v: &mut Vec<Self>) -> Option<&mut Vec<f32>> {
        None
    }
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
    #[inline(always)]
    fn f32s(v: &[f32]) -> Option<&[f32]> {
        Some(v)
    }
    #[inline(always)]
    fn f32s_mut(v: &mut Vec<f32>) -> Option<&mut Vec<f32>> {
        Some(v)
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
