//! The training objective over any [`EnergyModel`]: the same losses (their
//! table in `loss/`), read through the model interface and an [`Inference`]
//! for the contrast. The demos' nets train on their vectorised kernels
//! (`objective.rs`); this form is what the latent-variable models train on,
//! and on the demos' nets it gives the reference's numbers (tested).

use super::answers::AnswerGrid;
use super::energy_model::EnergyModel;
use super::inference::Inference;
use super::loss::{nll_row, probability_error, Contrast, Pull, StepConfig};
use super::real::Real;

/// Buffers reused across steps.
#[derive(Clone, Debug, Default)]
pub struct GenericWorkspace<T> {
    energies: Vec<T>,
    row: Vec<T>,
    weights: Vec<T>,
    found: Vec<T>,
    /// This group's contrast answers and their weights.
    extra: Vec<T>,
    extra_w: Vec<T>,
    groups: Vec<Group<T>>,
    pub grad: Vec<T>,
    /// Energies pulled up by the last evaluation (contrast answers with a
    /// non-zero weight), summed over the batch (a partition shared by the
    /// samples at one x counts once).
    pub pulled_up: usize,
    /// The contrast answer the inference found for each sample in the last
    /// evaluation (n × `answer_dim`; NaN where none was asked or found).
    pub contrasts: Vec<T>,
    /// The samples in the order their contrasts were asked for (an
    /// inference's chains come in this order).
    pub asked: Vec<usize>,
    /// The partition's value and weights when they do not depend on the
    /// sample (nll over the grid alone): computed once per x, not per sample.
    shared_partition: Option<(f64, T)>,
}

impl<T> GenericWorkspace<T> {
    /// How many distinct x the last evaluation ran the model at.
    pub fn groups_run(&self) -> usize {
        self.groups.len()
    }
}

/// The samples that share one x, and every answer whose energy at that x
/// gets a weight: the model is run once per distinct x (a latent model
/// decodes once, not once per sample).
#[derive(Clone, Debug, Default)]
struct Group<T> {
    x: T,
    members: Vec<usize>,
    answers: Vec<T>,
    weights: Vec<T>,
    /// Σ over the members of the partition's weights on the grid.
    grid_weights: Vec<T>,
}

/// Groups the samples by x, in order of first appearance.
fn group_by_x<T: Real>(xs: &[T], groups: &mut Vec<Group<T>>) {
    groups.clear();
    for (i, &x) in xs.iter().enumerate() {
        match groups.iter_mut().rev().find(|g| g.x == x) {
            Some(g) => g.members.push(i),
            None => groups.push(Group {
                x,
                members: vec![i],
                ..Group::default()
            }),
        }
    }
}

/// Mean loss over the samples (`ys` holds n × `answer_dim` values) and its
/// gradient in `ws.grad`; NaN when an energy or the loss is not finite.
pub fn loss_and_grad_generic<T: Real>(
    model: &dyn EnergyModel<T>,
    xs: &[T],
    ys: &[T],
    space: &AnswerGrid<T>,
    cfg: &StepConfig,
    inference: &mut dyn Inference<T>,
    ws: &mut GenericWorkspace<T>,
) -> f64 {
    let dim = model.answer_dim();
    ws.grad.clear();
    ws.grad.resize(model.params().len(), T::zero());
    ws.pulled_up = 0;
    ws.contrasts.clear();
    ws.contrasts.resize(xs.len() * dim, T::nan());
    ws.asked.clear();
    inference.begin();
    let scale = 1.0 / xs.len().max(1) as f64;
    let partition = cfg.loss.contrast().reads_partition();
    let mut total = 0.0;
    let mut groups = std::mem::take(&mut ws.groups);
    group_by_x(xs, &mut groups);
    for g in &mut groups {
        g.answers.clear();
        g.answers.extend(
            g.members
                .iter()
                .flat_map(|&i| ys[i * dim..(i + 1) * dim].iter().copied()),
        );
        model.energies(g.x, &g.answers, &mut ws.energies);
        if ws.energies.iter().any(|e| !e.is_finite()) {
            ws.groups = groups;
            return f64::NAN;
        }
        if partition {
            model.energies(g.x, &space.points, &mut ws.row);
            g.grid_weights.clear();
            g.grid_weights.resize(space.len(), T::zero());
        }
        ws.shared_partition = None;
        let mut shared_uses = 0usize;
        g.weights.clear();
        ws.extra.clear();
        ws.extra_w.clear();
        for (j, &i) in g.members.iter().enumerate() {
            let e = ws.energies[j].as_f64();
            let correct = &g.answers[..g.members.len() * dim];
            let pull = sample_pull(model, space, cfg, inference, g.x, correct, e, ws);
            if cfg.loss.contrast().uses_inference() {
                ws.asked.push(i);
            }
            if ws.found.len() == dim {
                ws.contrasts[i * dim..(i + 1) * dim].copy_from_slice(&ws.found);
            }
            total += pull.loss;
            g.weights.push(T::of(pull.on_sample * scale));
            if pull.on_contrast != 0.0 && !ws.found.is_empty() {
                ws.extra.extend_from_slice(&ws.found);
                ws.extra_w.push(T::of(pull.on_contrast * scale));
                ws.pulled_up += 1;
            }
            if partition {
                if ws.shared_partition.is_some() {
                    // One partition for the group: its energies are pulled
                    // up once, by the group's summed weight.
                    if shared_uses == 0 {
                        ws.pulled_up += ws.weights.len();
                    }
                    shared_uses += 1;
                } else {
                    ws.pulled_up += ws.weights.len();
                    let s = T::of(scale);
                    for (acc, &w) in g.grid_weights.iter_mut().zip(&ws.weights) {
                        *acc += w * s;
                    }
                }
            }
        }
        if shared_uses > 0 {
            let s = T::of(scale * shared_uses as f64);
            for (acc, &w) in g.grid_weights.iter_mut().zip(&ws.weights) {
                *acc += w * s;
            }
        }
        g.answers.extend_from_slice(&ws.extra);
        g.weights.extend_from_slice(&ws.extra_w);
        if partition {
            g.answers.extend_from_slice(&space.points);
            g.weights.extend_from_slice(&g.grid_weights);
        }
        model.backward(g.x, &g.answers, &g.weights, &mut ws.grad);
    }
    ws.groups = groups;
    let mean = total * scale;
    if mean.is_finite() {
        mean
    } else {
        f64::NAN
    }
}

/// One sample's loss and weights (`correct`: every sample's answer at its
/// x, none of which is a wrong answer). The contrast answer (if any) is left in
/// `ws.found`; the partition's weights (from the row in `ws.row`) in `ws.weights`.
#[allow(clippy::too_many_arguments)]
fn sample_pull<T: Real>(
    model: &dyn EnergyModel<T>,
    space: &AnswerGrid<T>,
    cfg: &StepConfig,
    inference: &mut dyn Inference<T>,
    x: T,
    correct: &[T],
    e: f64,
    ws: &mut GenericWorkspace<T>,
) -> Pull {
    ws.found.clear();
    let contrast = cfg.loss.contrast();
    match contrast {
        Contrast::None => cfg.loss.pull(e, None, &cfg.params),
        Contrast::MostOffending | Contrast::GridMin => {
            let radius = (contrast == Contrast::MostOffending).then_some(cfg.radius);
            let e_bar = inference.contrast(model, space, x, correct, radius, &mut ws.found);
            if e_bar.is_none() {
                ws.found.clear();
            }
            cfg.loss.pull(e, e_bar.map(|v: T| v.as_f64()), &cfg.params)
        }
        Contrast::LogPartition | Contrast::Probability => {
            ws.weights.resize(ws.row.len(), T::zero());
            let mut p = cfg.loss.pull(e, None, &cfg.params);
            let sample = contrast
                .sample_in_partition(cfg.params.partition)
                .then(|| T::of(e));
            let shared = sample.is_none() && contrast == Contrast::LogPartition;
            let (value, on_sample) = match ws.shared_partition.filter(|_| shared) {
                Some(known) => known,
                None => {
                    let v = nll_row(
                        &ws.row,
                        space.cell,
                        cfg.params.beta,
                        &mut ws.weights,
                        sample,
                    );
                    if shared {
                        ws.shared_partition = Some(v);
                    }
                    v
                }
            };
            p.loss += value;
            p.on_sample += on_sample.as_f64();
            if contrast == Contrast::Probability {
                let (loss, s) = probability_error(p.loss, space.cell, cfg.params.beta);
                p.loss = loss;
                p.on_sample *= s;
                ws.weights.iter_mut().for_each(|w| *w *= T::of(s));
            }
            p
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inference::GridSearch;
    use crate::model::loss::{LossParams, Partition};
    use crate::model::objective::{loss_and_grad_reference, Workspace};
    use crate::model::{Architecture, Cost, Loss, Model};
    use rand::SeedableRng;

    /// Through the interface and the grid search, the demos' nets give the
    /// reference objective's loss and gradient, for every loss.
    #[test]
    fn the_generic_objective_is_the_reference_on_the_demos_nets() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let xs = [-0.8, -0.3, 0.1, 0.6, 0.9];
        let ys = [0.64, 0.09, 0.01, 0.36, 0.81];
        let grid: Vec<f64> = (0..17).map(|k| -0.2 + 1.2 * k as f64 / 16.0).collect();
        let space = AnswerGrid::line_of(&grid);
        for arch in Architecture::ALL {
            let m: Model<f64> = Model::new(arch, Cost::L1, 5, 2, &mut rng);
            for loss in Loss::ALL {
                for partition in Partition::ALL {
                    let cfg = StepConfig {
                        loss,
                        params: LossParams {
                            margin: 0.5,
                            beta: 3.0,
                            kappa: 1.0,
                            partition,
                        },
                        radius: 0.13,
                    };
                    let mut rws = Workspace::default();
                    let want = loss_and_grad_reference(&m, &xs, &ys, &grid, &cfg, &mut rws);
                    let mut gws = GenericWorkspace::default();
                    let mut search = GridSearch::default();
                    let got =
                        loss_and_grad_generic(&m, &xs, &ys, &space, &cfg, &mut search, &mut gws);
                    assert!(
                        (want - got).abs() <= 1e-12 * (1.0 + want.abs()),
                        "{arch:?} {loss:?} {partition:?}: loss {got} vs {want}"
                    );
                    for (g, r) in gws.grad.iter().zip(&rws.grad) {
                        assert!(
                            (g - r).abs() <= 1e-10 * (1.0 + r.abs()),
                            "{arch:?} {loss:?}: gradient {g} vs {r}"
                        );
                    }
                }
            }
        }
    }
}
