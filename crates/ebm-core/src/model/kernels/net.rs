//! The 1 → H → d tanh MLP over a batch, in a layout the compiler vectorises.
//!
//! [`crate::model::mlp`] keeps one sample's H activations together (natural for
//! reading, scalar to compute). Here each hidden unit j owns a row of the m
//! inputs' activations (`h[j·m + i]`) and each output k a row (`out[k·m + i]`):
//! every inner loop runs along the batch, 8 or 16 samples per instruction. The
//! caller pads m to a multiple of the lane count W with finite inputs and zero
//! output gradients, so padding never changes a sum.
//!
//! Parameters use the flat layout of `mlp.rs`: `[w1 (H), b1 (H), w2 (d×H), b2 (d)]`.

use super::math::{fma, tanh};

/// Σ a·b with W independent accumulators (a float sum is only vectorised when
/// its order is spelled out like this). Lengths are multiples of W.
#[inline(always)]
pub fn dot<const W: usize>(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; W];
    for (ca, cb) in a.as_chunks::<W>().0.iter().zip(b.as_chunks::<W>().0) {
        for l in 0..W {
            acc[l] += ca[l] * cb[l];
        }
    }
    acc.iter().sum()
}

/// Σ a with W independent accumulators.
#[inline(always)]
pub fn sum<const W: usize>(a: &[f32]) -> f32 {
    let mut acc = [0.0f32; W];
    for ca in a.as_chunks::<W>().0 {
        for l in 0..W {
            acc[l] += ca[l];
        }
    }
    acc.iter().sum()
}

/// Forward pass: fills `h` (H × m) and `out` (d × m) for inputs `x` (m).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub fn forward<const W: usize, const F: bool>(
    hn: usize,
    d: usize,
    params: &[f32],
    x: &[f32],
    h: &mut [f32],
    out: &mut [f32],
) {
    let m = x.len();
    let (w1, rest) = params.split_at(hn);
    let (b1, rest) = rest.split_at(hn);
    let (w2, b2) = rest.split_at(d * hn);
    for (k, o) in out[..d * m].chunks_exact_mut(m).enumerate() {
        o.fill(b2[k]);
    }
    for (j, hj) in h[..hn * m].chunks_exact_mut(m).enumerate() {
        let (wj, bj) = (w1[j], b1[j]);
        for (hv, &xv) in hj.iter_mut().zip(x) {
            *hv = tanh::<F>(fma::<F>(wj, xv, bj));
        }
        for (k, o) in out[..d * m].chunks_exact_mut(m).enumerate() {
            let c = w2[k * hn + j];
            for (ov, &hv) in o.iter_mut().zip(hj.iter()) {
                *ov = fma::<F>(c, hv, *ov);
            }
        }
    }
}

/// Backward pass: given dL/d(out) (`dout`, d × m) *adds* dL/dθ to `grad`.
/// `dh` is scratch of length m.
#[allow(clippy::too_many_arguments)]
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub fn backward<const W: usize, const F: bool>(
    hn: usize,
    d: usize,
    params: &[f32],
    x: &[f32],
    h: &[f32],
    dout: &[f32],
    grad: &mut [f32],
    dh: &mut [f32],
) {
    let m = x.len();
    let w2 = &params[2 * hn..2 * hn + d * hn];
    let (gw1, rest) = grad.split_at_mut(hn);
    let (gb1, rest) = rest.split_at_mut(hn);
    let (gw2, gb2) = rest.split_at_mut(d * hn);
    for (k, g) in gb2.iter_mut().enumerate().take(d) {
        let dk = &dout[k * m..(k + 1) * m];
        *g += sum::<W>(dk);
    }
    let dh = &mut dh[..m];
    for j in 0..hn {
        let hj = &h[j * m..(j + 1) * m];
        dh.fill(0.0);
        for k in 0..d {
            let dk = &dout[k * m..(k + 1) * m];
            gw2[k * hn + j] += dot::<W>(dk, hj);
            let c = w2[k * hn + j];
            for (a, &g) in dh.iter_mut().zip(dk) {
                *a = fma::<F>(c, g, *a);
            }
        }
        // dz = dh·(1 − h²), the tanh derivative.
        for (a, &hv) in dh.iter_mut().zip(hj) {
            *a *= fma::<F>(-hv, hv, 1.0);
        }
        gw1[j] += dot::<W>(dh, x);
        gb1[j] += sum::<W>(dh);
    }
}

/// `n` rounded up to a multiple of the lane count `w` (the padded length).
pub fn round_up(n: usize, w: usize) -> usize {
    n.div_ceil(w) * w
}
