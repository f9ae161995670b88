//! The keyboard: every shortcut of the window in one place (the help window
//! lists them from [`KEYS`]).

use egui::{Key, Modifiers};

use super::*;

/// Each shortcut: modifiers, key, action, and its line in the help window.
const BINDINGS: &[(Modifiers, Key, Action)] = &[
    (Modifiers::NONE, Key::Space, Action::TogglePlay),
    (Modifiers::NONE, Key::S, Action::Step),
    (Modifiers::NONE, Key::R, Action::Reset { new_seed: false }),
    (Modifiers::NONE, Key::N, Action::Reset { new_seed: true }),
    (Modifiers::NONE, Key::V, Action::ResetView),
    (Modifiers::NONE, Key::G, Action::ToggleGhost),
    (Modifiers::NONE, Key::K, Action::ToggleKey),
    (Modifiers::NONE, Key::F1, Action::ToggleHelp),
    (Modifiers::NONE, Key::H, Action::ToggleHelp),
    (Modifiers::NONE, Key::F5, Action::TogglePresent),
    (Modifiers::NONE, Key::F11, Action::FullScreen),
    (Modifiers::NONE, Key::D, Action::ToggleDrawing),
    (Modifiers::NONE, Key::Escape, Action::Escape),
    (
        Modifiers::COMMAND,
        Key::O,
        Action::Dialog(DialogKind::OpenSettings),
    ),
    (
        Modifiers::COMMAND,
        Key::S,
        Action::Dialog(DialogKind::SaveSettings),
    ),
    (
        Modifiers::COMMAND,
        Key::P,
        Action::Dialog(DialogKind::ExportPng),
    ),
    (
        Modifiers::COMMAND,
        Key::E,
        Action::Dialog(DialogKind::ExportCsv),
    ),
];

/// The help window's table: keys and what they do.
pub const KEYS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("S", "train the step count, then pause"),
    ("R", "reset the model (same seed)"),
    ("N", "reset with the next seed"),
    ("V", "reset the 3D view"),
    ("G", "toggle the step-0 ghost surface"),
    ("K", "toggle the key to the 3D view"),
    ("F5", "presentation layout (Escape leaves)"),
    ("F11", "full screen"),
    (
        "PageDown / → / Space",
        "lecture: next scene (P plays / pauses)",
    ),
    ("PageUp / ←", "lecture: previous scene"),
    (
        "D",
        "draw points on the heat map: click adds, drag moves, right-click deletes, shift-drag brushes",
    ),
    ("F1 / H", "this help (Escape closes)"),
    ("Ctrl+O / Ctrl+S", "open / save settings (TOML)"),
    ("Ctrl+P", "export the 3D view as PNG"),
    ("Ctrl+E", "export the surface as CSV"),
    ("drop a file", ".toml opens settings, .csv loads points"),
    ("drag / right-drag", "orbit / pan the 3D view"),
    ("wheel", "zoom the 3D view (up = closer)"),
    ("Ctrl + / Ctrl −", "zoom the whole interface (projectors)"),
];

impl EbmApp {
    /// Routes the keys pressed this frame (none while a text field or a
    /// prompt has the keyboard).
    pub(super) fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.dialog_open() {
            return;
        }
        let mut actions = if self.lecture.is_some() {
            lecture_key_actions(ctx)
        } else {
            Vec::new()
        };
        actions.extend(key_actions(ctx));
        self.route_all(ctx, actions);
    }
}

/// The actions of the bound keys pressed this frame (the keys are consumed).
fn key_actions(ctx: &egui::Context) -> Vec<Action> {
    ctx.input_mut(|i| {
        BINDINGS
            .iter()
            .filter(|(m, k, _)| i.consume_key(*m, *k))
            .map(|(_, _, a)| *a)
            .collect()
    })
}

/// Lecture mode's keys, taken before the others (Space moves on, as a
/// presenter's clicker expects; P plays and pauses instead).
pub(super) fn lecture_key_actions(ctx: &egui::Context) -> Vec<Action> {
    const LECTURE_KEYS: &[(&[Key], Action)] = &[
        (
            &[Key::PageDown, Key::ArrowRight, Key::Space],
            Action::NextScene,
        ),
        (&[Key::PageUp, Key::ArrowLeft], Action::PreviousScene),
        (&[Key::P], Action::TogglePlay),
    ];
    ctx.input_mut(|i| {
        LECTURE_KEYS
            .iter()
            .filter(|(keys, _)| {
                // Every key of the row is consumed, not only the first pressed.
                keys.iter()
                    .filter(|k| i.consume_key(Modifiers::NONE, **k))
                    .count()
                    > 0
            })
            .map(|(_, a)| *a)
            .collect()
    })
}
