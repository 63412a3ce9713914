//! One-to-one maximum matching of predicted positions to true points within a radius
//! (Hopcroft-Karp on the pairs a grid finds).

use std::collections::HashMap;

/// Marks a prediction without a layer in the current phase.
const UNREACHED: usize = usize::MAX;

/// Matches `predicted` positions to `truth` points one-to-one, each pair at most `radius`
/// apart (Euclidean, inclusive), with as many pairs as possible (a maximum matching, not
/// greedy nearest-first: a prediction that lies between two true points does not take
/// the one another prediction needs). Returns `(truth index, predicted index)` pairs,
/// sorted by truth index.
///
/// Candidate pairs come from a grid of cell size `radius` (each prediction looks at the
/// 3 x 3 cells around it), and the matching from Hopcroft-Karp, `O(E sqrt(V))`: thousands
/// of points take milliseconds. Candidates are tried nearest first, so among maximum
/// matchings one that pairs near points is found. A non-positive or non-finite `radius`,
/// and points with a non-finite coordinate, match nothing.
pub fn match_points(
    truth: &[(f64, f64)],
    predicted: &[(f64, f64)],
    radius: f64,
) -> Vec<(usize, usize)> {
    if !(radius.is_finite() && radius > 0.0) {
        return Vec::new();
    }
    let adjacency = candidates(truth, predicted, radius);
    let truth_of = maximum_matching(&adjacency, truth.len());
    let mut pairs: Vec<(usize, usize)> = truth_of
        .iter()
        .enumerate()
        .filter_map(|(p, t)| t.map(|t| (t, p)))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// For each prediction, the true points within `radius`, nearest first.
fn candidates(truth: &[(f64, f64)], predicted: &[(f64, f64)], radius: f64) -> Vec<Vec<usize>> {
    let cell = |(r, c): (f64, f64)| ((r / radius).floor() as i64, (c / radius).floor() as i64);
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (t, p) in truth.iter().enumerate().filter(|(_, p)| finite(p)) {
        grid.entry(cell(*p)).or_default().push(t);
    }
    let r2 = radius * radius;
    predicted
        .iter()
        .map(|p| {
            if !finite(p) {
                return Vec::new();
            }
            let (gr, gc) = cell(*p);
            let mut near: Vec<(f64, usize)> = Vec::new();
            for dr in -1..=1 {
                for dc in -1..=1 {
                    let key = (gr.saturating_add(dr), gc.saturating_add(dc));
                    for &t in grid.get(&key).into_iter().flatten() {
                        let d2 = (truth[t].0 - p.0).powi(2) + (truth[t].1 - p.1).powi(2);
                        if d2 <= r2 {
                            near.push((d2, t));
                        }
                    }
                }
            }
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near.into_iter().map(|(_, t)| t).collect()
        })
        .collect()
}

/// Hopcroft-Karp: a maximum matching of the left vertices (predictions, `adjacency[p]`
/// their right neighbours) to `num_right` right vertices (true points). Returns, for each
/// left vertex, its right partner.
fn maximum_matching(adjacency: &[Vec<usize>], num_right: usize) -> Vec<Option<usize>> {
    let n = adjacency.len();
    let mut right_of: Vec<Option<usize>> = vec![None; n];
    let mut left_of: Vec<Option<usize>> = vec![None; num_right];
    let mut layer = vec![UNREACHED; n];
    let mut next_edge = vec![0usize; n];
    while bfs_layers(adjacency, &right_of, &left_of, &mut layer) {
        next_edge.fill(0);
        for start in 0..n {
            if right_of[start].is_none() {
                augment(
                    start,
                    adjacency,
                    &mut right_of,
                    &mut left_of,
                    &layer,
                    &mut next_edge,
                );
            }
        }
    }
    right_of
}

/// Layers the left vertices by alternating-path distance from the free ones; whether a
/// free right vertex can be reached (an augmenting path exists).
fn bfs_layers(
    adjacency: &[Vec<usize>],
    right_of: &[Option<usize>],
    left_of: &[Option<usize>],
    layer: &mut [usize],
) -> bool {
    let mut queue = std::collections::VecDeque::new();
    for (u, partner) in right_of.iter().enumerate() {
        if partner.is_none() {
            layer[u] = 0;
            queue.push_back(u);
        } else {
            layer[u] = UNREACHED;
        }
    }
    let mut found = false;
    while let Some(u) = queue.pop_front() {
        for &v in &adjacency[u] {
            match left_of[v] {
                None => found = true,
                Some(w) if layer[w] == UNREACHED => {
                    layer[w] = layer[u] + 1;
                    queue.push_back(w);
                }
                Some(_) => {}
            }
        }
    }
    found
}

/// Looks for an augmenting path from the free left vertex `start` along the layers
/// (iteratively, so long paths need no deep recursion) and flips it; whether one was
/// found. `next_edge` remembers the edges already tried in this phase.
fn augment(
    start: usize,
    adjacency: &[Vec<usize>],
    right_of: &mut [Option<usize>],
    left_of: &mut [Option<usize>],
    layer: &[usize],
    next_edge: &mut [usize],
) -> bool {
    // The left vertices of the path so far, and the right vertex each one goes to.
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut u = start;
    loop {
        let Some(&v) = adjacency[u].get(next_edge[u]) else {
            // Dead end: no augmenting path through u in this phase; step back.
            let Some((prev, _)) = path.pop() else {
                return false;
            };
            next_edge[prev] += 1;
            u = prev;
            continue;
        };
        match left_of[v] {
            None => {
                path.push((u, v));
                for &(l, r) in &path {
                    right_of[l] = Some(r);
                    left_of[r] = Some(l);
                }
                return true;
            }
            Some(w) if layer[w] == layer[u].wrapping_add(1) => {
                path.push((u, v));
                u = w;
            }
            Some(_) => next_edge[u] += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size of a maximum matching by simple augmenting paths (Kuhn), for checking.
    fn kuhn(adjacency: &[Vec<usize>], num_right: usize) -> usize {
        fn try_augment(
            u: usize,
            adjacency: &[Vec<usize>],
            seen: &mut [bool],
            left_of: &mut [Option<usize>],
        ) -> bool {
            for &v in &adjacency[u] {
                if !seen[v] {
                    seen[v] = true;
                    if left_of[v].is_none_or(|w| try_augment(w, adjacency, seen, left_of)) {
                        left_of[v] = Some(u);
                        return true;
                    }
                }
            }
            false
        }
        let mut left_of = vec![None; num_right];
        (0..adjacency.len())
            .filter(|&u| try_augment(u, adjacency, &mut vec![false; num_right], &mut left_of))
            .count()
    }

    /// A small deterministic pseudo-random generator (xorshift) for test scatters.
    fn scatter(n: usize, seed: u64, extent: f64) -> Vec<(f64, f64)> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64 * extent
        };
        (0..n).map(|_| (next(), next())).collect()
    }

    #[test]
    fn maximum_beats_greedy_nearest_first() {
        // Truth at 0 and 1.5; predictions at 0.8 and 2.3, radius 1. Nearest first pairs
        // 0.8 with 1.5 (0.7 apart) and leaves 2.3 without a partner; the maximum
        // matching pairs 0.8 with 0 and 2.3 with 1.5.
        let truth = [(0.0, 0.0), (0.0, 1.5)];
        let predicted = [(0.0, 0.8), (0.0, 2.3)];
        assert_eq!(match_points(&truth, &predicted, 1.0), [(0, 0), (1, 1)]);
    }

    #[test]
    fn radius_is_inclusive_and_bad_input_matches_nothing() {
        let truth = [(0.0, 0.0), (f64::NAN, 1.0)];
        let predicted = [(3.0, 4.0), (0.0, 1.0)];
        assert_eq!(match_points(&truth, &predicted, 5.0), [(0, 0)]);
        assert!(match_points(&truth, &predicted, 4.9).len() == 1);
        assert!(match_points(&truth, &predicted, 0.0).is_empty());
        assert!(match_points(&truth, &predicted, f64::NAN).is_empty());
        assert!(match_points(&[], &predicted, 1.0).is_empty());
    }

    #[test]
    fn agrees_with_simple_augmenting_paths() {
        for seed in 1..40u64 {
            let truth = scatter(60, seed, 50.0);
            let predicted = scatter(55, seed * 7919, 50.0);
            let radius = 2.0 + (seed % 5) as f64;
            let pairs = match_points(&truth, &predicted, radius);
            let adjacency = candidates(&truth, &predicted, radius);
            assert_eq!(pairs.len(), kuhn(&adjacency, truth.len()), "seed {seed}");
            // One-to-one and within the radius.
            let mut used_t = vec![false; truth.len()];
            let mut used_p = vec![false; predicted.len()];
            for &(t, p) in &pairs {
                assert!(!used_t[t] && !used_p[p]);
                used_t[t] = true;
                used_p[p] = true;
                let d = ((truth[t].0 - predicted[p].0).powi(2)
                    + (truth[t].1 - predicted[p].1).powi(2))
                .sqrt();
                assert!(d <= radius);
            }
        }
    }

    #[test]
    fn thousands_of_points_are_fast() {
        let truth = scatter(3000, 11, 1000.0);
        let predicted: Vec<(f64, f64)> = truth
            .iter()
            .zip(scatter(3000, 12, 4.0))
            .map(|(t, j)| (t.0 + j.0 - 2.0, t.1 + j.1 - 2.0))
            .collect();
        let start = std::time::Instant::now();
        let pairs = match_points(&truth, &predicted, 6.0);
        let took = start.elapsed();
        let adjacency = candidates(&truth, &predicted, 6.0);
        assert_eq!(pairs.len(), kuhn(&adjacency, truth.len()));
        assert!(pairs.len() > 2900, "{}", pairs.len());
        assert!(took.as_secs_f64() < 2.0, "{took:?}");
    }
}
