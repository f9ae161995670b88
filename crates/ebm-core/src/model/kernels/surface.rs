//! E over a grid xs × ys (forward only): the picture of the surface and the
//! rows the metrics scan. Both nets run once over their axis, batched (see
//! `net.rs`); then each output row is one vectorised pass over the y axis.

use super::cost::{add_term, finish_row};
use super::net;
use super::net::round_up;
use super::Net;

#[derive(Clone, Debug, Default)]
pub struct GridBuffers {
    x: Vec<f32>,
    xh: Vec<f32>,
    a: Vec<f32>,
    y: Vec<f32>,
    yh: Vec<f32>,
    b: Vec<f32>,
}

/// One side's outputs (d × padded length) into `out`.
#[inline(always)]
fn side<const W: usize, const F: bool>(
    shape: Option<crate::model::mlp::MlpShape>,
    d: usize,
    params: &[f32],
    inputs: &[f32],
    padded: &mut Vec<f32>,
    h: &mut Vec<f32>,
    out: &mut Vec<f32>,
) {
    let len = round_up(inputs.len(), W);
    padded.clear();
    padded.extend_from_slice(inputs);
    padded.resize(len, 0.0);
    match shape {
        Some(s) => {
            h.resize(s.hidden * len, 0.0);
            out.resize(d * len, 0.0);
            net::forward::<W, F>(s.hidden, d, params, padded, h, out);
        }
        None => {
            out.clear();
            out.extend_from_slice(padded);
        }
    }
}

/// Energies on xs × ys, row-major (one row of `ys.len()` per x), into `out`.
#[inline(always)]
pub fn energy_grid<const W: usize, const F: bool>(
    net: Net<'_>,
    xs: &[f32],
    ys: &[f32],
    buf: &mut GridBuffers,
    out: &mut Vec<f32>,
) {
    let d = net.dim();
    let (nx, ny) = (xs.len(), ys.len());
    side::<W, F>(
        Some(net.g1),
        d,
        net.g1_params(),
        xs,
        &mut buf.x,
        &mut buf.xh,
        &mut buf.a,
    );
    side::<W, F>(
        net.g2,
        d,
        net.g2_params(),
        ys,
        &mut buf.y,
        &mut buf.yh,
        &mut buf.b,
    );
    let (npx, npy) = (buf.x.len(), buf.y.len());
    // Every cell is written below: no zero fill when the size is unchanged.
    out.resize(nx * ny, 0.0);
    if ny == 0 {
        return;
    }
    let cost = net.cost;
    for (i, row) in out.chunks_exact_mut(ny).enumerate() {
        for j in 0..d {
            let aj = buf.a[j * npx + i];
            let bj = &buf.b[j * npy..j * npy + ny];
            // The first term writes (no zero fill), the others add.
            let first = j == 0;
            for (e, &bv) in row.iter_mut().zip(bj) {
                let base = if first { 0.0 } else { *e };
                *e = add_term::<F>(cost, base, aj - bv);
            }
        }
        finish_row::<F>(cost, row);
    }
}

/// E(xᵢ, yᵢ) for each pair, into `out`.
#[inline(always)]
pub fn pair_energies<const W: usize, const F: bool>(
    net: Net<'_>,
    xs: &[f32],
    ys: &[f32],
    buf: &mut GridBuffers,
    out: &mut Vec<f32>,
) {
    let d = net.dim();
    let n = xs.len().min(ys.len());
    side::<W, F>(
        Some(net.g1),
        d,
        net.g1_params(),
        &xs[..n],
        &mut buf.x,
        &mut buf.xh,
        &mut buf.a,
    );
    side::<W, F>(
        net.g2,
        d,
        net.g2_params(),
        &ys[..n],
        &mut buf.y,
        &mut buf.yh,
        &mut buf.b,
    );
    let np = buf.x.len();
    out.clear();
    out.resize(n, 0.0);
    let cost = net.cost;
    for j in 0..d {
        let aj = &buf.a[j * np..j * np + n];
        let bj = &buf.b[j * np..j * np + n];
        for ((e, &av), &bv) in out.iter_mut().zip(aj).zip(bj) {
            *e = add_term::<F>(cost, *e, av - bv);
        }
    }
    finish_row::<F>(cost, out);
}
