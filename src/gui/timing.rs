//! Frame timing: frames/s for the status bar, the `--frames` summary line, and,
//! with `EBM_LAB_FRAME_LOG=1`, a line on stderr every two seconds.

use std::time::Duration;

use web_time::Instant;

pub struct FrameTimings {
    last: Option<Instant>,
    /// Frame-to-frame intervals (ms), all of them (for `--frames` runs, bounded below).
    intervals: Vec<f64>,
    /// Time spent in `App::ui` (ms): the GUI's own CPU work, GL excluded.
    ui_ms: Vec<f64>,
    log: bool,
    log_from: usize,
    last_log: Instant,
    fps: f64,
    /// When the window (and its trainer) started: `--frames` reports the
    /// runs' average steps/s since then.
    created: Instant,
}

const KEEP: usize = 100_000;

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn p95(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() as f64 * 0.95) as usize).min(s.len() - 1)]
}

impl FrameTimings {
    pub fn from_env() -> Self {
        FrameTimings {
            last: None,
            intervals: Vec::new(),
            ui_ms: Vec::new(),
            log: std::env::var("EBM_LAB_FRAME_LOG").is_ok_and(|v| !v.is_empty() && v != "0"),
            log_from: 0,
            last_log: Instant::now(),
            fps: 0.0,
            created: Instant::now(),
        }
    }

    /// Seconds since the window started.
    pub fn since_start(&self) -> f64 {
        self.created.elapsed().as_secs_f64()
    }

    pub fn record(&mut self, ui_time: Duration, steps_per_sec: f64) {
        let now = Instant::now();
        if let Some(last) = self.last {
            let ms = (now - last).as_secs_f64() * 1e3;
            self.intervals.push(ms);
            self.fps = 0.9 * self.fps + 0.1 * (1e3 / ms.max(1e-3));
        }
        self.last = Some(now);
        self.ui_ms.push(ui_time.as_secs_f64() * 1e3);
        if self.intervals.len() > KEEP {
            self.intervals.drain(..KEEP / 2);
            self.ui_ms.drain(..KEEP / 2);
            self.log_from = 0;
        }
        if self.log && now - self.last_log > Duration::from_secs(2) {
            let from = self.log_from.min(self.intervals.len());
            let iv = &self.intervals[from..];
            let ui = &self.ui_ms[from.min(self.ui_ms.len())..];
            eprintln!(
                "frames {}: {:.1} fps, frame ms mean {:.2} p95 {:.2}, ui cpu ms mean {:.2} p95 {:.2}, steps/s {:.0}",
                iv.len(),
                1e3 / mean(iv).max(1e-3),
                mean(iv),
                p95(iv),
                mean(ui),
                p95(ui),
                steps_per_sec
            );
            self.log_from = self.intervals.len();
            self.last_log = now;
        }
    }

    pub fn fps(&self) -> f64 {
        self.fps
    }

    /// The line `--frames` prints. The first frames (start-up, shader compiles) are excluded.
    pub fn summary(&self, frames: u64, steps_per_sec: f64) -> String {
        let skip = (self.intervals.len() / 10).min(10);
        let iv = &self.intervals[skip..];
        let ui = &self.ui_ms[skip.min(self.ui_ms.len())..];
        format!(
            "frames: {frames}, mean frame ms: {:.2}, p95 frame ms: {:.2}, steps/s: {:.0}, mean ui cpu ms: {:.2}",
            mean(iv),
            p95(iv),
            steps_per_sec,
            mean(ui)
        )
    }
}
