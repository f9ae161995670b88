//! The window's logic under egui_kittest (no OpenGL there: the 3D view says so,
//! everything else works): presets, play/pause, a live loss switch, the badge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use ebm_lab::gui::controls::widget_ranges;
use ebm_lab::gui::EbmApp;
use ebm_lab::model::{Loss, State};
use ebm_lab::settings::Settings;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

mod common;
// The layout, mode and settings-table tests share this binary (one link of
// the window's dependencies instead of four).
#[path = "gui/layout.rs"]
mod layout;
#[path = "gui/modes.rs"]
mod modes;
#[path = "gui/settings_table.rs"]
mod settings_table;
use common::app;

/// Steps the UI until `cond` holds (the trainer runs on its own thread).
fn wait(h: &mut Harness<'static, EbmApp>, what: &str, cond: impl Fn(&EbmApp) -> bool) {
    common::wait_up_to(h, Duration::from_secs(60), what, cond);
}

fn step(a: &EbmApp) -> u64 {
    a.snapshot().map_or(0, |s| s.step)
}

#[test]
fn without_opengl_everything_but_the_3d_view_works() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.get_by_label_contains("3D view unavailable: no OpenGL");
    h.get_by_label("Pause");
    h.get_by_label("Heat map (drag to move x₀)");
}

#[test]
fn play_pause_and_step_counter() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.get_by_label("Pause").click();
    wait(&mut h, "pause", |a| {
        a.snapshot().is_some_and(|s| !s.running)
    });
    let paused_at = step(h.state());
    h.run_steps(5);
    std::thread::sleep(Duration::from_millis(100));
    h.run_steps(5);
    assert_eq!(step(h.state()), paused_at, "paused means no steps");
    h.get_by_label("Play").click();
    wait(&mut h, "steps after play", |a| step(a) > paused_at + 50);
}

#[test]
fn choose_a_preset_from_the_menu_and_see_it_learn() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label("dual-nll").click();
    wait(&mut h, "the nll preset", |a| {
        a.snapshot().is_some_and(|s| s.settings.loss == Loss::Nll)
    });
    wait(&mut h, "learned", |a| {
        a.snapshot().is_some_and(|s| s.state() == State::Learned)
    });
    h.run_steps(2);
    h.get_by_label("LEARNED");
}

#[test]
fn switching_the_loss_live_turns_a_collapse_into_a_valley() {
    let mut h = app("dual-energy");
    wait(
        &mut h,
        "the pause at the collapse",
        common::paused_at_collapse,
    );
    h.run_steps(2);
    h.get_by_label("COLLAPSED");
    let before = step(h.state());
    h.get_by_label("square-square").click();
    wait(&mut h, "the switch", |a| {
        a.snapshot()
            .is_some_and(|s| s.settings.loss == Loss::SquareSquare)
    });
    let s = h.state().snapshot().unwrap().clone();
    assert!(
        s.step >= before,
        "a live switch keeps the model (step {} < {before})",
        s.step
    );
    wait(&mut h, "learned after the switch", |a| {
        a.snapshot().is_some_and(|s| s.state() == State::Learned)
    });
    // Square-square may leave `learned` for a moment while it trains on (under
    // load many steps pass between two frames): pause, then the badge must
    // show the state of the snapshot on screen.
    h.get_by_label("Pause").click();
    h.run_steps(3);
    let shown = match h.state().snapshot().unwrap().state() {
        State::Learned => "LEARNED",
        State::Training => "TRAINING",
        State::Collapsed => "COLLAPSED",
        State::Diverged => "DIVERGED",
    };
    h.get_by_label(shown);
}

#[test]
fn every_widget_range_is_a_valid_setting() {
    for (key, lo, hi) in &widget_ranges() {
        for v in [lo, hi] {
            let text = if matches!(
                *key,
                "hidden" | "out_dim" | "grid" | "samples" | "seed" | "radius_late_step"
            ) {
                format!("{}", *v as u64)
            } else {
                format!("{v}")
            };
            let s = Settings {
                samples: 2000,
                ..Settings::default()
            };
            assert!(
                s.with_changes([(*key, text.as_str())]).is_ok(),
                "{key} = {text} is rejected by the settings"
            );
        }
    }
}

#[test]
fn an_invalid_change_is_refused_whole_and_shown() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    let before = h.state().settings().clone();
    h.state_mut().apply_pairs(&[("margin", "2"), ("lr", "-1")]);
    h.run_steps(3);
    let msg = h.state().message().cloned();
    assert!(
        msg.as_ref()
            .is_some_and(|(m, err)| *err && m.contains("lr")),
        "{msg:?}"
    );
    wait(&mut h, "a snapshot after the refusal", |a| {
        a.snapshot().is_some()
    });
    let snap = h.state().snapshot().unwrap();
    assert_eq!(snap.settings.margin, before.margin, "nothing half-applied");
}

/// A window tall enough that the settings column shows every section open
/// without scrolling (kittest reads only the widgets in view; a user at
/// 800 px scrolls the column).
fn tall_enough_for_every_section(h: &mut Harness<'static, EbmApp>) {
    h.set_size(egui::vec2(1280.0, 1200.0));
    h.run_steps(2);
}

/// Types `path` into the Data section's CSV field and clicks Load, as a user.
fn load_csv_from_the_data_section(h: &mut Harness<'static, EbmApp>, path: &str) {
    wait(h, "training to start", |a| step(a) > 0);
    tall_enough_for_every_section(h);
    h.get_by_label("Data (resets)").click();
    h.run_steps(2);
    let field = h.get_by_label("custom CSV");
    field.focus();
    field.type_text(path);
    h.run_steps(2);
    h.get_by_label("Load").click();
}

#[test]
fn a_custom_csv_loads_from_the_data_section() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pts.csv");
    std::fs::write(&csv, "x,y\n-1,0.5\n0,0\n1,0.5\n0.5,0.1\n").unwrap();
    let mut h = app("dual-nll");
    load_csv_from_the_data_section(&mut h, csv.to_str().unwrap());
    wait(&mut h, "the custom dataset", |a| {
        a.snapshot()
            .is_some_and(|s| s.settings.dataset == ebm_lab::model::DatasetKind::Custom)
    });
    wait(&mut h, "its points", |a| {
        a.snapshot().is_some_and(|s| s.view.samples.len() == 4)
    });
    h.run_steps(2);
    // N is the file's count, not the samples setting.
    h.get_by_label("4 points, from the file");
}

/// Sliders and number fields, then text fields: every one found by its role
/// in the accessibility tree, named by its accessible label in failures.
fn widgets(h: &Harness<'static, EbmApp>, role: egui::Role) -> Vec<String> {
    h.get_all_by_role(role)
        .map(|n| {
            use egui_kittest::kittest::NodeT;
            n.accesskit_node().label().unwrap_or_default()
        })
        .collect()
}

fn still_valid(h: &mut Harness<'static, EbmApp>, what: &str) {
    h.run_steps(3);
    let s = h.state().settings().clone();
    assert!(
        s.validate().is_ok(),
        "{what}: the settings became invalid: {s:?}"
    );
}

#[test]
fn every_slider_to_both_ends_and_junk_in_every_field_never_panics() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    tall_enough_for_every_section(&mut h);
    // ȳ by descent: its T, η and start rows appear and are driven too.
    h.state_mut().apply_pairs(&[("inference", "descent")]);
    wait(&mut h, "descent in force", |a| {
        a.settings().inference == ebm_lab::model::inference_spec::InferenceKind::Descent
    });
    for section in ["Model (resets)", "Data (resets)"] {
        h.get_by_label(section).click();
        h.run_steps(2);
    }
    let sliders = widgets(&h, egui::Role::Slider);
    assert!(sliders.len() >= 10, "found sliders {sliders:?}");
    assert!(
        sliders.iter().any(|l| l.contains("steps T")),
        "the descent's rows: {sliders:?}"
    );
    for (i, label) in sliders.iter().enumerate() {
        for end in [f64::MAX, f64::MIN, 0.0, f64::MAX] {
            if let Some(n) = h.get_all_by_role(egui::Role::Slider).nth(i) {
                n.set_value_accesskit(end);
            }
            still_valid(&mut h, label);
        }
    }
    let long = "9".repeat(400);
    let junk = [
        "-1",
        "1e999",
        "nan",
        "abc",
        "",
        "0",
        long.as_str(),
        "\n\t\u{0}",
    ];
    let spins = widgets(&h, egui::Role::SpinButton);
    for (i, label) in spins.iter().enumerate() {
        for text in junk {
            if let Some(n) = h.get_all_by_role(egui::Role::SpinButton).nth(i) {
                n.focus();
            }
            h.run_steps(1);
            if let Some(n) = h.get_all_by_role(egui::Role::SpinButton).nth(i) {
                n.type_text(text);
            }
            h.key_press(egui::Key::Enter);
            still_valid(&mut h, label);
        }
    }
    let fields = widgets(&h, egui::Role::TextInput);
    assert!(!fields.is_empty(), "no text field found");
    for (i, label) in fields.iter().enumerate() {
        for text in junk.iter().chain(&["/nonexistent/x.csv"]) {
            if let Some(n) = h.get_all_by_role(egui::Role::TextInput).nth(i) {
                n.focus();
                n.type_text(text);
            }
            h.key_press(egui::Key::Enter);
            still_valid(&mut h, label);
        }
    }
    if h.query_by_label("Load").is_some() {
        h.get_by_label("Load").click();
        still_valid(&mut h, "Load after junk");
    }
    wait(&mut h, "the trainer still answering", |a| {
        a.snapshot().is_some()
    });
}

#[test]
fn a_refused_csv_leaves_the_panel_on_the_settings_in_force() {
    let mut h = app("dual-nll");
    load_csv_from_the_data_section(&mut h, "/no/such/points.csv");
    h.run_steps(3);
    let app = h.state();
    assert!(app
        .message()
        .is_some_and(|(m, err)| *err && m.contains("data")));
    assert_eq!(
        app.settings().dataset,
        ebm_lab::model::DatasetKind::Parabola
    );
    assert_eq!(
        app.settings().data,
        "/no/such/points.csv",
        "the typed path stays"
    );
}

// ---- Drawing the training points on the heat map ----

use ebm_lab::model::DatasetKind;
use ebm_lab::settings::DRAWN_DATA;
use egui::{Event, Modifiers, PointerButton, Pos2};

fn points(a: &EbmApp) -> Vec<(f64, f64)> {
    a.snapshot().map(|s| s.points.to_vec()).unwrap_or_default()
}

fn near(p: (f64, f64), q: (f64, f64), tol: f64) -> bool {
    (p.0 - q.0).abs() <= tol && (p.1 - q.1).abs() <= tol
}

/// Where the heat map shows (x, y), a few frames after its data last changed
/// (the map's ranges follow the points).
fn on_map(h: &mut Harness<'static, EbmApp>, x: f64, y: f64) -> Pos2 {
    h.run_steps(3);
    h.state()
        .heat_map_screen_pos(x, y)
        .expect("the heat map was drawn")
}

fn button(h: &Harness<'static, EbmApp>, pos: Pos2, button: PointerButton, pressed: bool) {
    h.event(Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

fn click_at(h: &mut Harness<'static, EbmApp>, pos: Pos2, which: PointerButton) {
    h.hover_at(pos);
    button(h, pos, which, true);
    button(h, pos, which, false);
    h.run_steps(2);
}

/// Presses at `from`, moves in `n` steps to `to`, releases (a frame each).
fn drag(h: &mut Harness<'static, EbmApp>, from: Pos2, to: Pos2, n: usize) {
    h.hover_at(from);
    button(h, from, PointerButton::Primary, true);
    h.run_steps(1);
    move_and_release(h, from, to, n);
}

/// With the button down at `from`: moves in `n` steps to `to`, releases.
fn move_and_release(h: &mut Harness<'static, EbmApp>, from: Pos2, to: Pos2, n: usize) {
    for k in 1..=n {
        h.hover_at(from + (to - from) * (k as f32 / n as f32));
        h.run_steps(1);
    }
    button(h, to, PointerButton::Primary, false);
    h.run_steps(2);
}

fn draw_on(h: &mut Harness<'static, EbmApp>) {
    h.get_by_label("Draw points").click();
    h.run_steps(2);
    assert!(h.state().drawing());
}

#[test]
fn a_click_on_the_heat_map_adds_a_point_and_the_model_trains_on_without_a_reset() {
    let mut h = app("eye-nll");
    wait(&mut h, "some training", |a| step(a) > 200);
    draw_on(&mut h);
    h.get_by_label("Heat map");
    h.get_by_label("Save points…");
    h.get_by_label("Pause").click();
    wait(&mut h, "pause", |a| {
        a.snapshot().is_some_and(|s| !s.running)
    });
    let before = h.state().snapshot().unwrap().clone();
    assert_eq!(before.settings.dataset, DatasetKind::Eye);
    assert_eq!(before.points.len(), 100);

    // Two answers at one x, as in the eye: one above, one below.
    let up = on_map(&mut h, 0.3, 0.8);
    click_at(&mut h, up, PointerButton::Primary);
    wait(&mut h, "the first drawn point", |a| points(a).len() == 101);
    let down = on_map(&mut h, 0.3, -0.8);
    click_at(&mut h, down, PointerButton::Primary);
    wait(&mut h, "the second drawn point", |a| points(a).len() == 102);

    let s = h.state().snapshot().unwrap().clone();
    assert_eq!(s.settings.dataset, DatasetKind::Custom);
    assert_eq!(s.settings.data, DRAWN_DATA);
    assert_eq!(s.view.samples.len(), 102, "the run trains on them");
    assert_eq!(
        &s.points[..100],
        &before.points[..],
        "drawn onto the eye's points"
    );
    assert!(near(s.points[100], (0.3, 0.8), 0.03), "{:?}", s.points[100]);
    assert!(
        near(s.points[101], (0.3, -0.8), 0.03),
        "{:?}",
        s.points[101]
    );
    assert_eq!(s.step, before.step, "no reset");
    assert_eq!(s.params, before.params, "the weights are kept");
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("no reset")));

    h.get_by_label("Play").click();
    wait(&mut h, "training on the drawn set", |a| {
        step(a) > before.step + 100
    });
    assert_eq!(points(h.state()).len(), 102);
}

#[test]
fn dragging_moves_a_point_and_a_right_click_deletes_down_to_two() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("four.csv");
    std::fs::write(&csv, "x,y\n-1,-1\n1,1\n0,0\n0.5,-0.5\n").unwrap();
    let mut h = app("dual-nll");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.state_mut().open_points(&csv);
    wait(&mut h, "the four points", |a| points(a).len() == 4);
    h.key_press(egui::Key::D);
    h.run_steps(2);
    assert!(h.state().drawing(), "D turns drawing on");

    let (from, to) = (on_map(&mut h, 0.0, 0.0), on_map(&mut h, -0.4, 0.4));
    drag(&mut h, from, to, 6);
    wait(&mut h, "the move", |a| {
        points(a).iter().any(|&p| near(p, (-0.4, 0.4), 0.03))
    });
    let pts = points(h.state());
    assert_eq!(pts.len(), 4, "a move adds nothing: {pts:?}");
    assert!(!pts.iter().any(|&p| near(p, (0.0, 0.0), 0.1)), "{pts:?}");
    let before = step(h.state());

    for (x, y, left) in [(0.5, -0.5, 3), (-0.4, 0.4, 2)] {
        let at = on_map(&mut h, x, y);
        click_at(&mut h, at, PointerButton::Secondary);
        wait(&mut h, "the deletion", |a| points(a).len() == left);
        assert!(!points(h.state()).iter().any(|&p| near(p, (x, y), 0.05)));
    }
    // Never fewer than two.
    let at = on_map(&mut h, 1.0, 1.0);
    click_at(&mut h, at, PointerButton::Secondary);
    h.run_steps(5);
    let msg = h.state().message().cloned();
    assert!(
        msg.as_ref()
            .is_some_and(|(m, err)| *err && m.contains("at least 2")),
        "{msg:?}"
    );
    assert_eq!(points(h.state()), vec![(-1.0, -1.0), (1.0, 1.0)]);
    assert!(step(h.state()) >= before, "no reset");
    h.get_by_label("Data (resets)").click();
    h.run_steps(2);
    h.get_by_label("2 points, drawn");
    // An edit that goes through clears the refusal.
    let at = on_map(&mut h, 0.0, 0.5);
    click_at(&mut h, at, PointerButton::Primary);
    wait(&mut h, "a third point", |a| points(a).len() == 3);
    let msg = h.state().message().cloned();
    assert!(
        msg.as_ref().is_none_or(|(m, _)| !m.contains("at least")),
        "{msg:?}"
    );
}

#[test]
fn shift_drag_brushes_several_points_along_the_stroke() {
    let mut h = app("dual-nll");
    wait(&mut h, "training to start", |a| step(a) > 0);
    draw_on(&mut h);
    let (from, to) = (on_map(&mut h, -0.6, 1.2), on_map(&mut h, 0.6, 1.2));
    let before = step(h.state());
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.hover_at(from);
    button(&h, from, PointerButton::Primary, true);
    h.hover_at(from + egui::vec2(8.0, 0.0));
    h.run_steps(2);
    // The first point made the set custom: its range (and the image) changed
    // while the button is still down.
    wait(&mut h, "the first point in a snapshot", |a| {
        a.snapshot()
            .is_some_and(|s| s.points.len() == 101 && s.view.y_range.1 < 1.45)
    });
    move_and_release(&mut h, from + egui::vec2(8.0, 0.0), to, 8);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    // The stroke's points reach the trainer edit by edit: wait for its end.
    wait(&mut h, "the whole stroke in a snapshot", |a| {
        let pts = points(a);
        pts.len() >= 106 && pts.last().is_some_and(|p| p.0 > 0.45)
    });
    h.run_steps(5);
    let pts = points(h.state());
    let stroke = &pts[100..];
    assert!(stroke.len() >= 6, "{stroke:?}");
    assert!(
        stroke.windows(2).all(|w| w[1].0 > w[0].0),
        "laid left to right: {stroke:?}"
    );
    // The map holds still during a stroke, so the points lie under it even
    // though the first one changed the data's range.
    assert!(
        stroke.iter().all(|p| (p.1 - 1.2).abs() < 0.05),
        "along the stroke: {stroke:?}"
    );
    assert!(
        stroke[0].0 < -0.5 && stroke[stroke.len() - 1].0 > 0.45,
        "{stroke:?}"
    );
    assert_eq!(h.state().settings().dataset, DatasetKind::Custom);
    assert!(step(h.state()) >= before, "no reset");
}

#[test]
fn saved_points_load_back_and_survive_reset_and_a_structural_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drawn.csv");
    let mut h = app("eye-nll");
    wait(&mut h, "training to start", |a| step(a) > 0);
    draw_on(&mut h);
    let at = on_map(&mut h, -0.2, 0.9);
    click_at(&mut h, at, PointerButton::Primary);
    wait(&mut h, "the drawn point", |a| points(a).len() == 101);
    let drawn = points(h.state());

    // Before any file holds them: kept by a reset and a structural change.
    let version = h.state().snapshot().unwrap().points_version;
    h.key_press(egui::Key::R);
    wait(&mut h, "the reset", |a| {
        a.snapshot().is_some_and(|s| s.points_version > version)
    });
    assert_eq!(points(h.state()), drawn, "a reset keeps the drawn points");
    assert_eq!(h.state().snapshot().unwrap().settings.data, DRAWN_DATA);
    h.state_mut().apply_pairs(&[("hidden", "8")]);
    wait(&mut h, "the new model", |a| {
        a.snapshot().is_some_and(|s| s.settings.hidden == 8)
    });
    assert_eq!(points(h.state()), drawn, "so does a structural change");

    // Settings saved now would name no file: the window says so.
    let toml = dir.path().join("drawn.toml");
    h.state_mut().save_settings(&toml);
    let msg = h.state().message().cloned();
    assert!(
        msg.as_ref()
            .is_some_and(|(m, err)| *err && m.contains("Save points")),
        "{msg:?}"
    );
    assert!(std::fs::read_to_string(&toml).unwrap().contains("(drawn)"));

    h.state_mut().save_points(&file);
    let loaded = ebm_lab::files::read_points(&Settings {
        dataset: DatasetKind::Custom,
        data: file.display().to_string(),
        ..Settings::default()
    })
    .unwrap();
    assert_eq!(loaded, Some(drawn.clone()), "the CSV reads back exactly");
    wait(&mut h, "the set named after its file", |a| {
        a.snapshot()
            .is_some_and(|s| s.settings.data == file.display().to_string())
    });
    assert_eq!(points(h.state()), drawn);
    assert_eq!(h.state().settings().dataset, DatasetKind::Custom);
    // Now the settings find their points.
    h.run_steps(2);
    h.state_mut().save_settings(&toml);
    let reopened = ebm_lab::files::read_settings(&toml).unwrap();
    assert_eq!(ebm_lab::files::read_points(&reopened).unwrap(), Some(drawn));
}

/// Issue 25 (C.1): a start that changes its preset (a link's
/// `#preset=dual-energy&loss=nll`) is explained as the settings in force,
/// not by the preset's story of a collapse.
#[test]
fn a_changed_start_explains_the_loss_in_force() {
    let (mut settings, story) = ebm_lab::presets::load_preset("dual-energy").unwrap();
    settings.loss = ebm_lab::model::Loss::Nll;
    let mut h = common::app_with(settings, story, "dual-energy");
    common::wait_up_to(
        &mut h,
        std::time::Duration::from_secs(30),
        "the first snapshot",
        |a| a.snapshot().is_some(),
    );
    let texts: Vec<String> = h
        .state()
        .banner_messages()
        .into_iter()
        .map(|m| m.text)
        .collect();
    let all = texts.join(" | ");
    assert!(all.contains("nll loss"), "{all}");
    assert!(!all.contains("collapses"), "the preset's story: {all}");
}

/// Issue 25 (C.3): after a refused file a good one loads and the refusal goes.
#[test]
fn a_good_file_after_a_refused_one_clears_the_refusal() {
    let mut h = app("dual-nll");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "x,y\n0,nope\n").unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "0,0\n0.5,0.25\n1,1\n").unwrap();
    h.state_mut().open_points(&bad);
    h.run_steps(2);
    assert!(h.state().message().is_some_and(|(_, err)| *err));
    h.state_mut().open_points(&good);
    wait(&mut h, "the good points", |a| {
        a.snapshot().is_some_and(|s| s.points.len() == 3)
    });
    let msg = h.state().message().cloned();
    assert!(
        msg.as_ref()
            .is_some_and(|(m, err)| !*err && m.contains("good.csv")),
        "{msg:?}"
    );
    let banner: Vec<String> = h
        .state()
        .banner_messages()
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert!(
        !banner.iter().any(|t| t.contains("bad.csv")),
        "the refusal of bad.csv is gone: {banner:?}"
    );
}

/// Lessons → a plane preset: the window shows the latent-variable lessons,
/// trains them in its frames until the badge reads learned, pauses the
/// session meanwhile, offers the E-against-z plot, and goes back.
#[test]
fn the_latent_lessons_open_from_the_menu_learn_and_go_back() {
    let mut h = app("dual-nll");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.get_by_label("Lessons").click();
    h.run_steps(2);
    h.get_by_label("ellipse-zero-t").click();
    h.run_steps(2);
    assert_eq!(
        h.state().plane().map(|p| p.preset()),
        Some("ellipse-zero-t")
    );
    wait(&mut h, "the ellipse learned", |a| {
        a.plane().is_some_and(|p| p.state() == State::Learned)
    });
    h.run_steps(2);
    h.get_by_label("LEARNED");
    h.get_by_label_contains("against z at that point appears here");
    let paused_at = step(h.state());
    h.run_steps(20);
    assert_eq!(
        step(h.state()),
        paused_at,
        "the session is paused meanwhile"
    );
    // A CSV of 2-D points dropped on the window: trained on from step 0; a
    // CSV with one column: refused, naming its line, the run left alone.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("ring.csv");
    let ring: String = (0..12)
        .map(|k| {
            let t = k as f64 * std::f64::consts::TAU / 12.0;
            format!("{},{}\n", 1.5 * t.cos(), 1.5 * t.sin())
        })
        .collect();
    std::fs::write(&good, format!("y1,y2\n{ring}")).unwrap();
    let drop = |h: &mut Harness<'static, EbmApp>, path: &std::path::Path| {
        let file = std::sync::Arc::new(Dropped(path.to_path_buf()));
        h.input_mut().dropped_files.push(file);
        h.run_steps(2);
    };
    drop(&mut h, &good);
    assert_eq!(h.state().plane().map(|p| p.samples()), Some(12));
    let bad = dir.path().join("one.csv");
    std::fs::write(&bad, "y\n1\n2\n").unwrap();
    drop(&mut h, &bad);
    let problem = h
        .state()
        .plane()
        .and_then(|p| p.problem())
        .unwrap_or("")
        .to_string();
    assert!(
        problem.contains("one.csv") && problem.contains("line 2"),
        "{problem}"
    );
    assert_eq!(h.state().plane().map(|p| p.samples()), Some(12));
    h.get_by_label("Back to the paper's demos").click();
    h.run_steps(2);
    assert!(h.state().plane().is_none());
    wait(&mut h, "the session resumed", |a| step(a) > paused_at);
}

/// A file dropped on the window in a test.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
