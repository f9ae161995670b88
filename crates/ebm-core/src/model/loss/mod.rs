//! The losses of LeCun & Huang (2005), each a function of energies only.
//!
//! A loss looks at the energy of the sample, Eᵢ = E(xᵢ, yᵢ), and at most one
//! "contrast" set of energies on the Y grid (the most offending incorrect answer
//! ȳᵢ, the grid minimum, or the whole row through the log partition). It returns
//! its value and a weight on each energy it looked at (∂L/∂E); the architecture
//! turns weights into parameter gradients.
//!
//! One table: the [`Loss`] enum below (name and formula) and [`Loss::def`]
//! (what it pulls, which contrast it reads, its function). The functions live
//! in one file per family: `sample.rs` (energy and the square losses), `margin.rs`
//! (hinge, log, perceptron, exponential, mce), `partition.rs` (the row terms of
//! nll and mee). Adding a loss is one
//! row in each of the two tables and its function (docs/DESIGN.md).

mod margin;
mod partition;
mod sample;

pub use partition::{nll_row, probability_error, Partition};

crate::named_enum! {
    /// The losses, with their formulas.
    pub enum Loss {
        Energy = "energy": "L = E_i",
        SquareSquare = "square-square": "L = E_i² + max(0, m − Ē)²",
        Nll = "nll": "L = E_i + (1/β)·log Σ_k Δy·exp(−β·E(x_i, y_k))",
        Hinge = "hinge": "L = max(0, m + E_i − Ē)",
        Perceptron = "perceptron": "L = E_i − min_k E(x_i, y_k)",
        Log = "log": "L = log(1 + exp(E_i − Ē))",
        SquareExp = "square-exp": "L = E_i² + κ·exp(−β·Ē)",
        Exponential = "exponential": "L = exp(E_i − Ē)",
        Mce = "mce": "L = σ(E_i − Ē)",
        Mee = "mee": "L = 1 − P(y_i | x_i), P = e^(−β·E_i) / Σ_y e^(−β·E(x_i, y))",
    }
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
    /// E(xᵢ, yₖ) for every k through the log partition (1/β)·log Σₖ Δy·e^(−βEₖ)
    /// (value and weights from [`nll_row`]). A loss that reads the whole row in
    /// another way needs a new variant (and a kernel path: the kernels match on
    /// this enum without a catch-all).
    LogPartition,
    /// The same row, as the Gibbs probability P(yᵢ | xᵢ) of the sample over
    /// the grid and the sample (β): the loss is 1 − P ([`probability_error`],
    /// a function of nll's term with every weight scaled by βP).
    Probability,
}

impl Contrast {
    /// Whether the loss reads the whole row of grid energies through the
    /// partition sum (nll's kernel path).
    pub fn reads_partition(self) -> bool {
        match self {
            Contrast::LogPartition | Contrast::Probability => true,
            Contrast::None | Contrast::MostOffending | Contrast::GridMin => false,
        }
    }

    /// Whether the loss asks an inference for one wrong answer (ȳ or the
    /// lowest answer).
    pub fn uses_inference(self) -> bool {
        matches!(self, Contrast::MostOffending | Contrast::GridMin)
    }

    /// Whether the sample's own energy is a term of its partition sum.
    pub fn sample_in_partition(self, partition: Partition) -> bool {
        match self {
            Contrast::Probability => true,
            Contrast::LogPartition => partition == Partition::GridAndSample,
            Contrast::None | Contrast::MostOffending | Contrast::GridMin => false,
        }
    }
}

pub struct LossInfo {
    pub name: &'static str,
    pub formula: &'static str,
    pub pulls: &'static str,
    pub contrast: Contrast,
}

/// Everything a training step needs besides the model and the data.
#[derive(Clone, Copy, Debug)]
pub struct StepConfig {
    pub loss: Loss,
    pub params: LossParams,
    pub radius: f64,
}

/// The loss hyper-parameters that take effect without a reset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossParams {
    pub margin: f64,
    pub beta: f64,
    pub kappa: f64,
    pub partition: Partition,
}

/// A loss's value on one sample and its weights on the energies it saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pull {
    pub loss: f64,
    pub on_sample: f64,
    pub on_contrast: f64,
}

/// A loss's value and weights given Eᵢ and its contrast energy (`None`: no grid
/// value was eligible, the contrast term is dropped).
pub type PullFn = fn(e: f64, contrast: Option<f64>, p: &LossParams) -> Pull;

/// What the table says of one loss besides its name and formula.
pub struct LossDef {
    pub pulls: &'static str,
    pub contrast: Contrast,
    pub pull: PullFn,
}

impl Loss {
    /// The loss table. Each arm is one loss; there is no catch-all, so a new
    /// variant does not compile until it has its row.
    #[inline(always)]
    pub fn def(self) -> LossDef {
        let (pulls, contrast, pull): (&str, Contrast, PullFn) = match self {
            Loss::Energy => ("down on the sample only", Contrast::None, sample::energy),
            Loss::SquareSquare => (
                "down on the sample, up on ȳ until Ē ≥ m",
                Contrast::MostOffending,
                sample::square_square,
            ),
            Loss::Nll => (
                "down on the sample, up on every y by its probability",
                Contrast::LogPartition,
                sample::energy,
            ),
            Loss::Hinge => (
                "down on the sample and up on ȳ, until Ē − E_i ≥ m",
                Contrast::MostOffending,
                margin::hinge,
            ),
            Loss::Perceptron => (
                "down on the sample, up on the grid minimum; no margin",
                Contrast::GridMin,
                margin::perceptron,
            ),
            Loss::Log => (
                "down on the sample, up on ȳ: a soft hinge",
                Contrast::MostOffending,
                margin::log,
            ),
            Loss::SquareExp => (
                "down on the sample, up on ȳ",
                Contrast::MostOffending,
                sample::square_exp,
            ),
            Loss::Exponential => (
                "down on the sample, up on ȳ, exponentially harder while Ē < E_i; never stops",
                Contrast::MostOffending,
                margin::exponential,
            ),
            Loss::Mce => (
                "down on the sample, up on ȳ, most when E_i ≈ Ē; stops far on either side",
                Contrast::MostOffending,
                margin::mce,
            ),
            Loss::Mee => (
                "down on the sample, up on every y by its probability, all scaled by βP: \
                 stops once the sample is likely",
                Contrast::Probability,
                sample::energy,
            ),
        };
        LossDef {
            pulls,
            contrast,
            pull,
        }
    }

    pub fn info(self) -> LossInfo {
        let def = self.def();
        LossInfo {
            name: self.name(),
            formula: self.describe(),
            pulls: def.pulls,
            contrast: def.contrast,
        }
    }

    pub fn contrast(self) -> Contrast {
        self.def().contrast
    }

    /// Value and weights for one sample. `e_bar` is the contrast energy
    /// (ignored by `energy`; for `nll` the row term comes from [`nll_row`]).
    /// `None` for `e_bar` means no grid value was eligible: the contrast term is dropped.
    #[inline(always)]
    pub fn pull(self, e: f64, e_bar: Option<f64>, p: &LossParams) -> Pull {
        (self.def().pull)(e, e_bar, p)
    }
}
