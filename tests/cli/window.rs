//! The real window under Xvfb: `ebm-lab --preset NAME --frames N --screenshot PATH`
//! opens it, plays, saves a screenshot of the whole window and exits 0. The
//! screenshot must have the window's size and a 3D region that is not uniform.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Xvfb on a free display (scripts/test.sh installs it).
fn xvfb() -> Xvfb {
    // Tests run in parallel: each takes its own numbers, so two never start
    // a server on the same display (the loser would borrow the winner's,
    // which dies with the winner's test).
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(90);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n >= 190 {
            break;
        }
        let (lock, socket) = (format!("/tmp/.X{n}-lock"), format!("/tmp/.X11-unix/X{n}"));
        match std::fs::read_to_string(&lock) {
            // A lock whose server is gone (killed without cleaning up) is
            // stale: remove it and its socket, so the wait below sees the new one.
            Ok(pid) if !Path::new(&format!("/proc/{}", pid.trim())).exists() => {
                let _ = std::fs::remove_file(&lock);
                let _ = std::fs::remove_file(&socket);
            }
            Ok(_) => continue,
            Err(_) if Path::new(&socket).exists() => continue,
            Err(_) => {}
        }
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb must be installed (scripts/test.sh installs the xvfb package)");
        // From here the guard kills and waits for the child on every path.
        let x = Xvfb { child, display };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return x;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("Xvfb did not start on {}", x.display);
    }
    panic!("no free X display number");
}

fn luminance_spread(img: &image::RgbaImage, x0: u32, y0: u32, x1: u32, y1: u32) -> (f64, usize) {
    let mut values = Vec::new();
    let mut colours = std::collections::HashSet::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let p = img.get_pixel(x, y).0;
            values.push(0.3 * p[0] as f64 + 0.59 * p[1] as f64 + 0.11 * p[2] as f64);
            colours.insert([p[0] / 8, p[1] / 8, p[2] / 8]);
        }
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    (var.sqrt(), colours.len())
}

#[test]
fn the_real_window_plays_and_screenshots_a_non_empty_3d_view() {
    let x = xvfb();
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("window.png");
    let out = Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
        .args([
            "--preset",
            "dual-nll",
            "--frames",
            "90",
            "--screenshot",
            shot.to_str().unwrap(),
        ])
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {stderr}",
        out.status
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("frames: "))
        .unwrap_or_else(|| panic!("no timing line: {stdout}"));
    assert!(line.starts_with("frames: 90, mean frame ms: "), "{line}");
    assert!(
        line.contains("p95 frame ms: ") && line.contains("steps/s: "),
        "{line}"
    );
    let img = image::open(&shot).unwrap().to_rgba8();
    assert_eq!(
        (img.width(), img.height()),
        (1280, 800),
        "the window's size"
    );
    // The 3D view sits between the controls (left) and the plots (right).
    let (sd, colours) = luminance_spread(&img, 420, 200, 820, 650);
    assert!(
        sd > 10.0 && colours > 50,
        "3D region looks uniform: sd {sd:.1}, {colours} colours"
    );
    // Training ran while the window was open.
    let steps: f64 = line
        .split("steps/s: ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(steps > 0.0, "{line}");
}

#[test]
fn frames_without_a_display_fails_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
        .args(["--frames", "3", "--screenshot", "/tmp/never.png"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("display"));
}

#[test]
fn no_display_shows_the_headless_run() {
    let out = Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no display"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("collapsed"), "{stdout}");
    assert!(
        stdout.contains("switching the loss to nll") && stdout.contains("learned"),
        "{stdout}"
    );
}

/// Runs the window for `frames` frames with `args` and `envs`; returns the
/// screenshot and the 3D view's rectangle (w, h, x, y) in points.
fn shoot(
    x: &Xvfb,
    name: &str,
    args: &[&str],
    envs: &[(&str, &str)],
    frames: u32,
) -> (image::RgbaImage, [f32; 4]) {
    let dir = std::env::temp_dir().join("ebm-lab-window-test");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(format!("{name}.png"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ebm-lab"));
    cmd.args(args)
        .args(["--frames", &frames.to_string(), "--screenshot"])
        .arg(&shot)
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{name}: exit {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("view: "))
        .unwrap_or_else(|| panic!("{name}: no view line: {stdout}"));
    let nums: Vec<f32> = line[6..]
        .split(['x', ' ', ','])
        .filter_map(|s| s.parse().ok())
        .collect();
    assert_eq!(nums.len(), 4, "{line}");
    eprintln!("{name}: {} ({line})", shot.display());
    (
        image::open(&shot).unwrap().to_rgba8(),
        [nums[0], nums[1], nums[2], nums[3]],
    )
}

#[test]
fn a_diverged_run_keeps_the_3d_view_in_place_and_presentation_fills_the_window() {
    let x = xvfb();
    let (_, normal) = shoot(&x, "normal", &["--preset", "dual-nll"], &[], 40);
    // A run that diverges at once: square-square at lr = 50.
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("diverge.toml");
    let (mut s, _) = ebm_lab::presets::load_preset("dual-square-square").unwrap();
    s.lr = 50.0;
    std::fs::write(&toml, s.to_toml(Some("lr too large"))).unwrap();
    let (img, diverged) = shoot(
        &x,
        "diverged",
        &["--settings", toml.to_str().unwrap()],
        &[],
        60,
    );
    assert_eq!(
        diverged, normal,
        "the divergence message must not move or resize the 3D view"
    );
    // The banner's Reset button and the colour bar stay inside the window.
    assert_eq!((img.width(), img.height()), (1280, 800));
    let (_, present) = shoot(
        &x,
        "presentation",
        &["--preset", "dual-nll"],
        &[("EBM_LAB_PRESENT", "1")],
        60,
    );
    assert!(
        present[0] > 1200.0 && present[1] > normal[1] - 40.0,
        "presentation view {present:?} vs normal {normal:?}"
    );
    // Square-square at d = 1 collapses and stays collapsed: after 3,000 steps
    // the banner says so and offers Reset, without moving the 3D view.
    let (_, stuck) = shoot(
        &x,
        "deep-collapse",
        &["--preset", "d1-square-square"],
        &[("EBM_LAB_SPEED", "max"), ("EBM_LAB_PAUSE_ON_COLLAPSE", "0")],
        90,
    );
    assert_eq!(
        stuck, normal,
        "the collapse warning must not move the 3D view"
    );
}

/// The 3D views' region of a `shoot` picture, split into `n` columns: each
/// column's luminance spread.
fn column_spreads(img: &image::RgbaImage, view: [f32; 4], n: u32) -> Vec<f64> {
    let [w, h, x, y] = view.map(|v| v.max(0.0) as u32);
    let part = w / n;
    (0..n)
        .map(|i| {
            let x0 = x + i * part;
            luminance_spread(
                img,
                x0 + part / 8,
                y + h / 4,
                x0 + 7 * part / 8,
                y + 3 * h / 4,
            )
            .0
        })
        .collect()
}

#[test]
fn compare_and_lecture_modes_play_and_screenshot_in_the_real_window() {
    let x = xvfb();
    let (img, view) = shoot(
        &x,
        "compare",
        &["compare", "--preset", "dual-energy", "--with", "loss=nll"],
        &[],
        120,
    );
    assert_eq!((img.width(), img.height()), (1280, 800));
    assert!(view[0] > 400.0, "two views side by side: {view:?}");
    for (i, sd) in column_spreads(&img, view, 2).iter().enumerate() {
        assert!(*sd > 8.0, "compare column {i} looks empty: sd {sd:.1}");
    }
    let (img, view) = shoot(&x, "lecture", &["lecture", "--scene", "13"], &[], 120);
    assert_eq!((img.width(), img.height()), (1280, 800));
    assert!(
        view[0] > 1000.0,
        "the lecture's four views fill the width: {view:?}"
    );
    for (i, sd) in column_spreads(&img, view, 4).iter().enumerate() {
        assert!(*sd > 8.0, "lecture column {i} looks empty: sd {sd:.1}");
    }
}

/// Issue 25's acceptance: the whole built-in lecture in the real window,
/// scene by scene, each saved after 150 frames at full speed (so a scene's
/// state and event have come: the collapse, a hold before a scripted
/// switch, a valley) into the temp dir's `ebm-lab-window-test/lecture-NN.png`.
/// Every scene plays, exits 0 and draws a 3D view.
#[test]
fn the_whole_built_in_lecture_plays_scene_by_scene() {
    let x = xvfb();
    let scenes = ebm_lab::lecture::Lecture::paper().unwrap().scenes.len();
    for n in 1..=scenes {
        let name = format!("lecture-{n:02}");
        let scene = n.to_string();
        let (img, view) = shoot(
            &x,
            &name,
            &["lecture", "--scene", &scene],
            &[("EBM_LAB_SPEED", "max")],
            150,
        );
        assert_eq!((img.width(), img.height()), (1280, 800), "{name}");
        assert!(
            view[0] > 600.0,
            "{name}: the view fills the window: {view:?}"
        );
        let sd = column_spreads(&img, view, 1)[0];
        assert!(sd > 8.0, "{name}: the 3D view looks empty: sd {sd:.1}");
    }
}
