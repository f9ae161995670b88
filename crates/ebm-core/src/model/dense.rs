//! A small fully connected net on one input vector at a time: layers of
//! widths `sizes[0] → sizes[1] → … → sizes[last]`, an activation after every
//! layer but the last. The latent models' decoders (and any net whose input
//! is not a scalar) use it; the demos' batched 1 → H → d nets keep `mlp.rs`.
//!
//! Parameters are one flat slice, layer by layer: W (out × in, row-major)
//! then b (out). Forward keeps every layer's output for backward.

use rand::Rng;

use super::real::Real;

crate::named_enum! {
    /// A hidden layer's activation.
    pub enum Activation {
        Tanh = "tanh": "tanh(v)",
        Relu = "relu": "max(0, v)",
        Silu = "silu": "v·σ(v)",
    }
}

impl Activation {
    fn apply<T: Real>(self, v: T) -> T {
        match self {
            Activation::Tanh => v.tanh(),
            Activation::Relu => v.max(T::zero()),
            Activation::Silu => v / (T::one() + (-v).exp()),
        }
    }

    /// d act/dv at the pre-activation `v`.
    fn slope<T: Real>(self, v: T) -> T {
        match self {
            Activation::Tanh => {
                let t = v.tanh();
                T::one() - t * t
            }
            Activation::Relu => {
                if v > T::zero() {
                    T::one()
                } else {
                    T::zero()
                }
            }
            Activation::Silu => {
                let s = T::one() / (T::one() + (-v).exp());
                s * (T::one() + v * (T::one() - s))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dense {
    pub sizes: Vec<usize>,
    pub activation: Activation,
}

/// Every layer's pre-activation and output of one forward pass.
#[derive(Clone, Debug, Default)]
pub struct DenseTape<T> {
    /// The input then each layer's output (after the activation).
    outs: Vec<Vec<T>>,
    /// Each layer's pre-activation.
    pres: Vec<Vec<T>>,
}

impl<T: Real> DenseTape<T> {
    /// The net's output.
    pub fn output(&self) -> &[T] {
        self.outs.last().map_or(&[], |v| v.as_slice())
    }
}

impl Dense {
    pub fn new(sizes: &[usize], activation: Activation) -> Self {
        Dense {
            sizes: sizes.to_vec(),
            activation,
        }
    }

    fn layers(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.sizes.windows(2).map(|w| (w[0], w[1]))
    }

    pub fn n_params(&self) -> usize {
        self.layers().map(|(i, o)| o * i + o).sum()
    }

    /// PyTorch's `nn.Linear` default: uniform in ±1/√fan_in.
    pub fn init<T: Real>(&self, params: &mut [T], rng: &mut impl Rng) {
        let mut at = 0;
        for (i, o) in self.layers() {
            let a = 1.0 / (i as f64).sqrt();
            for p in &mut params[at..at + o * i + o] {
                *p = T::of(rng.random_range(-a..a));
            }
            at += o * i + o;
        }
    }

    /// The output for `input`, recorded on `tape` for [`Dense::backward`].
    pub fn forward<T: Real>(&self, params: &[T], input: &[T], tape: &mut DenseTape<T>) {
        let n = self.sizes.len() - 1;
        tape.outs.resize(n + 1, Vec::new());
        tape.pres.resize(n, Vec::new());
        tape.outs[0].clear();
        tape.outs[0].extend_from_slice(input);
        let mut at = 0;
        for (l, (i, o)) in self.layers().enumerate() {
            let (w, b) = params[at..at + o * i + o].split_at(o * i);
            at += o * i + o;
            let (before, after) = tape.outs.split_at_mut(l + 1);
            let x = &before[l];
            let pre = &mut tape.pres[l];
            pre.clear();
            pre.extend((0..o).map(|r| {
                w[r * i..(r + 1) * i]
                    .iter()
                    .zip(x)
                    .fold(b[r], |acc, (&wv, &xv)| acc + wv * xv)
            }));
            let last = l + 1 == n;
            let out = &mut after[0];
            out.clear();
            out.extend(
                pre.iter()
                    .map(|&v| if last { v } else { self.activation.apply(v) }),
            );
        }
    }

    /// Adds dL/dθ to `grad` from dL/d(output) for the pass on `tape`; with
    /// `d_input`, writes dL/d(input) there.
    pub fn backward<T: Real>(
        &self,
        params: &[T],
        tape: &DenseTape<T>,
        d_out: &[T],
        grad: &mut [T],
        d_input: Option<&mut [T]>,
    ) {
        let n = self.sizes.len() - 1;
        let starts: Vec<usize> = self
            .layers()
            .scan(0, |at, (i, o)| {
                let s = *at;
                *at += o * i + o;
                Some(s)
            })
            .collect();
        let mut g: Vec<T> = d_out.to_vec();
        for l in (0..n).rev() {
            let (i, o) = (self.sizes[l], self.sizes[l + 1]);
            if l + 1 != n {
                for (gv, &p) in g.iter_mut().zip(&tape.pres[l]) {
                    *gv *= self.activation.slope(p);
                }
            }
            let at = starts[l];
            let x = &tape.outs[l];
            let (gw, gb) = grad[at..at + o * i + o].split_at_mut(o * i);
            let w = &params[at..at + o * i];
            let mut gx = vec![T::zero(); i];
            for r in 0..o {
                gb[r] += g[r];
                for c in 0..i {
                    gw[r * i + c] += g[r] * x[c];
                    gx[c] += g[r] * w[r * i + c];
                }
            }
            g = gx;
        }
        if let Some(d) = d_input {
            d.copy_from_slice(&g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Both the parameter and the input gradients match finite differences,
    /// for every activation.
    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for act in Activation::ALL {
            let net = Dense::new(&[3, 5, 4, 2], act);
            let mut p = vec![0.0f64; net.n_params()];
            net.init(&mut p, &mut rng);
            let input = [0.3, -0.7, 1.1];
            let d_out = [0.9, -0.4];
            let loss = |p: &[f64], inp: &[f64]| {
                let mut t = DenseTape::default();
                net.forward(p, inp, &mut t);
                t.output()[0] * d_out[0] + t.output()[1] * d_out[1]
            };
            let mut tape = DenseTape::default();
            net.forward(&p, &input, &mut tape);
            let mut grad = vec![0.0; p.len()];
            let mut d_in = [0.0; 3];
            net.backward(&p, &tape, &d_out, &mut grad, Some(&mut d_in));
            let h = 1e-6;
            for j in 0..p.len() {
                let (mut a, mut b) = (p.clone(), p.clone());
                a[j] += h;
                b[j] -= h;
                let fd = (loss(&a, &input) - loss(&b, &input)) / (2.0 * h);
                assert!(
                    (fd - grad[j]).abs() < 1e-6,
                    "{act:?} θ{j}: {} vs {fd}",
                    grad[j]
                );
            }
            for c in 0..3 {
                let (mut a, mut b) = (input, input);
                a[c] += h;
                b[c] -= h;
                let fd = (loss(&p, &a) - loss(&p, &b)) / (2.0 * h);
                assert!(
                    (fd - d_in[c]).abs() < 1e-6,
                    "{act:?} x{c}: {} vs {fd}",
                    d_in[c]
                );
            }
        }
    }
}
