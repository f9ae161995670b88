//! Losses on the gap Eᵢ − Ē between the sample and its contrast: hinge, log
//! (a soft hinge), perceptron (no margin, contrast = the grid minimum), the
//! exponential loss (the paper's Qm(e) = exp(e), AdaBoost's) and MCE (the
//! minimum classification error loss σ(Eᵢ − Ē) of the 2006 tutorial).
//! Without an eligible contrast they contribute nothing.

use super::{LossParams, Pull};

const NOTHING: Pull = Pull {
    loss: 0.0,
    on_sample: 0.0,
    on_contrast: 0.0,
};

/// L = max(0, m + Eᵢ − Ē).
#[inline]
pub fn hinge(e: f64, e_bar: Option<f64>, p: &LossParams) -> Pull {
    match e_bar {
        Some(eb) if p.margin + e - eb > 0.0 => Pull {
            loss: p.margin + e - eb,
            on_sample: 1.0,
            on_contrast: -1.0,
        },
        _ => NOTHING,
    }
}

/// L = Eᵢ − minₖ E(xᵢ, yₖ).
#[inline]
pub fn perceptron(e: f64, e_min: Option<f64>, _: &LossParams) -> Pull {
    match e_min {
        Some(emin) => Pull {
            loss: e - emin,
            on_sample: 1.0,
            on_contrast: -1.0,
        },
        None => NOTHING,
    }
}

/// L = log(1 + exp(Eᵢ − Ē)), and its derivative σ(Eᵢ − Ē), both stable for large |z|.
#[inline]
pub fn log(e: f64, e_bar: Option<f64>, _: &LossParams) -> Pull {
    let Some(eb) = e_bar else {
        return NOTHING;
    };
    let z = e - eb;
    let loss = if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    };
    let s = sigmoid(z);
    Pull {
        loss,
        on_sample: s,
        on_contrast: -s,
    }
}

/// σ(z) = 1/(1 + e^(−z)), stable for large |z|.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        z.exp() / (1.0 + z.exp())
    }
}

/// L = exp(Eᵢ − Ē): every sample keeps pushing, exponentially harder while
/// the contrast is below it. Overflow is a divergence (reported, not hidden).
#[inline]
pub fn exponential(e: f64, e_bar: Option<f64>, _: &LossParams) -> Pull {
    let Some(eb) = e_bar else {
        return NOTHING;
    };
    let v = (e - eb).exp();
    Pull {
        loss: v,
        on_sample: v,
        on_contrast: -v,
    }
}

/// L = σ(Eᵢ − Ē), with σ′ = σ(1 − σ): bounded, so a sample far on either
/// side of its contrast stops pulling (a smoothed count of errors).
#[inline]
pub fn mce(e: f64, e_bar: Option<f64>, _: &LossParams) -> Pull {
    let Some(eb) = e_bar else {
        return NOTHING;
    };
    let s = sigmoid(e - eb);
    let d = s * (1.0 - s);
    Pull {
        loss: s,
        on_sample: d,
        on_contrast: -d,
    }
}
