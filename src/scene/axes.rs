//! Axes of the data box: lines along three edges of the floor and the energy
//! edge, tick marks at "nice" values, and the 3D anchors of every text label
//! (three-d draws no text: the window paints them with egui, the headless
//! renderer with its bitmap font, both through `OrbitCamera::project`).

use super::colormap::AXIS;
use super::frame::Frame;
use super::mesh::MeshBuilder;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    /// "x", "y" or "E".
    AxisName,
    /// A tick value.
    Tick,
}

/// A piece of text to paint centred on the projection of `anchor` (world coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub anchor: [f32; 3],
    pub text: String,
    pub kind: LabelKind,
}

/// Tick values: multiples of a 1-2-5 step inside [lo, hi], about `target` of them.
pub fn nice_ticks(lo: f32, hi: f32, target: usize) -> Vec<f32> {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 || target == 0 {
        return vec![];
    }
    let raw = span / target as f32;
    let mag = 10f32.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-4).ceil() as i64;
    let last = (hi / step + 1e-4).floor() as i64;
    (first..=last).map(|i| i as f32 * step).collect()
}

/// Tick text with just enough decimals for ticks `step` apart; engineering
/// notation for huge or tiny values (a diverging run reaches 10⁴⁵).
pub fn tick_text(v: f32, step: f32) -> String {
    super::numfmt::tick(v as f64, step as f64)
}

const LINE: f32 = 0.0045;
const TICK: f32 = 0.045;

/// Adds the axis geometry to `mesh` and returns the labels.
pub fn build(frame: &Frame, mesh: &mut MeshBuilder) -> Vec<Label> {
    let mut labels = Vec::new();
    let (x0, x1) = frame.x_range;
    let (y0, y1) = frame.y_range;
    let (e0, e1) = frame.e_range;
    let w = |x: f32, y: f32, e: f32| frame.world(x, y, e);
    let floor = e0;

    // Floor outline; x along the front edge (low y), y along the left edge
    // (low x): the edges nearest the default eye (front-left, above), so the
    // surface never hides their ticks. E rises at the back-left corner, on the
    // picture's left silhouette.
    let corners = [
        w(x0, y0, floor),
        w(x1, y0, floor),
        w(x1, y1, floor),
        w(x0, y1, floor),
    ];
    for i in 0..4 {
        mesh.tube(corners[i], corners[(i + 1) % 4], LINE, AXIS);
    }
    mesh.tube(w(x0, y1, floor), w(x0, y1, e1), LINE, AXIS);

    ticks(
        (mesh, &mut labels),
        nice_ticks(x0, x1, 4),
        &|v| w(v, y0, floor),
        [0.0, 0.0, 1.0],
        None,
    );
    ticks(
        (mesh, &mut labels),
        nice_ticks(y0, y1, 4),
        &|v| w(x0, v, floor),
        [-1.0, 0.0, 0.0],
        None,
    );
    ticks(
        (mesh, &mut labels),
        nice_ticks(e0, e1, 4),
        &|v| w(x0, y1, v),
        [-0.7, 0.0, -0.7],
        Some(e0),
    );
    axis_names(frame, &mut labels);
    labels
}

/// Tick marks at `vals` along one axis (`at` places a value, `out` points
/// away from the box) and their labels; `skip`: a value whose text is left out
/// (the floor of E, which would sit on the y axis's last label).
fn ticks(
    (mesh, labels): (&mut MeshBuilder, &mut Vec<Label>),
    vals: Vec<f32>,
    at: &dyn Fn(f32) -> [f32; 3],
    out: [f32; 3],
    skip: Option<f32>,
) {
    let step = if vals.len() > 1 {
        vals[1] - vals[0]
    } else {
        1.0
    };
    let off = |p: [f32; 3], by: f32| [p[0] + out[0] * by, p[1] + out[1] * by, p[2] + out[2] * by];
    for v in &vals {
        let p = at(*v);
        mesh.tube(p, off(p, TICK), LINE, AXIS);
        if skip.is_some_and(|s| (s - v).abs() < 1e-3 * step) {
            continue;
        }
        labels.push(Label {
            anchor: off(p, 3.5 * TICK),
            text: tick_text(*v, step),
            kind: LabelKind::Tick,
        });
    }
}

/// The axes' names (x, y and E, or the view's) beside them.
fn axis_names(frame: &Frame, labels: &mut Vec<Label>) {
    let (x0, x1) = frame.x_range;
    let (y0, y1) = frame.y_range;
    let (e0, e1) = frame.e_range;
    let w = |x: f32, y: f32, e: f32| frame.world(x, y, e);
    let mid = |a: f32, b: f32| 0.5 * (a + b);
    let name = |p: [f32; 3], text: &str| Label {
        anchor: p,
        text: text.to_string(),
        kind: LabelKind::AxisName,
    };
    let px = w(mid(x0, x1), y0, e0);
    labels.push(name([px[0], px[1], px[2] + 0.42], frame.names.x));
    let py = w(x0, mid(y0, y1), e0);
    labels.push(name([py[0] - 0.42, py[1], py[2]], frame.names.y));
    let pe = w(x0, y1, e1);
    labels.push(name([pe[0], pe[1] + 0.12, pe[2]], frame.names.e));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice_and_inside() {
        assert_eq!(nice_ticks(-1.0, 1.0, 4), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        let t = nice_ticks(0.0, 3.7, 4);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 3.0]);
        assert!(nice_ticks(0.0, 0.0, 4).is_empty());
        assert!(nice_ticks(0.0, f32::NAN, 4).is_empty());
    }

    #[test]
    fn tick_text_has_the_needed_decimals() {
        assert_eq!(tick_text(0.5, 0.5), "0.5");
        assert_eq!(tick_text(-1.0, 0.5), "-1.0");
        assert_eq!(tick_text(2.0, 1.0), "2");
        assert_eq!(tick_text(1.5, 0.5), "1.5");
        assert_eq!(tick_text(0.2, 0.1), "0.2");
        assert_eq!(tick_text(0.25, 0.25), "0.25");
        assert_eq!(tick_text(1e-9, 0.5), "0.0");
        assert_eq!(tick_text(2e38, 1e38), "200e36");
    }

    #[test]
    fn every_axis_is_named() {
        let mut m = MeshBuilder::default();
        let labels = build(&Frame::default(), &mut m);
        for n in ["x", "y", "E"] {
            assert!(labels
                .iter()
                .any(|l| l.text == n && l.kind == LabelKind::AxisName));
        }
        assert!(labels.iter().filter(|l| l.kind == LabelKind::Tick).count() >= 9);
        assert!(
            !labels.iter().any(|l| l.kind == LabelKind::Tick
                && l.anchor[1] < 0.01
                && l.anchor[0] < -1.05
                && l.anchor[2] < -1.05),
            "no E label at the floor corner"
        );
        assert!(!m.is_empty());
    }
}
