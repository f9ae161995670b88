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

/// Lanes of the branch-free scans below: independent minima the compiler
/// keeps in one vector register (a single running minimum would be a serial
/// chain it may not reorder).
const LANES: usize = 8;

/// min over k of `row[k] + pen(k)`, then the first k where that sum equals it
/// (as a minimum of float indices, so this pass vectorises too). `None` when
/// the minimum is not finite (or NaN): callers then run the literal scan.
#[inline(always)]
fn first_min<T: Real>(row: &[T], pen: impl Fn(usize) -> T) -> Option<usize> {
    let inf = T::infinity();
    let mut lanes = [inf; LANES];
    let (chunks, tail) = row.as_chunks::<LANES>();
    for (c, rc) in chunks.iter().enumerate() {
        for l in 0..LANES {
            let v = rc[l] + pen(c * LANES + l);
            lanes[l] = if v < lanes[l] { v } else { lanes[l] };
        }
    }
    let body = chunks.len() * LANES;
    let mut lo = inf;
    for v in lanes
        .into_iter()
        .chain(tail.iter().enumerate().map(|(t, &v)| v + pen(body + t)))
    {
        lo = if v < lo { v } else { lo };
    }
    if !lo.is_finite() {
        return None;
    }
    let mut first = [inf; LANES];
    let mut kf = [T::zero(); LANES];
    for (l, v) in kf.iter_mut().enumerate() {
        *v = T::of(l as f64);
    }
    let step = T::of(LANES as f64);
    for (c, rc) in chunks.iter().enumerate() {
        for l in 0..LANES {
            let hit = rc[l] + pen(c * LANES + l) == lo;
            let cand = if hit { kf[l] } else { inf };
            first[l] = if cand < first[l] { cand } else { first[l] };
            kf[l] += step;
        }
    }
    let k = first.iter().fold(inf, |a, &b| if b < a { b } else { a });
    if k.is_finite() {
        return Some(k.as_f64() as usize);
    }
    tail.iter()
        .enumerate()
        .position(|(t, &v)| v + pen(body + t) == lo)
        .map(|t| body + t)
}

/// Index of the lowest energy of a row (first on ties). Rows whose minimum is
/// not finite take the literal scan ([`argmin_scan`]).
#[inline]
pub fn argmin<T: Real>(row: &[T]) -> usize {
    first_min(row, |_| T::zero()).unwrap_or_else(|| argmin_scan(row))
}

/// The definition of [`argmin`], one value at a time.
pub fn argmin_scan<T: Real>(row: &[T]) -> usize {
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
/// or `None` when every grid value is inside the radius. Branch-free and
/// vectorised (the snapshots call it for every sample); rows whose lowest
/// eligible energy is not finite take the literal scan ([`most_offending_scan`]).
#[inline]
pub fn most_offending<T: Real>(row: &[T], grid: &[T], y: T, radius: T) -> Option<usize> {
    let n = row.len().min(grid.len());
    let (row, grid) = (&row[..n], &grid[..n]);
    let inf = T::infinity();
    // +∞ inside the radius: a select of constants, added, not a branch.
    let pen = |k: usize| {
        if (grid[k] - y).abs() > radius {
            T::zero()
        } else {
            inf
        }
    };
    first_min(row, pen).or_else(|| most_offending_scan(row, grid, y, radius))
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
