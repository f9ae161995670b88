//! Pacing: how many steps the speed limit allows now, and the measured rate.

use super::clock::{Duration, Instant};

/// Window over which `steps_per_sec` is measured.
const RATE_WINDOW: Duration = Duration::from_millis(250);

/// Seconds of owed steps a late driver may catch up at once (see
/// [`Pacer::catch_up`]).
pub(crate) const CATCH_UP: f64 = 0.1;

pub(crate) struct Pacer {
    /// Steps per second, `None` for as fast as it goes.
    pub speed: Option<f64>,
    /// Steps trained by this trainer (all runs).
    pub trained: u64,
    anchor: (Instant, u64),
    rate_anchor: (Instant, u64),
    pub steps_per_sec: f64,
    /// When more than this many seconds of steps are owed (a slow step, a
    /// long pause, a slow frame of a frame-driven session), this many are
    /// allowed and pacing starts afresh. [`CATCH_UP`] by default; a
    /// frame-driven session owes a whole frame's steps each frame, so it
    /// allows more (its time budget still bounds each frame's work).
    pub catch_up: f64,
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
            catch_up: CATCH_UP,
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
        // Far behind: catch up at most `catch_up` seconds of steps, then pace
        // afresh from now.
        let cap = (self.catch_up * speed).max(1.0) as u64;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_driver_catches_up_at_most_its_catch_up() {
        let mut p = Pacer::new(Some(1000.0));
        let t0 = p.anchor.0;
        assert_eq!(
            p.credit(t0 + Duration::from_millis(50)),
            50,
            "on time: what is owed"
        );
        p.trained += 50;
        // 0.2 s later, 200 steps are owed: 0.1 s of them by default, then afresh.
        let late = t0 + Duration::from_millis(250);
        assert_eq!(p.credit(late), 100);
        p.trained += 100;
        assert_eq!(p.credit(late), 0, "paced afresh from then");
        let mut q = Pacer::new(Some(1000.0));
        q.catch_up = 0.25;
        let t0 = q.anchor.0;
        assert_eq!(
            q.credit(t0 + Duration::from_millis(200)),
            200,
            "within 0.25 s: all of it"
        );
        assert_eq!(
            q.credit(t0 + Duration::from_millis(600)),
            250,
            "beyond: 0.25 s of it"
        );
        let mut slow = Pacer::new(Some(2.0));
        let t0 = slow.anchor.0;
        assert_eq!(
            slow.credit(t0 + Duration::from_secs(10)),
            1,
            "at least one step"
        );
        assert_eq!(Pacer::new(None).credit(t0), u64::MAX, "no limit");
    }
}
