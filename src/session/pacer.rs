//! Pacing: how many steps the speed limit allows now, and the measured rate.

use super::clock::{Duration, Instant};

/// Window over which `steps_per_sec` is measured.
const RATE_WINDOW: Duration = Duration::from_millis(250);

pub(crate) struct Pacer {
    /// Steps per second, `None` for as fast as it goes.
    pub speed: Option<f64>,
    /// Steps trained by this trainer (all runs).
    pub trained: u64,
    anchor: (Instant, u64),
    rate_anchor: (Instant, u64),
    pub steps_per_sec: f64,
}

impl Pacer {
    pub fn new(speed: Option<f64>) -> Pacer {
        let now = Instant::now();
        Pacer {
            speed,
            trained: 0,
            anchor: (now, 0),
            rate_anchor: (now, 0),
            steps_per_sec: 0.0,
        }
    }

    /// Steps allowed now by the speed limit.
    pub fn credit(&mut self, now: Instant) -> u64 {
        let Some(speed) = self.speed else {
            return u64::MAX;
        };
        let (t0, s0) = self.anchor;
        let allowed = (now.duration_since(t0).as_secs_f64() * speed) as u64;
        let done = self.trained - s0;
        let credit = allowed.saturating_sub(done);
        // Far behind (a slow step, a long pause, a slow frame of a
        // frame-driven session): catch up at most 0.1 s of steps, then pace
        // afresh from now.
        let cap = (0.1 * speed).max(1.0) as u64;
        if credit > cap {
            self.anchor = (now, self.trained);
            return cap;
        }
        credit
    }

    /// When the next step is due.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // the native worker's
    pub fn next_step_at(&self) -> Instant {
        match self.speed {
            None => Instant::now(),
            Some(speed) => {
                let (t0, s0) = self.anchor;
                let n = (self.trained - s0 + 1) as f64;
                t0 + Duration::from_secs_f64(n / speed)
            }
        }
    }

    /// Starts pacing afresh from now (after a pause, a speed change, a step).
    pub fn repace(&mut self) {
        let now = Instant::now();
        self.anchor = (now, self.trained);
        self.rate_anchor = (now, self.trained);
    }

    /// Updates the measured rate (0 when not training).
    pub fn measure(&mut self, now: Instant, active: bool) {
        if !active {
            self.steps_per_sec = 0.0;
            return;
        }
        let (t, s) = self.rate_anchor;
        let dt = now.duration_since(t);
        if dt >= RATE_WINDOW {
            self.steps_per_sec = (self.trained - s) as f64 / dt.as_secs_f64();
            self.rate_anchor = (now, self.trained);
        }
    }
}
