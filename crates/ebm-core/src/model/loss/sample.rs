//! Losses that push the sample's energy down by itself (energy) or with a
//! square, plus a push up on ȳ (square-square, square-exp).

use super::{LossParams, Pull};

fn only(loss: f64, on_sample: f64) -> Pull {
    Pull {
        loss,
        on_sample,
        on_contrast: 0.0,
    }
}

/// L = Eᵢ (also nll's sample term).
#[inline]
pub fn energy(e: f64, _: Option<f64>, _: &LossParams) -> Pull {
    only(e, 1.0)
}

/// L = Eᵢ² + max(0, m − Ē)².
#[inline]
pub fn square_square(e: f64, e_bar: Option<f64>, p: &LossParams) -> Pull {
    let Some(eb) = e_bar else {
        return only(e * e, 2.0 * e);
    };
    let gap = (p.margin - eb).max(0.0);
    Pull {
        loss: e * e + gap * gap,
        on_sample: 2.0 * e,
        on_contrast: -2.0 * gap,
    }
}

/// L = Eᵢ² + κ·exp(−β·Ē).
#[inline]
pub fn square_exp(e: f64, e_bar: Option<f64>, p: &LossParams) -> Pull {
    let Some(eb) = e_bar else {
        return only(e * e, 2.0 * e);
    };
    let t = p.kappa * (-p.beta * eb).exp();
    Pull {
        loss: e * e + t,
        on_sample: 2.0 * e,
        on_contrast: -p.beta * t,
    }
}
