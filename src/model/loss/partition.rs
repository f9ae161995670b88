//! The log partition over the Y grid, nll's contrast term.

use crate::model::real::Real;

/// NLL's row term (1/β)·log Σₖ Δy·exp(−β·Eₖ), stably, and its weights
/// ∂/∂Eₖ = −softmax(−βE)ₖ written into `weights`.
pub fn nll_row<T: Real>(row: &[T], dy: f64, beta: f64, weights: &mut [T]) -> f64 {
    let mut min = T::infinity();
    for &e in row {
        min = min.min(e);
    }
    let nb = T::of(-beta);
    let mut z = T::zero();
    for (w, &e) in weights.iter_mut().zip(row) {
        let p = (nb * (e - min)).exp();
        *w = p;
        z += p;
    }
    let inv = -T::one() / z;
    for w in weights.iter_mut() {
        *w *= inv;
    }
    -min.as_f64() + (dy.ln() + z.as_f64().ln()) / beta
}
