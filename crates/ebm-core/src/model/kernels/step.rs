//! `loss_and_grad` for f32, batched and vectorised; the same mathematics as the
//! generic [`crate::model::objective::loss_and_grad`], which stays the reference
//! (the tests compare the two on every loss, cost and architecture).
//!
//! Layout: structure of arrays, padded to the lane count W (see `net.rs`). The
//! y side runs once over `[Y grid (padded) | batch y (padded)]`: G2 over the grid
//! serves every sample. Contrast searches scan one row of K energies at a time,
//! W grid values per instruction; NLL with d = 1 and the l1 cost uses the
//! factorised O(N + K) form of `nll1.rs`, otherwise exact rows with a fast exp.

use super::aligned::AlignedBuf;
use super::contrast::ContrastScan;
use super::cost::{add_term, dcost, energy_row, finish_row, scale_of};
use super::net::{self, round_up};
use super::nll1::{self, Nll1Buffers};
use super::nll_rows::NllRows;
use super::Net;
use crate::model::cost::Cost;
use crate::model::grid;
use crate::model::loss::{Contrast, StepConfig};

/// Buffers of the fast step, reused across steps (no allocation once warm).
#[derive(Clone, Debug, Default)]
pub struct StepBuffers {
    x: AlignedBuf,
    xh: AlignedBuf,
    a: AlignedBuf,
    yin: AlignedBuf,
    ymask: AlignedBuf,
    yh: AlignedBuf,
    b: AlignedBuf,
    da: AlignedBuf,
    db: AlignedBuf,
    e: AlignedBuf,
    coef: AlignedBuf,
    row: AlignedBuf,
    p: AlignedBuf,
    g: AlignedBuf,
    ypad: AlignedBuf,
    best: AlignedBuf,
    best_k: AlignedBuf,
    dh: AlignedBuf,
    nll: Nll1Buffers,
}

/// What one step reads.
pub struct StepIn<'a> {
    pub net: Net<'a>,
    pub xs: &'a [f32],
    pub ys: &'a [f32],
    pub y_grid: &'a [f32],
    pub cfg: &'a StepConfig,
}

/// Fills `v` with `src`, then `fill` up to length `len`.
fn padded(v: &mut AlignedBuf, src: &[f32], len: usize, fill: f32) {
    v.clear();
    v.extend_from_slice(src);
    v.resize(len, fill);
}

fn zeroed(v: &mut AlignedBuf, len: usize) {
    v.clear();
    v.resize(len, 0.0);
}

/// The sizes of one step: n samples (padded to np), d outputs, kk grid values
/// read by the loss (padded to kp), m = kp + np columns on the y side.
#[derive(Clone, Copy)]
struct Layout {
    n: usize,
    d: usize,
    np: usize,
    kk: usize,
    kp: usize,
    m: usize,
}

impl Layout {
    fn of<const W: usize>(inp: &StepIn) -> Layout {
        let n = inp.xs.len();
        let np = round_up(n, W);
        let kk = match inp.cfg.loss.contrast() {
            Contrast::None => 0,
            Contrast::MostOffending
            | Contrast::GridMin
            | Contrast::LogPartition
            | Contrast::Probability => inp.y_grid.len(),
        };
        let kp = round_up(kk, W);
        Layout {
            n,
            d: inp.net.dim(),
            np,
            kk,
            kp,
            m: kp + np,
        }
    }
}

/// The step. Returns the mean loss (NaN when it or an energy is not finite)
/// and writes the gradient to `grad`.
#[inline(always)]
pub fn run<const W: usize, const F: bool>(
    inp: &StepIn,
    buf: &mut StepBuffers,
    grad: &mut Vec<f32>,
) -> f64 {
    let lay = Layout::of::<W>(inp);
    forward::<W, F>(inp, &lay, buf);
    sample_energies::<F>(inp.net.cost, &lay, buf);
    zeroed(&mut buf.da, lay.d * lay.np);
    zeroed(&mut buf.db, lay.d * lay.m);
    zeroed(&mut buf.coef, lay.np);
    buf.row.resize(lay.kp, 0.0);
    let s = 1.0 / lay.n as f64;
    let mut total = match inp.cfg.loss.contrast() {
        Contrast::None | Contrast::LogPartition | Contrast::Probability => {
            sample_pulls(inp, &lay, s, buf)
        }
        Contrast::MostOffending | Contrast::GridMin => contrast_pulls::<W, F>(inp, &lay, s, buf),
    };
    if inp.cfg.loss.contrast().reads_partition() {
        total += partition::<W, F>(inp, &lay, s as f32, buf);
    }
    sample_term::<F>(inp.net.cost, &lay, buf);
    let mean = total * s;
    if !mean.is_finite() || buf.e[..lay.n].iter().any(|e| !e.is_finite()) {
        return f64::NAN;
    }
    backward::<W, F>(inp.net, &lay, buf, grad);
    mean
}

/// Pads the inputs and runs both nets: A = G1(x) over the batch, B over
/// `[Y grid (padded) | batch y (padded)]` (or y itself for the regressor).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn forward<const W: usize, const F: bool>(inp: &StepIn, lay: &Layout, buf: &mut StepBuffers) {
    let (net, kk, kp, m, d) = (inp.net, lay.kk, lay.kp, lay.m, lay.d);
    padded(&mut buf.x, inp.xs, lay.np, 0.0);
    padded(&mut buf.yin, &inp.y_grid[..kk], kp, 0.0);
    buf.yin.extend_from_slice(inp.ys);
    buf.yin.resize(m, 0.0);
    padded(&mut buf.ymask, &inp.y_grid[..kk], kp, f32::NAN);
    let h1 = net.g1.hidden;
    buf.xh.resize(h1 * lay.np, 0.0);
    buf.a.resize(d * lay.np, 0.0);
    net::forward::<W, F>(h1, d, net.g1_params(), &buf.x, &mut buf.xh, &mut buf.a);
    match net.g2 {
        Some(g2) => {
            buf.yh.resize(g2.hidden * m, 0.0);
            buf.b.resize(d * m, 0.0);
            net::forward::<W, F>(
                g2.hidden,
                d,
                net.g2_params(),
                &buf.yin,
                &mut buf.yh,
                &mut buf.b,
            );
        }
        None => padded(&mut buf.b, &buf.yin, m, 0.0),
    }
}

/// Sample energies, vectorised over the batch.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn sample_energies<const F: bool>(cost: Cost, lay: &Layout, buf: &mut StepBuffers) {
    let (np, m, kp) = (lay.np, lay.m, lay.kp);
    zeroed(&mut buf.e, np);
    for j in 0..lay.d {
        let (aj, bj) = (
            &buf.a[j * np..(j + 1) * np],
            &buf.b[j * m + kp..(j + 1) * m],
        );
        for ((e, &av), &bv) in buf.e.iter_mut().zip(aj).zip(bj) {
            *e = add_term::<F>(cost, *e, av - bv);
        }
    }
    finish_row::<F>(cost, &mut buf.e);
}

/// The loss of each sample from Eᵢ alone (energy; nll's sample term).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn sample_pulls(inp: &StepIn, lay: &Layout, s: f64, buf: &mut StepBuffers) -> f64 {
    let (cost, cfg) = (inp.net.cost, inp.cfg);
    let mut total = 0.0;
    for i in 0..lay.n {
        let e = buf.e[i];
        let pull = cfg.loss.pull(e as f64, None, &cfg.params);
        total += pull.loss;
        buf.coef[i] = scale_of(cost, (pull.on_sample * s) as f32, e);
    }
    total
}

/// The loss of each sample against its contrast (ȳ or the grid minimum),
/// with the contrast's gradient added to `da`/`db`.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn contrast_pulls<const W: usize, const F: bool>(
    inp: &StepIn,
    lay: &Layout,
    s: f64,
    buf: &mut StepBuffers,
) -> f64 {
    let (cost, cfg) = (inp.net.cost, inp.cfg);
    let (np, m, kk, d) = (lay.np, lay.m, lay.kk, lay.d);
    let grid_min = cfg.loss.contrast() == Contrast::GridMin;
    let radius = cfg.radius as f32;
    padded(&mut buf.ypad, inp.ys, np, f32::NAN);
    let (a, b) = (&buf.a[..], &buf.b[..]);
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
    let mut total = 0.0;
    for i in 0..lay.n {
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
    total
}

/// nll's row term over the grid, with its gradient added to `da`/`db`.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn partition<const W: usize, const F: bool>(
    inp: &StepIn,
    lay: &Layout,
    sf: f32,
    buf: &mut StepBuffers,
) -> f64 {
    let (cost, kk, n) = (inp.net.cost, lay.kk, lay.n);
    let dy = if kk > 1 {
        (inp.y_grid[kk - 1] - inp.y_grid[0]) as f64 / (kk - 1) as f64
    } else {
        1.0
    };
    let beta = inp.cfg.params.beta;
    let (a, b) = (&buf.a[..], &buf.b[..]);
    let contrast = inp.cfg.loss.contrast();
    let with_sample = contrast.sample_in_partition(inp.cfg.params.partition);
    if lay.d == 1 && cost == Cost::L1 && contrast == Contrast::LogPartition {
        let (da, db) = (&mut buf.da[..n], &mut buf.db[..kk]);
        let sample = with_sample.then(|| nll1::SampleTerms {
            e: &buf.e[..n],
            coef: &mut buf.coef[..n],
        });
        return nll1::rows::<F>(
            &a[..n],
            &b[..kk],
            beta,
            dy,
            sf,
            da,
            db,
            &mut buf.nll,
            sample,
        );
    }
    let rows = NllRows {
        cost,
        a,
        np: lay.np,
        n,
        b,
        m: lay.m,
        kk,
        sample: with_sample.then_some(&buf.e[..]),
        probability: contrast == Contrast::Probability,
    };
    rows.run::<W, F>(
        beta,
        dy,
        sf,
        &mut buf.row,
        &mut buf.p,
        &mut buf.g,
        &mut buf.da,
        &mut buf.db,
        &mut buf.coef,
    )
}

/// The sample term's gradient, vectorised over the batch.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn sample_term<const F: bool>(cost: Cost, lay: &Layout, buf: &mut StepBuffers) {
    let (np, m, kp) = (lay.np, lay.m, lay.kp);
    for j in 0..lay.d {
        let aj = &buf.a[j * np..(j + 1) * np];
        let bj = &buf.b[j * m + kp..(j + 1) * m];
        let daj = &mut buf.da[j * np..(j + 1) * np];
        let dbj = &mut buf.db[j * m + kp..(j + 1) * m];
        for ((((da, db), &av), &bv), &c) in daj.iter_mut().zip(dbj).zip(aj).zip(bj).zip(&buf.coef) {
            let g = dcost(cost, av - bv, c);
            *da += g;
            *db -= g;
        }
    }
}

/// Back through both nets into `grad` (G1's parameters, then G2's).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn backward<const W: usize, const F: bool>(
    net: Net<'_>,
    lay: &Layout,
    buf: &mut StepBuffers,
    grad: &mut Vec<f32>,
) {
    grad.clear();
    grad.resize(net.params.len(), 0.0);
    let n1 = net.g1.n_params();
    let (grad1, grad2) = grad.split_at_mut(n1);
    buf.dh.resize(lay.m.max(lay.np), 0.0);
    let h1 = net.g1.hidden;
    net::backward::<W, F>(
        h1,
        lay.d,
        net.g1_params(),
        &buf.x,
        &buf.xh,
        &buf.da,
        grad1,
        &mut buf.dh,
    );
    if let Some(g2) = net.g2 {
        net::backward::<W, F>(
            g2.hidden,
            lay.d,
            net.g2_params(),
            &buf.yin,
            &buf.yh,
            &buf.db,
            grad2,
            &mut buf.dh,
        );
    }
}
