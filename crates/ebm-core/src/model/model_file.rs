//! The model file of `--save-model` / `--load-model` (DESIGN §6): plain JSON that
//! other programs (the PyTorch and JAX comparisons) read and write.

use serde::{Deserialize, Serialize};

use super::architecture::{Architecture, Model};
use super::cost::Cost;
use super::mlp::MlpShape;
use super::real::Real;

#[derive(Serialize, Deserialize)]
struct Layer {
    w: Vec<Vec<f64>>,
    b: Vec<f64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Nets {
    #[serde(skip_serializing_if = "Option::is_none")]
    g: Option<Vec<Layer>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    g1: Option<Vec<Layer>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    g2: Option<Vec<Layer>>,
}

#[derive(Serialize, Deserialize)]
struct ModelFile {
    architecture: Architecture,
    cost: Cost,
    nets: Nets,
}

fn layers_from<T: Real>(shape: MlpShape, params: &[T]) -> Vec<Layer> {
    shape
        .layers(params)
        .into_iter()
        .map(|(w, b)| Layer { w, b })
        .collect()
}

pub fn model_to_json<T: Real>(model: &Model<T>) -> String {
    let g1 = layers_from(model.g1, model.g1_params());
    let nets = match model.g2 {
        None => Nets {
            g: Some(g1),
            g1: None,
            g2: None,
        },
        Some(s2) => Nets {
            g: None,
            g1: Some(g1),
            g2: Some(layers_from(s2, model.g2_params())),
        },
    };
    let file = ModelFile {
        architecture: model.architecture,
        cost: model.cost,
        nets,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads a model file; the shapes (H, d) come from the file and are checked for consistency.
pub fn model_from_json<T: Real>(text: &str) -> Result<Model<T>, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let file: ModelFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        match e.path().to_string().as_str() {
            "." => format!("malformed model JSON: {}", e.inner()),
            field => format!("malformed model JSON at `{field}`: {}", e.inner()),
        }
    })?;
    de.end().map_err(|e| format!("malformed model JSON: {e}"))?;
    let (first, second) = match (file.architecture, file.nets) {
        (
            Architecture::Regressor,
            Nets {
                g: Some(g),
                g1: None,
                g2: None,
            },
        ) => (g, None),
        (
            Architecture::Dual,
            Nets {
                g: None,
                g1: Some(g1),
                g2: Some(g2),
            },
        ) => (g1, Some(g2)),
        (Architecture::Regressor, _) => {
            return Err("a regressor model needs exactly `nets.g`".into())
        }
        (Architecture::Dual, _) => {
            return Err("a dual model needs exactly `nets.g1` and `nets.g2`".into())
        }
    };
    let name1 = if second.is_some() { "g1" } else { "g" };
    let s1 = shape_of(name1, &first)?;
    fits::<T>(name1, &first)?;
    let out_dim = s1.out;
    if file.architecture == Architecture::Regressor && out_dim != 1 {
        return Err(format!(
            "the regressor's net must output 1 value, found {out_dim}"
        ));
    }
    let mut model = Model::<T>::zeros(file.architecture, file.cost, s1.hidden, out_dim);
    let n1 = s1.n_params();
    set_params(s1, &first, &mut model.params[..n1]);
    if let Some(g2) = second {
        let s2 = shape_of("g2", &g2)?;
        fits::<T>("g2", &g2)?;
        if s2 != s1 {
            return Err(format!(
                "g1 is 1→{}→{} but g2 is 1→{}→{}: they must match",
                s1.hidden, s1.out, s2.hidden, s2.out
            ));
        }
        set_params(s2, &g2, &mut model.params[n1..]);
    }
    if !model.is_finite() {
        return Err("the model file holds non-finite weights".into());
    }
    Ok(model)
}

fn shape_of(name: &str, layers: &[Layer]) -> Result<MlpShape, String> {
    let [l1, l2] = layers else {
        return Err(format!(
            "net {name}: expected 2 layers (tanh hidden, linear output), found {}",
            layers.len()
        ));
    };
    let hidden = l1.w.len();
    let out = l2.w.len();
    let ok = hidden > 0
        && out > 0
        && l1.w.iter().all(|r| r.len() == 1)
        && l1.b.len() == hidden
        && l2.w.iter().all(|r| r.len() == hidden)
        && l2.b.len() == out;
    if !ok {
        return Err(format!(
            "net {name}: layer shapes do not fit 1 → H → d (w is out × in, b has out entries)"
        ));
    }
    Ok(MlpShape { hidden, out })
}

/// Every weight must be finite in the model's precision (`T`): 1e39 is a
/// finite f64 but an infinite f32. Names the first offender.
fn fits<T: Real>(net: &str, layers: &[Layer]) -> Result<(), String> {
    for (l, layer) in layers.iter().enumerate() {
        let ws = layer.w.iter().enumerate().flat_map(|(i, r)| {
            r.iter()
                .enumerate()
                .map(move |(j, v)| (format!("w[{i}][{j}]"), *v))
        });
        let bs = layer
            .b
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("b[{i}]"), *v));
        for (field, v) in ws.chain(bs) {
            if !T::of(v).is_finite() {
                return Err(format!(
                    "nets.{net}[{l}].{field} = {v:e} does not fit the model's {}-bit floats",
                    std::mem::size_of::<T>() * 8
                ));
            }
        }
    }
    Ok(())
}

fn set_params<T: Real>(shape: MlpShape, layers: &[Layer], params: &mut [T]) {
    let w1: Vec<f64> = layers[0].w.iter().map(|r| r[0]).collect();
    let w2: Vec<f64> = layers[1].w.iter().flatten().copied().collect();
    shape.set_layers(params, &w1, &layers[0].b, &w2, &layers[1].b);
}
