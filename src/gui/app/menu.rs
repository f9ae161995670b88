//! The menu bar: File, Presets, Compare, View, Help.

use egui::Ui;

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
                    ("Save points (CSV)…", DialogKind::SavePoints, ""),
                ] {
                    if ui
                        .add(egui::Button::new(label).shortcut_text(keys))
                        .clicked()
                    {
                        self.open_dialog(kind);
                        ui.close();
                    }
                }
                // A page cannot close its tab: no Quit there.
                if !cfg!(target_arch = "wasm32") {
                    ui.separator();
                    if ui.button("Quit").clicked() {
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
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
            self.compare_menu_ui(ui);
            ui.menu_button("Lessons", |ui| {
                ui.label("Answers in the plane, y = (y1, y2):");
                for p in crate::model::plane::presets::plane_presets() {
                    if ui.button(p.name).on_hover_text(p.story).clicked() {
                        self.enter_plane(p.name);
                        ui.close();
                    }
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
                if ui
                    .add(egui::Button::new("Presentation layout").shortcut_text("F5"))
                    .clicked()
                {
                    self.presenting = true;
                    ui.close();
                }
                ui.checkbox(&mut self.show_ghost, "Step-0 surface (ghost)  G");
                ui.checkbox(&mut self.show_key, "Key to the 3D view  K");
                ui.checkbox(&mut self.log_metrics, "Metrics on a log scale");
                ui.separator();
                theme_ui(ui);
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
}

impl EbmApp {
    /// Compare: the lesson beside another loss, more runs, back to one.
    fn compare_menu_ui(&mut self, ui: &mut Ui) {
        ui.menu_button("Compare", |ui| {
            if ui
                .button("Compare losses…")
                .on_hover_text("this run beside the same model under another loss")
                .clicked()
            {
                self.compare_default();
                ui.close();
            }
            let more = self.partner_labels().len() < crate::settings::partner::MAX_PARTNERS;
            if ui
                .add_enabled(self.comparing() && more, egui::Button::new("Add a run"))
                .clicked()
            {
                self.add_compare_run();
                ui.close();
            }
            if ui
                .add_enabled(self.comparing(), egui::Button::new("Leave compare"))
                .clicked()
            {
                self.leave_compare();
                ui.close();
            }
        });
    }
}

/// The theme as three named choices (egui's own buttons are icons that the
/// bundled fonts do not all draw).
fn theme_ui(ui: &mut Ui) {
    let now = ui.ctx().options(|o| o.theme_preference);
    ui.horizontal(|ui| {
        ui.label("Theme");
        for (pref, name) in [
            (egui::ThemePreference::Dark, "Dark"),
            (egui::ThemePreference::Light, "Light"),
            (egui::ThemePreference::System, "System"),
        ] {
            if ui.selectable_label(now == pref, name).clicked() {
                ui.ctx().set_theme(pref);
            }
        }
    });
}
