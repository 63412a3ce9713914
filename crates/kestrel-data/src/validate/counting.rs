//! Per-sample counting problems: points and example boxes.

use super::Problem;
use super::instances::{BOX_TOLERANCE, edge_outside};
use crate::counting::{EXEMPLAR_FIELDS, MIN_EXEMPLAR_SIDE, POINT_FIELDS};
use crate::dataset::{Dataset, Sample};

/// Counting problems of sample `index` (none unless [`Sample::is_counting`]), with the
/// image size `(width, height)` when it could be read.
///
/// Structure: `point_row`/`point_col` or the four `exemplar_*` fields set only in part or
/// with different lengths. Content: points and example-box coordinates that are not
/// finite; points more than [`BOX_TOLERANCE`] outside the image; example boxes that are
/// inverted, lower or narrower than [`MIN_EXEMPLAR_SIDE`], or extend more than
/// [`BOX_TOLERANCE`] outside the image. The example rule: a counting sample needs at
/// least one example box unless its ground truth says it holds no object (an empty
/// `point_row`, or no points and an empty `bbox_label_id`), since such an image has no
/// object of its own to show.
pub(super) fn counting_problems(
    ds: &Dataset,
    index: usize,
    s: &Sample,
    size: Option<(u32, u32)>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if !s.is_counting() {
        return out;
    }
    let file = Some(ds.image_path(s));
    let mut add = |field: &str, message: String| {
        out.push(Problem::sample(index, s, file.clone(), field, message));
    };
    let size = size.map(|(w, h)| (f64::from(w), f64::from(h)));
    let points = parallel(&POINT_FIELDS, &s.point_fields(), &mut add);
    let boxes = parallel(&EXEMPLAR_FIELDS, &s.exemplar_fields(), &mut add);
    if let Some([rows, cols]) = points {
        for (j, (&r, &c)) in rows.iter().zip(cols.iter()).enumerate() {
            if let Some((field, message)) = point_problem(r, c, size) {
                add(field, format!("point {j}: {message}"));
            }
        }
    }
    if let Some([r1, c1, r2, c2]) = boxes {
        for j in 0..r1.len() {
            if let Some((field, message)) = exemplar_problem([r1[j], c1[j], r2[j], c2[j]], size) {
                add(field, format!("example box {j}: {message}"));
            }
        }
    }
    let num_boxes = boxes.map_or(0, |b| b[0].len());
    // Example fields that do not fit together are reported above already.
    let boxes_readable = boxes.is_some() || s.exemplar_fields().iter().all(Option::is_none);
    let holds_nothing = match &s.point_row {
        Some(rows) => rows.is_empty(),
        None => s.bbox_label_id.as_ref().is_some_and(Vec::is_empty),
    };
    if num_boxes == 0 && !holds_nothing && boxes_readable {
        add(
            "exemplar_row1",
            "no example box (a counting image with objects needs at least one)".into(),
        );
    }
    out
}

/// The fields of one parallel group when all are set with equal lengths; `None` when
/// none is set, and when they do not fit together (each misfit reported through `add`).
fn parallel<'a, const N: usize>(
    names: &[&str; N],
    fields: &[Option<&'a Vec<f64>>; N],
    add: &mut impl FnMut(&str, String),
) -> Option<[&'a [f64]; N]> {
    let (first, first_name) = fields
        .iter()
        .zip(names)
        .find_map(|(f, n)| f.map(|f| (f, *n)))?;
    let mut fit = true;
    for (f, name) in fields.iter().zip(names) {
        match f {
            None => {
                fit = false;
                add(name, format!("missing, but {first_name} is set"));
            }
            Some(v) if v.len() != first.len() => {
                fit = false;
                add(
                    name,
                    format!("{} entries but {first_name} has {}", v.len(), first.len()),
                );
            }
            Some(_) => {}
        }
    }
    fit.then(|| fields.map(|f| f.map_or(&[][..], Vec::as_slice)))
}

/// What is wrong with the point `(row, col)` in an image of `size` `(w, h)`, with the
/// field at fault.
fn point_problem(row: f64, col: f64, size: Option<(f64, f64)>) -> Option<(&'static str, String)> {
    if !row.is_finite() {
        return Some(("point_row", format!("row {row} is not finite")));
    }
    if !col.is_finite() {
        return Some(("point_col", format!("col {col} is not finite")));
    }
    let (w, h) = size?;
    let t = BOX_TOLERANCE;
    let field = if row < -t || row > h + t {
        "point_row"
    } else if col < -t || col > w + t {
        "point_col"
    } else {
        return None;
    };
    Some((
        field,
        format!("(row {row}, col {col}) is more than {t} pixel outside the {w} x {h} image"),
    ))
}

/// What is wrong with the example box `[row1, col1, row2, col2]` in an image of `size`
/// `(w, h)`, with the field at fault.
fn exemplar_problem(b: [f64; 4], size: Option<(f64, f64)>) -> Option<(&'static str, String)> {
    let [row1, col1, row2, col2] = b;
    let shown = format!("(row1 {row1}, col1 {col1}, row2 {row2}, col2 {col2})");
    if let Some(i) = b.iter().position(|v| !v.is_finite()) {
        return Some((EXEMPLAR_FIELDS[i], format!("{shown} is not finite")));
    }
    for (field, lo, hi, what) in [
        ("exemplar_row2", row1, row2, "height"),
        ("exemplar_col2", col1, col2, "width"),
    ] {
        if hi - lo < MIN_EXEMPLAR_SIDE {
            return Some((
                field,
                format!(
                    "{shown} has {what} {} (at least {MIN_EXEMPLAR_SIDE} pixels needed)",
                    hi - lo
                ),
            ));
        }
    }
    let (w, h) = size?;
    let field = edge_outside(EXEMPLAR_FIELDS, b, (w, h))?;
    Some((
        field,
        format!("{shown} extends more than {BOX_TOLERANCE} pixel outside the {w} x {h} image"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_boxes() {
        let size = Some((100.0, 50.0));
        assert_eq!(point_problem(10.0, 99.5, size), None);
        assert_eq!(point_problem(60.0, 10.0, size).unwrap().0, "point_row");
        assert_eq!(point_problem(10.0, -2.0, size).unwrap().0, "point_col");
        assert_eq!(point_problem(f64::NAN, 1.0, None).unwrap().0, "point_row");
        assert_eq!(exemplar_problem([0.0, 0.0, 10.0, 10.0], size), None);
        let (field, message) = exemplar_problem([0.0, 0.0, 10.0, 3.0], size).unwrap();
        assert_eq!(field, "exemplar_col2");
        assert!(
            message.contains("width 3 (at least 4 pixels needed)"),
            "{message}"
        );
        assert_eq!(
            exemplar_problem([5.0, 0.0, 2.0, 10.0], None).unwrap().0,
            "exemplar_row2"
        );
        let (field, message) = exemplar_problem([40.0, 95.0, 52.0, 102.0], size).unwrap();
        assert_eq!(field, "exemplar_row2");
        assert!(message.contains("outside the 100 x 50 image"), "{message}");
    }
}
