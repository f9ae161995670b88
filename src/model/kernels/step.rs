//! `loss_and_grad` for f32, batched and vectorised; the same mathematics as the
//! generic [`crate::model::objective::loss_and_grad`], which stays the reference
//! (the tests compare the two on every loss, cost and architecture).
//!
//! Layout: structure of arrays, padded to the lane count W (see `net.rs`). The
//! y side runs once over `[Y grid (padded) | batch y (padded)]`: G2 over the grid
//! serves every sample. Contrast searches scan one row of K energies at a time,
//! W grid values per instruction; NLL with d = 1 and the l1 cost uses the
//! factorised O(N + K) form of `nll1.rs`, otherwise exact rows with a fast exp.

use super::math::{exp, fma, tanh};
use super::net;
use super::nll1::{self, Nll1Buffers};
use crate::model::architecture::Model;
use crate::model::cost::Cost;
use crate::model::grid;
use crate::model::loss::Contrast;
use crate::model::objective::StepConfig;

/// Buffers of the fast step, reused across steps (no allocation once warm).
#[derive(Clone, Debug, Default)]
pub struct StepBuffers {
    x: Vec<f32>,
    xh: Vec<f32>,
    a: Vec<f32>,
    yin: Vec<f32>,
    ymask: Vec<f32>,
    yh: Vec<f32>,
    b: Vec<f32>,
    da: Vec<f32>,
    db: Vec<f32>,
    e: Vec<f32>,
    coef: Vec<f32>,
    row: Vec<f32>,
    p: Vec<f32>,
    g: Vec<f32>,
    ypad: Vec<f32>,
    best: Vec<f32>,
    best_k: Vec<f32>,
    dh: Vec<f32>,
    nll: Nll1Buffers,
}

/// What one step reads.
pub struct StepIn<'a> {
    pub model: &'a Model<f32>,
    pub xs: &'a [f32],
    pub ys: &'a [f32],
    pub y_grid: &'a [f32],
    pub cfg: &'a StepConfig,
}

pub fn round_up(n: usize, w: usize) -> usize {
    n.div_ceil(w) * w
}

/// Fills `v` with `src`, then `fill` up to length `len`.
fn padded(v: &mut Vec<f32>, src: &[f32], len: usize, fill: f32) {
    v.clear();
    v.extend_from_slice(src);
    v.resize(len, fill);
}

fn zeroed(v: &mut Vec<f32>, len: usize) {
    v.clear();
    v.resize(len, 0.0);
}

/// ∂c/∂vⱼ times `scale` (the saturated cost's tanh factor is already in `scale`).
/// The l1 sign is two selects against 0, not branches, so loops stay vectorised.
#[inline(always)]
fn dcost(cost: Cost, v: f32, scale: f32) -> f32 {
    match cost {
        Cost::L1 => {
            let pos = if v > 0.0 { scale } else { 0.0 };
            let neg = if v < 0.0 { scale } else { 0.0 };
            pos - neg
        }
        Cost::Square | Cost::Saturated => scale * v,
    }
}

/// The weight on an energy turned into the scale `dcost` expects.
#[inline(always)]
fn scale_of(cost: Cost, w: f32, energy: f32) -> f32 {
    match cost {
        Cost::Saturated => w * 2.0 * (1.0 - energy * energy),
        _ => w,
    }
}

/// E(aᵢ, b_k) for every column k of `b` (d rows of stride `m`, the first
/// `row.len()` columns), with `ai[j] = a[j·np + i]`.
#[inline(always)]
fn energy_row<const F: bool>(
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
        let bj = &b[j * m..j * m + len];
        match cost {
            Cost::L1 => {
                for (e, &bv) in row.iter_mut().zip(bj) {
                    *e += (aj - bv).abs();
                }
            }
            Cost::Square | Cost::Saturated => {
                for (e, &bv) in row.iter_mut().zip(bj) {
                    let v = aj - bv;
                    *e = fma::<F>(v, v, *e);
                }
            }
        }
    }
    finish_cost::<F>(cost, row);
}

#[inline(always)]
fn finish_cost<const F: bool>(cost: Cost, row: &mut [f32]) {
    match cost {
        Cost::L1 => {}
        Cost::Square => {
            for e in row.iter_mut() {
                *e *= 0.5;
            }
        }
        Cost::Saturated => {
            for e in row.iter_mut() {
                *e = tanh::<F>(*e);
            }
        }
    }
}

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

/// The step. Returns the mean loss (NaN when it or an energy is not finite)
/// and writes the gradient to `grad`.
#[inline(always)]
pub fn run<const W: usize, const F: bool>(
    inp: &StepIn,
    buf: &mut StepBuffers,
    grad: &mut Vec<f32>,
) -> f64 {
    let model = inp.model;
    let cfg = inp.cfg;
    let cost = model.cost;
    let (n, d) = (inp.xs.len(), model.dim());
    let np = round_up(n, W);
    let contrast = cfg.loss.contrast();
    let kk = if contrast == Contrast::None {
        0
    } else {
        inp.y_grid.len()
    };
    let kp = round_up(kk, W);
    let m = kp + np;
    let dual = model.g2.is_some();

    padded(&mut buf.x, inp.xs, np, 0.0);
    padded(&mut buf.yin, &inp.y_grid[..kk], kp, 0.0);
    buf.yin.extend_from_slice(inp.ys);
    buf.yin.resize(m, 0.0);
    padded(&mut buf.ymask, &inp.y_grid[..kk], kp, f32::NAN);
    let h1 = model.g1.hidden;
    buf.xh.resize(h1 * np, 0.0);
    buf.a.resize(d * np, 0.0);
    net::forward::<W, F>(h1, d, model.g1_params(), &buf.x, &mut buf.xh, &mut buf.a);
    match model.g2 {
        Some(g2) => {
            buf.yh.resize(g2.hidden * m, 0.0);
            buf.b.resize(d * m, 0.0);
            net::forward::<W, F>(
                g2.hidden,
                d,
                model.g2_params(),
                &buf.yin,
                &mut buf.yh,
                &mut buf.b,
            );
        }
        None => padded(&mut buf.b, &buf.yin, m, 0.0),
    }
    let (a, b) = (&buf.a[..], &buf.b[..]);

    // Sample energies, vectorised over the batch.
    zeroed(&mut buf.e, np);
    for j in 0..d {
        let (aj, bj) = (&a[j * np..(j + 1) * np], &b[j * m + kp..(j + 1) * m]);
        for ((e, &av), &bv) in buf.e.iter_mut().zip(aj).zip(bj) {
            let v = av - bv;
            *e = match cost {
                Cost::L1 => *e + v.abs(),
                _ => fma::<F>(v, v, *e),
            };
        }
    }
    finish_cost::<F>(cost, &mut buf.e);

    zeroed(&mut buf.da, d * np);
    zeroed(&mut buf.db, d * m);
    zeroed(&mut buf.coef, np);
    buf.row.resize(kp, 0.0);
    let s = 1.0 / n as f64;
    let sf = s as f32;
    let radius = cfg.radius as f32;
    let mut total = 0.0;
    match contrast {
        Contrast::None | Contrast::WholeGrid => {
            for i in 0..n {
                let e = buf.e[i];
                let pull = cfg.loss.pull(e as f64, None, &cfg.params);
                total += pull.loss;
                buf.coef[i] = scale_of(cost, (pull.on_sample * s) as f32, e);
            }
        }
        Contrast::MostOffending | Contrast::GridMin => {
            let grid_min = contrast == Contrast::GridMin;
            padded(&mut buf.ypad, inp.ys, np, f32::NAN);
            let scan = ContrastScan {
                cost,
                a,
                np,
                b,
                m,
                grid: &inp.y_grid[..kk],
                ys: &buf.ypad,
                radius: if grid_min { None } else { Some(radius) },
            };
            scan.run::<W, F>(&mut buf.best, &mut buf.best_k);
            for i in 0..n {
                let (v, kf) = (buf.best[i], buf.best_k[i]);
                let (found, e_bar) = if v.is_finite() {
                    (Some(kf as usize), v)
                } else {
                    // Non-finite energies: the reference's own scan decides.
                    energy_row::<F>(cost, a, np, i, b, m, &mut buf.row);
                    let row = &buf.row[..kk];
                    let kb = if grid_min {
                        Some(grid::argmin_scan(row))
                    } else {
                        grid::most_offending_scan(row, &inp.y_grid[..kk], inp.ys[i], radius)
                    };
                    (kb, kb.map_or(f32::NAN, |kb| row[kb]))
                };
                let e = buf.e[i];
                let pull = cfg
                    .loss
                    .pull(e as f64, found.map(|_| e_bar as f64), &cfg.params);
                total += pull.loss;
                buf.coef[i] = scale_of(cost, (pull.on_sample * s) as f32, e);
                if let Some(kc) = found.filter(|_| pull.on_contrast != 0.0) {
                    let w = scale_of(cost, (pull.on_contrast * s) as f32, e_bar);
                    for j in 0..d {
                        let g = dcost(cost, a[j * np + i] - b[j * m + kc], w);
                        buf.da[j * np + i] += g;
                        buf.db[j * m + kc] -= g;
                    }
                }
            }
        }
    }
    if contrast == Contrast::WholeGrid {
        let dy = if kk > 1 {
            (inp.y_grid[kk - 1] - inp.y_grid[0]) as f64 / (kk - 1) as f64
        } else {
            1.0
        };
        let beta = cfg.params.beta;
        if d == 1 && cost == Cost::L1 {
            let (da, db) = (&mut buf.da[..n], &mut buf.db[..kk]);
            total += nll1::rows::<F>(&a[..n], &b[..kk], beta, dy, sf, da, db, &mut buf.nll);
        } else {
            let rows = NllRows {
                cost,
                a,
                np,
                n,
                b,
                m,
                kk,
            };
            total += rows.run::<W, F>(
                beta,
                dy,
                sf,
                &mut buf.row,
                &mut buf.p,
                &mut buf.g,
                &mut buf.da,
                &mut buf.db,
            );
        }
    }

    // The sample term, vectorised over the batch.
    for j in 0..d {
        let aj = &a[j * np..(j + 1) * np];
        let bj = &b[j * m + kp..(j + 1) * m];
        let daj = &mut buf.da[j * np..(j + 1) * np];
        let dbj = &mut buf.db[j * m + kp..(j + 1) * m];
        for ((((da, db), &av), &bv), &c) in daj.iter_mut().zip(dbj).zip(aj).zip(bj).zip(&buf.coef) {
            let g = dcost(cost, av - bv, c);
            *da += g;
            *db -= g;
        }
    }

    let mean = total * s;
    if !mean.is_finite() || buf.e[..n].iter().any(|e| !e.is_finite()) {
        return f64::NAN;
    }
    grad.clear();
    grad.resize(model.params.len(), 0.0);
    let n1 = model.g1.n_params();
    let (grad1, grad2) = grad.split_at_mut(n1);
    buf.dh.resize(m.max(np), 0.0);
    net::backward::<W, F>(
        h1,
        d,
        model.g1_params(),
        &buf.x,
        &buf.xh,
        &buf.da,
        grad1,
        &mut buf.dh,
    );
    if let (Some(g2), true) = (model.g2, dual) {
        net::backward::<W, F>(
            g2.hidden,
            d,
            model.g2_params(),
            &buf.yin,
            &buf.yh,
            &buf.db,
            grad2,
            &mut buf.dh,
        );
    }
    mean
}

/// The contrast search of every sample at once: lanes run over samples and the
/// loop over the K grid values, so each lane keeps its own running minimum (no
/// horizontal reductions, no row stored) and ascending k with a strict `<`
/// keeps the first index on ties, as `grid::most_offending` does.
struct ContrastScan<'a> {
    cost: Cost,
    /// A (d × np) and B (d × m, the first K columns the grid's outputs).
    a: &'a [f32],
    np: usize,
    b: &'a [f32],
    m: usize,
    /// The K grid values and the batch's y (np, NaN padding: never eligible).
    grid: &'a [f32],
    ys: &'a [f32],
    /// The exclusion radius, or None for the plain grid minimum.
    radius: Option<f32>,
}

impl ContrastScan<'_> {
    /// Per sample: the lowest eligible energy (`best`, +∞ if none) and its
    /// index as a float (`best_k`).
    #[inline(always)]
    fn run<const W: usize, const F: bool>(&self, best: &mut Vec<f32>, best_k: &mut Vec<f32>) {
        // One copy of the loop per cost and radius rule: the compiler does not
        // hoist these choices out of the loop by itself.
        let d1 = self.a.len() == self.np;
        match (self.cost, self.radius.is_some(), d1) {
            (Cost::L1, true, true) => self.scan::<W, F, 0, true, true>(best, best_k),
            (Cost::L1, true, false) => self.scan::<W, F, 0, true, false>(best, best_k),
            (Cost::L1, false, _) => self.scan::<W, F, 0, false, false>(best, best_k),
            (Cost::Square, true, _) => self.scan::<W, F, 1, true, false>(best, best_k),
            (Cost::Square, false, _) => self.scan::<W, F, 1, false, false>(best, best_k),
            (Cost::Saturated, true, _) => self.scan::<W, F, 2, true, false>(best, best_k),
            (Cost::Saturated, false, _) => self.scan::<W, F, 2, false, false>(best, best_k),
        }
    }

    /// `C`: 0 l1, 1 square, 2 saturated; `R`: whether the radius applies;
    /// `D1`: d = 1.
    #[inline(always)]
    fn scan<const W: usize, const F: bool, const C: u8, const R: bool, const D1: bool>(
        &self,
        best: &mut Vec<f32>,
        best_k: &mut Vec<f32>,
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
                        let v = aj[l] - bjk;
                        e[l] = if C == 0 {
                            e[l] + v.abs()
                        } else {
                            fma::<F>(v, v, e[l])
                        };
                    }
                }
                for l in 0..W {
                    let energy = match C {
                        0 => e[l],
                        1 => 0.5 * e[l],
                        _ => tanh::<F>(e[l]),
                    };
                    let pen = if R { penalty(gk, yc[l], r) } else { 0.0 };
                    let v = energy + pen;
                    let take = v < lo[l];
                    lo_k[l] = if take { kf } else { lo_k[l] };
                    // `min`, not a select on `take`: the select became a masked
                    // store to the stack and a store-forwarding stall per k.
                    lo[l] = lo[l].min(v);
                }
                kf += 1.0;
            }
            bs[c] = lo;
            ks[c] = lo_k;
        }
    }
}

/// The energies NLL's direct form reads: A (d × np, n real) and B (d × m, the
/// first `kk` columns the Y grid).
struct NllRows<'a> {
    cost: Cost,
    a: &'a [f32],
    np: usize,
    n: usize,
    b: &'a [f32],
    m: usize,
    kk: usize,
}

impl NllRows<'_> {
    /// NLL's row terms, row by row (any d and cost): exact energies, a stable
    /// log-sum-exp with the row minimum factored out, and the softmax weights
    /// pushed through the cost. Adds to `da` and the grid part of `db`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn run<const W: usize, const F: bool>(
        &self,
        beta: f64,
        dy: f64,
        s: f32,
        row: &mut [f32],
        p: &mut Vec<f32>,
        g: &mut Vec<f32>,
        da: &mut [f32],
        db: &mut [f32],
    ) -> f64 {
        let (cost, a, np, b, m, kk) = (self.cost, self.a, self.np, self.b, self.m, self.kk);
        let d = a.len() / np;
        let kp = row.len();
        let nb = -(beta as f32);
        let (ln_dy, inv_beta) = (dy.ln(), 1.0 / beta);
        p.resize(kp, 0.0);
        g.resize(kp, 0.0);
        let mut total = 0.0;
        for i in 0..self.n {
            energy_row::<F>(cost, a, np, i, b, m, row);
            // Padding repeats a real energy: it changes no minimum, and its weight is zeroed.
            let last = row[kk - 1];
            row[kk..].fill(last);
            let mut lo = [f32::INFINITY; W];
            for rc in row.as_chunks::<W>().0 {
                for l in 0..W {
                    lo[l] = if rc[l] < lo[l] { rc[l] } else { lo[l] };
                }
            }
            let min = lo
                .iter()
                .fold(f32::INFINITY, |x, &y| if y < x { y } else { x });
            for (pv, &e) in p.iter_mut().zip(row.iter()) {
                *pv = exp::<F>(nb * (e - min));
            }
            p[kk..].fill(0.0);
            let z = net::sum::<W>(p);
            total += -(min as f64) + (ln_dy + (z as f64).ln()) * inv_beta;
            let w = -s / z;
            for (pv, &e) in p.iter_mut().zip(row.iter()) {
                *pv = scale_of(cost, *pv * w, e);
            }
            for j in 0..d {
                let aj = a[j * np + i];
                let bj = &b[j * m..j * m + kp];
                let dbj = &mut db[j * m..j * m + kp];
                // Three simple passes (each vectorises; fused, they did not).
                for ((gv, &bv), &pv) in g.iter_mut().zip(bj).zip(p.iter()) {
                    *gv = dcost(cost, aj - bv, pv);
                }
                for (dv, &gv) in dbj.iter_mut().zip(g.iter()) {
                    *dv -= gv;
                }
                da[j * np + i] += net::sum::<W>(g);
            }
        }
        total
    }
}
