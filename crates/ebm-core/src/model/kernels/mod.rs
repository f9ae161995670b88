//! Vectorised f32 kernels of the hot paths (the training step and the energy
//! grid), selected at run time by CPU feature.
//!
//! The kernels are written once, as plain loops over lanes generic in the lane
//! count W and in whether FMA may be used; the compiler vectorises them. Each
//! entry point is compiled three times: for AVX-512 (W = 16), for AVX2 + FMA
//! (W = 8) and for the baseline target (no FMA), and [`Simd::best`] picks the
//! widest the CPU has. This keeps one portable binary (no `target-cpu=native`)
//! that still runs the probe's AVX2 speed (DESIGN §8); other architectures get the
//! baseline version. The generic `T: Real` code remains the reference.
//!
//! WebAssembly has no run-time feature detection: a module with SIMD
//! instructions does not even load where they are missing. So the wasm32
//! `simd128` level exists only when the crate is compiled with
//! `-C target-feature=+simd128` (.cargo/config.toml does for the web build),
//! and is then the best level; without it the scalar baseline runs. It runs
//! W = 8 (two 128-bit registers per lane array, like the x86 baseline: two
//! independent chains hide the latency of the adds and the tanh's division;
//! W = 4 measured the same at best and slower at the median). Two things
//! matter on wasm32 that do not on x86 (docs/PERFORMANCE.md): `f32::min` is a
//! call to `fminf` per lane there (`math::min_acc` is the select), and V8
//! compiles one huge function (every stage of the step inlined into the
//! entry, as x86's target-feature copies need) about twice as slowly as the
//! same code in a few functions, so the step's stages stay functions of their
//! own on wasm32 (`#[cfg_attr(target_arch = "wasm32", inline(never))]`).

mod aligned;
mod contrast;
mod cost;
pub mod density;
mod math;
mod net;
mod nll1;
mod nll_rows;
mod scan;
mod step;
mod surface;

use std::sync::OnceLock;

pub use scan::ScanBuffers;
pub use step::{StepBuffers, StepIn};
pub use surface::GridBuffers;

use crate::model::cost::Cost;
use crate::model::mlp::MlpShape;

/// The nets as the kernels read them: the shapes of G1 and (dual) G2, their
/// parameters in one flat vector (G1's first), and the cost. The kernels take
/// this and plain slices, never the model's own types (DESIGN §8).
#[derive(Clone, Copy, Debug)]
pub struct Net<'a> {
    pub g1: MlpShape,
    pub g2: Option<MlpShape>,
    pub params: &'a [f32],
    pub cost: Cost,
}

impl Net<'_> {
    /// d, where A and B meet.
    pub fn dim(&self) -> usize {
        self.g1.out
    }

    pub fn g1_params(&self) -> &[f32] {
        &self.params[..self.g1.n_params()]
    }

    pub fn g2_params(&self) -> &[f32] {
        &self.params[self.g1.n_params()..]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Baseline,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    Simd128,
}

/// An instruction-set level this CPU is known to support. Only obtainable by
/// detection, so the kernels never run instructions the CPU lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Simd(Level);

impl Simd {
    /// The widest level this CPU supports (detected once), capped by the
    /// environment variable `EBM_LAB_SIMD` (`baseline`, `avx2`, `simd128`, `avx512`) for
    /// comparisons; it never selects a level the CPU lacks.
    pub fn best() -> Simd {
        static BEST: OnceLock<Simd> = OnceLock::new();
        *BEST.get_or_init(|| {
            let limit = match std::env::var("EBM_LAB_SIMD").as_deref() {
                Ok("baseline") => 0,
                Ok("avx2" | "simd128") => 1,
                _ => 2,
            };
            Simd::available()
                .into_iter()
                .rfind(|s| s.rank() <= limit)
                .unwrap_or(Simd(Level::Baseline))
        })
    }

    fn rank(self) -> u8 {
        match self.0 {
            Level::Baseline => 0,
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => 1,
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => 2,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Level::Simd128 => 1,
        }
    }

    /// Every level this CPU supports, baseline first.
    pub fn available() -> Vec<Simd> {
        #[allow(unused_mut)]
        let mut v = vec![Simd(Level::Baseline)];
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                v.push(Simd(Level::Avx2));
                if is_x86_feature_detected!("avx512f") {
                    v.push(Simd(Level::Avx512));
                }
            }
        }
        // Compiled in, so present: the module would not have loaded otherwise.
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        v.push(Simd(Level::Simd128));
        v
    }

    pub fn name(self) -> &'static str {
        match self.0 {
            Level::Baseline => "baseline",
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => "avx2+fma",
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => "avx512",
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Level::Simd128 => "simd128",
        }
    }
}

/// Defines `$name(simd, args…)` that runs `$m::$f::<W, FMA>(args…)` compiled for
/// the level `simd` names.
macro_rules! multiversion {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident : $ty:ty),*) $(-> $ret:ty)? => $m:ident :: $f:ident) => {
        $(#[$doc])*
        $vis fn $name(simd: Simd, $($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            fn avx2($($arg: $ty),*) $(-> $ret)? {
                $m::$f::<8, true>($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
            fn avx512($($arg: $ty),*) $(-> $ret)? {
                $m::$f::<16, true>($($arg),*)
            }
            match simd.0 {
                Level::Baseline => $m::$f::<8, false>($($arg),*),
                // SAFETY: a `Simd` holding `Avx2` is only made by `Simd::available`
                // after detecting AVX2 and FMA on this CPU.
                #[cfg(target_arch = "x86_64")]
                Level::Avx2 => unsafe { avx2($($arg),*) },
                // SAFETY: as above, after detecting AVX-512F (and AVX2, FMA).
                #[cfg(target_arch = "x86_64")]
                Level::Avx512 => unsafe { avx512($($arg),*) },
                // The whole crate is compiled for simd128 here: a plain call.
                #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
                Level::Simd128 => $m::$f::<8, false>($($arg),*),
            }
        }
    };
}

multiversion! {
    /// The training objective (see `step.rs`): mean loss, gradient into `grad`.
    pub fn loss_and_grad_at(inp: &StepIn, buf: &mut StepBuffers, grad: &mut Vec<f32>) -> f64 => step::run
}

multiversion! {
    /// E over xs × ys, row-major, into `out`.
    pub fn energy_grid_at(net: Net<'_>, xs: &[f32], ys: &[f32], buf: &mut GridBuffers, out: &mut Vec<f32>) => surface::energy_grid
}

multiversion! {
    /// E(xᵢ, yᵢ) for each pair, into `out`.
    pub fn pair_energies_at(net: Net<'_>, xs: &[f32], ys: &[f32], buf: &mut GridBuffers, out: &mut Vec<f32>) => surface::pair_energies
}

multiversion! {
    /// Per row of `rows`: the most offending index (with `ys`) or the argmin.
    pub fn scan_rows_at(rows: &[f32], grid: &[f32], ys: Option<&[f32]>, radius: f32, buf: &mut ScanBuffers, out: &mut Vec<Option<usize>>) => scan::rows
}

multiversion! {
    /// The density's E at each point of `ys` (n × 2), activations kept in `buf`.
    pub fn density_forward_at(hn: usize, params: &[f32], ys: &[f32], buf: &mut density::DensityBuffers, e: &mut Vec<f32>) => density::forward
}

multiversion! {
    /// ∂E/∂y (n × 2) at the points of the last [`density_forward_at`].
    pub fn density_dy_at(hn: usize, params: &[f32], buf: &mut density::DensityBuffers, dy: &mut Vec<f32>) => density::input_grad
}

multiversion! {
    /// Adds Σ d_e·∂E/∂θ for the points of the last [`density_forward_at`].
    pub fn density_backward_at(hn: usize, params: &[f32], ys: &[f32], d_e: &[f32], buf: &mut density::DensityBuffers, grad: &mut [f32]) => density::backward
}

/// [`scan_rows_at`] at the best level: the snapshots' and metrics' searches.
pub fn scan_rows(
    rows: &[f32],
    grid: &[f32],
    ys: Option<&[f32]>,
    radius: f32,
    buf: &mut ScanBuffers,
    out: &mut Vec<Option<usize>>,
) {
    scan_rows_at(Simd::best(), rows, grid, ys, radius, buf, out);
}

#[cfg(test)]
mod tests;
