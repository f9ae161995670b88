//! The page's frame: how long training may take in it, and what its parts
//! cost. Plain Rust (tested on every target); `app.rs` feeds it each frame.
//!
//! The page has no threads: training shares the main thread with drawing.
//! [`train_budget`] gives training what is left of a 30 fps frame once the
//! rest of the frame's main-thread work (the window's `ui`, then egui's
//! tessellation and GL calls) is paid, between [`BUDGET_MIN`] and
//! [`BUDGET_MAX`]. When the main thread is not what sets the pace (it sits
//! idle for most of each frame, waiting for the browser's GPU process, as with
//! software WebGL), a smaller budget would slow training and not the frame:
//! training then keeps [`BUDGET_MAX`].

use std::time::Duration;

/// Training time in a frame when the rest of the frame is cheap.
pub const BUDGET_MAX: Duration = Duration::from_millis(8);
/// Training time in a frame however slow the rest is (training never stops).
pub const BUDGET_MIN: Duration = Duration::from_millis(1);
/// The frame the budget aims for: 30 frames a second.
pub const FRAME_TARGET: Duration = Duration::from_micros(33_333);

/// Training time for the next frame when the rest of a frame's main-thread
/// work takes `other_ms` (recent average).
pub fn train_budget(other_ms: f64) -> Duration {
    if other_ms.is_nan() {
        return BUDGET_MIN;
    }
    let left = FRAME_TARGET.as_secs_f64() - other_ms.max(0.0) / 1e3;
    Duration::from_secs_f64(left.clamp(BUDGET_MIN.as_secs_f64(), BUDGET_MAX.as_secs_f64()))
}

/// Main-thread costs of the page's frames, summed since the start (ms), for
/// `ebmFrameStats()` in the page: a script reads it twice and divides the
/// difference by the frames in between.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameCosts {
    pub frames: u64,
    /// From one frame's start to the next's.
    pub interval_ms: f64,
    /// Training and the snapshot (`LocalSession::pump`).
    pub train_ms: f64,
    /// The window's `ui` (its panels, plots, the 3D view's geometry).
    pub ui_ms: f64,
    /// egui's tessellation and GL calls, with the 3D view's upload and draw
    /// calls (to the last paint callback of the frame).
    pub paint_ms: f64,
    /// Steps trained.
    pub steps: u64,
    /// The training budgets given, summed.
    pub budget_ms: f64,
}

impl FrameCosts {
    pub fn to_json(&self) -> String {
        format!(
            "{{\"frames\": {}, \"interval_ms\": {:.3}, \"train_ms\": {:.3}, \"ui_ms\": {:.3}, \"paint_ms\": {:.3}, \"steps\": {}, \"budget_ms\": {:.3}}}",
            self.frames,
            self.interval_ms,
            self.train_ms,
            self.ui_ms,
            self.paint_ms,
            self.steps,
            self.budget_ms
        )
    }
}

/// Recent frames: exponential averages (ms) of a frame's non-training
/// main-thread work and of its whole interval, so one slow frame (a shader
/// compile, a new font size) moves the budget a little, a lasting change
/// within about ten frames.
#[derive(Clone, Copy, Debug, Default)]
pub struct RecentFrames {
    avg: Option<(f64, f64, f64)>,
}

impl RecentFrames {
    /// A frame that trained `train_ms`, spent `other_ms` on its other
    /// main-thread work and lasted `interval_ms` until the next one started.
    pub fn add(&mut self, train_ms: f64, other_ms: f64, interval_ms: f64) {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        if !(ok(train_ms) && ok(other_ms) && ok(interval_ms)) {
            return;
        }
        self.avg = Some(match self.avg {
            None => (train_ms, other_ms, interval_ms),
            Some((t, o, i)) => (
                0.9 * t + 0.1 * train_ms,
                0.9 * o + 0.1 * other_ms,
                0.9 * i + 0.1 * interval_ms,
            ),
        });
    }

    /// The training budget for the next frame.
    pub fn budget(&self) -> Duration {
        match self.avg {
            None => BUDGET_MAX,
            // Idle most of the frame: the pace is set elsewhere.
            Some((train, other, interval)) if interval > 2.0 * (train + other) => BUDGET_MAX,
            Some((_, other, _)) => train_budget(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cheap_frame_trains_the_full_budget() {
        assert_eq!(train_budget(0.0), BUDGET_MAX);
        assert_eq!(train_budget(20.0), BUDGET_MAX);
        assert_eq!(train_budget(-5.0), BUDGET_MAX);
    }

    #[test]
    fn a_costly_frame_trains_what_is_left_of_33_ms() {
        let b = train_budget(30.0).as_secs_f64() * 1e3;
        assert!((b - 3.333).abs() < 0.01, "{b}");
        assert_eq!(train_budget(33.0), BUDGET_MIN);
        assert_eq!(train_budget(500.0), BUDGET_MIN);
        assert_eq!(train_budget(f64::INFINITY), BUDGET_MIN);
        assert_eq!(train_budget(f64::NAN), BUDGET_MIN);
    }

    /// Frames whose main thread is busy all along (train + other = interval).
    fn busy(c: &mut RecentFrames, other: f64, n: usize) {
        for _ in 0..n {
            c.add(8.0, other, 8.0 + other);
        }
    }

    #[test]
    fn the_budget_follows_a_lasting_change_not_one_frame() {
        let mut c = RecentFrames::default();
        assert_eq!(c.budget(), BUDGET_MAX, "no frame yet");
        busy(&mut c, 10.0, 50);
        assert_eq!(c.budget(), BUDGET_MAX);
        c.add(8.0, 300.0, 308.0); // one slow frame: 0.9 × 10 + 30 = 39 ms
        assert_eq!(c.budget(), BUDGET_MIN);
        busy(&mut c, 10.0, 30);
        assert_eq!(c.budget(), BUDGET_MAX, "back within ~30 frames");
        busy(&mut c, 29.0, 50);
        let b = c.budget().as_secs_f64() * 1e3;
        assert!(b > 3.0 && b < 5.0, "{b}");
        c.add(f64::NAN, 1.0, 1.0);
        c.add(1.0, -1.0, 1.0);
        c.add(1.0, 1.0, f64::INFINITY);
        assert_eq!(c.budget().as_secs_f64() * 1e3, b, "bad samples are ignored");
    }

    #[test]
    fn a_main_thread_that_waits_keeps_the_full_budget() {
        // Software WebGL: 8 ms training, 25 ms ui and paint, 160 ms a frame.
        let mut c = RecentFrames::default();
        for _ in 0..50 {
            c.add(8.0, 25.0, 160.0);
        }
        assert_eq!(
            c.budget(),
            BUDGET_MAX,
            "a smaller budget would not draw faster"
        );
        // The same work filling the frame: the budget shrinks.
        for _ in 0..50 {
            c.add(8.0, 25.0, 33.0);
        }
        let b = c.budget().as_secs_f64() * 1e3;
        assert!((b - 8.0).abs() < 0.5, "{b}"); // 33.3 − 25
        for _ in 0..50 {
            c.add(8.0, 30.0, 38.0);
        }
        assert!(c.budget() < Duration::from_millis(4));
    }

    #[test]
    fn costs_print_as_json() {
        let c = FrameCosts {
            frames: 3,
            interval_ms: 100.0,
            train_ms: 24.0,
            ui_ms: 30.5,
            paint_ms: 9.0,
            steps: 300,
            budget_ms: 24.0,
        };
        let v: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
        assert_eq!(v["frames"], 3);
        assert_eq!(v["steps"], 300);
        assert_eq!(v["ui_ms"], 30.5);
        assert_eq!(v["paint_ms"], 9.0);
    }
}
