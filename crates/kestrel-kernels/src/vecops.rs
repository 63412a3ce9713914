//! Small slice loops written so that LLVM vectorises them (no bounds checks inside, and
//! independent accumulators for reductions), compiled twice on x86-64: for the baseline
//! (SSE2) and for AVX2, picked at run time.

/// Sum of the accumulator lanes of [`dot_impl`], [`sum`] and the batch norm reductions
/// (`lane_sums.rs`), as a tree.
///
/// Not inlined on purpose: inlined, LLVM's SLP vectoriser builds one reduction tree out
/// of the loop and this sum and turns the loop's 256-bit adds into shuffled 128-bit ones
/// (2-3x slower). Behind a call the loop keeps four whole-register accumulators.
#[inline(never)]
pub(crate) fn reduce(acc: &[f32; BLOCK]) -> f32 {
    let mut total = [0.0f32; 8];
    for chunk in acc.chunks_exact(8) {
        for (t, v) in total.iter_mut().zip(chunk) {
            *t += v;
        }
    }
    ((total[0] + total[4]) + (total[1] + total[5]))
        + ((total[2] + total[6]) + (total[3] + total[7]))
}

/// Defines `pub(crate) fn $name` running `$body` compiled for AVX2 when the CPU has it,
/// else for the baseline target.
macro_rules! dispatch {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? $body:block) => {
        $(#[$doc])*
        #[inline]
        pub(crate) fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn imp($($arg: $ty),*) $(-> $ret)? $body

            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    imp($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: `avx2` is safe but for needing a CPU with AVX2, checked
                    // just above. Worth it (measured with the depthwise kernels, batch 16,
                    // against the SSE2 build of the same loops): forward and input
                    // gradient 1.1-1.25x, weight gradient 2.2-3.7x faster. Same
                    // arithmetic (no FMA), so results do not depend on the CPU.
                    return unsafe { avx2($($arg),*) };
                }
            }
            imp($($arg),*)
        }
    };
}
pub(crate) use dispatch;

dispatch! {
    /// `y += x` over the common length.
    fn add_assign(y: &mut [f32], x: &[f32]) {
        for (y, &x) in y.iter_mut().zip(x) {
            *y += x;
        }
    }
}

/// Dot product over the common length.
#[inline(always)]
fn dot_impl(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (a[..n].chunks_exact(BLOCK), b[..n].chunks_exact(BLOCK));
    let tail: f32 = a
        .remainder()
        .iter()
        .zip(b.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0f32; BLOCK];
    for (x, y) in a.zip(b) {
        for i in 0..BLOCK {
            acc[i] += x[i] * y[i];
        }
    }
    reduce(&acc) + tail
}

dispatch! {
    /// `sums[k] += a · b[offsets[k]..offsets[k] + a.len()]` for every `k`: the dot
    /// products of `a` with shifted windows of `b`.
    ///
    /// Panics if a window leaves `b`.
    fn shifted_dots(a: &[f32], b: &[f32], offsets: &[usize], sums: &mut [f64]) {
        for (&offset, sum) in offsets.iter().zip(sums) {
            *sum += f64::from(dot_impl(a, &b[offset..offset + a.len()]));
        }
    }
}

dispatch! {
    /// Sum of the elements.
    fn sum(x: &[f32]) -> f32 {
        let chunks = x.chunks_exact(BLOCK);
        let tail: f32 = chunks.remainder().iter().sum();
        let mut acc = [0.0f32; BLOCK];
        for c in chunks {
            for i in 0..BLOCK {
                acc[i] += c[i];
            }
        }
        reduce(&acc) + tail
    }
}

/// Outputs per block of [`shifted_sum`], kept in SIMD registers across all taps; also
/// the lanes of [`dot`] and [`sum`], so buffers padded to whole blocks have no scalar
/// tail.
pub(crate) const BLOCK: usize = 32;

dispatch! {
    /// `dst[i] = start + sum_k weights[k] * src[offsets[k] + i]` with `start = dst[i]`
    /// when `accumulate`, else `base`: a sum of shifted copies of `src`, computed in
    /// register blocks so that `dst` is written once.
    ///
    /// Panics if a shifted window `offsets[k]..offsets[k] + dst.len()` leaves `src`.
    fn shifted_sum(
        dst: &mut [f32],
        base: f32,
        accumulate: bool,
        src: &[f32],
        offsets: &[usize],
        weights: &[f32]
    ) {
        let n = dst.len();
        assert!(offsets.iter().all(|&o| o + n <= src.len()));
        let mut blocks = dst.chunks_exact_mut(BLOCK);
        for (b, d) in (&mut blocks).enumerate() {
            let mut acc = [base; BLOCK];
            if accumulate {
                acc.copy_from_slice(d);
            }
            for (&offset, &w) in offsets.iter().zip(weights) {
                let start = offset + b * BLOCK;
                let s = &src[start..start + BLOCK];
                for i in 0..BLOCK {
                    acc[i] += w * s[i];
                }
            }
            d.copy_from_slice(&acc);
        }
        let first = n - n % BLOCK;
        for (i, d) in blocks.into_remainder().iter_mut().enumerate() {
            let mut v = if accumulate { *d } else { base };
            for (&offset, &w) in offsets.iter().zip(weights) {
                v += w * src[offset + first + i];
            }
            *d = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops() {
        let x: Vec<f32> = (0..77).map(|i| i as f32).collect();
        let mut y = vec![1.0f32; 77];
        add_assign(&mut y, &x);
        assert_eq!(y[3], 4.0);
        assert_eq!(
            dot_impl(&x, &x),
            (0..77).map(|i| (i * i) as f32).sum::<f32>()
        );
        let mut sums = [1.0f64; 2];
        shifted_dots(&x[..3], &x, &[0, 10], &mut sums);
        assert_eq!(sums, [1.0 + 5.0, 1.0 + 35.0]);
        assert_eq!(sum(&x), 2926.0);
    }

    #[test]
    fn shifted_sums() {
        let src: Vec<f32> = (0..80).map(|i| i as f32).collect();
        let mut dst = vec![1.0f32; 70];
        shifted_sum(&mut dst, 0.5, false, &src, &[0, 10], &[1.0, 2.0]);
        for (i, d) in dst.iter().enumerate() {
            assert_eq!(*d, 0.5 + i as f32 + 2.0 * (i + 10) as f32);
        }
        shifted_sum(&mut dst, 0.0, true, &src, &[3], &[-1.0]);
        assert_eq!(dst[69], 0.5 + 69.0 + 158.0 - 72.0);
    }
}
