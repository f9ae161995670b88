//! Numbers for people: short at every magnitude. A diverging run produces
//! energies of 10⁴⁵; printed with `{:.3}` they fill a screen. Everything the
//! window and the pictures print (axes, legends, status bar, messages) goes
//! through [`eng`], which keeps plain decimals for ordinary values and switches
//! to engineering notation (an exponent that is a multiple of 3) otherwise.

/// `v` with about `sig` significant digits (at least 1): plain for
/// 0.001 ≤ |v| < 100 000 (and 0), else `m e k` with 1 ≤ |m| < 1000 and k a
/// multiple of 3, e.g. `45.2e42`, `-1.50e-6`. Non-finite values print as
/// `inf`, `-inf`, `NaN`.
pub fn eng(v: f64, sig: usize) -> String {
    let sig = sig.max(1);
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    // Decimals that give `sig` significant digits to a number of magnitude `x`.
    let decimals = |x: f64| (sig as i64 - (x.log10().floor() as i64 + 1)).max(0) as usize;
    if (1e-3..1e5).contains(&a) {
        let d = decimals(a);
        return format!("{v:.d$}");
    }
    let mut exp3 = (a.log10().floor() as i64).div_euclid(3) * 3;
    let mut m = v / 10f64.powi(exp3 as i32);
    let mut d = decimals(m.abs());
    // Rounding can carry the mantissa to 1000 (999.96 → "1000"): move up a step.
    if format!("{:.d$}", m.abs()).starts_with("1000") {
        exp3 += 3;
        m = v / 10f64.powi(exp3 as i32);
        d = sig - 1;
    }
    format!("{m:.d$}e{exp3}")
}

/// `v` for an axis whose ticks are `step` apart: plain decimals with just enough
/// digits for ordinary ranges, engineering notation for huge or tiny ones.
pub fn tick(v: f64, step: f64) -> String {
    let step = step.abs();
    let big = v.abs().max(step);
    if big >= 1e5 || (step < 1e-3 && step > 0.0) {
        // Enough digits to tell neighbouring ticks apart.
        let sig = if step > 0.0 && v != 0.0 {
            ((v.abs().log10() - step.log10()).floor() as i64 + 2).clamp(2, 6) as usize
        } else {
            2
        };
        return if v.abs() < step * 1e-3 {
            "0".into()
        } else {
            eng(v, sig)
        };
    }
    let decimals = (0..6)
        .find(|d| {
            let s = step * 10f64.powi(*d);
            (s - s.round()).abs() < 1e-3 * s.max(1.0)
        })
        .unwrap_or(6) as usize;
    let v = if v.abs() < step * 1e-3 { 0.0 } else { v };
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_values_stay_plain() {
        assert_eq!(eng(0.0, 3), "0");
        assert_eq!(eng(0.12345, 3), "0.123");
        assert_eq!(eng(1.5, 3), "1.50");
        assert_eq!(eng(-12.34, 3), "-12.3");
        assert_eq!(eng(12345.0, 3), "12345");
        assert_eq!(eng(0.001, 2), "0.0010");
    }

    #[test]
    fn huge_and_tiny_values_use_engineering_notation() {
        assert_eq!(eng(4.5236e45, 3), "4.52e45");
        assert_eq!(eng(45.236e45, 3), "45.2e45");
        assert_eq!(eng(-123_456.0, 3), "-123e3");
        assert_eq!(eng(1.5e-6, 3), "1.50e-6");
        assert_eq!(eng(999_960.0, 3), "1.00e6");
        assert_eq!(eng(f64::INFINITY, 3), "inf");
        assert_eq!(eng(f64::NAN, 3), "NaN");
        for v in [1e300, -3.3e-200, 7.77e21] {
            assert!(eng(v, 3).len() <= 10, "{v}: {}", eng(v, 3));
        }
    }

    #[test]
    fn ticks_tell_neighbours_apart() {
        assert_eq!(tick(0.5, 0.5), "0.5");
        assert_eq!(tick(-1.0, 0.5), "-1.0");
        assert_eq!(tick(2.0, 1.0), "2");
        assert_eq!(tick(0.25, 0.25), "0.25");
        assert_eq!(tick(2e45, 1e45), "2.0e45");
        assert_eq!(tick(2.5e45, 5e44), "2.5e45");
        assert_eq!(tick(0.0, 1e45), "0");
        assert_eq!(tick(200_000.0, 100_000.0), "200e3");
        assert_ne!(tick(1.0002e6, 1e2), tick(1.0003e6, 1e2));
    }
}
