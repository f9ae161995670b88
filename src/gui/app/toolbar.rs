//! The toolbar: play, step, reset, record, speed, and the state badge at its
//! right end (its place depends only on the window's width, so nothing jumps
//! when a button's text changes).

use egui::{Color32, RichText, Ui};

use super::*;

/// The toolbar's own state: the training speed and the step count.
pub(super) struct Transport {
    /// The speed limit in steps per second, when `speed_max` is off.
    pub speed: f64,
    /// As fast as training goes.
    pub speed_max: bool,
    /// Steps per Step (S).
    pub step_n: u64,
}

impl Transport {
    pub fn new(speed_max: bool) -> Transport {
        Transport {
            speed: DEFAULT_SPEED,
            speed_max,
            step_n: 100,
        }
    }

    /// The speed limit the runs are sent (`None`: max).
    pub fn limit(&self) -> Option<f64> {
        (!self.speed_max).then_some(self.speed)
    }

    /// Play, Step and its count, Reset, New seed, Record and the speed.
    fn controls_ui(&mut self, ui: &mut Ui, running: bool, recording: bool) -> Vec<Action> {
        let mut actions = Vec::new();
        let play = if running { "Pause" } else { "Play" };
        let play = egui::Button::new(RichText::new(play).strong()).min_size(egui::vec2(80.0, 0.0));
        if ui.add(play).on_hover_text("Space").clicked() {
            actions.push(Action::TogglePlay);
        }
        let step = ui.button("Step");
        if step
            .on_hover_text("S: train this many steps, then pause")
            .clicked()
        {
            actions.push(Action::Step);
        }
        let steps = egui::DragValue::new(&mut self.step_n)
            .range(1..=1_000_000)
            .speed(10);
        ui.add(steps).on_hover_text("steps per Step");
        for (label, hover, new_seed) in [
            ("Reset", "R: new model, same seed", false),
            ("New seed", "N: new model, next seed", true),
        ] {
            if ui.button(label).on_hover_text(hover).clicked() {
                actions.push(Action::Reset { new_seed });
            }
        }
        let rec_label = if recording {
            "Stop recording"
        } else {
            "Record GIF"
        };
        let rec = egui::Button::new(rec_label)
            .selected(recording)
            .min_size(egui::vec2(120.0, 0.0));
        // Recording streams to a file from a thread: neither exists in a browser.
        let can_record = !cfg!(target_arch = "wasm32");
        if ui
            .add_enabled(can_record, rec)
            .on_hover_text("Records the 3D view as shown into an animated GIF (640×400)")
            .on_disabled_hover_text("Recording a GIF is desktop-only")
            .clicked()
        {
            actions.push(Action::ToggleRecording);
        }
        ui.separator();
        if ui.available_size_before_wrap().x < SPEED_ROW_WIDTH {
            actions.extend(self.speed_menu_ui(ui));
        } else {
            actions.extend(self.speed_slider_ui(ui));
        }
        actions
    }

    /// "speed", "max" and the logarithmic slider.
    fn speed_slider_ui(&mut self, ui: &mut Ui) -> Option<Action> {
        let name = ui.label("speed");
        let was = (self.speed_max, self.speed);
        ui.toggle_value(&mut self.speed_max, "max");
        ui.add_enabled(
            !self.speed_max,
            egui::Slider::new(&mut self.speed, 1.0..=100_000.0)
                .logarithmic(true)
                .suffix(" steps/s"),
        )
        .labelled_by(name.id);
        (was != (self.speed_max, self.speed)).then(|| Action::Speed(self.limit()))
    }

    /// The speed as one compact button (the presentation and lecture bars):
    /// a menu of the common speeds and the slider.
    pub fn speed_menu_ui(&mut self, ui: &mut Ui) -> Option<Action> {
        let label = if self.speed_max {
            "max speed".to_string()
        } else {
            format!("{} steps/s", crate::scene::numfmt::eng(self.speed, 3))
        };
        let was = (self.speed_max, self.speed);
        bar_menu_ui(ui, label, |ui| {
            for v in [30.0, 100.0, 300.0, 1_000.0, 3_000.0, 10_000.0] {
                let on = !self.speed_max && (self.speed - v).abs() < 0.5;
                if ui.selectable_label(on, format!("{v} steps/s")).clicked() {
                    (self.speed_max, self.speed) = (false, v);
                }
            }
            ui.toggle_value(&mut self.speed_max, "max");
            ui.add_enabled(
                !self.speed_max,
                egui::Slider::new(&mut self.speed, 1.0..=100_000.0).logarithmic(true),
            );
        })
        .on_hover_text("training speed");
        (was != (self.speed_max, self.speed)).then(|| Action::Speed(self.limit()))
    }
}

impl EbmApp {
    /// The badge is laid out first at the right end; the controls take what is
    /// left, and the speed slider folds into the compact speed menu when the
    /// slider would reach under the badge (a zoomed interface, a narrow window).
    pub(super) fn toolbar_ui(&mut self, ui: &mut Ui) {
        let (running, recording) = (self.running(), self.capture.recording.is_some());
        let mut actions = Vec::new();
        badge_bar_ui(
            ui,
            self,
            NARROW_TOOLBAR,
            |app, ui| app.badge_ui(ui, BADGE_TEXT),
            |app, ui| actions = app.transport.controls_ui(ui, running, recording),
        );
        self.route_all(&ui.ctx().clone(), actions);
    }

    /// The state badge ("STARTING" before the first snapshot, so the bar's
    /// height never changes). In compare mode it summarises every run: one
    /// state when all agree, else each state with its count ("1 COLLAPSED ·
    /// 3 LEARNED", in the colour of the most urgent).
    pub(super) fn badge_ui(&self, ui: &mut Ui, size: f32) {
        let Some(s) = &self.snap else {
            return badge(ui, "STARTING", Color32::GRAY, size);
        };
        let mut states = vec![s.state()];
        if let Some(c) = &self.compare {
            states.extend(
                c.runs
                    .iter()
                    .filter_map(|r| r.snap.as_ref().map(|p| p.state())),
            );
        }
        let order = [
            State::Diverged,
            State::Collapsed,
            State::Training,
            State::Learned,
        ];
        let counts: Vec<(State, usize)> = order
            .iter()
            .map(|&st| (st, states.iter().filter(|&&x| x == st).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        match counts.as_slice() {
            [(only, _)] => state_badge_ui(ui, *only, size),
            _ => {
                let text = counts
                    .iter()
                    .map(|(st, n)| format!("{n} {}", state_text(*st)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let first = counts.first().map_or(State::Training, |c| c.0);
                badge(ui, &text, state_fill(first), size * 0.8);
            }
        }
    }
}

fn state_text(state: State) -> &'static str {
    match state {
        State::Collapsed => "COLLAPSED",
        State::Training => "TRAINING",
        State::Learned => "LEARNED",
        State::Diverged => "DIVERGED",
    }
}

fn state_fill(state: State) -> Color32 {
    match state {
        State::Collapsed => Color32::from_rgb(200, 40, 40),
        State::Training => Color32::from_rgb(200, 140, 20),
        State::Learned => Color32::from_rgb(30, 150, 60),
        State::Diverged => Color32::from_rgb(150, 30, 150),
    }
}

/// A menu button whose items take the bar's text size (the menu's own layer
/// takes it only when told: the presentation bar's large type).
pub(super) fn bar_menu_ui(
    ui: &mut Ui,
    label: impl Into<egui::WidgetText>,
    add_contents: impl FnOnce(&mut Ui),
) -> egui::Response {
    let size = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Button)
        .map(|f| f.size);
    ui.menu_button(label, |ui| {
        if let Some(size) = size {
            for font in ui.style_mut().text_styles.values_mut() {
                font.size = size;
            }
        }
        add_contents(ui);
    })
    .response
}

/// Below this width (points) the toolbar's badge gets a row of its own.
const NARROW_TOOLBAR: f32 = 560.0;

/// A bar with `right` (the badge, and what goes with it) at its right end and
/// `left` (the controls) wrapping in what is left of it; in a bar narrower
/// than `narrow` (a phone, a zoomed page) `right` takes a row of its own
/// above the controls, which then wrap over the full width.
pub(super) fn badge_bar_ui<T>(
    ui: &mut Ui,
    state: &mut T,
    narrow: f32,
    right: impl FnOnce(&mut T, &mut Ui),
    left: impl FnOnce(&mut T, &mut Ui),
) {
    let wrap = egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true);
    let end = egui::Layout::right_to_left(egui::Align::Center);
    if ui.available_width() < narrow {
        ui.horizontal(|ui| ui.with_layout(end, |ui| right(state, ui)));
        ui.horizontal_wrapped(|ui| left(state, ui));
        return;
    }
    ui.horizontal(|ui| {
        ui.with_layout(end, |ui| {
            right(state, ui);
            ui.add_space(8.0);
            ui.with_layout(wrap, |ui| left(state, ui));
        });
    });
}

/// Points the speed label, "max" and the slider with its value take in the
/// toolbar (measured at the default zoom: 250).
const SPEED_ROW_WIDTH: f32 = 270.0;

/// Text size of the badge in the working layout.
pub const BADGE_TEXT: f32 = 18.0;

pub fn state_badge_ui(ui: &mut Ui, state: State, size: f32) {
    badge(ui, state_text(state), state_fill(state), size);
}

fn badge(ui: &mut Ui, text: &str, fill: Color32, size: f32) {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 3))
        .show(ui, |ui| {
            ui.label(
                RichText::new(text)
                    .color(Color32::WHITE)
                    .strong()
                    .size(size),
            );
        });
}
