//! Where the settings came from (a preset or a file) and what follows from it:
//! the window title, the banner's explanation and the story saved with the
//! settings. Once the user changes the lesson's settings, its story no longer
//! describes the run: the title, banner and saved story then describe the
//! settings in force instead.

use crate::model::{Architecture, Loss, State};
use crate::settings::Settings;

#[derive(Clone, Debug)]
pub struct Lesson {
    /// The preset's name, or the file's name, or "ebm-lab".
    pub name: String,
    /// The settings as loaded.
    pub settings: Settings,
    pub story: String,
    /// A lecture scene: its caption is the whole instruction (no "Try it").
    pub lecture: bool,
    /// The lesson shows a collapse (no "still collapsed" warning).
    pub expects_collapse: bool,
}

impl Lesson {
    pub fn new(name: impl Into<String>, settings: Settings, story: impl Into<String>) -> Lesson {
        Lesson {
            name: name.into(),
            settings,
            story: story.into(),
            lecture: false,
            expects_collapse: false,
        }
    }

    /// The lesson a start opens on: the preset as it ships (so a start that
    /// changed it, a link's `loss=nll`, is explained as the settings in force,
    /// not by the preset's story), else `settings` themselves (a file).
    pub fn for_start(preset: Option<&str>, settings: &Settings, story: String) -> Lesson {
        let found = preset.and_then(|p| {
            crate::presets::all_presets()
                .ok()?
                .into_iter()
                .find(|x| x.name == p)
        });
        match found {
            Some(p) => Lesson::new(p.name, p.settings, story).expecting(p.expect),
            None => Lesson::new(preset.unwrap_or("ebm-lab"), settings.clone(), story),
        }
    }

    /// The lesson of a lecture scene (expecting a collapse or not).
    pub fn in_lecture(mut self, expects_collapse: bool) -> Lesson {
        self.lecture = true;
        self.expects_collapse = expects_collapse;
        self
    }

    /// The lesson of a preset that promises `expect`.
    pub fn expecting(mut self, expect: crate::presets::Expect) -> Lesson {
        self.expects_collapse = expect == crate::presets::Expect::Collapsed;
        self
    }

    /// Whether `now` is still this lesson (a new seed keeps it).
    pub fn matches(&self, now: &Settings) -> bool {
        let mut a = now.clone();
        a.seed = self.settings.seed;
        a == self.settings
    }

    /// The window title for the settings `now`.
    pub fn title(&self, now: &Settings) -> String {
        if self.matches(now) {
            format!("ebm-lab · {}", self.name)
        } else {
            format!(
                "ebm-lab · {} · {} loss (changed from {})",
                now.architecture.name(),
                now.loss.info().name,
                self.name
            )
        }
    }

    /// The story to save with the settings `now`.
    pub fn story_for(&self, now: &Settings) -> String {
        if self.matches(now) {
            self.story.clone()
        } else {
            format!(
                "{} architecture, {} loss on the {} data (changed from {})",
                now.architecture.name(),
                now.loss.info().name,
                now.dataset.name(),
                self.name
            )
        }
    }

    /// The story, with the hint to switch the loss while the lesson is the
    /// energy loss collapsing a dual model.
    pub fn story_with_hint(&self, now: &Settings) -> String {
        if !self.lecture && now.loss == Loss::Energy && now.architecture == Architecture::Dual {
            format!(
                "{}  Try it: while it runs, switch the loss to square-square or nll.",
                self.story
            )
        } else {
            self.story.clone()
        }
    }
}

/// One or two sentences on what the current loss does and what the state means.
pub fn explain(s: &Settings, state: State) -> String {
    let info = s.loss.info();
    let what = format!(
        "{} loss ({}): pulls {}.",
        info.name, info.formula, info.pulls
    );
    let contrastive = s.loss.contrast() != crate::model::Contrast::None;
    let now = match (state, contrastive) {
        (State::Training, _) => "Training: watch the valley form along the data.",
        (State::Learned, _) => "Learned: the lowest energy follows the data.",
        (State::Collapsed, false) => {
            "Collapsed: nothing pushes wrong answers up, so the surface is flat and low everywhere. \
             Switch to a contrastive loss (square-square, nll) to lift it."
        }
        (State::Collapsed, true) => {
            "Collapsed: the push-up term is lifting the surface back; a deep collapse can take a while."
        }
        (State::Diverged, _) => "Diverged: reset to recover.",
    };
    format!("{what} {now}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_loss_is_no_longer_the_lesson() {
        let s = Settings::default();
        let lesson = Lesson::new("dual-energy", s.clone(), "Energy alone collapses.");
        assert!(lesson.matches(&s));
        assert_eq!(lesson.title(&s), "ebm-lab · dual-energy");
        let reseeded = Settings {
            seed: s.seed + 1,
            ..s.clone()
        };
        assert!(lesson.matches(&reseeded), "a new seed keeps the lesson");
        let other = Settings {
            loss: if s.loss == Loss::Nll {
                Loss::Energy
            } else {
                Loss::Nll
            },
            ..s.clone()
        };
        assert!(!lesson.matches(&other));
        let title = lesson.title(&other);
        assert!(title.contains(other.loss.info().name), "{title}");
        assert!(title.contains("changed from dual-energy"), "{title}");
        let story = lesson.story_for(&other);
        assert!(!story.contains("Energy alone"), "{story}");
        assert!(story.contains(other.loss.info().name), "{story}");
    }

    #[test]
    fn explanations_follow_loss_and_state() {
        let s = Settings {
            loss: Loss::Energy,
            ..Settings::default()
        };
        assert!(explain(&s, State::Collapsed).contains("Switch to a contrastive loss"));
        let nll = Settings {
            loss: Loss::Nll,
            ..Settings::default()
        };
        let e = explain(&nll, State::Learned);
        assert!(e.starts_with("nll loss") && e.contains("Learned"), "{e}");
        assert!(!e.contains("energy loss"), "{e}");
    }
}
