//! The few NumPy numerics COCO evaluation depends on, reproduced bit for bit.

/// `np.linspace(start, stop, num)`: `start + i * step` with `step = (stop - start) /
/// (num - 1)`, the last value `stop` exactly.
pub(crate) fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 0 {
        return Vec::new();
    }
    if num == 1 {
        return vec![start];
    }
    let step = (stop - start) / (num - 1) as f64;
    let mut out: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    out[num - 1] = stop;
    out
}

/// `np.mean` of a 1-D float64 array: NumPy's pairwise summation divided by the count;
/// NaN for an empty slice.
pub(crate) fn mean(values: &[f64]) -> f64 {
    pairwise_sum(values) / values.len() as f64
}

/// NumPy's `pairwise_sum` for float64: plain loop below 8 values, 8 accumulators up to
/// 128, halves (rounded to a multiple of 8) above.
fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &v in a {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[i..] {
            res += v;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_and_mean() {
        let t = linspace(0.5, 0.95, 10);
        assert_eq!(t.len(), 10);
        assert_eq!(t[0], 0.5);
        assert_eq!(t[5], 0.75);
        assert_eq!(t[9], 0.95);
        let r = linspace(0.0, 1.0, 101);
        assert_eq!(r[100], 1.0);
        assert_eq!(r[1], 0.01);
        assert_eq!(mean(&[1.0, 2.0, 3.0]), 2.0);
        let many: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        assert_eq!(mean(&many), 499.5);
        assert!(mean(&[]).is_nan());
    }
}
