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

use crate::model::plane::presets::{plane_preset, PlanePreset};
use crate::model::plane::settings::apply_all;
use crate::model::plane::PlaneSpec;
use crate::model::State;
use crate::presets::{all_presets, load_preset, Expect};
use crate::settings::partner::partners_from;
use crate::settings::{Settings, MAX_STEPS};

/// The lecture that ships with the program: the paper, demo by demo.
pub const PAPER: &str = include_str!("../../../assets/lectures/paper.toml");
/// The second built-in lecture: latent variables and the free energy.
pub const LATENT: &str = include_str!("../../../assets/lectures/latent.toml");
/// The sampling lecture (assets/lectures/sampling.toml).
pub const SAMPLING: &str = include_str!("../../../assets/lectures/sampling.toml");

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
    /// Steps per second the window plays the scene at ([`LECTURE_SPEED`]
    /// unless the scene says `speed`): slow enough for a class to watch.
    pub speed: f64,
    /// What the scene's preset promises (the window's warnings follow it:
    /// no "still collapsed" in a scene that shows a collapse).
    pub expect: Option<Expect>,
    pub events: Vec<Event>,
    /// A scene of the latent-variable lessons (its `preset` is a plane
    /// preset): the window shows the plane and `settings` is unused.
    pub plane: Option<PlaneScene>,
}

/// A scene whose answers are points of the plane.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaneScene {
    pub preset: &'static str,
    /// The preset's spec with the scene's `set` on top.
    pub spec: PlaneSpec,
    /// The x the plane is drawn at (a conditional set), if the scene says.
    pub x: Option<f64>,
}

/// The steps per second a scene plays at in the window unless it says
/// `speed` (the working window's default is 1,000: a lecture is slower, so
/// the class sees the beads move and the valley form).
pub const LECTURE_SPEED: f64 = 300.0;
/// The allowed `speed` of a scene, steps per second (the window's slider).
pub const SPEED_RANGE: (f64, f64) = (1.0, 100_000.0);
/// The longest `hold` of an event, seconds.
pub const MAX_HOLD: f64 = 60.0;

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
    /// Seconds the window holds the run paused at the event, its text shown,
    /// before `set` applies and training goes on (so the class sees the
    /// collapse before the switch lifts it). The handout applies `set` at once.
    pub hold: f64,
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

/// The one event engine of the window and the handout: which of a scene's
/// events have fired, and which a run at a step and state has reached now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventClock {
    fired: Vec<bool>,
}

impl EventClock {
    /// A scene's clock, nothing fired yet.
    pub fn new(events: &[Event]) -> EventClock {
        EventClock {
            fired: vec![false; events.len()],
        }
    }

    /// The events of `events` (the scene's, as given to [`Self::new`]) that
    /// a run at `step` in `state` has reached and that have not fired,
    /// marked fired: each fires once, in file order.
    pub fn due<'a>(&mut self, events: &'a [Event], step: u64, state: State) -> Vec<&'a Event> {
        self.fired.resize(events.len(), false);
        events
            .iter()
            .zip(self.fired.iter_mut())
            .filter(|(e, fired)| !**fired && e.at.reached(step, state))
            .map(|(e, fired)| {
                *fired = true;
                e
            })
            .collect()
    }
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
    speed: Option<f64>,
    /// A plane scene's x.
    x: Option<f64>,
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
    hold: Option<f64>,
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

/// The longest error text a lecture file's TOML gives before it is cut (a
/// deeply nested value would otherwise make a line of kilobytes).
const MAX_MESSAGE: usize = 200;

/// A TOML error's message as one short line.
fn short_message(e: &toml::de::Error) -> String {
    let mut m = e.message().trim().replace('\n', " ");
    if m.len() > MAX_MESSAGE {
        let cut = (0..=MAX_MESSAGE)
            .rev()
            .find(|&i| m.is_char_boundary(i))
            .unwrap_or(0);
        m.truncate(cut);
        m.push('…');
    }
    m
}

/// A TOML syntax error as one short line: the line it is on and the message.
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", short_message(e))
        }
        None => short_message(e),
    }
}

impl Lecture {
    /// Reads and checks a lecture; errors are one line naming the scene.
    pub fn from_toml(text: &str) -> Result<Lecture, String> {
        let mut table: toml::Table = text.parse().map_err(|e| toml_message(&e, text))?;
        if let Some(k) = table.keys().find(|k| *k != "title" && *k != "scene") {
            return Err(format!(
                "unknown key `{k}`; a lecture has `title` and [[scene]] tables"
            ));
        }
        let title = match table.remove("title") {
            Some(toml::Value::String(t)) => t,
            Some(_) => return Err("`title` must be a string".into()),
            None => return Err("missing `title`".into()),
        };
        let raw = match table.remove("scene") {
            Some(toml::Value::Array(a)) if !a.is_empty() => a,
            Some(toml::Value::Array(_)) | None => {
                return Err("a lecture needs at least one [[scene]]".into())
            }
            Some(_) => return Err("`scene` must be [[scene]] tables".into()),
        };
        let scenes = raw
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let name = match v.get("title") {
                    Some(toml::Value::String(t)) => format!("scene {} ({t:?})", i + 1),
                    _ => format!("scene {}", i + 1),
                };
                SceneFile::deserialize(v)
                    .map_err(|e| short_message(&e))
                    .and_then(scene_from)
                    .map_err(|e| format!("{name}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Lecture { title, scenes })
    }

    /// The lecture that ships with the program.
    pub fn paper() -> Result<Lecture, String> {
        Lecture::from_toml(PAPER)
    }

    /// The built-in lecture on latent variables.
    pub fn latent() -> Result<Lecture, String> {
        Lecture::from_toml(LATENT)
    }

    /// The built-in lecture on search, descent and sampling.
    pub fn sampling() -> Result<Lecture, String> {
        Lecture::from_toml(SAMPLING)
    }
}

/// A scene's pace: its `speed` or the lecture's, in range.
fn speed_from(speed: Option<f64>) -> Result<f64, String> {
    let speed = speed.unwrap_or(LECTURE_SPEED);
    let (lo, hi) = SPEED_RANGE;
    if !(lo..=hi).contains(&speed) {
        return Err(format!(
            "speed = {speed} is not allowed; allowed: {lo} ..= {hi} (steps per second)"
        ));
    }
    Ok(speed)
}

/// A scene on a plane preset: `set` in the plane's keys, no partners, and
/// events that pause or show (a plane run has no live switch by script).
fn plane_scene_from(s: SceneFile, p: PlanePreset) -> Result<Scene, String> {
    let set: Vec<String> = pairs_of(&s.set)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let spec = apply_all(&p.spec, &set)?;
    if !s.compare.is_empty() {
        return Err("compare is not available in a plane scene".into());
    }
    if let Some(x) = s.x.filter(|x| !x.is_finite()) {
        return Err(format!("x = {x} is not allowed; allowed: a finite number"));
    }
    let events = s
        .events
        .into_iter()
        .map(|e| {
            if !e.set.is_empty() || e.hold.is_some() {
                return Err(format!(
                    "event at {}: a plane scene's events may pause and show only",
                    e.at
                ));
            }
            event_from(e, &Settings::default())
        })
        .collect::<Result<_, _>>()?;
    Ok(Scene {
        title: s.title,
        caption: s.caption,
        watch: s.watch,
        settings: Settings::default(),
        compare: Vec::new(),
        steps: steps_from(s.steps.unwrap_or(p.steps))?,
        speed: speed_from(s.speed)?,
        expect: Some(p.expect),
        events,
        plane: Some(PlaneScene {
            preset: p.name,
            spec,
            x: s.x,
        }),
    })
}

fn scene_from(s: SceneFile) -> Result<Scene, String> {
    if let Some(p) = plane_preset(&s.preset) {
        return plane_scene_from(s, p);
    }
    if s.x.is_some() {
        return Err("x is for plane scenes (a plane preset) only".into());
    }
    let (base, _) = load_preset(&s.preset).map_err(|e| e.to_string())?;
    let set = pairs_of(&s.set);
    let settings = base
        .with_changes(set.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| e.to_string())?;
    partners_from(&settings, &s.compare).map_err(|e| format!("compare {e}"))?;
    let preset = all_presets()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|p| p.name == s.preset);
    let preset_steps = preset.as_ref().map_or(5000, |p| p.steps);
    let speed = speed_from(s.speed)?;
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
        steps: steps_from(s.steps.unwrap_or(preset_steps))?,
        speed,
        expect: preset.map(|p| p.expect),
        events,
        plane: None,
    })
}

/// A scene's `steps`: at least one, at most what `train --steps` allows.
fn steps_from(steps: u64) -> Result<u64, String> {
    if (1..=MAX_STEPS).contains(&steps) {
        Ok(steps)
    } else {
        Err(format!(
            "steps = {steps} is not allowed; allowed: 1 ..= {MAX_STEPS}"
        ))
    }
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
    let hold = e.hold.unwrap_or(0.0);
    if !(0.0..=MAX_HOLD).contains(&hold) {
        return Err(format!(
            "event at {}: hold = {hold} is not allowed; allowed: 0 ..= {MAX_HOLD} (seconds)",
            e.at
        ));
    }
    Ok(Event {
        at,
        pause: e.pause,
        show: e.show,
        set,
        hold,
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
    fn the_sampling_lecture_reads_with_its_density_scenes() {
        let l = Lecture::sampling().expect("the sampling lecture");
        assert!((6..=10).contains(&l.scenes.len()), "{}", l.scenes.len());
        for s in &l.scenes {
            match s.plane.as_ref() {
                Some(plane) => assert!(plane.spec.density, "{}", s.title),
                // The one line scene: the eye, the grid beside descent.
                None => assert!(
                    s.compare.iter().any(|c| c.contains("inference=descent")),
                    "{}",
                    s.title
                ),
            }
        }
        let exact = l.scenes[1].plane.as_ref().map(|p| p.spec.inference.kind);
        assert_eq!(exact, Some(crate::model::plane::run::InferenceKind::Grid));
    }

    #[test]
    fn the_latent_lecture_reads_with_its_plane_scenes() {
        let l = Lecture::latent().expect("the latent lecture");
        assert!(
            (6..=10).contains(&l.scenes.len()),
            "{} scenes",
            l.scenes.len()
        );
        assert!(l.scenes.iter().all(|s| s.plane.is_some()));
        let warm = &l.scenes[1];
        assert_eq!(warm.plane.as_ref().map(|p| p.spec.latent.beta), Some(2.0));
        let horn = &l.scenes[l.scenes.len() - 1];
        assert_eq!(horn.plane.as_ref().and_then(|p| p.x), Some(0.9));
        let bad = |body: &str| {
            Lecture::from_toml(&format!(
                "title = \"t\"\n[[scene]]\ntitle = \"s\"\npreset = \"ellipse-zero-t\"\ncaption = \"c\"\n{body}"
            ))
            .expect_err(body)
        };
        assert!(bad("set = { latent_beta = 0 }").contains("latent_beta"));
        assert!(bad("compare = [\"loss=nll\"]").contains("compare"));
        let e = bad("[[scene.event]]\nat = \"learned\"\nset = { loss = \"nll\" }");
        assert!(e.contains("pause and show only"), "{e}");
        assert!(bad("x = nan").contains("x = "));
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
            (
                "steps = 0",
                "steps = 0 is not allowed; allowed: 1 ..= 1000000000",
            ),
            ("steps = 1000000000000", "allowed: 1 ..= 1000000000"),
            ("watch = 3", "string"),
            ("speed = 0", "speed = 0 is not allowed"),
            (
                "[[scene.event]]\nat = \"collapsed\"\npause = true\nhold = 61",
                "hold = 61",
            ),
        ];
        for (body, want) in cases {
            let e = Lecture::from_toml(&scene(body)).expect_err(body);
            assert!(e.contains("scene 1 (\"one\")"), "{body}: {e}");
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

    #[test]
    fn structure_errors_are_short_and_name_their_scene() {
        let ok = "[[scene]]\ntitle = \"a\"\npreset = \"dual-energy\"\ncaption = \"c\"\n";
        let text =
            format!("title = \"t\"\n{ok}[[scene]]\ntitle = \"b\"\npreset = 3\ncaption = \"c\"\n");
        let e = Lecture::from_toml(&text).expect_err("preset = 3");
        assert!(e.starts_with("scene 2 (\"b\")"), "{e}");
        let deep = format!(
            "title = \"t\"\n{ok}x = {}1{}\n",
            "[".repeat(3000),
            "]".repeat(3000)
        );
        let e = Lecture::from_toml(&deep).expect_err("deep nesting");
        assert!(
            e.len() < 400 && !e.contains('\n'),
            "{} bytes: {e:.400}",
            e.len()
        );
        let e = Lecture::from_toml(&format!("title = \"t\"\nextra = 1\n{ok}")).expect_err("extra");
        assert!(e.contains("`extra`"), "{e}");
    }

    #[test]
    fn each_event_fires_once_when_reached_in_file_order() {
        let event = |at, show: &str| Event {
            at,
            pause: false,
            show: Some(show.into()),
            set: vec![],
            hold: 0.0,
        };
        let events = [
            event(Trigger::State(State::Collapsed), "a"),
            event(Trigger::Step(500), "b"),
            event(Trigger::Step(100), "c"),
        ];
        let mut clock = EventClock::new(&events);
        let shown = |due: Vec<&Event>| -> Vec<String> {
            due.iter().filter_map(|e| e.show.clone()).collect()
        };
        assert!(clock.due(&events, 50, State::Training).is_empty());
        assert_eq!(shown(clock.due(&events, 100, State::Training)), ["c"]);
        assert_eq!(shown(clock.due(&events, 600, State::Collapsed)), ["a", "b"]);
        assert!(clock.due(&events, 700, State::Collapsed).is_empty());
    }
}
