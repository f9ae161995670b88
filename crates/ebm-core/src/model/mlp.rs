//! A one-hidden-layer perceptron 1 → H → d with tanh hidden units and a linear
//! output, evaluated on a whole batch of scalar inputs at once.
//!
//! Parameters live in one flat slice (`[w1 (H), b1 (H), w2 (d×H row-major), b2 (d)]`)
//! so that the optimiser sees every net of a model as one vector, and forward
//! and backward never allocate: the caller owns the [`MlpCache`].

use rand::Rng;

use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MlpShape {
    pub hidden: usize,
    pub out: usize,
}

impl MlpShape {
    pub fn n_params(&self) -> usize {
        2 * self.hidden + self.out * self.hidden + self.out
    }
    fn w1(&self) -> std::ops::Range<usize> {
        0..self.hidden
    }
    fn b1(&self) -> std::ops::Range<usize> {
        self.hidden..2 * self.hidden
    }
    fn w2(&self) -> std::ops::Range<usize> {
        2 * self.hidden..2 * self.hidden + self.out * self.hidden
    }
    fn b2(&self) -> std::ops::Range<usize> {
        let s = 2 * self.hidden + self.out * self.hidden;
        s..s + self.out
    }

    /// PyTorch's `nn.Linear` default: weights and biases uniform in ±1/√fan_in.
    pub fn init<T: Real>(&self, params: &mut [T], rng: &mut impl Rng) {
        let a1 = 1.0; // fan_in = 1
        let a2 = 1.0 / (self.hidden as f64).sqrt();
        for p in &mut params[self.w1()] {
            *p = T::of(rng.random_range(-a1..a1));
        }
        for p in &mut params[self.b1()] {
            *p = T::of(rng.random_range(-a1..a1));
        }
        for p in &mut params[self.w2()] {
            *p = T::of(rng.random_range(-a2..a2));
        }
        for p in &mut params[self.b2()] {
            *p = T::of(rng.random_range(-a2..a2));
        }
    }

    /// The layers as `(w, b)` with `w` row-major out × in, for the model file.
    pub fn layers<T: Real>(&self, params: &[T]) -> [(Vec<Vec<f64>>, Vec<f64>); 2] {
        let f = |s: &[T]| s.iter().map(|v| v.as_f64()).collect::<Vec<_>>();
        let w1 = params[self.w1()].iter().map(|v| vec![v.as_f64()]).collect();
        let w2 = params[self.w2()].chunks(self.hidden).map(f).collect();
        [(w1, f(&params[self.b1()])), (w2, f(&params[self.b2()]))]
    }

    /// Inverse of [`Self::layers`]; the caller has checked the shapes.
    pub fn set_layers<T: Real>(
        &self,
        params: &mut [T],
        w1: &[f64],
        b1: &[f64],
        w2: &[f64],
        b2: &[f64],
    ) {
        for (dst, src) in [
            (self.w1(), w1),
            (self.b1(), b1),
            (self.w2(), w2),
            (self.b2(), b2),
        ] {
            for (p, v) in params[dst].iter_mut().zip(src) {
                *p = T::of(*v);
            }
        }
    }
}

/// Activations kept from the forward pass for the backward pass.
#[derive(Clone, Debug, Default)]
pub struct MlpCache<T> {
    pub n: usize,
    /// n × H hidden activations.
    pub hidden: Vec<T>,
    /// n × d outputs.
    pub out: Vec<T>,
}

impl<T: Real> MlpCache<T> {
    pub fn reserve(&mut self, shape: MlpShape, n: usize) {
        self.hidden.resize(n * shape.hidden, T::zero());
        self.out.resize(n * shape.out, T::zero());
    }
}

/// Forward pass over `xs`; fills `cache` (which must be reserved for `xs.len()`).
pub fn forward<T: Real>(shape: MlpShape, params: &[T], xs: &[T], cache: &mut MlpCache<T>) {
    let (hn, d) = (shape.hidden, shape.out);
    let w1 = &params[shape.w1()];
    let b1 = &params[shape.b1()];
    let w2 = &params[shape.w2()];
    let b2 = &params[shape.b2()];
    cache.n = xs.len();
    let hidden = &mut cache.hidden[..xs.len() * hn];
    let out = &mut cache.out[..xs.len() * d];
    for (i, &x) in xs.iter().enumerate() {
        let h = &mut hidden[i * hn..(i + 1) * hn];
        for j in 0..hn {
            h[j] = (w1[j] * x + b1[j]).tanh();
        }
        let o = &mut out[i * d..(i + 1) * d];
        for k in 0..d {
            let row = &w2[k * hn..(k + 1) * hn];
            let mut acc = b2[k];
            for j in 0..hn {
                acc += row[j] * h[j];
            }
            o[k] = acc;
        }
    }
}

/// Σₖ gₖ · ∂outₖ/∂x at the scalar input `x`: the derivative of the net's
/// output along `g` with respect to its input (what ∂E/∂y needs on the y side).
pub fn input_derivative<T: Real>(shape: MlpShape, params: &[T], x: T, g: &[T]) -> T {
    let hn = shape.hidden;
    let w1 = &params[shape.w1()];
    let b1 = &params[shape.b1()];
    let w2 = &params[shape.w2()];
    let mut total = T::zero();
    for j in 0..hn {
        let h = (w1[j] * x + b1[j]).tanh();
        let back: T = (0..shape.out).fold(T::zero(), |acc, k| acc + g[k] * w2[k * hn + j]);
        total += back * (T::one() - h * h) * w1[j];
    }
    total
}

/// Backward pass: given dL/d(out) for the batch in `cache`, *adds* dL/dθ to `grad`.
/// `dh` is scratch of length H.
pub fn backward<T: Real>(
    shape: MlpShape,
    params: &[T],
    xs: &[T],
    cache: &MlpCache<T>,
    dout: &[T],
    grad: &mut [T],
    dh: &mut [T],
) {
    let (hn, d) = (shape.hidden, shape.out);
    let w2 = &params[shape.w2()];
    let (gw1b1, rest) = grad.split_at_mut(2 * hn);
    let (gw1, gb1) = gw1b1.split_at_mut(hn);
    let (gw2, gb2) = rest.split_at_mut(d * hn);
    for (i, &x) in xs.iter().enumerate() {
        let h = &cache.hidden[i * hn..(i + 1) * hn];
        let go = &dout[i * d..(i + 1) * d];
        if go.iter().all(|g| *g == T::zero()) {
            continue;
        }
        dh[..hn].fill(T::zero());
        for k in 0..d {
            let g = go[k];
            gb2[k] += g;
            let row = &w2[k * hn..(k + 1) * hn];
            let grow = &mut gw2[k * hn..(k + 1) * hn];
            for j in 0..hn {
                grow[j] += g * h[j];
                dh[j] += g * row[j];
            }
        }
        for j in 0..hn {
            let dz = dh[j] * (T::one() - h[j] * h[j]);
            gw1[j] += dz * x;
            gb1[j] += dz;
        }
    }
}
