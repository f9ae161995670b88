//! The window under egui_kittest, shared by tests/gui.rs and its modules
//! tests/gui/layout.rs and tests/gui/modes.rs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::time::{Duration, Instant};

use ebm_lab::gui::{EbmApp, LaunchOptions};
use ebm_lab::presets::load_preset;
use egui_kittest::Harness;

/// The window at 1280×800 on a preset, as `ebm-lab --preset NAME` opens it.
pub fn app(preset: &str) -> Harness<'static, EbmApp> {
    let (settings, story) = load_preset(preset).unwrap();
    app_with(settings, story, preset)
}

/// The window opened on `preset` with `settings` (a start that changed it).
pub fn app_with(
    settings: ebm_lab::settings::Settings,
    story: String,
    preset: &str,
) -> Harness<'static, EbmApp> {
    let preset = preset.to_string();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            EbmApp::new(
                cc,
                LaunchOptions {
                    settings,
                    points: None,
                    story,
                    preset: Some(preset),
                    frames: None,
                    exit_code: Default::default(),
                    compare: Vec::new(),
                    lecture: None,
                    plane: None,
                },
            )
        })
}

/// Steps the UI until `cond` holds (the trainer runs on its own thread), at
/// most `limit`.
pub fn wait_up_to(
    h: &mut Harness<'static, EbmApp>,
    limit: Duration,
    what: &str,
    cond: impl Fn(&EbmApp) -> bool,
) {
    let start = Instant::now();
    while !cond(h.state()) {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The window has paused itself at its first collapse. The pause is checked
/// every 100 steps, so a snapshot between two checks may read collapsed and
/// the next not; at the pause the state holds still.
pub fn paused_at_collapse(a: &EbmApp) -> bool {
    a.snapshot()
        .is_some_and(|s| s.paused_on_collapse && s.state() == ebm_lab::model::State::Collapsed)
}
