//! The losses of LeCun & Huang (2005), each a function of energies only.
//!
//! A loss looks at the energy of the sample, Eᵢ = E(xᵢ, yᵢ), and at most one
//! "contrast" set of energies on the Y grid (the most offending incorrect answer
//! ȳᵢ, the grid minimum, or the whole row). It returns its value and a weight on
//! each energy it looked at (∂L/∂E); the architecture turns weights into
//! parameter gradients. A new loss is one variant, one row of [`Loss::info`] and
//! one arm of [`Loss::pull`] (or of [`nll_row`] if it needs the whole row).

use serde::{Deserialize, Serialize};

use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Loss {
    Energy,
    SquareSquare,
    Nll,
    Hinge,
    Perceptron,
    Log,
    SquareExp,
}

/// Which energies besides Eᵢ a loss needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contrast {
    /// Eᵢ alone.
    None,
    /// Ē = E(xᵢ, ȳᵢ), the lowest energy outside the exclusion radius.
    MostOffending,
    /// minₖ E(xᵢ, yₖ), anywhere on the grid.
    GridMin,
    /// E(xᵢ, yₖ) for every k (weights from [`nll_row`]).
    WholeGrid,
}

pub struct LossInfo {
    pub name: &'static str,
    pub formula: &'static str,
    pub pulls: &'static str,
    pub contrast: Contrast,
}

/// The loss hyper-parameters that take effect without a reset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossParams {
    pub margin: f64,
    pub beta: f64,
    pub kappa: f64,
}

/// A loss's value on one sample and its weights on the energies it saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pull {
    pub loss: f64,
    pub on_sample: f64,
    pub on_contrast: f64,
}

impl Loss {
    pub const ALL: [Loss; 7] = [
        Loss::Energy,
        Loss::SquareSquare,
        Loss::Nll,
        Loss::Hinge,
        Loss::Perceptron,
        Loss::Log,
        Loss::SquareExp,
    ];

    pub fn info(self) -> LossInfo {
        let (name, formula, pulls, contrast) = match self {
            Loss::Energy => (
                "energy",
                "L = E_i",
                "down on the sample only",
                Contrast::None,
            ),
            Loss::SquareSquare => (
                "square-square",
                "L = E_i² + max(0, m − Ē)²",
                "down on the sample, up on ȳ until Ē ≥ m",
                Contrast::MostOffending,
            ),
            Loss::Nll => (
                "nll",
                "L = E_i + (1/β)·log Σ_k Δy·exp(−β·E(x_i, y_k))",
                "down on the sample, up on every y by its probability",
                Contrast::WholeGrid,
            ),
            Loss::Hinge => (
                "hinge",
                "L = max(0, m + E_i − Ē)",
                "down on the sample and up on ȳ, until Ē − E_i ≥ m",
                Contrast::MostOffending,
            ),
            Loss::Perceptron => (
                "perceptron",
                "L = E_i − min_k E(x_i, y_k)",
                "down on the sample, up on the grid minimum; no margin",
                Contrast::GridMin,
            ),
            Loss::Log => (
                "log",
                "L = log(1 + exp(E_i − Ē))",
                "down on the sample, up on ȳ: a soft hinge",
                Contrast::MostOffending,
            ),
            Loss::SquareExp => (
                "square-exp",
                "L = E_i² + κ·exp(−β·Ē)",
                "down on the sample, up on ȳ",
                Contrast::MostOffending,
            ),
        };
        LossInfo {
            name,
            formula,
            pulls,
            contrast,
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(s: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.name() == s)
    }

    pub fn contrast(self) -> Contrast {
        self.info().contrast
    }

    /// Value and weights for one sample. `e_bar` is the contrast energy
    /// (ignored by `energy`; for `nll` the row term comes from [`nll_row`]).
    /// `None` for `e_bar` means no grid value was eligible: the contrast term is dropped.
    pub fn pull(self, e: f64, e_bar: Option<f64>, p: &LossParams) -> Pull {
        let only = |loss: f64, on_sample: f64| Pull {
            loss,
            on_sample,
            on_contrast: 0.0,
        };
        match (self, e_bar) {
            (Loss::Energy | Loss::Nll, _) => only(e, 1.0),
            (Loss::SquareSquare | Loss::SquareExp, None) => only(e * e, 2.0 * e),
            (Loss::Hinge | Loss::Log | Loss::Perceptron, None) => only(0.0, 0.0),
            (Loss::SquareSquare, Some(eb)) => {
                let gap = (p.margin - eb).max(0.0);
                Pull {
                    loss: e * e + gap * gap,
                    on_sample: 2.0 * e,
                    on_contrast: -2.0 * gap,
                }
            }
            (Loss::Hinge, Some(eb)) => {
                let v = p.margin + e - eb;
                if v > 0.0 {
                    Pull {
                        loss: v,
                        on_sample: 1.0,
                        on_contrast: -1.0,
                    }
                } else {
                    only(0.0, 0.0)
                }
            }
            (Loss::Perceptron, Some(emin)) => Pull {
                loss: e - emin,
                on_sample: 1.0,
                on_contrast: -1.0,
            },
            (Loss::Log, Some(eb)) => {
                let z = e - eb;
                // log(1 + eᶻ) and its derivative σ(z), both stable for large |z|.
                let loss = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                let s = if z >= 0.0 {
                    1.0 / (1.0 + (-z).exp())
                } else {
                    z.exp() / (1.0 + z.exp())
                };
                Pull {
                    loss,
                    on_sample: s,
                    on_contrast: -s,
                }
            }
            (Loss::SquareExp, Some(eb)) => {
                let t = p.kappa * (-p.beta * eb).exp();
                Pull {
                    loss: e * e + t,
                    on_sample: 2.0 * e,
                    on_contrast: -p.beta * t,
                }
            }
        }
    }
}

/// NLL's row term (1/β)·log Σₖ Δy·exp(−β·Eₖ), stably, and its weights
/// ∂/∂Eₖ = −softmax(−βE)ₖ written into `weights`.
pub fn nll_row<T: Real>(row: &[T], dy: f64, beta: f64, weights: &mut [T]) -> f64 {
    let mut min = T::infinity();
    for &e in row {
        min = min.min(e);
    }
    let nb = T::of(-beta);
    let mut z = T::zero();
    for (w, &e) in weights.iter_mut().zip(row) {
        let p = (nb * (e - min)).exp();
        *w = p;
        z += p;
    }
    let inv = -T::one() / z;
    for w in weights.iter_mut() {
        *w *= inv;
    }
    -min.as_f64() + (dy.ln() + z.as_f64().ln()) / beta
}
