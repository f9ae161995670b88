//! The window a lecturer trusts (issue 14), under egui_kittest (no OpenGL: the
//! 3D view's rectangle is still laid out, so its size can be checked): messages
//! wrap without moving the 3D view, stale messages clear, the title follows the
//! settings, the theme has named choices, the plots have keys, the path prompt
//! answers Enter and Escape, and F5 gives the presentation layout.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use ebm_lab::gui::app::Cause;
use ebm_lab::gui::EbmApp;
use ebm_lab::model::{Loss, State};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use crate::common::app;

/// Steps the UI until `cond` holds (the trainer runs on its own thread).
fn wait(h: &mut Harness<'static, EbmApp>, what: &str, cond: impl Fn(&EbmApp) -> bool) {
    crate::common::wait_up_to(h, Duration::from_secs(90), what, cond);
}

fn state(a: &EbmApp) -> Option<State> {
    a.snapshot().map(|s| s.state())
}

fn causes(a: &EbmApp) -> Vec<Cause> {
    a.banner_messages().iter().map(|m| m.cause).collect()
}

#[test]
fn a_long_divergence_message_wraps_and_keeps_the_3d_view_in_place() {
    let mut h = app("dual-square-square");
    wait(&mut h, "training", |a| {
        a.snapshot().is_some_and(|s| s.step > 0)
    });
    h.run_steps(3);
    let before = h.state().view_rect();
    assert!(before.width() > 400.0, "{before:?}");
    // square-square's gradient grows with the energy: lr = 50 diverges in a few steps.
    h.state_mut().apply_pairs(&[("lr", "50")]);
    wait(&mut h, "divergence", |a| state(a) == Some(State::Diverged));
    // The user keeps dragging the lr slider after the divergence.
    h.state_mut().apply_pairs(&[("lr", "100")]);
    wait(&mut h, "lr = 100 in force", |a| {
        a.snapshot().is_some_and(|s| s.settings.lr == 100.0)
    });
    h.run_steps(3);
    let msgs = h.state().banner_messages();
    let d = msgs
        .iter()
        .find(|m| m.cause == Cause::Diverged)
        .expect("a divergence message");
    assert!(
        d.text.contains("lr = 50 ") && d.text.contains("Now lr = 100"),
        "names the lr in force then and now: {}",
        d.text
    );
    assert_eq!(h.state().view_rect(), before, "the 3D view did not move");
    // The banner's Reset button is inside the centre, left of the plots column.
    let resets = h.query_all_by_label("Reset").collect::<Vec<_>>();
    assert!(resets.len() >= 2, "toolbar and banner Reset");
    assert!(
        resets.iter().any(|r| before.contains_rect(r.rect()) || {
            let rr = r.rect();
            rr.left() >= before.left() - 1.0 && rr.right() <= before.right() + 1.0
        }),
        "the banner's Reset sits over the 3D view's column"
    );
    h.get_by_label("DIVERGED");
    // Huge numbers print short in the status bar.
    let status = h.query_all_by_label_contains("loss ").count();
    assert!(status > 0);
}

#[test]
fn stale_messages_clear_when_their_cause_does() {
    let mut h = app("dual-energy");
    wait(
        &mut h,
        "the pause at the collapse",
        crate::common::paused_at_collapse,
    );
    h.run_steps(2);
    let explain = |a: &EbmApp| {
        a.banner_messages()
            .into_iter()
            .find(|m| m.cause == Cause::Explain)
            .map(|m| m.text)
            .unwrap_or_default()
    };
    assert!(
        explain(h.state()).contains("square-square or nll"),
        "{}",
        explain(h.state())
    );
    assert_eq!(h.state().title(), "ebm-lab · dual-energy");
    h.get_by_label("nll").click();
    wait(&mut h, "learned under nll", |a| {
        a.snapshot()
            .is_some_and(|s| s.settings.loss == Loss::Nll && s.state() == State::Learned)
    });
    h.run_steps(2);
    let text = explain(h.state());
    assert!(
        text.starts_with("nll loss") && text.contains("Learned"),
        "{text}"
    );
    assert!(
        !text.contains("Energy alone") && !text.contains("click square-square"),
        "{text}"
    );
    let c = causes(h.state());
    assert!(!c.contains(&Cause::StuckCollapsed), "{c:?}");
    for m in h.state().banner_messages() {
        assert!(
            !m.text.contains("collapsed"),
            "stale under LEARNED: {}",
            m.text
        );
    }
    let title = h.state().title().to_string();
    assert!(
        title.contains("nll") && title.contains("changed from dual-energy"),
        "{title}"
    );
}

#[test]
fn the_title_follows_presets_and_saved_stories_follow_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    let mut h = app("dual-energy");
    wait(&mut h, "training", |a| a.snapshot().is_some());
    h.state_mut().apply_pairs(&[("loss", "square-square")]);
    wait(&mut h, "the switch", |a| {
        a.settings().loss == Loss::SquareSquare
    });
    h.run_steps(2);
    // Save through the prompt: Ctrl+S, a path, Enter.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    h.get_by_label("Save settings (TOML)");
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.run_steps(1);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text(path.to_str().unwrap());
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let saved = std::fs::read_to_string(&path).expect("Enter saved the file");
    assert!(saved.contains("loss = \"square-square\""), "{saved}");
    assert!(
        saved.contains("story = \"dual architecture, square-square loss"),
        "the story describes the settings saved: {saved}"
    );
    assert!(h.query_by_label("Save settings (TOML)").is_none(), "closed");
    // Escape cancels a prompt.
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(2);
    h.get_by_label("Open settings (TOML)");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Open settings (TOML)").is_none());
    // Opening the file names the window after it.
    h.state_mut().open_settings(&path);
    h.run_steps(2);
    assert_eq!(h.state().title(), "ebm-lab · mine.toml");
}

#[test]
fn the_theme_has_named_choices_and_the_plots_have_keys() {
    let mut h = app("dual-nll");
    wait(&mut h, "training", |a| {
        a.snapshot().is_some_and(|s| s.step > 0)
    });
    h.run_steps(2);
    for entry in [
        "E(y | x₀)",
        "y̌(x₀)",
        "samples near x₀",
        "ȳ",
        "y̌(x)",
        "x₀",
        "loss",
    ] {
        assert!(
            h.query_all_by_label(entry).count() > 0,
            "no key entry {entry:?}"
        );
    }
    h.get_by_label("View").click();
    h.run_steps(2);
    for name in ["Dark", "Light", "System"] {
        h.get_by_label(name);
    }
    h.get_by_label("Light").click();
    h.run_steps(2);
    assert_eq!(
        h.ctx.options(|o| o.theme_preference),
        egui::ThemePreference::Light
    );
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
}

#[test]
fn presentation_layout_and_zoom_leave_the_3d_view_room() {
    let mut h = app("dual-nll");
    wait(&mut h, "training", |a| a.snapshot().is_some());
    h.run_steps(3);
    let normal = h.state().view_rect();
    h.key_press(Key::F5);
    h.run_steps(3);
    assert!(h.state().presenting());
    let big = h.state().view_rect();
    // The whole width, and the height less only the presentation toolbar's
    // larger type.
    assert!(
        big.width() > 1200.0 && big.height() > normal.height() - 40.0,
        "{big:?} vs {normal:?}"
    );
    assert!(h.query_by_label("Heat map (drag to move x₀)").is_none());
    h.get_by_label("nll");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(!h.state().presenting());
    assert_eq!(h.state().view_rect(), normal);
    // Projector zoom: the view keeps half the width; back at 1.0 all is as before.
    h.ctx.set_zoom_factor(1.5);
    h.run_steps(4);
    let zoomed = h.state().view_rect();
    let screen = h.ctx.content_rect();
    assert!(
        zoomed.width() >= 0.5 * screen.width() - 20.0,
        "{zoomed:?} in {screen:?}"
    );
    h.ctx.set_zoom_factor(1.0);
    h.run_steps(4);
    assert_eq!(h.state().view_rect(), normal);
}

#[test]
fn a_phone_wide_window_keeps_the_losses_reachable_and_the_badge_clear() {
    let mut h = app("dual-energy");
    wait(&mut h, "the collapse", |a| {
        state(a) == Some(State::Collapsed)
    });
    // A phone held upright: 412 × 915 points.
    h.set_size(egui::vec2(412.0, 915.0));
    h.run_steps(4);
    assert!(
        h.query_by_label("margin m").is_none(),
        "no room for the settings column"
    );
    let badge = h.get_by_label("COLLAPSED").rect();
    for control in ["Reset", "New seed"] {
        let r = h.get_by_label(control).rect();
        assert!(
            !r.intersects(badge),
            "{control} {r:?} under the badge {badge:?}"
        );
    }
    h.get_by_label("nll").click();
    h.run_steps(3);
    assert_eq!(
        h.state().settings().loss,
        Loss::Nll,
        "a loss button in the loss row"
    );
    // The presentation bar puts its badge on a row of its own and wraps the losses.
    h.key_press(Key::F5);
    h.run_steps(3);
    h.get_by_label("hinge").click();
    h.run_steps(3);
    assert_eq!(h.state().settings().loss, Loss::Hinge);
    let view = h.state().view_rect();
    assert!(view.height() > 60.0 && view.width() > 300.0, "{view:?}");
}
