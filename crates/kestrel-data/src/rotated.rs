//! Rotated boxes derived from instance masks.

use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::instances::{InstanceMask, RotatedBoxAnnotation};
use kestrel_geom::min_area_rect;

/// Sets every sample's rotated boxes (`bbox_row`, `bbox_col`, `bbox_phi`, `bbox_length1`,
/// `bbox_length2`) to the minimum-area rectangles enclosing its instance masks
/// (`mask_polygons`), one per object, keeping `bbox_label_id`; returns the number of boxes
/// set.
///
/// A polygon mask contributes its vertices (all polygons of an object together; an odd
/// trailing value is ignored), an RLE mask the corners of its foreground pixels. The
/// rectangle is found over their convex hull (see [`min_area_rect`]), with
/// `length1 >= length2` and `phi` in `(-pi/2, pi/2]`. Samples without `bbox_label_id` are
/// left alone; ones without objects get empty rotated box lists.
///
/// Nothing is changed when a sample cannot be converted; the errors, all reported at
/// once ([`DataError::Problems`] for the image folder, or the single
/// [`DataError::InvalidSample`]), are: objects without `mask_polygons`, a `mask_polygons`
/// length other than `bbox_label_id`'s, an undecodable RLE, and a mask whose points are
/// all on one line (no area).
pub fn rotated_from_polygons(ds: &mut Dataset) -> Result<usize, DataError> {
    let mut errors = Vec::new();
    let mut results: Vec<Option<Vec<RotatedBoxAnnotation>>> = Vec::new();
    for s in &ds.samples {
        match sample_rects(s) {
            Ok(r) => results.push(r),
            Err(mut e) => {
                errors.append(&mut e);
                results.push(None);
            }
        }
    }
    DataError::collect(ds.base_dir.join(&ds.image_dir), errors)?;
    let mut count = 0;
    for (s, rects) in ds.samples.iter_mut().zip(results) {
        if let Some(rects) = rects {
            count += rects.len();
            s.set_rotated_boxes(&rects);
        }
    }
    Ok(count)
}

/// The rotated boxes of one sample (`None` when it has no `bbox_label_id`).
fn sample_rects(s: &Sample) -> Result<Option<Vec<RotatedBoxAnnotation>>, Vec<DataError>> {
    let Some(labels) = &s.bbox_label_id else {
        return Ok(None);
    };
    let error = |message: String| DataError::InvalidSample {
        image_id: s.image_id,
        field: "mask_polygons".into(),
        message,
    };
    let masks: &[InstanceMask] = match &s.mask_polygons {
        Some(m) if m.len() == labels.len() => m,
        Some(m) => {
            return Err(vec![error(format!(
                "{} masks but bbox_label_id has {} objects",
                m.len(),
                labels.len()
            ))]);
        }
        None if labels.is_empty() => &[],
        None => return Err(vec![error("missing: cannot derive rotated boxes".into())]),
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (j, (&label_id, mask)) in labels.iter().zip(masks).enumerate() {
        match mask_points(mask).and_then(|p| {
            min_area_rect(&p).ok_or_else(|| "mask has no area (points on one line)".to_string())
        }) {
            Ok(rect) => out.push(RotatedBoxAnnotation { label_id, rect }),
            Err(message) => errors.push(error(format!("object {j}: {message}"))),
        }
    }
    if errors.is_empty() {
        Ok(Some(out))
    } else {
        Err(errors)
    }
}

/// The points whose hull is the mask's: polygon vertices, or foreground pixel corners.
fn mask_points(mask: &InstanceMask) -> Result<Vec<(f64, f64)>, String> {
    match mask {
        InstanceMask::Polygons(polygons) => Ok(polygons
            .iter()
            .flat_map(|p| p.chunks_exact(2).map(|c| (c[0], c[1])))
            .collect()),
        InstanceMask::Rle(rle) => {
            let rle = rle.to_rle().map_err(|e| e.to_string())?;
            let height = u64::from(rle.height);
            let mut points = Vec::new();
            let mut start = 0u64;
            for (i, &run) in rle.counts.iter().enumerate() {
                let end = start + u64::from(run);
                if i % 2 == 1 && run > 0 {
                    run_corners(start, end, height, &mut points);
                }
                start = end;
            }
            Ok(points)
        }
    }
}

/// Adds the corners that span the hull of the foreground pixels `start..end` (column-major
/// indices, columns of `height` pixels): the part in the first column, the block of full
/// columns, the part in the last column. At most 12 points however long the run, so a
/// mask claiming billions of pixels costs no more than a small one.
fn run_corners(start: u64, end: u64, height: u64, points: &mut Vec<(f64, f64)>) {
    let mut rect = |x0: u64, x1: u64, y0: u64, y1: u64| {
        for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
            points.push((x as f64, y as f64));
        }
    };
    let (first, top) = (start / height, start % height);
    if end - start <= height - top {
        rect(first, first + 1, top, top + (end - start));
        return;
    }
    let mut full_from = first;
    if top > 0 {
        rect(first, first + 1, top, height);
        full_from = first + 1;
    }
    let (last, bottom) = (end / height, end % height);
    if last > full_from {
        rect(full_from, last, 0, height);
    }
    if bottom > 0 {
        rect(last, last + 1, 0, bottom);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::coco_format::{CocoRle, CocoRleCounts};

    #[test]
    fn rectangles_from_polygons_and_rle() {
        let mut s = Sample {
            image_id: 4,
            bbox_label_id: Some(vec![1, 2]),
            mask_polygons: Some(vec![
                InstanceMask::Polygons(vec![vec![0.0, 0.0, 4.0, 0.0, 4.0, 2.0, 0.0, 2.0]]),
                // 4x3 mask, pixels (row 1..3, col 0) and (row 0, col 2).
                InstanceMask::Rle(CocoRle {
                    counts: CocoRleCounts::Runs(vec![1, 2, 5, 1, 3]),
                    size: [4, 3],
                }),
            ]),
            ..Default::default()
        };
        let empty = Sample {
            image_id: 5,
            bbox_label_id: Some(vec![]),
            ..Default::default()
        };
        let mut ds = Dataset {
            samples: vec![s.clone(), empty, Sample::default()],
            ..Default::default()
        };
        assert_eq!(rotated_from_polygons(&mut ds).unwrap(), 2);
        let r = ds.samples[0].rotated_boxes().unwrap();
        assert_eq!(r[0].label_id, 1);
        assert_eq!((r[0].rect.col, r[0].rect.row), (2.0, 1.0));
        assert_eq!((r[0].rect.length1, r[0].rect.length2), (2.0, 1.0));
        // The RLE's pixel corners: (0,1),(1,1),(0,3),(1,3),(2,0),(3,0),(2,1),(3,1).
        let area = 4.0 * r[1].rect.length1 * r[1].rect.length2;
        // Their hull fits a 3 x 3 square, axis-aligned or at 45 degrees, and nothing smaller.
        assert!((area - 9.0).abs() < 1e-9, "{r:?}");
        assert_eq!(ds.samples[1].bbox_row, Some(vec![]));
        assert_eq!(ds.samples[2].bbox_row, None);

        // Errors are all listed and nothing changes.
        s.mask_polygons = Some(vec![InstanceMask::Polygons(vec![vec![0.0, 0.0, 1.0, 1.0]])]);
        let line = Sample {
            image_id: 6,
            bbox_label_id: Some(vec![1]),
            mask_polygons: Some(vec![InstanceMask::Polygons(vec![vec![
                0.0, 0.0, 1.0, 1.0, 2.0, 2.0,
            ]])]),
            ..Default::default()
        };
        let mut ds = Dataset {
            samples: vec![s, line],
            ..Default::default()
        };
        let e = rotated_from_polygons(&mut ds).unwrap_err().to_string();
        assert!(
            e.contains("image_id 4, field mask_polygons: 1 masks"),
            "{e}"
        );
        assert!(
            e.contains("image_id 6, field mask_polygons: object 0: mask has no area"),
            "{e}"
        );
        assert_eq!(ds.samples[0].bbox_row, None);
    }

    #[test]
    fn a_run_over_billions_of_pixels_is_a_few_corners() {
        // One foreground run over a 1 x 4294967295 mask: 4 corners, not 4 per column.
        let mut points = Vec::new();
        run_corners(0, u64::from(u32::MAX), 1, &mut points);
        assert_eq!(points.len(), 4);
        let s = Sample {
            image_id: 1,
            bbox_label_id: Some(vec![0, 0]),
            mask_polygons: Some(vec![
                InstanceMask::Rle(CocoRle {
                    counts: CocoRleCounts::Runs(vec![0, u32::MAX]),
                    size: [1, u32::MAX],
                }),
                // 65536 x 65536, all foreground after the first 5 pixels.
                InstanceMask::Rle(CocoRle {
                    counts: CocoRleCounts::Runs(vec![5, u32::MAX - 4]),
                    size: [65536, 65536],
                }),
            ]),
            ..Default::default()
        };
        let mut ds = Dataset {
            samples: vec![s],
            ..Default::default()
        };
        assert_eq!(rotated_from_polygons(&mut ds).unwrap(), 2);
        let r = ds.samples[0].rotated_boxes().unwrap();
        assert_eq!(r[0].rect.length1, f64::from(u32::MAX) / 2.0);
        assert_eq!(r[0].rect.length2, 0.5);
        // The second hull: the whole square but its first column's top 5 pixels.
        let area = 4.0 * r[1].rect.length1 * r[1].rect.length2;
        assert!(
            area <= 65536.0 * 65536.0 && area > 65536.0 * 65535.0,
            "{r:?}"
        );
        // The same hull as from every pixel's corners, on a small mask (4 x 3, pixels 2..11).
        let mut points = Vec::new();
        run_corners(2, 11, 4, &mut points);
        let mut expected = Vec::new();
        for p in 2..11u64 {
            let (x, y) = (p / 4, p % 4);
            expected.extend([(x, y), (x + 1, y), (x, y + 1), (x + 1, y + 1)]);
        }
        let hull = |pts: Vec<(f64, f64)>| kestrel_geom::min_area_rect(&pts).unwrap();
        let expected: Vec<(f64, f64)> = expected
            .iter()
            .map(|&(x, y)| (x as f64, y as f64))
            .collect();
        assert_eq!(hull(points), hull(expected));
    }
}
