//! SGD with momentum and Adam, over one flat parameter vector.

use super::real::Real;

crate::named_enum! {
    pub enum OptimizerKind {
        Sgd = "sgd": "SGD with momentum μ",
        Adam = "adam": "Adam (β₁ 0.9, β₂ 0.999, ε 1e-8)",
    }
}

const ADAM_B1: f64 = 0.9;
const ADAM_B2: f64 = 0.999;
const ADAM_EPS: f64 = 1e-8;

/// Optimiser state. Switching the kind live restarts its moments (PyTorch would
/// build a new optimiser too).
#[derive(Clone, Debug)]
pub struct Optimizer<T> {
    kind: OptimizerKind,
    m: Vec<T>,
    v: Vec<T>,
    t: u64,
}

impl<T: Real> Optimizer<T> {
    pub fn new(kind: OptimizerKind, n: usize) -> Self {
        Optimizer {
            kind,
            m: vec![T::zero(); n],
            v: vec![T::zero(); n],
            t: 0,
        }
    }

    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    pub fn set_kind(&mut self, kind: OptimizerKind) {
        if kind != self.kind {
            *self = Optimizer::new(kind, self.m.len());
        }
    }

    /// One update of `params` from `grad`. SGD follows PyTorch: v ← μv + g, θ ← θ − lr·v.
    pub fn step(&mut self, params: &mut [T], grad: &[T], lr: f64, momentum: f64) {
        self.t += 1;
        match self.kind {
            OptimizerKind::Sgd => {
                let (lr, mu) = (T::of(lr), T::of(momentum));
                for ((p, g), v) in params.iter_mut().zip(grad).zip(&mut self.m) {
                    *v = mu * *v + *g;
                    *p -= lr * *v;
                }
            }
            OptimizerKind::Adam => {
                let t = self.t as i32;
                let c1 = 1.0 - ADAM_B1.powi(t);
                let c2 = 1.0 - ADAM_B2.powi(t);
                let (b1, b2) = (T::of(ADAM_B1), T::of(ADAM_B2));
                let step = T::of(lr / c1);
                let c2s = T::of(c2.sqrt());
                let eps = T::of(ADAM_EPS);
                for (((p, g), m), v) in params
                    .iter_mut()
                    .zip(grad)
                    .zip(&mut self.m)
                    .zip(&mut self.v)
                {
                    *m = b1 * *m + (T::one() - b1) * *g;
                    *v = b2 * *v + (T::one() - b2) * *g * *g;
                    *p -= step * *m / ((*v).sqrt() / c2s + eps);
                }
            }
        }
    }
}
