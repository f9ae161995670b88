//! Compare partners: a run beside another that differs in live settings only
//! (`loss=nll`, `loss=hinge,margin=0.5`), so that both share the data and the
//! initial weights and the comparison is of the loss alone. One parser for the
//! CLI's `--compare`/`--with`, the window's compare mode and the lectures.

use super::{Settings, SettingsError};

/// Runs beside the first one, at most (four in all).
pub const MAX_PARTNERS: usize = 3;

/// A partner: what it changes (in the order given) and its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Partner {
    pub overrides: Vec<(String, String)>,
    pub settings: Settings,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PartnerError {
    #[error("{0:?}: expected KEY=VALUE[,KEY=VALUE…]")]
    Malformed(String),
    // A list is shown escaped (`"\n=0"` stays on one line).
    #[error("{}: {source}", .list.escape_debug())]
    Setting { list: String, source: SettingsError },
    #[error(
        "{}: {keys} would change the data or the initial weights; \
         only live settings (loss, m, r, β, κ, lr, …) can differ",
        .list.escape_debug()
    )]
    Structural { list: String, keys: String },
    #[error("given {0} times; allowed: 1 ..= {MAX_PARTNERS}")]
    TooMany(usize),
    #[error("{}: `{}` is given twice; give each key once", .list.escape_debug(), .key.escape_debug())]
    Repeated { list: String, key: String },
}

impl Partner {
    /// The partner of `base` described by `list` (`KEY=VALUE[,KEY=VALUE…]`).
    pub fn parse(base: &Settings, list: &str) -> Result<Partner, PartnerError> {
        let mut overrides = Vec::new();
        for kv in list.split(',').filter(|t| !t.trim().is_empty()) {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| PartnerError::Malformed(list.to_string()))?;
            overrides.push((k.trim().to_string(), v.trim().to_string()));
        }
        if overrides.is_empty() {
            return Err(PartnerError::Malformed(list.to_string()));
        }
        let pairs: Vec<(&str, &str)> = overrides
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(key) = super::resolve::repeated_key(&pairs) {
            return Err(PartnerError::Repeated {
                list: list.to_string(),
                key: key.to_string(),
            });
        }
        Partner::from_overrides(base, overrides).map_err(|e| match e {
            PartnerError::Setting { source, .. } => PartnerError::Setting {
                list: list.to_string(),
                source,
            },
            PartnerError::Structural { keys, .. } => PartnerError::Structural {
                list: list.to_string(),
                keys,
            },
            other => other,
        })
    }

    /// The partner of `base` that changes these keys.
    pub fn from_overrides(
        base: &Settings,
        overrides: Vec<(String, String)>,
    ) -> Result<Partner, PartnerError> {
        let list = list_text(&overrides);
        let settings = base
            .with_changes(overrides.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|source| PartnerError::Setting {
                list: list.clone(),
                source,
            })?;
        let (changed, structural) = base.diff(&settings);
        if structural {
            return Err(PartnerError::Structural {
                list,
                keys: changed.join(", "),
            });
        }
        Ok(Partner {
            overrides,
            settings,
        })
    }

    /// The partner's settings when the shared ones become `base`: `base` with
    /// this partner's own keys on top.
    pub fn rebased(&self, base: &Settings) -> Result<Partner, PartnerError> {
        Partner::from_overrides(base, self.overrides.clone())
    }

    /// "loss = nll, margin = 0.5": the caption of the partner's run.
    pub fn label(&self) -> String {
        self.overrides
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the partner keeps its own value of `key` (a shared change of it
    /// does not apply to this partner).
    pub fn overrides_key(&self, key: &str) -> bool {
        self.overrides.iter().any(|(k, _)| k == key)
    }
}

fn list_text(overrides: &[(String, String)]) -> String {
    overrides
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The partners of `base`, at most [`MAX_PARTNERS`].
pub fn partners_from(base: &Settings, lists: &[String]) -> Result<Vec<Partner>, PartnerError> {
    if lists.len() > MAX_PARTNERS {
        return Err(PartnerError::TooMany(lists.len()));
    }
    lists.iter().map(|l| Partner::parse(base, l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_differs_in_live_keys_only() {
        let base = Settings::default();
        let p = Partner::parse(&base, "loss=nll, lr=0.02").expect("live keys");
        assert_eq!(p.settings.loss.name(), "nll");
        assert_eq!(p.label(), "loss = nll, lr = 0.02");
        assert!(p.overrides_key("loss") && !p.overrides_key("margin"));
        let e = Partner::parse(&base, "hidden=5").expect_err("structural");
        assert!(e.to_string().contains("initial weights"), "{e}");
        let e = Partner::parse(&base, "loss").expect_err("no value");
        assert!(e.to_string().contains("KEY=VALUE"), "{e}");
        let e = Partner::parse(&base, "loss=foo").expect_err("bad value");
        assert!(e.to_string().contains("square-square"), "{e}");
        assert!(Partner::parse(&base, " , ").is_err());
        let e = Partner::parse(&base, "loss=nll,loss=log").expect_err("repeated key");
        assert!(e.to_string().contains("`loss` is given twice"), "{e}");
    }

    #[test]
    fn a_rebased_partner_keeps_its_own_keys() {
        let base = Settings::default();
        let p = Partner::parse(&base, "loss=nll").expect("partner");
        let moved = base
            .with_changes([("lr", "0.03"), ("loss", "hinge")])
            .expect("base");
        let q = p.rebased(&moved).expect("rebased");
        assert_eq!(q.settings.loss.name(), "nll");
        assert_eq!(q.settings.lr, 0.03);
    }
}
