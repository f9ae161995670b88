//! A small path prompt for open/save/export. The stack has no native file
//! dialog; a text field with a sensible default name is enough and also works
//! in a browser build later.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    OpenSettings,
    SaveSettings,
    ExportPng,
    ExportCsv,
}

impl DialogKind {
    fn title(self) -> &'static str {
        match self {
            DialogKind::OpenSettings => "Open settings (TOML)",
            DialogKind::SaveSettings => "Save settings (TOML)",
            DialogKind::ExportPng => "Export the 3D view (PNG)",
            DialogKind::ExportCsv => "Export the surface (CSV: x,y,energy)",
        }
    }

    fn action(self) -> &'static str {
        match self {
            DialogKind::OpenSettings => "Open",
            _ => "Save",
        }
    }
}

pub struct Dialog {
    pub kind: DialogKind,
    pub path: String,
    pub closed: bool,
}

impl Dialog {
    pub fn new(kind: DialogKind, path: String) -> Self {
        Dialog {
            kind,
            path,
            closed: false,
        }
    }

    /// Shows the prompt; returns the path once the user confirms.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<(DialogKind, String)> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("path_dialog")).show(ctx, |ui| {
            ui.heading(self.kind.title());
            ui.label("File path (relative to the current directory):");
            let edit = ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(420.0));
            edit.request_focus();
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button(self.kind.action()).clicked() || enter {
                    result = Some((self.kind, self.path.trim().to_string()));
                }
                if ui.button("Cancel").clicked() {
                    self.closed = true;
                }
            });
        });
        if modal.should_close() {
            self.closed = true;
        }
        result
    }
}
