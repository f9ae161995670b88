//! The two architectures of the demos, seen the same way: E(x, y) = c(A(x) − B(y)).
//!
//! * `regressor` (architecture A): A = G(x) ∈ ℝ, B(y) = y, no parameters on the y side.
//! * `dual` (architecture B): A = G1(x) ∈ ℝᵈ, B = G2(y) ∈ ℝᵈ.
//!
//! Because the y side does not depend on x, B over the whole Y grid is computed
//! once per step and serves every sample (the "separable" property).

use rand::Rng;

use super::cost::Cost;
use super::kernels::{self, Simd};
use super::mlp::{self, MlpCache, MlpShape};
use super::real::Real;

crate::named_enum! {
    /// The demos' architecture A (`regressor`) and B (`dual`).
    pub enum Architecture {
        Regressor = "regressor": "E = c(G(x) − y)",
        Dual = "dual": "E = c(G1(x) − G2(y))",
    }
}

/// A model's parameters and shapes. `params` holds G1 then (dual only) G2.
#[derive(Clone, Debug, PartialEq)]
pub struct Model<T> {
    pub architecture: Architecture,
    pub cost: Cost,
    pub g1: MlpShape,
    pub g2: Option<MlpShape>,
    pub params: Vec<T>,
}

impl<T: Real> Model<T> {
    pub fn new(
        architecture: Architecture,
        cost: Cost,
        hidden: usize,
        out_dim: usize,
        rng: &mut impl Rng,
    ) -> Self {
        let mut m = Self::zeros(architecture, cost, hidden, out_dim);
        let n1 = m.g1.n_params();
        m.g1.init(&mut m.params[..n1], rng);
        if let Some(g2) = m.g2 {
            g2.init(&mut m.params[n1..], rng);
        }
        m
    }

    pub fn zeros(architecture: Architecture, cost: Cost, hidden: usize, out_dim: usize) -> Self {
        let (g1, g2) = match architecture {
            Architecture::Regressor => (MlpShape { hidden, out: 1 }, None),
            Architecture::Dual => (
                MlpShape {
                    hidden,
                    out: out_dim,
                },
                Some(MlpShape {
                    hidden,
                    out: out_dim,
                }),
            ),
        };
        let n = g1.n_params() + g2.map_or(0, |s| s.n_params());
        Model {
            architecture,
            cost,
            g1,
            g2,
            params: vec![T::zero(); n],
        }
    }

    /// Dimension d of the space where A and B meet.
    pub fn dim(&self) -> usize {
        self.g1.out
    }

    /// The nets as the f32 kernels read them (`None` unless `T` is f32).
    pub fn kernel_net(&self) -> Option<kernels::Net<'_>> {
        T::f32s(&self.params).map(|params| kernels::Net {
            g1: self.g1,
            g2: self.g2,
            params,
            cost: self.cost,
        })
    }

    pub fn g1_params(&self) -> &[T] {
        &self.params[..self.g1.n_params()]
    }

    pub fn g2_params(&self) -> &[T] {
        &self.params[self.g1.n_params()..]
    }

    /// A(x) for every x, into `cache.out` (n × d).
    pub fn x_side(&self, xs: &[T], cache: &mut MlpCache<T>) {
        cache.reserve(self.g1, xs.len());
        mlp::forward(self.g1, self.g1_params(), xs, cache);
    }

    /// B(y) for every y, into `cache.out` (n × d).
    pub fn y_side(&self, ys: &[T], cache: &mut MlpCache<T>) {
        match self.g2 {
            Some(g2) => {
                cache.reserve(g2, ys.len());
                mlp::forward(g2, self.g2_params(), ys, cache);
            }
            None => {
                cache.n = ys.len();
                cache.out.clear();
                cache.out.extend_from_slice(ys);
            }
        }
    }

    /// Adds dL/dθ to `grad` given dL/dA (n × d) and dL/dB (m × d).
    #[allow(clippy::too_many_arguments)]
    pub fn backward(
        &self,
        xs: &[T],
        x_cache: &MlpCache<T>,
        d_a: &[T],
        ys: &[T],
        y_cache: &MlpCache<T>,
        d_b: &[T],
        grad: &mut [T],
        scratch: &mut Vec<T>,
    ) {
        let n1 = self.g1.n_params();
        scratch.resize(self.g1.hidden, T::zero());
        let (grad1, grad2) = grad.split_at_mut(n1);
        mlp::backward(self.g1, self.g1_params(), xs, x_cache, d_a, grad1, scratch);
        if let Some(g2) = self.g2 {
            mlp::backward(g2, self.g2_params(), ys, y_cache, d_b, grad2, scratch);
        }
    }

    /// Energies on the grid xs × ys, row-major (one row per x), into `out`.
    /// For f32 this runs the vectorised kernels (`super::kernels`).
    pub fn energy_grid(&self, xs: &[T], ys: &[T], ws: &mut GridWorkspace<T>, out: &mut Vec<T>) {
        let fast = (self.kernel_net(), T::f32s(xs), T::f32s(ys));
        if let ((Some(net), Some(xs), Some(ys)), Some(out)) = (fast, T::f32s_mut(out)) {
            kernels::energy_grid_at(Simd::best(), net, xs, ys, &mut ws.fast, out);
            return;
        }
        self.x_side(xs, &mut ws.x);
        self.y_side(ys, &mut ws.y);
        let d = self.dim();
        out.resize(xs.len() * ys.len(), T::zero());
        for (i, row) in out.chunks_mut(ys.len()).enumerate() {
            let a = &ws.x.out[i * d..(i + 1) * d];
            for (k, e) in row.iter_mut().enumerate() {
                *e = self.cost.value(a, &ws.y.out[k * d..(k + 1) * d]);
            }
        }
    }

    pub fn is_finite(&self) -> bool {
        self.params.iter().all(|p| p.is_finite())
    }

    /// The same model in another float type (for tests and the model file).
    pub fn cast<U: Real>(&self) -> Model<U> {
        Model {
            architecture: self.architecture,
            cost: self.cost,
            g1: self.g1,
            g2: self.g2,
            params: self.params.iter().map(|p| U::of(p.as_f64())).collect(),
        }
    }
}

/// Buffers for [`Model::energy_grid`], reused across calls.
#[derive(Clone, Debug, Default)]
pub struct GridWorkspace<T> {
    pub x: MlpCache<T>,
    pub y: MlpCache<T>,
    /// Buffers of the f32 kernels (unused for other types).
    pub(crate) fast: kernels::GridBuffers,
}
