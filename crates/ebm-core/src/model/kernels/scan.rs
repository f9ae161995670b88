//! Row searches over energy grids for the snapshots and metrics: ȳ (the most
//! offending incorrect answer) per sample and y̌ (the grid minimum) per probe.
//! Each row is copied into a buffer padded to the lane count (+∞ energies,
//! never-eligible padding) and searched with the step's vectorised scan.

use super::contrast::masked_argmin;
use super::net::round_up;
use crate::model::grid;

#[derive(Clone, Debug, Default)]
pub struct ScanBuffers {
    row: Vec<f32>,
    mask: Vec<f32>,
}

/// For each row i of `rows` (k values each): the most offending index for
/// `ys[i]` and `radius` when `ys` is given, else the row's argmin. Same answers
/// as `grid::most_offending` / `grid::argmin` (which decide non-finite rows).
#[inline(always)]
pub fn rows<const W: usize, const F: bool>(
    rows: &[f32],
    grid_values: &[f32],
    ys: Option<&[f32]>,
    radius: f32,
    buf: &mut ScanBuffers,
    out: &mut Vec<Option<usize>>,
) {
    let k = grid_values.len();
    out.clear();
    if k == 0 {
        return;
    }
    let kp = round_up(k, W);
    buf.mask.clear();
    buf.mask.extend_from_slice(grid_values);
    buf.mask.resize(kp, f32::NAN);
    buf.row.resize(kp, f32::INFINITY);
    for (i, row) in rows.chunks_exact(k).enumerate() {
        buf.row[..k].copy_from_slice(row);
        let found = match ys {
            Some(ys) => masked_argmin::<W>(&buf.row, &buf.mask, ys[i], radius),
            // |g − 0| > −1 holds for every real grid value, never for the NaN padding.
            None => masked_argmin::<W>(&buf.row, &buf.mask, 0.0, -1.0),
        };
        out.push(match (found, ys) {
            (Some((kb, _)), _) => Some(kb),
            (None, Some(ys)) => grid::most_offending_scan(row, grid_values, ys[i], radius),
            (None, None) => Some(grid::argmin_scan(row)),
        });
    }
}
