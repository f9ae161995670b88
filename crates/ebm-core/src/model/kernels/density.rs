//! The density energy E(y) = w₃·silu(W₂ silu(W₁y + b₁) + b₂) + b₃ over a
//! batch of 2-D points: forward, ∂E/∂y (what every Langevin step needs) and
//! ∂L/∂θ from ∂L/∂E. Activations are kept one point a row (`z[n·H + j]`), so
//! the two H × H products are small matrix products done by [`gemm`], a
//! register-blocked kernel: 4 rows × 2W columns of the output live in
//! registers while the inner dimension runs (DESIGN §8, "The density's
//! kernels", for how it compares with the `matrixmultiply` crate).
//!
//! Parameters, one flat slice: W₁ (H × 2, row-major), b₁ (H), W₂ (H × H,
//! row-major: output j, input k at j·H + k), b₂ (H), w₃ (H), b₃ (1).

use super::math::{exp, fma};

/// Which kernel does the products: 0 not chosen yet, 1 the hand-written
/// blocks, 2 the `matrixmultiply` crate.
static GEMM: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Whether the products go to the `matrixmultiply` crate instead of the
/// hand-written blocks: `EBM_LAB_GEMM=crate`, or [`use_crate_gemm`] (the
/// comparison in `ebm-lab bench`).
pub fn use_crate() -> bool {
    use std::sync::atomic::Ordering;
    match GEMM.load(Ordering::Relaxed) {
        0 => {
            let chosen = std::env::var("EBM_LAB_GEMM").as_deref() == Ok("crate");
            GEMM.store(if chosen { 2 } else { 1 }, Ordering::Relaxed);
            chosen
        }
        v => v == 2,
    }
}

/// Chooses the kernel of the products from now on.
pub fn use_crate_gemm(yes: bool) {
    GEMM.store(
        if yes { 2 } else { 1 },
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// Rows of the output a [`gemm`] block keeps in registers.
const ROWS: usize = 4;

/// The activations of one forward pass, kept for ∂E/∂y and the backward pass.
#[derive(Debug, Default)]
pub struct DensityBuffers {
    /// W₂ transposed (input-major), refreshed by every forward pass.
    w2t: Vec<f32>,
    /// W₁'s columns (each H long), refreshed by every forward pass; the
    /// backward pass uses the room for ∂W₁'s columns after ∂E/∂y has read it.
    w1c: Vec<f32>,
    z1: Vec<f32>,
    h1: Vec<f32>,
    /// σ(z₁), σ(z₂): the SiLU slopes of the backward pass read them.
    s1: Vec<f32>,
    z2: Vec<f32>,
    h2: Vec<f32>,
    s2: Vec<f32>,
    /// ∂E/∂z₂ and ∂E/∂z₁ per point (∂L/∂z when the backward pass scales them).
    g2: Vec<f32>,
    g1: Vec<f32>,
    /// Points of the last forward pass.
    n: usize,
}

/// Offsets of the parameter blocks for H hidden units.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub h: usize,
}

impl Layout {
    pub fn n_params(self) -> usize {
        self.h * self.h + 5 * self.h + 1
    }
    fn w1(self) -> usize {
        0
    }
    fn b1(self) -> usize {
        2 * self.h
    }
    fn w2(self) -> usize {
        3 * self.h
    }
    fn b2(self) -> usize {
        3 * self.h + self.h * self.h
    }
    fn w3(self) -> usize {
        4 * self.h + self.h * self.h
    }
    fn b3(self) -> usize {
        5 * self.h + self.h * self.h
    }
}

#[inline(always)]
fn sigmoid<const F: bool>(v: f32) -> f32 {
    1.0 / (1.0 + exp::<F>(-v))
}

/// silu′(z) = s·(1 + z·(1 − s)) with s = σ(z) (kept by the forward pass).
#[inline(always)]
fn silu_slope<const F: bool>(z: f32, s: f32) -> f32 {
    s * fma::<F>(z, 1.0 - s, 1.0)
}

/// C (m × h) = A·B (+ C when `add`), B row-major k × h, A read through its
/// strides: A(r, i) = a[r·rs + i·cs]. The full 4 × 2W blocks run from
/// registers; the edges by the plain loop.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn gemm<const W: usize, const F: bool>(
    a: &[f32],
    (rs, cs): (usize, usize),
    b: &[f32],
    c: &mut [f32],
    (m, k, h): (usize, usize, usize),
    add: bool,
) {
    if use_crate() {
        let beta = if add { 1.0 } else { 0.0 };
        // SAFETY: the strides describe m × k, k × h and m × h matrices that
        // lie inside `a`, `b` and `c` (the callers size them so; checked here).
        assert!(m == 0 || k == 0 || (m - 1) * rs + (k - 1) * cs < a.len());
        assert!(k * h <= b.len() && m * h <= c.len());
        unsafe {
            matrixmultiply::sgemm(
                m,
                k,
                h,
                1.0,
                a.as_ptr(),
                rs as isize,
                cs as isize,
                b.as_ptr(),
                h as isize,
                1,
                beta,
                c.as_mut_ptr(),
                h as isize,
                1,
            );
        }
        return;
    }
    let jb = 2 * W;
    let full_j = h / jb * jb;
    let full_r = m / ROWS * ROWS;
    assert!(
        full_r == 0
            || full_j == 0
            || ((full_r - 1) * rs + k.saturating_sub(1) * cs < a.len()
                && k * h <= b.len()
                && m * h <= c.len())
    );
    for r0 in (0..full_r).step_by(ROWS) {
        for j0 in (0..full_j).step_by(jb) {
            #[cfg(target_arch = "x86_64")]
            if F && W == 16 {
                // SAFETY: F with W = 16 is only compiled into the AVX-512
                // copy of the kernels, run after detecting AVX-512F; the
                // block lies inside the slices (asserted above).
                unsafe { x86::block16(a, (rs, cs), b, c, (r0, j0, k, h), add) };
                continue;
            }
            #[cfg(target_arch = "x86_64")]
            if F && W == 8 {
                // SAFETY: as above, for the AVX2 + FMA copy.
                unsafe { x86::block8(a, (rs, cs), b, c, (r0, j0, k, h), add) };
                continue;
            }
            block::<W, F>(a, (rs, cs), b, c, (r0, j0, k, h), add);
        }
    }
    // Edges: the columns past the last full block, then the rows.
    for r in 0..full_r {
        edge::<F>(a, (rs, cs), b, c, (r, full_j..h, k, h), add);
    }
    for r in full_r..m {
        edge::<F>(a, (rs, cs), b, c, (r, 0..h, k, h), add);
    }
}

/// Row `r` of C over the columns `js`, one output at a time.
#[inline(always)]
fn edge<const F: bool>(
    a: &[f32],
    (rs, cs): (usize, usize),
    b: &[f32],
    c: &mut [f32],
    (r, js, k, h): (usize, std::ops::Range<usize>, usize, usize),
    add: bool,
) {
    for j in js {
        let mut s = if add { c[r * h + j] } else { 0.0 };
        for i in 0..k {
            s = fma::<F>(a[r * rs + i * cs], b[i * h + j], s);
        }
        c[r * h + j] = s;
    }
}

/// One ROWS × 2W block of C, its accumulators in registers.
#[inline(always)]
fn block<const W: usize, const F: bool>(
    a: &[f32],
    (rs, cs): (usize, usize),
    b: &[f32],
    c: &mut [f32],
    (r0, j0, k, h): (usize, usize, usize, usize),
    add: bool,
) {
    let mut acc = [[[0.0f32; W]; 2]; ROWS];
    if add {
        for (r, row) in acc.iter_mut().enumerate() {
            for (half, lanes) in row.iter_mut().enumerate() {
                let at = (r0 + r) * h + j0 + half * W;
                lanes.copy_from_slice(&c[at..at + W]);
            }
        }
    }
    for i in 0..k {
        let (bw, _) = b[i * h + j0..i * h + j0 + 2 * W].as_chunks::<W>();
        let (b0, b1) = (&bw[0], &bw[1]);
        let mut av = [0.0f32; ROWS];
        for (r, v) in av.iter_mut().enumerate() {
            *v = a[(r0 + r) * rs + i * cs];
        }
        for (row, &ar) in acc.iter_mut().zip(&av) {
            let [lo, hi] = row;
            for l in 0..W {
                lo[l] = fma::<F>(ar, b0[l], lo[l]);
                hi[l] = fma::<F>(ar, b1[l], hi[l]);
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        for (half, lanes) in row.iter().enumerate() {
            let at = (r0 + r) * h + j0 + half * W;
            c[at..at + W].copy_from_slice(lanes);
        }
    }
}

/// The register blocks in intrinsics: LLVM does not keep the portable
/// block's 4 × 2W accumulators in registers (it spills them to scalars).
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::ROWS;
    use std::arch::x86_64::*;

    /// 4 rows × 32 columns of C with AVX-512: 8 accumulators.
    ///
    /// # Safety
    /// AVX-512F must be present; A's rows r0..r0+4 over k, B's rows 0..k at
    /// columns j0..j0+32 and C's block must lie inside the slices.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn block16(
        a: &[f32],
        (rs, cs): (usize, usize),
        b: &[f32],
        c: &mut [f32],
        (r0, j0, k, h): (usize, usize, usize, usize),
        add: bool,
    ) {
        let (ap, bp, cp) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
        let mut acc = [[_mm512_setzero_ps(); 2]; ROWS];
        if add {
            for (r, row) in acc.iter_mut().enumerate() {
                let at = cp.add((r0 + r) * h + j0);
                row[0] = _mm512_loadu_ps(at);
                row[1] = _mm512_loadu_ps(at.add(16));
            }
        }
        for i in 0..k {
            let brow = bp.add(i * h + j0);
            let (b0, b1) = (_mm512_loadu_ps(brow), _mm512_loadu_ps(brow.add(16)));
            for (r, row) in acc.iter_mut().enumerate() {
                let av = _mm512_set1_ps(*ap.add((r0 + r) * rs + i * cs));
                row[0] = _mm512_fmadd_ps(av, b0, row[0]);
                row[1] = _mm512_fmadd_ps(av, b1, row[1]);
            }
        }
        for (r, row) in acc.iter().enumerate() {
            let at = cp.add((r0 + r) * h + j0);
            _mm512_storeu_ps(at, row[0]);
            _mm512_storeu_ps(at.add(16), row[1]);
        }
    }

    /// 4 rows × 16 columns of C with AVX2 + FMA: 8 accumulators.
    ///
    /// # Safety
    /// AVX2 and FMA must be present; the block as for [`block16`].
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn block8(
        a: &[f32],
        (rs, cs): (usize, usize),
        b: &[f32],
        c: &mut [f32],
        (r0, j0, k, h): (usize, usize, usize, usize),
        add: bool,
    ) {
        let (ap, bp, cp) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
        let mut acc = [[_mm256_setzero_ps(); 2]; ROWS];
        if add {
            for (r, row) in acc.iter_mut().enumerate() {
                let at = cp.add((r0 + r) * h + j0);
                row[0] = _mm256_loadu_ps(at);
                row[1] = _mm256_loadu_ps(at.add(8));
            }
        }
        for i in 0..k {
            let brow = bp.add(i * h + j0);
            let (b0, b1) = (_mm256_loadu_ps(brow), _mm256_loadu_ps(brow.add(8)));
            for (r, row) in acc.iter_mut().enumerate() {
                let av = _mm256_set1_ps(*ap.add((r0 + r) * rs + i * cs));
                row[0] = _mm256_fmadd_ps(av, b0, row[0]);
                row[1] = _mm256_fmadd_ps(av, b1, row[1]);
            }
        }
        for (r, row) in acc.iter().enumerate() {
            let at = cp.add((r0 + r) * h + j0);
            _mm256_storeu_ps(at, row[0]);
            _mm256_storeu_ps(at.add(8), row[1]);
        }
    }
}

fn grow(v: &mut Vec<f32>, len: usize) {
    if v.len() < len {
        v.resize(len, 0.0);
    }
}

/// h = silu(z) = z·σ(z) over a slice, σ(z) kept in `sig` for the slopes
/// of the backward pass: one vectorised pass.
#[inline(always)]
fn silu_into<const F: bool>(z: &[f32], h: &mut [f32], sig: &mut [f32]) {
    for ((hv, sv), &v) in h.iter_mut().zip(sig.iter_mut()).zip(z) {
        let s = sigmoid::<F>(v);
        *sv = s;
        *hv = v * s;
    }
}

/// Σ a·b with W independent accumulators (the tail, if any, added last).
#[inline(always)]
fn dot<const W: usize, const F: bool>(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; W];
    let (ca, ra) = a.as_chunks::<W>();
    let (cb, rb) = b.as_chunks::<W>();
    for (x, y) in ca.iter().zip(cb) {
        for l in 0..W {
            acc[l] = fma::<F>(x[l], y[l], acc[l]);
        }
    }
    let mut total = 0.0;
    for v in acc {
        total += v;
    }
    for (x, y) in ra.iter().zip(rb) {
        total += x * y;
    }
    total
}

/// E at each point of `ys` (n × 2) into `e`; the activations stay in `buf`.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub fn forward<const W: usize, const F: bool>(
    hn: usize,
    params: &[f32],
    ys: &[f32],
    buf: &mut DensityBuffers,
    e: &mut Vec<f32>,
) {
    let l = Layout { h: hn };
    let n = ys.len() / 2;
    buf.n = n;
    for v in [
        &mut buf.z1,
        &mut buf.h1,
        &mut buf.s1,
        &mut buf.z2,
        &mut buf.h2,
        &mut buf.s2,
    ] {
        grow(v, n * hn);
    }
    grow(&mut buf.w2t, hn * hn);
    grow(&mut buf.w1c, 2 * hn);
    let w2 = &params[l.w2()..l.w2() + hn * hn];
    for j in 0..hn {
        for k in 0..hn {
            buf.w2t[k * hn + j] = w2[j * hn + k];
        }
    }
    // W₁'s two columns, each contiguous.
    for j in 0..hn {
        buf.w1c[j] = params[l.w1() + 2 * j];
        buf.w1c[hn + j] = params[l.w1() + 2 * j + 1];
    }
    let (c0, c1) = buf.w1c[..2 * hn].split_at(hn);
    let b1 = &params[l.b1()..l.b1() + hn];
    for (y, z) in ys.chunks_exact(2).zip(buf.z1.chunks_exact_mut(hn)) {
        for j in 0..hn {
            z[j] = fma::<F>(c0[j], y[0], fma::<F>(c1[j], y[1], b1[j]));
        }
    }
    silu_into::<F>(
        &buf.z1[..n * hn],
        &mut buf.h1[..n * hn],
        &mut buf.s1[..n * hn],
    );
    gemm::<W, F>(&buf.h1, (hn, 1), &buf.w2t, &mut buf.z2, (n, hn, hn), false);
    let b2 = &params[l.b2()..l.b2() + hn];
    for z in buf.z2.chunks_exact_mut(hn).take(n) {
        for j in 0..hn {
            z[j] += b2[j];
        }
    }
    silu_into::<F>(
        &buf.z2[..n * hn],
        &mut buf.h2[..n * hn],
        &mut buf.s2[..n * hn],
    );
    let w3 = &params[l.w3()..l.w3() + hn];
    let b3 = params[l.b3()];
    e.clear();
    for h in buf.h2.chunks_exact(hn).take(n) {
        e.push(dot::<W, F>(h, w3) + b3);
    }
}

/// g ← g ⊙ silu′(z), with σ(z) from the forward pass.
#[inline(always)]
fn times_slope<const F: bool>(z: &[f32], sig: &[f32], g: &mut [f32]) {
    for ((gv, &v), &sv) in g.iter_mut().zip(z).zip(sig) {
        *gv *= silu_slope::<F>(v, sv);
    }
}

/// ∂E/∂z₂ and ∂E/∂z₁ of the last forward pass, each point's scaled by
/// `scale[n]` (1 for ∂E/∂y, ∂L/∂E for the backward pass).
#[inline(always)]
fn backprop<const W: usize, const F: bool>(
    hn: usize,
    params: &[f32],
    scale: Option<&[f32]>,
    buf: &mut DensityBuffers,
) {
    let l = Layout { h: hn };
    let n = buf.n;
    grow(&mut buf.g2, n * hn);
    grow(&mut buf.g1, n * hn);
    let w3 = &params[l.w3()..l.w3() + hn];
    for (p, g) in buf.g2.chunks_exact_mut(hn).take(n).enumerate() {
        let s = scale.map_or(1.0, |s| s[p]);
        for j in 0..hn {
            g[j] = s * w3[j];
        }
    }
    times_slope::<F>(&buf.z2[..n * hn], &buf.s2[..n * hn], &mut buf.g2[..n * hn]);
    let w2 = &params[l.w2()..l.w2() + hn * hn];
    gemm::<W, F>(&buf.g2, (hn, 1), w2, &mut buf.g1, (n, hn, hn), false);
    times_slope::<F>(&buf.z1[..n * hn], &buf.s1[..n * hn], &mut buf.g1[..n * hn]);
}

/// ∂E/∂y at each point of the last forward pass, into `dy` (n × 2).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub fn input_grad<const W: usize, const F: bool>(
    hn: usize,
    params: &[f32],
    buf: &mut DensityBuffers,
    dy: &mut Vec<f32>,
) {
    backprop::<W, F>(hn, params, None, buf);
    let (c0, c1) = buf.w1c[..2 * hn].split_at(hn);
    dy.clear();
    for g in buf.g1.chunks_exact(hn).take(buf.n) {
        dy.push(dot::<W, F>(g, c0));
        dy.push(dot::<W, F>(g, c1));
    }
}

/// Adds Σₙ d_e[n]·∂E(yₙ)/∂θ to `grad`, for the points of the last forward pass.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub fn backward<const W: usize, const F: bool>(
    hn: usize,
    params: &[f32],
    ys: &[f32],
    d_e: &[f32],
    buf: &mut DensityBuffers,
    grad: &mut [f32],
) {
    let l = Layout { h: hn };
    let n = buf.n;
    backprop::<W, F>(hn, params, Some(d_e), buf);
    grad[l.b3()] += d_e[..n].iter().sum::<f32>();
    let gw3 = &mut grad[l.w3()..l.w3() + hn];
    for (hv, &s) in buf.h2.chunks_exact(hn).zip(d_e).take(n) {
        for j in 0..hn {
            gw3[j] = fma::<F>(s, hv[j], gw3[j]);
        }
    }
    let gb2 = &mut grad[l.b2()..l.b2() + hn];
    for g in buf.g2.chunks_exact(hn).take(n) {
        for j in 0..hn {
            gb2[j] += g[j];
        }
    }
    // ∂W₂[j][k] = Σₙ g₂[n][j]·h₁[n][k]: A = g₂ read transposed.
    gemm::<W, F>(
        &buf.g2,
        (1, hn),
        &buf.h1,
        &mut grad[l.w2()..l.w2() + hn * hn],
        (hn, n, hn),
        true,
    );
    let gb1 = &mut grad[l.b1()..l.b1() + hn];
    for g in buf.g1.chunks_exact(hn).take(n) {
        for j in 0..hn {
            gb1[j] += g[j];
        }
    }
    // ∂W₁[j][i] = Σₙ g₁[n][j]·y[n][i], into the column buffers, then interleaved.
    let (c0, c1) = buf.w1c[..2 * hn].split_at_mut(hn);
    c0.fill(0.0);
    c1.fill(0.0);
    for (g, y) in buf.g1.chunks_exact(hn).zip(ys.chunks_exact(2)).take(n) {
        for j in 0..hn {
            c0[j] = fma::<F>(g[j], y[0], c0[j]);
            c1[j] = fma::<F>(g[j], y[1], c1[j]);
        }
    }
    let gw1 = &mut grad[l.w1()..l.w1() + 2 * hn];
    for j in 0..hn {
        gw1[2 * j] += c0[j];
        gw1[2 * j + 1] += c1[j];
    }
}
