//! nll's row term for any d and cost: exact rows of K energies, a stable
//! softmax with the fast exp, and the gradient of every row entry.

use super::aligned::AlignedBuf;
use super::cost::{dcost, energy_row, scale_of};
use super::math::exp;
use super::net;
use crate::model::cost::Cost;
use crate::model::loss::probability_error;

/// The energies NLL's direct form reads: A (d × np, n real) and B (d × m, the
/// first `kk` columns the Y grid).
pub(super) struct NllRows<'a> {
    pub cost: Cost,
    pub a: &'a [f32],
    pub np: usize,
    pub n: usize,
    pub b: &'a [f32],
    pub m: usize,
    pub kk: usize,
    /// The samples' energies Eᵢ when they are terms of their own partition
    /// sum (`Partition::GridAndSample`); their weights go to `coef`.
    pub sample: Option<&'a [f32]>,
    /// MEE: the row is the Gibbs probability of the sample (needs `sample`).
    pub probability: bool,
}

impl NllRows<'_> {
    /// NLL's row terms, row by row (any d and cost): exact energies, a stable
    /// log-sum-exp with the row minimum factored out, and the softmax weights
    /// pushed through the cost. Adds to `da` and the grid part of `db`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub fn run<const W: usize, const F: bool>(
        &self,
        beta: f64,
        dy: f64,
        s: f32,
        row: &mut [f32],
        p: &mut AlignedBuf,
        g: &mut AlignedBuf,
        da: &mut [f32],
        db: &mut [f32],
        coef: &mut [f32],
    ) -> f64 {
        let (cost, a, np, b, m, kk) = (self.cost, self.a, self.np, self.b, self.m, self.kk);
        let d = a.len() / np;
        let kp = row.len();
        let nb = -(beta as f32);
        let (ln_dy, inv_beta) = (dy.ln(), 1.0 / beta);
        p.resize(kp, 0.0);
        g.resize(kp, 0.0);
        let mut total = 0.0;
        for i in 0..self.n {
            energy_row::<F>(cost, a, np, i, b, m, row);
            // Padding repeats a real energy: it changes no minimum, and its weight is zeroed.
            let last = row[kk - 1];
            row[kk..].fill(last);
            let mut lo = [f32::INFINITY; W];
            for rc in row.as_chunks::<W>().0 {
                for l in 0..W {
                    lo[l] = if rc[l] < lo[l] { rc[l] } else { lo[l] };
                }
            }
            let es = self.sample.map(|e| e[i]);
            let min = lo.iter().fold(
                es.unwrap_or(f32::INFINITY),
                |x, &y| if y < x { y } else { x },
            );
            for (pv, &e) in p.iter_mut().zip(row.iter()) {
                *pv = exp::<F>(nb * (e - min));
            }
            p[kk..].fill(0.0);
            let ps = es.map_or(0.0, |e| exp::<F>(nb * (e - min)));
            let z = net::sum::<W>(p) + ps;
            let row_term = -(min as f64) + (ln_dy + (z as f64).ln()) * inv_beta;
            // MEE: the sample's nll u = Eᵢ + row term becomes 1 − P and every
            // weight of the sample (its own, already in `coef`, and the row's)
            // scales by βP. `sample_pulls` counted Eᵢ; the row adds the rest.
            let (added, scale) = match es.filter(|_| self.probability) {
                Some(e) => {
                    let (loss, g) = probability_error(e as f64 + row_term, dy, beta);
                    coef[i] *= g as f32;
                    (loss - e as f64, g as f32)
                }
                None => (row_term, 1.0),
            };
            total += added;
            let w = -s * scale / z;
            if let Some(e) = es {
                coef[i] += scale_of(cost, ps * w, e);
            }
            for (pv, &e) in p.iter_mut().zip(row.iter()) {
                *pv = scale_of(cost, *pv * w, e);
            }
            for j in 0..d {
                let aj = a[j * np + i];
                let bj = &b[j * m..j * m + kp];
                let dbj = &mut db[j * m..j * m + kp];
                // Three simple passes (each vectorises; fused, they did not).
                for ((gv, &bv), &pv) in g.iter_mut().zip(bj).zip(p.iter()) {
                    *gv = dcost(cost, aj - bv, pv);
                }
                for (dv, &gv) in dbj.iter_mut().zip(g.iter()) {
                    *dv -= gv;
                }
                da[j * np + i] += net::sum::<W>(g);
            }
        }
        total
    }
}
