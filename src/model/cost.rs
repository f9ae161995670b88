//! The cost c that turns the gap between the x-side and the y-side of a model
//! into a non-negative energy: E = c(G1(x) − G2(y)).

use serde::{Deserialize, Serialize};

use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cost {
    /// Σ|vⱼ|, the dual-net L1 model of the demos.
    L1,
    /// ½‖v‖², the paper's quadratic energy.
    Square,
    /// tanh(‖v‖²), the paper's non-normalisable energy.
    Saturated,
}

impl Cost {
    pub const ALL: [Cost; 3] = [Cost::L1, Cost::Square, Cost::Saturated];

    pub fn name(self) -> &'static str {
        match self {
            Cost::L1 => "l1",
            Cost::Square => "square",
            Cost::Saturated => "saturated",
        }
    }

    pub fn from_name(s: &str) -> Option<Cost> {
        Cost::ALL.into_iter().find(|c| c.name() == s)
    }

    pub fn formula(self) -> &'static str {
        match self {
            Cost::L1 => "Σ|v|",
            Cost::Square => "½‖v‖²",
            Cost::Saturated => "tanh(‖v‖²)",
        }
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
