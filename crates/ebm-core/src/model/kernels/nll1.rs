//! NLL's row term for d = 1 with the l1 cost in O(N + K) exponentials.
//!
//! With E(xᵢ, yₖ) = |aᵢ − gₖ|, exp(−β·Eᵢₖ) splits at aᵢ: for gₖ < aᵢ it is
//! exp(−β(aᵢ − g⁻ᵢ))·exp(−β(g⁻ᵢ − gₖ)) with g⁻ᵢ the nearest grid output below
//! aᵢ, and symmetrically above. Sorting the K grid outputs (G2 is not monotone in
//! y, so this cannot be skipped; a stable sort finds G2's monotone runs and is
//! near linear) turns the second factors into running sums over neighbouring
//! gaps:
//!
//! * `left[k]  = Σ_{j≤k} exp(−β(s_k − s_j))  = 1 + gap[k−1]·left[k−1]`
//! * `right[k] = Σ_{j≥k} exp(−β(s_j − s_k)) = 1 + gap[k]·right[k+1]`
//!
//! with `gap[k] = exp(−β(s_{k+1} − s_k))`. Every exponent is ≤ 0 and the row
//! minimum (the nearest gap) is factored out, so the sums lie in [1, K] and the
//! log-sum-exp is stable for any β and energy scale. The gradient on the grid
//! outputs is the same pair of recurrences run over the rows' weights. Values
//! equal to aᵢ contribute exp(0) to the row and nothing to the gradient (the
//! sign of 0), as in the direct formula.

use super::math::exp;

#[derive(Clone, Debug, Default)]
pub struct Nll1Buffers {
    sorted: Vec<(f32, u32)>,
    s: Vec<f32>,
    gap: Vec<f32>,
    left: Vec<f32>,
    right: Vec<f32>,
    /// Row weights attached to their nearest grid output below / above.
    up: Vec<f32>,
    down: Vec<f32>,
    a_sorted: Vec<(f32, u32)>,
    /// (#(s < aᵢ), #(s ≤ aᵢ)) per row.
    split: Vec<(u32, u32)>,
    /// Each row's minimum over the grid.
    mins: Vec<f32>,
    /// The rows' exponentials below and above.
    eb: Vec<f32>,
    ea: Vec<f32>,
}

/// The samples' own energies Eᵢ = |aᵢ − bᵢ| when they are terms of their
/// partition sums (`partition = grid+sample`), and where their weights go
/// (the sample term's coefficients, as `dcost` scales for l1).
pub struct SampleTerms<'a> {
    pub e: &'a [f32],
    pub coef: &'a mut [f32],
}

/// Σᵢ of the row terms (1/β)·log(Σₖ Δy·exp(−β|aᵢ − gₖ|) [+ Δy·exp(−βEᵢ)]),
/// and their gradient, scaled by `s`: adds to `da[i]` and `db[k]` (and the
/// samples' weights to `sample.coef`). NaN if any input is not finite.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn rows<const F: bool>(
    a: &[f32],
    g: &[f32],
    beta: f64,
    dy: f64,
    s: f32,
    da: &mut [f32],
    db: &mut [f32],
    buf: &mut Nll1Buffers,
    sample: Option<SampleTerms>,
) -> f64 {
    let k = g.len();
    if k == 0 || !a.iter().chain(g).all(|v| v.is_finite()) {
        return f64::NAN;
    }
    let nb = -(beta as f32);
    sort_grid::<F>(g, nb, buf);
    split_rows(a, buf);
    let min_sum = row_exponentials::<F>(a, nb, buf);
    let (log_sum, shift_sum) = row_sums::<F>(s, nb, &mut da[..a.len()], buf, sample);
    column_sums(s, db, buf);
    -min_sum + shift_sum + (a.len() as f64 * dy.ln() + log_sum) / beta
}

/// Sorts the grid outputs and builds the prefix sums of exponentials between
/// neighbours: left[j] = Σ_{i ≤ j} e^(−β(s_j − s_i)), right likewise above.
#[inline(always)]
fn sort_grid<const F: bool>(g: &[f32], nb: f32, buf: &mut Nll1Buffers) {
    let k = g.len();
    buf.sorted.clear();
    buf.sorted
        .extend(g.iter().enumerate().map(|(i, &v)| (v, i as u32)));
    buf.sorted.sort_by(|p, q| p.0.total_cmp(&q.0));
    buf.s.clear();
    buf.s.extend(buf.sorted.iter().map(|p| p.0));
    let sv = &buf.s[..];
    // Plain loops, not iterator closures: a closure may not be inlined into the
    // caller's target features, and then `mul_add` becomes a library call.
    buf.gap.resize(k - 1, 0.0);
    for (j, gp) in buf.gap.iter_mut().enumerate() {
        *gp = exp::<F>(nb * (sv[j + 1] - sv[j]));
    }
    let gap = &buf.gap[..];
    buf.left.resize(k, 0.0);
    buf.right.resize(k, 0.0);
    buf.left[0] = 1.0;
    buf.right[k - 1] = 1.0;
    for j in 1..k {
        buf.left[j] = 1.0 + gap[j - 1] * buf.left[j - 1];
        let r = k - 1 - j;
        buf.right[r] = 1.0 + gap[r] * buf.right[r + 1];
    }
    buf.up.clear();
    buf.up.resize(k, 0.0);
    buf.down.clear();
    buf.down.resize(k, 0.0);
}

/// Where each aᵢ falls among the sorted grid outputs: p = #(s < aᵢ),
/// q = #(s ≤ aᵢ). The a are sorted too (G1 is smooth: a few runs) and both
/// lists are walked once, instead of two binary searches per row.
#[inline(always)]
fn split_rows(a: &[f32], buf: &mut Nll1Buffers) {
    let (n, k, sv) = (a.len(), buf.s.len(), &buf.s[..]);
    buf.a_sorted.clear();
    buf.a_sorted
        .extend(a.iter().enumerate().map(|(i, &v)| (v, i as u32)));
    buf.a_sorted.sort_by(|p, q| p.0.total_cmp(&q.0));
    buf.split.resize(n, (0, 0));
    let (mut p, mut q) = (0usize, 0usize);
    for &(ai, i) in &buf.a_sorted {
        while p < k && sv[p] < ai {
            p += 1;
        }
        q = q.max(p);
        while q < k && sv[q] <= ai {
            q += 1;
        }
        buf.split[i as usize] = (p as u32, q as u32);
    }
}

/// Per row: distances to the nearest grid output below and above, the row
/// minimum, then both exponentials in one vectorisable pass. Returns Σ minima.
#[inline(always)]
fn row_exponentials<const F: bool>(a: &[f32], nb: f32, buf: &mut Nll1Buffers) -> f64 {
    let (n, k, sv) = (a.len(), buf.s.len(), &buf.s[..]);
    buf.eb.resize(n, 0.0);
    buf.ea.resize(n, 0.0);
    buf.mins.resize(n, 0.0);
    let mut min_sum = 0.0f64;
    for (i, &ai) in a.iter().enumerate() {
        let (p, q) = (buf.split[i].0 as usize, buf.split[i].1 as usize);
        let below = if p > 0 { ai - sv[p - 1] } else { f32::INFINITY };
        let above = if q < k { sv[q] - ai } else { f32::INFINITY };
        let min = if q > p { 0.0 } else { below.min(above) };
        min_sum += min as f64;
        buf.mins[i] = min;
        buf.eb[i] = nb * (below - min);
        buf.ea[i] = nb * (above - min);
    }
    for v in buf.eb.iter_mut().chain(buf.ea.iter_mut()) {
        *v = exp::<F>(*v);
    }
    min_sum
}

/// Each row's partition zᵢ, its gradient on aᵢ (into `da`) and its weights
/// on the grid neighbours (into `up`/`down`). Returns Σ ln zᵢ, as the log of
/// running products (zᵢ ∈ [1, K + 1]): two logs, not N; and Σ of how far
/// each row's reference energy moved down to a sample below its grid minimum.
#[inline(always)]
fn row_sums<const F: bool>(
    s: f32,
    nb: f32,
    da: &mut [f32],
    buf: &mut Nll1Buffers,
    mut sample: Option<SampleTerms>,
) -> (f64, f64) {
    let k = buf.s.len();
    let (mut log_sum, mut prod, mut shift_sum) = (0.0f64, 1.0f64, 0.0f64);
    for (i, da_i) in da.iter_mut().enumerate() {
        let (p, q) = (buf.split[i].0 as usize, buf.split[i].1 as usize);
        let (eb, ea) = (buf.eb[i], buf.ea[i]);
        let lb = if p > 0 { eb * buf.left[p - 1] } else { 0.0 };
        let ra = if q < k { ea * buf.right[q] } else { 0.0 };
        let z_grid = lb + ra + (q - p) as f32;
        // The grid's terms are relative to the row minimum m; with the sample
        // the reference is min(m, Eᵢ): c rescales the grid's terms to it.
        let (mut c, mut z) = (1.0f32, z_grid);
        if let Some(st) = sample.as_mut() {
            let (m, e) = (buf.mins[i], st.e[i]);
            let ps = if e >= m {
                let ps = exp::<F>(nb * (e - m));
                z = z_grid + ps;
                ps
            } else {
                c = exp::<F>(nb * (m - e));
                z = c * z_grid + 1.0;
                shift_sum += (m - e) as f64;
                1.0
            };
            // ∂/∂Eᵢ of the row term: −(the sample's share of the sum).
            st.coef[i] -= s * ps / z;
        }
        prod *= z as f64;
        if prod > 1e250 {
            log_sum += prod.ln();
            prod = 1.0;
        }
        let inv = c / z;
        *da_i -= s * (lb - ra) * inv;
        if p > 0 {
            buf.up[p - 1] += eb * inv;
        }
        if q < k {
            buf.down[q] += ea * inv;
        }
    }
    (log_sum + prod.ln(), shift_sum)
}

/// Column sums: rows above s_j pull it with +weight, rows below with −weight.
#[inline(always)]
fn column_sums(s: f32, db: &mut [f32], buf: &mut Nll1Buffers) {
    let k = buf.s.len();
    let gap = &buf.gap[..];
    let mut from_above = 0.0f32;
    let mut from_below = 0.0f32;
    for j in (0..k).rev() {
        from_above = buf.up[j] + if j + 1 < k { gap[j] * from_above } else { 0.0 };
        buf.left[j] = from_above;
    }
    for j in 0..k {
        from_below = buf.down[j] + if j > 0 { gap[j - 1] * from_below } else { 0.0 };
        let idx = buf.sorted[j].1 as usize;
        db[idx] += s * (buf.left[j] - from_below);
    }
}
