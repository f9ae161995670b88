//! The menu bar: File, Presets, Compare, View, Help.

use egui::Ui;

use super::*;

impl EbmApp {
    /// The menu bar, its actions routed.
    pub(super) fn menu_ui(&mut self, ui: &mut Ui) {
        let compare = CompareMenu {
            comparing: self.comparing(),
            can_add: self.partner_labels().len() < crate::settings::partner::MAX_PARTNERS,
        };
        let actions = menu_bar_ui(ui, &mut self.options, compare);
        self.route_all(&ui.ctx().clone(), actions);
    }
}

/// What the Compare menu needs to know of the app.
struct CompareMenu {
    comparing: bool,
    /// Whether one more run fits.
    can_add: bool,
}

/// The menu bar: its checkboxes change `options`, its items are returned.
fn menu_bar_ui(ui: &mut Ui, options: &mut ViewOptions, compare: CompareMenu) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu_ui(ui, &mut actions));
        ui.menu_button("Presets", |ui| {
            for (name, _) in PRESETS {
                let story = load_preset(name).map(|(_, s)| s).unwrap_or_default();
                if ui.button(*name).on_hover_text(&story).clicked() {
                    actions.push(Action::LoadPreset(name));
                    ui.close();
                }
                ui.weak(story);
            }
        });
        ui.menu_button("Compare", |ui| compare_menu_ui(ui, &compare, &mut actions));
        ui.menu_button("Lessons", |ui| {
            ui.label("Answers in the plane, y = (y1, y2):");
            for p in crate::model::plane::presets::plane_presets() {
                if ui.button(p.name).on_hover_text(p.story).clicked() {
                    actions.push(Action::EnterLesson(p.name));
                    ui.close();
                }
            }
        });
        ui.menu_button("View", |ui| view_menu_ui(ui, options, &mut actions));
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                .clicked()
            {
                actions.push(Action::ShowHelp);
                ui.close();
            }
        });
    });
    actions
}

fn file_menu_ui(ui: &mut Ui, actions: &mut Vec<Action>) {
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
            actions.push(Action::Dialog(kind));
            ui.close();
        }
    }
    // A page cannot close its tab: no Quit there.
    if !cfg!(target_arch = "wasm32") {
        ui.separator();
        if ui.button("Quit").clicked() {
            actions.push(Action::Quit);
        }
    }
}

/// Compare: the lesson beside another loss, more runs, back to one.
fn compare_menu_ui(ui: &mut Ui, compare: &CompareMenu, actions: &mut Vec<Action>) {
    if ui
        .button("Compare losses…")
        .on_hover_text("this run beside the same model under another loss")
        .clicked()
    {
        actions.push(Action::CompareDefault);
        ui.close();
    }
    let add = egui::Button::new("Add a run");
    if ui
        .add_enabled(compare.comparing && compare.can_add, add)
        .clicked()
    {
        actions.push(Action::AddCompareRun);
        ui.close();
    }
    let leave = egui::Button::new("Leave compare");
    if ui.add_enabled(compare.comparing, leave).clicked() {
        actions.push(Action::LeaveCompare);
        ui.close();
    }
}

fn view_menu_ui(ui: &mut Ui, options: &mut ViewOptions, actions: &mut Vec<Action>) {
    if ui
        .add(egui::Button::new("Reset view").shortcut_text("V"))
        .clicked()
    {
        actions.push(Action::ResetView);
        ui.close();
    }
    if ui
        .add(egui::Button::new("Presentation layout").shortcut_text("F5"))
        .clicked()
    {
        actions.push(Action::Present(true));
        ui.close();
    }
    ui.checkbox(&mut options.show_ghost, "Step-0 surface (ghost)  G");
    ui.checkbox(&mut options.show_key, "Key to the 3D view  K");
    ui.checkbox(&mut options.log_metrics, "Metrics on a log scale");
    ui.separator();
    theme_ui(ui);
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
