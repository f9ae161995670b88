//! The cost as the f32 kernels run it: the one definition in `model/cost.rs`
//! ([`term`], [`finish`], [`scale`], [`dcost`]) in the kernels' arithmetic
//! [`Lanes`] (fused multiply-add and the fast tanh when `F`), plus the row
//! loops, written per cost so each loop body is branch-free and vectorises.

use super::math::{fma, tanh};
use crate::model::cost::{self, Cost, CostMath};

/// The kernels' f32 arithmetic; `F`: the CPU level has FMA.
pub struct Lanes<const F: bool>;

impl<const F: bool> CostMath for Lanes<F> {
    type V = f32;
    #[inline(always)]
    fn of(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn abs(v: f32) -> f32 {
        v.abs()
    }
    #[inline(always)]
    fn fma(a: f32, b: f32, c: f32) -> f32 {
        fma::<F>(a, b, c)
    }
    #[inline(always)]
    fn tanh(v: f32) -> f32 {
        tanh::<F>(v)
    }
}

/// acc + the cost's term of v.
#[inline(always)]
pub fn add_term<const F: bool>(cost: Cost, acc: f32, v: f32) -> f32 {
    cost::term::<Lanes<F>>(cost, acc, v)
}

/// The energy from the summed terms.
#[inline(always)]
pub fn finish<const F: bool>(cost: Cost, acc: f32) -> f32 {
    cost::finish::<Lanes<F>>(cost, acc)
}

/// [`finish`] over a row, with the match outside the loop.
#[inline(always)]
pub fn finish_row<const F: bool>(cost: Cost, row: &mut [f32]) {
    match cost {
        Cost::L1 => {}
        c @ (Cost::Square | Cost::Saturated) => {
            row.iter_mut().for_each(|e| *e = finish::<F>(c, *e))
        }
    }
}

/// row[k] += term(a − b[k]) for every k, with the match outside the loop.
#[inline(always)]
pub fn add_terms<const F: bool>(cost: Cost, a: f32, b: &[f32], row: &mut [f32]) {
    #[inline(always)]
    fn each<const F: bool, const C: usize>(a: f32, b: &[f32], row: &mut [f32]) {
        for (e, &bv) in row.iter_mut().zip(b) {
            *e = add_term::<F>(from_index::<C>(), *e, a - bv);
        }
    }
    match cost {
        Cost::L1 => each::<F, { index(Cost::L1) }>(a, b, row),
        Cost::Square => each::<F, { index(Cost::Square) }>(a, b, row),
        Cost::Saturated => each::<F, { index(Cost::Saturated) }>(a, b, row),
    }
}

/// The weight on an energy turned into the scale [`dcost`] expects.
#[inline(always)]
pub fn scale_of(cost: Cost, w: f32, energy: f32) -> f32 {
    cost::scale::<Lanes<false>>(cost, w, energy)
}

/// ∂c/∂vⱼ times `scale` (selects, not branches: loops stay vectorised).
#[inline(always)]
pub fn dcost(cost: Cost, v: f32, scale: f32) -> f32 {
    cost::dcost::<Lanes<false>>(cost, v, scale)
}

/// E(aᵢ, b_k) for every column k of `b` (d rows of stride `m`, the first
/// `row.len()` columns), with `ai[j] = a[j·np + i]`.
#[inline(always)]
pub fn energy_row<const F: bool>(
    cost: Cost,
    a: &[f32],
    np: usize,
    i: usize,
    b: &[f32],
    m: usize,
    row: &mut [f32],
) {
    let d = a.len() / np;
    let len = row.len();
    row.fill(0.0);
    for j in 0..d {
        let aj = a[j * np + i];
        add_terms::<F>(cost, aj, &b[j * m..j * m + len], row);
    }
    finish_row::<F>(cost, row);
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
