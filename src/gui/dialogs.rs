//! A small path prompt for open/save/export: a text field starting at the last
//! path used; Enter submits, Escape cancels.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    OpenSettings,
    SaveSettings,
    ExportPng,
    ExportCsv,
    SavePoints,
    ExportSamples,
}

impl DialogKind {
    pub fn title(self) -> &'static str {
        match self {
            DialogKind::OpenSettings => "Open settings (TOML)",
            DialogKind::SaveSettings => "Save settings (TOML)",
            DialogKind::ExportPng => "Export the 3D view (PNG)",
            DialogKind::ExportCsv => "Export the surface (CSV: its axes, then the energy)",
            DialogKind::SavePoints => "Save the training points (CSV: x,y)",
            DialogKind::ExportSamples => "Export samples of the density (CSV: y1,y2)",
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
    focused: bool,
}

impl Dialog {
    pub fn new(kind: DialogKind, path: String) -> Self {
        Dialog {
            kind,
            path,
            closed: false,
            focused: false,
        }
    }

    /// Shows the prompt; returns the path once the user confirms (button or
    /// Enter). Escape or Cancel sets `closed`.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<(DialogKind, String)> {
        let (enter, escape) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Escape),
            )
        });
        let mut confirm = enter;
        let modal = egui::Modal::new(egui::Id::unique("path_dialog")).show(ctx, |ui| {
            ui.heading(self.kind.title());
            ui.label("File path:");
            let edit = egui::TextEdit::singleline(&mut self.path)
                .desired_width(420.0)
                .hint_text(match self.kind {
                    DialogKind::OpenSettings => "settings.toml",
                    _ => "",
                });
            let edit = ui.add(edit);
            if !self.focused {
                edit.request_focus();
                self.focused = true;
            }
            ui.horizontal(|ui| {
                confirm |= ui.button(self.kind.action()).clicked();
                if ui.button("Cancel").clicked() {
                    self.closed = true;
                }
            });
            if let Ok(cwd) = std::env::current_dir() {
                ui.weak(format!("A relative path starts in {}", cwd.display()));
            }
            ui.weak("Enter: confirm   Escape: cancel");
        });
        if escape || modal.should_close() {
            self.closed = true;
            return None;
        }
        let path = self.path.trim().to_string();
        (confirm && !path.is_empty()).then_some((self.kind, path))
    }
}
