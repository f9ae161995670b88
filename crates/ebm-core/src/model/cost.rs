//! The cost c that turns the gap between the x-side and the y-side of a model
//! into a non-negative energy: E = c(G1(x) − G2(y)).

use super::real::Real;

crate::named_enum! {
    pub enum Cost {
        /// Σ|vⱼ|, the dual-net L1 model of the demos.
        L1 = "l1": "Σ|v|",
        /// ½‖v‖², the paper's quadratic energy.
        Square = "square": "½‖v‖²",
        /// tanh(‖v‖²), the paper's non-normalisable energy.
        Saturated = "saturated": "tanh(‖v‖²)",
    }
}

/// The arithmetic the cost's primitives run in. [`Plain`] is the reference's
/// (any [`Real`], plain operations); the f32 kernels have their own (fused
/// multiply-add and a fast tanh where the CPU level allows), so both run the
/// one definition below.
pub trait CostMath {
    type V: Copy
        + PartialOrd
        + std::ops::Add<Output = Self::V>
        + std::ops::Sub<Output = Self::V>
        + std::ops::Mul<Output = Self::V>;
    fn of(v: f64) -> Self::V;
    fn abs(v: Self::V) -> Self::V;
    /// a·b + c.
    fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    fn tanh(v: Self::V) -> Self::V;
}

/// The reference arithmetic over `T`.
pub struct Plain<T>(std::marker::PhantomData<T>);

impl<T: Real> CostMath for Plain<T> {
    type V = T;
    #[inline(always)]
    fn of(v: f64) -> T {
        T::of(v)
    }
    #[inline(always)]
    fn abs(v: T) -> T {
        v.abs()
    }
    #[inline(always)]
    fn fma(a: T, b: T, c: T) -> T {
        a * b + c
    }
    #[inline(always)]
    fn tanh(v: T) -> T {
        v.tanh()
    }
}

// The cost, defined once: E = finish(Σⱼ term(vⱼ)) with v = a − b, and
// ∂E/∂vⱼ = dcost(vⱼ, scale(w, E)) for a weight w on E. Every match is over all
// costs (no catch-all): a new cost does not compile until each part is defined.

/// acc + |v| (l1) or acc + v² (square, saturated).
#[inline(always)]
pub fn term<M: CostMath>(cost: Cost, acc: M::V, v: M::V) -> M::V {
    match cost {
        Cost::L1 => acc + M::abs(v),
        Cost::Square | Cost::Saturated => M::fma(v, v, acc),
    }
}

/// The energy from the summed terms.
#[inline(always)]
pub fn finish<M: CostMath>(cost: Cost, acc: M::V) -> M::V {
    match cost {
        Cost::L1 => acc,
        Cost::Square => M::of(0.5) * acc,
        Cost::Saturated => M::tanh(acc),
    }
}

/// The weight `w` on an energy turned into the scale [`dcost`] expects (the
/// saturated cost's tanh′ = 1 − E² folded in).
#[inline(always)]
pub fn scale<M: CostMath>(cost: Cost, w: M::V, energy: M::V) -> M::V {
    match cost {
        Cost::Saturated => w * M::of(2.0) * (M::of(1.0) - energy * energy),
        Cost::L1 | Cost::Square => w,
    }
}

/// ∂c/∂vⱼ times `scale`. The l1 sign is two selects against 0, not branches,
/// so the kernels' loops stay vectorised (and sign(0) = 0).
#[inline(always)]
pub fn dcost<M: CostMath>(cost: Cost, v: M::V, scale: M::V) -> M::V {
    match cost {
        Cost::L1 => {
            let zero = M::of(0.0);
            let pos = if v > zero { scale } else { zero };
            let neg = if v < zero { scale } else { zero };
            pos - neg
        }
        Cost::Square | Cost::Saturated => scale * v,
    }
}

impl Cost {
    pub fn formula(self) -> &'static str {
        self.describe()
    }

    /// c(a − b) for two d-vectors.
    #[inline(always)]
    pub fn value<T: Real>(self, a: &[T], b: &[T]) -> T {
        let mut acc = T::zero();
        for (x, y) in a.iter().zip(b) {
            acc = term::<Plain<T>>(self, acc, *x - *y);
        }
        finish::<Plain<T>>(self, acc)
    }

    /// Adds `w · ∂c(a − b)/∂a` to `da` and subtracts it from `db` (if given).
    #[inline(always)]
    pub fn accumulate<T: Real>(self, a: &[T], b: &[T], w: T, da: &mut [T], db: Option<&mut [T]>) {
        let s = scale::<Plain<T>>(self, w, self.value(a, b));
        let g = |j: usize| dcost::<Plain<T>>(self, a[j] - b[j], s);
        match db {
            Some(db) => {
                for (j, (daj, dbj)) in da.iter_mut().zip(db.iter_mut()).enumerate() {
                    let gj = g(j);
                    *daj += gj;
                    *dbj -= gj;
                }
            }
            None => {
                for (j, daj) in da.iter_mut().enumerate() {
                    *daj += g(j);
                }
            }
        }
    }
}
