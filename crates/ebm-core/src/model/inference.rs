//! How a wrong answer is found: the seam between the losses and the search
//! for ȳ (the most offending incorrect answer) or the lowest answer. Today's
//! exhaustive search over the answer grid is [`GridSearch`]; descent or
//! sampling is one more type implementing [`Inference`] (docs/DESIGN.md,
//! "Add an inference method").

use super::answers::AnswerGrid;
use super::energy_model::EnergyModel;
use super::real::Real;

pub trait Inference<T: Real> {
    /// The name shown and written in metrics.
    fn name(&self) -> &'static str;
    /// A new evaluation begins (the weights may have changed): drop what
    /// was kept from the last.
    fn begin(&mut self) {}

    /// The path each search of the last evaluation took, in the order they
    /// were asked for (none for the grid search).
    fn paths(&self) -> &[Vec<Vec<f64>>] {
        &[]
    }
    /// For a sample at x: the lowest-energy answer farther than `radius`
    /// from every correct answer in `correct` (the samples at this x, each
    /// `answer_dim` values; `radius` `None`: anywhere), written to `found`,
    /// and its energy; `None` when no answer is eligible.
    fn contrast(
        &mut self,
        model: &dyn EnergyModel<T>,
        space: &AnswerGrid<T>,
        x: T,
        correct: &[T],
        radius: Option<f64>,
        found: &mut Vec<T>,
    ) -> Option<T>;
}

/// Exhaustive search over every answer of the grid: the reference.
#[derive(Clone, Debug, Default)]
pub struct GridSearch<T> {
    row: Vec<T>,
    /// The x whose row is in `row` (the row depends on x only).
    row_x: Option<T>,
}

/// The first index of the lowest energy among answers farther than `radius`
/// from every answer of `correct` (every answer without a radius).
pub fn lowest_outside<T: Real>(
    row: &[T],
    space: &AnswerGrid<T>,
    correct: &[T],
    radius: Option<f64>,
) -> Option<usize> {
    let r2 = radius.map(|r| T::of(r * r));
    let mut best: Option<usize> = None;
    let dim = space.dim.max(1);
    for (k, &e) in row.iter().enumerate() {
        let eligible = r2.is_none_or(|r2| correct.chunks(dim).all(|y| space.dist2(k, y) > r2));
        if eligible && best.is_none_or(|b| e < row[b]) {
            best = Some(k);
        }
    }
    best
}

impl<T: Real> Inference<T> for GridSearch<T> {
    fn name(&self) -> &'static str {
        "grid"
    }

    fn begin(&mut self) {
        self.row_x = None;
    }

    fn contrast(
        &mut self,
        model: &dyn EnergyModel<T>,
        space: &AnswerGrid<T>,
        x: T,
        correct: &[T],
        radius: Option<f64>,
        found: &mut Vec<T>,
    ) -> Option<T> {
        if self.row_x != Some(x) {
            model.energies(x, &space.points, &mut self.row);
            self.row_x = Some(x);
        }
        let k = lowest_outside(&self.row, space, correct, radius)?;
        found.clear();
        found.extend_from_slice(space.point(k));
        Some(self.row[k])
    }
}
