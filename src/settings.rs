//! Every setting of a run, in one flat table: the keys of the TOML files, of
//! `--set key=value` and of the GUI's controls are the same names.
//!
//! Changes are applied to a copy and validated whole before they replace the
//! original, so a bad value never leaves a half-changed configuration.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Architecture, Cost, DatasetKind, Loss, LossParams, OptimizerKind, Spacing};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    pub dataset: DatasetKind,
    pub samples: usize,
    pub spacing: Spacing,
    pub noise: f64,
    pub data: String,
    pub architecture: Architecture,
    pub hidden: usize,
    pub out_dim: usize,
    pub cost: Cost,
    pub loss: Loss,
    pub margin: f64,
    pub radius: f64,
    pub radius_late: f64,
    pub radius_late_step: u64,
    pub beta: f64,
    pub kappa: f64,
    pub grid: usize,
    pub lr: f64,
    pub momentum: f64,
    pub batch: usize,
    pub optimizer: OptimizerKind,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dataset: DatasetKind::Parabola,
            samples: 100,
            spacing: Spacing::Even,
            noise: 0.0,
            data: String::new(),
            architecture: Architecture::Dual,
            hidden: 20,
            out_dim: 4,
            cost: Cost::L1,
            loss: Loss::Energy,
            margin: 0.5,
            radius: 0.3,
            radius_late: 0.1,
            radius_late_step: 0,
            beta: 5.0,
            kappa: 1.0,
            grid: 128,
            lr: 0.01,
            momentum: 0.9,
            batch: 0,
            optimizer: OptimizerKind::Sgd,
            seed: 0,
        }
    }
}

/// One row of the settings table: its name, allowed values and meaning.
pub struct KeyInfo {
    pub name: &'static str,
    pub allowed: &'static str,
    pub help: &'static str,
    /// Whether a change needs a new model (otherwise it applies at the next step).
    pub structural: bool,
}

pub const KEYS: &[KeyInfo] = &[
    KeyInfo {
        name: "dataset",
        allowed: "parabola | eye | ring | sine | custom",
        help: "the training set",
        structural: true,
    },
    KeyInfo {
        name: "samples",
        allowed: "integer 1 ..= 10000",
        help: "number of training samples N",
        structural: true,
    },
    KeyInfo {
        name: "spacing",
        allowed: "even | random",
        help: "x evenly spaced (ends included) or uniform random",
        structural: true,
    },
    KeyInfo {
        name: "noise",
        allowed: "0 ..= 1",
        help: "Gaussian noise σ added to y",
        structural: true,
    },
    KeyInfo {
        name: "data",
        allowed: "path to a CSV of x,y (required when dataset = custom)",
        help: "points of the custom set",
        structural: true,
    },
    KeyInfo {
        name: "architecture",
        allowed: "regressor | dual",
        help: "E = c(G(x) − y) or E = c(G1(x) − G2(y))",
        structural: true,
    },
    KeyInfo {
        name: "hidden",
        allowed: "integer 1 ..= 256",
        help: "hidden units H of each net",
        structural: true,
    },
    KeyInfo {
        name: "out_dim",
        allowed: "integer 1 ..= 32",
        help: "output dimension d of the dual nets",
        structural: true,
    },
    KeyInfo {
        name: "cost",
        allowed: "l1 | square | saturated",
        help: "the cost c of the energy",
        structural: true,
    },
    KeyInfo {
        name: "loss",
        allowed: "energy | square-square | nll | hinge | perceptron | log | square-exp",
        help: "the loss (live)",
        structural: false,
    },
    KeyInfo {
        name: "margin",
        allowed: "0 ..= 10",
        help: "margin m (live)",
        structural: false,
    },
    KeyInfo {
        name: "radius",
        allowed: "0 ..= 2",
        help: "exclusion radius r around yᵢ for ȳ (live)",
        structural: false,
    },
    KeyInfo {
        name: "radius_late",
        allowed: "0 ..= 2",
        help: "r from radius_late_step on (live)",
        structural: false,
    },
    KeyInfo {
        name: "radius_late_step",
        allowed: "integer 0 ..= 1000000000 (0 = no schedule)",
        help: "step at which r becomes radius_late (live)",
        structural: false,
    },
    KeyInfo {
        name: "beta",
        allowed: "0 < beta <= 1000",
        help: "inverse temperature β (live)",
        structural: false,
    },
    KeyInfo {
        name: "kappa",
        allowed: "0 < kappa <= 100",
        help: "κ of square-exp (live)",
        structural: false,
    },
    KeyInfo {
        name: "grid",
        allowed: "integer 2 ..= 4096",
        help: "K, the Y grid of inference and the losses",
        structural: true,
    },
    KeyInfo {
        name: "lr",
        allowed: "0 < lr <= 100",
        help: "learning rate (live)",
        structural: false,
    },
    KeyInfo {
        name: "momentum",
        allowed: "0 <= momentum < 1",
        help: "SGD momentum (live)",
        structural: false,
    },
    KeyInfo {
        name: "batch",
        allowed: "integer 0 ..= samples (0 = full batch)",
        help: "mini-batch size (live)",
        structural: false,
    },
    KeyInfo {
        name: "optimizer",
        allowed: "sgd | adam",
        help: "optimiser (live; restarts its moments)",
        structural: false,
    },
    KeyInfo {
        name: "seed",
        allowed: "integer 0 ..= 2^64 − 1",
        help: "seed of data, initial weights and batches",
        structural: true,
    },
];

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SettingsError {
    #[error("unknown setting `{key}`; known settings: {known}")]
    Unknown { key: String, known: String },
    #[error("setting `{key}` = {value:?} is not allowed; allowed: {allowed}")]
    Invalid {
        key: String,
        value: String,
        allowed: String,
    },
    #[error("malformed settings: {0}")]
    Malformed(String),
}

fn invalid(key: &str, value: &str) -> SettingsError {
    let allowed = KEYS
        .iter()
        .find(|k| k.name == key)
        .map_or("", |k| k.allowed);
    SettingsError::Invalid {
        key: key.into(),
        value: value.into(),
        allowed: allowed.into(),
    }
}

fn parse_in<T: std::str::FromStr + PartialOrd>(
    key: &str,
    v: &str,
    ok: impl Fn(&T) -> bool,
) -> Result<T, SettingsError> {
    match v.trim().parse::<T>() {
        Ok(x) if ok(&x) => Ok(x),
        _ => Err(invalid(key, v)),
    }
}

/// A real setting. The model computes in f32, so a value that is not zero must
/// be a normal f32 (|x| ≥ 1.2e-38): `beta = 1e-320` would silently become 0.
fn parse_f(key: &str, v: &str, ok: impl Fn(f64) -> bool) -> Result<f64, SettingsError> {
    let x = parse_in::<f64>(key, v, |x| x.is_finite() && ok(*x))?;
    if x != 0.0 && x.abs() < f32::MIN_POSITIVE as f64 {
        let mut e = invalid(key, v);
        if let SettingsError::Invalid { allowed, .. } = &mut e {
            allowed.push_str(" (a nonzero value must be at least 1.2e-38 to fit f32)");
        }
        return Err(e);
    }
    Ok(x)
}

fn unknown(key: &str) -> SettingsError {
    SettingsError::Unknown {
        key: key.escape_debug().to_string(),
        known: KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", "),
    }
}

fn parse_name<T>(key: &str, v: &str, f: impl Fn(&str) -> Option<T>) -> Result<T, SettingsError> {
    f(v.trim()).ok_or_else(|| invalid(key, v))
}

impl Settings {
    pub fn loss_params(&self) -> LossParams {
        LossParams {
            margin: self.margin,
            beta: self.beta,
            kappa: self.kappa,
        }
    }

    /// The exclusion radius in force at `step`.
    pub fn radius_at(&self, step: u64) -> f64 {
        if self.radius_late_step > 0 && step >= self.radius_late_step {
            self.radius_late
        } else {
            self.radius
        }
    }

    /// The value of a key as text (the inverse of [`Self::set`]).
    pub fn get(&self, key: &str) -> Option<String> {
        let v = match key {
            "dataset" => self.dataset.name().to_string(),
            "samples" => self.samples.to_string(),
            "spacing" => match self.spacing {
                Spacing::Even => "even".into(),
                Spacing::Random => "random".into(),
            },
            "noise" => self.noise.to_string(),
            "data" => self.data.clone(),
            "architecture" => self.architecture.name().into(),
            "hidden" => self.hidden.to_string(),
            "out_dim" => self.out_dim.to_string(),
            "cost" => self.cost.name().into(),
            "loss" => self.loss.name().into(),
            "margin" => self.margin.to_string(),
            "radius" => self.radius.to_string(),
            "radius_late" => self.radius_late.to_string(),
            "radius_late_step" => self.radius_late_step.to_string(),
            "beta" => self.beta.to_string(),
            "kappa" => self.kappa.to_string(),
            "grid" => self.grid.to_string(),
            "lr" => self.lr.to_string(),
            "momentum" => self.momentum.to_string(),
            "batch" => self.batch.to_string(),
            "optimizer" => self.optimizer.name().into(),
            "seed" => self.seed.to_string(),
            _ => return None,
        };
        Some(v)
    }

    /// Sets one key from text, checking the key's own range. Cross-key rules are
    /// checked by [`Self::validate`]; use [`Self::with_changes`] to apply safely.
    pub fn set(&mut self, key: &str, v: &str) -> Result<(), SettingsError> {
        match key {
            "dataset" => self.dataset = parse_name(key, v, DatasetKind::from_name)?,
            "samples" => self.samples = parse_in(key, v, |n: &usize| (1..=10_000).contains(n))?,
            "spacing" => {
                self.spacing = parse_name(key, v, |s| match s {
                    "even" => Some(Spacing::Even),
                    "random" => Some(Spacing::Random),
                    _ => None,
                })?
            }
            "noise" => self.noise = parse_f(key, v, |x| (0.0..=1.0).contains(&x))?,
            "data" => self.data = v.to_string(),
            "architecture" => self.architecture = parse_name(key, v, Architecture::from_name)?,
            "hidden" => self.hidden = parse_in(key, v, |n: &usize| (1..=256).contains(n))?,
            "out_dim" => self.out_dim = parse_in(key, v, |n: &usize| (1..=32).contains(n))?,
            "cost" => self.cost = parse_name(key, v, Cost::from_name)?,
            "loss" => self.loss = parse_name(key, v, Loss::from_name)?,
            "margin" => self.margin = parse_f(key, v, |x| (0.0..=10.0).contains(&x))?,
            "radius" => self.radius = parse_f(key, v, |x| (0.0..=2.0).contains(&x))?,
            "radius_late" => self.radius_late = parse_f(key, v, |x| (0.0..=2.0).contains(&x))?,
            "radius_late_step" => {
                self.radius_late_step = parse_in(key, v, |n: &u64| *n <= 1_000_000_000)?
            }
            "beta" => self.beta = parse_f(key, v, |x| x > 0.0 && x <= 1000.0)?,
            "kappa" => self.kappa = parse_f(key, v, |x| x > 0.0 && x <= 100.0)?,
            "grid" => self.grid = parse_in(key, v, |n: &usize| (2..=4096).contains(n))?,
            "lr" => self.lr = parse_f(key, v, |x| x > 0.0 && x <= 100.0)?,
            "momentum" => self.momentum = parse_f(key, v, |x| (0.0..1.0).contains(&x))?,
            "batch" => self.batch = parse_in(key, v, |n: &usize| *n <= 10_000)?,
            "optimizer" => self.optimizer = parse_name(key, v, OptimizerKind::from_name)?,
            "seed" => self.seed = parse_in(key, v, |_: &u64| true)?,
            _ => return Err(unknown(key)),
        }
        Ok(())
    }

    /// Rules that involve several keys.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.batch > self.samples && self.dataset != DatasetKind::Custom {
            return Err(SettingsError::Invalid {
                key: "batch".into(),
                value: self.batch.to_string(),
                allowed: format!("integer 0 ..= samples ({}), 0 = full batch", self.samples),
            });
        }
        if self.dataset == DatasetKind::Custom && self.data.trim().is_empty() {
            return Err(SettingsError::Invalid {
                key: "data".into(),
                value: String::new(),
                allowed: "a path to a CSV of x,y when dataset = custom".into(),
            });
        }
        Ok(())
    }

    /// A copy with every change applied, or the first error (self untouched).
    pub fn with_changes<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Settings, SettingsError> {
        let mut s = self.clone();
        for (k, v) in changes {
            s.set(k, v)?;
        }
        s.validate()?;
        Ok(s)
    }

    /// Parses a settings or preset file: a flat TOML table of the keys above,
    /// any subset (the rest default), plus an optional `story` line.
    pub fn from_toml(text: &str) -> Result<(Settings, Option<String>), SettingsError> {
        Self::from_toml_over(&Settings::default(), text)
    }

    /// Like [`Self::from_toml`], the keys the file leaves out keeping `base`'s
    /// values (a preset, then a settings file on top of it).
    pub fn from_toml_over(
        base: &Settings,
        text: &str,
    ) -> Result<(Settings, Option<String>), SettingsError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let message = e.message().trim().replace('\n', " ");
            SettingsError::Malformed(match e.span() {
                Some(s) => {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("TOML line {line}: {message}")
                }
                None => format!("TOML: {message}"),
            })
        })?;
        let mut story = None;
        let mut pairs = Vec::new();
        for (k, v) in &table {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ if k != "story" && !KEYS.iter().any(|key| key.name == k) => {
                    return Err(unknown(k))
                }
                _ if k == "story" => {
                    return Err(SettingsError::Invalid {
                        key: "story".into(),
                        value: v.to_string(),
                        allowed: "a one-line string".into(),
                    })
                }
                _ => return Err(invalid(k, &v.to_string())),
            };
            if k == "story" {
                story = Some(text);
            } else {
                pairs.push((k.clone(), text));
            }
        }
        let s = base.with_changes(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        Ok((s, story))
    }

    /// The settings as a TOML file that [`Self::from_toml`] reads back identically.
    pub fn to_toml(&self, story: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(s) = story {
            let _ = writeln!(out, "story = {}", toml::Value::String(s.to_string()));
        }
        for k in KEYS {
            let v = self.get(k.name).unwrap_or_default();
            let value = match k.name {
                "dataset" | "spacing" | "data" | "architecture" | "cost" | "loss" | "optimizer" => {
                    toml::Value::String(v).to_string()
                }
                // Seeds above i64::MAX do not fit a TOML integer: write them as strings.
                "seed" if self.seed > i64::MAX as u64 => toml::Value::String(v).to_string(),
                _ => v,
            };
            let _ = writeln!(out, "{} = {}", k.name, value);
        }
        out
    }

    /// The settings as a JSON object (for the metrics file).
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for k in KEYS {
            let v = self.get(k.name).unwrap_or_default();
            let value = match v.parse::<f64>() {
                Ok(_) if k.name != "data" => {
                    serde_json::from_str(&v).unwrap_or(serde_json::Value::String(v))
                }
                _ => serde_json::Value::String(v),
            };
            map.insert(k.name.to_string(), value);
        }
        serde_json::Value::Object(map)
    }

    /// The keys whose values differ, and whether any of them needs a new model.
    pub fn diff(&self, other: &Settings) -> (Vec<&'static str>, bool) {
        let changed: Vec<&'static str> = KEYS
            .iter()
            .filter(|k| self.get(k.name) != other.get(k.name))
            .map(|k| k.name)
            .collect();
        let structural = KEYS
            .iter()
            .any(|k| k.structural && changed.contains(&k.name));
        (changed, structural)
    }
}
