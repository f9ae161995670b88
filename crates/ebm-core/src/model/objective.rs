//! One evaluation of the training objective: the mean loss over a batch and its
//! gradient with respect to every parameter. This is the hot loop of the program.
//!
//! Steps: A(x) for the batch; B(y) for the samples' y and, when the loss needs a
//! contrast, once for the whole Y grid; the energies; the loss's weights on them;
//! those weights pushed through the cost to dL/dA and dL/dB; then one batched
//! backward pass per net. Every buffer lives in [`Workspace`] and is reused.

use super::architecture::Model;
use super::grid;
use super::kernels::{self, Simd, StepBuffers, StepIn};
use super::loss::{nll_row, probability_error, Contrast, Pull};
use super::mlp::MlpCache;
use super::real::Real;

pub use super::loss::StepConfig;

#[derive(Clone, Debug, Default)]
pub struct Workspace<T> {
    x_cache: MlpCache<T>,
    y_cache: MlpCache<T>,
    /// G2's inputs: the Y grid (when needed) followed by the batch's y.
    y_inputs: Vec<T>,
    e_sample: Vec<T>,
    rows: Vec<T>,
    weights: Vec<T>,
    d_a: Vec<T>,
    d_b: Vec<T>,
    scratch: Vec<T>,
    pub grad: Vec<T>,
    /// Buffers of the f32 kernels (unused for other types).
    pub(crate) fast: StepBuffers,
}

/// Computes the mean loss over the batch and writes its gradient to `ws.grad`.
/// Returns a non-finite value when an energy or the loss is not finite.
/// For f32 this runs the vectorised kernels (`super::kernels`), else
/// [`loss_and_grad_reference`].
pub fn loss_and_grad<T: Real>(
    model: &Model<T>,
    xs: &[T],
    ys: &[T],
    y_grid: &[T],
    cfg: &StepConfig,
    ws: &mut Workspace<T>,
) -> f64 {
    let fast = (
        model.kernel_net(),
        T::f32s(xs),
        T::f32s(ys),
        T::f32s(y_grid),
    );
    if let ((Some(net), Some(xs), Some(ys), Some(y_grid)), Some(grad)) =
        (fast, T::f32s_mut(&mut ws.grad))
    {
        let inp = StepIn {
            net,
            xs,
            ys,
            y_grid,
            cfg,
        };
        return kernels::loss_and_grad_at(Simd::best(), &inp, &mut ws.fast, grad);
    }
    loss_and_grad_reference(model, xs, ys, y_grid, cfg, ws)
}

/// The plain, generic form of [`loss_and_grad`]: the definition the kernels are
/// tested against (and what f64 runs).
pub fn loss_and_grad_reference<T: Real>(
    model: &Model<T>,
    xs: &[T],
    ys: &[T],
    y_grid: &[T],
    cfg: &StepConfig,
    ws: &mut Workspace<T>,
) -> f64 {
    let n = xs.len();
    let d = model.dim();
    let contrast = cfg.loss.contrast();
    let k = if contrast == Contrast::None {
        0
    } else {
        y_grid.len()
    };

    ws.y_inputs.clear();
    ws.y_inputs.extend_from_slice(&y_grid[..k]);
    ws.y_inputs.extend_from_slice(ys);
    model.x_side(xs, &mut ws.x_cache);
    model.y_side(&ws.y_inputs, &mut ws.y_cache);
    energies(model, n, k, ws);
    let a = &ws.x_cache.out;
    let b = &ws.y_cache.out;

    ws.d_a.clear();
    ws.d_a.resize(n * d, T::zero());
    ws.d_b.clear();
    ws.d_b.resize((k + n) * d, T::zero());
    ws.weights.resize(k, T::zero());
    let scale = 1.0 / n as f64;
    let dy = grid_spacing(&y_grid[..k]);
    let radius = T::of(cfg.radius);
    let mut total = 0.0;
    let has_b = model.g2.is_some();
    for (i, &y) in ys.iter().enumerate().take(n) {
        let e = ws.e_sample[i].as_f64();
        let row = &ws.rows[i * k..(i + 1) * k];
        let (pull, contrast_k) = pull_of(cfg, e, row, y_grid, y, radius, dy, &mut ws.weights);
        total += pull.loss;
        let grads = Grads {
            da: &mut ws.d_a[i * d..(i + 1) * d],
            d_b: &mut ws.d_b,
            has_b,
        };
        let at = (i, k, contrast.reads_partition());
        accumulate_sample(
            model,
            a,
            b,
            at,
            &pull,
            contrast_k,
            scale,
            &ws.weights,
            grads,
        );
    }
    let mean = total * scale;
    if !mean.is_finite() || ws.e_sample.iter().any(|e| !e.is_finite()) {
        return f64::NAN;
    }
    ws.grad.clear();
    ws.grad.resize(model.params.len(), T::zero());
    model.backward(
        xs,
        &ws.x_cache,
        &ws.d_a,
        &ws.y_inputs,
        &ws.y_cache,
        &ws.d_b,
        &mut ws.grad,
        &mut ws.scratch,
    );
    mean
}

/// Δy of the grid the loss reads (1 for fewer than two values).
fn grid_spacing<T: Real>(grid: &[T]) -> f64 {
    match grid {
        [first, .., last] => (*last - *first).as_f64() / (grid.len() - 1) as f64,
        _ => 1.0,
    }
}

/// Where one sample's gradient goes: its row of ∂L/∂A and all of ∂L/∂B
/// (grid rows first, then the samples'), absent for the regressor.
struct Grads<'a, T> {
    da: &'a mut [T],
    d_b: &'a mut [T],
    has_b: bool,
}

/// Adds sample i's gradient (of the k grid rows): its own energy, its contrast,
/// and with `partition` (the `LogPartition` contrast) every grid value by its weight.
#[allow(clippy::too_many_arguments)]
fn accumulate_sample<T: Real>(
    model: &Model<T>,
    a: &[T],
    b: &[T],
    (i, k, partition): (usize, usize, bool),
    pull: &Pull,
    contrast_k: Option<usize>,
    scale: f64,
    weights: &[T],
    g: Grads<T>,
) {
    let d = model.dim();
    let ai = &a[i * d..(i + 1) * d];
    let (db_grid, db_samples) = g.d_b.split_at_mut(k * d);
    let bi = &b[(k + i) * d..(k + i + 1) * d];
    let db_i = g.has_b.then(|| &mut db_samples[i * d..(i + 1) * d]);
    model
        .cost
        .accumulate(ai, bi, T::of(pull.on_sample * scale), g.da, db_i);
    if let Some(kc) = contrast_k.filter(|_| pull.on_contrast != 0.0) {
        let db_k = g.has_b.then(|| &mut db_grid[kc * d..(kc + 1) * d]);
        let w = T::of(pull.on_contrast * scale);
        model
            .cost
            .accumulate(ai, &b[kc * d..(kc + 1) * d], w, g.da, db_k);
    }
    if partition {
        let s = T::of(scale);
        for kk in 0..k {
            let w = weights[kk] * s;
            let db_k = g.has_b.then(|| &mut db_grid[kk * d..(kk + 1) * d]);
            model
                .cost
                .accumulate(ai, &b[kk * d..(kk + 1) * d], w, g.da, db_k);
        }
    }
}

/// Eᵢ of every sample and the rows E(xᵢ, y_k) over the first k grid values,
/// from the nets' outputs in the caches.
fn energies<T: Real>(model: &Model<T>, n: usize, k: usize, ws: &mut Workspace<T>) {
    let d = model.dim();
    let (a, b) = (&ws.x_cache.out, &ws.y_cache.out);
    ws.e_sample.resize(n, T::zero());
    for i in 0..n {
        ws.e_sample[i] = model
            .cost
            .value(&a[i * d..(i + 1) * d], &b[(k + i) * d..(k + i + 1) * d]);
    }
    ws.rows.resize(n * k, T::zero());
    for i in 0..n {
        let ai = &a[i * d..(i + 1) * d];
        for (kk, e) in ws.rows[i * k..(i + 1) * k].iter_mut().enumerate() {
            *e = model.cost.value(ai, &b[kk * d..(kk + 1) * d]);
        }
    }
}

/// One sample's loss and weights, and the grid index of its contrast (for
/// `LogPartition` the row's weights go to `weights` instead).
#[allow(clippy::too_many_arguments)]
fn pull_of<T: Real>(
    cfg: &StepConfig,
    e: f64,
    row: &[T],
    y_grid: &[T],
    y: T,
    radius: T,
    dy: f64,
    weights: &mut [T],
) -> (Pull, Option<usize>) {
    match cfg.loss.contrast() {
        Contrast::None => (cfg.loss.pull(e, None, &cfg.params), None),
        Contrast::MostOffending => {
            let kb = grid::most_offending(row, y_grid, y, radius);
            let e_bar = kb.map(|kb| row[kb].as_f64());
            (cfg.loss.pull(e, e_bar, &cfg.params), kb)
        }
        Contrast::GridMin => {
            let km = grid::argmin(row);
            (
                cfg.loss.pull(e, Some(row[km].as_f64()), &cfg.params),
                Some(km),
            )
        }
        c @ (Contrast::LogPartition | Contrast::Probability) => {
            let mut p = cfg.loss.pull(e, None, &cfg.params);
            let sample = c
                .sample_in_partition(cfg.params.partition)
                .then(|| T::of(e));
            let (value, on_sample) = nll_row(row, dy, cfg.params.beta, weights, sample);
            p.loss += value;
            p.on_sample += on_sample.as_f64();
            if c == Contrast::Probability {
                let (loss, scale) = probability_error(p.loss, dy, cfg.params.beta);
                p.loss = loss;
                p.on_sample *= scale;
                weights.iter_mut().for_each(|w| *w *= T::of(scale));
            }
            (p, None)
        }
    }
}

/// The loss alone (for finite-difference tests).
pub fn loss_only<T: Real>(
    model: &Model<T>,
    xs: &[T],
    ys: &[T],
    y_grid: &[T],
    cfg: &StepConfig,
) -> f64 {
    let mut ws = Workspace::default();
    loss_and_grad(model, xs, ys, y_grid, cfg, &mut ws)
}
