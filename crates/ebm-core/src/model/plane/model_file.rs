//! A plane model as JSON: a latent model's decoder (its architecture, z
//! grid, β, hidden width) or a density's hidden width, and the weights, read
//! back with every field checked (`ebm-lab latent --save-model` /
//! `--load-model`, `ebm-lab sample`).

use serde::{Deserialize, Serialize};

use super::model::{PlaneModel, DENSITY_MLP};
use crate::model::density_net::{DensityNet, MAX_HIDDEN};
use crate::model::latent::{Decoder, LatentModel, LatentSpec};

/// The `format` line of the file.
pub const LATENT_FORMAT: &str = "ebm-lab latent model 1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LatentFile {
    format: String,
    architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    z_dim: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    z_grid: Option<usize>,
    /// A number, or "inf" for F = min over z.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    latent_beta: Option<serde_json::Value>,
    hidden: usize,
    /// The weights in the model's order: w₁, w₂ for `latent-ellipse`, the
    /// net's layers (W row-major, then b) otherwise.
    params: Vec<f64>,
}

/// A plane model of either kind as JSON.
pub fn plane_model_to_json(m: &PlaneModel) -> String {
    match m {
        PlaneModel::Latent(l) => latent_to_json(l),
        PlaneModel::Density(d) => {
            let file = LatentFile {
                format: LATENT_FORMAT.to_string(),
                architecture: DENSITY_MLP.to_string(),
                z_dim: None,
                z_grid: None,
                latent_beta: None,
                hidden: d.hidden,
                params: d.params.iter().map(|&p| p as f64).collect(),
            };
            serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
        }
    }
}

/// The weights of `f`, checked against the count the architecture needs.
fn weights(f: &LatentFile, expected: usize) -> Result<Vec<f32>, String> {
    if f.params.len() != expected {
        return Err(format!(
            "params: {} values, {expected} expected for this architecture",
            f.params.len(),
        ));
    }
    if let Some(i) = f
        .params
        .iter()
        .position(|p| !p.is_finite() || p.abs() > f32::MAX as f64)
    {
        return Err(format!("params[{i}] = {}: not a finite f32", f.params[i]));
    }
    Ok(f.params.iter().map(|&p| p as f32).collect())
}

/// A plane model of either kind from `text`, or a one-line message naming
/// the field.
pub fn plane_model_from_json(text: &str) -> Result<PlaneModel, String> {
    let f: LatentFile =
        serde_json::from_str(text).map_err(|e| format!("not a plane model file: {e}"))?;
    if f.architecture != DENSITY_MLP {
        return latent_from_json(text).map(PlaneModel::Latent);
    }
    if f.format != LATENT_FORMAT {
        return Err(format!(
            "format = {:?}: expected {LATENT_FORMAT:?}",
            f.format
        ));
    }
    if !(1..=MAX_HIDDEN).contains(&f.hidden) {
        return Err(format!("hidden = {}: allowed 1 ..= {MAX_HIDDEN}", f.hidden));
    }
    let params = weights(&f, DensityNet::n_params(f.hidden))?;
    Ok(PlaneModel::Density(DensityNet::from_params(
        f.hidden, params,
    )))
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
        z_dim: Some(m.spec.z_dim),
        z_grid: Some(m.spec.z_grid),
        latent_beta: Some(beta),
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
            "architecture = {:?}: one of latent-ellipse, latent-horn, latent-mlp, density-mlp",
            f.architecture
        )
    })?;
    let missing = |name: &str| format!("{name}: missing (a latent model needs it)");
    let beta = match f
        .latent_beta
        .as_ref()
        .ok_or_else(|| missing("latent_beta"))?
    {
        serde_json::Value::String(s) if s == "inf" => f64::INFINITY,
        v => v
            .as_f64()
            .ok_or_else(|| format!("latent_beta = {v}: a number > 0 or \"inf\""))?,
    };
    let spec = LatentSpec {
        decoder,
        z_dim: f.z_dim.ok_or_else(|| missing("z_dim"))?,
        z_grid: f.z_grid.ok_or_else(|| missing("z_grid"))?,
        beta,
        hidden: f.hidden,
    };
    spec.check()?;
    let mut m = LatentModel::<f32>::zeros(spec);
    m.params = weights(&f, m.params.len())?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::energy_model::EnergyModel;
    use crate::model::plane::presets::plane_presets;
    use rand::SeedableRng;

    #[test]
    fn every_decoder_round_trips_and_a_bad_file_names_its_field() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        for p in plane_presets() {
            if p.spec.density {
                let m = PlaneModel::new(&p.spec, &mut rng);
                let back = plane_model_from_json(&plane_model_to_json(&m)).expect(p.name);
                assert_eq!(back.params(), m.params(), "{}", p.name);
                let bad = plane_model_to_json(&m).replace("\"hidden\": 64", "\"hidden\": 63");
                let e = plane_model_from_json(&bad).expect_err("hidden 63");
                assert!(e.starts_with("params:"), "{e}");
                continue;
            }
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
