//! An energy-based density of 2-D points: E(y) = MLP(y), 2 → H → H → 1 with
//! SiLU, unconditional (x is ignored), p(y) ∝ e^(−β·E(y)). The batched f32
//! kernels (`kernels/density.rs`) compute it; the generic [`Dense`] net with
//! the same flat parameters is the reference the tests hold them to.

use std::cell::RefCell;

use rand::Rng;

use super::dense::{Activation, Dense, DenseTape};
use super::energy_model::EnergyModel;
use super::kernels::density::{DensityBuffers, Layout};
use super::kernels::{density_backward_at, density_dy_at, density_forward_at, Simd};

/// The widest hidden layer a density net may have.
pub const MAX_HIDDEN: usize = 512;

pub struct DensityNet {
    pub hidden: usize,
    pub params: Vec<f32>,
    buf: RefCell<DensityBuffers>,
}

impl Clone for DensityNet {
    fn clone(&self) -> Self {
        DensityNet::from_params(self.hidden, self.params.clone())
    }
}

impl std::fmt::Debug for DensityNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DensityNet(H = {})", self.hidden)
    }
}

impl DensityNet {
    /// The reference net with the same parameter layout.
    pub fn dense(hidden: usize) -> Dense {
        Dense::new(&[2, hidden, hidden, 1], Activation::Silu)
    }

    pub fn n_params(hidden: usize) -> usize {
        Layout { h: hidden }.n_params()
    }

    /// Fresh weights (PyTorch's `nn.Linear` default, as the reference net).
    pub fn new(hidden: usize, rng: &mut impl Rng) -> DensityNet {
        let mut params = vec![0.0f32; Self::n_params(hidden)];
        Self::dense(hidden).init(&mut params, rng);
        DensityNet::from_params(hidden, params)
    }

    /// A net with these weights (`params.len()` must be `n_params(hidden)`).
    pub fn from_params(hidden: usize, params: Vec<f32>) -> DensityNet {
        DensityNet {
            hidden,
            params,
            buf: RefCell::new(DensityBuffers::default()),
        }
    }

    pub fn is_finite(&self) -> bool {
        self.params.iter().all(|p| p.is_finite())
    }

    /// The reference: E at one point through the generic net, in f64.
    pub fn reference_energy(&self, y: [f64; 2]) -> f64 {
        let p: Vec<f64> = self.params.iter().map(|&v| v as f64).collect();
        let mut tape = DenseTape::default();
        Self::dense(self.hidden).forward(&p, &y, &mut tape);
        tape.output()[0]
    }
}

impl EnergyModel<f32> for DensityNet {
    fn answer_dim(&self) -> usize {
        2
    }

    fn params(&self) -> &[f32] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.params
    }

    fn energies(&self, _x: f32, answers: &[f32], out: &mut Vec<f32>) {
        let mut buf = self.buf.borrow_mut();
        density_forward_at(
            Simd::best(),
            self.hidden,
            &self.params,
            answers,
            &mut buf,
            out,
        );
    }

    fn backward(&self, x: f32, answers: &[f32], d_e: &[f32], grad: &mut [f32]) {
        let mut e = Vec::new();
        self.energies(x, answers, &mut e);
        self.backward_after_energies(x, answers, d_e, grad);
    }

    /// The activations of the last `energies` call are still in the
    /// buffers: only the backward pass runs.
    fn backward_after_energies(&self, _x: f32, answers: &[f32], d_e: &[f32], grad: &mut [f32]) {
        let mut buf = self.buf.borrow_mut();
        density_backward_at(
            Simd::best(),
            self.hidden,
            &self.params,
            answers,
            d_e,
            &mut buf,
            grad,
        );
    }

    /// The batched call every Langevin or descent step makes.
    fn energies_and_dy(&self, _x: f32, ys: &[f32], e: &mut Vec<f32>, dy: &mut Vec<f32>) {
        let simd = Simd::best();
        let mut buf = self.buf.borrow_mut();
        density_forward_at(simd, self.hidden, &self.params, ys, &mut buf, e);
        density_dy_at(simd, self.hidden, &self.params, &mut buf, dy);
    }

    fn energy_and_dy(&self, x: f32, y: &[f32], dy: &mut [f32]) -> f32 {
        let (mut e, mut d) = (Vec::new(), Vec::new());
        self.energies_and_dy(x, &y[..2], &mut e, &mut d);
        dy[..2].copy_from_slice(&d[..2]);
        e.first().copied().unwrap_or(f32::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::Simd;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn points(n: usize, rng: &mut StdRng) -> Vec<f32> {
        (0..2 * n).map(|_| rng.random_range(-4.0f32..4.0)).collect()
    }

    /// The kernels at every SIMD level against the f64 reference net (itself
    /// checked against finite differences in `dense.rs`): E, ∂E/∂y and
    /// ∂L/∂θ, on sizes with and without edges of the register blocks.
    #[test]
    fn kernels_match_the_reference_net() {
        let mut rng = StdRng::seed_from_u64(5);
        for (hidden, n) in [(64, 37), (16, 8), (5, 3), (40, 129)] {
            let net = DensityNet::new(hidden, &mut rng);
            let ys = points(n, &mut rng);
            let d_e: Vec<f32> = (0..n).map(|_| rng.random_range(-1.0f32..1.0)).collect();
            let dense = DensityNet::dense(hidden);
            let p64: Vec<f64> = net.params.iter().map(|&v| v as f64).collect();
            let mut want_grad = vec![0.0f64; p64.len()];
            let mut want = Vec::new();
            let mut want_dy = Vec::new();
            let mut tape = DenseTape::default();
            for (y, &w) in ys.chunks(2).zip(&d_e) {
                let y64 = [y[0] as f64, y[1] as f64];
                dense.forward(&p64, &y64, &mut tape);
                want.push(tape.output()[0]);
                let mut d_in = vec![0.0; 2];
                let mut g = vec![0.0; p64.len()];
                dense.backward(&p64, &tape, &[1.0], &mut g, Some(&mut d_in));
                want_dy.extend(d_in);
                for (a, b) in want_grad.iter_mut().zip(&g) {
                    *a += w as f64 * b;
                }
            }
            for simd in Simd::available() {
                let mut buf = DensityBuffers::default();
                let (mut e, mut dy) = (Vec::new(), Vec::new());
                density_forward_at(simd, hidden, &net.params, &ys, &mut buf, &mut e);
                density_dy_at(simd, hidden, &net.params, &mut buf, &mut dy);
                let mut grad = vec![0.0f32; p64.len()];
                density_backward_at(simd, hidden, &net.params, &ys, &d_e, &mut buf, &mut grad);
                let close = |a: f32, b: f64, what: &str| {
                    assert!(
                        (a as f64 - b).abs() <= 2e-4 * (1.0 + b.abs()),
                        "{} H={hidden} n={n} {what}: {a} vs {b}",
                        simd.name()
                    );
                };
                for (a, &b) in e.iter().zip(&want) {
                    close(*a, b, "E");
                }
                for (a, &b) in dy.iter().zip(&want_dy) {
                    close(*a, b, "dE/dy");
                }
                for (a, &b) in grad.iter().zip(&want_grad) {
                    close(*a, b, "dL/dθ");
                }
                assert_eq!((e.len(), dy.len()), (n, 2 * n));
            }
        }
    }
}
