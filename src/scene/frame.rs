//! Where data sits in the scene: the data box (x, y, E) is normalised into the
//! world box X ∈ [-1, 1], Z ∈ [-1, 1], Y ∈ [0, 1] (three-d is Y-up). y runs
//! along −Z so the axes stay right-handed (x right, y away from the viewer,
//! E up) and the picture is never mirrored.

/// The data ranges shown by the scene's box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub x_range: (f32, f32),
    pub y_range: (f32, f32),
    /// The energy axis: 0 (or the lowest energy, if negative) up to the
    /// highest energy shown (current or ghost surface).
    pub e_range: (f32, f32),
    /// What the three axes are called (x, y, E; y1, y2, F on the plane).
    pub names: crate::model::view::AxisNames,
}

impl Default for Frame {
    fn default() -> Self {
        Frame {
            x_range: (-1.0, 1.0),
            y_range: (-1.0, 1.0),
            e_range: (0.0, 1.0),
            names: Default::default(),
        }
    }
}

fn unit(v: f32, (lo, hi): (f32, f32)) -> f32 {
    let span = hi - lo;
    if span.abs() < f32::EPSILON || !span.is_finite() {
        0.5
    } else {
        (v - lo) / span
    }
}

impl Frame {
    /// A frame whose energy axis spans every finite value of `energies`.
    pub fn fit<'a>(
        x_range: (f32, f32),
        y_range: (f32, f32),
        energies: impl IntoIterator<Item = &'a f32>,
    ) -> Frame {
        let (mut lo, mut hi) = (0.0f32, f32::NEG_INFINITY);
        for &e in energies {
            if e.is_finite() {
                lo = lo.min(e);
                hi = hi.max(e);
            }
        }
        if !hi.is_finite() || hi - lo < 1e-6 {
            hi = lo + 1e-6_f32.max(hi - lo);
        }
        Frame {
            x_range,
            y_range,
            e_range: (lo, hi),
            names: Default::default(),
        }
    }

    /// Fraction of the energy axis at `e` (0 at the floor, 1 at the top).
    pub fn e_unit(&self, e: f32) -> f32 {
        unit(e, self.e_range)
    }

    /// World position of data point (x, y, E).
    pub fn world(&self, x: f32, y: f32, e: f32) -> [f32; 3] {
        [
            2.0 * unit(x, self.x_range) - 1.0,
            self.e_unit(e),
            1.0 - 2.0 * unit(y, self.y_range),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_map_to_the_box() {
        let f = Frame::fit((-1.0, 1.0), (-0.5, 1.5), &[0.5, 2.0]);
        assert_eq!(f.e_range, (0.0, 2.0));
        assert_eq!(f.world(-1.0, -0.5, 0.0), [-1.0, 0.0, 1.0]);
        assert_eq!(f.world(1.0, 1.5, 2.0), [1.0, 1.0, -1.0]);
    }

    #[test]
    fn flat_or_empty_energy_still_gives_a_box() {
        let f = Frame::fit((0.0, 1.0), (0.0, 1.0), &[0.0, 0.0]);
        assert!(f.e_range.1 > f.e_range.0);
        let f = Frame::fit((0.0, 1.0), (0.0, 1.0), &[f32::NAN]);
        assert!(f.world(0.5, 0.5, 0.3).iter().all(|v| v.is_finite()));
    }
}
