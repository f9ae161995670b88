//! `key=value` settings of a plane run: one row per key (its name, what it
//! accepts, how it applies). A wrong key or value gets a one-line message
//! naming the key and what it allows; nothing is applied from a bad list.

use super::data::PlaneSet;
use super::model::DENSITY_MLP;
use super::run::{InferenceKind, PlaneSpec};
use crate::model::latent::Decoder;
use crate::model::loss::Loss;
use crate::model::named::Named;
use crate::model::optimizer::OptimizerKind;

type Apply = fn(&mut PlaneSpec, &str) -> Result<(), String>;

fn num(v: &str) -> Result<f64, String> {
    match v {
        "inf" | "∞" => Ok(f64::INFINITY),
        _ => v
            .parse::<f64>()
            .ok()
            .filter(|x| !x.is_nan())
            .ok_or_else(|| "not a number".to_string()),
    }
}

fn count(v: &str) -> Result<usize, String> {
    v.parse::<usize>()
        .map_err(|_| "not a whole number ≥ 0".to_string())
}

fn named<E: Named>(v: &str) -> Result<E, String> {
    E::from_name(v).ok_or_else(|| {
        let all: Vec<&str> = E::all().iter().map(|e| e.name()).collect();
        format!("one of {}", all.join(", "))
    })
}

/// The plane's keys: name, what it allows, how it applies.
pub const PLANE_KEYS: &[(&str, &str, Apply)] = &[
    (
        "dataset",
        "ellipse, horn, custom-2d, two-moons, eight-gaussians, rings, pinwheel, checkerboard",
        |s, v| {
            s.set = named::<PlaneSet>(v)?;
            Ok(())
        },
    ),
    (
        "architecture",
        "latent-ellipse, latent-horn, latent-mlp, density-mlp",
        |s, v| {
            s.density = v == DENSITY_MLP;
            if !s.density {
                s.latent.decoder =
                    named::<Decoder>(v).map_err(|all| format!("{all}, {DENSITY_MLP}"))?;
            }
            Ok(())
        },
    ),
    (
        "loss",
        "a loss of `ebm-lab presets`, or cd (contrastive divergence, density-mlp)",
        |s, v| {
            s.cd = v == "cd";
            if !s.cd {
                s.loss = named::<Loss>(v)?;
            }
            Ok(())
        },
    ),
    (
        "cd_alpha",
        "0 ..= 100 (cd's regulariser α·(E(data)² + E(negatives)²))",
        |s, v| {
            s.cd_alpha = num(v)?;
            Ok(())
        },
    ),
    (
        "chains",
        "1 ..= 100000 (cd's negatives per step)",
        |s, v| {
            s.chains = count(v)?;
            Ok(())
        },
    ),
    ("latent_beta", "> 0, or inf (F = min over z)", |s, v| {
        s.latent.beta = num(v)?;
        Ok(())
    }),
    ("z_grid", "z values per axis, |Z| ≤ 4096", |s, v| {
        s.latent.z_grid = count(v)?;
        Ok(())
    }),
    ("z_dim", "1, or 2 for latent-mlp", |s, v| {
        s.latent.z_dim = count(v)?;
        Ok(())
    }),
    (
        "hidden",
        "1 ..= 256 (latent-mlp), 1 ..= 512 (density-mlp)",
        |s, v| {
            s.latent.hidden = count(v)?;
            Ok(())
        },
    ),
    ("samples", "1 ..= 100000", |s, v| {
        s.samples = count(v)?;
        Ok(())
    }),
    ("noise", "0 ..= 10", |s, v| {
        s.noise = num(v)?;
        Ok(())
    }),
    ("seed", "a whole number", |s, v| {
        s.seed = v.parse().map_err(|_| "not a whole number".to_string())?;
        Ok(())
    }),
    ("lr", "(0, 10]", |s, v| {
        s.lr = num(v)?;
        Ok(())
    }),
    ("momentum", "[0, 1)", |s, v| {
        s.momentum = num(v)?;
        Ok(())
    }),
    ("optimizer", "sgd, adam", |s, v| {
        s.optimizer = named::<OptimizerKind>(v)?;
        Ok(())
    }),
    ("margin", "≥ 0", |s, v| {
        s.params.margin = num(v)?;
        Ok(())
    }),
    (
        "beta",
        "> 0 (the loss's β: nll, mee, square-exp)",
        |s, v| {
            s.params.beta = num(v)?;
            Ok(())
        },
    ),
    (
        "radius",
        "≥ 0 (around every sample at the same x)",
        |s, v| {
            s.radius = num(v)?;
            Ok(())
        },
    ),
    ("answers", "2 ..= 256 per axis", |s, v| {
        s.answers = count(v)?;
        Ok(())
    }),
    (
        "inference",
        "grid, descent, langevin (how ȳ is found)",
        |s, v| {
            s.inference.kind = named::<InferenceKind>(v)?;
            Ok(())
        },
    ),
    (
        "inference_steps",
        "1 ..= 1000 (T of descent or of a chain)",
        |s, v| {
            s.inference.steps = count(v)?;
            Ok(())
        },
    ),
    (
        "inference_eta",
        "(0, 10] (η of descent, ε of Langevin)",
        |s, v| {
            s.inference.eta = num(v)?;
            Ok(())
        },
    ),
    (
        "langevin_beta",
        "> 0 (the chains' inverse temperature)",
        |s, v| {
            s.inference.beta = num(v)?;
            Ok(())
        },
    ),
    (
        "persistent",
        "true, false (keep Langevin chains between steps)",
        |s, v| {
            s.inference.persistent = v.parse().map_err(|_| "true or false".to_string())?;
            Ok(())
        },
    ),
];

/// `spec` with every `key=value` of `pairs` applied and checked, or the
/// first problem as one line; `spec` is left unchanged on an error.
pub fn apply_all(spec: &PlaneSpec, pairs: &[String]) -> Result<PlaneSpec, String> {
    let mut out = spec.clone();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .ok_or_else(|| format!("{pair:?}: expected KEY=VALUE"))?;
        let (_, allowed, apply) = PLANE_KEYS
            .iter()
            .find(|(name, _, _)| *name == key)
            .ok_or_else(|| {
                let keys: Vec<&str> = PLANE_KEYS.iter().map(|k| k.0).collect();
                format!(
                    "unknown setting {key:?} for the plane; known: {}",
                    keys.join(", ")
                )
            })?;
        apply(&mut out, value)
            .map_err(|why| format!("{key} = {value}: {why} (allowed: {allowed})"))?;
    }
    if !out.params.beta.is_finite() || out.params.beta <= 0.0 {
        return Err(format!(
            "beta = {}: allowed > 0 and finite",
            out.params.beta
        ));
    }
    if !out.params.margin.is_finite() || out.params.margin < 0.0 {
        return Err(format!(
            "margin = {}: allowed ≥ 0 and finite",
            out.params.margin
        ));
    }
    out.check()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plane::presets::base_spec;

    #[test]
    fn good_settings_apply_and_bad_ones_name_their_key() {
        let base = base_spec();
        let ok = apply_all(&base, &["latent_beta=2".into(), "z_grid=24".into()]).expect("good");
        assert_eq!((ok.latent.beta, ok.latent.z_grid), (2.0, 24));
        assert!(apply_all(&base, &["latent_beta=inf".into()]).is_ok());
        for (bad, key) in [
            ("latent_beta=0", "latent_beta"),
            ("latent_beta=-1", "latent_beta"),
            ("z_grid=0", "z_grid"),
            ("z_grid=5000", "z_grid"),
            ("z_dim=2", "z_dim"),
            ("dataset=parabola", "dataset"),
            ("architecture=dual", "architecture"),
            ("lr=abc", "lr"),
            ("inference=mcmc", "inference"),
            ("inference_steps=0", "inference_steps"),
            ("inference_eta=-1", "inference_eta"),
            ("persistent=maybe", "persistent"),
            ("wat=1", "unknown setting \"wat\""),
        ] {
            let e = apply_all(&base, &[bad.to_string()]).expect_err(bad);
            assert!(e.starts_with(key), "{bad}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
