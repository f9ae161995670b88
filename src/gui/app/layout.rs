//! Where the panels go: menu and toolbar on top, status bar below, settings
//! on the left, plots on the right and the 3D view in the middle.

use egui::Ui;

use super::*;

impl EbmApp {
    pub(super) fn layout_ui(&mut self, ui: &mut Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_ui(ui);
            self.toolbar_ui(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::Panel::left("controls")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let mut ch = Changes::default();
                    controls::settings_ui(ui, &mut self.edit, &mut ch);
                    self.apply(ch);
                });
            });
        egui::Panel::right("plots")
            .resizable(true)
            .default_size(380.0)
            .show(ui, |ui| self.plots_ui(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.banner_ui(ui);
            let slice = self.snap.as_ref().map(|_| self.slice_x as f32);
            self.view
                .ui(ui, self.snap.as_deref(), self.show_ghost, slice);
        });
    }
}
