//! Issue 12 at the binary level: output paths that are not plain files,
//! standard streams that cannot be written, the order preset → file → --set,
//! model and CSV values out of range, signals, picture caps and small edges.
//! Every case runs the real `ebm-lab` binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::{bin, ebm, p, stderr as err};

/// Fails with exit 1 and a one-line message holding every `expect`.
fn refused(o: &Output, expect: &[&str]) {
    let e = err(o);
    assert_eq!(o.status.code(), Some(1), "exit code; stderr {e:?}");
    assert_eq!(e.trim().lines().count(), 1, "one line: {e:?}");
    for x in expect {
        assert!(e.contains(x), "{e:?} should mention {x:?}");
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const QUICK: [&str; 5] = ["train", "--preset", "dual-nll", "--steps", "5"];

fn quick(extra: &[&str]) -> Output {
    let mut a = QUICK.to_vec();
    a.extend_from_slice(extra);
    ebm(&a)
}

// ---- 1. output paths ----

#[test]
fn a_symlink_output_writes_its_target_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    // A dangling link creates its target.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(dir.path().join("new.csv"), &dangling).unwrap();
    let o = quick(&[
        "--metrics-json",
        link.to_str().unwrap(),
        "--surface-csv",
        dangling.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("\"final\""), "{text}");
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640,
        "the replaced file keeps its mode"
    );
    assert!(std::fs::read_to_string(dir.path().join("new.csv"))
        .unwrap()
        .starts_with("x,y,energy"));
}

#[test]
fn a_fifo_output_is_written_straight() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = quick(&["--metrics-json", fifo.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    let text = reader.join().unwrap();
    assert!(text.contains("\"final\""), "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(files_in(dir.path()), ["fifo"]);
}

#[test]
fn a_character_device_output_is_written_straight_not_replaced() {
    // A null device of our own (as root), so a fault cannot replace /dev/null.
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("nulldev");
    let made = Command::new("mknod")
        .args([node.to_str().unwrap(), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    let dev = if made {
        node.as_path()
    } else {
        Path::new("/dev/null")
    };
    let before = std::fs::metadata(dev).unwrap();
    let o = quick(&[
        "--metrics-json",
        dev.to_str().unwrap(),
        "--surface-csv",
        dev.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let after = std::fs::metadata(dev).unwrap();
    assert!(after.file_type().is_char_device());
    assert_eq!(
        before.ino(),
        after.ino(),
        "the device is still the same node"
    );
}

#[test]
fn a_full_device_output_is_a_one_line_error() {
    let o = quick(&["--metrics-json", "/dev/full"]);
    refused(&o, &["/dev/full", "No space left"]);
}

#[test]
fn a_file_this_user_may_not_write_is_refused_even_as_root() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("readonly.json");
    std::fs::write(&ro, "keep").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = quick(&["--metrics-json", ro.to_str().unwrap()]);
    refused(&o, &["readonly.json", "permission denied"]);
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "keep");
    // Someone else's file (0644, owned by `nobody`), in a directory we may write.
    let theirs = dir.path().join("theirs.json");
    std::fs::write(&theirs, "theirs").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o644)).unwrap();
    let chown = Command::new("chown")
        .args(["65534:65534", theirs.to_str().unwrap()])
        .status()
        .unwrap();
    if chown.success() {
        let o = quick(&["--save-model", theirs.to_str().unwrap()]);
        refused(&o, &["theirs.json", "permission denied"]);
        assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "theirs");
    } else {
        // Not root: the same file is refused by the system itself.
        assert!(!quick(&["--save-model", theirs.to_str().unwrap()])
            .status
            .success());
    }
    assert_eq!(files_in(dir.path()), ["readonly.json", "theirs.json"]);
}

#[test]
fn a_255_byte_file_name_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.json", "m".repeat(250));
    assert_eq!(name.len(), 255);
    let o = quick(&["--metrics-json", &p(dir.path(), &name)]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(files_in(dir.path()), [name]);
}

// ---- 2. standard streams ----

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    for _ in 0..5 {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = bin()
            .arg("presets")
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "stderr {:?}", err(&o));
        assert_eq!(err(&o), "");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly() {
    // `ebm-lab presets | head -c 10`: the reader goes after 10 bytes.
    let mut child = bin()
        .arg("presets")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut ten = [0u8; 10];
    std::io::Read::read_exact(&mut out, &mut ten).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    assert_ne!(o.status.code(), Some(101), "{}", err(&o));
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = bin().arg("presets").stdout(full).output().unwrap();
    refused(&o, &["standard output", "No space left"]);
}

#[test]
fn a_full_stderr_does_not_panic() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut a = QUICK.to_vec();
    a.extend_from_slice(&["--set", "seed=1"]);
    let ok = bin().args(&a).stderr(full()).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let bad = bin()
        .args(["train", "--steps", "5", "--set", "lr=-1"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}

// ---- 3. preset, then file, then --set ----

#[test]
fn preset_then_settings_file_then_set_apply_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("lr.toml");
    std::fs::write(&toml, "lr = 0.02\nmargin = 0.7\n").unwrap();
    let m = p(dir.path(), "m.json");
    let o = ebm(&[
        "train",
        "--preset",
        "eye-regressor",
        "--settings",
        toml.to_str().unwrap(),
        "--set",
        "margin=0.9",
        "--steps",
        "3",
        "--metrics-json",
        &m,
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
    let s = &v["settings"];
    assert_eq!(v["preset"], "eye-regressor");
    assert_eq!(s["dataset"], "eye", "the preset's dataset is kept");
    assert_eq!(s["architecture"], "regressor");
    assert_eq!(s["lr"], 0.02, "the file's lr");
    assert_eq!(s["margin"], 0.9, "the --set beats the file");
}

// ---- 4, 7. model files ----

fn model_json(h: usize, d: usize, w: f64) -> String {
    let layer = |out: usize, inp: usize| serde_json::json!({"w": vec![vec![w; inp]; out], "b": vec![0.0; out]});
    serde_json::json!({
        "architecture": "dual", "cost": "l1",
        "nets": {"g1": [layer(h, 1), layer(d, h)], "g2": [layer(h, 1), layer(d, h)]}
    })
    .to_string()
}

#[test]
fn a_model_outside_the_settings_ranges_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for (h, d, key, range) in [
        (257, 4, "hidden", "1 ..= 256"),
        (20, 33, "out_dim", "1 ..= 32"),
    ] {
        let f = dir.path().join(format!("h{h}d{d}.json"));
        std::fs::write(&f, model_json(h, d, 0.1)).unwrap();
        let o = quick(&["--load-model", f.to_str().unwrap()]);
        refused(&o, &[key, range, f.file_name().unwrap().to_str().unwrap()]);
    }
}

#[test]
fn model_weights_beyond_f32_are_refused_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.json");
    std::fs::write(&f, model_json(3, 2, 1e39)).unwrap();
    let o = quick(&["--load-model", f.to_str().unwrap()]);
    refused(&o, &["huge.json", "nets.g1[0].w[0][0]", "1e39"]);
    // 1e38 fits f32 but no energy does: refused before training, not blamed on lr.
    let f = dir.path().join("big.json");
    std::fs::write(&f, model_json(3, 2, 1e38)).unwrap();
    let m = p(dir.path(), "m.json");
    let o = quick(&["--load-model", f.to_str().unwrap(), "--metrics-json", &m]);
    refused(&o, &["starting weights", "1e38"]);
    assert!(!err(&o).contains("lr"), "{}", err(&o));
    assert!(!Path::new(&m).exists());
}

#[test]
fn a_tiny_beta_is_refused_where_it_is_read() {
    let o = quick(&["--set", "loss=nll", "--set", "beta=1e-320"]);
    refused(&o, &["beta", "1e-320", "f32"]);
}

// ---- 7, 8. CSV values and headers ----

fn csv_run(dir: &Path, text: &str, extra: &[&str]) -> Output {
    let csv = dir.join("pts.csv");
    std::fs::write(&csv, text).unwrap();
    let data = format!("data={}", csv.display());
    let mut a = vec!["--set", "dataset=custom", "--set", &data];
    a.extend_from_slice(extra);
    quick(&a)
}

#[test]
fn csv_values_beyond_f32_and_malformed_first_lines_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let long = "9".repeat(400);
    for (text, what) in [
        ("x,y\n0,0\n1,1e39\n", "line 3"),
        ("nan,nan\n0,0\n1,1\n", "line 1"),
        ("0x1,0\n0,0\n1,1\n", "line 1"),
        (&format!("{long},0\n0,0\n1,1\n") as &str, "line 1"),
        ("# comment\n\nx,y\n0,0\ninf,1\n", "line 5"),
    ] {
        let o = csv_run(dir.path(), text, &[]);
        refused(&o, &["pts.csv", what]);
    }
    // A header is still a header.
    let o = csv_run(dir.path(), "# pts\nx , y\n0,0\n1,1\n", &[]);
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn huge_data_is_blamed_not_lr() {
    let dir = tempfile::tempdir().unwrap();
    let o = csv_run(
        dir.path(),
        "-1,1e30\n0,0\n1,1e30\n",
        &[
            "--set",
            "architecture=regressor",
            "--set",
            "cost=square",
            "--set",
            "lr=0.5",
        ],
    );
    let e = err(&o);
    assert!(!o.status.success());
    assert!(e.contains("data reach |value| = 1e30"), "{e}");
    assert!(!e.contains("lr = "), "{e}");
}

// ---- 5. signals ----

fn interrupted_run_cleans_up(signal: &str, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let m = p(dir.path(), "m.json");
    let child = bin()
        .args([
            "train",
            "--preset",
            "dual-nll",
            "--steps",
            "100000000",
            "--gif",
            &p(dir.path(), "run.gif"),
            "--gif-every",
            "1000000",
            "--metrics-json",
            &m,
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let has_temp = || files_in(dir.path()).iter().any(|f| f.ends_with(".tmp"));
    while !has_temp() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no GIF temporary appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(code), "{}", err(&o));
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

#[test]
fn sigint_and_sigterm_remove_the_temporary_files() {
    interrupted_run_cleans_up("-INT", 130);
    interrupted_run_cleans_up("-TERM", 143);
}

// ---- 6. picture sizes ----

#[test]
fn picture_sizes_are_capped_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let o = quick(&["--gif", &p(dir.path(), "a.gif"), "--gif-size", "8192x8192"]);
    refused(&o, &["--gif-size", "2048"]);
    let o = quick(&["--png", &p(dir.path(), "a.png"), "--size", "4097x100"]);
    refused(&o, &["--size", "4096"]);
    assert!(files_in(dir.path()).is_empty());
}

// ---- 9. small edges ----

#[test]
fn png_every_makes_its_directory_only_once_everything_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    let o = quick(&[
        "--png-every",
        "2",
        frames.to_str().unwrap(),
        "--set",
        "dataset=custom",
        "--set",
        "data=/nonexistent/pts.csv",
    ]);
    refused(&o, &["/nonexistent/pts.csv"]);
    assert!(
        !frames.exists(),
        "the directory was made before a check failed"
    );
    let o = quick(&["--png-every", "2", "/proc/nope/frames"]);
    refused(&o, &["/proc/nope/frames"]);
}

#[test]
fn a_key_with_a_newline_gives_a_one_line_message() {
    let o = quick(&["--set", "lr\nx=1"]);
    refused(&o, &["unknown setting", "lr\\nx"]);
}

#[test]
fn negative_numbers_name_their_flag() {
    let dir = tempfile::tempdir().unwrap();
    let gif = p(dir.path(), "a.gif");
    for (flag, extra) in [
        ("--fps", vec!["--gif", gif.as_str(), "--fps", "-1"]),
        (
            "--gif-every",
            vec!["--gif", gif.as_str(), "--gif-every", "-1"],
        ),
        ("--size", vec!["--size", "-1"]),
        ("--gif-size", vec!["--gif-size", "-1"]),
        ("--png-every", vec!["--png-every", "-1", "dir"]),
    ] {
        let o = quick(&extra);
        let e = err(&o);
        assert!(!o.status.success(), "{flag}");
        assert!(e.contains(flag), "{flag}: {e}");
        assert!(!e.contains("unexpected argument"), "{flag}: {e}");
    }
    let o = ebm(&["train", "--steps", "-1"]);
    assert!(err(&o).contains("--steps"), "{}", err(&o));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn toml_tables_and_deep_nesting_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.toml");
    std::fs::write(&f, "lr = 0.01\n[extra]\nx = 1\n").unwrap();
    let o = ebm(&["train", "--steps", "1", "--settings", f.to_str().unwrap()]);
    refused(&o, &["unknown setting `extra`", "known settings: dataset"]);
    let deep = format!("lr = {}1{}\n", "[".repeat(200), "]".repeat(200));
    std::fs::write(&f, deep).unwrap();
    let o = ebm(&["train", "--steps", "1", "--settings", f.to_str().unwrap()]);
    refused(&o, &["t.toml"]);
    assert!(!err(&o).contains("line 0"), "{}", err(&o));
}

// ---- 10. divergence keeps finite weights ----

#[test]
fn after_a_divergence_the_surface_is_finite() {
    let dir = tempfile::tempdir().unwrap();
    let (m, s) = (p(dir.path(), "m.json"), p(dir.path(), "s.csv"));
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
        "--surface-csv",
        &s,
    ]);
    assert!(!o.status.success());
    assert!(err(&o).contains("lr = 50"), "{}", err(&o));
    let text = std::fs::read_to_string(&s).unwrap();
    let energies: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(energies.len(), 64 * 128);
    assert!(
        energies.iter().all(|e| e.is_finite()),
        "non-finite energies kept"
    );
}

// ---- 10. the third fuzz round (issue 26) ----

/// A lecture of `scenes` scenes (dual-energy, 20,000 steps each: 30 take
/// longer than the 2 s within which the signals below arrive).
fn quick_lecture(dir: &Path, scenes: usize) -> String {
    let mut t = String::from("title = \"signals\"\n");
    for i in 0..scenes {
        t.push_str(&format!(
            "[[scene]]\ntitle = \"s{i}\"\npreset = \"dual-energy\"\ncaption = \"c\"\nsteps = 20000\n"
        ));
    }
    let f = dir.join("quick.toml");
    std::fs::write(&f, t).unwrap();
    f.to_string_lossy().into_owned()
}

#[test]
fn a_signal_while_pictures_render_exits_as_the_signal() {
    // Before: 10 of 310 such runs ended in SIGSEGV, SIGABRT or SIGILL (the
    // exit path tore down Mesa while the main thread rendered).
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let lecture = quick_lecture(dir.path(), 30);
    for (i, (signal, code)) in [("-INT", 130), ("-TERM", 143)]
        .iter()
        .cycle()
        .take(8)
        .enumerate()
    {
        let out = dir.path().join(format!("out{i}"));
        let child = bin()
            .args([
                "lecture",
                &lecture,
                "--export",
                out.to_str().unwrap(),
                "--size",
                "256x160",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300 + 230 * i as u64));
        let sent = Command::new("kill")
            .args([*signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let o = child.wait_with_output().unwrap();
        assert_eq!(
            (o.status.code(), o.status.signal()),
            (Some(*code), None),
            "run {i} ({signal}): {}",
            err(&o)
        );
    }
}

#[test]
fn input_files_are_read_up_to_a_cap_that_is_named() {
    let o = quick(&["--settings", "/dev/zero"]);
    refused(&o, &["settings file", "/dev/zero", "1 MiB"]);
    let o = quick(&["--load-model", "/dev/zero"]);
    refused(&o, &["model file", "/dev/zero", "16 MiB"]);
    let o = quick(&["--set", "dataset=custom", "--set", "data=/dev/zero"]);
    refused(&o, &["data CSV", "/dev/zero", "64 MiB"]);
    let dir = tempfile::tempdir().unwrap();
    let o = ebm(&["lecture", "/dev/zero", "--export", &p(dir.path(), "h")]);
    refused(&o, &["lecture file", "/dev/zero", "1 MiB"]);
}

#[test]
fn a_lecture_scene_steps_are_bounded_and_named() {
    let dir = tempfile::tempdir().unwrap();
    for (steps, want) in [("0", "steps = 0"), ("1000000000000", "1 ..= 1000000000")] {
        let f = dir.path().join("l.toml");
        std::fs::write(
            &f,
            format!("title = \"t\"\n[[scene]]\ntitle = \"a\"\npreset = \"dual-nll\"\ncaption = \"c\"\nsteps = {steps}\n"),
        )
        .unwrap();
        let o = ebm(&[
            "lecture",
            f.to_str().unwrap(),
            "--export",
            &p(dir.path(), "h"),
        ]);
        refused(&o, &["scene 1", want]);
    }
    // Too large for TOML's integers: still one line naming the scene.
    let f = dir.path().join("big.toml");
    std::fs::write(&f, "title = \"t\"\n[[scene]]\ntitle = \"a\"\npreset = \"dual-nll\"\ncaption = \"c\"\nsteps = 18446744073709551615\n").unwrap();
    let o = ebm(&[
        "lecture",
        f.to_str().unwrap(),
        "--export",
        &p(dir.path(), "h"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(err(&o).trim().lines().count(), 1, "{}", err(&o));
}

#[test]
fn a_diverging_partner_fails_the_run_after_the_pictures() {
    let o = ebm(&[
        "train",
        "--preset",
        "dual-energy",
        "--compare",
        "loss=exponential,lr=50",
        "--steps",
        "500",
    ]);
    // Each run's last line is printed first (stderr), then the error.
    let e = err(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    let last = e.trim().lines().last().unwrap_or_default();
    assert!(
        last.contains("loss = exponential, lr = 50") && last.contains("diverged"),
        "{e}"
    );
}

#[test]
fn one_file_for_two_outputs_or_for_an_input_and_an_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = p(dir.path(), "a.out");
    let o = quick(&["--metrics-json", &a, "--surface-csv", &a]);
    refused(&o, &["--metrics-json and --surface-csv", "a.out"]);
    let s = dir.path().join("s.toml");
    std::fs::write(&s, "loss = \"nll\"\n").unwrap();
    for flag in ["--metrics-json", "--png", "--surface-csv"] {
        let o = quick(&["--settings", s.to_str().unwrap(), flag, s.to_str().unwrap()]);
        refused(&o, &[flag, "--settings"]);
        assert_eq!(std::fs::read_to_string(&s).unwrap(), "loss = \"nll\"\n");
    }
    // The same file through another spelling of its path.
    let other = format!("{}/./s.toml", dir.path().display());
    let o = quick(&["--settings", s.to_str().unwrap(), "--metrics-json", &other]);
    refused(&o, &["--metrics-json", "--settings"]);
    // A model saved over the one it was loaded from is the intended case.
    let m = p(dir.path(), "m.json");
    assert!(quick(&["--save-model", &m]).status.success());
    let o = quick(&["--load-model", &m, "--save-model", &m]);
    assert!(o.status.success(), "{}", err(&o));
    let o = quick(&["--load-model", &m, "--metrics-json", &m]);
    refused(&o, &["--metrics-json", "--load-model"]);
}

#[test]
fn silent_acceptances_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    refused(&quick(&["--set", "momentum=0.99999999"]), &["momentum"]);
    let o = ebm(&[
        "train",
        "--preset",
        "dual-energy",
        "--compare",
        "loss=nll,loss=log",
        "--steps",
        "5",
    ]);
    refused(&o, &["`loss` is given twice"]);
    let s = dir.path().join("s.toml");
    std::fs::write(&s, "expect = \"junk\"\n").unwrap();
    refused(
        &quick(&["--settings", s.to_str().unwrap()]),
        &["expect", "junk"],
    );
    std::fs::write(&s, "steps = 0\n").unwrap();
    refused(
        &quick(&["--settings", s.to_str().unwrap()]),
        &["steps", "1 ..= 1000000000"],
    );
    refused(
        &quick(&["--set", "data=pts.csv"]),
        &["data = \"pts.csv\"", "dataset = custom"],
    );
    let csv = p(dir.path(), "three.csv");
    std::fs::write(&csv, "0,0\n1,1\n-1,1\n").unwrap();
    let o = quick(&[
        "--set",
        "dataset=custom",
        "--set",
        &format!("data={csv}"),
        "--set",
        "batch=10000",
    ]);
    refused(&o, &["batch = 10000", "3 points", "0 ..= 3"]);
    let lecture = quick_lecture(dir.path(), 1);
    let o = ebm(&[
        "lecture",
        &lecture,
        "--export",
        &p(dir.path(), "h"),
        "--scene",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2), "a usage error: {}", err(&o));
    assert!(err(&o).contains("--scene"), "{}", err(&o));
}

#[test]
fn messages_name_the_cause_before_any_training() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["--png", "--metrics-json", "--save-model", "--gif"] {
        let out = format!("{}/", p(dir.path(), "new"));
        let o = quick(&[flag, &out]);
        refused(&o, &[&out, "ending in /"]);
    }
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
    let file = p(dir.path(), "taken");
    std::fs::write(&file, "x").unwrap();
    let lecture = quick_lecture(dir.path(), 1);
    let o = ebm(&["lecture", &lecture, "--export", &file]);
    refused(&o, &["--export", "not a directory"]);
    let o = ebm(&["lecture", &lecture, "--export", "/dev/null"]);
    refused(&o, &["--export", "not a directory"]);
    let s = dir.path().join("seed.toml");
    std::fs::write(&s, "seed = 18446744073709551615\n").unwrap();
    refused(
        &quick(&["--settings", s.to_str().unwrap()]),
        &["seed = \"18446744073709551615\""],
    );
    let m = dir.path().join("m.json");
    std::fs::write(&m, "{\"architecture\": 5}").unwrap();
    refused(
        &quick(&["--load-model", m.to_str().unwrap()]),
        &["`architecture`"],
    );
}

#[test]
fn a_fifo_reader_that_leaves_early_is_an_error_and_the_other_outputs_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("surface.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Reads one byte and leaves; the surface CSV is far larger than a pipe's buffer.
    let reader = Command::new("head")
        .args(["-c", "1"])
        .arg(&fifo)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let m = p(dir.path(), "m.json");
    let o = quick(&["--surface-csv", fifo.to_str().unwrap(), "--save-model", &m]);
    let _ = reader.wait_with_output();
    refused(&o, &["surface.fifo", "reader closed it"]);
    assert!(std::fs::read_to_string(&m).unwrap().contains("\"nets\""));
}

#[test]
fn a_custom_set_too_large_for_memory_is_refused_before_training() {
    // 70,000 points × grid 4096 = 287 million energies a step (~1.1 GB).
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("many.csv");
    let text: String = (0..70_000)
        .map(|i| {
            let x = i as f64 / 35_000.0 - 1.0;
            format!("{x},{}\n", x * x)
        })
        .collect();
    std::fs::write(&csv, text).unwrap();
    let data = format!("data={}", csv.display());
    let o = quick(&[
        "--set",
        "dataset=custom",
        "--set",
        &data,
        "--set",
        "grid=4096",
    ]);
    refused(&o, &["70000 points × grid 4096", "268435456"]);
}

#[test]
fn data_whose_range_f32_cannot_hold_is_refused_by_axis() {
    let dir = tempfile::tempdir().unwrap();
    let o = csv_run(dir.path(), "-1,3.4e38\n0,0\n1,-3.4e38\n", &[]);
    refused(&o, &["the y values span 6.8e38", "rescale"]);
}

#[test]
fn promise_lines_in_a_settings_file_are_said_to_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, "steps = 5000\nloss = \"nll\"\n").unwrap();
    let o = quick(&["--settings", s.to_str().unwrap()]);
    let e = err(&o);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains("steps = 5000") && e.contains("change nothing") && e.contains("--steps 5"),
        "{e}"
    );
}

#[test]
fn a_read_only_handout_page_is_refused_before_any_scene_trains() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("handout");
    std::fs::create_dir(&out).unwrap();
    let index = out.join("index.html");
    std::fs::write(&index, "old").unwrap();
    std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o444)).unwrap();
    let lecture = quick_lecture(dir.path(), 2);
    let o = ebm(&["lecture", &lecture, "--export", out.to_str().unwrap()]);
    refused(&o, &["index.html", "permission denied"]);
    // Up front: no scene's picture was drawn before the refusal.
    assert_eq!(files_in(&out), vec!["index.html".to_string()]);
}

/// Issue 25: a run started from a collapsed model reads collapsed (the
/// reference is this seed's fresh start, not the loaded flat sheet).
#[test]
fn a_loaded_collapsed_model_reads_collapsed() {
    let dir = tempfile::tempdir().unwrap();
    let m = p(dir.path(), "flat.json");
    let o = ebm(&[
        "train",
        "--preset",
        "dual-energy",
        "--steps",
        "10000",
        "--save-model",
        &m,
    ]);
    assert!(err(&o).contains("collapsed"), "{}", err(&o));
    let j = p(dir.path(), "m.json");
    for steps in ["0", "200"] {
        let o = ebm(&[
            "train",
            "--preset",
            "dual-energy",
            "--load-model",
            &m,
            "--steps",
            steps,
            "--metrics-json",
            &j,
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let text = std::fs::read_to_string(&j).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["final"]["state"], "collapsed",
            "after {steps} steps: {text}"
        );
        assert_eq!(v["initial"]["state"], "collapsed", "at the start: {text}");
    }
}
