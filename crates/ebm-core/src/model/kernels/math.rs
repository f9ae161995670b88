//! Vectorisable `f32` exp and tanh.
//!
//! The library `expf`/`tanhf` are calls the compiler cannot vectorise, and they
//! dominated the step (DESIGN §8). These are branch-free straight-line code on one
//! lane, so a loop over a slice becomes 8 or 16 lanes per instruction. Both keep
//! the relative error below 5e-7 (f32 itself rounds at 6e-8), measured over their
//! whole range by the tests below. The coefficients are our own fits (weighted
//! least squares iterated towards minimax, relative error, f64).

/// `a·b + c`, fused when the caller's target has FMA (else a plain multiply-add:
/// without FMA hardware `mul_add` would be a slow library call).
#[inline(always)]
pub fn fma<const F: bool>(a: f32, b: f32, c: f32) -> f32 {
    if F {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `min(max(x, lo), hi)` written as selects so that it maps onto `minps`/`maxps`
/// (NaN passes through).
#[inline(always)]
pub fn clamp(x: f32, lo: f32, hi: f32) -> f32 {
    let x = if x < lo { lo } else { x };
    if x > hi {
        hi
    } else {
        x
    }
}

/// The smaller of `acc` and `v`, keeping `acc` when `v` is NaN (a running
/// minimum that starts finite or +∞ never becomes NaN, as with `f32::min`).
/// WebAssembly's vector `min` propagates NaN, so there `f32::min` is a call to
/// `fminf` per lane and the loop around it is not vectorised; the select is
/// one `f32x4.pmin`. x86 keeps `f32::min` (`minps`), which the scans were
/// tuned with.
#[inline(always)]
pub fn min_acc(acc: f32, v: f32) -> f32 {
    if cfg!(target_arch = "wasm32") {
        if v < acc {
            v
        } else {
            acc
        }
    } else {
        acc.min(v)
    }
}

/// Below this exp is treated as 0 (the f32 normal range ends at e^−87.34).
const EXP_LO: f32 = -87.0;
/// Above this the result would overflow; callers stay far below it.
const EXP_HI: f32 = 88.0;
/// 1.5·2²³: adding it rounds to an integer and leaves the integer in the low bits.
const ROUND_MAGIC: f32 = 12_582_912.0;
/// ln 2 split in a short high part (exact products with small integers) and the rest.
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// exp(r) ≈ 1 + r·(c1 + r·(c2 + …)) on |r| ≤ ln2/2, max relative error 9.4e-8.
const EXP_C: [f32; 5] = [
    0.999_999_7,
    0.499_991_48,
    0.166_677_31,
    0.041_898_19,
    0.008_284_461,
];

/// e^x for x ≤ 88 (relative error < 2e-7; 0 below −87; NaN stays NaN).
#[inline(always)]
pub fn exp<const F: bool>(x: f32) -> f32 {
    let xc = clamp(x, EXP_LO, EXP_HI);
    // n = round(x / ln 2), exactly, via the magic-number add.
    let t = fma::<F>(xc, std::f32::consts::LOG2_E, ROUND_MAGIC);
    let n = t - ROUND_MAGIC;
    let r = fma::<F>(n, -LN2_LO, fma::<F>(n, -LN2_HI, xc));
    let mut p = EXP_C[4];
    p = fma::<F>(p, r, EXP_C[3]);
    p = fma::<F>(p, r, EXP_C[2]);
    p = fma::<F>(p, r, EXP_C[1]);
    p = fma::<F>(p, r, EXP_C[0]);
    p = fma::<F>(p, r, 1.0);
    // 2ⁿ built in the exponent field: n sits in the low bits of t's mantissa.
    let scale = f32::from_bits(
        (t.to_bits()
            .wrapping_sub(ROUND_MAGIC.to_bits())
            .wrapping_add(127))
            << 23,
    );
    let y = p * scale;
    if x < EXP_LO {
        0.0
    } else {
        y
    }
}

/// |x| beyond which tanh(x) rounds to ±1 in f32.
const TANH_CLAMP: f32 = 9.0;
/// tanh(x) ≈ x·P(x²)/Q(x²) on |x| ≤ 9, relative error 2e-8 before f32 rounding.
const TANH_P: [f32; 5] = [
    1.0,
    0.133_830_25,
    0.003_497_921_9,
    2.064_582_6e-5,
    1.340_239_5e-8,
];
const TANH_Q: [f32; 5] = [1.0, 0.467_163_4, 0.025_885_966, 0.000_328_938, 7.796_771e-7];

/// tanh(x) (relative error < 5e-7, |result| ≤ 1 + 3e-7; NaN stays NaN).
#[inline(always)]
pub fn tanh<const F: bool>(x: f32) -> f32 {
    let x = clamp(x, -TANH_CLAMP, TANH_CLAMP);
    let t = x * x;
    let mut p = TANH_P[4];
    let mut q = TANH_Q[4];
    for k in (0..4).rev() {
        p = fma::<F>(p, t, TANH_P[k]);
        q = fma::<F>(q, t, TANH_Q[k]);
    }
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f32, b: f64) -> f64 {
        ((a as f64) - b).abs() / b.abs().max(1e-30)
    }

    #[test]
    fn min_acc_is_f32_min_for_a_running_minimum() {
        let vals = [
            3.0,
            -1.0,
            f32::NAN,
            0.0,
            -0.0,
            f32::INFINITY,
            -2.5,
            f32::NEG_INFINITY,
        ];
        for acc in [f32::INFINITY, 1.0, -1.0, 0.0, f32::NEG_INFINITY] {
            for v in vals {
                let (got, want) = (min_acc(acc, v), acc.min(v));
                // (== also equates 0.0 and −0.0, which either may return.)
                assert!(
                    got == want,
                    "min_acc({acc}, {v}) = {got}, f32::min = {want}"
                );
            }
        }
        let mut lo = f32::INFINITY;
        for v in vals {
            lo = min_acc(lo, v);
        }
        assert_eq!(
            lo,
            f32::NEG_INFINITY,
            "NaN never enters the running minimum"
        );
    }

    #[test]
    fn exp_is_accurate_over_its_range() {
        let mut worst: f64 = 0.0;
        let n = 400_000;
        for i in 0..=n {
            let x = -87.0 + 175.0 * i as f64 / n as f64;
            let x = x as f32;
            for f in [exp::<true>(x), exp::<false>(x)] {
                worst = worst.max(rel(f, (x as f64).exp()));
            }
        }
        assert!(worst < 5e-7, "exp relative error {worst}");
        assert_eq!(exp::<false>(-100.0), 0.0);
        assert_eq!(exp::<true>(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp::<true>(0.0), 1.0);
        assert!(exp::<true>(f32::NAN).is_nan());
    }

    #[test]
    fn tanh_is_accurate_everywhere() {
        let mut worst: f64 = 0.0;
        let n = 400_000;
        for i in 0..=n {
            let x = (-12.0 + 24.0 * i as f64 / n as f64) as f32;
            for f in [tanh::<true>(x), tanh::<false>(x)] {
                worst = worst.max(rel(f, (x as f64).tanh()));
                assert!(f.abs() <= 1.0 + 3e-7);
            }
        }
        for x in [1e-30f32, 1e-8, 1e-4, -3e-3] {
            worst = worst.max(rel(tanh::<true>(x), (x as f64).tanh()));
        }
        assert!(worst < 5e-7, "tanh relative error {worst}");
        assert!(tanh::<true>(f32::NAN).is_nan());
        assert!((tanh::<true>(f32::INFINITY) - 1.0).abs() <= 3e-7);
    }
}
