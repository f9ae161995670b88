//! Latent-variable energies E(x, y, z) = ‖y − Dec(x, z)‖² with y ∈ ℝ², and
//! the free energy that removes z (the seed slides, "Latent Variable Models"):
//!
//! F_β(x, y) = −(1/β)·log((1/|Z|)·Σ_z e^(−β·E(x, y, z))),  F_∞ = min_z E,
//!
//! over a grid of z. So F_∞ ≤ F_β ≤ F_∞ + (1/β)·log|Z|, and β → 0 gives the
//! mean of E over z. ∂F/∂E_z is the softmin weight of z (one-hot at the first
//! minimum for β = ∞); every gradient is checked against finite differences.

use rand::Rng;

use super::dense::{Activation, Dense, DenseTape};
use super::energy_model::{AtX, EnergyModel};
use super::real::Real;

crate::named_enum! {
    /// The decoders of the latent-variable architectures.
    pub enum Decoder {
        Ellipse = "latent-ellipse": "E = ‖y − (w₁ cos z, w₂ sin z)‖²",
        Horn = "latent-horn": "E = ‖y − f(x) ∘ (cos z, sin z)‖², f: 1 → 8 → 8 → 2 (ReLU)",
        Mlp = "latent-mlp": "E = ‖y − MLP(x, z)‖², z ∈ [−1, 1]ᵏ, tanh",
    }
}

/// The most points a z grid may have.
pub const MAX_Z: usize = 4096;

/// What a latent model is made of besides its weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatentSpec {
    pub decoder: Decoder,
    /// k, the dimension of z (1 or 2; `latent-mlp` only may have 2).
    pub z_dim: usize,
    /// z values per axis.
    pub z_grid: usize,
    /// The inverse temperature; `f64::INFINITY` is the minimum F_∞.
    pub beta: f64,
    /// Hidden width of `latent-mlp`'s net.
    pub hidden: usize,
}

impl LatentSpec {
    /// |Z|, the number of z on the grid.
    pub fn z_count(&self) -> usize {
        self.z_grid.saturating_pow(self.z_dim as u32)
    }

    /// The spec's values in range, or a one-line message naming the setting.
    pub fn check(&self) -> Result<(), String> {
        if self.z_dim == 0 || self.z_dim > 2 || (self.z_dim == 2 && self.decoder != Decoder::Mlp) {
            return Err(format!(
                "z_dim = {}: 1 for {}, 1 or 2 for latent-mlp",
                self.z_dim,
                self.decoder.name()
            ));
        }
        let z = self.z_count();
        if z == 0 || z > MAX_Z {
            return Err(format!(
                "z_grid = {}: the z grid would have {z} points; allowed 1 ..= {MAX_Z}",
                self.z_grid
            ));
        }
        if self.beta.is_nan() || self.beta <= 0.0 {
            return Err(format!(
                "latent_beta = {}: must be > 0 (inf for the minimum)",
                self.beta
            ));
        }
        if self.decoder == Decoder::Mlp && !(1..=256).contains(&self.hidden) {
            return Err(format!("hidden = {}: allowed 1 ..= 256", self.hidden));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LatentModel<T> {
    pub spec: LatentSpec,
    /// f (horn) or the decoder net (mlp).
    net: Option<Dense>,
    /// The z grid, |Z| × k values.
    pub zs: Vec<T>,
    /// cos z and sin z of an angle grid (k = 1).
    trig: Vec<(T, T)>,
    pub params: Vec<T>,
}

/// The decoder's points for one x and what their backward pass needs.
#[derive(Clone, Debug, Default)]
pub struct Decoded<T> {
    /// Dec(x, z) for every z, |Z| × 2.
    pub points: Vec<T>,
    tapes: Vec<DenseTape<T>>,
}

impl<T: Real> LatentModel<T> {
    /// A model with weights drawn from `rng` (the caller has run `spec.check`).
    pub fn new(spec: LatentSpec, rng: &mut impl Rng) -> Self {
        let mut m = Self::zeros(spec);
        match &m.net {
            Some(net) => net.init(&mut m.params, rng),
            None => {
                for p in &mut m.params {
                    *p = T::of(rng.random_range(0.3..0.8));
                }
            }
        }
        m
    }

    pub fn zeros(spec: LatentSpec) -> Self {
        let net = match spec.decoder {
            Decoder::Ellipse => None,
            Decoder::Horn => Some(Dense::new(&[1, 8, 8, 2], Activation::Relu)),
            Decoder::Mlp => Some(Dense::new(
                &[1 + spec.z_dim, spec.hidden, spec.hidden, 2],
                Activation::Tanh,
            )),
        };
        let n = net.as_ref().map_or(2, |n| n.n_params());
        let zs = z_grid::<T>(spec);
        let trig = if spec.decoder == Decoder::Mlp {
            Vec::new()
        } else {
            zs.iter().map(|&z| (z.cos(), z.sin())).collect()
        };
        LatentModel {
            spec,
            net,
            zs,
            trig,
            params: vec![T::zero(); n],
        }
    }

    pub fn z_count(&self) -> usize {
        self.zs.len() / self.spec.z_dim
    }

    /// Dec(x, z) for every z on the grid.
    pub fn decode(&self, x: T, out: &mut Decoded<T>) {
        let nz = self.z_count();
        out.points.resize(2 * nz, T::zero());
        match (&self.net, self.spec.decoder) {
            (None, _) => {
                let (w1, w2) = (self.params[0], self.params[1]);
                for (p, &(c, s)) in out.points.chunks_mut(2).zip(&self.trig) {
                    p[0] = w1 * c;
                    p[1] = w2 * s;
                }
            }
            (Some(net), Decoder::Horn) => {
                out.tapes.resize(1, DenseTape::default());
                net.forward(&self.params, &[x], &mut out.tapes[0]);
                let f = out.tapes[0].output();
                let (f1, f2) = (f[0], f[1]);
                for (p, &(c, s)) in out.points.chunks_mut(2).zip(&self.trig) {
                    p[0] = f1 * c;
                    p[1] = f2 * s;
                }
            }
            (Some(net), _) => {
                let k = self.spec.z_dim;
                out.tapes.resize(nz, DenseTape::default());
                let mut input = vec![x; 1 + k];
                for (j, tape) in out.tapes.iter_mut().enumerate() {
                    input[1..].copy_from_slice(&self.zs[j * k..(j + 1) * k]);
                    net.forward(&self.params, &input, tape);
                    out.points[2 * j..2 * j + 2].copy_from_slice(tape.output());
                }
            }
        }
    }

    /// Adds dL/dθ to `grad` from dL/dDec (|Z| × 2) for the pass in `dec`.
    pub fn decoder_backward(&self, dec: &Decoded<T>, d_points: &[T], grad: &mut [T]) {
        let along = |axis: usize| {
            d_points
                .chunks(2)
                .zip(&self.trig)
                .fold(T::zero(), |acc, (d, &(c, s))| {
                    acc + d[axis] * if axis == 0 { c } else { s }
                })
        };
        match (&self.net, self.spec.decoder) {
            (None, _) => {
                grad[0] += along(0);
                grad[1] += along(1);
            }
            (Some(net), Decoder::Horn) => {
                let d_f = [along(0), along(1)];
                net.backward(&self.params, &dec.tapes[0], &d_f, grad, None);
            }
            (Some(net), _) => {
                for (tape, d) in dec.tapes.iter().zip(d_points.chunks(2)) {
                    if d[0] != T::zero() || d[1] != T::zero() {
                        net.backward(&self.params, tape, d, grad, None);
                    }
                }
            }
        }
    }

    /// F_β(x, y) from the decoded points; with `weights`, ∂F/∂E_z there.
    pub fn free_energy(
        &self,
        points: &[T],
        y: &[T],
        e: &mut Vec<T>,
        weights: Option<&mut Vec<T>>,
    ) -> T {
        e.clear();
        e.extend(points.chunks(2).map(|p| {
            let (a, b) = (y[0] - p[0], y[1] - p[1]);
            a * a + b * b
        }));
        soft_min(e, self.spec.beta, weights)
    }

    pub fn is_finite(&self) -> bool {
        self.params.iter().all(|p| p.is_finite())
    }

    /// The same model in another float type.
    pub fn cast<U: Real>(&self) -> LatentModel<U> {
        let mut m = LatentModel::<U>::zeros(self.spec);
        for (d, s) in m.params.iter_mut().zip(&self.params) {
            *d = U::of(s.as_f64());
        }
        m
    }
}

/// The z grid of a spec: angles [0, 2π) for the angle decoders, [−1, 1]ᵏ
/// (ends included) for `latent-mlp`.
fn z_grid<T: Real>(spec: LatentSpec) -> Vec<T> {
    let n = spec.z_grid.max(1);
    let axis: Vec<f64> = match spec.decoder {
        Decoder::Ellipse | Decoder::Horn => (0..n)
            .map(|j| std::f64::consts::TAU * j as f64 / n as f64)
            .collect(),
        Decoder::Mlp => super::grid::y_grid((-1.0, 1.0), n),
    };
    match spec.z_dim {
        2 => axis
            .iter()
            .flat_map(|&a| axis.iter().flat_map(move |&b| [T::of(a), T::of(b)]))
            .collect(),
        _ => axis.into_iter().map(T::of).collect(),
    }
}

/// −(1/β)·log((1/|Z|)·Σ e^(−β·e_z)), stably (min for β = ∞); with `weights`,
/// the softmin weights ∂/∂e_z (one-hot at the first minimum for β = ∞).
pub fn soft_min<T: Real>(e: &[T], beta: f64, weights: Option<&mut Vec<T>>) -> T {
    let (kmin, m) =
        e.iter().enumerate().fold(
            (0, T::infinity()),
            |(k, m), (j, &v)| if v < m { (j, v) } else { (k, m) },
        );
    if beta.is_infinite() {
        if let Some(w) = weights {
            w.clear();
            w.resize(e.len(), T::zero());
            if let Some(slot) = w.get_mut(kmin) {
                *slot = T::one();
            }
        }
        return m;
    }
    let nb = T::of(-beta);
    let s = e
        .iter()
        .fold(T::zero(), |acc, &v| acc + (nb * (v - m)).exp());
    if let Some(w) = weights {
        w.clear();
        w.extend(e.iter().map(|&v| (nb * (v - m)).exp() / s));
    }
    m - (s / T::of(e.len() as f64)).ln() / T::of(beta)
}

impl<T: Real> EnergyModel<T> for LatentModel<T> {
    fn answer_dim(&self) -> usize {
        2
    }

    fn params(&self) -> &[T] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    fn energies(&self, x: T, answers: &[T], out: &mut Vec<T>) {
        let mut dec = Decoded::default();
        self.decode(x, &mut dec);
        let mut e = Vec::new();
        out.clear();
        for y in answers.chunks(2) {
            out.push(self.free_energy(&dec.points, y, &mut e, None));
        }
    }

    fn backward(&self, x: T, answers: &[T], d_e: &[T], grad: &mut [T]) {
        let mut dec = Decoded::default();
        self.decode(x, &mut dec);
        let mut d_points = vec![T::zero(); dec.points.len()];
        let (mut e, mut w) = (Vec::new(), Vec::new());
        for (y, &g) in answers.chunks(2).zip(d_e) {
            if g == T::zero() {
                continue;
            }
            self.free_energy(&dec.points, y, &mut e, Some(&mut w));
            let two = T::of(2.0);
            for ((d, p), &wz) in d_points.chunks_mut(2).zip(dec.points.chunks(2)).zip(&w) {
                // ∂E_z/∂Dec = −2(y − Dec).
                d[0] -= g * wz * two * (y[0] - p[0]);
                d[1] -= g * wz * two * (y[1] - p[1]);
            }
        }
        self.decoder_backward(&dec, &d_points, grad);
    }

    fn energy_and_dy(&self, x: T, y: &[T], dy: &mut [T]) -> T {
        self.at_x(x)(y, dy)
    }

    fn at_x<'a>(&'a self, x: T) -> AtX<'a, T> {
        let mut dec = Decoded::default();
        self.decode(x, &mut dec);
        let (mut e, mut w) = (Vec::new(), Vec::new());
        Box::new(move |y, dy| {
            let f = self.free_energy(&dec.points, y, &mut e, Some(&mut w));
            dy[0] = T::zero();
            dy[1] = T::zero();
            let two = T::of(2.0);
            for (p, &wz) in dec.points.chunks(2).zip(&w) {
                dy[0] += wz * two * (y[0] - p[0]);
                dy[1] += wz * two * (y[1] - p[1]);
            }
            f
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn specs() -> Vec<LatentSpec> {
        let mut out = Vec::new();
        for beta in [f64::INFINITY, 4.0, 0.3] {
            for (decoder, z_dim, z_grid) in [
                (Decoder::Ellipse, 1, 48),
                (Decoder::Horn, 1, 24),
                (Decoder::Mlp, 1, 9),
                (Decoder::Mlp, 2, 5),
            ] {
                out.push(LatentSpec {
                    decoder,
                    z_dim,
                    z_grid,
                    beta,
                    hidden: 6,
                });
            }
        }
        out
    }

    /// ∂F/∂θ and ∂F/∂y against central differences, every decoder and β.
    #[test]
    fn free_energy_gradients_match_finite_differences() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let answers = [0.4, -0.3, 1.7, 0.9, -1.2, 0.2];
        let d_e = [0.7, -0.4, 1.1];
        for spec in specs() {
            let m: LatentModel<f64> = LatentModel::new(spec, &mut rng);
            let x = 0.37;
            let total = |m: &LatentModel<f64>| {
                let mut out = Vec::new();
                m.energies(x, &answers, &mut out);
                out.iter().zip(&d_e).map(|(e, g)| e * g).sum::<f64>()
            };
            let mut grad = vec![0.0; m.params.len()];
            m.backward(x, &answers, &d_e, &mut grad);
            let h = 1e-6;
            for (j, g) in grad.iter().enumerate() {
                let (mut a, mut b) = (m.clone(), m.clone());
                a.params[j] += h;
                b.params[j] -= h;
                let fd = (total(&a) - total(&b)) / (2.0 * h);
                assert!(
                    (fd - g).abs() <= 1e-5 * (1.0 + fd.abs()),
                    "{spec:?} θ{j}: {g} vs {fd}"
                );
            }
            let y = [answers[2], answers[3]];
            let mut dy = [0.0; 2];
            m.energy_and_dy(x, &y, &mut dy);
            for c in 0..2 {
                let (mut a, mut b) = (y, y);
                a[c] += h;
                b[c] -= h;
                let (mut ea, mut eb) = (Vec::new(), Vec::new());
                m.energies(x, &a, &mut ea);
                m.energies(x, &b, &mut eb);
                let fd = (ea[0] - eb[0]) / (2.0 * h);
                assert!(
                    (fd - dy[c]).abs() <= 1e-5 * (1.0 + fd.abs()),
                    "{spec:?} ∂F/∂y{c}"
                );
            }
        }
    }

    /// F_∞ ≤ F_β ≤ F_∞ + log|Z|/β, F_β → F_∞ as β grows and → mean E as β → 0.
    #[test]
    fn the_free_energy_sits_between_its_limits() {
        let e = [3.0f64, 0.5, 2.0, 0.7, 5.0];
        let min = soft_min(&e, f64::INFINITY, None);
        assert_eq!(min, 0.5);
        for beta in [0.01, 0.5, 2.0, 50.0] {
            let f = soft_min(&e, beta, None);
            let upper = min + (e.len() as f64).ln() / beta;
            assert!(min <= f && f <= upper + 1e-12, "β {beta}: {f}");
        }
        assert!((soft_min(&e, 1e4, None) - min).abs() < 1e-3);
        let mean = e.iter().sum::<f64>() / e.len() as f64;
        assert!((soft_min(&e, 1e-7, None) - mean).abs() < 1e-5);
        let mut w = Vec::new();
        soft_min(&e, 2.0, Some(&mut w));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_spec_out_of_range_names_its_setting() {
        let ok = specs()[0];
        let cases = [
            (LatentSpec { z_grid: 0, ..ok }, "z_grid"),
            (LatentSpec { z_grid: 5000, ..ok }, "z_grid"),
            (LatentSpec { beta: 0.0, ..ok }, "latent_beta"),
            (LatentSpec { beta: -1.0, ..ok }, "latent_beta"),
            (LatentSpec { z_dim: 2, ..ok }, "z_dim"),
            (
                LatentSpec {
                    decoder: Decoder::Mlp,
                    z_dim: 2,
                    z_grid: 65,
                    ..ok
                },
                "z_grid",
            ),
        ];
        for (spec, key) in cases {
            let e = spec.check().expect_err("refused");
            assert!(e.starts_with(key), "{e}");
        }
        assert!(ok.check().is_ok());
    }
}
