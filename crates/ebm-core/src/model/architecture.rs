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

    /// E(x, y) and ∂E/∂y: what an inference that follows the energy down in
    /// y (descent, Langevin) needs; the grid search reads energies only.
    /// Checked against finite differences (`tests`).
    pub fn energy_and_dy(&self, x: T, y: T) -> (T, T) {
        let mut cx = MlpCache::default();
        let mut cy = MlpCache::default();
        self.x_side(&[x], &mut cx);
        self.y_side(&[y], &mut cy);
        let d = self.dim();
        let (a, b) = (&cx.out[..d], &cy.out[..d]);
        let e = self.cost.value(a, b);
        // ∂c(a − b)/∂b, per output.
        let mut da = vec![T::zero(); d];
        let mut db = vec![T::zero(); d];
        self.cost.accumulate(a, b, T::one(), &mut da, Some(&mut db));
        let dy = match self.g2 {
            // B(y) = y: ∂E/∂y = ∂E/∂B.
            None => db[0],
            Some(g2) => mlp::input_derivative(g2, self.g2_params(), y, &db),
        };
        (e, dy)
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn de_dy_matches_finite_differences() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for arch in Architecture::ALL {
            for cost in Cost::ALL {
                let m: Model<f64> = Model::new(arch, cost, 6, 3, &mut rng);
                for (x, y) in [(-0.7, 0.3), (0.2, -0.9), (0.9, 1.4), (0.05, 0.6)] {
                    let (e, dy) = m.energy_and_dy(x, y);
                    let h = 1e-6;
                    let (ep, _) = m.energy_and_dy(x, y + h);
                    let (em, _) = m.energy_and_dy(x, y - h);
                    let fd = (ep - em) / (2.0 * h);
                    let grid = {
                        let mut ws = GridWorkspace::default();
                        let mut out = Vec::new();
                        m.energy_grid(&[x], &[y], &mut ws, &mut out);
                        out[0]
                    };
                    assert!(
                        (e - grid).abs() < 1e-12,
                        "{arch:?} {cost:?}: E {e} vs grid {grid}"
                    );
                    assert!(
                        (dy - fd).abs() <= 1e-5 * (1.0 + fd.abs()),
                        "{arch:?} {cost:?} at ({x}, {y}): ∂E/∂y {dy} vs finite difference {fd}"
                    );
                }
            }
        }
    }
}
