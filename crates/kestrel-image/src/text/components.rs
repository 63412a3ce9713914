//! 8-connected components of a thresholded probability map, by run-length labelling with
//! union-find: one pass over the map, no recursion, memory proportional to the number of
//! runs.

/// A horizontal run of text pixels: columns `x0..x1` of row `y`.
#[derive(Debug, Clone, Copy)]
struct Run {
    y: u32,
    x0: u32,
    x1: u32,
    sum: f64,
}

/// One 8-connected component of the text pixels.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Component {
    /// Number of pixels.
    pub pixels: u64,
    /// Sum of their probabilities.
    pub sum: f64,
    /// For every row the component touches, top to bottom: `(y, x0, x1)` with `x0` the
    /// leftmost column and `x1` one past the rightmost (its outline, holes and gaps
    /// within a row ignored).
    pub rows: Vec<(u32, u32, u32)>,
}

impl Component {
    /// The corners of the pixel squares on the component's outline, `(x, y)` in
    /// continuous coordinates (pixel `(x, y)` covers `[x, x + 1) x [y, y + 1)`): enough
    /// for its convex hull.
    pub fn outline_corners(&self) -> Vec<(f64, f64)> {
        let mut points = Vec::with_capacity(4 * self.rows.len());
        for &(y, x0, x1) in &self.rows {
            let (y, x0, x1) = (f64::from(y), f64::from(x0), f64::from(x1));
            points.extend([(x0, y), (x0, y + 1.0), (x1, y), (x1, y + 1.0)]);
        }
        points
    }
}

/// The 8-connected components of the pixels of the `width x height` row-major map
/// `probabilities` that are above `threshold`, in the order of their first pixel in
/// a row-by-row scan. `probabilities` must hold `width * height` values.
pub(crate) fn components(
    probabilities: &[f32],
    width: usize,
    height: usize,
    threshold: f32,
) -> Vec<Component> {
    debug_assert_eq!(probabilities.len(), width * height);
    let runs = find_runs(probabilities, width, height, threshold);
    let mut parent: Vec<u32> = (0..runs.len() as u32).collect();
    // Runs of the previous row: `prev..row_start`; of this row: `row_start..i`.
    let (mut prev, mut row_start) = (0usize, 0usize);
    for i in 0..runs.len() {
        let r = runs[i];
        if i == 0 || runs[i - 1].y != r.y {
            let above_exists = i > 0 && runs[i - 1].y + 1 == r.y;
            prev = if above_exists { row_start } else { i };
            row_start = i;
        }
        // Skip runs above that end before the column left of this run's first pixel;
        // they cannot touch this run or any later one in the row.
        while prev < row_start && runs[prev].x1 < r.x0 {
            prev += 1;
        }
        let mut k = prev;
        // 8-connected: a run above touches when it starts at most one column after
        // this run's last pixel.
        while k < row_start && runs[k].x0 <= r.x1 {
            union(&mut parent, i as u32, k as u32);
            k += 1;
        }
    }
    collect(&runs, &mut parent)
}

/// The runs of pixels above `threshold`, row by row, left to right.
fn find_runs(probabilities: &[f32], width: usize, height: usize, threshold: f32) -> Vec<Run> {
    let mut runs = Vec::new();
    for y in 0..height {
        let row = &probabilities[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] > threshold {
                let x0 = x;
                let mut sum = 0.0;
                while x < width && row[x] > threshold {
                    sum += f64::from(row[x]);
                    x += 1;
                }
                runs.push(Run {
                    y: y as u32,
                    x0: x0 as u32,
                    x1: x as u32,
                    sum,
                });
            } else {
                x += 1;
            }
        }
    }
    runs
}

/// The root of `i`'s set, halving the path on the way.
fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let grand = parent[parent[i as usize] as usize];
        parent[i as usize] = grand;
        i = grand;
    }
    i
}

/// Merges the sets of `a` and `b`; the smaller root (the earlier run) stays the root.
fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi as usize] = lo;
    }
}

/// Gathers the runs into components, numbered by their first run.
fn collect(runs: &[Run], parent: &mut [u32]) -> Vec<Component> {
    const NONE: u32 = u32::MAX;
    let mut index_of_root = vec![NONE; runs.len()];
    let mut out: Vec<Component> = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        let root = find(parent, i as u32) as usize;
        if index_of_root[root] == NONE {
            index_of_root[root] = out.len() as u32;
            out.push(Component {
                pixels: 0,
                sum: 0.0,
                rows: Vec::new(),
            });
        }
        let c = &mut out[index_of_root[root] as usize];
        c.pixels += u64::from(r.x1 - r.x0);
        c.sum += r.sum;
        // Runs come row by row, so a component's rows come in order.
        match c.rows.last_mut() {
            Some(last) if last.0 == r.y => {
                last.1 = last.1.min(r.x0);
                last.2 = last.2.max(r.x1);
            }
            _ => c.rows.push((r.y, r.x0, r.x1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map from text art: `#` is 1, anything else 0.
    fn map(art: &[&str]) -> (Vec<f32>, usize, usize) {
        let (w, h) = (art[0].len(), art.len());
        let data = art
            .iter()
            .flat_map(|row| row.bytes().map(|b| if b == b'#' { 1.0 } else { 0.0 }))
            .collect();
        (data, w, h)
    }

    fn sizes(art: &[&str]) -> Vec<u64> {
        let (data, w, h) = map(art);
        components(&data, w, h, 0.5)
            .iter()
            .map(|c| c.pixels)
            .collect()
    }

    #[test]
    fn diagonal_neighbours_connect_and_gaps_separate() {
        assert_eq!(sizes(&["#...", ".#..", "..#.", "...#"]), vec![4]);
        assert_eq!(sizes(&["#.#.", "....", "#..#"]), vec![1, 1, 1, 1]);
        // A U shape: two runs in the first rows joined by the bottom one.
        assert_eq!(sizes(&["#..#", "#..#", "####"]), vec![8]);
        // An anti-diagonal, where the run above starts right of this one.
        assert_eq!(sizes(&["...#", "..#.", ".#..", "#..."]), vec![4]);
        // A spiral needs merges of sets that already have several runs.
        assert_eq!(
            sizes(&["#####", "#...#", "#.#.#", "#.###", "#...."]),
            vec![15]
        );
        assert_eq!(sizes(&["....", "...."]), Vec::<u64>::new());
        assert_eq!(sizes(&["##", "##"]), vec![4]);
    }

    #[test]
    fn rows_hold_outline_extents_and_sums() {
        let (data, w, h) = map(&[".##.#", "#####", "....."]);
        let c = components(&data, w, h, 0.5);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].rows, vec![(0, 1, 5), (1, 0, 5)]);
        assert_eq!(c[0].sum, 8.0);
        assert_eq!(c[0].outline_corners().len(), 8);
    }

    #[test]
    fn skipped_row_starts_fresh() {
        let (data, w, h) = map(&["##", "..", "##"]);
        assert_eq!(components(&data, w, h, 0.5).len(), 2);
    }
}
