//! The keyboard: every shortcut of the window in one place (the help window
//! lists them from [`KEYS`]).

use egui::{Key, Modifiers};

use super::*;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Play,
    Step,
    Reset,
    NewSeed,
    View,
    Ghost,
    Key,
    Help,
    Present,
    FullScreen,
    Draw,
    Escape,
    Dialog(DialogKind),
}

/// Each shortcut: modifiers, key, action, and its line in the help window.
const BINDINGS: &[(Modifiers, Key, Act)] = &[
    (Modifiers::NONE, Key::Space, Act::Play),
    (Modifiers::NONE, Key::S, Act::Step),
    (Modifiers::NONE, Key::R, Act::Reset),
    (Modifiers::NONE, Key::N, Act::NewSeed),
    (Modifiers::NONE, Key::V, Act::View),
    (Modifiers::NONE, Key::G, Act::Ghost),
    (Modifiers::NONE, Key::K, Act::Key),
    (Modifiers::NONE, Key::F1, Act::Help),
    (Modifiers::NONE, Key::H, Act::Help),
    (Modifiers::NONE, Key::F5, Act::Present),
    (Modifiers::NONE, Key::F11, Act::FullScreen),
    (Modifiers::NONE, Key::D, Act::Draw),
    (Modifiers::NONE, Key::Escape, Act::Escape),
    (
        Modifiers::COMMAND,
        Key::O,
        Act::Dialog(DialogKind::OpenSettings),
    ),
    (
        Modifiers::COMMAND,
        Key::S,
        Act::Dialog(DialogKind::SaveSettings),
    ),
    (
        Modifiers::COMMAND,
        Key::P,
        Act::Dialog(DialogKind::ExportPng),
    ),
    (
        Modifiers::COMMAND,
        Key::E,
        Act::Dialog(DialogKind::ExportCsv),
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
    pub(super) fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.dialog_open() {
            return;
        }
        if self.lecture.is_some() {
            self.lecture_keys(ctx);
        }
        let acts: Vec<Act> = ctx.input_mut(|i| {
            BINDINGS
                .iter()
                .filter(|(m, k, _)| i.consume_key(*m, *k))
                .map(|(_, _, a)| *a)
                .collect()
        });
        for act in acts {
            self.act(ctx, act);
        }
    }

    /// Lecture mode's keys, taken before the others (Space moves on, as a
    /// presenter's clicker expects; P plays and pauses instead).
    fn lecture_keys(&mut self, ctx: &egui::Context) {
        let (next, back, play) = ctx.input_mut(|i| {
            let mut pressed = |keys: &[Key]| {
                keys.iter()
                    .filter(|k| i.consume_key(Modifiers::NONE, **k))
                    .count()
                    > 0
            };
            (
                pressed(&[Key::PageDown, Key::ArrowRight, Key::Space]),
                pressed(&[Key::PageUp, Key::ArrowLeft]),
                pressed(&[Key::P]),
            )
        });
        if next {
            self.next_scene();
        }
        if back {
            self.previous_scene();
        }
        if play {
            self.toggle_play();
        }
    }

    fn act(&mut self, ctx: &egui::Context, act: Act) {
        match act {
            Act::Play => self.toggle_play(),
            Act::Step => {
                self.send_all(Command::Step(self.step_n));
            }
            Act::Reset => self.reset(false),
            Act::NewSeed => self.reset(true),
            Act::View => self.view.reset_camera(),
            Act::Ghost => self.show_ghost = !self.show_ghost,
            Act::Key => self.show_key = !self.show_key,
            Act::Help => self.show_help = !self.show_help,
            Act::Present => self.presenting = !self.presenting,
            Act::FullScreen => {
                let full = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
            }
            Act::Draw => self.set_drawing(!self.draw.on),
            Act::Escape => {
                if self.show_help {
                    self.show_help = false;
                } else {
                    self.presenting = false;
                }
            }
            Act::Dialog(kind) => self.open_dialog(kind),
        }
    }
}
