//! The keyboard: every shortcut of the window in one place.

use super::*;

impl EbmApp {
    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.dialog.is_some() {
            return;
        }
        let cmd = egui::Modifiers::COMMAND;
        let (space, step, reset, seed, view, ghost, help, open, save, png, csv) =
            ctx.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, Key::Space),
                    i.consume_key(egui::Modifiers::NONE, Key::S),
                    i.consume_key(egui::Modifiers::NONE, Key::R),
                    i.consume_key(egui::Modifiers::NONE, Key::N),
                    i.consume_key(egui::Modifiers::NONE, Key::V),
                    i.consume_key(egui::Modifiers::NONE, Key::G),
                    i.consume_key(egui::Modifiers::NONE, Key::F1)
                        || i.consume_key(egui::Modifiers::NONE, Key::H),
                    i.consume_key(cmd, Key::O),
                    i.consume_key(cmd, Key::S),
                    i.consume_key(cmd, Key::P),
                    i.consume_key(cmd, Key::E),
                )
            });
        if space {
            self.toggle_play();
        }
        if step {
            self.session.send(Command::Step(self.step_n));
        }
        if reset {
            self.reset(false);
        }
        if seed {
            self.reset(true);
        }
        if view {
            self.view.reset_camera();
        }
        if ghost {
            self.show_ghost = !self.show_ghost;
        }
        if help {
            self.show_help = !self.show_help;
        }
        for (hit, kind) in [
            (open, DialogKind::OpenSettings),
            (save, DialogKind::SaveSettings),
            (png, DialogKind::ExportPng),
            (csv, DialogKind::ExportCsv),
        ] {
            if hit {
                self.dialog = Some(Dialog::new(kind, self.default_name(kind)));
            }
        }
    }
}
