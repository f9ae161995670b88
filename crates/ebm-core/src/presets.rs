//! The demos of DESIGN §4, compiled into the binary so it runs from anywhere.

use crate::model::State;
use crate::settings::{FileMeta, Settings, SettingsError, MAX_STEPS};

crate::named_enum! {
    /// What a preset promises on seeds 0-9 by its `steps`.
    pub enum Expect {
        Collapsed = "collapsed": "collapsed (flat in y)",
        Learned = "learned": "learned",
        NotLearned = "not-learned": "not learned",
        NotCollapsed = "not-collapsed": "not collapsed",
    }
}

impl Expect {
    /// Whether a run in `state` at the preset's `steps` keeps the promise
    /// (a `not-learned` run may have passed through `learned` on the way, as
    /// the perceptron does when it stops pushing: the promise is about `steps`).
    pub fn kept(self, state: State) -> bool {
        match self {
            Expect::Collapsed => state == State::Collapsed,
            Expect::Learned => state == State::Learned,
            Expect::NotLearned => state != State::Learned,
            Expect::NotCollapsed => state != State::Collapsed && state != State::Diverged,
        }
    }
}

/// A preset file in full: its settings, its story and its promise.
#[derive(Clone, Debug)]
pub struct Preset {
    pub name: &'static str,
    pub settings: Settings,
    pub story: String,
    pub expect: Expect,
    /// By when `expect` holds.
    pub steps: u64,
    /// On how many of the seeds 0-99 the promise holds, at least (measured:
    /// `ebm-lab presets --measure`); all 100 unless the file says `kept`.
    pub kept: u32,
}

/// Every preset in teaching order. Each file must carry `story`, `expect`
/// and `steps`; a file without one is an error naming the preset and line.
pub fn all_presets() -> Result<Vec<Preset>, SettingsError> {
    PRESETS
        .iter()
        .map(|&(name, text)| preset_from(name, text))
        .collect()
}

/// One preset from its name and file text.
pub fn preset_from(name: &'static str, text: &str) -> Result<Preset, SettingsError> {
    let (settings, meta) = Settings::from_toml_meta(text)?;
    let missing = |line: &str| SettingsError::Malformed(format!("preset {name}: no `{line}` line"));
    let promise = promise_from(&meta, name)?;
    let expect = promise.expect.ok_or_else(|| missing("expect"))?;
    let steps = promise.steps.ok_or_else(|| missing("steps"))?;
    Ok(Preset {
        name,
        settings,
        story: meta.story.ok_or_else(|| missing("story"))?,
        expect,
        steps,
        kept: promise.kept.unwrap_or(SEEDS as u32),
    })
}

/// The seeds a promise is measured on: 0 ..= 99.
pub const SEEDS: u64 = 100;

/// A file's promise lines, each `None` where the file has none.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Promise {
    pub expect: Option<Expect>,
    pub steps: Option<u64>,
    pub kept: Option<u32>,
}

/// A file's promise lines, checked where present: `expect` one of the
/// [`Expect`] names, `steps` 1 ..= [`MAX_STEPS`], `kept` 1 ..= 100. A
/// settings file may carry them (they change nothing there) but not with
/// values no preset could have. `file` names the preset or file in errors.
pub fn promise_from(meta: &FileMeta, file: &str) -> Result<Promise, SettingsError> {
    let invalid = |key: &str, value: &str, allowed: String| SettingsError::Invalid {
        key: format!("{file}: {key}"),
        value: value.to_string(),
        allowed,
    };
    let whole = |key: &str, text: &Option<String>, hi: u64| match text {
        None => Ok(None),
        Some(t) => t
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=hi).contains(n))
            .map(Some)
            .ok_or_else(|| invalid(key, t, format!("a whole number 1 ..= {hi}"))),
    };
    let expect =
        match &meta.expect {
            None => None,
            Some(text) => Some(Expect::from_name(text).ok_or_else(|| {
                invalid("expect", text, Expect::ALL.map(|e| e.name()).join(" | "))
            })?),
        };
    Ok(Promise {
        expect,
        steps: whole("steps", &meta.steps, MAX_STEPS)?,
        kept: whole("kept", &meta.kept, SEEDS)?.map(|k| k as u32),
    })
}

pub const DEFAULT_PRESET: &str = "dual-energy";

/// `(name, TOML text)` of every preset, in teaching order.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "dual-energy",
        include_str!("../../../assets/presets/dual-energy.toml"),
    ),
    (
        "dual-square-square",
        include_str!("../../../assets/presets/dual-square-square.toml"),
    ),
    (
        "dual-nll",
        include_str!("../../../assets/presets/dual-nll.toml"),
    ),
    (
        "regressor-energy",
        include_str!("../../../assets/presets/regressor-energy.toml"),
    ),
    (
        "eye-nll",
        include_str!("../../../assets/presets/eye-nll.toml"),
    ),
    (
        "eye-regressor",
        include_str!("../../../assets/presets/eye-regressor.toml"),
    ),
    // The catalogue: every loss of the paper (DESIGN §4).
    (
        "dual-perceptron",
        include_str!("../../../assets/presets/dual-perceptron.toml"),
    ),
    (
        "dual-hinge-no-margin",
        include_str!("../../../assets/presets/dual-hinge-no-margin.toml"),
    ),
    (
        "dual-hinge",
        include_str!("../../../assets/presets/dual-hinge.toml"),
    ),
    (
        "dual-log",
        include_str!("../../../assets/presets/dual-log.toml"),
    ),
    (
        "dual-square-exp",
        include_str!("../../../assets/presets/dual-square-exp.toml"),
    ),
    (
        "dual-exponential",
        include_str!("../../../assets/presets/dual-exponential.toml"),
    ),
    (
        "dual-mce",
        include_str!("../../../assets/presets/dual-mce.toml"),
    ),
    (
        "d1-square-square",
        include_str!("../../../assets/presets/d1-square-square.toml"),
    ),
    (
        "d1-nll",
        include_str!("../../../assets/presets/d1-nll.toml"),
    ),
    (
        "regressor-saturated",
        include_str!("../../../assets/presets/regressor-saturated.toml"),
    ),
    (
        "eye-square-square",
        include_str!("../../../assets/presets/eye-square-square.toml"),
    ),
];

/// A preset's settings and its one-line story.
pub fn load_preset(name: &str) -> Result<(Settings, String), SettingsError> {
    let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
        return Err(SettingsError::Invalid {
            key: "preset".into(),
            value: name.into(),
            allowed: PRESETS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(" | "),
        });
    };
    let (s, story) = Settings::from_toml(text)?;
    Ok((s, story.unwrap_or_default()))
}
