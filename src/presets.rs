//! The demos of DESIGN §4, compiled into the binary so it runs from anywhere.

use crate::settings::{Settings, SettingsError};

pub const DEFAULT_PRESET: &str = "dual-energy";

/// `(name, TOML text)` of every preset, in teaching order.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "dual-energy",
        include_str!("../assets/presets/dual-energy.toml"),
    ),
    (
        "dual-square-square",
        include_str!("../assets/presets/dual-square-square.toml"),
    ),
    ("dual-nll", include_str!("../assets/presets/dual-nll.toml")),
    (
        "regressor-energy",
        include_str!("../assets/presets/regressor-energy.toml"),
    ),
    ("eye-nll", include_str!("../assets/presets/eye-nll.toml")),
    (
        "eye-regressor",
        include_str!("../assets/presets/eye-regressor.toml"),
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
