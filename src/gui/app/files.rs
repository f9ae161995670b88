//! Files: the path prompt for open, save and export, opening settings, and
//! files dropped on the window (a `.toml` opens as settings, a `.csv` loads as
//! the custom dataset).

use std::path::Path;

use super::*;
use crate::gui::native_dialog::{native_dialogs, Native, Outcome};

/// The file prompts' own state.
#[derive(Default)]
pub(super) struct FilePrompts {
    /// The path prompt while it is open.
    pub dialog: Option<Dialog>,
    /// The desktop's file dialog while it is open.
    pub native: Option<Native>,
    /// The last path used in a file prompt, the default of the next one.
    pub last_path: Option<String>,
}

impl EbmApp {
    pub fn open_settings(&mut self, path: &Path) {
        let loaded = crate::files::read_settings(path)
            .and_then(|s| crate::files::read_points(&s).map(|p| (s, p)));
        match loaded {
            Ok((settings, points)) => {
                self.edit = settings.clone();
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                let story = format!("settings from {}", path.display());
                self.lesson = Lesson::new(name, settings.clone(), story);
                self.replace_settings(settings, points);
                self.message = Some((format!("opened {}", path.display()), false));
            }
            Err(e) => self.message = Some((format!("{e:#}"), true)),
        }
    }

    /// Writes the settings (TOML, with a story describing them). Drawn points
    /// are not in it: the message says to save them first.
    pub fn save_settings(&mut self, path: &Path) {
        let story = self.lesson.story_for(&self.edit);
        let saved = crate::files::write_atomic(path, self.edit.to_toml(Some(&story)).as_bytes());
        self.message = Some(match saved {
            Err(e) => (format!("{e:#}"), true),
            Ok(()) if self.edit.data == crate::settings::DRAWN_DATA => (
                format!(
                    "saved {}, but not the drawn points: save them (File → Save points…), then the settings again",
                    path.display()
                ),
                true,
            ),
            Ok(()) => (format!("saved {}", path.display()), false),
        });
    }

    /// Loads a CSV of `x,y` points as the custom dataset (a new model).
    pub fn open_points(&mut self, path: &Path) {
        let data = path.display().to_string();
        // A refusal of an earlier file is not this one's: only a refusal of
        // this file may stand after it.
        self.message = None;
        self.apply_pairs(&[("data", data.as_str()), ("dataset", "custom")]);
        if !self.message.as_ref().is_some_and(|(_, err)| *err) {
            self.message = Some((format!("loaded the points of {data}"), false));
        }
    }

    /// Opens what was dropped on the window: settings (.toml) or points (.csv).
    /// (A browser reads dropped files asynchronously: the page does it and
    /// calls [`EbmApp::open_named`].)
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        for f in dropped {
            let path = f.path().to_path_buf();
            match path.extension().and_then(|e| e.to_str()) {
                Some(e) if e.eq_ignore_ascii_case("toml") => self.open_settings(&path),
                Some(e) if e.eq_ignore_ascii_case("csv") => self.open_points(&path),
                _ => {
                    self.message = Some((
                        format!(
                            "{}: drop a settings file (.toml) or a CSV of x,y points (.csv)",
                            path.display()
                        ),
                        true,
                    ))
                }
            }
        }
    }

    /// The prompt's starting text: the last path used, else a name for what is saved.
    pub(super) fn default_name(&self, kind: DialogKind) -> String {
        let (base, step) = match &self.plane {
            Some((p, _)) => (p.preset().to_string(), p.step()),
            None => (
                self.lesson.name.trim_end_matches(".toml").to_string(),
                self.snap.as_ref().map_or(0, |s| s.step),
            ),
        };
        let fresh = match kind {
            DialogKind::OpenSettings => String::new(),
            DialogKind::SaveSettings => format!("{base}.toml"),
            DialogKind::ExportPng => format!("{base}-step{step}.png"),
            DialogKind::ExportCsv => format!("{base}-step{step}.csv"),
            DialogKind::SavePoints => format!("{base}-points.csv"),
            DialogKind::ExportSamples => format!("{base}-step{step}-samples.csv"),
        };
        match (&self.files.last_path, kind) {
            (Some(last), DialogKind::OpenSettings | DialogKind::SaveSettings)
                if last.ends_with(".toml") =>
            {
                last.clone()
            }
            (Some(last), _) if kind == DialogKind::OpenSettings => {
                // The folder of the last file, so that only the name is to type.
                Path::new(last)
                    .parent()
                    .map(|p| p.display().to_string())
                    .filter(|p| !p.is_empty())
                    .map_or(String::new(), |p| format!("{p}/"))
            }
            _ => in_save_folder(self.files.last_path.as_deref(), kind, fresh),
        }
    }

    /// The desktop's file dialog where a portal answers, else the prompt.
    pub(super) fn open_dialog(&mut self, kind: DialogKind) {
        if native_dialogs() {
            self.files.native = Some(Native::open(kind, &self.default_name(kind)));
        } else {
            self.files.dialog = Some(Dialog::new(kind, self.default_name(kind)));
        }
    }

    /// Whether a file dialog or prompt is open (keys go to it, not the app).
    pub(super) fn dialog_open(&self) -> bool {
        self.files.dialog.is_some() || self.files.native.is_some()
    }

    pub(super) fn dialog_ui(&mut self, ctx: &egui::Context) {
        if let Some(native) = &self.files.native {
            match native.poll() {
                None => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
                Some(outcome) => {
                    self.files.native = None;
                    match outcome {
                        Outcome::Chosen(kind, path) => {
                            self.use_path(ctx, kind, path.display().to_string())
                        }
                        Outcome::Cancelled => {}
                        Outcome::Unavailable(kind) => {
                            self.files.dialog = Some(Dialog::new(kind, self.default_name(kind)))
                        }
                    }
                }
            }
        }
        // The page saves and exports as downloads under the default name (the
        // browser asks where, or keeps them in its downloads): no path prompt.
        if cfg!(target_arch = "wasm32") {
            let download = self
                .files
                .dialog
                .as_ref()
                .filter(|d| d.kind != DialogKind::OpenSettings)
                .map(|d| (d.kind, d.path.clone()));
            if let Some((kind, path)) = download {
                self.files.dialog = None;
                self.use_path(ctx, kind, path);
                return;
            }
        }
        let Some(dialog) = &mut self.files.dialog else {
            return;
        };
        let Some((kind, path)) = dialog.ui(ctx) else {
            if dialog.closed {
                self.files.dialog = None;
            }
            return;
        };
        self.files.dialog = None;
        self.use_path(ctx, kind, path);
    }

    /// Opens, saves or exports at the path the dialog or prompt gave.
    fn use_path(&mut self, ctx: &egui::Context, kind: DialogKind, path: String) {
        self.files.last_path = Some(path.clone());
        let path = PathBuf::from(path);
        let result = match kind {
            DialogKind::OpenSettings => {
                self.open_settings(&path);
                return;
            }
            DialogKind::SaveSettings => {
                self.save_settings(&path);
                return;
            }
            DialogKind::SavePoints => {
                self.save_points(&path);
                return;
            }
            DialogKind::ExportSamples => match &self.plane {
                Some((p, _)) => match p.samples_csv() {
                    Some(csv) => crate::files::write_atomic(&path, csv.as_bytes()),
                    None => Err(anyhow::anyhow!(
                        "samples come from a density (Lessons → a density- preset)"
                    )),
                },
                None => Err(anyhow::anyhow!(
                    "samples come from a density (Lessons → a density- preset)"
                )),
            },
            DialogKind::ExportCsv if self.plane.is_some() => match &mut self.plane {
                Some((p, _)) => crate::files::write_atomic(&path, p.surface_csv().as_bytes()),
                None => Ok(()),
            },
            DialogKind::ExportCsv => match &self.snap {
                Some(s) => crate::files::write_atomic(
                    &path,
                    crate::export::csv_from_view(&s.view).as_bytes(),
                ),
                None => Err(anyhow::anyhow!("nothing to export yet")),
            },
            DialogKind::ExportPng => {
                self.request_screenshot(ctx, ScreenshotPurpose::View(path, self.view_rect()));
                return;
            }
        };
        self.message = Some(match result {
            Ok(()) => (format!("saved {}", path.display()), false),
            Err(e) => (format!("{e:#}"), true),
        });
    }
}

/// Where a fresh name is offered on the desktop: the folder of the last file
/// used, else the user's Pictures (images) or Documents folder, else home,
/// so that a window started from a menu (working directory `/`) does not
/// offer to write there. The page downloads under the bare name.
fn in_save_folder(last: Option<&str>, kind: DialogKind, name: String) -> String {
    if cfg!(target_arch = "wasm32") || name.is_empty() {
        return name;
    }
    let last_dir = last
        .and_then(|l| Path::new(l).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let sub = if kind == DialogKind::ExportPng {
        "Pictures"
    } else {
        "Documents"
    };
    let folder = last_dir.or_else(|| {
        home.map(|h| {
            let s = h.join(sub);
            if s.is_dir() {
                s
            } else {
                h
            }
        })
    });
    match folder {
        Some(f) => f.join(name).display().to_string(),
        None => name,
    }
}
