//! Headless pictures through the real CLI: PNG stills, the GIF, and the
//! faults. These need an EGL device (Mesa's software one is enough); without
//! one they fail, and the failure says which packages to install.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use image::AnimationDecoder;

fn ebm_lab(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ebm-lab: {e}"));
    out
}

fn train_ok(args: &[&str]) {
    let out = ebm_lab(args);
    assert!(
        out.status.success(),
        "ebm-lab {args:?} failed (headless tests need EGL: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn png(path: &Path) -> image::RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .to_rgba8()
}

fn render(dir: &Path, name: &str, preset: &str, steps: u64) -> image::RgbaImage {
    let path = dir.join(name);
    let p = path.to_string_lossy().into_owned();
    let steps = steps.to_string();
    train_ok(&[
        "train", "--preset", preset, "--steps", &steps, "--png", &p, "--size", "400x250",
    ]);
    png(&path)
}

fn distinct_colours(img: &image::RgbaImage) -> usize {
    let mut seen = std::collections::HashSet::new();
    for p in img.pixels() {
        seen.insert(p.0);
    }
    seen.len()
}

/// Fraction of pixels in the central half of the picture (where the surface
/// is, away from the caption) that differ clearly between `a` and `b`.
fn central_difference(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    let (w, h) = a.dimensions();
    let (mut n, mut diff) = (0u32, 0u32);
    for y in h / 4..3 * h / 4 {
        for x in w / 4..3 * w / 4 {
            let (p, q) = (a.get_pixel(x, y).0, b.get_pixel(x, y).0);
            let d: i32 = (0..3).map(|k| (p[k] as i32 - q[k] as i32).abs()).sum();
            n += 1;
            diff += u32::from(d > 24);
        }
    }
    diff as f64 / n as f64
}

#[test]
fn dual_energy_png_changes_where_the_surface_is() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let start = render(dir.path(), "start.png", "dual-energy", 0);
    let end = render(dir.path(), "end.png", "dual-energy", 5000);
    for img in [&start, &end] {
        assert_eq!(img.dimensions(), (400, 250));
        assert!(
            distinct_colours(img) > 100,
            "the picture is (nearly) uniform"
        );
    }
    let d = central_difference(&start, &end);
    eprintln!("step 0 vs 5000: {d:.3} of the centre differs");
    assert!(
        d > 0.15,
        "step 0 and step 5000 barely differ ({d:.3} of the centre)"
    );
}

#[test]
fn learned_nll_differs_from_its_collapsed_twin() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let learned = render(dir.path(), "nll.png", "dual-nll", 2000);
    let collapsed = render(dir.path(), "energy.png", "dual-energy", 5000);
    let d = central_difference(&learned, &collapsed);
    eprintln!("learned vs collapsed: {d:.3} of the centre differs");
    assert!(
        d > 0.15,
        "learned and collapsed pictures barely differ ({d:.3})"
    );
}

#[test]
fn gif_decodes_with_the_expected_frames() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("run.gif");
    let p = path.to_string_lossy().into_owned();
    train_ok(&[
        "train",
        "--preset",
        "dual-nll",
        "--steps",
        "1000",
        "--gif",
        &p,
        "--gif-every",
        "100",
        "--gif-size",
        "200x120",
        "--fps",
        "5",
    ]);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(file))
        .unwrap_or_else(|e| panic!("not a GIF: {e}"));
    let frames = decoder
        .into_frames()
        .collect_frames()
        .unwrap_or_else(|e| panic!("GIF frames do not decode: {e}"));
    assert_eq!(frames.len(), 11, "steps 0, 100, …, 1000");
    for f in &frames {
        assert_eq!(f.buffer().dimensions(), (200, 120));
    }
    let first = frames[0].buffer();
    let last = frames[10].buffer();
    assert!(distinct_colours(first) > 20);
    assert_ne!(first, last, "the surface must move during training");
}

#[test]
fn png_every_writes_numbered_frames() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let frames = dir.path().join("frames");
    let f = frames.to_string_lossy().into_owned();
    train_ok(&[
        "train",
        "--preset",
        "dual-nll",
        "--steps",
        "250",
        "--png-every",
        "100",
        &f,
        "--size",
        "160x100",
    ]);
    for i in 0..4 {
        let img = png(&frames.join(format!("frame_{i:05}.png")));
        assert_eq!(img.dimensions(), (160, 100));
    }
    assert!(
        !frames.join("frame_00004.png").exists(),
        "0, 100, 200 and the last step 250"
    );
}

#[test]
fn unwritable_picture_path_fails_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let metrics = dir.path().join("m.json");
    let m = metrics.to_string_lossy().into_owned();
    let bad = dir.path().join("missing").join("x.png");
    let b = bad.to_string_lossy().into_owned();
    let out = ebm_lab(&[
        "train",
        "--preset",
        "dual-nll",
        "--steps",
        "10",
        "--metrics-json",
        &m,
        "--png",
        &b,
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write") && err.contains("x.png"),
        "{err}"
    );
    assert!(!bad.exists() && !metrics.exists());
    let leftovers = std::fs::read_dir(dir.path())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "nothing half-written");
}

#[test]
fn without_egl_the_other_outputs_are_still_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let metrics = dir.path().join("m.json");
    let shot = dir.path().join("x.png");
    let out = Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
        .args([
            "train",
            "--preset",
            "dual-nll",
            "--steps",
            "10",
            "--metrics-json",
        ])
        .arg(&metrics)
        .arg("--png")
        .arg(&shot)
        // libglvnd then finds no EGL vendor: the same as a machine without Mesa's EGL.
        .env(
            "__EGL_VENDOR_LIBRARY_FILENAMES",
            "/nonexistent/egl_vendor.json",
        )
        .output()
        .unwrap_or_else(|e| panic!("cannot run ebm-lab: {e}"));
    assert!(!out.status.success(), "no EGL must be an error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("EGL") && err.contains("libegl1"), "{err}");
    assert!(metrics.exists(), "metrics still written");
    assert!(!shot.exists());
}

/// Issue 15's headless compare: two runs from the same weights, side by side,
/// each captioned with its state; only live settings may differ.
#[test]
fn compare_draws_the_runs_side_by_side_and_refuses_structural_partners() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("side.png");
    let p = path.to_string_lossy().into_owned();
    let out = ebm_lab(&[
        "train",
        "--preset",
        "dual-energy",
        "--compare",
        "loss=nll",
        "--steps",
        "3000",
        "--png",
        &p,
        "--size",
        "800x250",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("dual-energy: step 3000"), "{text}");
    assert!(text.contains("loss = nll: step 3000: learned"), "{text}");
    let img = png(&path);
    assert_eq!((img.width(), img.height()), (800, 250));
    // Each half is a picture of its own (not blank, and not the same).
    let half = |x0: u32| -> Vec<u8> {
        (0..250)
            .flat_map(|y| (x0..x0 + 400).map(move |x| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[1])
            .collect()
    };
    let (left, right) = (half(0), half(400));
    for h in [&left, &right] {
        let (lo, hi) = (h.iter().min().unwrap(), h.iter().max().unwrap());
        assert!(hi - lo > 100, "a half is nearly uniform");
    }
    let differ = left.iter().zip(&right).filter(|(a, b)| a != b).count();
    assert!(differ > left.len() / 10, "the halves are alike: {differ}");

    let out = ebm_lab(&[
        "train",
        "--preset",
        "dual-energy",
        "--compare",
        "seed=3",
        "--steps",
        "10",
        "--png",
        &p,
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("seed would change the data or the initial weights"),
        "{err}"
    );
}

#[test]
fn lecture_export_writes_a_picture_a_scene_and_the_handout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("short.toml");
    std::fs::write(
        &file,
        r#"title = "A short <lecture>"
[[scene]]
title = "Collapse, then nll"
preset = "dual-energy"
caption = "The energy loss collapses; the script switches to nll."
watch = "the surface lifts"
steps = 6000
[[scene.event]]
at = "collapsed"
set = { loss = "nll" }
show = "Switched to nll."
[[scene]]
title = "Side by side"
preset = "dual-energy"
compare = ["loss=nll"]
caption = "Energy and nll from the same weights."
steps = 8000
"#,
    )
    .unwrap();
    let out_dir = dir.path().join("handout");
    let (f, o) = (file.to_string_lossy(), out_dir.to_string_lossy());
    train_ok(&["lecture", &f, "--export", &o, "--size", "480x270"]);
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    for want in [
        "A short &lt;lecture&gt;",
        "The energy loss collapses; the script switches to nll.",
        "Watch: the surface lifts",
        "Switched to nll.",
        "scene-01.png",
        "scene-02.png",
        // The scripted switch ran: the first scene's run ends learned under nll.
        "Collapse, then nll: learned",
        "loss = energy: collapsed",
        "loss = nll: learned",
    ] {
        assert!(index.contains(want), "index.html lacks {want:?}:\n{index}");
    }
    let one = png(&out_dir.join("scene-01.png"));
    let two = png(&out_dir.join("scene-02.png"));
    assert_eq!(one.dimensions(), (480, 270));
    assert!(distinct_colours(&one) > 50 && distinct_colours(&two) > 50);
    // Scene 2's halves differ: a flat surface beside a valley.
    let (w, h) = two.dimensions();
    let left = image::imageops::crop_imm(&two, 0, 0, w / 2, h).to_image();
    let right = image::imageops::crop_imm(&two, w / 2, 0, w / 2, h).to_image();
    assert!(central_difference(&left, &right) > 0.05);

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "title = \"t\"\n[[scene]]\ntitle = \"x\"\npreset = \"dual-energy\"\ncaption = \"c\"\nset = { loss = \"foo\" }\n",
    )
    .unwrap();
    let out = ebm_lab(&["lecture", &bad.to_string_lossy(), "--export", &o]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("scene 1 (\"x\")") && err.contains("square-square"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let out = ebm_lab(&["lecture", "--scene", "99"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--scene 99") && err.contains("allowed: 1 ..="),
        "{err}"
    );
}

/// The latent lecture's handout: a plane scene is trained and drawn with
/// the plane's axes; its state is the preset's promise.
#[test]
fn a_plane_scene_exports_its_picture_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plane.toml");
    std::fs::write(
        &file,
        r#"title = "Plane"
[[scene]]
title = "The ellipse"
preset = "ellipse-zero-t"
caption = "A ring."
[[scene]]
title = "The horn"
preset = "horn-zero-t"
x = 0.9
caption = "A larger ring."
steps = 1500
"#,
    )
    .unwrap();
    let out_dir = dir.path().join("handout");
    let (f, o) = (file.to_string_lossy(), out_dir.to_string_lossy());
    train_ok(&["lecture", &f, "--export", &o, "--size", "480x270"]);
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    for want in [
        "ellipse-zero-t: learned",
        "horn-zero-t: learned",
        "after 1500 steps",
    ] {
        assert!(index.contains(want), "index.html lacks {want:?}:\n{index}");
    }
    let one = png(&out_dir.join("scene-01.png"));
    assert_eq!(one.dimensions(), (480, 270));
    assert!(distinct_colours(&one) > 50);
}
