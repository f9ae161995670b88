//! A latent model as JSON: the decoder (its architecture, z grid, β,
//! hidden width) and its weights, read back with every field checked
//! (`ebm-lab latent --save-model` / `--load-model`).

use serde::{Deserialize, Serialize};

use crate::model::latent::{Decoder, LatentModel, LatentSpec};

/// The `format` line of the file.
pub const LATENT_FORMAT: &str = "ebm-lab latent model 1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LatentFile {
    format: String,
    architecture: String,
    z_dim: usize,
    z_grid: usize,
    /// A number, or "inf" for F = min over z.
    latent_beta: serde_json::Value,
    hidden: usize,
    /// The weights in the model's order: w₁, w₂ for `latent-ellipse`, the
    /// decoder net's layers (W row-major, then b) otherwise.
    params: Vec<f64>,
}

pub fn latent_to_json(m: &LatentModel<f32>) -> String {
    let beta = if m.spec.beta.is_finite() {
        serde_json::json!(m.spec.beta)
    } else {
        serde_json::json!("inf")
    };
    let file = LatentFile {
        format: LATENT_FORMAT.to_string(),
        architecture: m.spec.decoder.name().to_string(),
        z_dim: m.spec.z_dim,
        z_grid: m.spec.z_grid,
        latent_beta: beta,
        hidden: m.spec.hidden,
        params: m.params.iter().map(|&p| p as f64).collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

/// The model in `text`, or a one-line message naming the field.
pub fn latent_from_json(text: &str) -> Result<LatentModel<f32>, String> {
    let f: LatentFile =
        serde_json::from_str(text).map_err(|e| format!("not a latent model file: {e}"))?;
    if f.format != LATENT_FORMAT {
        return Err(format!(
            "format = {:?}: expected {LATENT_FORMAT:?}",
            f.format
        ));
    }
    let decoder = Decoder::from_name(&f.architecture).ok_or_else(|| {
        format!(
            "architecture = {:?}: one of latent-ellipse, latent-horn, latent-mlp",
            f.architecture
        )
    })?;
    let beta = match &f.latent_beta {
        serde_json::Value::String(s) if s == "inf" => f64::INFINITY,
        v => v
            .as_f64()
            .ok_or_else(|| format!("latent_beta = {v}: a number > 0 or \"inf\""))?,
    };
    let spec = LatentSpec {
        decoder,
        z_dim: f.z_dim,
        z_grid: f.z_grid,
        beta,
        hidden: f.hidden,
    };
    spec.check()?;
    let mut m = LatentModel::<f32>::zeros(spec);
    if f.params.len() != m.params.len() {
        return Err(format!(
            "params: {} values, {} expected for this architecture",
            f.params.len(),
            m.params.len()
        ));
    }
    if let Some(i) = f
        .params
        .iter()
        .position(|p| !p.is_finite() || p.abs() > f32::MAX as f64)
    {
        return Err(format!("params[{i}] = {}: not a finite f32", f.params[i]));
    }
    for (d, &s) in m.params.iter_mut().zip(&f.params) {
        *d = s as f32;
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plane::presets::plane_presets;
    use rand::SeedableRng;

    #[test]
    fn every_decoder_round_trips_and_a_bad_file_names_its_field() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        for p in plane_presets() {
            let m: LatentModel<f32> = LatentModel::new(p.spec.latent, &mut rng);
            let back = latent_from_json(&latent_to_json(&m)).expect(p.name);
            assert_eq!(back, m, "{}", p.name);
        }
        let m: LatentModel<f32> = LatentModel::new(plane_presets()[0].spec.latent, &mut rng);
        let good = latent_to_json(&m);
        for (from, to, field) in [
            ("latent-ellipse", "dual", "architecture"),
            ("\"inf\"", "-1", "latent_beta"),
            ("\"z_grid\": 48", "\"z_grid\": 0", "z_grid"),
        ] {
            let bad = good.replace(from, to);
            let e = latent_from_json(&bad).expect_err(field);
            assert!(e.contains(field), "{e}");
        }
        let short = good.replacen("\"params\": [", "\"params\": [1.0, ", 1);
        assert!(latent_from_json(&short)
            .expect_err("3 params")
            .starts_with("params"));
    }
}
