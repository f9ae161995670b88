//! The keyboard-shortcut window (F1).

use egui::RichText;

use super::*;

impl EbmApp {
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
