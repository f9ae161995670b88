//! Contrastive divergence on the plane: push the data's energies down and
//! the negatives' up,
//!
//! L = mean E(data) − mean E(negatives) + α·(mean E(data)² + mean E(negatives)²),
//!
//! the second term the usual small regulariser that keeps the energies from
//! drifting (Du & Mordatch 2019). No gradient flows through the negatives:
//! they are samples, found by the chosen inference ([`super::negatives`]).

use crate::model::energy_model::EnergyModel;

/// The loss, with ∂L/∂θ written to `grad` (resized and zeroed first).
pub fn cd_loss_and_grad(
    model: &dyn EnergyModel<f32>,
    data: &[f32],
    negatives: &[f32],
    alpha: f64,
    grad: &mut Vec<f32>,
) -> f64 {
    grad.clear();
    grad.resize(model.params().len(), 0.0);
    // One batch, data then negatives: one forward pass and one backward.
    let mut both = Vec::with_capacity(data.len() + negatives.len());
    both.extend_from_slice(data);
    both.extend_from_slice(negatives);
    let mut e = Vec::new();
    model.energies(0.0, &both, &mut e);
    let (ed, en) = e.split_at(data.len() / model.answer_dim());
    let (b, n) = (ed.len().max(1) as f64, en.len().max(1) as f64);
    let sum = |v: &[f32]| v.iter().map(|&e| e as f64).sum::<f64>();
    let sum_sq = |v: &[f32]| v.iter().map(|&e| (e as f64).powi(2)).sum::<f64>();
    let loss = sum(ed) / b - sum(en) / n + alpha * (sum_sq(ed) / b + sum_sq(en) / n);
    let a = alpha as f32;
    let d_e: Vec<f32> = ed
        .iter()
        .map(|&e| (1.0 + 2.0 * a * e) / b as f32)
        .chain(en.iter().map(|&e| (-1.0 + 2.0 * a * e) / n as f32))
        .collect();
    model.backward_after_energies(0.0, &both, &d_e, grad);
    loss
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::density_net::DensityNet;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// ∂L/∂θ against central differences of L, on the density net.
    #[test]
    fn the_gradient_is_the_loss_s_slope() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut net = DensityNet::new(8, &mut rng);
        let data: Vec<f32> = (0..20).map(|_| rng.random_range(-2.0..2.0)).collect();
        let neg: Vec<f32> = (0..30).map(|_| rng.random_range(-4.0..4.0)).collect();
        let mut grad = Vec::new();
        cd_loss_and_grad(&net, &data, &neg, 0.1, &mut grad);
        let mut scratch = Vec::new();
        for k in (0..net.params.len()).step_by(7) {
            let h = 1e-2f32;
            let p = net.params[k];
            net.params[k] = p + h;
            let up = cd_loss_and_grad(&net, &data, &neg, 0.1, &mut scratch);
            net.params[k] = p - h;
            let down = cd_loss_and_grad(&net, &data, &neg, 0.1, &mut scratch);
            net.params[k] = p;
            let fd = (up - down) / (2.0 * h as f64);
            assert!(
                (fd - grad[k] as f64).abs() <= 2e-3 * (1.0 + fd.abs()),
                "θ[{k}]: finite difference {fd} vs {}",
                grad[k]
            );
        }
    }
}
