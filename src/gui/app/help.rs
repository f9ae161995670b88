//! The keyboard-shortcut window (F1): centred over the 3D view, so that the
//! toolbar stays in reach; Escape or F1 closes it.

use egui::RichText;

use super::keys::KEYS;
use super::*;

impl EbmApp {
    pub(super) fn help_ui(&mut self, ctx: &egui::Context) {
        let centre = self.view.rect();
        let mut window = egui::Window::new("Keyboard shortcuts")
            .open(&mut self.options.show_help)
            .collapsible(false)
            .resizable(false);
        if centre.is_positive() {
            window = window
                .pivot(egui::Align2::CENTER_CENTER)
                .fixed_pos(centre.center());
        }
        window.show(ctx, |ui| {
            egui::Grid::new("keys")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (k, what) in KEYS {
                        ui.label(RichText::new(*k).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
    }
}
