//! The desktop's own file dialog (through `rfd` and the XDG desktop portal),
//! run on a thread so the window keeps drawing while it is open. Where no
//! portal answers (no session bus, a bare X server, a kiosk), the path prompt
//! of `dialogs.rs` is used instead: see [`Native::poll`].

use std::path::PathBuf;
use std::time::Duration;

use crossbeam_channel::{Receiver, TryRecvError};
use web_time::Instant;

use super::dialogs::DialogKind;

/// A portal that is not there answers "nothing chosen" at once; a person
/// cannot cancel a dialog this fast, so such an answer means "no dialog".
const NO_DIALOG: Duration = Duration::from_millis(300);

/// Whether to try the native dialog: a session bus to reach the portal, and
/// not switched off (`EBM_LAB_DIALOG=prompt`).
/// (Never in a browser: the page has its own file picker, see `crate::web`.)
pub fn native_dialogs() -> bool {
    !cfg!(target_arch = "wasm32")
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && std::env::var("EBM_LAB_DIALOG").as_deref() != Ok("prompt")
}

/// What became of a native dialog.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Chosen(DialogKind, PathBuf),
    Cancelled,
    /// No dialog could be shown: use the prompt.
    Unavailable(DialogKind),
}

/// A native dialog open on its thread.
pub struct Native {
    kind: DialogKind,
    opened: Instant,
    answer: Receiver<Option<PathBuf>>,
}

impl Native {
    /// Opens the dialog for `kind`, starting at `default` (a file name, or a
    /// folder ending in `/`).
    pub fn open(kind: DialogKind, default: &str) -> Native {
        let (tx, answer) = crossbeam_channel::bounded(1);
        #[cfg(not(target_arch = "wasm32"))]
        {
            let dialog = file_dialog(kind, default);
            std::thread::spawn(move || {
                let picked = match kind {
                    DialogKind::OpenSettings => dialog.pick_file(),
                    DialogKind::SaveSettings
                    | DialogKind::ExportPng
                    | DialogKind::ExportCsv
                    | DialogKind::SavePoints
                    | DialogKind::ExportSamples => dialog.save_file(),
                };
                let _ = tx.send(picked);
            });
        }
        // No rfd in a browser: the answer channel closes, so `poll` falls back
        // to the prompt.
        #[cfg(target_arch = "wasm32")]
        let _ = (tx, default);
        Native {
            kind,
            opened: Instant::now(),
            answer,
        }
    }

    /// The outcome once the dialog has closed (`None` while it is open).
    pub fn poll(&self) -> Option<Outcome> {
        match self.answer.try_recv() {
            Ok(Some(path)) => Some(Outcome::Chosen(self.kind, path)),
            Ok(None) if self.opened.elapsed() < NO_DIALOG => Some(Outcome::Unavailable(self.kind)),
            Ok(None) => Some(Outcome::Cancelled),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Outcome::Unavailable(self.kind)),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn file_dialog(kind: DialogKind, default: &str) -> rfd::FileDialog {
    let (filter, ext): (&str, &[&str]) = match kind {
        DialogKind::OpenSettings | DialogKind::SaveSettings => ("settings (TOML)", &["toml"]),
        DialogKind::ExportPng => ("PNG image", &["png"]),
        DialogKind::ExportCsv | DialogKind::SavePoints | DialogKind::ExportSamples => {
            ("CSV", &["csv"])
        }
    };
    let mut d = rfd::FileDialog::new()
        .set_title(kind.title())
        .add_filter(filter, ext);
    let path = std::path::Path::new(default);
    let (dir, name) = if default.ends_with('/') {
        (Some(path), None)
    } else {
        (path.parent(), path.file_name())
    };
    if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
        d = d.set_directory(dir);
    } else if let Ok(cwd) = std::env::current_dir() {
        d = d.set_directory(cwd);
    }
    if let Some(name) = name {
        d = d.set_file_name(name.to_string_lossy());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(answer: Option<PathBuf>, open_for: Duration) -> Option<Outcome> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        tx.send(answer).unwrap();
        let native = Native {
            kind: DialogKind::SaveSettings,
            opened: Instant::now().checked_sub(open_for).unwrap(),
            answer: rx,
        };
        native.poll()
    }

    #[test]
    fn an_instant_empty_answer_means_no_dialog_and_a_late_one_a_cancel() {
        let kind = DialogKind::SaveSettings;
        assert_eq!(
            answered(None, Duration::ZERO),
            Some(Outcome::Unavailable(kind))
        );
        assert_eq!(
            answered(None, Duration::from_secs(2)),
            Some(Outcome::Cancelled)
        );
        let p = PathBuf::from("/tmp/x.toml");
        assert_eq!(
            answered(Some(p.clone()), Duration::ZERO),
            Some(Outcome::Chosen(kind, p))
        );
    }

    #[test]
    fn a_dialog_still_open_has_no_outcome_and_a_dead_thread_falls_back() {
        let (tx, rx) = crossbeam_channel::bounded::<Option<PathBuf>>(1);
        let native = Native {
            kind: DialogKind::OpenSettings,
            opened: Instant::now(),
            answer: rx,
        };
        assert_eq!(native.poll(), None);
        drop(tx);
        assert_eq!(
            native.poll(),
            Some(Outcome::Unavailable(DialogKind::OpenSettings))
        );
    }
}
