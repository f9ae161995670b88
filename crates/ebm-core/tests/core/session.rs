//! The live session (DESIGN §5, §7): commands, latest-wins
//! snapshots, one training loop with the headless path, and recovery.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ebm_core::model::{Loss, Run, State};
use ebm_core::presets::load_preset;
use ebm_core::session::{Command, LiveSession, Session, Snapshot};
use ebm_core::settings::{Change, Settings};

const WAIT: Duration = Duration::from_secs(20);

fn preset(name: &str) -> Settings {
    match load_preset(name) {
        Ok((s, _)) => s,
        Err(e) => panic!("preset {name}: {e}"),
    }
}

/// Waits for a snapshot published after `after` (a seq) that satisfies `pred`.
fn wait(s: &Session, after: u64, what: &str, pred: impl Fn(&Snapshot) -> bool) -> Arc<Snapshot> {
    match s.wait_for(WAIT, |snap| snap.seq > after && pred(snap)) {
        Some(snap) => snap,
        None => panic!(
            "timed out waiting for {what}; latest: {:?}",
            brief(s.latest())
        ),
    }
}

fn brief(s: Option<Arc<Snapshot>>) -> String {
    match s {
        Some(s) => format!(
            "seq {} step {} running {} pending {} error {:?} notice {:?}",
            s.seq, s.step, s.running, s.pending_steps, s.error, s.notice
        ),
        None => "none".into(),
    }
}

/// Sends `Step(n)` and waits until those n steps are done and the run is paused.
fn step(s: &Session, n: u64) -> Arc<Snapshot> {
    let from = s.latest().map_or(0, |x| x.step);
    let seq = s.published();
    assert!(s.send(Command::Step(n)));
    wait(s, seq, &format!("step {}", from + n), |x| {
        x.step == from + n && !x.running
    })
}

fn headless(settings: &Settings, steps: u64) -> Run {
    let mut run = Run::new(settings, None);
    for _ in 0..steps {
        if let Err(d) = run.train_step() {
            panic!("headless run diverged: {d}");
        }
    }
    run
}

fn first(s: &Session) -> Arc<Snapshot> {
    wait(s, 0, "the first snapshot", |_| true)
}

#[test]
fn session_and_headless_give_bit_identical_weights() {
    let mut with_batches = preset("dual-energy");
    with_batches.batch = 16;
    with_batches.optimizer = ebm_core::model::OptimizerKind::Adam;
    with_batches.seed = 3;
    for settings in [preset("dual-energy"), with_batches] {
        let s = Session::start(settings.clone(), None);
        let s0 = first(&s);
        assert_eq!(s0.step, 0);
        assert!(!s0.running, "a session starts paused");
        assert_eq!(*s0.params, Run::new(&settings, None).model.params);
        // Two commands, each spread over many 1 ms chunks.
        step(&s, 700);
        let snap = step(&s, 800);
        let run = headless(&settings, 1500);
        assert_eq!(snap.step, 1500);
        assert_eq!(*snap.params, run.model.params, "weights differ bit for bit");
        let mut run = run;
        assert_eq!(snap.metrics, run.metrics());
    }
}

#[test]
fn live_loss_switch_applies_at_the_next_step_and_rescues_the_collapse() {
    let settings = preset("dual-energy");
    let s = Session::start(settings.clone(), None);
    first(&s);
    step(&s, 1000);

    // The same switch, headless: energy for 1000 steps, then square-square.
    let mut run = headless(&settings, 1000);
    let mut control = headless(&settings, 1000);
    let ss = settings
        .with_changes([("loss", "square-square")])
        .unwrap_or_else(|e| panic!("{e}"));
    run.set_live(&ss);
    let switched_loss = run.train_step().unwrap_or_else(|d| panic!("{d}"));
    let energy_loss = control.train_step().unwrap_or_else(|d| panic!("{d}"));
    assert_ne!(switched_loss, energy_loss);

    let version = s.latest().map_or(0, |x| x.settings_version);
    let seq = s.published();
    assert_eq!(s.set(&[("loss", "square-square")]), Ok(()));
    let snap = wait(&s, seq, "the loss switch", |x| x.settings_version > version);
    assert_eq!(snap.step, 1000, "a live change does not reset the model");
    assert_eq!(snap.settings.loss, Loss::SquareSquare);
    let notice = snap.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("loss") && notice.contains("no reset"),
        "{notice}"
    );

    let snap = step(&s, 1);
    assert_eq!(snap.step, 1001);
    assert_eq!(
        snap.metrics.loss, switched_loss,
        "step 1001 used square-square"
    );
    assert_eq!(*snap.params, run.model.params);

    // Square-square learns; the energy loss goes on collapsing.
    let snap = step(&s, 4999);
    assert_eq!(snap.metrics.state, State::Learned, "{:?}", snap.metrics);
    let control = headless(&settings, 10_000);
    let mut control = control;
    assert_eq!(control.metrics().state, State::Collapsed);
}

#[test]
fn a_sleeping_reader_gets_the_newest_snapshot_and_old_ones_are_freed() {
    let s = Session::start(preset("dual-energy"), None);
    first(&s);
    assert!(s.send(Command::Resume));
    let early = wait(&s, 0, "training", |x| x.running && x.step > 0);
    let early_seq = early.seq;
    let mut seen: Vec<Weak<Snapshot>> = vec![Arc::downgrade(&early)];
    drop(early);
    // A reader that looks now and then: it keeps a weak handle of what it saw.
    let mut last = early_seq;
    for _ in 0..5 {
        let x = wait(&s, last + 2, "later publishes", |_| true);
        last = x.seq;
        seen.push(Arc::downgrade(&x));
    }
    // Then it looks away while the trainer publishes more (waiting on the
    // publish counter, not on the clock), holding nothing.
    let away = s.published();
    drop(s.wait_for(WAIT, |x| x.seq > away + 5));
    let published = s.published();
    let newest = s.latest().unwrap_or_else(|| panic!("no snapshot"));
    assert!(newest.seq >= published, "the reader got an old snapshot");
    assert!(
        newest.seq > early_seq + 10,
        "expected many publishes while the reader slept: {early_seq} -> {}",
        newest.seq
    );
    // Nothing but the slot and this reader holds a snapshot: no queue.
    assert!(Arc::strong_count(&newest) <= 2);
    let alive = seen
        .iter()
        .filter_map(Weak::upgrade)
        .filter(|x| !Arc::ptr_eq(x, &newest))
        .count();
    assert_eq!(alive, 0, "unread or dropped snapshots are still in memory");

    assert!(s.send(Command::Pause));
    let paused = wait(&s, newest.seq, "pause", |x| !x.running);
    std::thread::sleep(Duration::from_millis(100));
    let again = s.latest().unwrap_or_else(|| panic!("no snapshot"));
    assert!(Arc::ptr_eq(&paused, &again), "nothing new while paused");
}

#[test]
fn pause_step_resume_reset_and_new_seed_do_what_they_say() {
    let settings = preset("dual-square-square");
    let s = Session::start(settings.clone(), None);
    let s0 = first(&s);
    let v0 = s0.settings_version;

    let a = step(&s, 100);
    assert_eq!(a.step, 100);
    assert_eq!(a.pending_steps, 0);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(s.latest().map(|x| x.step), Some(100), "Step(n) then pause");

    assert!(s.send(Command::Resume));
    wait(&s, a.seq, "running", |x| x.running && x.step > 100);
    let seq = s.published();
    assert!(s.send(Command::Pause));
    let p = wait(&s, seq, "paused", |x| !x.running);
    std::thread::sleep(Duration::from_millis(100));
    let q = s.latest().unwrap_or_else(|| panic!("no snapshot"));
    assert_eq!(q.step, p.step, "training went on after Pause");
    assert!(p.step > 100);
    assert_eq!(*p.params, headless(&settings, p.step).model.params);

    let seq = s.published();
    assert!(s.send(Command::Reset { seed: None }));
    let r = wait(&s, seq, "reset", |x| x.step == 0);
    assert_eq!(*r.params, *s0.params);
    assert_eq!(r.settings_version, v0, "same seed: same settings");
    assert!(!r.running);
    assert!(r.history.len() <= 1, "the history belongs to the new run");

    let seq = s.published();
    assert!(s.send(Command::Reset { seed: Some(7) }));
    let r7 = wait(&s, seq, "reset with seed 7", |x| x.settings.seed == 7);
    assert_eq!(r7.step, 0);
    assert!(r7.settings_version > v0);
    let mut seven = settings.clone();
    seven.seed = 7;
    assert_eq!(*r7.params, Run::new(&seven, None).model.params);
    assert_ne!(*r7.params, *s0.params);
    assert_eq!(s.settings().seed, 7);
    let r = step(&s, 50);
    assert_eq!(*r.params, headless(&seven, 50).model.params);
}

#[test]
fn structural_change_resets_and_says_so() {
    let s = Session::start(preset("dual-energy"), None);
    first(&s);
    let a = step(&s, 20);
    assert_eq!(s.set(&[("hidden", "8"), ("lr", "0.02")]), Ok(()));
    let b = wait(&s, a.seq, "the reset", |x| {
        x.settings_version > a.settings_version
    });
    assert_eq!(b.step, 0);
    assert_eq!(b.settings.hidden, 8);
    assert_eq!(b.settings.lr, 0.02);
    assert!(b.params.len() < a.params.len());
    let notice = b.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("model reset") && notice.contains("hidden"),
        "{notice}"
    );
}

#[test]
fn divergence_is_reported_with_its_step_and_reset_recovers() {
    let settings = preset("dual-energy")
        .with_changes([("loss", "square-square"), ("lr", "50")])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut run = Run::new(&settings, None);
    let d = loop {
        if let Err(d) = run.train_step() {
            break d;
        }
        assert!(run.step() < 10_000, "these settings do not diverge");
    };

    let s = Session::start(settings.clone(), None);
    first(&s);
    assert!(s.send(Command::Resume));
    let snap = wait(&s, 0, "divergence", |x| x.error.is_some());
    let err = snap.error.clone().unwrap_or_default();
    assert!(
        err.contains(&format!("diverged at step {}", d.step)),
        "{err}"
    );
    assert!(err.contains("lr"), "the likely setting is named: {err}");
    assert_eq!(snap.metrics.state, State::Diverged);
    let snap = wait(&s, 0, "pause after divergence", |x| !x.running);
    assert_eq!(snap.step, d.step - 1, "the last finite step");
    assert_eq!(*snap.params, run.model.params, "the last finite weights");
    assert!(snap.params.iter().all(|p| p.is_finite()));

    // Resume is refused while diverged; the error stays.
    let seq = s.published();
    assert!(s.send(Command::Resume));
    let r = wait(&s, seq, "refused resume", |x| {
        x.error
            .as_deref()
            .is_some_and(|e| e.contains("cannot resume"))
    });
    assert!(!r.running);

    assert_eq!(s.set(&[("lr", "0.01")]), Ok(()));
    let seq = s.published();
    assert!(s.send(Command::Reset { seed: None }));
    let r = wait(&s, seq, "reset", |x| x.step == 0 && x.settings.lr == 0.01);
    assert_eq!(r.error, None);
    assert_ne!(r.metrics.state, State::Diverged);
    let r = step(&s, 200);
    assert_eq!(r.error, None);
    assert!(r.metrics.loss.is_finite());
}

#[test]
fn a_panic_in_the_trainer_is_reported_and_restart_recovers() {
    let mut s = Session::start(preset("dual-energy"), None);
    first(&s);
    assert_eq!(s.set(&[("lr", "0.02")]), Ok(()));
    let a = step(&s, 30);
    assert!(s.is_alive());
    assert!(s.send(Command::InjectPanic));
    let p = wait(&s, a.seq, "the panic report", |x| x.error.is_some());
    let err = p.error.clone().unwrap_or_default();
    assert!(
        err.contains("trainer panicked") && err.contains("injected"),
        "{err}"
    );
    assert!(!p.running);
    let t = Instant::now();
    while s.is_alive() && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!s.is_alive());
    assert!(!s.send(Command::Resume), "nobody listens any more");

    s.restart();
    assert!(s.is_alive());
    let r = wait(&s, p.seq, "a fresh trainer", |x| x.error.is_none());
    assert_eq!(r.step, 0);
    assert_eq!(r.settings.lr, 0.02, "restart keeps the accepted settings");
    let r = step(&s, 25);
    assert_eq!(r.step, 25);
    assert!(r.seq > p.seq);
}

#[test]
fn invalid_settings_are_rejected_whole_with_key_and_range() {
    let s = Session::start(preset("dual-energy"), None);
    let s0 = first(&s);

    let e = s
        .set(&[("loss", "nll"), ("lr", "500")])
        .err()
        .unwrap_or_else(|| panic!("lr = 500 was accepted"));
    let msg = e.to_string();
    assert!(
        msg.contains("`lr`") && msg.contains("0 < lr <= 100"),
        "{msg}"
    );
    let e = s.set(&[("lossy", "nll")]).err().map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains("lossy")));
    assert_eq!(s.settings().loss, Loss::Energy, "nothing half-applied");

    // A value outside its key's domain cannot even be made into a change.
    let e = Change::parse("margin", "-1").err().map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains("`margin`") && m.contains("0 ..= 10")));
    // Typed changes through the channel are checked against the trainer's
    // settings as a whole (batch > samples): the error comes back in the snapshot.
    let bad = ["loss=nll", "batch=5000"]
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| Change::parse(k, v).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert!(s.send(Command::Set(bad)));
    let r = wait(&s, s0.seq, "the rejection", |x| x.error.is_some());
    let err = r.error.clone().unwrap_or_default();
    assert!(err.contains("`batch`") && err.contains("samples"), "{err}");
    assert_eq!(r.settings.loss, Loss::Energy);
    assert_eq!(r.settings_version, s0.settings_version);

    // A good command clears the error.
    assert_eq!(s.set(&[("margin", "1")]), Ok(()));
    let r = wait(&s, r.seq, "the accepted change", |x| {
        x.settings.margin == 1.0
    });
    assert_eq!(r.error, None);

    assert!(s.send(Command::Speed(Some(-3.0))));
    let r = wait(&s, r.seq, "bad speed", |x| x.error.is_some());
    assert!(r.error.as_deref().is_some_and(|e| e.contains("speed")));
}

#[test]
fn replace_loads_new_settings_with_a_full_reset() {
    let s = Session::start(preset("dual-energy"), None);
    let s0 = first(&s);
    step(&s, 10);
    let eye = preset("eye-nll");
    assert!(s.send(Command::Replace(eye.clone(), None)));
    let r = wait(&s, s0.seq, "the replacement", |x| {
        x.settings_version > s0.settings_version
    });
    assert_eq!(*r.settings, eye);
    assert_eq!(r.step, 0);
    assert_eq!(*r.params, Run::new(&eye, None).model.params);
    assert!(r.notice.as_deref().is_some_and(|n| n.contains("reset")));

    let custom = eye
        .with_changes([("dataset", "custom"), ("data", "inline")])
        .unwrap_or_else(|e| panic!("{e}"));
    let pts = vec![(-1.0, 0.0), (0.0, 0.5), (1.0, 0.0)];
    assert!(s.send(Command::Replace(custom, Some(pts))));
    let c = wait(&s, r.seq, "custom points", |x| x.view.samples.len() == 3);
    assert_eq!(c.view.samples[1][1], 0.5);

    let mut broken = eye.clone();
    broken.lr = 1e9;
    assert!(s.send(Command::Replace(broken, None)));
    let b = wait(&s, c.seq, "rejected replace", |x| x.error.is_some());
    assert!(b.error.as_deref().is_some_and(|e| e.contains("`lr`")));
    assert_eq!(b.settings_version, c.settings_version);
}

#[test]
fn surface_resolution_is_separate_from_the_loss_grid() {
    let s = Session::start(preset("dual-energy"), None);
    let s0 = first(&s);
    assert_eq!((s0.view.xs.len(), s0.view.ys.len()), (64, 64));
    assert_eq!(s0.initial_energy.len(), 64 * 64);
    assert_eq!(s0.view.offending.len(), 100);
    assert_eq!(s0.view.inference.len(), 64);
    assert!(s.send(Command::SurfaceResolution(100, 30)));
    let r = wait(&s, s0.seq, "the new resolution", |x| x.view.xs.len() == 100);
    assert_eq!(r.view.ys.len(), 30);
    assert_eq!(r.view.energy.len(), 3000);
    assert_eq!(r.initial_energy.len(), 3000);
    assert_eq!(r.settings.grid, 128);
    // At step 0 the initial surface is the surface.
    assert_eq!(*r.initial_energy, r.view.energy);
}

// The speed limit and the publish rate are checked on a simulated clock in
// the core (`session::core::tests`), not here against the wall clock.

#[test]
fn shutdown_joins_promptly_even_mid_run() {
    for speed in [None, Some(3.0)] {
        let s = Session::start(preset("dual-nll"), None);
        first(&s);
        assert!(s.send(Command::Speed(speed)));
        assert!(s.send(Command::Resume));
        // Mid-run: training has started (a condition, not a delay).
        wait(&s, 0, "training", |x| x.running && x.step > 0);
        let t = Instant::now();
        drop(s);
        let dt = t.elapsed();
        eprintln!("shutdown (speed {speed:?}) took {dt:?}");
        assert!(dt < Duration::from_secs(2), "shutdown took {dt:?}");
    }
}

#[test]
fn history_records_the_run() {
    let s = Session::start(preset("dual-nll"), None);
    first(&s);
    assert!(s.send(Command::Resume));
    let r = wait(&s, 0, "some history", |x| x.history.len() >= 5);
    let pts = r.history.points();
    assert_eq!(pts[0].step, 0);
    assert!(pts.windows(2).all(|w| w[1].step > w[0].step));
    assert!(r.steps_per_sec >= 0.0);
    assert!(r.build_us > 0.0);
}

#[test]
fn on_publish_wakes_the_reader() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let s = Session::start(preset("dual-energy"), None);
    first(&s);
    let count = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&count);
    s.on_publish(move || {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let before = s.published();
    step(&s, 10);
    // The waker runs just after the condvar is notified: give it a moment.
    let t = Instant::now();
    while count.load(Ordering::SeqCst) == 0 && t.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(1));
    }
    let woken = count.load(Ordering::SeqCst);
    assert!(woken >= 1, "no wake-up");
    // One wake-up per publish (one may belong to a publish just before `before`).
    assert!(woken <= s.published() - before + 1);
}

/// The frame-driven session (the browser's) runs the same trainer core: pumped
/// in small time budgets it gives the weights of a headless run, and its
/// commands, speed limit and live switch behave as the thread's do.
#[test]
fn a_frame_driven_session_matches_headless_and_obeys_commands() {
    use ebm_core::session::{Duration, LocalSession};
    let settings = preset("dual-energy");
    let s = LocalSession::start(settings.clone(), None);
    let s0 = s.latest().expect("a first snapshot at once");
    assert_eq!((s0.step, s0.running), (0, false));
    assert!(s.send(Command::Step(700)));
    let (mut frames, mut trained) = (0, 0);
    while s.latest().is_none_or(|x| x.step < 700 || x.running) {
        trained += s.pump(Duration::from_micros(200));
        frames += 1;
        assert!(frames < 1_000_000, "700 steps never finished");
    }
    assert_eq!(trained, 700, "pump returns the steps it trained");
    assert_eq!(s.pump(Duration::from_millis(1)), 0, "nothing left to train");
    let snap = s.latest().expect("snapshot");
    assert_eq!(*snap.params, headless(&settings, 700).model.params);
    assert_eq!(s.set(&[("loss", "nll")]), Ok(()));
    assert!(s.send(Command::Step(300)));
    let done = s
        .wait_for(Duration::from_secs(60), |x| x.step == 1000 && !x.running)
        .expect("300 more steps");
    let mut switched = headless(&settings, 700);
    switched.set_live(&settings.with_changes([("loss", "nll")]).expect("valid"));
    for _ in 0..300 {
        switched.train_step().expect("finite");
    }
    assert_eq!(
        *done.params, switched.model.params,
        "the live switch is the same"
    );
    assert!(
        s.set(&[("lr", "-1")]).is_err(),
        "refused on the caller's side"
    );
}

/// Both sessions through the one interface: the same script of commands,
/// written once over `LiveSession`, gives both the headless run's weights.
#[test]
fn one_script_over_live_session_drives_either_session_alike() {
    use ebm_core::session::{Duration, LocalSession};
    fn script(s: &mut impl LiveSession) -> Vec<f32> {
        let first = s.wait_for(Duration::from_secs(60), |_| true);
        assert_eq!(first.map(|x| (x.step, x.running)), Some((0, false)));
        assert!(s.send(Command::Step(400)));
        let snap = s.wait_for(Duration::from_secs(60), |x| x.step == 400 && !x.running);
        assert!(snap.is_some(), "400 steps");
        assert!(s.set(&[("batch", "100000")]).is_err(), "refused whole");
        assert_eq!(s.set(&[("loss", "nll")]), Ok(()));
        assert!(s.send(Command::Step(100)));
        let done = s.wait_for(Duration::from_secs(60), |x| x.step == 500 && !x.running);
        let params = done.expect("100 more steps").params.to_vec();
        assert_eq!(
            s.settings().loss,
            Loss::Nll,
            "the trainer accepted the switch"
        );
        assert!(s.published() >= 2);
        s.shutdown();
        assert!(
            !s.is_alive() && !s.send(Command::Resume),
            "gone after shutdown"
        );
        params
    }
    let settings = preset("dual-energy");
    let threaded = script(&mut Session::start(settings.clone(), None));
    let local = script(&mut LocalSession::start(settings.clone(), None));
    let mut run = headless(&settings, 400);
    run.set_live(&settings.with_changes([("loss", "nll")]).expect("valid"));
    for _ in 0..100 {
        run.train_step().expect("finite");
    }
    assert_eq!(threaded, run.model.params);
    assert_eq!(local, run.model.params);
}

/// The window's lesson: training pauses by itself at the first collapse (at a
/// multiple of COLLAPSE_CHECK) and says so; a loss switch made there resumes.
#[test]
fn training_pauses_at_the_first_collapse_and_a_switch_resumes_it() {
    use ebm_core::model::State;
    use ebm_core::session::{Duration, LocalSession, COLLAPSE_CHECK};
    let s = LocalSession::start(preset("dual-energy"), None);
    assert!(s.send(Command::PauseOnCollapse(true)));
    assert!(s.send(Command::Resume));
    let paused = s
        .wait_for(Duration::from_secs(120), |x| x.paused_on_collapse)
        .expect("a pause at the collapse");
    assert!(!paused.running);
    assert_eq!(paused.state(), State::Collapsed);
    assert_eq!(
        paused.step % COLLAPSE_CHECK,
        0,
        "at a check, whatever the speed"
    );
    assert_eq!(s.set(&[("loss", "nll")]), Ok(()));
    let resumed = s
        .wait_for(Duration::from_secs(60), |x| x.step > paused.step)
        .expect("training resumed by the switch");
    assert!(!resumed.paused_on_collapse);
    let learned = s
        .wait_for(Duration::from_secs(120), |x| x.state() == State::Learned)
        .expect("learned after the switch");
    assert!(learned.step > paused.step);
    assert!(!learned.paused_on_collapse, "the pause comes once a run");
}

#[test]
fn set_points_trains_on_drawn_points_without_a_reset() {
    use ebm_core::model::DatasetKind;
    use ebm_core::settings::DRAWN_DATA;
    let settings = preset("eye-nll");
    let s = Session::start(settings.clone(), None);
    first(&s);
    let before = step(&s, 300);
    assert_eq!(before.points.len(), 100);
    let data = Run::new(&settings, None).data;
    let eye: Vec<(f64, f64)> = data
        .xs
        .iter()
        .copied()
        .zip(data.ys.iter().copied())
        .collect();
    assert_eq!(*before.points, eye, "snapshots carry the points exactly");
    // The eye plus a point on each side of it at one x: two answers there.
    let mut pts = before.points.to_vec();
    pts.extend([(0.3, 0.8), (0.3, -0.8)]);
    let seq = s.published();
    assert!(s.send(Command::SetPoints {
        points: pts.clone(),
        data: DRAWN_DATA.into(),
    }));
    let a = wait(&s, seq, "the drawn points", |x| {
        x.points_version > before.points_version
    });
    assert_eq!(a.step, 300, "no reset");
    assert_eq!(a.params, before.params, "the weights are kept");
    assert_eq!(*a.points, pts);
    assert_eq!(a.view.samples.len(), 102);
    assert_eq!(a.settings.dataset, DatasetKind::Custom);
    assert_eq!(a.settings.data, DRAWN_DATA);
    assert!(a.settings_version > before.settings_version);
    assert!(
        a.view.y_range.1 > 0.8,
        "the ranges follow: {:?}",
        a.view.y_range
    );
    let notice = a.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("102 drawn points") && notice.contains("no reset"),
        "{notice}"
    );

    // Training goes on from there, exactly as a headless run told the same.
    let b = step(&s, 100);
    assert_eq!(b.step, 400);
    let mut run = headless(&settings, 300);
    run.set_points(&pts);
    for _ in 0..100 {
        run.train_step().unwrap_or_else(|d| panic!("{d}"));
    }
    assert_eq!(
        *b.params, run.model.params,
        "the optimiser's state was kept too"
    );

    // Refused whole: too few points, a non-finite value.
    for bad in [
        vec![(0.0, 0.0)],
        vec![(0.0, 0.0), (f64::NAN, 1.0)],
        vec![(0.0, 1e39), (1.0, 0.0)],
    ] {
        let (seq, v) = (s.published(), s.latest().map_or(0, |x| x.points_version));
        assert!(s.send(Command::SetPoints {
            points: bad,
            data: DRAWN_DATA.into(),
        }));
        let r = wait(&s, seq, "the refusal", |x| x.points_version > v);
        assert!(r
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("nothing changed"));
        assert_eq!(*r.points, pts);
        assert_eq!(r.step, 400);
    }

    // A reset and a structural change keep the drawn points (no file to re-read).
    let seq = s.published();
    assert!(s.send(Command::Reset { seed: None }));
    let r = wait(&s, seq, "the reset", |x| x.step == 0);
    assert_eq!(*r.points, pts);
    assert_eq!(r.settings.data, DRAWN_DATA);
    assert_eq!(s.set(&[("hidden", "6")]), Ok(()));
    let h = wait(&s, r.seq, "hidden = 6", |x| x.settings.hidden == 6);
    assert_eq!(*h.points, pts);
}

/// Issue 25 (C.4): in the page, compare partners keep the window's run's step
/// whatever each step costs (nll's step costs more than the energy loss's).
#[test]
fn frame_driven_partners_keep_the_step_of_the_first_run() {
    use ebm_core::session::{Duration, LocalSession};
    let own = LocalSession::start(preset("dual-energy"), None);
    let mut nll = preset("dual-energy");
    nll.loss = ebm_core::model::Loss::Nll;
    let partner = LocalSession::start(nll, None);
    for s in [&own, &partner] {
        assert!(s.send(Command::Speed(None)));
        assert!(s.send(Command::Resume));
    }
    for frame in 0..40 {
        own.pump(Duration::from_millis(2));
        partner.pump_to(own.step(), Duration::from_secs(5));
        assert_eq!(own.step(), partner.step(), "frame {frame}");
    }
    assert!(own.step() > 0, "trained");
}
