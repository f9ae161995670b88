//! A growable f32 buffer whose data starts on a 64-byte boundary (one cache
//! line, one AVX-512 vector). The step's buffers are read W lanes at a time;
//! where the allocator happened to put a `Vec` moved the margin losses' step
//! by 12-14 % between two builds of the same code (docs/PERFORMANCE.md). The
//! arithmetic does not depend on it: only the speed becomes deterministic.

use std::ops::{Deref, DerefMut};

/// Floats of slack kept in front of the data to reach the boundary.
const SLACK: usize = 64 / std::mem::size_of::<f32>();

#[derive(Debug, Default)]
pub struct AlignedBuf {
    raw: Vec<f32>,
    off: usize,
    len: usize,
}

impl AlignedBuf {
    /// Room for `cap` floats from an aligned start, the contents kept.
    fn reserve_total(&mut self, cap: usize) {
        if self.off + cap <= self.raw.len() {
            return;
        }
        let mut raw = vec![0.0f32; cap.max(2 * self.len) + SLACK];
        let off = aligned_offset(raw.as_ptr());
        raw[off..off + self.len].copy_from_slice(&self.raw[self.off..self.off + self.len]);
        (self.raw, self.off) = (raw, off);
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// As `Vec::resize`: new floats are `value`, the others kept.
    pub fn resize(&mut self, len: usize, value: f32) {
        self.reserve_total(len);
        if len > self.len {
            self.raw[self.off + self.len..self.off + len].fill(value);
        }
        self.len = len;
    }

    pub fn extend_from_slice(&mut self, src: &[f32]) {
        let end = self.len + src.len();
        self.reserve_total(end);
        self.raw[self.off + self.len..self.off + end].copy_from_slice(src);
        self.len = end;
    }
}

/// The first index of `ptr`'s buffer that starts a 64-byte line.
fn aligned_offset(ptr: *const f32) -> usize {
    let misalign = (ptr as usize) % 64;
    if misalign == 0 {
        0
    } else {
        (64 - misalign) / std::mem::size_of::<f32>()
    }
}

impl Clone for AlignedBuf {
    /// A copy in a buffer of its own, aligned anew.
    fn clone(&self) -> Self {
        let mut c = AlignedBuf::default();
        c.extend_from_slice(self);
        c
    }
}

impl<'a> IntoIterator for &'a AlignedBuf {
    type Item = &'a f32;
    type IntoIter = std::slice::Iter<'a, f32>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Deref for AlignedBuf {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.raw[self.off..self.off + self.len]
    }
}

impl DerefMut for AlignedBuf {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.raw[self.off..self.off + self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_behaves_as_a_vec_and_stays_aligned() {
        let mut b = AlignedBuf::default();
        let mut v: Vec<f32> = Vec::new();
        for (i, n) in [3usize, 17, 2, 100, 0, 64, 1000, 5].into_iter().enumerate() {
            b.resize(n, i as f32);
            v.resize(n, i as f32);
            b.extend_from_slice(&[9.0, 8.0]);
            v.extend_from_slice(&[9.0, 8.0]);
            b[0] = i as f32 * 0.5;
            v[0] = i as f32 * 0.5;
            assert_eq!(&b[..], &v[..], "after resize({n})");
            assert_eq!(b.as_ptr() as usize % 64, 0, "aligned after resize({n})");
            let c = b.clone();
            assert_eq!(&c[..], &v[..]);
            assert_eq!(c.as_ptr() as usize % 64, 0);
        }
        b.clear();
        assert!(b.is_empty());
    }
}
