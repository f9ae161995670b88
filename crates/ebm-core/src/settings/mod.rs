//! Every setting of a run, in one flat table: the keys of the TOML files, of
//! `--set key=value` and of the GUI's controls are the same names.
//!
//! Changes are applied to a copy and validated whole before they replace the
//! original, so a bad value never leaves a half-changed configuration.

pub mod partner;
pub mod resolve;
mod table;
pub mod value;

use std::fmt::Write as _;

use crate::model::spec::{BuildSpec, RunSpec, TrainSpec};
use crate::model::{DatasetKind, Divergence, Loss, LossParams};

pub use table::{keys, Change, Key, Settings};

/// A rule between keys: the value of `key` as the others allow it.
pub struct CrossRule {
    pub key: Key,
    pub holds: fn(&Settings) -> bool,
    /// What `key` allows given the others (the error's "allowed" text).
    pub allowed: fn(&Settings) -> String,
    /// The largest value the key's widget offers, when the rule is a bound.
    pub widget_max: Option<fn(&Settings) -> f64>,
}

/// THE rules between keys, one row each: `Settings::validate` checks them
/// all, and the panel bounds its widgets by them.
pub const CROSS_RULES: &[CrossRule] = &[
    CrossRule {
        key: Key::batch,
        holds: |s| s.batch <= s.samples || s.dataset == DatasetKind::Custom,
        allowed: |s| format!("integer 0 ..= samples ({}), 0 = full batch", s.samples),
        widget_max: Some(|s| s.samples as f64),
    },
    CrossRule {
        key: Key::data,
        holds: |s| s.dataset != DatasetKind::Custom || !s.data.trim().is_empty(),
        allowed: |_| "a path to a CSV of x,y when dataset = custom".into(),
        widget_max: None,
    },
];
pub use value::{Domain, KeyInfo, Section, Widget};

/// The `data` of a custom set drawn in the window: the points live in the run
/// only (no file holds them until "Save points…" writes one).
pub const DRAWN_DATA: &str = "(drawn)";

/// The most steps one run is asked for (`train --steps`, a lecture scene's
/// `steps`): about four hours at the standard step's speed.
pub const MAX_STEPS: u64 = 1_000_000_000;

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
    let mut allowed = keys()
        .iter()
        .find(|k| k.name == key)
        .map_or_else(String::new, KeyInfo::allowed);
    let tiny = value
        .trim()
        .parse::<f64>()
        .is_ok_and(|x| x != 0.0 && x.abs() < f32::MIN_POSITIVE as f64);
    if tiny {
        allowed.push_str(" (a nonzero value must be at least 1.2e-38 to fit f32)");
    }
    SettingsError::Invalid {
        key: key.into(),
        value: value.into(),
        allowed,
    }
}

fn unknown(key: &str) -> SettingsError {
    SettingsError::Unknown {
        key: key.escape_debug().to_string(),
        known: keys().iter().map(|k| k.name).collect::<Vec<_>>().join(", "),
    }
}

/// The key's row of the table.
pub fn key_info(key: &str) -> Option<&'static KeyInfo> {
    keys().iter().find(|k| k.name == key)
}

impl Settings {
    pub fn loss_params(&self) -> LossParams {
        LossParams {
            margin: self.margin,
            beta: self.beta,
            kappa: self.kappa,
            partition: self.partition,
        }
    }

    /// Rules that involve several keys.
    pub fn validate(&self) -> Result<(), SettingsError> {
        for rule in CROSS_RULES {
            if !(rule.holds)(self) {
                return Err(SettingsError::Invalid {
                    key: rule.key.name().into(),
                    value: self.get(rule.key.name()).unwrap_or_default(),
                    allowed: (rule.allowed)(self),
                });
            }
        }
        Ok(())
    }

    /// A copy with every change applied, or the first error (self untouched).
    pub fn with_changes<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Settings, SettingsError> {
        let typed = changes
            .into_iter()
            .map(|(k, v)| Change::parse(k, v))
            .collect::<Result<Vec<_>, _>>()?;
        self.with_typed(&typed)
    }

    /// A copy with typed changes applied and the cross-key rules checked
    /// (the keys' own domains were checked when the changes were parsed).
    pub fn with_typed(&self, changes: &[Change]) -> Result<Settings, SettingsError> {
        let mut s = self.clone();
        for c in changes {
            s.apply(c.clone());
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
        Self::from_toml_meta_over(base, text).map(|(s, meta)| (s, meta.story))
    }

    /// [`Self::from_toml`] with every line that is not a setting: `story`,
    /// and a preset's promise `expect` and `steps` (read by `presets.rs`;
    /// a settings file may carry them and they change nothing).
    pub fn from_toml_meta(text: &str) -> Result<(Settings, FileMeta), SettingsError> {
        Self::from_toml_meta_over(&Settings::default(), text)
    }

    /// [`Self::from_toml_meta`] over `base`.
    pub fn from_toml_meta_over(
        base: &Settings,
        text: &str,
    ) -> Result<(Settings, FileMeta), SettingsError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let mut message = e.message().trim().replace('\n', " ");
            if message.contains("too large") {
                message.push_str(&format!(
                    "; TOML integers end at {}, write a larger one as a string (seed = \"{}\")",
                    i64::MAX,
                    u64::MAX
                ));
            }
            SettingsError::Malformed(match e.span() {
                Some(s) => {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("TOML line {line}: {message}")
                }
                None => format!("TOML: {message}"),
            })
        })?;
        let mut meta = FileMeta::default();
        let mut pairs = Vec::new();
        for (k, v) in &table {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ if meta.slot(k).is_some() => {
                    return Err(SettingsError::Invalid {
                        key: k.clone(),
                        value: v.to_string(),
                        allowed: "a one-line string or number".into(),
                    })
                }
                _ if key_info(k).is_none() => return Err(unknown(k)),
                _ => return Err(invalid(k, &v.to_string())),
            };
            match meta.slot(k) {
                Some(slot) => *slot = Some(text),
                None => pairs.push((k.clone(), text)),
            }
        }
        let s = base.with_changes(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        Ok((s, meta))
    }

    /// The settings as a TOML file that [`Self::from_toml`] reads back identically.
    pub fn to_toml(&self, story: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(s) = story {
            let _ = writeln!(out, "story = {}", toml::Value::String(s.to_string()));
        }
        for k in keys() {
            if let Some(v) = self.get_toml(k.name) {
                let _ = writeln!(out, "{} = {}", k.name, v);
            }
        }
        out
    }

    /// The settings as a JSON object (for the metrics file).
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for k in keys() {
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

    /// Checks every key's range of settings built in code (not parsed), e.g. by
    /// `Command::Replace`: the settings must survive their text form unchanged.
    pub fn validated_whole(&self) -> Result<Settings, String> {
        let pairs: Vec<(&str, String)> = keys()
            .iter()
            .filter_map(|k| self.get(k.name).map(|v| (k.name, v)))
            .collect();
        let checked = Settings::default()
            .with_changes(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| e.to_string())?;
        if checked != *self {
            return Err("settings do not survive a round trip through their text form".into());
        }
        Ok(checked)
    }

    /// The keys whose values differ, and whether any of them needs a new model.
    pub fn diff(&self, other: &Settings) -> (Vec<&'static str>, bool) {
        let changed: Vec<&'static str> = keys()
            .iter()
            .filter(|k| self.get(k.name) != other.get(k.name))
            .map(|k| k.name)
            .collect();
        let structural = keys()
            .iter()
            .any(|k| k.structural && changed.contains(&k.name));
        (changed, structural)
    }
}

impl From<&Settings> for RunSpec {
    fn from(s: &Settings) -> RunSpec {
        RunSpec {
            build: BuildSpec {
                dataset: s.dataset,
                samples: s.samples,
                spacing: s.spacing,
                noise: s.noise,
                architecture: s.architecture,
                hidden: s.hidden,
                out_dim: s.out_dim,
                cost: s.cost,
                grid: s.grid,
                seed: s.seed,
            },
            train: TrainSpec {
                loss: s.loss,
                params: s.loss_params(),
                radius: s.radius,
                radius_late: s.radius_late,
                radius_late_step: s.radius_late_step,
                lr: s.lr,
                momentum: s.momentum,
                weight_decay: s.weight_decay,
                grid_jitter: s.grid_jitter,
                batch: s.batch,
                optimizer: s.optimizer,
                inference: crate::model::inference_spec::InferenceSpec {
                    kind: s.inference,
                    steps: s.inference_steps,
                    eta: s.inference_eta,
                    // The line's chains: short-run, at β = 1.
                    beta: 1.0,
                    persistent: false,
                    start: s.inference_start,
                },
            },
        }
    }
}

/// Values beyond this make f32 energies overflow whatever the learning rate.
const HUGE: f64 = 1e6;

/// The likely cause of a divergence, as advice naming the setting to blame:
/// huge data or starting weights first (no learning rate helps there), then
/// lr, then β with nll, judged from the values in force at that step.
pub fn divergence_advice(d: &Divergence) -> String {
    let t = &d.in_force;
    if d.data_extent > HUGE {
        format!(
            "the data reach |value| = {:.0e}, where f32 energies overflow: rescale the data to about -1 ..= 1",
            d.data_extent
        )
    } else if d.start_weight > HUGE {
        format!(
            "the starting weights reach |w| = {:.0e}, where f32 energies overflow: start from smaller weights",
            d.start_weight
        )
    } else if t.lr > 0.1 {
        format!(
            "lr = {} is likely too large (try lr ≤ 0.1); reset to recover",
            t.lr
        )
    } else if t.params.beta > 100.0 && t.loss == Loss::Nll {
        format!(
            "beta = {} is likely too large; reset to recover",
            t.params.beta
        )
    } else if t.loss == Loss::SquareExp && (t.params.kappa > 10.0 || t.params.beta > 10.0) {
        format!(
            "square-exp's push-up κ·exp(−β·Ē) with kappa = {} and beta = {} is likely too strong for lr = {} (try a smaller kappa or lr); reset to recover",
            t.params.kappa, t.params.beta, t.lr
        )
    } else {
        format!("try a smaller lr (now {}); reset to recover", t.lr)
    }
}

/// "diverged at step N: …; advice".
pub fn explain_divergence(d: &Divergence) -> String {
    format!("{d}; {}", divergence_advice(d))
}

/// The README's settings table, generated from the settings table (a test
/// checks that README.md holds exactly this between its markers).
pub fn markdown_table() -> String {
    let defaults = Settings::default();
    let mut out = String::from("| key | allowed | default | meaning |\n|---|---|---|---|\n");
    for k in keys() {
        let default = defaults.get(k.name).unwrap_or_default();
        let default = if default.is_empty() {
            "\"\"".to_string()
        } else {
            default
        };
        let live = if k.structural { "" } else { " (live)" };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {}{} |",
            k.name,
            k.allowed().replace('|', "\\|"),
            default,
            k.help.replace('|', "\\|"),
            live
        );
    }
    out
}

/// The lines of a settings or preset file that are not settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileMeta {
    /// One line on what the demo shows.
    pub story: Option<String>,
    /// A preset's promise: the state a seed is in at `steps`, on at least
    /// `kept` of the seeds 0-99.
    pub expect: Option<String>,
    pub steps: Option<String>,
    pub kept: Option<String>,
}

impl FileMeta {
    /// Where the line `key` goes, if it is one of these.
    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "story" => Some(&mut self.story),
            "expect" => Some(&mut self.expect),
            "steps" => Some(&mut self.steps),
            "kept" => Some(&mut self.kept),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advice_for(changes: &[(&str, &str)]) -> String {
        let s = Settings::default()
            .with_changes(changes.iter().copied())
            .expect("settings");
        let d = Divergence {
            step: 7,
            what: "the loss or an energy became non-finite",
            in_force: Box::new(RunSpec::from(&s).train),
            start_weight: 1.0,
            data_extent: 1.0,
        };
        divergence_advice(&d)
    }

    #[test]
    fn divergence_advice_names_the_setting_at_fault() {
        let a = advice_for(&[("loss", "square-exp"), ("kappa", "100"), ("lr", "0.05")]);
        assert!(a.contains("kappa = 100") && a.contains("lr = 0.05"), "{a}");
        let a = advice_for(&[("lr", "0.5")]);
        assert!(a.contains("lr = 0.5"), "{a}");
        let a = advice_for(&[("loss", "nll"), ("beta", "500")]);
        assert!(a.contains("beta = 500"), "{a}");
    }
}
