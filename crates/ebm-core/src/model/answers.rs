//! The answer space: where the candidate answers y of a model live, as the
//! grid a loss sums or searches over. A line (the paper's demos, y ∈ ℝ) and a
//! plane (y ∈ ℝ², the latent-variable models) are the same type: points of
//! `dim` coordinates, one after another, and the size of one cell (Δy or
//! Δy₁·Δy₂, what a partition sum's terms are weighted by).

use super::grid::y_grid;
use super::real::Real;

#[derive(Clone, Debug, PartialEq)]
pub struct AnswerGrid<T> {
    /// Coordinates per answer: 1 or 2.
    pub dim: usize,
    /// The answers, `len() × dim` values; on a plane y₁ is the slow axis.
    pub points: Vec<T>,
    /// The measure of one cell.
    pub cell: f64,
    /// Values per axis (`[k]` on a line, `[k₁, k₂]` on a plane).
    pub shape: Vec<usize>,
    /// Each axis's range, both ends included.
    pub ranges: Vec<(f64, f64)>,
}

/// (b − a)/(k − 1), or 1 for fewer than two values (as the line's losses read it).
fn spacing(range: (f64, f64), k: usize) -> f64 {
    if k < 2 {
        1.0
    } else {
        (range.1 - range.0) / (k - 1) as f64
    }
}

impl<T: Real> AnswerGrid<T> {
    /// Given values of a line (the demos' Y grid), as they are.
    pub fn line_of(values: &[T]) -> Self {
        let cell = match values {
            [first, .., last] => (*last - *first).as_f64() / (values.len() - 1) as f64,
            _ => 1.0,
        };
        let range = match values {
            [first, .., last] => (first.as_f64(), last.as_f64()),
            [only] => (only.as_f64(), only.as_f64()),
            [] => (0.0, 0.0),
        };
        AnswerGrid {
            dim: 1,
            points: values.to_vec(),
            cell,
            shape: vec![values.len()],
            ranges: vec![range],
        }
    }

    /// `k1 × k2` answers evenly over `r1 × r2`, y₁ the slow axis.
    pub fn plane(r1: (f64, f64), r2: (f64, f64), k1: usize, k2: usize) -> Self {
        let (a, b) = (y_grid(r1, k1), y_grid(r2, k2));
        let mut points = Vec::with_capacity(2 * k1 * k2);
        for &u in &a {
            for &v in &b {
                points.push(T::of(u));
                points.push(T::of(v));
            }
        }
        AnswerGrid {
            dim: 2,
            points,
            cell: spacing(r1, k1) * spacing(r2, k2),
            shape: vec![k1, k2],
            ranges: vec![r1, r2],
        }
    }

    pub fn len(&self) -> usize {
        self.points.len() / self.dim.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Answer k's coordinates.
    pub fn point(&self, k: usize) -> &[T] {
        &self.points[k * self.dim..(k + 1) * self.dim]
    }

    /// ‖y_k − y‖².
    pub fn dist2(&self, k: usize, y: &[T]) -> T {
        self.point(k)
            .iter()
            .zip(y)
            .fold(T::zero(), |acc, (&a, &b)| acc + (a - b) * (a - b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plane_lists_y1_slowly_and_measures_its_cells() {
        let g: AnswerGrid<f64> = AnswerGrid::plane((0.0, 1.0), (-1.0, 1.0), 3, 5);
        assert_eq!(g.len(), 15);
        assert_eq!(g.point(0), &[0.0, -1.0]);
        assert_eq!(g.point(4), &[0.0, 1.0]);
        assert_eq!(g.point(5), &[0.5, -1.0]);
        assert!((g.cell - 0.5 * 0.5).abs() < 1e-15);
        assert!((g.dist2(14, &[0.0, 0.0]) - 2.0).abs() < 1e-15);
        let l = AnswerGrid::line_of(&[-1.0f64, 0.0, 1.0]);
        assert_eq!((l.len(), l.cell, l.dim), (3, 1.0, 1));
    }
}
