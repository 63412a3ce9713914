//! COCO run-length encoded masks: encoding, decoding, area, bounding box, union and
//! intersection, ported from `pycocotools`' `maskApi.c` so results match it exactly.

use serde::{Deserialize, Serialize};

use crate::error::RleError;

/// A binary mask of `height x width` pixels as COCO run lengths: the pixels are read
/// column by column (column-major, as in COCO), and `counts` alternates runs of
/// background and foreground, starting with background (a mask whose first pixel is set
/// starts with a 0 run). The runs add up to `height * width`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rle {
    /// Mask height in pixels.
    pub height: u32,
    /// Mask width in pixels.
    pub width: u32,
    /// Run lengths, background first.
    pub counts: Vec<u32>,
}

impl Rle {
    /// A mask from its runs; fails when they do not add up to `height * width`.
    pub fn new(height: u32, width: u32, counts: Vec<u32>) -> Result<Rle, RleError> {
        let rle = Rle {
            height,
            width,
            counts,
        };
        rle.check()?;
        Ok(rle)
    }

    /// Fails when the runs do not add up to `height * width`.
    pub fn check(&self) -> Result<(), RleError> {
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        let pixels = u64::from(self.height) * u64::from(self.width);
        if total == pixels {
            Ok(())
        } else {
            Err(RleError::RunsMismatch {
                total,
                height: self.height,
                width: self.width,
                pixels,
            })
        }
    }

    /// Encodes a row-major bitmap (`mask[y * width + x]`, non-zero = foreground), like
    /// `pycocotools.mask.encode` on the same image.
    pub fn encode(mask: &[u8], height: u32, width: u32) -> Result<Rle, RleError> {
        let (h, w) = (height as usize, width as usize);
        if mask.len() != h * w {
            return Err(RleError::BitmapLength {
                height,
                width,
                expected: h * w,
                got: mask.len(),
            });
        }
        let mut counts = Vec::new();
        let (mut previous, mut run) = (false, 0u32);
        for x in 0..w {
            for y in 0..h {
                let v = mask[y * w + x] != 0;
                if v != previous {
                    counts.push(run);
                    run = 0;
                    previous = v;
                }
                run += 1;
            }
        }
        counts.push(run);
        Ok(Rle {
            height,
            width,
            counts,
        })
    }

    /// The row-major bitmap (`[y * width + x]`, 1 = foreground, 0 = background); runs past
    /// the mask's end are cut off.
    pub fn decode(&self) -> Vec<u8> {
        let (h, w) = (self.height as usize, self.width as usize);
        let mut out = vec![0u8; h * w];
        let mut p = 0usize;
        for (i, &c) in self.counts.iter().enumerate() {
            let end = (p + c as usize).min(h * w);
            if i % 2 == 1 {
                for q in p..end {
                    out[(q % h) * w + q / h] = 1;
                }
            }
            p = end;
        }
        out
    }

    /// Number of foreground pixels (`rleArea`).
    pub fn area(&self) -> u64 {
        self.counts
            .iter()
            .skip(1)
            .step_by(2)
            .map(|&c| u64::from(c))
            .sum()
    }

    /// The bounding box `[x, y, width, height]` of the foreground in whole pixels, all 0
    /// for an empty mask (`rleToBbox` of pycocotools 2.0.11: a run that wraps to the next
    /// column makes the box span the full height).
    pub fn to_bbox(&self) -> [f64; 4] {
        let h = u64::from(self.height);
        let m = self.counts.len() / 2 * 2;
        if m == 0 || h == 0 {
            return [0.0; 4];
        }
        let (mut xs, mut ys, mut xe, mut ye) = (u64::from(self.width), h, 0u64, 0u64);
        let mut cc = 0u64;
        for j in 0..m {
            let start = cc;
            cc += u64::from(self.counts[j]);
            if j % 2 == 0 || self.counts[j] == 0 {
                continue;
            }
            let (y_start, x_start) = (start % h, start / h);
            let (y_end, x_end) = ((cc - 1) % h, (cc - 1) / h);
            xs = xs.min(x_start);
            xe = xe.max(x_end);
            if x_start < x_end {
                ys = 0;
                ye = h - 1;
            } else {
                ys = ys.min(y_start);
                ye = ye.max(y_end);
            }
        }
        // Like the C code, in unsigned arithmetic (an empty foreground gives wrapped values
        // there; here a zero box).
        if xe < xs || ye < ys {
            return [0.0; 4];
        }
        [
            xs as f64,
            ys as f64,
            (xe - xs + 1) as f64,
            (ye - ys + 1) as f64,
        ]
    }

    /// Union (`intersect` false) or intersection of masks of one size (`rleMerge`); fails
    /// when `rles` is empty or the sizes differ.
    pub fn merge(rles: &[Rle], intersect: bool) -> Result<Rle, RleError> {
        let first = rles.first().ok_or(RleError::NoMasks)?;
        let mut counts = first.counts.clone();
        for b in &rles[1..] {
            if (b.height, b.width) != (first.height, first.width) {
                return Err(RleError::SizeMismatch(
                    first.height,
                    first.width,
                    b.height,
                    b.width,
                ));
            }
            counts = merge_two(&counts, &b.counts, intersect);
        }
        Ok(Rle {
            height: first.height,
            width: first.width,
            counts,
        })
    }
}

/// A walk over a mask's runs, pixel count by pixel count, for stepping two masks
/// in lockstep (`rleMerge`, `rleIou`).
struct RunCursor<'a> {
    runs: &'a [u32],
    /// Index of the run after the current one.
    next: usize,
    /// Pixels left in the current run.
    left: u32,
    /// Whether the current run is foreground.
    on: bool,
}

impl<'a> RunCursor<'a> {
    fn new(runs: &'a [u32]) -> Self {
        RunCursor {
            runs,
            next: 1,
            left: runs.first().copied().unwrap_or(0),
            on: false,
        }
    }

    /// Consumes `c` pixels (at most [`RunCursor::left`]) and moves to the next run when
    /// the current one is used up; returns the pixels left in the current run.
    fn advance(&mut self, c: u32) -> u64 {
        self.left -= c;
        if self.left == 0 && self.next < self.runs.len() {
            self.left = self.runs[self.next];
            self.next += 1;
            self.on = !self.on;
        }
        u64::from(self.left)
    }
}

/// One step of `rleMerge`: the runs of `a` merged with those of `b`.
fn merge_two(a: &[u32], b: &[u32], intersect: bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (RunCursor::new(a), RunCursor::new(b));
    let mut v = false;
    let mut cc = 0u32;
    let mut ct = 1u64;
    while ct > 0 {
        let c = a.left.min(b.left);
        cc = cc.wrapping_add(c);
        ct = a.advance(c) + b.advance(c);
        let vp = v;
        v = if intersect {
            a.on && b.on
        } else {
            a.on || b.on
        };
        if v != vp || ct == 0 {
            out.push(cc);
            cc = 0;
        }
    }
    out
}

impl Rle {
    /// The foreground pixels the two masks share and those either covers
    /// (`(intersection, union)`, as `rleIou` counts them); `None` when the sizes differ or
    /// a mask has no runs.
    pub fn overlap(&self, other: &Rle) -> Option<(u64, u64)> {
        if (self.height, self.width) != (other.height, other.width)
            || self.counts.is_empty()
            || other.counts.is_empty()
        {
            return None;
        }
        let (mut a, mut b) = (RunCursor::new(&self.counts), RunCursor::new(&other.counts));
        let (mut i, mut u) = (0u64, 0u64);
        let mut ct = 1u64;
        while ct > 0 {
            let c = a.left.min(b.left);
            if a.on || b.on {
                u += u64::from(c);
                if a.on && b.on {
                    i += u64::from(c);
                }
            }
            ct = a.advance(c) + b.advance(c);
        }
        Some((i, u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_area_bbox() {
        // 4 x 3 mask, pixels (row 1, col 0), (row 2, col 0), (row 0, col 2).
        let mut m = vec![0u8; 12];
        m[3] = 1;
        m[6] = 1;
        m[2] = 1;
        let rle = Rle::encode(&m, 4, 3).unwrap();
        assert_eq!(rle.counts, [1, 2, 5, 1, 3]);
        assert_eq!(rle.decode(), m);
        assert_eq!(rle.area(), 3);
        assert_eq!(rle.to_bbox(), [0.0, 0.0, 3.0, 3.0]);
        assert_eq!(Rle::encode(&[1, 1], 1, 2).unwrap().counts, [0, 2]);
        assert_eq!(Rle::encode(&[0; 6], 2, 3).unwrap().to_bbox(), [0.0; 4]);
        assert!(Rle::new(2, 2, vec![1, 2]).is_err());
    }

    #[test]
    fn union_and_intersection() {
        let a = Rle::encode(&[1, 1, 0, 0], 2, 2).unwrap();
        let b = Rle::encode(&[0, 1, 0, 1], 2, 2).unwrap();
        let u = Rle::merge(&[a.clone(), b.clone()], false).unwrap();
        assert_eq!(u.decode(), [1, 1, 0, 1]);
        let i = Rle::merge(&[a.clone(), b], true).unwrap();
        assert_eq!(i.decode(), [0, 1, 0, 0]);
        assert_eq!(Rle::merge(std::slice::from_ref(&a), false).unwrap(), a);
        assert!(Rle::merge(&[], false).is_err());
        let other = Rle::encode(&[1], 1, 1).unwrap();
        assert!(Rle::merge(&[a.clone(), other.clone()], false).is_err());
        assert_eq!(u.overlap(&i), Some((1, 3)));
        assert_eq!(a.overlap(&other), None);
    }
}
