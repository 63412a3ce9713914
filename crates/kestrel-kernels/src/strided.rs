//! Strided copies, and rows split into column phases: with stride `s`, phase `r` of a
//! row holds its columns `r, r + s, r + 2s, …`, and the phases are stored one after the
//! other. A strided convolution reads (and its input gradient writes) every tap's
//! columns as one contiguous run of a phase.

use std::ops::Range;

use rayon::prelude::*;

/// Zeroes `row` outside `mid` and returns `row[mid]`.
pub(crate) fn zero_edges<'a>(row: &'a mut [f32], mid: &Range<usize>) -> &'a mut [f32] {
    let (left, rest) = row.split_at_mut(mid.start);
    let (mid, right) = rest.split_at_mut(mid.len());
    zero(left);
    zero(right);
    mid
}

/// Zeroes `s`; a `fill` that skips the call into `memset` for the few elements of a
/// padding edge.
#[inline]
pub(crate) fn zero(s: &mut [f32]) {
    if s.len() <= 4 {
        for v in s {
            *v = 0.0;
        }
    } else {
        s.fill(0.0);
    }
}

/// `dst[i] = src[i * stride]`.
pub(crate) fn gather(dst: &mut [f32], src: &[f32], stride: usize) {
    if stride == 1 {
        dst.copy_from_slice(&src[..dst.len()]);
    } else {
        for (d, &s) in dst.iter_mut().zip(src.iter().step_by(stride)) {
            *d = s;
        }
    }
}

/// `dst[i * stride] = src[i]`.
pub(crate) fn scatter(dst: &mut [f32], src: &[f32], stride: usize) {
    if stride == 1 {
        dst[..src.len()].copy_from_slice(src);
    } else {
        for (d, &s) in dst.iter_mut().step_by(stride).zip(src) {
            *d = s;
        }
    }
}

/// `even[i] = src[2 i]`, `odd[i] = src[2 i + 1]`, in one pass over `src`.
pub(crate) fn deinterleave(src: &[f32], even: &mut [f32], odd: &mut [f32]) {
    let pairs = even.len().min(odd.len());
    for (pair, (e, o)) in src
        .chunks_exact(2)
        .zip(even[..pairs].iter_mut().zip(&mut odd[..pairs]))
    {
        *e = pair[0];
        *o = pair[1];
    }
    gather(&mut even[pairs..], &src[2 * pairs..], 2);
    if pairs < odd.len() {
        gather(&mut odd[pairs..], &src[2 * pairs + 1..], 2);
    }
}

/// `dst[2 i] = even[i]`, `dst[2 i + 1] = odd[i]`, in one pass over `dst`.
pub(crate) fn interleave(dst: &mut [f32], even: &[f32], odd: &[f32]) {
    let pairs = even.len().min(odd.len());
    for (pair, (&e, &o)) in dst
        .chunks_exact_mut(2)
        .zip(even[..pairs].iter().zip(&odd[..pairs]))
    {
        pair[0] = e;
        pair[1] = o;
    }
    scatter(&mut dst[2 * pairs..], &even[pairs..], 2);
    if pairs < odd.len() {
        scatter(&mut dst[2 * pairs + 1..], &odd[pairs..], 2);
    }
}

/// Where phase `r` starts in a row of `width` columns split into `stride` phases.
pub(crate) fn phase_start(width: usize, stride: usize, r: usize) -> usize {
    (0..r)
        .map(|q| (width.saturating_sub(q)).div_ceil(stride))
        .sum()
}

/// Splits the row `src` into its `stride` column phases, in `dst` (same length).
fn split_row(src: &[f32], dst: &mut [f32], stride: usize) {
    if stride == 2 {
        let (even, odd) = dst.split_at_mut(src.len().div_ceil(2));
        deinterleave(src, even, odd);
    } else {
        for r in 0..stride.min(src.len()) {
            let start = phase_start(src.len(), stride, r);
            let len = (src.len() - r).div_ceil(stride);
            gather(&mut dst[start..start + len], &src[r..], stride);
        }
    }
}

/// Writes the row `dst` from its `stride` column phases `src` (inverse of
/// [`split_row`]).
fn merge_row(src: &[f32], dst: &mut [f32], stride: usize) {
    if stride == 2 {
        let (even, odd) = src.split_at(dst.len().div_ceil(2));
        interleave(dst, even, odd);
    } else {
        for r in 0..stride.min(dst.len()) {
            let start = phase_start(dst.len(), stride, r);
            let len = (dst.len() - r).div_ceil(stride);
            scatter(&mut dst[r..], &src[start..start + len], stride);
        }
    }
}

/// Splits every row (of `width` columns) of `src` into column phases, into `dst`. With
/// `parallel`, blocks of rows are spread over rayon's threads.
pub(crate) fn split_rows(
    src: &[f32],
    dst: &mut [f32],
    width: usize,
    stride: usize,
    parallel: bool,
) {
    let rows = |(src, dst): (&[f32], &mut [f32])| {
        for (s, d) in src.chunks_exact(width).zip(dst.chunks_exact_mut(width)) {
            split_row(s, d, stride);
        }
    };
    let block = width * 64;
    if parallel {
        src.par_chunks(block)
            .zip(dst.par_chunks_mut(block))
            .for_each(rows);
    } else {
        rows((src, dst));
    }
}

/// Writes every row of `dst` from its column phases in `src` (inverse of
/// [`split_rows`]).
pub(crate) fn merge_rows(
    src: &[f32],
    dst: &mut [f32],
    width: usize,
    stride: usize,
    parallel: bool,
) {
    let rows = |(src, dst): (&[f32], &mut [f32])| {
        for (s, d) in src.chunks_exact(width).zip(dst.chunks_exact_mut(width)) {
            merge_row(s, d, stride);
        }
    };
    let block = width * 64;
    if parallel {
        src.par_chunks(block)
            .zip(dst.par_chunks_mut(block))
            .for_each(rows);
    } else {
        rows((src, dst));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_into_phases_and_back() {
        for width in 1..12 {
            for stride in 1..5 {
                let src: Vec<f32> = (0..width).map(|i| i as f32).collect();
                let mut split = vec![0.0; width];
                split_rows(&src, &mut split, width, stride, false);
                for r in 0..stride.min(width) {
                    let start = phase_start(width, stride, r);
                    for (i, x) in (r..width).step_by(stride).enumerate() {
                        assert_eq!(split[start + i], x as f32, "{width} {stride} {r}");
                    }
                }
                let mut back = vec![-1.0; width];
                merge_rows(&split, &mut back, width, stride, true);
                assert_eq!(back, src);
            }
        }
    }
}
