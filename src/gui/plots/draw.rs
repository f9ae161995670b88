//! Drawing the training points on the heat map ("Draw points", key D): a
//! click adds a point, dragging a point moves it (dragging elsewhere adds one
//! there and moves it), a right-click on a point deletes it, shift-drag
//! brushes points along the stroke (also when it starts on a point). Nothing here talks to the trainer: the
//! heat map feeds in the pointer and the plot's transform, and the window
//! sends the edited list as `Command::SetPoints` (the run trains on without a
//! reset). The geometry (hit-test in screen space, brush spacing, clamping)
//! is pure and tested below.

use egui::Pos2;
use egui_plot::PlotTransform;

use crate::session::MIN_POINTS;

/// How near (screen pixels) the pointer must be to a point to move or delete it.
pub const HIT_PX: f32 = 8.0;
/// The brush's spacing along a stroke (screen pixels).
pub const BRUSH_PX: f32 = 12.0;
/// How a refused deletion begins (the window clears it at the next edit).
pub const TOO_FEW: &str = "a set keeps at least";

/// The most points a drawn set holds (the `samples` setting's maximum).
pub const MAX_POINTS: usize = 10_000;
/// While drawing, the map reaches this fraction of its span beyond the image
/// on each side, so points can be put outside the present range (the range
/// then grows to hold them).
pub const REACH: f64 = 0.25;

/// The pointer on the heat map in one frame, as egui reports it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pointer {
    /// Where the pointer is (screen).
    pub pos: Option<Pos2>,
    /// Where the primary button went down.
    pub press_origin: Option<Pos2>,
    /// A primary click (press and release without a drag).
    pub clicked: bool,
    pub secondary_clicked: bool,
    /// A primary drag started, goes on, or ended this frame.
    pub drag_started: bool,
    pub dragged: bool,
    pub drag_stopped: bool,
    pub shift: bool,
}

/// A data rectangle: where edits may put points (the image's area grown by
/// [`REACH`]). A gesture keeps the one shown when it began (else a point held
/// past the edge would push the range out a little more with every snapshot).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Area {
    /// The area with `f` of its span added on each side.
    pub fn grown(&self, f: f64) -> Area {
        let g = |(lo, hi): (f64, f64)| (lo - f * (hi - lo), hi + f * (hi - lo));
        Area {
            x: g(self.x),
            y: g(self.y),
        }
    }

    pub fn clamp(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let c = |v: f64, (lo, hi): (f64, f64)| if v.is_nan() { lo } else { v.clamp(lo, hi) };
        (c(x, self.x), c(y, self.y))
    }
}

/// The map on screen: the plot's transform and where points may go.
#[derive(Clone, Copy, Debug)]
pub struct Map {
    pub transform: PlotTransform,
    pub area: Area,
}

impl Map {
    pub fn screen(&self, (x, y): (f64, f64)) -> Pos2 {
        self.transform
            .position_from_point(&egui_plot::PlotPoint::new(x, y))
    }

    /// The data point under `pos`, clamped to `area`.
    fn value(&self, pos: Pos2, area: &Area) -> (f64, f64) {
        let p = self.transform.value_from_position(pos);
        area.clamp((p.x, p.y))
    }
}

/// The index of the point nearest `at` on screen, if within `radius` pixels.
pub fn nearest(points: &[(f64, f64)], at: Pos2, radius: f32, map: &Map) -> Option<usize> {
    points
        .iter()
        .map(|&p| map.screen(p).distance_sq(at))
        .enumerate()
        .filter(|(_, d)| *d <= radius * radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Where the brush lays points going from `from` (the last one laid) to `to`:
/// every `spacing` pixels along the segment, so a fast stroke leaves no gap
/// and a slow one no pile. Empty while `to` is closer than `spacing`.
pub fn brush_stroke(from: Pos2, to: Pos2, spacing: f32) -> Vec<Pos2> {
    let d = to - from;
    let len = d.length();
    if !(len >= spacing && spacing > 0.0) {
        return Vec::new();
    }
    let n = ((len / spacing) as usize).min(MAX_POINTS);
    (1..=n)
        .map(|k| from + d * (k as f32 * spacing / len))
        .collect()
}

/// A gesture in progress.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gesture {
    /// Dragging the point at this index.
    Move { index: usize, area: Area },
    /// Shift-dragging the brush; `last` is the last point it laid.
    Brush { last: (f64, f64), area: Area },
}

/// What the editor made of this frame's pointer.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Unchanged,
    /// The new list of points, to send.
    Points(Vec<(f64, f64)>),
    /// An edit that was not made, and why.
    Refused(String),
}

/// Edits sent to the trainer and not yet in a snapshot.
#[derive(Clone, Debug)]
struct Pending {
    points: Vec<(f64, f64)>,
    /// `Snapshot::points_version` when the first of them was sent.
    base: u64,
    sent: u64,
}

/// The drawing state the window keeps.
#[derive(Clone, Debug, Default)]
pub struct Draw {
    /// Whether clicks on the heat map draw (else they move x₀).
    pub on: bool,
    gesture: Option<Gesture>,
    pending: Option<Pending>,
}

impl Draw {
    /// Forgets the edits the trainer has handled: every `SetPoints` bumps
    /// `Snapshot::points_version`, and so does a new run.
    pub fn sync(&mut self, points_version: u64) {
        if let Some(p) = &self.pending {
            if points_version >= p.base + p.sent {
                self.pending = None;
            }
        }
    }

    /// The points to edit and show: the last ones sent until the trainer has
    /// them (a brush lays points faster than snapshots come), else `shown`.
    pub fn points<'a>(&'a self, shown: &'a [(f64, f64)]) -> &'a [(f64, f64)] {
        self.pending.as_ref().map_or(shown, |p| &p.points)
    }

    /// Records that `points` were sent while the newest snapshot had `version`.
    pub fn sent(&mut self, points: Vec<(f64, f64)>, version: u64) {
        let (base, sent) = self
            .pending
            .as_ref()
            .map_or((version, 0), |p| (p.base, p.sent));
        self.pending = Some(Pending {
            points,
            base,
            sent: sent + 1,
        });
    }

    /// The area of the gesture in progress: the map keeps showing it until the
    /// button is released, so the points land under the pointer even when
    /// the new ones move the data's range.
    pub fn frozen_area(&self) -> Option<Area> {
        match self.gesture {
            Some(Gesture::Move { area, .. } | Gesture::Brush { area, .. }) => Some(area),
            None => None,
        }
    }

    /// Turns drawing on or off (a gesture in progress ends).
    pub fn set_on(&mut self, on: bool) {
        self.on = on;
        self.gesture = None;
    }

    /// Whether a point is being dragged (for the cursor).
    pub fn moving(&self) -> bool {
        matches!(self.gesture, Some(Gesture::Move { .. }))
    }

    /// Turns this frame's pointer into an edit of `points`.
    pub fn interact(&mut self, ptr: &Pointer, points: &[(f64, f64)], map: &Map) -> Outcome {
        if ptr.secondary_clicked {
            return delete_at(ptr.pos, points, map);
        }
        let mut pts = points.to_vec();
        let mut changed = false;
        if ptr.drag_started {
            changed |= self.start(ptr, &mut pts, map);
        }
        if ptr.drag_started || ptr.dragged {
            changed |= self.follow(ptr, &mut pts, map);
        } else if ptr.clicked {
            changed |= add_at(ptr.pos, &mut pts, map);
        }
        if ptr.drag_stopped || !(ptr.drag_started || ptr.dragged) {
            self.gesture = None; // also when a release went unseen
        }
        if changed {
            Outcome::Points(pts)
        } else {
            Outcome::Unchanged
        }
    }

    /// A drag begins: with shift it always brushes (from a point it starts
    /// on, or from one it adds); without, on a point it moves that point and
    /// elsewhere it adds one there to move.
    fn start(&mut self, ptr: &Pointer, pts: &mut Vec<(f64, f64)>, map: &Map) -> bool {
        self.gesture = None;
        let Some(origin) = ptr.press_origin.or(ptr.pos) else {
            return false;
        };
        let area = map.area;
        if let Some(index) = nearest(pts, origin, HIT_PX, map) {
            self.gesture = Some(if ptr.shift {
                Gesture::Brush {
                    last: pts[index],
                    area,
                }
            } else {
                Gesture::Move { index, area }
            });
            return false;
        }
        if pts.len() >= MAX_POINTS {
            return false;
        }
        let p = map.value(origin, &area);
        pts.push(p);
        self.gesture = Some(if ptr.shift {
            Gesture::Brush { last: p, area }
        } else {
            Gesture::Move {
                index: pts.len() - 1,
                area,
            }
        });
        true
    }

    /// The drag goes on: the held point follows the pointer, or the brush
    /// lays points along the way.
    fn follow(&mut self, ptr: &Pointer, pts: &mut Vec<(f64, f64)>, map: &Map) -> bool {
        let Some(pos) = ptr.pos else {
            return false;
        };
        match &mut self.gesture {
            Some(Gesture::Move { index, area }) => {
                let Some(slot) = pts.get_mut(*index) else {
                    self.gesture = None; // the set changed under the drag
                    return false;
                };
                let p = map.value(pos, area);
                let moved = *slot != p;
                *slot = p;
                moved
            }
            Some(Gesture::Brush { last, area }) => {
                let stroke = brush_stroke(map.screen(*last), pos, BRUSH_PX);
                let before = pts.len();
                // Off the map the brush lays nothing (clamped, it would pile
                // points on the edge while the pointer waits outside).
                for s in stroke.into_iter().take(MAX_POINTS.saturating_sub(before)) {
                    let p = map.transform.value_from_position(s);
                    if area.clamp((p.x, p.y)) != (p.x, p.y) {
                        break;
                    }
                    *last = (p.x, p.y);
                    pts.push(*last);
                }
                pts.len() > before
            }
            None => false,
        }
    }
}

/// A click: a point at the pointer, unless it is on a point already.
fn add_at(pos: Option<Pos2>, pts: &mut Vec<(f64, f64)>, map: &Map) -> bool {
    let Some(pos) = pos else {
        return false;
    };
    if pts.len() >= MAX_POINTS || nearest(pts, pos, HIT_PX, map).is_some() {
        return false;
    }
    pts.push(map.value(pos, &map.area));
    true
}

/// A right-click: deletes the point under the pointer, keeping at least
/// [`MIN_POINTS`].
fn delete_at(pos: Option<Pos2>, points: &[(f64, f64)], map: &Map) -> Outcome {
    let Some(i) = pos.and_then(|p| nearest(points, p, HIT_PX, map)) else {
        return Outcome::Unchanged;
    };
    if points.len() <= MIN_POINTS {
        return Outcome::Refused(format!(
            "{TOO_FEW} {MIN_POINTS} points: add one before deleting this"
        ));
    }
    let mut pts = points.to_vec();
    pts.remove(i);
    Outcome::Points(pts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, Rect};
    use egui_plot::PlotBounds;

    /// Data [-1, 1] × [-1, 1] on a 200 × 200 pixel square at the origin
    /// (y up: data y = 1 is screen y = 0).
    fn map() -> Map {
        let frame = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(200.0, 200.0));
        let bounds = PlotBounds::from_min_max([-1.0, -1.0], [1.0, 1.0]);
        Map {
            transform: PlotTransform::new(frame, bounds, false),
            area: Area {
                x: (-1.0, 1.0),
                y: (-1.0, 1.0),
            },
        }
    }

    fn near(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
    }

    fn click(pos: Pos2) -> Pointer {
        Pointer {
            pos: Some(pos),
            clicked: true,
            ..Pointer::default()
        }
    }

    fn points(o: Outcome) -> Vec<(f64, f64)> {
        match o {
            Outcome::Points(p) => p,
            other => panic!("expected points, got {other:?}"),
        }
    }

    #[test]
    fn the_map_and_the_screen_agree() {
        let m = map();
        assert_eq!(m.screen((0.0, 0.0)), pos2(100.0, 100.0));
        assert_eq!(m.screen((1.0, 1.0)), pos2(200.0, 0.0));
        assert!(near(m.value(pos2(150.0, 50.0), &m.area), (0.5, 0.5)));
        // Outside the image: clamped to its edge.
        assert!(near(m.value(pos2(900.0, -900.0), &m.area), (1.0, 1.0)));
        assert!(near(m.area.clamp((f64::NAN, 0.0)), (-1.0, 0.0)));
        let g = m.area.grown(REACH);
        assert!(near((g.x.0, g.y.1), (-1.5, 1.5)), "{g:?}");
    }

    #[test]
    fn nearest_is_measured_in_pixels_and_bounded() {
        let m = map();
        let pts = [(0.0, 0.0), (0.05, 0.0), (0.5, 0.5)];
        // (0.05, 0) is 5 px right of the centre.
        assert_eq!(nearest(&pts, pos2(104.0, 100.0), HIT_PX, &m), Some(1));
        assert_eq!(nearest(&pts, pos2(101.0, 100.0), HIT_PX, &m), Some(0));
        assert_eq!(nearest(&pts, pos2(100.0, 120.0), HIT_PX, &m), None);
        assert_eq!(nearest(&[], pos2(100.0, 100.0), HIT_PX, &m), None);
    }

    #[test]
    fn the_brush_spaces_its_points_and_fills_a_fast_stroke() {
        assert!(brush_stroke(pos2(0.0, 0.0), pos2(11.0, 0.0), 12.0).is_empty());
        let s = brush_stroke(pos2(0.0, 0.0), pos2(0.0, 100.0), 12.0);
        assert_eq!(s.len(), 8);
        assert_eq!(s[0], pos2(0.0, 12.0));
        assert!(s
            .windows(2)
            .all(|w| (w[0].distance(w[1]) - 12.0).abs() < 1e-3));
        assert!(brush_stroke(pos2(0.0, 0.0), pos2(f32::NAN, 0.0), 12.0).is_empty());
        assert!(brush_stroke(pos2(0.0, 0.0), pos2(100.0, 0.0), 0.0).is_empty());
    }

    #[test]
    fn a_click_adds_but_not_on_a_point_and_a_right_click_deletes() {
        let m = map();
        let mut d = Draw::default();
        let pts = vec![(-0.5, 0.0), (0.5, 0.0)];
        let added = points(d.interact(&click(pos2(100.0, 50.0)), &pts, &m));
        assert_eq!(added.len(), 3);
        assert!(near(added[2], (0.0, 0.5)));
        let on_point = d.interact(&click(m.screen((0.5, 0.0))), &pts, &m);
        assert_eq!(on_point, Outcome::Unchanged);
        let right = |pos| Pointer {
            pos: Some(pos),
            secondary_clicked: true,
            ..Pointer::default()
        };
        let deleted = points(d.interact(&right(m.screen((0.0, 0.5))), &added, &m));
        assert_eq!(deleted, pts);
        // Never below the minimum; a miss does nothing.
        assert!(matches!(
            d.interact(&right(m.screen((0.5, 0.0))), &pts, &m),
            Outcome::Refused(_)
        ));
        let miss = d.interact(&right(pos2(10.0, 10.0)), &added, &m);
        assert_eq!(miss, Outcome::Unchanged);
    }

    #[test]
    fn dragging_a_point_moves_it_and_stays_on_the_map() {
        let m = map();
        let mut d = Draw::default();
        let pts = vec![(-0.5, 0.0), (0.5, 0.0)];
        let start = Pointer {
            pos: Some(pos2(160.0, 60.0)),
            press_origin: Some(m.screen((0.5, 0.0))),
            drag_started: true,
            dragged: true,
            ..Pointer::default()
        };
        let moved = points(d.interact(&start, &pts, &m));
        assert_eq!(moved.len(), 2);
        assert!(near(moved[1], (0.6, 0.4)));
        assert!(d.moving());
        assert_eq!(d.frozen_area(), Some(m.area));
        // Far off the map: the point stops at the edge of the area.
        let off = Pointer {
            pos: Some(pos2(5000.0, 5000.0)),
            dragged: true,
            ..Pointer::default()
        };
        let edge = points(d.interact(&off, &moved, &m));
        assert!(near(edge[1], (1.0, -1.0)));
        let stop = Pointer {
            pos: Some(pos2(5000.0, 5000.0)),
            drag_stopped: true,
            ..Pointer::default()
        };
        assert_eq!(d.interact(&stop, &edge, &m), Outcome::Unchanged);
        assert!(!d.moving());
        assert_eq!(d.frozen_area(), None);
    }

    #[test]
    fn a_drag_off_the_points_adds_one_and_shift_brushes() {
        let m = map();
        let pts = vec![(-0.5, 0.0), (0.5, 0.0)];
        let mut d = Draw::default();
        let drag = Pointer {
            pos: Some(pos2(110.0, 150.0)),
            press_origin: Some(pos2(100.0, 150.0)),
            drag_started: true,
            dragged: true,
            ..Pointer::default()
        };
        let placed = points(d.interact(&drag, &pts, &m));
        assert_eq!(placed.len(), 3);
        assert!(near(placed[2], (0.1, -0.5)));
        let mut d = Draw::default();
        let brush = Pointer {
            pos: Some(pos2(100.0, 150.0)),
            press_origin: Some(pos2(100.0, 150.0)),
            drag_started: true,
            dragged: true,
            shift: true,
            ..Pointer::default()
        };
        let first = points(d.interact(&brush, &pts, &m));
        assert_eq!(first.len(), 3);
        let on = Pointer {
            pos: Some(pos2(100.0, 50.0)),
            dragged: true,
            shift: true,
            ..Pointer::default()
        };
        let stroke = points(d.interact(&on, &first, &m));
        // 100 px at 12 px spacing: 8 more, along x = 0, upwards.
        assert_eq!(stroke.len(), 11);
        assert!(stroke[3..].iter().all(|p| p.0.abs() < 1e-9));
        assert!(stroke[3..].windows(2).all(|w| w[1].1 > w[0].1));
        // Off the map the brush stops at the edge.
        let off = Pointer {
            pos: Some(pos2(100.0, -400.0)),
            dragged: true,
            shift: true,
            ..Pointer::default()
        };
        let held = points(d.interact(&off, &stroke, &m));
        // It goes on up to the edge (screen y 42, 30, 18, 6), no further.
        assert_eq!(held.len(), stroke.len() + 4);
        assert!(held.iter().all(|p| p.1 <= 1.0));
        assert_eq!(d.interact(&off, &held, &m), Outcome::Unchanged);
    }

    #[test]
    fn a_shift_drag_that_starts_on_a_point_brushes_and_leaves_it() {
        let m = map();
        let pts = vec![(-0.5, 0.0), (0.5, 0.0)];
        let at = m.screen(pts[0]);
        let mut d = Draw::default();
        let start = Pointer {
            pos: Some(at),
            press_origin: Some(at),
            drag_started: true,
            dragged: true,
            shift: true,
            ..Pointer::default()
        };
        let first = d.interact(&start, &pts, &m);
        let on = Pointer {
            pos: Some(at + egui::vec2(0.0, -60.0)),
            dragged: true,
            shift: true,
            ..Pointer::default()
        };
        let stroke = points(d.interact(&on, &pts, &m));
        assert!(
            matches!(first, Outcome::Unchanged) || points(first) == pts,
            "the point under the press stays"
        );
        assert_eq!(
            &stroke[..2],
            &pts[..],
            "the points there stay where they were"
        );
        assert!(stroke.len() >= 6, "the brush laid points: {stroke:?}");
    }

    #[test]
    fn pending_edits_are_shown_until_a_snapshot_has_them() {
        let mut d = Draw::default();
        let shown = vec![(0.0, 0.0), (1.0, 1.0)];
        assert_eq!(d.points(&shown), &shown[..]);
        d.sent(vec![(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)], 7);
        d.sent(vec![(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)], 7);
        d.sync(7);
        assert_eq!(d.points(&shown).len(), 4);
        d.sync(8); // the first edit arrived, the second not yet
        assert_eq!(d.points(&shown).len(), 4);
        d.sync(9);
        assert_eq!(d.points(&shown), &shown[..]);
    }
}
