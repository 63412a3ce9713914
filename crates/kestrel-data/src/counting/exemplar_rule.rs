//! The rule that makes example boxes from dot annotations.

use super::{MIN_EXEMPLAR_SIDE, seeded_order};

/// The side of a rule-made example box as a fraction of the median distance between
/// neighbouring dots.
pub const EXEMPLAR_SIDE_FACTOR: f64 = 0.7;

/// Example boxes `[row1, col1, row2, col2]` made from the dots `points` (`(row, col)`) of
/// a `width` x `height` image: square boxes centred on `n` of the dots.
///
/// - **Size**: side = [`EXEMPLAR_SIDE_FACTOR`] (0.7) × the median, over all dots, of the
///   distance from a dot to its *nearest other dot* (its neighbour); the median of an
///   even number of distances is the mean of the middle two. The side is at least
///   [`MIN_EXEMPLAR_SIDE`] and at most the image's smaller dimension.
/// - **Choice**: the dots are put in an order that depends only on `seed` (ChaCha8 +
///   Fisher-Yates, the same on every platform); the first `n` dots in that order whose
///   box lies wholly inside the image are taken.
/// - **Border**: when fewer than `n` boxes fit, the first remaining dots in the order
///   complete the set, each box moved inwards just enough to lie inside the image (so it
///   is no longer centred on its dot, but keeps its size).
///
/// Returns `min(n, points.len())` boxes in the chosen order, and none when there are
/// fewer than two dots (no neighbour distance to size them by). Neighbours are found by a
/// sweep over the dots sorted by column, fast for the thousands of dots of a crowd.
/// Non-finite points are not expected (validate first); they give no neighbour distance.
pub fn exemplars_from_points(
    points: &[(f64, f64)],
    width: u32,
    height: u32,
    seed: u64,
    n: usize,
) -> Vec<[f64; 4]> {
    let (w, h) = (f64::from(width), f64::from(height));
    let Some(median) = median(nearest_neighbour_distances(points)) else {
        return Vec::new();
    };
    let side = (EXEMPLAR_SIDE_FACTOR * median)
        .max(MIN_EXEMPLAR_SIDE)
        .min(w.min(h));
    let half = side / 2.0;
    let fits =
        |&(r, c): &(f64, f64)| r - half >= 0.0 && c - half >= 0.0 && r + half <= h && c + half <= w;
    let order = seeded_order(points.len(), seed);
    let inside = order.iter().filter(|&&i| fits(&points[i]));
    let outside = order.iter().filter(|&&i| !fits(&points[i]));
    inside
        .chain(outside)
        .take(n)
        .map(|&i| {
            let (r, c) = points[i];
            let (row1, row2) = span(r, side, h);
            let (col1, col2) = span(c, side, w);
            [row1, col1, row2, col2]
        })
        .collect()
}

/// The interval of length `side` centred on `centre`, moved inwards to lie in
/// `[0, extent]` (`side <= extent`).
fn span(centre: f64, side: f64, extent: f64) -> (f64, f64) {
    let lo = (centre - side / 2.0).clamp(0.0, (extent - side).max(0.0));
    (lo, lo + side)
}

/// For each point, the distance to its nearest other point (none for fewer than two
/// points). The points are swept in column order; the search around a point stops once
/// the column distance alone exceeds the best distance found.
fn nearest_neighbour_distances(points: &[(f64, f64)]) -> Vec<f64> {
    if points.len() < 2 {
        return Vec::new();
    }
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
    (0..sorted.len())
        .filter_map(|k| {
            let here = sorted[k];
            let best = closest(here, f64::INFINITY, sorted[k + 1..].iter());
            let best = closest(here, best, sorted[..k].iter().rev());
            best.is_finite().then(|| best.sqrt())
        })
        .collect()
}

/// The smaller of `best` and the squared distances from `(r, c)` to `others`, which move
/// away from `c` in column order: the walk stops once the column distance alone is too
/// large, since every further point is farther still.
fn closest<'a>(
    (r, c): (f64, f64),
    mut best: f64,
    others: impl Iterator<Item = &'a (f64, f64)>,
) -> f64 {
    for &(ro, co) in others {
        let dc = co - c;
        if dc * dc > best {
            break;
        }
        best = best.min(dc * dc + (ro - r) * (ro - r));
    }
    best
}

/// The median of `values` (mean of the middle two for an even number), `None` when empty.
fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[m - 1] + values[m]) / 2.0
    } else {
        values[m]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest-neighbour distances by comparing every pair.
    fn brute_force(points: &[(f64, f64)]) -> Vec<f64> {
        let mut out: Vec<f64> = points
            .iter()
            .enumerate()
            .map(|(i, a)| {
                points
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, b)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        out.sort_by(f64::total_cmp);
        out
    }

    #[test]
    fn sweep_finds_the_nearest_neighbours() {
        // A deterministic scatter with repeated columns and a duplicate point.
        let mut points: Vec<(f64, f64)> = (0..500u32)
            .map(|i| (f64::from((i * 7919) % 613), f64::from((i * 104_729) % 211)))
            .collect();
        points.push(points[3]);
        let mut fast = nearest_neighbour_distances(&points);
        fast.sort_by(f64::total_cmp);
        assert_eq!(fast, brute_force(&points));
        assert!(nearest_neighbour_distances(&points[..1]).is_empty());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn boxes_are_sized_by_the_median_neighbour_distance() {
        // A 10-pixel grid of dots: every nearest neighbour is 10 away, side 7.
        let points: Vec<(f64, f64)> = (0..5)
            .flat_map(|r| {
                (0..5).map(move |c| (15.0 + 10.0 * f64::from(r), 15.0 + 10.0 * f64::from(c)))
            })
            .collect();
        let boxes = exemplars_from_points(&points, 100, 80, 42, 3);
        assert_eq!(boxes.len(), 3);
        for b in &boxes {
            assert!((b[2] - b[0] - 7.0).abs() < 1e-12 && (b[3] - b[1] - 7.0).abs() < 1e-12);
            let centre = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
            assert!(points.contains(&centre), "{b:?}");
        }
        assert_eq!(boxes, exemplars_from_points(&points, 100, 80, 42, 3));
        assert_ne!(boxes, exemplars_from_points(&points, 100, 80, 7, 3));
        assert_eq!(exemplars_from_points(&points, 100, 80, 42, 100).len(), 25);
        assert!(exemplars_from_points(&points[..1], 100, 80, 42, 3).is_empty());
    }

    #[test]
    fn border_boxes_come_last_and_are_moved_inside() {
        // Neighbour distances 20, 20, 29: side 14. Only the third dot's box fits.
        let points = [(1.0, 1.0), (1.0, 21.0), (30.0, 21.0)];
        let boxes = exemplars_from_points(&points, 40, 40, 42, 3);
        assert_eq!(boxes[0], [23.0, 14.0, 37.0, 28.0]);
        for b in &boxes {
            assert!(
                b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= 40.0 && b[3] <= 40.0,
                "{b:?}"
            );
        }
        assert!(boxes.contains(&[0.0, 0.0, 14.0, 14.0]));
        assert!(boxes.contains(&[0.0, 14.0, 14.0, 28.0]));
        // Tiny spacing: the side is raised to the minimum.
        let close = [(10.0, 10.0), (10.0, 11.0), (10.0, 12.0)];
        let b = exemplars_from_points(&close, 40, 40, 42, 1)[0];
        assert_eq!(b[2] - b[0], MIN_EXEMPLAR_SIDE);
    }
}
