//! The banner above the 3D view: a list of messages, each shown only while its
//! cause holds, in a strip of fixed height so that the 3D view never moves.
//!
//! [`messages`] is a pure function of what the window knows now, so a message
//! cannot go stale: when its cause is gone, it is not in the next frame's list.
//! To add a message, add a [`Cause`] and one `if` in [`messages`].

use egui::{Color32, RichText, Ui};

use super::lesson::{explain, Lesson};
use super::*;
use crate::scene::numfmt::eng;

/// Why a message is shown. The order is the order on screen (most urgent first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The trainer thread stopped (a panic); it can be restarted.
    TrainerStopped,
    /// The run diverged: the loss or an energy became non-finite.
    Diverged,
    /// A command was refused (the snapshot's error).
    Refused,
    /// The window's last action failed (a file, a setting); until the next one.
    ActionFailed,
    /// Training paused by itself at the run's first collapse: switch the loss.
    PausedAtCollapse,
    /// Collapsed for [`STUCK_STEPS`] steps under a contrastive loss.
    StuckCollapsed,
    /// The trainer's notice about the last accepted command, while it is fresh.
    Notice,
    /// What the surface shows: the lesson's story, or the current loss and state.
    Explain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Quiet,
    Warning,
    Error,
}

/// A button next to a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Reset,
    RestartTrainer,
}

impl Action {
    fn label(self) -> &'static str {
        match self {
            Action::Reset => "Reset",
            Action::RestartTrainer => "Restart trainer",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub cause: Cause,
    pub level: Level,
    pub text: String,
    pub action: Option<Action>,
}

/// What the messages are made from.
pub struct BannerInput<'a> {
    pub snap: &'a Snapshot,
    pub trainer_alive: bool,
    /// Steps the run has stayed collapsed under a contrastive loss.
    pub collapsed_for: Option<u64>,
    /// The trainer's notice, if still fresh.
    pub notice: Option<&'a str>,
    /// The window's own last error (e.g. a file that could not be read).
    pub action_error: Option<&'a str>,
    pub lesson: &'a Lesson,
    /// The key that resumes training (Space; P in a lecture, where Space moves on).
    pub resume_key: &'a str,
    /// A lecture scene's event is saying what the collapse means (its
    /// instruction stands; the banner only says how to go on).
    pub scene_speaks: bool,
}

fn msg(cause: Cause, level: Level, text: String, action: Option<Action>) -> Message {
    Message {
        cause,
        level,
        text,
        action,
    }
}

/// Every message whose cause holds now, most urgent first.
pub fn messages(input: &BannerInput) -> Vec<Message> {
    let snap = input.snap;
    let mut out = Vec::new();
    if !input.trainer_alive {
        let text = snap.error.clone().unwrap_or("the trainer stopped".into());
        out.push(msg(
            Cause::TrainerStopped,
            Level::Error,
            text,
            Some(Action::RestartTrainer),
        ));
        return out;
    }
    if snap.diverged() {
        out.push(msg(
            Cause::Diverged,
            Level::Error,
            divergence_text(snap),
            Some(Action::Reset),
        ));
    } else if let Some(err) = &snap.error {
        out.push(msg(Cause::Refused, Level::Error, err.clone(), None));
    }
    if let Some(e) = input.action_error {
        out.push(msg(Cause::ActionFailed, Level::Error, e.to_string(), None));
    }
    if snap.paused_on_collapse {
        let (level, text) = if input.scene_speaks {
            let key = input.resume_key;
            (
                Level::Quiet,
                format!("Paused at the collapse ({key} resumes)."),
            )
        } else {
            let text = format!(
                "{}   ({} resumes)",
                crate::session::COLLAPSE_NOTICE,
                input.resume_key
            );
            (Level::Warning, text)
        };
        out.push(msg(Cause::PausedAtCollapse, level, text, None));
    }
    // Not in a lesson that shows the collapse (d = 1 under square-square).
    let stuck = input.collapsed_for.is_some_and(|n| n >= STUCK_STEPS)
        && !(input.lesson.expects_collapse && input.lesson.matches(&snap.settings));
    if stuck && !snap.diverged() {
        out.push(msg(
            Cause::StuckCollapsed,
            Level::Warning,
            "Still collapsed: after a long collapse both nets answer the same constant and \
             square-square rarely recovers (nll does). Switch to nll, or Reset to start afresh."
                .into(),
            Some(Action::Reset),
        ));
    }
    if let Some(n) = input.notice {
        out.push(msg(Cause::Notice, Level::Quiet, n.to_string(), None));
    }
    if !snap.diverged() {
        let text = if input.lesson.matches(&snap.settings) {
            input.lesson.story_with_hint(&snap.settings)
        } else {
            explain(&snap.settings, snap.state())
        };
        out.push(msg(Cause::Explain, Level::Info, text, None));
    }
    out.sort_by_key(|m| m.cause);
    out
}

/// "Diverged at step N: …" with the trainer's reason (which names the values in
/// force at that step) and the values now, when the user changed them since.
pub fn divergence_text(snap: &Snapshot) -> String {
    let err = snap.error.clone().unwrap_or_default();
    // The trainer's text is "diverged at step N: …"; a refusal may follow on a new line.
    let first = err.lines().next().unwrap_or("diverged");
    let mut text = capitalise(first);
    let s = &snap.settings;
    let mut now = Vec::new();
    let lr = eng(s.lr, 3);
    if !first.contains(&format!("lr = {} ", s.lr)) {
        now.push(format!("lr = {lr}"));
    }
    if s.loss == Loss::Nll
        && first.contains("beta =")
        && !first.contains(&format!("beta = {} ", s.beta))
    {
        now.push(format!("β = {}", eng(s.beta, 3)));
    }
    if !now.is_empty() {
        text.push_str(&format!(". Now {}.", now.join(", ")));
    }
    text
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn level_color(ui: &Ui, level: Level) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (level, dark) {
        (Level::Error, true) => Color32::from_rgb(255, 110, 100),
        (Level::Error, false) => Color32::from_rgb(190, 20, 20),
        (Level::Warning, true) => Color32::from_rgb(245, 170, 60),
        (Level::Warning, false) => Color32::from_rgb(160, 85, 0),
        (Level::Info, _) => ui.visuals().text_color(),
        (Level::Quiet, _) => ui.visuals().weak_text_color(),
    }
}

/// Rows of text the strip holds before it scrolls.
pub const BANNER_ROWS: f32 = 3.0;

impl EbmApp {
    /// The messages now (empty before the first snapshot).
    pub fn banner_messages(&self) -> Vec<Message> {
        let Some(snap) = &self.snap else {
            return Vec::new();
        };
        let collapsed_for = self.stuck_since.map(|from| snap.step.saturating_sub(from));
        messages(&BannerInput {
            snap,
            trainer_alive: self.session.is_alive(),
            collapsed_for,
            notice: self.fresh_notice(),
            action_error: self
                .message
                .as_ref()
                .filter(|(_, err)| *err)
                .map(|(m, _)| m.as_str()),
            lesson: &self.lesson,
            resume_key: if self.lecture.is_some() { "P" } else { "Space" },
            scene_speaks: self.lecture_shown().is_some(),
        })
    }

    /// The strip: always `BANNER_ROWS` rows tall, messages wrapped to its width,
    /// each action button first in its row so it is never pushed out of sight.
    pub(super) fn banner_ui(&mut self, ui: &mut Ui, text_size: f32) {
        let font = egui::FontId::proportional(text_size);
        let row = ui.ctx().fonts_mut(|f| f.row_height(&font));
        let h = BANNER_ROWS * (row + ui.spacing().item_spacing.y);
        let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(ui.available_width(), h));
        ui.allocate_rect(rect, egui::Sense::hover());
        let mut strip = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .layout(egui::Layout::top_down(egui::Align::Min)),
        );
        strip.set_clip_rect(rect.intersect(ui.clip_rect()));
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("banner")
            .max_height(h)
            .auto_shrink(false)
            .show(&mut strip, |ui| {
                for m in self.banner_messages() {
                    ui.horizontal_top(|ui| {
                        if let Some(a) = m.action {
                            if ui
                                .button(RichText::new(a.label()).size(text_size))
                                .clicked()
                            {
                                clicked = Some(a);
                            }
                        }
                        let text = RichText::new(&m.text)
                            .size(text_size)
                            .color(level_color(ui, m.level));
                        ui.add(egui::Label::new(text).wrap());
                    });
                }
            });
        match clicked {
            Some(Action::Reset) => self.reset(false),
            Some(Action::RestartTrainer) => self.session.restart(),
            None => {}
        }
    }
}
