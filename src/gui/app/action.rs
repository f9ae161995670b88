//! What the window's panels, menus and keys ask for. A panel owns its own
//! state (the toolbar its [`Transport`](super::toolbar::Transport), the View
//! menu the [`ViewOptions`](super::options::ViewOptions)) and returns
//! [`Action`]s; the app routes them to the sessions and the modes in
//! [`EbmApp::route`], the one place that does.

use super::*;

/// One request of a panel, a menu or a key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Play or pause every run (Space).
    TogglePlay,
    /// Train the toolbar's step count, then pause (S).
    Step,
    /// A new model, on the same or the next seed (R, N).
    Reset {
        new_seed: bool,
    },
    /// Start or stop recording a GIF.
    ToggleRecording,
    /// The speed limit of every run (`None`: as fast as it goes).
    Speed(Option<f64>),
    /// The 3D view's camera back home (V).
    ResetView,
    /// The step-0 ghost surface (G).
    ToggleGhost,
    /// The key to the 3D view (K).
    ToggleKey,
    /// The help window (F1, H; Help → Keyboard shortcuts opens it).
    ToggleHelp,
    ShowHelp,
    /// The presentation layout on or off (F5, View menu, Leave).
    Present(bool),
    TogglePresent,
    /// Full screen (F11).
    FullScreen,
    /// Drawing points on the heat map (D).
    ToggleDrawing,
    /// Escape: closes the help, else leaves the presentation layout.
    Escape,
    /// A file prompt (Ctrl+O, Ctrl+S, Ctrl+P, Ctrl+E, the File menu).
    Dialog(DialogKind),
    /// A preset of the Presets menu.
    LoadPreset(&'static str),
    /// A latent-variable lesson of the Lessons menu.
    EnterLesson(&'static str),
    /// Compare: the lesson beside its most telling loss, one run more, back to one.
    CompareDefault,
    AddCompareRun,
    LeaveCompare,
    /// Lecture mode's next and previous scene.
    NextScene,
    PreviousScene,
    /// Close the window (File → Quit).
    Quit,
}

impl EbmApp {
    /// Does what `actions` ask, in order.
    pub(super) fn route_all(&mut self, ctx: &egui::Context, actions: Vec<Action>) {
        for action in actions {
            self.route(ctx, action);
        }
    }

    /// Does what one action asks: the one place panels reach the sessions
    /// and the modes.
    pub(super) fn route(&mut self, ctx: &egui::Context, action: Action) {
        let options = &mut self.options;
        match action {
            Action::TogglePlay => self.toggle_play(),
            Action::Step => self.send_all(Command::Step(self.transport.step_n)),
            Action::Reset { new_seed } => self.reset(new_seed),
            Action::ToggleRecording => self.toggle_recording(),
            Action::Speed(limit) => self.send_all(Command::Speed(limit)),
            Action::ResetView => self.view.reset_camera(),
            Action::ToggleGhost => options.show_ghost = !options.show_ghost,
            Action::ToggleKey => options.show_key = !options.show_key,
            Action::ToggleHelp => options.show_help = !options.show_help,
            Action::ShowHelp => options.show_help = true,
            Action::Present(on) => options.presenting = on,
            Action::TogglePresent => options.presenting = !options.presenting,
            Action::FullScreen => {
                let full = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
            }
            Action::ToggleDrawing => self.set_drawing(!self.side.draw.on),
            Action::Escape => options.escape(),
            Action::Dialog(kind) => self.open_dialog(kind),
            Action::LoadPreset(name) => self.load_preset(name),
            Action::EnterLesson(name) => self.enter_plane(name),
            Action::CompareDefault => self.compare_default(),
            Action::AddCompareRun => self.add_compare_run(),
            Action::LeaveCompare => self.leave_compare(),
            Action::NextScene => self.next_scene(),
            Action::PreviousScene => self.previous_scene(),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }
}
