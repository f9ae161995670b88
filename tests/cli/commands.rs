//! The headless command line: outputs match the run, models round-trip, and
//! bad input exits non-zero with a message naming the problem and writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use ebm_lab::cli::resolve_settings;
use ebm_lab::model::Run;

use crate::{ebm, p, stderr};

#[test]
fn metrics_json_has_the_spec_fields_and_matches_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = p(dir.path(), "m.json");
    let o = ebm(&[
        "train",
        "--preset",
        "dual-nll",
        "--set",
        "seed=3",
        "--steps",
        "300",
        "--metrics-json",
        &out,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["preset"], "dual-nll");
    assert_eq!(v["steps"], 300);
    assert_eq!(v["settings"]["loss"], "nll");
    assert_eq!(v["settings"]["seed"], 3);
    for part in ["initial", "final"] {
        for key in [
            "loss",
            "spread",
            "contrast",
            "inference_error",
            "coverage",
            "state",
        ] {
            assert!(v[part].get(key).is_some(), "{part}.{key} missing");
        }
    }
    // The same run in-process gives the same numbers.
    let settings = resolve_settings(Some("dual-nll"), None, &["seed=3".to_string()]).unwrap();
    let mut run = Run::new(&settings, None);
    let initial = run.initial_metrics().unwrap();
    for _ in 0..300 {
        run.train_step().unwrap();
    }
    let last = run.metrics();
    assert_eq!(v["initial"]["spread"].as_f64().unwrap(), initial.spread);
    assert_eq!(v["final"]["loss"].as_f64().unwrap(), last.loss);
    assert_eq!(v["final"]["spread"].as_f64().unwrap(), last.spread);
    assert_eq!(
        v["final"]["inference_error"].as_f64().unwrap(),
        last.inference_error
    );
    assert_eq!(v["final"]["contrast"].as_f64().unwrap(), last.contrast);
    assert_eq!(v["final"]["state"], last.state.name());
}

#[test]
fn save_then_load_round_trips_the_weights_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (p(dir.path(), "a.json"), p(dir.path(), "b.json"));
    let o = ebm(&[
        "train",
        "--preset",
        "dual-square-square",
        "--steps",
        "200",
        "--save-model",
        &a,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ebm(&[
        "train",
        "--preset",
        "dual-energy",
        "--steps",
        "0",
        "--load-model",
        &a,
        "--save-model",
        &b,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ta, tb) = (
        std::fs::read_to_string(&a).unwrap(),
        std::fs::read_to_string(&b).unwrap(),
    );
    assert_eq!(ta, tb);
    let v: serde_json::Value = serde_json::from_str(&ta).unwrap();
    assert_eq!(v["architecture"], "dual");
    assert_eq!(v["cost"], "l1");
    assert_eq!(v["nets"]["g1"].as_array().unwrap().len(), 2);
    assert_eq!(v["nets"]["g1"][0]["w"].as_array().unwrap().len(), 20);
    assert_eq!(v["nets"]["g1"][1]["w"][0].as_array().unwrap().len(), 20);
    assert_eq!(v["nets"]["g2"][1]["b"].as_array().unwrap().len(), 4);
    // Training on from the loaded weights continues the run: 200 + 100 steps = 300 steps straight
    // only holds for the weights (the optimiser's momentum restarts), so check the weights moved.
    let c = p(dir.path(), "c.json");
    let o = ebm(&[
        "train",
        "--preset",
        "dual-square-square",
        "--steps",
        "50",
        "--load-model",
        &a,
        "--save-model",
        &c,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(std::fs::read_to_string(&c).unwrap(), ta);
}

#[test]
fn steps_zero_saves_the_initial_weights() {
    let dir = tempfile::tempdir().unwrap();
    let a = p(dir.path(), "init.json");
    let o = ebm(&[
        "train",
        "--preset",
        "regressor-energy",
        "--set",
        "seed=7",
        "--steps",
        "0",
        "--save-model",
        &a,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&a).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["architecture"], "regressor");
    assert!(v["nets"].get("g1").is_none());
    let settings =
        resolve_settings(Some("regressor-energy"), None, &["seed=7".to_string()]).unwrap();
    let run = Run::new(&settings, None);
    let loaded = ebm_lab::model::model_file::model_from_json::<f32>(&text).unwrap();
    assert_eq!(loaded.params, run.model.params);
    // Weights follow PyTorch's default init: |w| ≤ 1/√fan_in.
    let w2 = v["nets"]["g"][1]["w"][0].as_array().unwrap();
    assert!(w2
        .iter()
        .all(|w| w.as_f64().unwrap().abs() <= 1.0 / 20f64.sqrt()));
}

/// Runs a failing command with three requested outputs; none may exist afterwards.
fn fails_cleanly(extra: &[&str], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let (m, s, w) = (
        p(dir.path(), "m.json"),
        p(dir.path(), "s.csv"),
        p(dir.path(), "w.json"),
    );
    let mut args = vec![
        "train",
        "--steps",
        "50",
        "--metrics-json",
        &m,
        "--surface-csv",
        &s,
        "--save-model",
        &w,
    ];
    args.extend_from_slice(extra);
    let o = ebm(&args);
    assert!(!o.status.success(), "{extra:?} should fail");
    let err = stderr(&o);
    for e in expect {
        assert!(
            err.contains(e),
            "{extra:?}: stderr {err:?} should mention {e:?}"
        );
    }
    assert_eq!(
        err.trim().lines().count(),
        1,
        "one-line message, got {err:?}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{extra:?} left files behind: {left:?}");
}

#[test]
fn bad_settings_are_rejected_by_name_and_range() {
    fails_cleanly(
        &["--preset", "dual-energy", "--set", "lr=-1"],
        &["lr", "0 < lr <= 100"],
    );
    fails_cleanly(
        &["--preset", "dual-energy", "--set", "nosuch=1"],
        &["nosuch", "unknown"],
    );
    fails_cleanly(
        &["--preset", "dual-energy", "--set", "loss=foo"],
        &["loss", "square-square"],
    );
    fails_cleanly(
        &["--preset", "dual-energy", "--set", "hidden=0"],
        &["hidden", "1 ..= 256"],
    );
    fails_cleanly(
        &["--preset", "dual-energy", "--set", "batch=500"],
        &["batch", "samples"],
    );
    fails_cleanly(
        &["--preset", "no-such-preset"],
        &["preset", "no-such-preset", "dual-energy"],
    );
}

#[test]
fn bad_compare_partners_are_rejected_by_name() {
    let base = ["--preset", "dual-energy"];
    let cases: [(&[&str], &[&str]); 5] = [
        (&["--compare", ","], &["--compare", "KEY=VALUE"]),
        (&["--compare", "loss"], &["--compare", "KEY=VALUE"]),
        (&["--compare", "loss=foo"], &["loss", "square-square"]),
        (&["--compare", "hidden=5"], &["hidden", "initial weights"]),
        (
            &[
                "--compare",
                "loss=nll",
                "--compare",
                "loss=log",
                "--compare",
                "loss=mce",
                "--compare",
                "loss=hinge",
            ],
            &["4 times", "1 ..= 3"],
        ),
    ];
    for (extra, expect) in cases {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        fails_cleanly(&args, expect);
    }
    // --compare writes no one-run outputs: asking for them is refused too
    // (fails_cleanly always asks for three of them).
    fails_cleanly(
        &["--preset", "dual-energy", "--compare", "loss=nll"],
        &["--compare"],
    );
}

#[test]
fn malformed_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("bad.toml");
    std::fs::write(&toml, "loss = \"nll\"\nmargin = [1, 2\n").unwrap();
    fails_cleanly(&["--settings", toml.to_str().unwrap()], &["bad.toml"]);
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "loss = \"nll\"\nlearning_rate = 0.1\n").unwrap();
    fails_cleanly(
        &["--settings", unknown.to_str().unwrap()],
        &["learning_rate"],
    );
    let json = dir.path().join("bad.json");
    std::fs::write(
        &json,
        "{\"architecture\": \"dual\", \"cost\": \"l1\", \"nets\": {\"g1\": [",
    )
    .unwrap();
    fails_cleanly(
        &["--load-model", json.to_str().unwrap()],
        &["bad.json", "model JSON"],
    );
    let shapes = dir.path().join("shapes.json");
    std::fs::write(
        &shapes,
        r#"{"architecture":"dual","cost":"l1","nets":{"g1":[{"w":[[1]],"b":[0]},{"w":[[1]],"b":[0]}]}}"#,
    )
    .unwrap();
    fails_cleanly(&["--load-model", shapes.to_str().unwrap()], &["g1", "g2"]);
    fails_cleanly(
        &["--load-model", "/nonexistent/model.json"],
        &["model file", "/nonexistent/model.json"],
    );
    let csv = dir.path().join("pts.csv");
    std::fs::write(&csv, "x,y\n0.1,0.2\n0.3,abc\n").unwrap();
    let data = format!("data={}", csv.display());
    fails_cleanly(
        &["--set", "dataset=custom", "--set", &data],
        &["pts.csv", "line 3"],
    );
}

#[test]
fn an_unwritable_output_fails_before_training_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = p(dir.path(), "m.json");
    let o = ebm(&[
        "train",
        "--steps",
        "10",
        "--metrics-json",
        &good,
        "--surface-csv",
        "/nonexistent/dir/s.csv",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("/nonexistent/dir/s.csv"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new(&good).exists());
}

#[test]
fn divergence_is_reported_with_its_step_and_keeps_finite_weights() {
    let dir = tempfile::tempdir().unwrap();
    let (m, w) = (p(dir.path(), "m.json"), p(dir.path(), "w.json"));
    let o = ebm(&[
        "train",
        "--preset",
        "dual-square-square",
        "--set",
        "lr=50",
        "--set",
        "cost=square",
        "--steps",
        "2000",
        "--metrics-json",
        &m,
        "--save-model",
        &w,
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("diverged at step") && err.contains("lr = 50"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
    assert_eq!(v["final"]["state"], "diverged");
    let model =
        ebm_lab::model::model_file::model_from_json::<f32>(&std::fs::read_to_string(&w).unwrap());
    assert!(model.is_ok_and(|m| m.is_finite()));
}

#[test]
fn surface_csv_has_a_header_and_a_row_per_grid_point() {
    let dir = tempfile::tempdir().unwrap();
    let s = p(dir.path(), "s.csv");
    let o = ebm(&[
        "train",
        "--preset",
        "dual-nll",
        "--steps",
        "10",
        "--set",
        "grid=32",
        "--surface-csv",
        &s,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&s).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("x,y,energy"));
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 64 * 32);
    assert!(rows.iter().all(|r| r.len() == 3 && r[2] >= 0.0));
    assert_eq!(rows[0][..2], [-1.0, -0.5]);
}

#[test]
fn presets_lists_every_preset_with_its_story() {
    let o = ebm(&["presets"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for name in [
        "dual-energy",
        "dual-square-square",
        "dual-nll",
        "regressor-energy",
        "eye-nll",
        "eye-regressor",
    ] {
        assert!(out.contains(name), "{name} missing from {out}");
    }
    assert!(out.contains("collapses"));
    assert!(out.contains("dual-energy") && out.contains("collapsed by step 10000"));
    assert_eq!(
        out.matches(" by step ").count(),
        ebm_lab::presets::PRESETS.len()
    );
}

#[test]
fn settings_round_trip_through_toml() {
    let s = resolve_settings(
        Some("eye-nll"),
        None,
        &["margin=0.75".into(), "seed=12".into(), "batch=10".into()],
    )
    .unwrap();
    let text = s.to_toml(Some("a story"));
    let (back, story) = ebm_lab::settings::Settings::from_toml(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(story.as_deref(), Some("a story"));
}

#[test]
fn compare_without_pictures_trains_both_runs_and_reports_each() {
    let o = ebm(&[
        "train",
        "--preset",
        "dual-energy",
        "--compare",
        "loss=nll",
        "--steps",
        "2000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("dual-energy: step 2000"), "{err}");
    assert!(err.contains("loss = nll: step 2000: learned"), "{err}");
}

#[test]
fn latent_writes_the_plane_and_refuses_bad_settings_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let csv = p(dir.path(), "f.csv");
    let json = p(dir.path(), "m.json");
    let o = ebm(&[
        "latent",
        "--steps",
        "600",
        "--surface-csv",
        &csv,
        "--metrics-json",
        &json,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("y1,y2,F\n"), "{}", &text[..40]);
    assert_eq!(text.lines().count(), 1 + 96 * 96);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(m["architecture"], "latent-ellipse");
    assert_eq!(m["metrics"]["state"], "learned", "{m}");
    // A conditional set names x in its CSV.
    let horn = p(dir.path(), "h.csv");
    let o = ebm(&[
        "latent",
        "--preset",
        "horn-zero-t",
        "--steps",
        "1",
        "--x",
        "0.5",
        "--surface-csv",
        &horn,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&horn)
        .unwrap()
        .starts_with("x,y1,y2,F\n0.5,"));
    for (set, key) in [
        ("latent_beta=0", "latent_beta"),
        ("latent_beta=-2", "latent_beta"),
        ("z_grid=0", "z_grid"),
        ("z_grid=4097", "z_grid"),
        ("dataset=parabola", "dataset"),
        ("architecture=dual", "architecture"),
    ] {
        let out = p(dir.path(), "never.csv");
        let o = ebm(&[
            "latent",
            "--set",
            set,
            "--steps",
            "5",
            "--surface-csv",
            &out,
        ]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{set} accepted");
        assert!(
            err.contains(key) && err.trim().lines().count() == 1,
            "{set}: {err}"
        );
        assert!(!Path::new(&out).exists(), "{set}: wrote output");
    }
    // A saved model carries its decoder: loaded, it starts where it ended
    // (learned at once) even under a preset of another architecture.
    let model = p(dir.path(), "m.json");
    let o = ebm(&["latent", "--steps", "2000", "--save-model", &model]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&model)
        .unwrap()
        .contains("\"latent-ellipse\""));
    let again = p(dir.path(), "again.json");
    let o = ebm(&[
        "latent",
        "--preset",
        "latent-mlp-k1",
        "--load-model",
        &model,
        "--steps",
        "100",
        "--metrics-json",
        &again,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(m["architecture"], "latent-ellipse");
    assert_eq!(m["metrics"]["state"], "learned", "{m}");
    std::fs::write(&model, "{}").unwrap();
    let o = ebm(&["latent", "--load-model", &model, "--steps", "1"]);
    assert!(
        !o.status.success() && stderr(&o).contains("m.json"),
        "{}",
        stderr(&o)
    );
    let one = p(dir.path(), "one.csv");
    std::fs::write(&one, "y\n1\n2\n").unwrap();
    let o = ebm(&["latent", "--points", &one, "--steps", "5"]);
    assert!(
        !o.status.success() && stderr(&o).contains("line 2"),
        "{}",
        stderr(&o)
    );
}

/// `ebm-lab density` trains a density by contrastive divergence and reports
/// what a step cost; `ebm-lab sample` draws from the saved model, and
/// refuses a latent model, T = 0 and a bad ε by name.
#[test]
fn density_trains_and_sample_draws_from_its_model() {
    let dir = tempfile::tempdir().unwrap();
    let json = p(dir.path(), "m.json");
    let model = p(dir.path(), "d.json");
    let o = ebm(&[
        "density",
        "--steps",
        "40",
        "--metrics-json",
        &json,
        "--save-model",
        &model,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(m["architecture"], "density-mlp", "{m}");
    assert_eq!(m["loss_name"], "cd");
    // 256 chains × 20 Langevin steps, a batch of 256 and the 256 negatives.
    assert_eq!(m["efficiency"]["pulled_up_per_step"], 256);
    assert_eq!(m["efficiency"]["energies_per_step"], 256 * 20 + 256 + 256);
    assert!(m["metrics"]["off_data_mass"].as_f64().is_some(), "{m}");
    let out = p(dir.path(), "s.csv");
    let o = ebm(&[
        "sample", "--model", &model, "--out", &out, "--chains", "300",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("y1,y2\n"));
    assert_eq!(text.lines().count(), 301);
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
        assert!(v.iter().all(|c| c.abs() <= 4.0), "{line}");
    }
    let latent = p(dir.path(), "l.json");
    assert!(ebm(&["latent", "--steps", "1", "--save-model", &latent])
        .status
        .success());
    for (args, named) in [
        (vec!["--model", latent.as_str()], "density-mlp"),
        (vec!["--model", model.as_str(), "--steps", "0"], "--steps"),
        (vec!["--model", model.as_str(), "--eta", "-1"], "--eta"),
        (vec!["--model", model.as_str(), "--chains", "0"], "--chains"),
    ] {
        let mut all = vec!["sample", "--out", out.as_str()];
        all.extend(args);
        let o = ebm(&all);
        assert!(!o.status.success());
        let e = stderr(&o);
        assert!(e.contains(named) && e.lines().count() == 1, "{e}");
    }
    let o = ebm(&["density", "--set", "chains=100000000"]);
    assert!(stderr(&o).contains("chains"), "{}", stderr(&o));
    let o = ebm(&["latent", "--set", "loss=cd"]);
    assert!(stderr(&o).contains("density-mlp"), "{}", stderr(&o));
}
