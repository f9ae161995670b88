//! Lectures: a TOML file of scenes (`assets/lectures/*.toml`), each a preset
//! (plus settings on top), optional compare partners, a caption a student can
//! read from the back, what to watch, and scripted events ("at collapsed,
//! pause and show: now switch to nll"). Everything is checked when the file
//! is read, so a bad scene is a one-line error naming the scene and the key,
//! never a surprise in front of the class. The window plays a lecture
//! (`ebm-lab lecture`, `gui/app/lecture.rs`); `ebm-lab lecture --export DIR`
//! draws one picture a scene (`cli/lecture.rs`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::State;
use crate::presets::{all_presets, load_preset};
use crate::settings::partner::partners_from;
use crate::settings::Settings;

/// The lecture that ships with the program: the paper, demo by demo.
pub const PAPER: &str = include_str!("../assets/lectures/paper.toml");

#[derive(Clone, Debug, PartialEq)]
pub struct Lecture {
    pub title: String,
    pub scenes: Vec<Scene>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub title: String,
    pub caption: String,
    pub watch: String,
    /// The preset with the scene's `set` on top.
    pub settings: Settings,
    /// Partners (`loss=nll`), as `ebm-lab compare --with` takes them.
    pub compare: Vec<String>,
    /// How long the scene's picture trains in `--export` (and a hint for the window).
    pub steps: u64,
    pub events: Vec<Event>,
}

/// When an event fires: the window's run reaching a state, or a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    State(State),
    Step(u64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at: Trigger,
    pub pause: bool,
    pub show: Option<String>,
    /// Live settings changed when the event fires (a scripted switch).
    pub set: Vec<(String, String)>,
}

impl Trigger {
    /// Whether a run at `step` in `state` has reached the trigger.
    pub fn reached(self, step: u64, state: State) -> bool {
        match self {
            Trigger::State(s) => s == state,
            Trigger::Step(n) => step >= n,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LectureFile {
    title: String,
    #[serde(rename = "scene", default)]
    scenes: Vec<SceneFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SceneFile {
    title: String,
    preset: String,
    caption: String,
    #[serde(default)]
    watch: String,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    #[serde(default)]
    compare: Vec<String>,
    steps: Option<u64>,
    #[serde(rename = "event", default)]
    events: Vec<EventFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    at: String,
    #[serde(default)]
    pause: bool,
    show: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
}

/// A TOML value as the settings read it ("nll", 0.5, 20).
fn text_of(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pairs_of(map: &BTreeMap<String, toml::Value>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), text_of(v))).collect()
}

impl Lecture {
    /// Reads and checks a lecture; errors are one line naming the scene.
    pub fn from_toml(text: &str) -> Result<Lecture, String> {
        let file: LectureFile = toml::from_str(text)
            .map_err(|e| e.to_string().replace('\n', " ").trim().to_string())?;
        if file.scenes.is_empty() {
            return Err("a lecture needs at least one [[scene]]".into());
        }
        let scenes = file
            .scenes
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let title = s.title.clone();
                scene_from(s).map_err(|e| format!("scene {} ({title:?}): {e}", i + 1))
            })
            .collect::<Result<_, _>>()?;
        Ok(Lecture {
            title: file.title,
            scenes,
        })
    }

    /// The lecture that ships with the program.
    pub fn paper() -> Result<Lecture, String> {
        Lecture::from_toml(PAPER)
    }
}

fn scene_from(s: SceneFile) -> Result<Scene, String> {
    let (base, _) = load_preset(&s.preset).map_err(|e| e.to_string())?;
    let set = pairs_of(&s.set);
    let settings = base
        .with_changes(set.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| e.to_string())?;
    partners_from(&settings, &s.compare).map_err(|e| format!("compare {e}"))?;
    let preset_steps = all_presets()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|p| p.name == s.preset)
        .map_or(5000, |p| p.steps);
    let events = s
        .events
        .into_iter()
        .map(|e| event_from(e, &settings))
        .collect::<Result<_, _>>()?;
    Ok(Scene {
        title: s.title,
        caption: s.caption,
        watch: s.watch,
        settings,
        compare: s.compare,
        steps: s.steps.unwrap_or(preset_steps).max(1),
        events,
    })
}

fn event_from(e: EventFile, settings: &Settings) -> Result<Event, String> {
    let at = trigger_from(&e.at)?;
    let set = pairs_of(&e.set);
    let changed = settings
        .with_changes(set.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|err| format!("event at {}: {err}", e.at))?;
    let (keys_changed, structural) = settings.diff(&changed);
    if structural {
        return Err(format!(
            "event at {}: {} would reset the model; an event may change live settings only",
            e.at,
            keys_changed.join(", ")
        ));
    }
    if !e.pause && e.show.is_none() && set.is_empty() {
        return Err(format!(
            "event at {}: does nothing (give pause, show or set)",
            e.at
        ));
    }
    Ok(Event {
        at,
        pause: e.pause,
        show: e.show,
        set,
    })
}

/// `collapsed`, `learned`, `training`, `diverged` or `step N`.
fn trigger_from(text: &str) -> Result<Trigger, String> {
    let t = text.trim();
    let states = [
        State::Collapsed,
        State::Learned,
        State::Training,
        State::Diverged,
    ];
    if let Some(state) = states.into_iter().find(|s| s.name() == t) {
        return Ok(Trigger::State(state));
    }
    t.strip_prefix("step")
        .and_then(|n| n.trim().parse::<u64>().ok())
        .map(Trigger::Step)
        .ok_or_else(|| {
            format!("event at {text:?} is not allowed; allowed: collapsed | learned | training | diverged | step N")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_lecture_reads() {
        let l = Lecture::paper().expect("the paper lecture");
        assert!(l.scenes.len() >= 10, "{} scenes", l.scenes.len());
        assert!(l.scenes.iter().any(|s| !s.compare.is_empty()));
        assert!(l
            .scenes
            .iter()
            .any(|s| s.events.iter().any(|e| !e.set.is_empty())));
    }

    #[test]
    fn bad_scenes_are_named() {
        let scene = |body: &str| {
            format!("title = \"t\"\n[[scene]]\ntitle = \"one\"\npreset = \"dual-energy\"\ncaption = \"c\"\n{body}")
        };
        let cases = [
            ("set = { loss = \"foo\" }", "square-square"),
            ("compare = [\"hidden=3\"]", "initial weights"),
            ("[[scene.event]]\nat = \"soon\"\npause = true", "step N"),
            ("[[scene.event]]\nat = \"collapsed\"", "does nothing"),
            (
                "[[scene.event]]\nat = \"collapsed\"\nset = { hidden = 3 }",
                "live settings only",
            ),
            ("colour = 3", "colour"),
        ];
        for (body, want) in cases {
            let e = Lecture::from_toml(&scene(body)).expect_err(body);
            assert!(
                e.contains("scene 1 (\"one\")") || e.contains("colour"),
                "{body}: {e}"
            );
            assert!(e.contains(want), "{body}: {e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
        let e = Lecture::from_toml(
            "title = \"t\"\n[[scene]]\ntitle = \"x\"\npreset = \"nope\"\ncaption = \"c\"",
        )
        .expect_err("unknown preset");
        assert!(e.contains("dual-energy"), "{e}");
        assert!(Lecture::from_toml("title = \"empty\"").is_err());
    }
}
