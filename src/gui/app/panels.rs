//! The window's chrome: menus, toolbar, banner, status bar, plots column and
//! help. Split from `app.rs` so each file reads in one sitting.

use egui::{Color32, RichText, Ui};

use super::*;

impl EbmApp {
    pub(super) fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for (label, kind, keys) in [
                    ("Open settings…", DialogKind::OpenSettings, "Ctrl+O"),
                    ("Save settings…", DialogKind::SaveSettings, "Ctrl+S"),
                    (
                        "Export PNG of the 3D view…",
                        DialogKind::ExportPng,
                        "Ctrl+P",
                    ),
                    ("Export surface CSV…", DialogKind::ExportCsv, "Ctrl+E"),
                ] {
                    if ui
                        .add(egui::Button::new(label).shortcut_text(keys))
                        .clicked()
                    {
                        self.dialog = Some(Dialog::new(kind, self.default_name(kind)));
                        ui.close();
                    }
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Presets", |ui| {
                for (name, _) in PRESETS {
                    let story = load_preset(name).map(|(_, s)| s).unwrap_or_default();
                    if ui.button(*name).on_hover_text(&story).clicked() {
                        self.load_preset(name);
                        ui.close();
                    }
                    ui.weak(story);
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add(egui::Button::new("Reset view").shortcut_text("V"))
                    .clicked()
                {
                    self.view.reset_camera();
                    ui.close();
                }
                ui.checkbox(&mut self.show_ghost, "Step-0 surface (ghost)  G");
                ui.checkbox(&mut self.log_metrics, "Metrics on a log scale");
                ui.separator();
                egui::widgets::global_theme_preference_buttons(ui);
            });
            ui.menu_button("Help", |ui| {
                if ui
                    .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                    .clicked()
                {
                    self.show_help = true;
                    ui.close();
                }
            });
        });
    }

    pub(super) fn toolbar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let running = self.running();
            let play = if running { "Pause" } else { "Play" };
            if ui
                .add(
                    egui::Button::new(RichText::new(play).strong()).min_size(egui::vec2(80.0, 0.0)),
                )
                .on_hover_text("Space")
                .clicked()
            {
                self.toggle_play();
            }
            if ui
                .button("Step")
                .on_hover_text("S: train this many steps, then pause")
                .clicked()
            {
                self.session.send(Command::Step(self.step_n));
            }
            let steps = egui::DragValue::new(&mut self.step_n)
                .range(1..=1_000_000)
                .speed(10);
            ui.add(steps).on_hover_text("steps per Step");
            if ui
                .button("Reset")
                .on_hover_text("R: new model, same seed")
                .clicked()
            {
                self.reset(false);
            }
            if ui
                .button("New seed")
                .on_hover_text("N: new model, next seed")
                .clicked()
            {
                self.reset(true);
            }
            let rec_label = if self.recording.is_some() {
                "Stop recording"
            } else {
                "Record GIF"
            };
            if ui
                .add(egui::Button::new(rec_label).selected(self.recording.is_some()))
                .on_hover_text("Records the 3D view as shown into an animated GIF (640×400)")
                .clicked()
            {
                self.toggle_recording();
            }
            ui.separator();
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
            if was != (self.speed_max, self.speed) {
                self.session
                    .send(Command::Speed((!self.speed_max).then_some(self.speed)));
            }
            ui.separator();
            if let Some(s) = &self.snap {
                state_badge_ui(ui, s.state());
            }
        });
    }

    pub(super) fn banner_ui(&mut self, ui: &mut Ui) {
        let Some(snap) = self.snap.clone() else {
            return;
        };
        if !self.session.is_alive() {
            ui.horizontal(|ui| {
                ui.colored_label(
                    Color32::from_rgb(230, 60, 60),
                    snap.error.as_deref().unwrap_or("the trainer stopped"),
                );
                if ui.button("Restart trainer").clicked() {
                    self.session.restart();
                }
            });
            return;
        }
        if let Some(err) = &snap.error {
            ui.horizontal(|ui| {
                ui.colored_label(Color32::from_rgb(230, 60, 60), err);
                if snap.diverged() && ui.button("Reset").clicked() {
                    self.reset(false);
                }
            });
        } else if self
            .stuck_since
            .is_some_and(|from| snap.step.saturating_sub(from) >= STUCK_STEPS)
        {
            ui.horizontal(|ui| {
                ui.colored_label(
                    Color32::from_rgb(240, 160, 40),
                    "Still collapsed: after a deep collapse the nets saturate and may not recover (nll recovers best). Reset to start afresh.",
                );
                if ui.button("Reset").clicked() {
                    self.reset(false);
                }
            });
        } else if snap.settings.loss == Loss::Energy
            && snap.settings.architecture == crate::model::Architecture::Dual
        {
            ui.label(RichText::new(format!(
                "{}  Try it: while it runs, click square-square or nll on the left.",
                self.story
            )));
        } else {
            ui.label(&self.story);
        }
        if let Some(n) = &snap.notice {
            ui.weak(n);
        }
    }

    pub(super) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(s) = &self.snap {
                ui.label(format!("step {}", s.step));
                ui.separator();
                ui.label(format!("{:.0} steps/s", s.steps_per_sec));
                ui.separator();
                let m = &s.metrics;
                ui.label(format!(
                    "loss {:.4}   spread {:.3}   contrast {:.3}   inference error {:.3}{}",
                    m.loss,
                    m.spread,
                    m.contrast,
                    m.inference_error,
                    m.coverage
                        .map(|c| format!("   coverage {:.0}%", c * 100.0))
                        .unwrap_or_default()
                ));
                ui.separator();
                ui.weak(format!("{:.0} fps", self.timings.fps()));
            } else {
                ui.label("starting the trainer…");
            }
            if let Some((msg, is_err)) = &self.message {
                ui.separator();
                if *is_err {
                    ui.colored_label(Color32::from_rgb(230, 60, 60), msg);
                } else {
                    ui.label(msg);
                }
            }
        });
    }

    pub(super) fn plots_ui(&mut self, ui: &mut Ui) {
        let Some(snap) = self.snap.clone() else {
            return;
        };
        let h = (ui.available_height() / 3.0 - 24.0).max(80.0);
        ui.label(RichText::new("Metrics over steps").strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            plots::metrics_plot_ui(ui, &snap.history, self.log_metrics)
        });
        ui.horizontal(|ui| {
            let name = ui.label(RichText::new("Slice E(y | x₀)").strong());
            let (a, b) = (snap.view.x_range.0 as f64, snap.view.x_range.1 as f64);
            ui.add(egui::Slider::new(&mut self.slice_x, a..=b).text("x₀"))
                .labelled_by(name.id);
        });
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            plots::slice_plot_ui(ui, &snap, self.slice_x, self.show_ghost)
        });
        ui.label(RichText::new("Heat map (drag to move x₀)").strong());
        ui.allocate_ui(
            egui::vec2(ui.available_width(), ui.available_height()),
            |ui| {
                if let Some(x) = self.heat.ui(ui, &snap, self.slice_x) {
                    self.slice_x = x;
                }
            },
        );
    }

    pub(super) fn help_ui(&mut self, ctx: &egui::Context) {
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.show_help)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (k, what) in [
                            ("Space", "play / pause"),
                            ("S", "train the step count, then pause"),
                            ("R", "reset the model (same seed)"),
                            ("N", "reset with the next seed"),
                            ("V", "reset the 3D view"),
                            ("G", "toggle the step-0 ghost surface"),
                            ("F1 / H", "this help"),
                            ("Ctrl+O / Ctrl+S", "open / save settings (TOML)"),
                            ("Ctrl+P", "export the 3D view as PNG"),
                            ("Ctrl+E", "export the surface as CSV"),
                            (
                                "drag / right-drag / wheel",
                                "orbit / pan / zoom the 3D view",
                            ),
                            ("Ctrl + / Ctrl −", "zoom the whole interface (projectors)"),
                        ] {
                            ui.label(RichText::new(k).monospace());
                            ui.label(what);
                            ui.end_row();
                        }
                    });
            });
    }
}

pub fn state_badge_ui(ui: &mut Ui, state: State) {
    let (text, fill) = match state {
        State::Collapsed => ("COLLAPSED", Color32::from_rgb(200, 40, 40)),
        State::Training => ("TRAINING", Color32::from_rgb(200, 140, 20)),
        State::Learned => ("LEARNED", Color32::from_rgb(30, 150, 60)),
        State::Diverged => ("DIVERGED", Color32::from_rgb(150, 30, 150)),
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 3))
        .show(ui, |ui| {
            ui.label(
                RichText::new(text)
                    .color(Color32::WHITE)
                    .strong()
                    .size(18.0),
            );
        });
}
