//! THE settings table. One row per setting: its field and type, default,
//! whether it resets the model, the values it admits, the panel's widget,
//! section and label, and its help. The struct, `Default`, the key list, the
//! text form (`get`/`set`), TOML, the errors' "allowed" text, the GUI's widgets
//! and the README's table all come from here. Adding a setting is one row.

use super::value::{
    above, below, closed, int, names, Domain, KeyInfo, Section, SettingValue, Widget,
};
use super::SettingsError;
use crate::model::inference_spec::{InferenceKind, StartKind};
use crate::model::loss::Partition;
use crate::model::{Architecture, Cost, DatasetKind, Loss, OptimizerKind, Spacing};

macro_rules! settings_table {
    ($(
        $field:ident : $ty:ty = $default:expr, $reset:ident, $section:ident, $label:literal,
            $domain:expr, $widget:expr, $note:literal, $help:literal;
    )+) => {
        /// Every setting of a run (see the table in `settings/table.rs`).
        #[derive(Clone, Debug, PartialEq)]
        pub struct Settings {
            $(#[doc = $help] pub $field: $ty,)+
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings { $($field: $default,)+ }
            }
        }

        /// The table's rows, in order.
        pub fn keys() -> &'static [KeyInfo] {
            static KEYS: std::sync::OnceLock<Vec<KeyInfo>> = std::sync::OnceLock::new();
            KEYS.get_or_init(|| vec![$(KeyInfo {
                name: stringify!($field),
                domain: $domain,
                note: $note,
                help: $help,
                label: $label,
                section: Section::$section,
                widget: $widget,
                structural: reset_kind!($reset),
            },)+])
        }

        impl Settings {
            /// The value of a key as text (the inverse of [`Settings::set`]).
            pub fn get(&self, key: &str) -> Option<String> {
                match key {
                    $(stringify!($field) => Some(SettingValue::text(&self.$field)),)+
                    _ => None,
                }
            }

            /// The value of a key as TOML writes it.
            pub fn get_toml(&self, key: &str) -> Option<toml::Value> {
                match key {
                    $(stringify!($field) => Some(SettingValue::toml(&self.$field)),)+
                    _ => None,
                }
            }

            /// Sets one key from text, checking the key's own domain. Cross-key
            /// rules are checked by [`Settings::validate`]; use
            /// [`Settings::with_changes`] to apply safely.
            pub fn set(&mut self, key: &str, v: &str) -> Result<(), SettingsError> {
                self.apply(Change::parse(key, v)?);
                Ok(())
            }

            /// Applies a change made by [`Change::parse`] (its key's domain is
            /// already checked; the cross-key rules are [`Settings::validate`]'s).
            pub fn apply(&mut self, change: Change) {
                match change.0 {
                    $(Value::$field(x) => self.$field = x,)+
                }
            }
        }

        /// A setting's key, one per row of the table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub enum Key {
            $($field,)+
        }

        impl Key {
            /// Every key, in the table's order.
            pub const ALL: &'static [Key] = &[$(Key::$field,)+];

            /// The key as written in `--set`, TOML and links.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$field => stringify!($field),)+
                }
            }

            /// The key called `name`, if any.
            pub fn from_name(name: &str) -> Option<Key> {
                Key::ALL.iter().copied().find(|k| k.name() == name)
            }
        }

        /// One setting's new value: parsed from text and checked against its
        /// key's domain once ([`Change::parse`]), then carried typed (the
        /// trainer applies it without reading text again; the cross-key
        /// rules are checked where it lands, [`Settings::with_typed`]). Only
        /// `parse` makes one, so a `Change` always holds an allowed value.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Change(Value);

        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_camel_case_types)]
        enum Value {
            $($field($ty),)+
        }

        impl Change {
            /// `key` = `v`, or the one-line error naming the key and what it allows.
            pub fn parse(key: &str, v: &str) -> Result<Change, SettingsError> {
                match key {
                    $(stringify!($field) => {
                        let domain: Domain = $domain;
                        match <$ty as SettingValue>::from_text(v.trim()) {
                            Some(x) if x.admits(&domain) => Ok(Change(Value::$field(x))),
                            _ => Err(super::invalid(key, v)),
                        }
                    })+
                    _ => Err(super::unknown(key)),
                }
            }

            /// The key this change sets.
            pub fn key(&self) -> Key {
                match &self.0 {
                    $(Value::$field(_) => Key::$field,)+
                }
            }
        }
    };
}

macro_rules! reset_kind {
    (resets) => {
        true
    };
    (live) => {
        false
    };
}

const fn slider(lo: f64, hi: f64) -> Widget {
    Widget::Slider { lo, hi, log: false }
}

const fn log_slider(lo: f64, hi: f64) -> Widget {
    Widget::Slider { lo, hi, log: true }
}

settings_table! {
    dataset: DatasetKind = DatasetKind::Parabola, resets, Data, "dataset",
        names::<DatasetKind>(), Widget::Choice, "", "the training set";
    samples: usize = 100, resets, Data, "samples N",
        int(1, 10_000), Widget::Slider { lo: 1.0, hi: 2000.0, log: true }, "",
        "number of training samples N";
    spacing: Spacing = Spacing::Even, resets, Data, "spacing",
        names::<Spacing>(), Widget::Choice, "", "x evenly spaced (ends included) or uniform random";
    noise: f64 = 0.0, resets, Data, "noise σ",
        closed(0.0, 1.0), slider(0.0, 1.0), "", "Gaussian noise σ added to y";
    data: String = String::new(), resets, Data, "custom CSV",
        Domain::Text, Widget::Path, "path to a CSV of x,y (required when dataset = custom)",
        "points of the custom set (`x,y` lines)";
    architecture: Architecture = Architecture::Dual, resets, Model, "architecture",
        names::<Architecture>(), Widget::Choice, "", "E = c(G(x) − y) or E = c(G1(x) − G2(y))";
    hidden: usize = 20, resets, Model, "hidden H",
        int(1, 256), Widget::Slider { lo: 1.0, hi: 256.0, log: true }, "",
        "hidden units H of each net";
    out_dim: usize = 4, resets, Model, "output d",
        int(1, 32), slider(1.0, 32.0), "", "output dimension d of the dual nets (dual only)";
    cost: Cost = Cost::L1, resets, Model, "cost c",
        names::<Cost>(), Widget::Choice, "", "the cost c of the energy";
    loss: Loss = Loss::Energy, live, Loss, "loss",
        names::<Loss>(), Widget::Choice, "", "the loss";
    margin: f64 = 0.5, live, Loss, "margin m",
        closed(0.0, 10.0), slider(0.0, 10.0), "",
        "margin m: how far ȳ is pushed above the sample (square-square, hinge)";
    radius: f64 = 0.3, live, Loss, "radius r",
        closed(0.0, 2.0), slider(0.0, 2.0), "",
        "exclusion radius r: ȳ is searched outside |y − yᵢ| > r";
    radius_late: f64 = 0.1, live, Loss, "late radius",
        closed(0.0, 2.0), slider(0.0, 2.0), "", "r from radius_late_step on";
    radius_late_step: u64 = 0, live, Loss, "late from step",
        int(0, 1_000_000_000), Widget::Drag { lo: 0.0, hi: 1e9, speed: 10.0 }, "0 = no schedule",
        "step at which r becomes radius_late";
    beta: f64 = 5.0, live, Loss, "β",
        above(0.0, 1000.0), log_slider(0.01, 1000.0), "",
        "inverse temperature β of nll and square-exp";
    kappa: f64 = 1.0, live, Loss, "κ",
        above(0.0, 100.0), log_slider(0.01, 100.0), "", "κ, the weight of square-exp's push-up term";
    grid: usize = 128, resets, Model, "Y grid K",
        int(2, 4096), Widget::Slider { lo: 2.0, hi: 1024.0, log: true }, "",
        "K, the Y grid of inference and the losses";
    lr: f64 = 0.01, live, Training, "learning rate",
        above(0.0, 100.0), log_slider(1e-5, 100.0), "", "learning rate";
    momentum: f64 = 0.9, live, Training, "momentum",
        below(0.0, 1.0), slider(0.0, 0.999), "", "SGD momentum μ";
    weight_decay: f64 = 0.0, live, Training, "weight decay λ",
        closed(0.0, 1.0), log_slider(0.0, 1.0), "0 = none",
        "λ of the regulariser λ/2·‖W‖² added to the loss (the slides' R(W))";
    partition: Partition = Partition::GridAndSample, live, Loss, "partition sum",
        names::<Partition>(), Widget::Choice, "",
        "what nll's log partition sums over: the Y grid, or also the sample's own y (bounds the loss below)";
    grid_jitter: f64 = 0.0, live, Loss, "grid jitter",
        closed(0.0, 1.0), slider(0.0, 1.0), "0 = fixed grid",
        "each step the losses' Y grid moves by up to ± jitter/2 of its spacing";
    inference: InferenceKind = InferenceKind::Grid, live, Loss, "ȳ found by",
        names::<InferenceKind>(), Widget::Choice, "",
        "how the most offending answer ȳ is found: the whole Y grid, or T steps of descent or Langevin from a uniform start (sees only the valley it starts in)";
    inference_steps: usize = 20, live, Loss, "steps T",
        int(1, 1000), Widget::Slider { lo: 1.0, hi: 200.0, log: true }, "",
        "T, the steps of descent or Langevin (inference = descent or langevin)";
    inference_eta: f64 = 0.02, live, Loss, "step η / ε",
        above(0.0, 10.0), log_slider(1e-4, 10.0), "",
        "η of descent, ε of Langevin (inference = descent or langevin)";
    inference_start: StartKind = StartKind::Uniform, live, Loss, "descent starts",
        names::<StartKind>(), Widget::Choice, "",
        "where a descent starts: uniform over the Y range, or at the sample plus noise (inference = descent)";
    batch: usize = 0, live, Training, "batch",
        int(0, 10_000), Widget::Slider { lo: 0.0, hi: 2000.0, log: false },
        "0 = full batch; at most samples", "mini-batch size";
    optimizer: OptimizerKind = OptimizerKind::Sgd, live, Training, "optimizer",
        names::<OptimizerKind>(), Widget::Choice, "",
        "optimiser (Adam: β₁ 0.9, β₂ 0.999, ε 1e-8; switching restarts its moments)";
    seed: u64 = 0, resets, Model, "seed",
        int(0, u64::MAX), Widget::Drag { lo: 0.0, hi: 4_294_967_295.0, speed: 1.0 }, "",
        "seed of data, initial weights and batches";
}
