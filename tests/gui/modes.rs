//! The window's compare mode under egui_kittest: runs side by side, linked
//! controls, shared and own settings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use ebm_lab::gui::EbmApp;
use ebm_lab::model::{Loss, State};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use crate::common::app;

fn wait(h: &mut Harness<'static, EbmApp>, what: &str, cond: impl Fn(&EbmApp) -> bool) {
    crate::common::wait_up_to(h, Duration::from_secs(60), what, cond);
}

fn step(a: &EbmApp) -> u64 {
    a.snapshot().map_or(0, |s| s.step)
}

/// Every partner's step (0 before its first snapshot).
fn partner_steps(a: &EbmApp) -> Vec<u64> {
    a.partner_snapshots()
        .iter()
        .map(|s| s.as_ref().map_or(0, |s| s.step))
        .collect()
}

fn all_paused(a: &EbmApp) -> bool {
    a.snapshot().is_some_and(|s| !s.running)
        && a.partner_snapshots()
            .iter()
            .all(|s| s.as_ref().is_some_and(|s| !s.running))
}

#[test]
fn compare_from_the_menu_runs_both_with_one_set_of_controls() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    h.get_by_label("Compare").click();
    h.run_steps(3);
    h.get_by_label("Compare losses…").click();
    h.run_steps(3);
    assert!(h.state().comparing());
    assert_eq!(h.state().partner_labels(), vec!["loss = nll".to_string()]);
    assert!(
        h.state().title().ends_with("vs loss = nll"),
        "{}",
        h.state().title()
    );
    wait(&mut h, "the partner to train", |a| {
        partner_steps(a).iter().all(|&s| s > 200)
    });
    let partner = h.state().partner_snapshots()[0].clone().unwrap();
    assert_eq!(partner.settings.loss, Loss::Nll);
    assert_eq!(
        h.state().settings().loss,
        Loss::Energy,
        "the panel's run keeps its loss"
    );

    // One Pause for all.
    h.get_by_label("Pause").click();
    wait(&mut h, "every run to pause", all_paused);
    // One Reset for all: both back to step 0, from the same initial weights.
    h.get_by_label("Reset").click();
    wait(&mut h, "every run to reset", |a| {
        step(a) == 0 && partner_steps(a) == vec![0] && all_paused(a)
    });
    let (mine, theirs) = (
        h.state().snapshot().unwrap().clone(),
        h.state().partner_snapshots()[0].clone().unwrap(),
    );
    assert_eq!(
        mine.initial_energy, theirs.initial_energy,
        "same data and initial weights give the same step-0 surface"
    );
    // One Step for all: exactly the step count each.
    h.get_by_label("Step").click();
    wait(&mut h, "both to step 100", |a| {
        step(a) == 100 && partner_steps(a) == vec![100] && all_paused(a)
    });

    // A shared setting reaches the partner; its own loss stays.
    h.state_mut()
        .apply_pairs(&[("lr", "0.02"), ("loss", "hinge")]);
    wait(
        &mut h,
        "the partner to take the shared learning rate",
        |a| {
            a.partner_snapshots()[0]
                .as_ref()
                .is_some_and(|s| s.settings.lr == 0.02)
        },
    );
    let partner = h.state().partner_snapshots()[0].clone().unwrap();
    assert_eq!(partner.settings.loss, Loss::Nll, "the partner's own key");
    wait(&mut h, "the panel's run to take hinge", |a| {
        a.snapshot().is_some_and(|s| s.settings.loss == Loss::Hinge)
    });
}

#[test]
fn runs_are_added_removed_and_refused_by_name() {
    let mut h = app("dual-energy");
    wait(&mut h, "training to start", |a| step(a) > 0);
    let e = h
        .state_mut()
        .start_compare(&["hidden=5".to_string()])
        .expect_err("a structural partner");
    assert!(e.contains("hidden") && e.contains("initial weights"), "{e}");
    assert!(!h.state().comparing(), "a refused partner changes nothing");
    h.state_mut()
        .start_compare(&["loss=nll".to_string()])
        .unwrap();
    h.run_steps(3);
    h.get_by_label("Add a run").click();
    h.run_steps(3);
    assert_eq!(
        h.state().partner_labels(),
        vec!["loss = nll".to_string(), "loss = square-square".to_string()]
    );
    wait(&mut h, "both partners to train", |a| {
        partner_steps(a).iter().all(|&s| s > 0)
    });
    h.get_by_label("Leave compare").click();
    h.run_steps(3);
    assert!(!h.state().comparing());
    assert_eq!(h.state().title(), "ebm-lab · dual-energy");
    let before = step(h.state());
    wait(&mut h, "the window's run to go on", |a| step(a) > before);
}

fn lecture_app() -> Harness<'static, EbmApp> {
    let mut h = app("dual-energy");
    let lecture = ebm_lab::lecture::Lecture::paper().unwrap();
    h.state_mut().start_lecture(lecture, 0);
    h.run_steps(2);
    h
}

fn press(h: &mut Harness<'static, EbmApp>, key: egui::Key) {
    h.key_press(key);
    h.run_steps(2);
}

#[test]
fn presenter_keys_move_through_the_lecture() {
    let mut h = lecture_app();
    let n = h.state().lecture_position().unwrap().1;
    assert!(n >= 10);
    assert!(
        h.state().presenting(),
        "a lecture plays in the presentation layout"
    );
    assert!(
        h.state().title().contains(&format!("1/{n}")),
        "{}",
        h.state().title()
    );
    for (key, want) in [
        (egui::Key::PageDown, 1),
        (egui::Key::ArrowRight, 2),
        (egui::Key::Space, 3),
        (egui::Key::PageUp, 2),
        (egui::Key::ArrowLeft, 1),
        (egui::Key::ArrowLeft, 0),
        (egui::Key::PageUp, 0),
    ] {
        press(&mut h, key);
        assert_eq!(
            h.state().lecture_position(),
            Some((want, n)),
            "after {key:?}"
        );
    }
    h.get_by_label("Next").click();
    h.run_steps(2);
    assert_eq!(h.state().lecture_position(), Some((1, n)));
    // The scene with partners opens compare mode; the next scene leaves it.
    let lecture = ebm_lab::lecture::Lecture::paper().unwrap();
    let with = lecture
        .scenes
        .iter()
        .position(|s| !s.compare.is_empty())
        .unwrap();
    h.state_mut().go_to_scene(with);
    h.run_steps(2);
    assert!(h.state().comparing());
    assert_eq!(
        h.state().partner_labels().len(),
        lecture.scenes[with].compare.len()
    );
    h.state_mut().go_to_scene(0);
    h.run_steps(2);
    assert!(!h.state().comparing());
    wait(&mut h, "scene 1's run", |a| {
        a.snapshot()
            .is_some_and(|s| s.settings.architecture.name() == "regressor")
    });
}

#[test]
fn scene_events_pause_and_switch_once_reached() {
    let mut h = lecture_app();
    let lecture = ebm_lab::lecture::Lecture::paper().unwrap();
    let pausing = lecture
        .scenes
        .iter()
        .position(|s| s.events.iter().any(|e| e.pause))
        .unwrap();
    h.state_mut().go_to_scene(pausing);
    wait(&mut h, "the collapse event to pause the run", |a| {
        a.lecture_shown().is_some() && all_paused(a)
    });
    assert_eq!(
        h.state().snapshot().unwrap().state(),
        ebm_lab::model::State::Collapsed
    );
    let switching = lecture
        .scenes
        .iter()
        .position(|s| s.events.iter().any(|e| !e.set.is_empty()))
        .unwrap();
    h.state_mut().go_to_scene(switching);
    assert!(
        h.state().lecture_shown().is_none(),
        "a new scene starts clean"
    );
    // The hold: paused at the collapse with the text shown, still the energy loss.
    wait(&mut h, "the hold before the scripted switch", |a| {
        a.lecture_shown().is_some()
            && all_paused(a)
            && a.snapshot()
                .is_some_and(|s| s.settings.loss == Loss::Energy)
    });
    // Then the switch, and training goes on.
    wait(&mut h, "the scripted switch to nll", |a| {
        a.snapshot().is_some_and(|s| s.settings.loss == Loss::Nll)
    });
    wait(&mut h, "the switched run to learn", |a| {
        a.snapshot()
            .is_some_and(|s| s.state() == ebm_lab::model::State::Learned)
    });
}

/// The latent lecture: a plane scene shows the plane mode under the
/// lecture's bar, → moves to the next scene, and the collapse scene's event
/// pauses the plane's run with its text shown.
#[test]
fn the_latent_lecture_plays_its_plane_scenes() {
    let mut h = app("dual-energy");
    let lecture = ebm_lab::lecture::Lecture::latent().unwrap();
    h.state_mut().start_lecture(lecture, 0);
    h.run_steps(2);
    assert_eq!(
        h.state().plane().map(|p| p.preset()),
        Some("ellipse-zero-t")
    );
    h.get_by_label_contains("1/10");
    // Every scene draws (a glyph missing from the font would panic here),
    // with the E-against-z plot shown.
    for i in 0..10 {
        h.state_mut().go_to_scene(i);
        h.run_steps(2);
        if let Some(p) = h.state_mut().plane_mut() {
            p.pick([0.5, 0.5]);
        }
        h.run_steps(2);
        h.get_by_label_contains(&format!("{}/10", i + 1));
    }
    h.state_mut().go_to_scene(0);
    h.run_steps(2);
    press(&mut h, egui::Key::ArrowRight);
    assert_eq!(h.state().lecture_position(), Some((1, 10)));
    assert!(h.state().plane().is_some());
    h.state_mut().go_to_scene(4);
    h.run_steps(2);
    assert_eq!(
        h.state().plane().map(|p| p.preset()),
        Some("latent-mlp-collapse")
    );
    wait(&mut h, "the collapse event", |a| {
        a.lecture_shown()
            .is_some_and(|t| t.starts_with("Collapsed"))
    });
    let at = h.state().plane().map(|p| p.step());
    h.run_steps(10);
    assert_eq!(
        h.state().plane().map(|p| p.step()),
        at,
        "paused at the collapse"
    );
    assert_eq!(h.state().plane().map(|p| p.state()), Some(State::Collapsed));
    // Back on the line: the paper's lecture's first scene is not a plane.
    let paper = ebm_lab::lecture::Lecture::paper().unwrap();
    h.state_mut().start_lecture(paper, 0);
    h.run_steps(2);
    assert!(h.state().plane().is_none());
}

/// The sampling lecture: every scene is a density on the plane and draws
/// (a glyph missing from the font would panic here), with the density's
/// numbers, the efficiency plot, and, where the scene samples, the chains
/// on the heat map after a step.
#[test]
fn the_sampling_lecture_plays_its_density_scenes() {
    let mut h = app("dual-energy");
    let lecture = ebm_lab::lecture::Lecture::sampling().unwrap();
    let n = lecture.scenes.len();
    let on_plane: Vec<bool> = lecture.scenes.iter().map(|s| s.plane.is_some()).collect();
    h.state_mut().start_lecture(lecture, 0);
    h.run_steps(2);
    for (i, plane) in on_plane.into_iter().enumerate() {
        h.state_mut().go_to_scene(i);
        h.run_steps(3);
        h.get_by_label_contains(&format!("{}/{n}", i + 1));
        if plane {
            h.get_by_label_contains("mass off the data");
            h.get_by_label_contains("Per step: energies computed");
            assert!(h.state().plane().is_some_and(|p| p.family() == "densities"));
        } else {
            // The eye scene: the grid beside descent, on the line.
            assert!(h.state().plane().is_none());
            assert!(h.state().comparing());
            let lists = h.state().partner_lists();
            assert!(
                lists.iter().any(|l| l.contains("inference=descent")),
                "{lists:?}"
            );
        }
    }
    h.state_mut().go_to_scene(2);
    h.run_steps(2);
    assert_eq!(h.state().plane().map(|p| p.preset()), Some("density-cd"));
    h.get_by_label_contains("finds the negatives");
    wait(&mut h, "a trained step", |a| {
        a.plane().is_some_and(|p| p.step() > 0)
    });
    // Export samples: the bar's button, and 1,000 samples as y1,y2.
    h.get_by_label("Export samples…");
    let csv = h
        .state()
        .plane()
        .and_then(|p| p.samples_csv())
        .expect("a density");
    assert!(csv.starts_with("y1,y2\n"));
    assert_eq!(csv.lines().count(), 1001);
}

/// Issue 24 item 3: density compare puts the exact version beside the
/// sampled one, from the same data and weights, stepped together.
#[test]
fn density_compare_steps_the_exact_and_the_sampled_run_together() {
    let mut h = app("dual-energy");
    h.state_mut().enter_plane("density-cd");
    h.run_steps(3);
    h.get_by_label("Compare exact / sampled").click();
    h.run_steps(2);
    let p = h.state().plane().expect("the plane mode");
    let partner = p.partner().expect("compare on");
    assert!(!partner.spec.cd, "the partner is the exact version");
    h.get_by_label_contains("exact: nll over the grid");
    h.get_by_label_contains("sampled: cd, langevin");
    wait(&mut h, "steps in both", |a| {
        a.plane().is_some_and(|p| p.step() >= 3)
    });
    if let Some(p) = h.state_mut().plane_mut() {
        p.pause();
    }
    h.run_steps(2);
    let p = h.state().plane().expect("the plane mode");
    assert_eq!(p.partner().map(|r| r.step()), Some(p.step()), "in lockstep");
    h.get_by_label_contains("Total variation between the two Gibbs densities");
    h.get_by_label("Compare exact / sampled").click();
    h.run_steps(2);
    assert!(h.state().plane().is_some_and(|p| p.partner().is_none()));
}
