//! The state rule of DESIGN §1, §3 with its thresholds named once: what
//! makes a run read `collapsed`, `learned`, `training` or `diverged`, and how
//! the state shown changes only once a new state has held (no flicker).
//!
//! A reading is classified with hysteresis around each threshold (entering a
//! state takes a stricter value than leaving it). The state a run reports
//! ([`StateTracker`]) changes to `learned` or `training` only after the new
//! classification has held for [`HOLD_CHECKS`] checks in a row,
//! [`STATE_CHECK`] steps apart; a collapse and a divergence show at once. The run checks on its own step count, so the
//! window, the headless runs, the lecture and the presets' promises see the
//! same state at the same step whoever asks and however often.

use super::metrics::State;

/// Collapsed: the median y-spread of E is under this share of a fresh
/// start's (E flat in y, whatever it does along x).
pub const COLLAPSE_ENTER: f64 = 0.05;
/// A collapsed run reads collapsed until its y-spread is back above this share.
pub const COLLAPSE_LEAVE: f64 = 0.10;
/// Learned: the mean inference error is under this.
pub const LEARNED_ERROR: f64 = 0.05;
/// A learned run reads learned until its inference error passes this.
pub const LEARNED_ERROR_LEAVE: f64 = 0.06;
/// Learned, on a multi-valued set: at least this share of probes has a local
/// minimum at every true y.
pub const LEARNED_COVERAGE: f64 = 0.9;
/// A learned run on a multi-valued set reads learned until coverage drops below this.
pub const LEARNED_COVERAGE_LEAVE: f64 = 0.85;
/// No `learned` on a surface whose y-spread is under this share of a fresh
/// start's: a near-flat sheet whose argmin happens to sit on the data has
/// learned nothing.
pub const LEARNED_MIN_SPREAD: f64 = 0.15;
/// Steps between two checks of the state.
pub const STATE_CHECK: u64 = 100;
/// Checks in a row a new `learned` or `training` must hold before it is
/// shown. `collapsed` and `diverged` show at once: a collapse does not come
/// and go (leaving it takes the y-spread back above [`COLLAPSE_LEAVE`]), and
/// the lecture's pause and switch at the collapse must come when it happens.
pub const HOLD_CHECKS: u32 = 3;

/// The numbers the state is made of.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// Every energy, the loss and the weights finite.
    pub finite: bool,
    /// y-spread ÷ a fresh start's (None at step 0 of a fresh run: no reference).
    pub spread_ratio: Option<f64>,
    pub inference_error: f64,
    pub coverage: Option<f64>,
}

/// The state of `r` for a run now showing `shown` (the hysteresis: leaving
/// `shown` takes more than entering it did).
pub fn classify(r: &Reading, shown: State) -> State {
    if !r.finite {
        return State::Diverged;
    }
    let collapse_at = match shown {
        State::Collapsed => COLLAPSE_LEAVE,
        _ => COLLAPSE_ENTER,
    };
    if r.spread_ratio.is_some_and(|q| q < collapse_at) {
        return State::Collapsed;
    }
    let (error_at, coverage_at) = match shown {
        State::Learned => (LEARNED_ERROR_LEAVE, LEARNED_COVERAGE_LEAVE),
        _ => (LEARNED_ERROR, LEARNED_COVERAGE),
    };
    let learned = r.inference_error < error_at
        && r.coverage.is_none_or(|c| c >= coverage_at)
        && r.spread_ratio.is_none_or(|q| q >= LEARNED_MIN_SPREAD);
    if learned {
        State::Learned
    } else {
        State::Training
    }
}

/// The state a run shows, fed one reading every [`STATE_CHECK`] steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateTracker {
    shown: State,
    candidate: State,
    held: u32,
}

impl StateTracker {
    /// Starts showing the classification of the first reading.
    pub fn new(first: &Reading) -> StateTracker {
        let shown = classify(first, State::Training);
        StateTracker {
            shown,
            candidate: shown,
            held: 0,
        }
    }

    pub fn shown(&self) -> State {
        self.shown
    }

    /// Takes a check's reading; the state shown after it.
    pub fn observe(&mut self, r: &Reading) -> State {
        let now = classify(r, self.shown);
        if matches!(now, State::Diverged | State::Collapsed) || now == self.shown {
            self.shown = now;
            self.candidate = now;
            self.held = 0;
            return self.shown;
        }
        if now == self.candidate {
            self.held += 1;
        } else {
            self.candidate = now;
            self.held = 1;
        }
        if self.held >= HOLD_CHECKS {
            self.shown = now;
            self.held = 0;
        }
        self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(ratio: f64, error: f64) -> Reading {
        Reading {
            finite: true,
            spread_ratio: Some(ratio),
            inference_error: error,
            coverage: None,
        }
    }

    #[test]
    fn the_thresholds_have_room_between_entering_and_leaving() {
        assert_eq!(
            classify(&reading(0.06, 0.5), State::Training),
            State::Training
        );
        assert_eq!(
            classify(&reading(0.06, 0.5), State::Collapsed),
            State::Collapsed
        );
        assert_eq!(
            classify(&reading(0.5, 0.06), State::Training),
            State::Training
        );
        assert_eq!(
            classify(&reading(0.5, 0.055), State::Learned),
            State::Learned
        );
        assert_eq!(
            classify(&reading(0.5, 0.065), State::Learned),
            State::Training
        );
    }

    #[test]
    fn a_near_flat_sheet_is_never_learned() {
        assert_eq!(
            classify(&reading(0.08, 0.0), State::Training),
            State::Training
        );
        assert_eq!(
            classify(&reading(0.08, 0.0), State::Learned),
            State::Training
        );
        assert_eq!(
            classify(&reading(0.2, 0.0), State::Training),
            State::Learned
        );
    }

    #[test]
    fn an_error_crossing_the_line_back_and_forth_does_not_flicker() {
        // The perceptron's inference error around 0.05 (0.0625, 0.048, 0.0503, …).
        let mut t = StateTracker::new(&reading(1.0, 0.5));
        let mut seen = vec![];
        for e in [0.0625, 0.048, 0.0503, 0.049, 0.0625, 0.048, 0.052, 0.047] {
            seen.push(t.observe(&reading(0.5, e)));
        }
        assert!(seen.iter().all(|s| *s == State::Training), "{seen:?}");
        for _ in 0..HOLD_CHECKS {
            t.observe(&reading(0.5, 0.04));
        }
        assert_eq!(t.shown(), State::Learned);
        assert_eq!(t.observe(&reading(0.5, 0.055)), State::Learned);
    }

    #[test]
    fn learned_shows_after_it_held_collapse_and_divergence_at_once() {
        let mut t = StateTracker::new(&reading(1.0, 0.5));
        for i in 1..HOLD_CHECKS {
            assert_eq!(t.observe(&reading(0.5, 0.01)), State::Training, "check {i}");
        }
        assert_eq!(t.observe(&reading(0.5, 0.01)), State::Learned);
        assert_eq!(t.observe(&reading(0.01, 0.5)), State::Collapsed);
        // Resumed: a surface still flat (under 10 %) stays collapsed.
        assert_eq!(t.observe(&reading(0.07, 0.5)), State::Collapsed);
        for _ in 0..HOLD_CHECKS {
            t.observe(&reading(0.2, 0.5));
        }
        assert_eq!(t.shown(), State::Training);
        let bad = Reading {
            finite: false,
            ..reading(0.5, 0.5)
        };
        assert_eq!(t.observe(&bad), State::Diverged);
    }
}
