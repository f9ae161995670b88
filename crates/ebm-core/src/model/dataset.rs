//! The training sets of DESIGN §1, §3 and, for each, the set of correct y at any x
//! (what the inference error and the coverage are measured against).

use rand::Rng;
use rand_distr::{Distribution, Normal};

crate::named_enum! {
    /// The training sets.
    pub enum DatasetKind {
        Parabola = "parabola": "y = x²",
        Eye = "eye": "two lids y = ±0.5·(1 − x²)",
        Ring = "ring": "x² + y² = 0.8²",
        Sine = "sine": "y = 0.5·sin(πx)",
        Custom = "custom": "points from a CSV file (or drawn)",
    }
}

crate::named_enum! {
    /// How the samples' x are placed.
    pub enum Spacing {
        Even = "even": "evenly spaced over the x range, both ends included",
        Random = "random": "uniform random over the x range (seeded)",
    }
}

const RING_R: f64 = 0.8;

impl DatasetKind {
    /// The branches of the curve at x (for the built-in sets).
    fn branches(self, x: f64) -> Vec<f64> {
        match self {
            DatasetKind::Parabola => vec![x * x],
            DatasetKind::Eye => {
                let h = 0.5 * (1.0 - x * x);
                vec![h, -h]
            }
            DatasetKind::Ring => {
                let s = RING_R * RING_R - x * x;
                if s < 0.0 {
                    vec![]
                } else {
                    vec![s.sqrt(), -s.sqrt()]
                }
            }
            DatasetKind::Sine => vec![0.5 * (std::f64::consts::PI * x).sin()],
            DatasetKind::Custom => vec![],
        }
    }

    fn ranges(self) -> ((f64, f64), (f64, f64)) {
        match self {
            DatasetKind::Parabola => ((-1.0, 1.0), (-0.5, 1.5)),
            _ => ((-1.0, 1.0), (-1.0, 1.0)),
        }
    }
}

/// A training set: the points and the ranges over which the model is searched and shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub kind: DatasetKind,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Whether some x has several correct y (then coverage counts for the state).
    pub multi_valued: bool,
    /// `custom` only: how far in x each point's y counts as a correct answer
    /// (see [`Dataset::true_ys`]); empty for the built-in sets.
    pub reach: Vec<f64>,
}

impl Dataset {
    /// A built-in set. Multi-valued sets alternate branches, the first sample on the upper one.
    pub fn builtin(
        kind: DatasetKind,
        n: usize,
        spacing: Spacing,
        noise: f64,
        rng: &mut impl Rng,
    ) -> Dataset {
        let ((x0, x1), y_range) = kind.ranges();
        let mut xs: Vec<f64> = match spacing {
            Spacing::Even if n == 1 => vec![0.5 * (x0 + x1)],
            Spacing::Even => (0..n)
                .map(|i| x0 + (x1 - x0) * i as f64 / (n - 1) as f64)
                .collect(),
            Spacing::Random => (0..n).map(|_| rng.random_range(x0..=x1)).collect(),
        };
        if kind == DatasetKind::Ring {
            // The ring has no y for |x| > 0.8: sample its angle instead, keeping the spacing rule.
            xs = xs.iter().map(|x| x * RING_R).collect();
        }
        let normal = Normal::new(0.0, noise.max(0.0)).ok();
        let mut ys = Vec::with_capacity(n);
        for (i, &x) in xs.iter().enumerate() {
            let b = kind.branches(x);
            let y = if b.is_empty() { 0.0 } else { b[i % b.len()] };
            let eps = match (&normal, noise > 0.0) {
                (Some(nd), true) => nd.sample(rng),
                _ => 0.0,
            };
            ys.push(y + eps);
        }
        let multi_valued = matches!(kind, DatasetKind::Eye | DatasetKind::Ring);
        Dataset {
            kind,
            xs,
            ys,
            x_range: (x0, x1),
            y_range,
            multi_valued,
            reach: Vec::new(),
        }
    }

    /// User points. Ranges come from the points, padded by 10% (at least 0.1).
    pub fn custom(points: &[(f64, f64)]) -> Dataset {
        let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
        let span = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let pad = (0.1 * (hi - lo)).max(0.1);
            (lo - pad, hi + pad)
        };
        let x_range = span(&xs);
        let floor = 0.5 * (x_range.1 - x_range.0) / xs.len().max(1) as f64;
        let mut d = Dataset {
            kind: DatasetKind::Custom,
            x_range,
            y_range: span(&ys),
            reach: custom_reach(&xs, &ys, floor),
            xs,
            ys,
            multi_valued: false,
        };
        d.multi_valued = (0..64).any(|i| d.true_ys(d.probe(i, 64)).len() > 1);
        d
    }

    pub fn len(&self) -> usize {
        self.xs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// The i-th of n probe x, evenly spaced over the x range, ends included.
    pub fn probe(&self, i: usize, n: usize) -> f64 {
        let (a, b) = self.x_range;
        a + (b - a) * i as f64 / (n.max(2) - 1) as f64
    }

    /// The correct y at x. For `custom`: the y of the points whose `reach`
    /// covers x, merged when closer than 0.05. A point reaches as far in x as
    /// its nearest neighbour in the plane (at least half the mean spacing), so
    /// a branch counts at every x between its own points, also where another
    /// branch's points sit in between (the eye alternates lids: each lid's
    /// points are twice the mean spacing apart).
    pub fn true_ys(&self, x: f64) -> Vec<f64> {
        if self.kind != DatasetKind::Custom {
            return self.kind.branches(x);
        }
        let mut near: Vec<f64> = self
            .xs
            .iter()
            .zip(&self.ys)
            .zip(&self.reach)
            .filter(|((px, _), r)| (**px - x).abs() <= **r)
            .map(|((_, y), _)| *y)
            .collect();
        near.sort_by(f64::total_cmp);
        near.dedup_by(|a, b| (*a - *b).abs() < 0.05);
        near
    }
}

/// Neighbours looked at on each side (in x order) for a point's nearest one:
/// bounds the work on pathological sets (thousands of points at one x).
const NEIGHBOURS: usize = 64;

/// For each point, the x distance to its nearest neighbour in the plane
/// (Euclidean), at least `floor`: how far along x its branch reaches.
fn custom_reach(xs: &[f64], ys: &[f64], floor: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut reach = vec![floor; xs.len()];
    for (k, &i) in order.iter().enumerate() {
        let (mut best, mut best_dx) = (f64::INFINITY, 0.0);
        let left = order[k.saturating_sub(NEIGHBOURS)..k].iter().rev();
        let right = order.iter().skip(k + 1).take(NEIGHBOURS);
        for side in [left.collect::<Vec<_>>(), right.collect()] {
            for &j in side {
                let dx = (xs[j] - xs[i]).abs();
                if dx >= best {
                    break; // further ones are further in x alone
                }
                let d = dx.hypot(ys[j] - ys[i]);
                if d < best {
                    (best, best_dx) = (d, dx);
                }
            }
        }
        if best.is_finite() {
            reach[i] = best_dx.max(floor);
        }
    }
    reach
}

/// Whether a CSV field looks like an attempt at a number (then a line
/// holding it is data, never a header): a digit, sign or point first, or a
/// spelling of NaN / infinity.
pub(crate) fn number_like(field: &str) -> bool {
    let f = field.trim().to_ascii_lowercase();
    let body = f.trim_start_matches(['+', '-']);
    f.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-' || c == '.')
        || body.starts_with("nan")
        || body.starts_with("inf")
}

/// One CSV value: a finite number that fits f32 (the model's precision).
pub(crate) fn csv_value(field: &str, name: &str, line: usize) -> Result<f64, String> {
    let v: f64 = field
        .parse()
        .map_err(|_| format!("line {line}: {name} = {field:?} is not a number"))?;
    if !v.is_finite() || v.abs() > f32::MAX as f64 {
        return Err(format!(
            "line {line}: {name} = {field:?} does not fit f32 (allowed: finite, |{name}| ≤ 3.4e38)"
        ));
    }
    Ok(v)
}

/// The data lines of a CSV text: (line number from 1, the line, its fields),
/// with blank lines and `#` comments skipped, and the first other line left
/// out when none of its fields looks like a number (a header).
pub(crate) fn csv_rows(text: &str) -> impl Iterator<Item = (usize, &str, Vec<&str>)> {
    let mut first = true;
    text.lines().enumerate().filter_map(move |(n, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if std::mem::take(&mut first) && !fields.iter().any(|f| number_like(f)) {
            return None;
        }
        Some((n + 1, line, fields))
    })
}

/// Parses `x,y` lines (see [`csv_rows`]). Every value must be finite and fit
/// f32; errors name the line.
pub fn parse_points_csv(text: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut pts = Vec::new();
    for (at, line, fields) in csv_rows(text) {
        let [a, b] = fields[..] else {
            return Err(format!(
                "line {at}: expected two comma-separated numbers `x,y`, got {line:?}"
            ));
        };
        pts.push((csv_value(a, "x", at)?, csv_value(b, "y", at)?));
    }
    if pts.len() < 2 {
        return Err(format!("need at least 2 points, found {}", pts.len()));
    }
    Ok(pts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eye_points() -> Vec<(f64, f64)> {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
        let eye = Dataset::builtin(DatasetKind::Eye, 100, Spacing::Even, 0.0, &mut rng);
        eye.xs.into_iter().zip(eye.ys).collect()
    }

    #[test]
    fn the_eye_as_custom_points_has_both_lids_at_every_x() {
        let d = Dataset::custom(&eye_points());
        assert!(d.multi_valued);
        for i in 0..64 {
            let x = d.probe(i, 64);
            if x.abs() > 0.95 {
                continue; // the lids meet at the ends
            }
            let t = d.true_ys(x);
            let lid = 0.5 * (1.0 - x * x);
            let on = |l: f64| t.iter().any(|y| (y - l).abs() < 0.05);
            assert!(on(lid) && on(-lid), "x = {x}: {t:?}");
            let off = |y: &f64| (y.abs() - lid).abs() > 0.05;
            assert!(!t.iter().any(off), "x = {x}: {t:?}");
        }
    }

    #[test]
    fn a_sparse_second_branch_counts_between_its_points_and_one_curve_stays_one() {
        let mut pts: Vec<(f64, f64)> = (0..100)
            .map(|i| {
                let x = -1.0 + 2.0 * i as f64 / 99.0;
                (x, x * x)
            })
            .collect();
        let parabola = Dataset::custom(&pts);
        assert!(!parabola.multi_valued, "one dense curve is single-valued");
        assert!((0..64).all(|i| parabola.true_ys(parabola.probe(i, 64)).len() <= 1));
        // Five points of y = -0.5 drawn 0.2 apart.
        pts.extend((0..5).map(|i| (-0.4 + 0.2 * i as f64, -0.5)));
        let two = Dataset::custom(&pts);
        assert!(two.multi_valued);
        for x in [-0.3, -0.1, 0.1, 0.3] {
            let t = two.true_ys(x);
            assert!(t.iter().any(|y| (y + 0.5).abs() < 1e-9), "x = {x}: {t:?}");
            assert!(t.iter().any(|y| (y - x * x).abs() < 0.05), "x = {x}: {t:?}");
        }
        assert!(
            two.true_ys(0.8).iter().all(|y| *y > 0.0),
            "not beyond its ends"
        );
    }

    #[test]
    fn many_points_at_one_x_stay_cheap_and_sane() {
        let pts: Vec<(f64, f64)> = (0..5000).map(|i| (0.0, i as f64 * 1e-3)).collect();
        let d = Dataset::custom(&pts);
        assert!(d.reach.iter().all(|r| r.is_finite() && *r > 0.0));
    }
}
