//! Colours of the scene. Energy is coloured with a perceptual, viridis-like
//! ramp (dark violet for low energy, yellow for high) so that height and hue
//! tell the same story and the picture survives greyscale printing. The ramp
//! is a hand-made table of nine anchors, interpolated linearly. Shading is baked
//! into vertex colours on the CPU (Lambert from a fixed light), which costs
//! nothing per frame on software GL and looks the same in every renderer.

/// sRGB anchors of the ramp at t = 0, 1/8, …, 1.
const RAMP: [[u8; 3]; 9] = [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
];

/// Background of the 3D view (dark, like egui's dark theme), and in the light theme.
pub const BACKGROUND: [u8; 3] = [22, 24, 30];
pub const BACKGROUND_LIGHT: [u8; 3] = [238, 240, 244];
/// Axis lines and tick marks.
pub const AXIS: [u8; 3] = [150, 155, 165];
/// Text of labels and captions.
pub const TEXT: [u8; 3] = [215, 218, 225];
/// Training samples.
pub const SAMPLE: [u8; 3] = [250, 250, 250];
/// Most offending incorrect answers ȳ and their links to the samples.
pub const OFFENDING: [u8; 3] = [255, 40, 90];
/// The inference curve y̌(x) (3D, slice plot, heat map).
pub const INFERENCE: [u8; 3] = [255, 150, 30];
/// The slice x = x₀ and the energy along it, E(y | x₀) (3D, slice plot, heat
/// map): a blue that reads on both themes and stands apart from the ramp.
pub const SLICE: [u8; 3] = [30, 150, 255];
/// The step-0 ghost surface (drawn with [`GHOST_ALPHA`]).
pub const GHOST: [u8; 3] = [200, 205, 215];
pub const GHOST_ALPHA: u8 = 50;
/// The ghost on a light background.
pub const GHOST_ON_LIGHT: [u8; 3] = [70, 75, 90];

/// How an entry of the key is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Bead,
    Line,
    /// A translucent patch (the ghost).
    Patch,
}

/// One entry of the key to the scene: its mark, colour and text (with an ASCII
/// spelling for the headless pictures' font). `window_only` entries (the slice
/// x₀, which only the window draws) are left out of the pictures' key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    pub mark: Mark,
    pub color: [u8; 3],
    pub text: &'static str,
    pub ascii: &'static str,
    pub window_only: bool,
}

/// The key to everything drawn over the surface; the same colours are used by
/// the window's 3D view, slice plot and heat map, and by the headless pictures.
pub const KEY: [KeyEntry; 5] = [
    KeyEntry {
        mark: Mark::Bead,
        color: SAMPLE,
        text: "training sample (x_i, y_i)",
        ascii: "training sample",
        window_only: false,
    },
    KeyEntry {
        mark: Mark::Bead,
        color: OFFENDING,
        text: "ȳ most offending answer",
        ascii: "most offending y",
        window_only: false,
    },
    KeyEntry {
        mark: Mark::Line,
        color: INFERENCE,
        text: "y̌(x) inference: lowest E",
        ascii: "inference: lowest E",
        window_only: false,
    },
    KeyEntry {
        mark: Mark::Line,
        color: SLICE,
        text: "slice x = x₀",
        ascii: "slice",
        window_only: true,
    },
    KeyEntry {
        mark: Mark::Patch,
        color: GHOST,
        text: "step-0 surface (ghost)",
        ascii: "step-0 surface",
        window_only: false,
    },
];

/// The ramp at `t` in [0, 1] (clamped; NaN gives the low end), as sRGB.
pub fn energy_color(t: f32) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (RAMP.len() - 1) as f32;
    let i = (pos.floor() as usize).min(RAMP.len() - 2);
    let f = pos - i as f32;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    let mix = |k: usize| (a[k] as f32 + (b[k] as f32 - a[k] as f32) * f).round() as u8;
    [mix(0), mix(1), mix(2)]
}

fn to_linear_exact(c: u8) -> f32 {
    let c = c as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb_exact(l: f32) -> u8 {
    let l = l.clamp(0.0, 1.0);
    let c = if l <= 0.003_130_8 {
        l * 12.92
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    };
    (c * 255.0).round() as u8
}

/// Steps of the linear → sRGB table: fine enough to be within one level of the
/// exact curve everywhere (near black the curve is steepest: 12.92 × 255 / 4095 < 1).
const SRGB_STEPS: usize = 4096;

/// Shading thousands of vertices per snapshot made `powf` the bulk of a geometry
/// rebuild (2-3 ms); tables make it a lookup.
struct Tables {
    linear: [f32; 256],
    srgb: Vec<u8>,
}

fn tables() -> &'static Tables {
    static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| Tables {
        linear: std::array::from_fn(|c| to_linear_exact(c as u8)),
        srgb: (0..SRGB_STEPS)
            .map(|i| to_srgb_exact(i as f32 / (SRGB_STEPS - 1) as f32))
            .collect(),
    })
}

fn to_linear(c: u8) -> f32 {
    tables().linear[c as usize]
}

fn to_srgb(l: f32) -> u8 {
    let l = if l.is_nan() { 0.0 } else { l.clamp(0.0, 1.0) };
    tables().srgb[(l * (SRGB_STEPS - 1) as f32).round() as usize]
}

/// Direction towards the light (world space, Y up): above, front-left.
pub const LIGHT_DIR: [f32; 3] = [-0.42, 0.8, 0.43];
const AMBIENT: f32 = 0.38;

/// `color` lit by the fixed light for a surface with unit `normal`
/// (Lambert in linear light, plus ambient).
pub fn shade(color: [u8; 3], normal: [f32; 3]) -> [u8; 3] {
    let l = LIGHT_DIR;
    let len = (l[0] * l[0] + l[1] * l[1] + l[2] * l[2]).sqrt();
    let d = (normal[0] * l[0] + normal[1] * l[1] + normal[2] * l[2]) / len;
    let k = AMBIENT + (1.0 - AMBIENT) * d.max(0.0);
    let k = if k.is_finite() { k } else { 1.0 };
    [
        to_srgb(to_linear(color[0]) * k),
        to_srgb(to_linear(color[1]) * k),
        to_srgb(to_linear(color[2]) * k),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(c: [u8; 3]) -> f32 {
        0.2126 * to_linear(c[0]) + 0.7152 * to_linear(c[1]) + 0.0722 * to_linear(c[2])
    }

    #[test]
    fn tables_match_the_exact_curves() {
        for c in 0..=255u8 {
            assert_eq!(to_linear(c), to_linear_exact(c));
            assert!(
                (to_srgb(to_linear(c)) as i32 - c as i32).abs() <= 1,
                "round trip of {c}"
            );
        }
        for i in 0..=1000 {
            let l = i as f32 / 1000.0;
            assert!(
                (to_srgb(l) as i32 - to_srgb_exact(l) as i32).abs() <= 1,
                "at {l}"
            );
        }
    }

    #[test]
    fn ramp_brightens_monotonically() {
        let mut last = -1.0;
        for i in 0..=64 {
            let l = luminance(energy_color(i as f32 / 64.0));
            assert!(l > last, "luminance must rise along the ramp (at {i})");
            last = l;
        }
        assert_eq!(energy_color(-3.0), RAMP[0]);
        assert_eq!(energy_color(f32::NAN), RAMP[0]);
        assert_eq!(energy_color(7.0), RAMP[8]);
    }

    #[test]
    fn shading_darkens_away_from_the_light() {
        let c = [200, 100, 50];
        let lit = shade(c, [0.0, 1.0, 0.0]);
        let dark = shade(c, [0.42, -0.8, -0.43]);
        assert!(luminance(lit) > luminance(dark));
        assert!(dark[0] > 0, "ambient keeps the far side visible");
    }
}
