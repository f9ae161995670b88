//! The log partition over the Y grid, nll's contrast term.

use crate::model::real::Real;

crate::named_enum! {
    /// What nll's log partition sums over.
    pub enum Partition {
        /// Σ over the Y grid alone (the paper's discretised integral).
        Grid = "grid": "Σ over the Y grid",
        /// The grid and the sample's own y: the loss is then bounded below by
        /// (1/β)·log Δy, so a valley narrower than the grid spacing stops paying.
        GridAndSample = "grid+sample": "Σ over the Y grid and the sample's own y",
    }
}

/// NLL's row term (1/β)·log(Σₖ Δy·exp(−β·Eₖ) [+ Δy·exp(−β·Eᵢ)]), stably, with
/// the sample's energy `sample` as one more term when given. Writes the
/// weights ∂/∂Eₖ = −softmax(−βE)ₖ into `weights` and returns the value and the
/// sample's weight ∂/∂Eᵢ (0 without the sample).
pub fn nll_row<T: Real>(
    row: &[T],
    dy: f64,
    beta: f64,
    weights: &mut [T],
    sample: Option<T>,
) -> (f64, T) {
    let mut min = sample.unwrap_or(T::infinity());
    for &e in row {
        min = min.min(e);
    }
    let nb = T::of(-beta);
    let ps = sample.map_or(T::zero(), |e| (nb * (e - min)).exp());
    let mut z = ps;
    for (w, &e) in weights.iter_mut().zip(row) {
        let p = (nb * (e - min)).exp();
        *w = p;
        z += p;
    }
    let inv = -T::one() / z;
    for w in weights.iter_mut() {
        *w *= inv;
    }
    let value = -min.as_f64() + (dy.ln() + z.as_f64().ln()) / beta;
    (value, ps * inv)
}

/// MEE from nll's per-sample term u = Eᵢ + (1/β)·log(Δy·Z) over the grid and
/// the sample: P(yᵢ | xᵢ) = Δy·e^(−βu) ∈ (0, 1], and the loss 1 − P with its
/// derivative βP, which scales every nll weight of the sample (DESIGN §2).
pub fn probability_error(u: f64, dy: f64, beta: f64) -> (f64, f64) {
    let p = (dy.ln() - beta * u).exp().min(1.0);
    (1.0 - p, beta * p)
}
