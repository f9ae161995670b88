//! The state of the page in its URL fragment, so that a link shares the exact
//! demo: `#preset=dual-nll&lr=0.02&seed=3`. The keys are the settings' own
//! (the same as `--set key=value` and the TOML files) plus `preset`, the
//! starting point the other keys change (the default preset when absent),
//! `with` (repeatable: a compare partner, `with=loss%3Dnll` as `ebm-lab
//! compare --with loss=nll`) and `scene` (a scene of the built-in lecture,
//! 1-based: the page plays the lecture from there).
//!
//! Pure text in, settings out: compiled and tested on every target.

use crate::presets::{load_preset, DEFAULT_PRESET};
use crate::settings::resolve;
use crate::settings::{keys, Settings};

/// What a link starts the page with.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    pub settings: Settings,
    pub story: String,
    pub preset: Option<String>,
    /// Compare partners (`loss=nll`), checked against `settings`.
    pub compare: Vec<String>,
    /// The built-in lecture's scene to open on (0-based).
    pub scene: Option<usize>,
    /// `latent=NAME`: open on the latent-variable lessons, this plane preset.
    pub plane: Option<String>,
}

/// The page's start without a fragment: the default preset.
pub fn default_start() -> Start {
    let (settings, story) = load_preset(DEFAULT_PRESET).unwrap_or_default();
    Start {
        settings,
        story,
        preset: Some(DEFAULT_PRESET.to_string()),
        compare: Vec::new(),
        scene: None,
        plane: None,
    }
}

/// Reads a fragment (with or without its `#`). An empty one is the default
/// start; a malformed pair, an unknown key or a value out of range is refused
/// whole with a one-line message naming it.
pub fn parse(fragment: &str) -> Result<Start, String> {
    let text = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut preset = None;
    let mut pairs = Vec::new();
    let mut compare = Vec::new();
    let mut scene = None;
    let mut plane = None;
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!("link: `{part}` is not key=value"));
        };
        let (k, v) = (decode(k)?, decode(v)?);
        match k.as_str() {
            "preset" => preset = Some(v),
            "with" => compare.push(v),
            "scene" => scene = Some(scene_from(&v)?),
            "latent" => plane = Some(plane_from(&v)?),
            _ => pairs.push((k, v)),
        }
    }
    let name = preset.clone().unwrap_or_else(|| DEFAULT_PRESET.to_string());
    let (_, story) = load_preset(&name).map_err(|e| format!("link: {e}"))?;
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(k) = resolve::repeated_key(&pairs) {
        return Err(format!("link: `{k}` is given twice; give each key once"));
    }
    let settings =
        resolve::resolve(Some(&name), None, &pairs).map_err(|e| format!("link: {e:#}"))?;
    if settings.dataset == crate::model::DatasetKind::Custom {
        return Err(
            "link: dataset = custom: a link cannot carry the points of a loaded or drawn set; open or drop its CSV on the page instead".into(),
        );
    }
    crate::settings::partner::partners_from(&settings, &compare)
        .map_err(|e| format!("link: with {e}"))?;
    Ok(Start {
        settings,
        story,
        preset: Some(name),
        compare,
        scene,
        plane,
    })
}

/// `latent=NAME`: a plane preset (`ebm-lab latent --list`).
fn plane_from(v: &str) -> Result<String, String> {
    match crate::model::plane::presets::plane_preset(v) {
        Some(p) => Ok(p.name.to_string()),
        None => {
            let names: Vec<&str> = crate::model::plane::presets::plane_presets()
                .iter()
                .map(|p| p.name)
                .collect();
            Err(format!(
                "link: latent = {v:?} is not a plane preset; allowed: {}",
                names.join(", ")
            ))
        }
    }
}

/// `scene=N`: 1 ..= the built-in lecture's scenes, returned 0-based.
fn scene_from(v: &str) -> Result<usize, String> {
    let n = crate::lecture::Lecture::paper()
        .map(|l| l.scenes.len())
        .unwrap_or(0);
    v.parse::<usize>()
        .ok()
        .filter(|s| (1..=n).contains(s))
        .map(|s| s - 1)
        .ok_or_else(|| format!("link: scene = {v:?} is not allowed; allowed: 1 ..= {n}"))
}

/// The fragment of the page's modes, to append to [`encode`]'s: its compare
/// partners and its lecture scene (0-based), if any.
pub fn encode_modes(compare: &[String], scene: Option<usize>) -> String {
    let mut parts: Vec<String> = compare
        .iter()
        .map(|w| format!("with={}", encode_value(w)))
        .collect();
    if let Some(s) = scene {
        parts.push(format!("scene={}", s + 1));
    }
    parts.join("&")
}

/// The fragment (without `#`) that [`parse`] turns back into `settings`: the
/// preset's name and the keys whose values differ from it.
pub fn encode(settings: &Settings, preset: Option<&str>) -> String {
    let base = preset
        .and_then(|p| load_preset(p).ok())
        .map(|(s, _)| s)
        .or_else(|| load_preset(DEFAULT_PRESET).ok().map(|(s, _)| s))
        .unwrap_or_default();
    let name = preset.filter(|p| load_preset(p).is_ok());
    let mut parts: Vec<String> = name
        .map(|p| format!("preset={}", encode_value(p)))
        .into_iter()
        .collect();
    // A link cannot carry a loaded or drawn set's points (`parse` refuses
    // `dataset = custom`): it keeps the preset's data, and the page says so.
    let custom = settings.dataset == crate::model::DatasetKind::Custom;
    for key in keys() {
        if custom && matches!(key.name, "dataset" | "data") {
            continue;
        }
        let (Some(v), old) = (settings.get(key.name), base.get(key.name)) else {
            continue;
        };
        if Some(&v) != old.as_ref() {
            parts.push(format!("{}={}", key.name, encode_value(&v)));
        }
    }
    parts.join("&")
}

/// Percent-encodes everything but the URL-safe characters.
fn encode_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes percent-encoding (and `+` as a space); bad escapes are refused.
fn decode(v: &str) -> Result<String, String> {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = v
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(b) = hex else {
                    return Err(format!("link: bad %-escape in `{v}`"));
                };
                out.push(b);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("link: `{v}` is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Loss;

    #[test]
    fn empty_fragment_is_the_default_preset() {
        assert_eq!(parse("").unwrap(), default_start());
        assert_eq!(parse("#").unwrap(), default_start());
    }

    #[test]
    fn keys_change_the_preset() {
        let s = parse("#preset=dual-square-square&loss=nll&lr=0.02").unwrap();
        let (base, _) = load_preset("dual-square-square").unwrap();
        assert_eq!(s.settings.loss, Loss::Nll);
        assert_eq!(s.settings.lr, 0.02);
        assert_eq!(s.settings.hidden, base.hidden);
        assert_eq!(s.preset.as_deref(), Some("dual-square-square"));
    }

    #[test]
    fn a_custom_set_is_left_out_of_the_link_which_still_opens() {
        let (base, _) = load_preset("dual-nll").unwrap();
        let custom = base
            .with_changes([("dataset", "custom"), ("data", "pts.csv"), ("lr", "0.02")])
            .unwrap();
        let frag = encode(&custom, Some("dual-nll"));
        assert!(
            !frag.contains("dataset") && !frag.contains("data="),
            "{frag}"
        );
        let back = parse(&frag).unwrap();
        assert_eq!(back.settings.lr, 0.02);
        assert_eq!(back.settings.dataset, base.dataset);
    }

    #[test]
    fn bad_fragments_are_refused_with_the_key() {
        for (frag, needle) in [
            ("#loss=nope", "loss"),
            ("#lr=-1", "lr"),
            ("#bogus=1", "bogus"),
            ("#preset=none", "preset"),
            ("#lr", "lr"),
            ("#lr=%zz", "%-escape"),
            ("#loss=nll&loss=hinge", "`loss` is given twice"),
            ("#dataset=custom&data=sine.csv", "dataset = custom"),
            ("#dataset=custom&data=%28drawn%29", "dataset = custom"),
            ("#data=nothere.csv", "dataset = custom"),
        ] {
            let e = parse(frag).unwrap_err();
            assert!(e.starts_with("link: ") && e.contains(needle), "{frag}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn encode_round_trips() {
        let base = default_start().settings;
        let changed = base
            .with_changes([
                ("loss", "nll"),
                ("lr", "0.125"),
                ("seed", "7"),
                ("noise", "0.05"),
            ])
            .unwrap();
        for (s, p) in [
            (&base, Some(DEFAULT_PRESET)),
            (&changed, Some(DEFAULT_PRESET)),
            (&changed, Some("eye-nll")),
            (&changed, None),
        ] {
            let frag = encode(s, p);
            assert_eq!(&parse(&frag).unwrap().settings, s, "{frag}");
        }
        assert_eq!(encode(&base, Some(DEFAULT_PRESET)), "preset=dual-energy");
        let frag = encode(&changed, Some(DEFAULT_PRESET));
        assert!(
            frag.contains("loss=nll") && frag.contains("seed=7"),
            "{frag}"
        );
    }

    #[test]
    fn partners_and_the_lecture_scene_round_trip() {
        let frag = format!(
            "preset=dual-energy&{}",
            encode_modes(&["loss=nll,beta=1".into(), "loss=hinge".into()], Some(2))
        );
        let s = parse(&frag).unwrap();
        assert_eq!(s.compare, vec!["loss=nll,beta=1", "loss=hinge"]);
        assert_eq!(s.scene, Some(2));
        for (frag, needle) in [
            ("#with=hidden%3D3", "initial weights"),
            ("#with=loss", "KEY=VALUE"),
            ("#scene=0", "scene"),
            ("#latent=dual-nll", "latent"),
            ("#scene=999", "allowed: 1 ..="),
        ] {
            let e = parse(frag).unwrap_err();
            assert!(e.starts_with("link: ") && e.contains(needle), "{frag}: {e}");
        }
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode_value("a b/c"), "a%20b%2Fc");
        assert_eq!(decode("a%20b%2Fc").unwrap(), "a b/c");
        assert_eq!(decode("a+b").unwrap(), "a b");
    }
}
