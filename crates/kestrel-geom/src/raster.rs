//! Polygon and box rasterisation to RLE, a faithful port of `rleFrPoly` / `rleFrBbox` of
//! `pycocotools`' `maskApi.c` (2.0.11), so masks match `frPyObjects` pixel for pixel.
//!
//! The polygon is scaled by 5, its edges are walked on the fine integer grid, and a pixel
//! is set where the fine boundary crosses the column centre line between rows: pixel
//! `(x, y)` is inside when its centre `(x + 0.5, y + 0.5)` is inside the polygon, with
//! coordinates rounded to 1/5 pixel first.

use crate::error::RleError;
use crate::rle::Rle;

/// The fine grid: polygon coordinates are multiplied by this and rounded.
const SCALE: f64 = 5.0;

/// C's `(int)` conversion of a double as x86-64 does it: truncation toward zero, and
/// `INT_MIN` for NaN or values out of range (undefined in C, what `cvttsd2si` returns).
fn c_int(v: f64) -> i32 {
    if v.is_nan() || v >= 2_147_483_648.0 || v <= -2_147_483_649.0 {
        i32::MIN
    } else {
        v as i32
    }
}

impl Rle {
    /// Rasterises one polygon `[x0, y0, x1, y1, ...]` (image pixels, closed implicitly; an
    /// odd trailing value is ignored) into a `height x width` mask, exactly as
    /// `rleFrPoly`.
    pub fn from_polygon(xy: &[f64], height: u32, width: u32) -> Rle {
        let k = xy.len() / 2;
        let (h, w) = (i64::from(height), i64::from(width));
        if k == 0 {
            return Rle {
                height,
                width,
                counts: vec![height.wrapping_mul(width)],
            };
        }
        // Upsample and get discrete points densely along the entire boundary.
        let mut x: Vec<i32> = (0..k).map(|j| c_int(SCALE * xy[2 * j] + 0.5)).collect();
        let mut y: Vec<i32> = (0..k).map(|j| c_int(SCALE * xy[2 * j + 1] + 0.5)).collect();
        x.push(x[0]);
        y.push(y[0]);
        let (mut u, mut v) = (Vec::new(), Vec::new());
        for j in 0..k {
            let (mut xs, mut xe, mut ys, mut ye) = (x[j], x[j + 1], y[j], y[j + 1]);
            let dx = xe.wrapping_sub(xs).wrapping_abs();
            let dy = ys.wrapping_sub(ye).wrapping_abs();
            let flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if flip {
                std::mem::swap(&mut xs, &mut xe);
                std::mem::swap(&mut ys, &mut ye);
            }
            let s = if dx >= dy {
                f64::from(ye.wrapping_sub(ys)) / f64::from(dx)
            } else {
                f64::from(xe.wrapping_sub(xs)) / f64::from(dy)
            };
            if dx >= dy {
                for d in 0..=dx {
                    let t = if flip { dx - d } else { d };
                    u.push(t.wrapping_add(xs));
                    v.push(c_int(f64::from(ys) + s * f64::from(t) + 0.5));
                }
            } else {
                for d in 0..=dy {
                    let t = if flip { dy - d } else { d };
                    v.push(t.wrapping_add(ys));
                    u.push(c_int(f64::from(xs) + s * f64::from(t) + 0.5));
                }
            }
        }
        // Get points along the y-boundary and downsample.
        let mut a: Vec<u32> = Vec::new();
        for j in 1..u.len() {
            if u[j] == u[j - 1] {
                continue;
            }
            let xd = f64::from(if u[j] < u[j - 1] { u[j] } else { u[j] - 1 });
            let xd = (xd + 0.5) / SCALE - 0.5;
            if xd.floor() != xd || xd < 0.0 || xd > (w - 1) as f64 {
                continue;
            }
            let yd = f64::from(if v[j] < v[j - 1] { v[j] } else { v[j - 1] });
            let mut yd = (yd + 0.5) / SCALE - 0.5;
            if yd < 0.0 {
                yd = 0.0;
            } else if yd > h as f64 {
                yd = h as f64;
            }
            let yd = yd.ceil();
            // (uint)(x * (int)h + y) in C's int arithmetic.
            let index = (c_int(xd).wrapping_mul(h as i32)).wrapping_add(c_int(yd));
            a.push(index as u32);
        }
        // Compute the RLE encoding given the y-boundary points.
        a.push(h.wrapping_mul(w) as u32);
        a.sort_unstable();
        let mut previous = 0u32;
        for value in a.iter_mut() {
            let t = *value;
            *value = value.wrapping_sub(previous);
            previous = t;
        }
        let mut counts = vec![a[0]];
        let mut j = 1;
        while j < a.len() {
            if a[j] > 0 {
                counts.push(a[j]);
                j += 1;
            } else {
                j += 1;
                if j < a.len() {
                    if let Some(last) = counts.last_mut() {
                        *last = last.wrapping_add(a[j]);
                    }
                    j += 1;
                }
            }
        }
        Rle {
            height,
            width,
            counts,
        }
    }

    /// Rasterises a box `[x, y, width, height]` (`rleFrBbox`: the box's four corners as a
    /// polygon).
    pub fn from_bbox(bbox: [f64; 4], height: u32, width: u32) -> Rle {
        let [xs, ys, bw, bh] = bbox;
        let (xe, ye) = (xs + bw, ys + bh);
        Rle::from_polygon(&[xs, ys, xs, ye, xe, ye, xe, ys], height, width)
    }

    /// The mask of a COCO polygon segmentation (one object, possibly in several parts) as
    /// `pycocotools`' `annToRLE` makes it: each polygon rasterised with
    /// [`Rle::from_polygon`], then their union.
    ///
    /// Fails, as `frPyObjects` does, when there is no polygon or the first one has 4
    /// values or fewer (pycocotools reads a first polygon of 4 values as a box and then
    /// fails on the list).
    pub fn from_polygons(polygons: &[Vec<f64>], height: u32, width: u32) -> Result<Rle, RleError> {
        match polygons.first().map(Vec::len) {
            None => Err(RleError::NoPolygon),
            Some(n) if n <= 4 => Err(RleError::ShortPolygon(n)),
            Some(_) => {
                let parts: Vec<Rle> = polygons
                    .iter()
                    .map(|p| Rle::from_polygon(p, height, width))
                    .collect();
                Rle::merge(&parts, false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_and_triangles_like_pycocotools() {
        // pycocotools: frPyObjects([[1, 1, 3, 1, 3, 3, 1, 3]], 4, 5) covers pixels
        // x, y in {1, 2} (centres inside the square).
        let rle = Rle::from_polygon(&[1.0, 1.0, 3.0, 1.0, 3.0, 3.0, 1.0, 3.0], 4, 5);
        assert_eq!(rle.counts, [5, 2, 2, 2, 9]);
        assert_eq!(rle.area(), 4);
        let b = Rle::from_bbox([1.0, 1.0, 2.0, 2.0], 4, 5);
        assert_eq!(b, rle);
        // Nothing, a whole image, and a polygon far outside.
        assert_eq!(Rle::from_polygon(&[], 2, 2).counts, [4]);
        let all = Rle::from_polygon(&[0.0, 0.0, 3.0, 0.0, 3.0, 2.0, 0.0, 2.0], 2, 3);
        assert_eq!(all.counts, [0, 6]);
        let away = Rle::from_polygon(&[-9.0, -9.0, -5.0, -9.0, -5.0, -5.0], 2, 3);
        assert_eq!(away.area(), 0);
        assert_eq!(c_int(f64::NAN), i32::MIN);
        assert_eq!(c_int(-2.7), -2);
    }

    #[test]
    fn polygon_lists() {
        let two = vec![
            vec![0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0],
            vec![2.0, 2.0, 3.0, 2.0, 3.0, 3.0, 2.0, 3.0],
        ];
        // pycocotools: merge(frPyObjects(two, 3, 3)) = "0170".
        let rle = Rle::from_polygons(&two, 3, 3).unwrap();
        assert_eq!(rle.to_compressed(), "0170");
        assert_eq!(rle.area(), 2);
        assert!(Rle::from_polygons(&[], 3, 3).is_err());
        assert!(Rle::from_polygons(&[vec![0.0, 0.0, 1.0, 1.0]], 3, 3).is_err());
    }
}
