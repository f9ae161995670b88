//! The types behind the settings table: what values a key admits
//! ([`Domain`]), how the GUI draws it ([`Widget`]), where it sits
//! ([`Section`]), and how a value reads and writes as text ([`SettingValue`]).

use crate::model::named::Named;

/// The values a key admits. The "allowed" text of errors, of the README and of
/// tooltips is generated from it.
#[derive(Clone, Copy, Debug)]
pub enum Domain {
    /// One of the names of a [`Named`] enum: (name, description) pairs.
    Names(fn() -> Vec<(&'static str, &'static str)>),
    /// An integer in lo ..= hi.
    Int { lo: u64, hi: u64 },
    /// A finite real between lo and hi, each end open or closed.
    Real {
        lo: f64,
        hi: f64,
        lo_open: bool,
        hi_open: bool,
    },
    /// Free text (a path).
    Text,
}

/// Shorthands for the table.
pub const fn int(lo: u64, hi: u64) -> Domain {
    Domain::Int { lo, hi }
}

pub const fn closed(lo: f64, hi: f64) -> Domain {
    Domain::Real {
        lo,
        hi,
        lo_open: false,
        hi_open: false,
    }
}

/// lo < x ≤ hi.
pub const fn above(lo: f64, hi: f64) -> Domain {
    Domain::Real {
        lo,
        hi,
        lo_open: true,
        hi_open: false,
    }
}

/// lo ≤ x < hi.
pub const fn below(lo: f64, hi: f64) -> Domain {
    Domain::Real {
        lo,
        hi,
        lo_open: false,
        hi_open: true,
    }
}

fn described<T: Named>() -> Vec<(&'static str, &'static str)> {
    T::all().iter().map(|v| (v.name(), v.describe())).collect()
}

pub fn names<T: Named>() -> Domain {
    Domain::Names(described::<T>)
}

impl Domain {
    /// "integer 1 ..= 256", "0 < lr <= 100", "sgd | adam", …
    pub fn allowed(&self, key: &str) -> String {
        match *self {
            Domain::Names(f) => f().iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" | "),
            Domain::Int { lo, hi } => format!("integer {lo} ..= {hi}"),
            Domain::Real {
                lo,
                hi,
                lo_open,
                hi_open,
            } => match (lo_open, hi_open) {
                (false, false) => format!("{lo} ..= {hi}"),
                (true, false) => format!("{lo} < {key} <= {hi}"),
                (false, true) => format!("{lo} <= {key} < {hi}"),
                (true, true) => format!("{lo} < {key} < {hi}"),
            },
            Domain::Text => "text".into(),
        }
    }

    fn admits_real(&self, x: f64) -> bool {
        match *self {
            Domain::Real {
                lo,
                hi,
                lo_open,
                hi_open,
            } => {
                x.is_finite()
                    && (if lo_open { x > lo } else { x >= lo })
                    && (if hi_open { x < hi } else { x <= hi })
            }
            Domain::Names(_) | Domain::Int { .. } | Domain::Text => false,
        }
    }

    fn admits_int(&self, n: u64) -> bool {
        match *self {
            Domain::Int { lo, hi } => (lo..=hi).contains(&n),
            Domain::Names(_) | Domain::Real { .. } | Domain::Text => false,
        }
    }
}

/// How the settings panel draws a key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Widget {
    /// A button per name (tooltips from the enum's descriptions).
    Choice,
    /// A slider over lo ..= hi (inside the domain), on a log scale or not.
    Slider { lo: f64, hi: f64, log: bool },
    /// A number field over lo ..= hi, dragged at `speed` per pixel.
    Drag { lo: f64, hi: f64, speed: f64 },
    /// A text field (with a Load button for the custom data path).
    Path,
}

/// The panel section a key is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Loss,
    Training,
    Model,
    Data,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Loss,
        Section::Training,
        Section::Model,
        Section::Data,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Loss => "Loss",
            Section::Training => "Training",
            Section::Model => "Model (resets)",
            Section::Data => "Data (resets)",
        }
    }
}

/// A value's text form (the same in TOML, `--set` and the GUI) and its check
/// against a domain.
pub trait SettingValue: Sized {
    fn from_text(s: &str) -> Option<Self>;
    fn text(&self) -> String;
    /// How a TOML file writes it.
    fn toml(&self) -> toml::Value;
    fn admits(&self, d: &Domain) -> bool;
}

impl<T: Named> SettingValue for T {
    fn from_text(s: &str) -> Option<Self> {
        T::from_name(s)
    }
    fn text(&self) -> String {
        self.name().to_string()
    }
    fn toml(&self) -> toml::Value {
        toml::Value::String(self.text())
    }
    fn admits(&self, _: &Domain) -> bool {
        true
    }
}

impl SettingValue for f64 {
    /// The model computes in f32: a value that is not zero must be a normal
    /// f32 (|x| ≥ 1.2e-38), or `beta = 1e-320` would silently become 0.
    fn from_text(s: &str) -> Option<Self> {
        s.parse()
            .ok()
            .filter(|x: &f64| *x == 0.0 || x.abs() >= f32::MIN_POSITIVE as f64)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn toml(&self) -> toml::Value {
        toml::Value::Float(*self)
    }
    /// Both the value and the f32 the model computes with must lie in the
    /// domain (`momentum = 0.99999999` is 1.0 in f32, outside 0 ≤ μ < 1).
    fn admits(&self, d: &Domain) -> bool {
        d.admits_real(*self) && d.admits_real(*self as f32 as f64)
    }
}

impl SettingValue for u64 {
    fn from_text(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn toml(&self) -> toml::Value {
        // Above i64::MAX a TOML integer cannot hold it: write a string.
        i64::try_from(*self).map_or_else(|_| toml::Value::String(self.text()), toml::Value::Integer)
    }
    fn admits(&self, d: &Domain) -> bool {
        d.admits_int(*self)
    }
}

impl SettingValue for usize {
    fn from_text(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn toml(&self) -> toml::Value {
        (*self as u64).toml()
    }
    fn admits(&self, d: &Domain) -> bool {
        d.admits_int(*self as u64)
    }
}

impl SettingValue for String {
    fn from_text(s: &str) -> Option<Self> {
        Some(s.to_string())
    }
    fn text(&self) -> String {
        self.clone()
    }
    fn toml(&self) -> toml::Value {
        toml::Value::String(self.clone())
    }
    fn admits(&self, _: &Domain) -> bool {
        true
    }
}

/// One row of the settings table.
pub struct KeyInfo {
    pub name: &'static str,
    pub domain: Domain,
    /// Added to the generated "allowed" text (e.g. "0 = full batch").
    pub note: &'static str,
    pub help: &'static str,
    /// The panel's label.
    pub label: &'static str,
    pub section: Section,
    pub widget: Widget,
    /// Whether a change needs a new model (otherwise it applies at the next step).
    pub structural: bool,
}

impl KeyInfo {
    /// The allowed values as text, with the note.
    pub fn allowed(&self) -> String {
        let base = match (self.domain, self.name) {
            (Domain::Text, _) => String::new(),
            (d, name) => d.allowed(name),
        };
        match (base.is_empty(), self.note.is_empty()) {
            (_, true) => base,
            (true, false) => self.note.to_string(),
            (false, false) => format!("{base} ({})", self.note),
        }
    }
}
