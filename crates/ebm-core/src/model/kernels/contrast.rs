//! The contrast search of the step: for every sample at once, ȳ (the lowest
//! energy outside the exclusion radius) or the grid minimum, W samples per
//! instruction; and the masked argmin the row scans of `scan.rs` share.

use super::aligned::AlignedBuf;
use super::cost::{add_term, finish, from_index, index};
use super::math::min_acc;

use crate::model::cost::Cost;

/// 0 for an eligible grid value, +∞ for one inside the radius (or padding).
/// A select between constants, added to the energy: no conditional load, so
/// the loops around it stay vectorised.
#[inline(always)]
fn penalty(g: f32, y: f32, r: f32) -> f32 {
    if (g - y).abs() > r {
        0.0
    } else {
        f32::INFINITY
    }
}

/// Lowest `row[k]` among k with |mask[k] − y| > r (first on ties), or None
/// (also when that lowest value is not finite: the caller then asks the
/// reference scan). `mask` is NaN on padding, which is never eligible.
///
/// Two branch-free passes vectorise where one pass tracking indices does not:
/// the minimum, then the first chunk that holds it.
#[inline(always)]
pub fn masked_argmin<const W: usize>(
    row: &[f32],
    mask: &[f32],
    y: f32,
    r: f32,
) -> Option<(usize, f32)> {
    let rows = row.as_chunks::<W>().0;
    let masks = mask.as_chunks::<W>().0;
    let mut best = [f32::INFINITY; W];
    for (rc, mc) in rows.iter().zip(masks) {
        for l in 0..W {
            let v = rc[l] + penalty(mc[l], y, r);
            best[l] = if v < best[l] { v } else { best[l] };
        }
    }
    let min = best
        .iter()
        .fold(f32::INFINITY, |a, &b| if b < a { b } else { a });
    if !min.is_finite() {
        return None;
    }
    // The first index holding it, as a float minimum (exact below 2²⁴): one
    // condition per select keeps this pass vectorised too.
    let mut first = [f32::INFINITY; W];
    let mut k = [0.0f32; W];
    for (l, v) in k.iter_mut().enumerate() {
        *v = l as f32;
    }
    for (rc, mc) in rows.iter().zip(masks) {
        for l in 0..W {
            let v = rc[l] + penalty(mc[l], y, r);
            let cand = if v == min { k[l] } else { f32::INFINITY };
            first[l] = if cand < first[l] { cand } else { first[l] };
            k[l] += W as f32;
        }
    }
    let kb = first
        .iter()
        .fold(f32::INFINITY, |a, &b| if b < a { b } else { a });
    kb.is_finite().then_some((kb as usize, min))
}

/// The contrast search of every sample at once: lanes run over samples and the
/// loop over the K grid values, so each lane keeps its own running minimum (no
/// horizontal reductions, no row stored) and ascending k with a strict `<`
/// keeps the first index on ties, as `grid::most_offending` does.
pub(super) struct ContrastScan<'a> {
    pub cost: Cost,
    /// A (d × np) and B (d × m, the first K columns the grid's outputs).
    pub a: &'a [f32],
    pub np: usize,
    pub b: &'a [f32],
    pub m: usize,
    /// The K grid values and the batch's y (np, NaN padding: never eligible).
    pub grid: &'a [f32],
    pub ys: &'a [f32],
    /// The exclusion radius, or None for the plain grid minimum.
    pub radius: Option<f32>,
}

impl ContrastScan<'_> {
    /// Per sample: the lowest eligible energy (`best`, +∞ if none) and its
    /// index as a float (`best_k`).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn run<const W: usize, const F: bool>(
        &self,
        best: &mut AlignedBuf,
        best_k: &mut AlignedBuf,
    ) {
        // One copy of the loop per cost and radius rule: the compiler does not
        // hoist these choices out of the loop by itself.
        let d1 = self.a.len() == self.np;
        match (self.cost, self.radius.is_some(), d1) {
            (Cost::L1, true, true) => {
                self.scan::<W, F, { index(Cost::L1) }, true, true>(best, best_k)
            }
            (Cost::L1, true, false) => {
                self.scan::<W, F, { index(Cost::L1) }, true, false>(best, best_k)
            }
            (Cost::L1, false, _) => {
                self.scan::<W, F, { index(Cost::L1) }, false, false>(best, best_k)
            }
            (Cost::Square, true, _) => {
                self.scan::<W, F, { index(Cost::Square) }, true, false>(best, best_k)
            }
            (Cost::Square, false, _) => {
                self.scan::<W, F, { index(Cost::Square) }, false, false>(best, best_k)
            }
            (Cost::Saturated, true, _) => {
                self.scan::<W, F, { index(Cost::Saturated) }, true, false>(best, best_k)
            }
            (Cost::Saturated, false, _) => {
                self.scan::<W, F, { index(Cost::Saturated) }, false, false>(best, best_k)
            }
        }
    }

    /// `C`: the cost (its index, `kernels/cost.rs`); `R`: whether the radius applies;
    /// `D1`: d = 1.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn scan<const W: usize, const F: bool, const C: usize, const R: bool, const D1: bool>(
        &self,
        best: &mut AlignedBuf,
        best_k: &mut AlignedBuf,
    ) {
        let (np, m) = (self.np, self.m);
        let r = self.radius.unwrap_or(0.0);
        let d = self.a.len() / np;
        best.clear();
        best.resize(np, f32::INFINITY);
        best_k.clear();
        best_k.resize(np, f32::INFINITY);
        let chunks = np / W;
        let a = self.a.as_chunks::<W>().0;
        let ys = self.ys.as_chunks::<W>().0;
        let (bs, ks) = (best.as_chunks_mut::<W>().0, best_k.as_chunks_mut::<W>().0);
        // W samples at a time, their running minima in registers over all k.
        for c in 0..chunks {
            let (mut lo, mut lo_k) = ([f32::INFINITY; W], [f32::INFINITY; W]);
            let yc = &ys[c];
            let mut kf = 0.0f32;
            for (k, &gk) in self.grid.iter().enumerate() {
                let mut e = [0.0f32; W];
                // d = 1 (the standard step) as its own straight-line case:
                // with a loop of unknown length around it the running minima
                // left the registers.
                let dims = if D1 { 1 } else { d };
                for j in 0..dims {
                    let bjk = self.b[j * m + k];
                    let aj = &a[j * chunks + c];
                    for l in 0..W {
                        e[l] = add_term::<F>(from_index::<C>(), e[l], aj[l] - bjk);
                    }
                }
                for l in 0..W {
                    let energy = finish::<F>(from_index::<C>(), e[l]);
                    let pen = if R { penalty(gk, yc[l], r) } else { 0.0 };
                    let v = energy + pen;
                    let take = v < lo[l];
                    lo_k[l] = if take { kf } else { lo_k[l] };
                    // `min`, not a select on `take`: the select became a masked
                    // store to the stack and a store-forwarding stall per k (x86).
                    lo[l] = min_acc(lo[l], v);
                }
                kf += 1.0;
            }
            bs[c] = lo;
            ks[c] = lo_k;
        }
    }
}
