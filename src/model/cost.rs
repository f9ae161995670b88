//! The cost c that turns the gap between the x-side and the y-side of a model
//! into a non-negative energy: E = c(G1(x) − G2(y)).

use super::real::Real;

crate::named_enum! {
    pub enum Cost {
        /// Σ|vⱼ|, the dual-net L1 model of the demos.
        L1 = "l1": "Σ|v|",
        /// ½‖v‖², the paper's quadratic energy.
        Square = "square": "½‖v‖²",
        /// tanh(‖v‖²), the paper's non-normalisable energy.
        Saturated = "saturated": "tanh(‖v‖²)",
    }
}

impl Cost {
    pub fn formula(self) -> &'static str {
        self.describe()
    }

    /// c(a − b) for two d-vectors.
    #[inline(always)]
    pub fn value<T: Real>(self, a: &[T], b: &[T]) -> T {
        let mut acc = T::zero();
        match self {
            Cost::L1 => {
                for (x, y) in a.iter().zip(b) {
                    acc += (*x - *y).abs();
                }
                acc
            }
            Cost::Square => {
                for (x, y) in a.iter().zip(b) {
                    let v = *x - *y;
                    acc += v * v;
                }
                acc * T::of(0.5)
            }
            Cost::Saturated => {
                for (x, y) in a.iter().zip(b) {
                    let v = *x - *y;
                    acc += v * v;
                }
                acc.tanh()
            }
        }
    }

    /// Adds `w · ∂c(a − b)/∂a` to `da` and subtracts it from `db` (if given).
    #[inline(always)]
    pub fn accumulate<T: Real>(self, a: &[T], b: &[T], w: T, da: &mut [T], db: Option<&mut [T]>) {
        let d = a.len();
        let mut scale = w;
        if self == Cost::Saturated {
            let mut s = T::zero();
            for (x, y) in a.iter().zip(b) {
                let v = *x - *y;
                s += v * v;
            }
            let t = s.tanh();
            scale = w * (T::one() - t * t) * T::of(2.0);
        }
        let g = |j: usize| -> T {
            let v = a[j] - b[j];
            match self {
                Cost::L1 => {
                    if v > T::zero() {
                        scale
                    } else if v < T::zero() {
                        -scale
                    } else {
                        T::zero()
                    }
                }
                Cost::Square | Cost::Saturated => scale * v,
            }
        };
        match db {
            Some(db) => {
                for j in 0..d {
                    let gj = g(j);
                    da[j] += gj;
                    db[j] -= gj;
                }
            }
            None => {
                for (j, daj) in da.iter_mut().enumerate().take(d) {
                    *daj += g(j);
                }
            }
        }
    }
}
