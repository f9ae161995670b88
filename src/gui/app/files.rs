//! Files: the path prompt for open, save and export, and opening settings.

use super::*;

impl EbmApp {
    pub fn open_settings(&mut self, path: &std::path::Path) {
        let loaded = crate::files::read_settings(path)
            .and_then(|s| crate::files::read_points(&s).map(|p| (s, p)));
        match loaded {
            Ok((settings, points)) => {
                self.edit = settings.clone();
                self.preset = None;
                self.story = format!("settings from {}", path.display());
                self.session.send(Command::Replace(settings, points));
                self.message = Some((format!("opened {}", path.display()), false));
            }
            Err(e) => self.message = Some((format!("{e:#}"), true)),
        }
    }

    fn default_name(&self, kind: DialogKind) -> String {
        let base = self.preset.clone().unwrap_or_else(|| "ebm-lab".into());
        let step = self.snap.as_ref().map_or(0, |s| s.step);
        match kind {
            DialogKind::OpenSettings | DialogKind::SaveSettings => format!("{base}.toml"),
            DialogKind::ExportPng => format!("{base}-step{step}.png"),
            DialogKind::ExportCsv => format!("{base}-step{step}.csv"),
        }
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let Some((kind, path)) = dialog.ui(ctx) else {
            if dialog.closed {
                self.dialog = None;
            }
            return;
        };
        self.dialog = None;
        let path = PathBuf::from(path);
        let result = match kind {
            DialogKind::OpenSettings => {
                self.open_settings(&path);
                return;
            }
            DialogKind::SaveSettings => {
                crate::files::write_atomic(&path, self.edit.to_toml(Some(&self.story)).as_bytes())
            }
            DialogKind::ExportCsv => match &self.snap {
                Some(s) => crate::files::write_atomic(
                    &path,
                    crate::export::csv_from_view(&s.view).as_bytes(),
                ),
                None => Err(anyhow::anyhow!("nothing to export yet")),
            },
            DialogKind::ExportPng => {
                self.request_screenshot(ctx, ScreenshotPurpose::View(path, self.view.rect()));
                return;
            }
        };
        self.message = Some(match result {
            Ok(()) => (format!("saved {}", path.display()), false),
            Err(e) => (format!("{e:#}"), true),
        });
    }
}
