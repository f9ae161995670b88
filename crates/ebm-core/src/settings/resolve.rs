//! Where a run's settings come from, in one order for the command line, the
//! window and the page: a preset (the default one when there is neither a
//! preset nor a settings file), then the file's keys on top, then each
//! change in order; validated whole, so nothing is half-applied.

use std::path::Path;

use anyhow::{bail, Result};

use super::Settings;
use crate::model::DatasetKind;
use crate::presets::{load_preset, DEFAULT_PRESET};

/// The settings of `preset`, then `file`, then `changes` (key, value) in
/// order. `data` among the changes needs `dataset = custom` in the result
/// (a CSV given for a built-in set would be ignored silently).
pub fn resolve(
    preset: Option<&str>,
    file: Option<&Path>,
    changes: &[(&str, &str)],
) -> Result<Settings> {
    let mut s = match preset {
        Some(p) => load_preset(p)?.0,
        None if file.is_none() => load_preset(DEFAULT_PRESET)?.0,
        None => Settings::default(),
    };
    if let Some(f) = file {
        s = crate::files::read_settings_over(&s, f)?;
    }
    let s = s.with_changes(changes.iter().copied())?;
    if let Some((_, v)) = changes.iter().find(|(k, _)| *k == "data") {
        if s.dataset != DatasetKind::Custom {
            bail!("data = {v:?}: a data CSV is read only with dataset = custom (set dataset = custom too)");
        }
    }
    Ok(s)
}

/// The first key given twice in `changes`, where a repeat is a mistake (a
/// link, a compare partner) rather than an override in order (`--set`).
pub fn repeated_key<'a>(changes: &[(&'a str, &str)]) -> Option<&'a str> {
    changes
        .iter()
        .enumerate()
        .find(|(i, (k, _))| changes[..*i].iter().any(|(o, _)| o == k))
        .map(|(_, (k, _))| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_then_changes_in_order() {
        let s = resolve(Some("dual-nll"), None, &[("lr", "0.03"), ("lr", "0.04")]).unwrap();
        assert_eq!(s.lr, 0.04);
        assert_eq!(s.loss.name(), "nll");
        let s = resolve(None, None, &[]).unwrap();
        assert_eq!(s, load_preset(DEFAULT_PRESET).unwrap().0);
    }

    #[test]
    fn data_without_a_custom_set_is_refused() {
        let e = resolve(Some("dual-nll"), None, &[("data", "pts.csv")]).unwrap_err();
        assert!(e.to_string().contains("dataset = custom"), "{e}");
        assert_eq!(
            repeated_key(&[("loss", "nll"), ("lr", "1"), ("loss", "log")]),
            Some("loss")
        );
        assert_eq!(repeated_key(&[("loss", "nll"), ("lr", "1")]), None);
    }
}
