//! The one interface the generic objective, the inference methods and the
//! plane's trainer see a model through: energies of candidate answers, the
//! backward pass from ∂L/∂E, and ∂E/∂y. The demos' separable nets implement it
//! here (their trainer keeps its own vectorised kernels, `objective.rs`, the
//! "fast path"); the latent-variable models implement it in `latent.rs`.
//!
//! Adding an architecture: a type that implements this trait (docs/DESIGN.md,
//! "Add an architecture").

use super::architecture::Model;
use super::mlp::MlpCache;
use super::real::Real;

/// E and ∂E/∂y at a fixed x: called with y, fills ∂E/∂y, returns E.
pub type AtX<'a, T> = Box<dyn FnMut(&[T], &mut [T]) -> T + 'a>;

pub trait EnergyModel<T: Real> {
    /// Coordinates of one answer y (1 on a line, 2 on a plane).
    fn answer_dim(&self) -> usize;
    fn params(&self) -> &[T];
    fn params_mut(&mut self) -> &mut [T];
    /// E(x, y_k) for each answer (`answers` holds k × `answer_dim` values),
    /// into `out` (resized to k).
    fn energies(&self, x: T, answers: &[T], out: &mut Vec<T>);
    /// Adds Σ_k d_e[k]·∂E(x, y_k)/∂θ to `grad`.
    fn backward(&self, x: T, answers: &[T], d_e: &[T], grad: &mut [T]);
    /// E(x, y), with ∂E/∂y written to `dy` (`answer_dim` values).
    fn energy_and_dy(&self, x: T, y: &[T], dy: &mut [T]) -> T;

    /// [`EnergyModel::backward`] called right after [`EnergyModel::energies`]
    /// at the same x and answers: a model that keeps its last forward pass
    /// (the density) does not run it again.
    fn backward_after_energies(&self, x: T, answers: &[T], d_e: &[T], grad: &mut [T]) {
        self.backward(x, answers, d_e, grad)
    }

    /// [`EnergyModel::energy_and_dy`] at one x for many y in turn (what
    /// descent and Langevin call T times): a model may prepare what depends
    /// on x and θ only once (a latent model decodes once).
    fn at_x<'a>(&'a self, x: T) -> AtX<'a, T> {
        Box::new(move |y, dy| self.energy_and_dy(x, y, dy))
    }

    /// E and ∂E/∂y at many answers at once (what a batch of sampling chains
    /// calls every step): `e` gets k values, `dy` k × `answer_dim`. A model
    /// with batched kernels overrides it.
    fn energies_and_dy(&self, x: T, answers: &[T], e: &mut Vec<T>, dy: &mut Vec<T>) {
        let d = self.answer_dim();
        e.clear();
        dy.clear();
        dy.resize(answers.len(), T::zero());
        let mut f = self.at_x(x);
        for (y, g) in answers.chunks(d).zip(dy.chunks_mut(d)) {
            e.push(f(y, g));
        }
    }
}

impl<T: Real> EnergyModel<T> for Model<T> {
    fn answer_dim(&self) -> usize {
        1
    }

    fn params(&self) -> &[T] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    fn energies(&self, x: T, answers: &[T], out: &mut Vec<T>) {
        let (mut cx, mut cy) = (MlpCache::default(), MlpCache::default());
        self.x_side(&[x], &mut cx);
        self.y_side(answers, &mut cy);
        let d = self.dim();
        let a = &cx.out[..d];
        out.clear();
        out.extend(cy.out.chunks(d).map(|b| self.cost.value(a, b)));
    }

    fn backward(&self, x: T, answers: &[T], d_e: &[T], grad: &mut [T]) {
        let (mut cx, mut cy) = (MlpCache::default(), MlpCache::default());
        self.x_side(&[x], &mut cx);
        self.y_side(answers, &mut cy);
        let d = self.dim();
        let a = &cx.out[..d];
        let mut d_a = vec![T::zero(); d];
        let mut d_b = vec![T::zero(); answers.len() * d];
        let has_b = self.g2.is_some();
        for (k, (&w, db)) in d_e.iter().zip(d_b.chunks_mut(d)).enumerate() {
            let b = &cy.out[k * d..(k + 1) * d];
            self.cost.accumulate(a, b, w, &mut d_a, has_b.then_some(db));
        }
        let mut scratch = Vec::new();
        Model::backward(
            self,
            &[x],
            &cx,
            &d_a,
            answers,
            &cy,
            &d_b,
            grad,
            &mut scratch,
        );
    }

    fn energy_and_dy(&self, x: T, y: &[T], dy: &mut [T]) -> T {
        let (e, d) = Model::energy_and_dy(self, x, y[0]);
        dy[0] = d;
        e
    }
}
