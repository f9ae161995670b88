//! The cost c as the f32 kernels compute it: a term per component summed over
//! the d outputs, then a finish on the sum; and the two factors of its
//! derivative. Every kernel (the step, the surface, the contrast scans) uses
//! these, and every match is over all costs (no catch-all), so a new cost does
//! not compile until each part is defined. The f64 reference is `Cost::value`
//! and `Cost::grad` in `model/cost.rs`; `kernels/tests.rs` checks the two agree.

use super::math::{fma, tanh};
use crate::model::cost::Cost;

/// acc + |v| (l1) or acc + v² (square, saturated).
#[inline(always)]
pub fn add_term<const F: bool>(cost: Cost, acc: f32, v: f32) -> f32 {
    match cost {
        Cost::L1 => acc + v.abs(),
        Cost::Square | Cost::Saturated => fma::<F>(v, v, acc),
    }
}

/// The energy from the summed terms.
#[inline(always)]
pub fn finish<const F: bool>(cost: Cost, acc: f32) -> f32 {
    match cost {
        Cost::L1 => acc,
        Cost::Square => 0.5 * acc,
        Cost::Saturated => tanh::<F>(acc),
    }
}

/// [`finish`] over a row, with the match outside the loop.
#[inline(always)]
pub fn finish_row<const F: bool>(cost: Cost, row: &mut [f32]) {
    match cost {
        Cost::L1 => {}
        Cost::Square => row.iter_mut().for_each(|e| *e *= 0.5),
        Cost::Saturated => row.iter_mut().for_each(|e| *e = tanh::<F>(*e)),
    }
}

/// row[k] += term(a − b[k]) for every k.
#[inline(always)]
pub fn add_terms<const F: bool>(cost: Cost, a: f32, b: &[f32], row: &mut [f32]) {
    match cost {
        Cost::L1 => {
            for (e, &bv) in row.iter_mut().zip(b) {
                *e += (a - bv).abs();
            }
        }
        Cost::Square | Cost::Saturated => {
            for (e, &bv) in row.iter_mut().zip(b) {
                let v = a - bv;
                *e = fma::<F>(v, v, *e);
            }
        }
    }
}

/// The weight on an energy turned into the scale [`dcost`] expects (the
/// saturated cost's tanh′ = 1 − E² folded in).
#[inline(always)]
pub fn scale_of(cost: Cost, w: f32, energy: f32) -> f32 {
    match cost {
        Cost::Saturated => w * 2.0 * (1.0 - energy * energy),
        Cost::L1 | Cost::Square => w,
    }
}

/// ∂c/∂vⱼ times `scale`. The l1 sign is two selects against 0, not branches,
/// so loops stay vectorised.
#[inline(always)]
pub fn dcost(cost: Cost, v: f32, scale: f32) -> f32 {
    match cost {
        Cost::L1 => {
            let pos = if v > 0.0 { scale } else { 0.0 };
            let neg = if v < 0.0 { scale } else { 0.0 };
            pos - neg
        }
        Cost::Square | Cost::Saturated => scale * v,
    }
}

/// A cost as a const parameter of the monomorphised scans: its index in
/// `Cost::ALL`, and back.
pub const fn index(cost: Cost) -> usize {
    match cost {
        Cost::L1 => 0,
        Cost::Square => 1,
        Cost::Saturated => 2,
    }
}

#[inline(always)]
pub const fn from_index<const C: usize>() -> Cost {
    Cost::ALL[C]
}
