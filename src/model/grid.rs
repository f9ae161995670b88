//! The Y grid and the two searches over it: inference y̌(x) = argmin E(x, ·)
//! and the most offending incorrect answer ȳ (argmin outside the exclusion radius).

use super::real::Real;

/// K evenly spaced values over `range`, both ends included.
pub fn y_grid(range: (f64, f64), k: usize) -> Vec<f64> {
    let (a, b) = range;
    (0..k)
        .map(|i| a + (b - a) * i as f64 / (k.max(2) - 1) as f64)
        .collect()
}

/// Index of the lowest energy of a row (first on ties).
#[inline]
pub fn argmin<T: Real>(row: &[T]) -> usize {
    let mut best = 0;
    let mut e = row[0];
    for (k, &v) in row.iter().enumerate().skip(1) {
        if v < e {
            e = v;
            best = k;
        }
    }
    best
}

/// Index of the lowest energy among grid values farther than `radius` from `y`,
/// or `None` when every grid value is inside the radius.
///
/// Written as a branch-free minimum first (which the compiler vectorises; the
/// snapshots call this for every sample), then the first index holding it.
/// Rows whose lowest eligible energy is not finite take the literal scan.
#[inline]
pub fn most_offending<T: Real>(row: &[T], grid: &[T], y: T, radius: T) -> Option<usize> {
    let inf = T::infinity();
    let mut lo = inf;
    for (&v, &g) in row.iter().zip(grid) {
        let v = if (g - y).abs() > radius { v } else { inf };
        lo = if v < lo { v } else { lo };
    }
    if !lo.is_finite() {
        return most_offending_scan(row, grid, y, radius);
    }
    row.iter()
        .zip(grid)
        .position(|(&v, &g)| v == lo && (g - y).abs() > radius)
}

/// The definition of [`most_offending`], one grid value at a time.
pub fn most_offending_scan<T: Real>(row: &[T], grid: &[T], y: T, radius: T) -> Option<usize> {
    let mut best = None;
    let mut e = T::infinity();
    for (k, (&v, &g)) in row.iter().zip(grid).enumerate() {
        if (g - y).abs() > radius && (v < e || best.is_none()) {
            e = v;
            best = Some(k);
        }
    }
    best
}

/// Indices of the local minima of a row (ends count when below their one neighbour).
pub fn local_minima<T: Real>(row: &[T]) -> Vec<usize> {
    let n = row.len();
    (0..n)
        .filter(|&k| {
            let left = k == 0 || row[k] <= row[k - 1];
            let right = k + 1 == n || row[k] <= row[k + 1];
            // A flat run counts once, at its first index.
            left && right && (k == 0 || row[k] < row[k - 1] || n == 1)
        })
        .collect()
}
