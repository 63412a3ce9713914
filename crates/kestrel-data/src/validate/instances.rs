//! Per-sample object problems: boxes, rotated boxes and instance masks.

use super::Problem;
use crate::dataset::{Dataset, Sample};
use crate::instances::{AXIS_FIELDS, InstanceMask, ROTATED_FIELDS, RotatedBox};

/// How far (in pixels) a box, rotated box corner or polygon point may lie outside the
/// image before it is reported.
pub const BOX_TOLERANCE: f64 = 1.0;

/// The `field` of the problem "image without annotated objects" (an empty
/// `bbox_label_id`), so callers can tell it from real errors and filter it out.
pub const NO_ANNOTATIONS: &str = "no_annotations";

/// Object problems of sample `index`, with the image size when it could be read.
///
/// Structure: per-object fields (`words` and `words_dont_care` included) without
/// `bbox_label_id`, lengths other than `bbox_label_id`'s, a box kind set only in part. Content: no objects
/// ([`NO_ANNOTATIONS`]), unknown labels, non-finite coordinates, inverted or zero-area
/// boxes, rotated boxes with non-positive half lengths, boxes, rotated box centres or
/// polygon points more than [`BOX_TOLERANCE`] outside the image, polygons with fewer than
/// three points or an odd number of values, RLE masks that cannot be decoded or whose
/// size is not the image's.
pub(super) fn instance_problems(
    ds: &Dataset,
    index: usize,
    s: &Sample,
    size: Option<(u32, u32)>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let file = Some(ds.image_path(s));
    let mut add = |field: &str, message: String| {
        out.push(Problem::sample(index, s, file.clone(), field, message));
    };
    let axis = s.axis_fields();
    let rotated = s.rotated_fields();
    let mut lengths: Vec<(&str, usize)> = AXIS_FIELDS
        .iter()
        .zip(axis)
        .chain(ROTATED_FIELDS.iter().zip(rotated))
        .filter_map(|(&name, v)| v.map(|v| (name, v.len())))
        .collect();
    if let Some(m) = &s.mask_polygons {
        lengths.push(("mask_polygons", m.len()));
    }
    if let Some(w) = &s.words {
        lengths.push(("words", w.len()));
    }
    if let Some(f) = &s.words_dont_care {
        lengths.push(("words_dont_care", f.len()));
    }
    let Some(labels) = &s.bbox_label_id else {
        if let Some((name, _)) = lengths.first() {
            add(
                "bbox_label_id",
                format!("missing, but {name} is set (objects need their class ids)"),
            );
        }
        return out;
    };
    let n = labels.len();
    let mut consistent = true;
    for (name, len) in lengths {
        if len != n {
            consistent = false;
            add(name, format!("{len} entries but bbox_label_id has {n}"));
        }
    }
    for (names, fields) in [
        (&AXIS_FIELDS[..], &axis[..]),
        (&ROTATED_FIELDS[..], &rotated[..]),
    ] {
        let set: Vec<&str> = names
            .iter()
            .zip(fields)
            .filter(|(_, f)| f.is_some())
            .map(|(n, _)| *n)
            .collect();
        if !set.is_empty() && set.len() < names.len() {
            consistent = false;
            for (name, f) in names.iter().zip(fields) {
                if f.is_none() {
                    add(name, format!("missing, but {} set", set.join(", ")));
                }
            }
        }
    }
    if n == 0 {
        add(NO_ANNOTATIONS, "image has no annotated objects".into());
    }
    for (j, &label) in labels.iter().enumerate() {
        if ds.class_index(label).is_none() {
            add(
                "bbox_label_id",
                format!("object {j}: label {label} is not one of the class_ids"),
            );
        }
    }
    if !consistent {
        return out;
    }
    let size = size.map(|(w, h)| (f64::from(w), f64::from(h)));
    if let Ok(boxes) = s.boxes()
        && s.bbox_row1.is_some()
    {
        for (j, b) in boxes.iter().enumerate() {
            if let Some((field, message)) = axis_box_problem(b.row1, b.col1, b.row2, b.col2, size) {
                add(field, format!("object {j}: {message}"));
            }
        }
    }
    if let Ok(boxes) = s.rotated_boxes()
        && s.bbox_row.is_some()
    {
        for (j, b) in boxes.iter().enumerate() {
            if let Some((field, message)) = rotated_problem(&b.rect, size) {
                add(field, format!("object {j}: {message}"));
            }
        }
    }
    for (j, mask) in s.mask_polygons.iter().flatten().enumerate() {
        if let Some(message) = mask_problem(mask, size) {
            add("mask_polygons", format!("object {j}: {message}"));
        }
    }
    out
}

/// The problem of an axis-aligned box, with the field at fault.
fn axis_box_problem(
    row1: f64,
    col1: f64,
    row2: f64,
    col2: f64,
    size: Option<(f64, f64)>,
) -> Option<(&'static str, String)> {
    let shown = format!("(row1 {row1}, col1 {col1}, row2 {row2}, col2 {col2})");
    let values = [row1, col1, row2, col2];
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Some((AXIS_FIELDS[i], format!("box {shown} is not finite")));
    }
    for (field, lo, hi, what) in [
        ("bbox_row2", row1, row2, "row"),
        ("bbox_col2", col1, col2, "col"),
    ] {
        if hi < lo {
            return Some((field, format!("inverted box {shown}: {what}2 < {what}1")));
        }
        if hi == lo {
            return Some((field, format!("zero-area box {shown}: {what}2 == {what}1")));
        }
    }
    let (w, h) = size?;
    let field = edge_outside(AXIS_FIELDS, values, (w, h))?;
    Some((
        field,
        format!(
            "box {shown} extends more than {BOX_TOLERANCE} pixel outside the {} x {} image",
            w, h
        ),
    ))
}

/// The first of a box's edges `[row1, col1, row2, col2]` more than [`BOX_TOLERANCE`]
/// outside a `(w, h)` image, as its name in `fields` (same order).
pub(super) fn edge_outside(
    fields: [&'static str; 4],
    [row1, col1, row2, col2]: [f64; 4],
    (w, h): (f64, f64),
) -> Option<&'static str> {
    let t = BOX_TOLERANCE;
    let outside = [row1 < -t, col1 < -t, row2 > h + t, col2 > w + t];
    outside.iter().position(|&o| o).map(|i| fields[i])
}

/// The problem of a rotated box, with the field at fault.
fn rotated_problem(r: &RotatedBox, size: Option<(f64, f64)>) -> Option<(&'static str, String)> {
    let values = [r.row, r.col, r.phi, r.length1, r.length2];
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Some((
            ROTATED_FIELDS[i],
            format!("value {} is not finite", values[i]),
        ));
    }
    if r.length1 <= 0.0 {
        return Some((
            "bbox_length1",
            format!("length1 {} is not positive", r.length1),
        ));
    }
    if r.length2 <= 0.0 {
        return Some((
            "bbox_length2",
            format!("length2 {} is not positive", r.length2),
        ));
    }
    // Corners may lie outside: the rectangle of an object cut by the image edge extends
    // beyond it. Its centre must be inside.
    let (w, h) = size?;
    (!inside(r.col, r.row, w, h)).then(|| {
        (
            if inside(r.col, 0.0, w, h) {
                "bbox_row"
            } else {
                "bbox_col"
            },
            format!(
                "rotated box centre (row {}, col {}) is more than {BOX_TOLERANCE} pixel \
                 outside the {w} x {h} image",
                r.row, r.col
            ),
        )
    })
}

/// What is wrong with an instance mask, if anything.
fn mask_problem(mask: &InstanceMask, size: Option<(f64, f64)>) -> Option<String> {
    match mask {
        InstanceMask::Polygons(polygons) => {
            if polygons.is_empty() {
                return Some("mask has no polygon".into());
            }
            for (k, p) in polygons.iter().enumerate() {
                if p.len() % 2 != 0 || p.len() < 6 {
                    return Some(format!(
                        "polygon {k} has {} values (needs an even number, at least 6)",
                        p.len()
                    ));
                }
                if p.iter().any(|v| !v.is_finite()) {
                    return Some(format!("polygon {k} has a value that is not finite"));
                }
                if let Some((w, h)) = size
                    && let Some(c) = p.chunks_exact(2).find(|c| !inside(c[0], c[1], w, h))
                {
                    return Some(format!(
                        "polygon {k} point ({}, {}) is more than {BOX_TOLERANCE} pixel \
                         outside the {w} x {h} image",
                        c[0], c[1]
                    ));
                }
            }
            None
        }
        InstanceMask::Rle(rle) => {
            if let Err(e) = rle.to_rle() {
                return Some(format!("invalid RLE: {e}"));
            }
            let (w, h) = size?;
            let [rh, rw] = rle.size;
            (f64::from(rw) != w || f64::from(rh) != h)
                .then(|| format!("RLE mask is {rw} x {rh} pixels but the image is {w} x {h}"))
        }
    }
}

/// Whether `(x, y)` is inside a `w x h` image, up to [`BOX_TOLERANCE`].
fn inside(x: f64, y: f64, w: f64, h: f64) -> bool {
    let t = BOX_TOLERANCE;
    x >= -t && y >= -t && x <= w + t && y <= h + t
}
