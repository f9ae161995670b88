//! The scalar type of the numeric core.
//!
//! Training runs in `f32` (twice the SIMD width, and the nets are tiny so
//! precision is not the limit); the gradient tests run the very same code in
//! `f64` so that finite differences can be compared tightly.

use std::fmt::Debug;
use std::ops::{AddAssign, MulAssign, SubAssign};

use num_traits::Float;

use super::architecture::{GridWorkspace, Model};
use super::kernels::{self, Simd, StepIn};
use super::objective::{StepConfig, Workspace};

pub trait Real:
    Float + AddAssign + SubAssign + MulAssign + Default + Debug + Send + Sync + 'static
{
    fn of(v: f64) -> Self;
    fn as_f64(self) -> f64;

    /// A specialised `loss_and_grad` for this type, if it has one (f32: the
    /// vectorised kernels). `None`: the generic code runs.
    #[inline(always)]
    fn fast_loss_and_grad(
        _model: &Model<Self>,
        _xs: &[Self],
        _ys: &[Self],
        _y_grid: &[Self],
        _cfg: &StepConfig,
        _ws: &mut Workspace<Self>,
    ) -> Option<f64> {
        None
    }

    /// A specialised `Model::energy_grid`; `false`: the generic code runs.
    #[inline(always)]
    fn fast_energy_grid(
        _model: &Model<Self>,
        _xs: &[Self],
        _ys: &[Self],
        _ws: &mut GridWorkspace<Self>,
        _out: &mut Vec<Self>,
    ) -> bool {
        false
    }

    /// A specialised `metrics::sample_energies`; `false`: the generic code runs.
    #[inline(always)]
    fn fast_pair_energies(
        _model: &Model<Self>,
        _xs: &[Self],
        _ys: &[Self],
        _ws: &mut GridWorkspace<Self>,
        _out: &mut Vec<Self>,
    ) -> bool {
        false
    }
}

impl Real for f32 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        self as f64
    }

    fn fast_loss_and_grad(
        model: &Model<f32>,
        xs: &[f32],
        ys: &[f32],
        y_grid: &[f32],
        cfg: &StepConfig,
        ws: &mut Workspace<f32>,
    ) -> Option<f64> {
        let inp = StepIn {
            model,
            xs,
            ys,
            y_grid,
            cfg,
        };
        Some(kernels::loss_and_grad_at(
            Simd::best(),
            &inp,
            &mut ws.fast,
            &mut ws.grad,
        ))
    }

    fn fast_energy_grid(
        model: &Model<f32>,
        xs: &[f32],
        ys: &[f32],
        ws: &mut GridWorkspace<f32>,
        out: &mut Vec<f32>,
    ) -> bool {
        kernels::energy_grid_at(Simd::best(), model, xs, ys, &mut ws.fast, out);
        true
    }

    fn fast_pair_energies(
        model: &Model<f32>,
        xs: &[f32],
        ys: &[f32],
        ws: &mut GridWorkspace<f32>,
        out: &mut Vec<f32>,
    ) -> bool {
        kernels::pair_energies_at(Simd::best(), model, xs, ys, &mut ws.fast, out);
        true
    }
}

impl Real for f64 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        self
    }
}
