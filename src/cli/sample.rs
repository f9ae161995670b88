//! `ebm-lab sample`: draw points from a saved density's Gibbs distribution
//! p(y) ∝ e^(−β·E(y)) with a chosen sampler, and write them as CSV.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};
use clap::Args;

use crate::console::note;
use crate::files;
use crate::model::plane::model_file::plane_model_from_json;
use crate::model::plane::negatives::{samples_csv, SAMPLE_DEFAULT};
use crate::model::plane::run::{InferenceKind, InferenceSpec, MAX_CHAINS};
use crate::model::plane::toy_sets::TOY_BOX;
use crate::model::plane::PlaneModel;

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// A density model file (`ebm-lab latent --preset density-cd --save-model`).
    #[arg(long, value_name = "PATH")]
    pub model: PathBuf,
    /// Where the samples go: a CSV of `y1,y2`.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// grid (exact draws on a 64 × 64 grid), langevin, or descent (the modes).
    #[arg(long, default_value = "langevin")]
    pub sampler: String,
    /// Independent chains: one sample each.
    #[arg(long, default_value_t = SAMPLE_DEFAULT.0)]
    pub chains: usize,
    /// Steps of every chain (langevin, descent), from uniform starts in the box.
    #[arg(long, default_value_t = SAMPLE_DEFAULT.1)]
    pub steps: usize,
    /// ε of Langevin, η of descent.
    #[arg(long, default_value_t = SAMPLE_DEFAULT.2, allow_negative_numbers = true)]
    pub eta: f64,
    /// The inverse temperature β of p ∝ e^(−β·E).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub beta: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub fn sample(args: &SampleArgs) -> Result<()> {
    let text = files::read_text(&args.model, "model", files::caps::MODEL)?;
    let model = plane_model_from_json(&text)
        .map_err(|e| anyhow!("--model {}: {e}", args.model.display()))?;
    if let PlaneModel::Latent(m) = &model {
        bail!(
            "--model {}: architecture {} is a latent-variable model; sample draws from a density-mlp model",
            args.model.display(),
            m.spec.decoder.name()
        );
    }
    let kind = InferenceKind::from_name(&args.sampler)
        .ok_or_else(|| anyhow!("--sampler {}: one of grid, langevin, descent", args.sampler))?;
    if !(1..=MAX_CHAINS).contains(&args.chains) {
        bail!("--chains {}: allowed 1 ..= {MAX_CHAINS}", args.chains);
    }
    if !(args.beta.is_finite() && args.beta > 0.0) {
        bail!("--beta {}: allowed > 0 and finite", args.beta);
    }
    let spec = InferenceSpec {
        kind,
        steps: args.steps,
        eta: args.eta,
        beta: args.beta,
        persistent: false,
        start: crate::model::inference_spec::StartKind::Uniform,
    };
    spec.check().map_err(|e| anyhow!("{}", flag_names(&e)))?;
    let csv = samples_csv(&model, [TOY_BOX; 2], spec, args.chains, args.seed);
    files::write_atomic(&args.out, csv.as_bytes())?;
    note(&format!(
        "{} samples by {} ({} steps) written to {}",
        args.chains,
        kind.name(),
        args.steps,
        args.out.display()
    ));
    Ok(())
}

/// The settings' names in a message, as this command's flags.
fn flag_names(e: &str) -> String {
    e.replace("inference_steps", "--steps")
        .replace("inference_eta", "--eta")
        .replace("langevin_beta", "--beta")
}
