//! Data with answers in the plane, y = (y₁, y₂): the latent-variable issue's
//! sets (the NYU practicum's ellipse and horn) and 2-D points from a CSV or
//! drawn. Each sample is (x, y₁, y₂); an unconditional set has x = 0.

use rand::Rng;
use rand_distr::{Distribution, Normal};

use super::toy_sets;
use crate::model::dataset::{csv_rows, csv_value};

crate::named_enum! {
    /// The plane's datasets.
    pub enum PlaneSet {
        Ellipse = "ellipse": "y = (2 cos θ, 1.5 sin θ) + ε, θ ~ U(0, 2π)",
        Horn = "horn": "y = ρ(x) ∘ (cos θ, sin θ) + ε, x = 0, 1/50, …, 1, ρ grows as e^(2x)",
        Custom = "custom-2d": "points from a CSV (y1,y2 or x,y1,y2) or drawn",
        TwoMoons = "two-moons": "two interleaved half circles (a density's toy set, in [−4, 4]²)",
        EightGaussians = "eight-gaussians": "eight Gaussians, σ = 0.35, on a circle of radius 2√2",
        Rings = "rings": "four concentric rings of radii 0.75 … 3",
        Pinwheel = "pinwheel": "five spiral arms",
        Checkerboard = "checkerboard": "uniform over the black squares of a 4 × 4 board",
    }
}

/// Draws one point of a toy density.
type ToyDraw = fn(&mut dyn rand::RngCore) -> (f64, f64);

impl PlaneSet {
    /// One point of a toy density (x = 0), or `None` for the latent sets.
    fn toy(self) -> Option<ToyDraw> {
        Some(match self {
            PlaneSet::TwoMoons => |r| toy_sets::two_moons(r),
            PlaneSet::EightGaussians => |r| toy_sets::eight_gaussians(r),
            PlaneSet::Rings => |r| toy_sets::rings(r),
            PlaneSet::Pinwheel => |r| toy_sets::pinwheel(r),
            PlaneSet::Checkerboard => |r| toy_sets::checkerboard(r),
            PlaneSet::Ellipse | PlaneSet::Horn | PlaneSet::Custom => return None,
        })
    }

    /// Whether this is one of the density toy sets (drawn in [−4, 4]²).
    pub fn is_toy(self) -> bool {
        self.toy().is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlaneData {
    pub set: PlaneSet,
    pub xs: Vec<f64>,
    /// n × 2: y₁ then y₂ of each sample.
    pub ys: Vec<f64>,
    pub x_range: (f64, f64),
    /// The plane shown and searched: the data's extent, padded a quarter each side.
    pub ranges: [(f64, f64); 2],
}

/// The horn's ρ(x) = (αx + β₀(1 − x), β₀x + α(1 − x))·e^(2x), α = 1.5, β₀ = 2.
pub fn horn_radii(x: f64) -> (f64, f64) {
    let (alpha, beta0) = (1.5, 2.0);
    let g = (2.0 * x).exp();
    (
        (alpha * x + beta0 * (1.0 - x)) * g,
        (beta0 * x + alpha * (1.0 - x)) * g,
    )
}

/// Values of x the horn is sampled at: 0 to 1 in steps of 1/50.
pub const HORN_XS: usize = 51;

impl PlaneData {
    /// A built-in set of `samples` points (`Custom` gives the ellipse's
    /// shape: the caller passes drawn or read points to [`PlaneData::custom`]).
    pub fn builtin(set: PlaneSet, samples: usize, noise: f64, rng: &mut impl Rng) -> PlaneData {
        let normal = Normal::new(0.0, noise.max(0.0)).ok();
        let eps = |rng: &mut dyn rand::RngCore| match (&normal, noise > 0.0) {
            (Some(n), true) => n.sample(rng),
            _ => 0.0,
        };
        if let Some(draw) = set.toy() {
            let pts: Vec<(f64, f64, f64)> = (0..samples.max(1))
                .map(|_| {
                    let (a, b) = draw(rng);
                    (0.0, a, b)
                })
                .collect();
            let mut d = PlaneData::custom(&pts);
            d.set = set;
            d.ranges = [toy_sets::TOY_BOX; 2];
            return d;
        }
        let mut pts = Vec::with_capacity(samples);
        for i in 0..samples.max(1) {
            let theta = rng.random_range(0.0..std::f64::consts::TAU);
            let (x, r) = match set {
                PlaneSet::Horn => {
                    let x = (i % HORN_XS) as f64 / (HORN_XS - 1) as f64;
                    (x, horn_radii(x))
                }
                _ => (0.0, (2.0, 1.5)),
            };
            let y1 = r.0 * theta.cos() + eps(rng);
            let y2 = r.1 * theta.sin() + eps(rng);
            pts.push((x, y1, y2));
        }
        let mut d = PlaneData::custom(&pts);
        d.set = set;
        d
    }

    /// The set of `points` (x, y₁, y₂).
    pub fn custom(points: &[(f64, f64, f64)]) -> PlaneData {
        let span = |f: &dyn Fn(&(f64, f64, f64)) -> f64| {
            points
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        };
        let pad = |(lo, hi): (f64, f64)| {
            let w = (hi - lo).max(0.5);
            let mid = 0.5 * (lo + hi);
            (mid - 0.75 * w, mid + 0.75 * w)
        };
        PlaneData {
            set: PlaneSet::Custom,
            xs: points.iter().map(|p| p.0).collect(),
            ys: points.iter().flat_map(|p| [p.1, p.2]).collect(),
            x_range: span(&|p| p.0),
            ranges: [pad(span(&|p| p.1)), pad(span(&|p| p.2))],
        }
    }

    pub fn len(&self) -> usize {
        self.xs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// Whether x varies (a conditional set, F(y | x)).
    pub fn conditional(&self) -> bool {
        self.x_range.1 > self.x_range.0
    }

    /// `n` values of x evenly over the data's x range (one if unconditional).
    pub fn probes(&self, n: usize) -> Vec<f64> {
        if !self.conditional() || n < 2 {
            return vec![0.5 * (self.x_range.0 + self.x_range.1)];
        }
        crate::model::grid::y_grid(self.x_range, n)
    }

    /// The indices of the samples whose x is within `tol` of `x`.
    pub fn near_indices(&self, x: f64, tol: f64) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| (self.xs[i] - x).abs() <= tol)
            .collect()
    }

    /// The samples whose x is within `tol` of `x`, as (y₁, y₂).
    pub fn near(&self, x: f64, tol: f64) -> Vec<(f64, f64)> {
        self.near_indices(x, tol)
            .into_iter()
            .map(|i| (self.ys[2 * i], self.ys[2 * i + 1]))
            .collect()
    }
}

/// Parses `y1,y2` or `x,y1,y2` lines (blank lines and `#` comments skipped,
/// a first line with no number is a header). Every line has the same number
/// of fields; errors name the line.
pub fn parse_plane_csv(text: &str) -> Result<Vec<(f64, f64, f64)>, String> {
    let mut pts = Vec::new();
    let mut width = None;
    for (at, line, fields) in csv_rows(text) {
        let bad = || {
            format!(
                "line {at}: expected `y1,y2` or `x,y1,y2` (the same on every line), got {line:?}"
            )
        };
        if width.is_some_and(|w| w != fields.len()) {
            return Err(bad());
        }
        width = Some(fields.len());
        let (x, a, b) = match fields[..] {
            [a, b] => (None, a, b),
            [x, a, b] => (Some(x), a, b),
            _ => return Err(bad()),
        };
        let x = x.map_or(Ok(0.0), |x| csv_value(x, "x", at))?;
        pts.push((x, csv_value(a, "y1", at)?, csv_value(b, "y2", at)?));
    }
    if pts.len() < 2 {
        return Err(format!("need at least 2 points, found {}", pts.len()));
    }
    Ok(pts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_sets_lie_where_their_formulas_say() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let e = PlaneData::builtin(PlaneSet::Ellipse, 24, 0.0, &mut rng);
        assert_eq!(e.len(), 24);
        assert!(!e.conditional());
        for p in e.ys.chunks(2) {
            let r = (p[0] / 2.0).powi(2) + (p[1] / 1.5).powi(2);
            assert!((r - 1.0).abs() < 1e-9, "{p:?}");
        }
        let h = PlaneData::builtin(PlaneSet::Horn, 102, 0.0, &mut rng);
        assert!(h.conditional());
        assert_eq!(h.x_range, (0.0, 1.0));
        for (i, p) in h.ys.chunks(2).enumerate() {
            let (a, b) = horn_radii(h.xs[i]);
            let r = (p[0] / a).powi(2) + (p[1] / b).powi(2);
            assert!((r - 1.0).abs() < 1e-9);
        }
        assert!((horn_radii(1.0).1 - 2.0 * 1f64.exp().powi(2)).abs() < 1e-12);
    }

    #[test]
    fn a_plane_csv_takes_two_or_three_columns_and_names_a_bad_line() {
        let two = parse_plane_csv("y1,y2\n1,2\n3,4\n").expect("two columns");
        assert_eq!(two, vec![(0.0, 1.0, 2.0), (0.0, 3.0, 4.0)]);
        let three = parse_plane_csv("0.5,1,2\n0.7,3,4\n").expect("three columns");
        assert_eq!(three[1], (0.7, 3.0, 4.0));
        let one = parse_plane_csv("y\n1\n2\n").expect_err("one column");
        assert!(one.starts_with("line 2:"), "{one}");
        let mixed = parse_plane_csv("1,2\n0,1,2\n").expect_err("mixed");
        assert!(mixed.starts_with("line 2:"), "{mixed}");
        assert!(parse_plane_csv("1,nan\n2,3\n").is_err());
    }
}
