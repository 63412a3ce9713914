//! Anomaly detection metrics against hand-worked examples and reference values from
//! scikit-learn 1.9.1 and the MVTec AD evaluation code (`compute_pro` + `trapezoid`).

use kestrel_metrics::{
    AnomalyMap, MetricsError, RocCurve, best_f1_threshold, binary_at_threshold, connected_regions,
    pixel_roc_auc, pixel_roc_curve, pro_auc, roc_auc, roc_curve,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// The generator the reference values were computed with (same in Python).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn roc_auc_of_the_scikit_learn_doc_example() {
    // Positives score 0.35 and 0.8, negatives 0.1 and 0.4. Of the 2 x 2 (positive,
    // negative) pairs, 0.8 beats both, 0.35 beats 0.1 but not 0.4: 3 / 4.
    let scores = [0.1, 0.4, 0.35, 0.8];
    let labels = [false, false, true, true];
    assert!(close(roc_auc(&scores, &labels).unwrap(), 0.75));

    // Thresholds from the top: inf (nothing positive), 0.8 (tp 1), 0.4 (+fp), 0.35 (+tp),
    // 0.1 (+fp); P = N = 2. scikit-learn: fpr [0 0 .5 .5 1], tpr [0 .5 .5 1 1].
    let curve = roc_curve(&scores, &labels).unwrap();
    assert_eq!(curve.fpr, [0.0, 0.0, 0.5, 0.5, 1.0]);
    assert_eq!(curve.tpr, [0.0, 0.5, 0.5, 1.0, 1.0]);
    assert_eq!(curve.thresholds, [f32::INFINITY, 0.8, 0.4, 0.35, 0.1]);
    assert_eq!((curve.positives, curve.negatives), (2, 2));
    assert!(close(curve.auc(), 0.75));
}

#[test]
fn tied_scores_form_one_diagonal_step() {
    // labels: 0 1 0 1 1 0, scores: .2 .5 .5 .9 .2 .1   (P = N = 3)
    // Distinct thresholds: .9 (tp 1, fp 0), .5 (tp 2, fp 1), .2 (tp 3, fp 2), .1 (3, 3).
    // Points (fpr, tpr): (0,0) (0,1/3) (1/3,2/3) (2/3,1) (1,1); trapezoids:
    //   [0, 1/3]:   (1/3 + 2/3)/2 · 1/3 = 1/6
    //   [1/3, 2/3]: (2/3 + 1)/2 · 1/3   = 5/18
    //   [2/3, 1]:   (1 + 1)/2 · 1/3     = 1/3       → 14/18 = 7/9
    // (pairs: .9 beats 3, .5 beats 2 and ties 1, .2 beats 1 and ties 1 → 7/9.)
    // scikit-learn gives 0.7777777777777778.
    let labels = [false, true, false, true, true, false];
    let scores = [0.2, 0.5, 0.5, 0.9, 0.2, 0.1];
    assert!(close(roc_auc(&scores, &labels).unwrap(), 7.0 / 9.0));
    let curve = roc_curve(&scores, &labels).unwrap();
    assert_eq!(curve.thresholds, [f32::INFINITY, 0.9, 0.5, 0.2, 0.1]);
    assert_eq!(curve.len(), 5);
    // -0.0 and 0.0 tie like in floating point comparison.
    let auc = roc_auc(&[-0.0, 0.0], &[true, false]).unwrap();
    assert!(close(auc, 0.5));
}

#[test]
fn roc_auc_matches_scikit_learn_and_pair_counting_on_random_data() {
    let mut g = Lcg(42);
    let n = 2000;
    let raw: Vec<f32> = (0..n).map(|_| (g.next() % 97) as f32 / 64.0).collect();
    let labels: Vec<bool> = (0..n).map(|_| g.next().is_multiple_of(3)).collect();
    let scores: Vec<f32> = raw
        .iter()
        .zip(&labels)
        .map(|(&s, &l)| if l { s + 0.25 } else { s })
        .collect();
    let auc = roc_auc(&scores, &labels).unwrap();
    assert!((auc - 0.635_886_475_728_995_5).abs() < 1e-12, "{auc}");
    // O(n²) Mann-Whitney count: a win counts 2, a tie 1.
    let (mut twice, mut pairs) = (0u64, 0u64);
    for (&sp, _) in scores.iter().zip(&labels).filter(|(_, l)| **l) {
        for (&sn, _) in scores.iter().zip(&labels).filter(|(_, l)| !**l) {
            twice += if sp > sn { 2 } else { u64::from(sp == sn) };
            pairs += 1;
        }
    }
    assert!(close(auc, twice as f64 / (2 * pairs) as f64));
    let curve = roc_curve(&scores, &labels).unwrap();
    assert!((curve.auc() - auc).abs() < 1e-12);

    // Downsampling keeps the ends and the shape.
    let small = curve.downsample(20);
    assert!(small.len() <= 20 && small.len() >= 2, "{}", small.len());
    assert_eq!((small.fpr[0], small.tpr[0]), (0.0, 0.0));
    assert_eq!(
        (*small.fpr.last().unwrap(), *small.tpr.last().unwrap()),
        (1.0, 1.0)
    );
    assert!((small.auc() - auc).abs() < 0.05);
    assert_eq!(curve.downsample(100_000), curve);
}

#[test]
fn roc_rejects_bad_input() {
    let err = roc_auc(&[0.1, 0.2], &[true, true]).unwrap_err();
    assert!(matches!(err, MetricsError::Undefined(_)), "{err:?}");
    let err = roc_auc(&[0.1, 0.2], &[false, false]).unwrap_err();
    assert!(matches!(err, MetricsError::Undefined(_)), "{err:?}");
    assert!(matches!(
        roc_auc(&[], &[]).unwrap_err(),
        MetricsError::Undefined(_)
    ));
    let err = roc_auc(&[0.1, f32::NAN], &[true, false]).unwrap_err();
    assert!(
        matches!(err, MetricsError::NonFinite { index: 1, .. }),
        "{err:?}"
    );
    let err = roc_curve(&[0.1, 0.2], &[true]).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
}

#[test]
fn roc_curve_round_trips_through_json() {
    let curve = roc_curve(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
    let json = serde_json::to_string(&curve).unwrap();
    assert!(json.contains("\"thresholds\":[null,0.8,"), "{json}");
    let back: RocCurve = serde_json::from_str(&json).unwrap();
    assert_eq!(back, curve);
}

#[test]
fn connected_regions_use_8_connectivity() {
    // 1 0 0 0
    // 0 1 0 0      the diagonal pair is one region (8-connected),
    // 0 0 0 1      the vertical pair at the right another
    // 0 0 0 1
    let mask = mask4x4();
    let regions = connected_regions(&mask, 4, 4).unwrap();
    assert_eq!(regions.count(), 2);
    assert_eq!(regions.sizes, [2, 2]);
    #[rustfmt::skip]
    let expected = [
        1, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 2,
        0, 0, 0, 2,
    ];
    assert_eq!(regions.labels, expected);
    assert!(connected_regions(&mask, 4, 3).is_err());
    assert_eq!(connected_regions(&[], 0, 0).unwrap().count(), 0);
}

#[rustfmt::skip]
fn mask4x4() -> Vec<bool> {
    [
        1, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 1,
        0, 0, 0, 1,
    ]
    .iter()
    .map(|&v| v == 1)
    .collect()
}

#[rustfmt::skip]
const SCORES4X4: [f32; 16] = [
    0.9, 0.1, 0.1, 0.1,
    0.1, 0.5, 0.1, 0.6,
    0.1, 0.1, 0.1, 0.7,
    0.3, 0.1, 0.1, 0.3,
];

#[test]
fn pro_of_a_hand_worked_4x4_map() {
    // Regions (see `connected_regions_use_8_connectivity`): A = {(0,0) .9, (1,1) .5},
    // B = {(3,2) .7, (3,3) .3}, each of 2 pixels. 12 normal pixels: (3,1) .6, (0,3) .3,
    // ten of .1. Sweep of the distinct scores (PRO = mean of the two overlaps):
    //   t = .9: A 1/2, B 0    → PRO .25, FP 0 → FPR 0
    //   t = .7: A 1/2, B 1/2  → PRO .5,  FPR 0
    //   t = .6: FP 1          → PRO .5,  FPR 1/12
    //   t = .5: A 1           → PRO .75, FPR 1/12
    //   t = .3: B 1, FP 2     → PRO 1,   FPR 2/12   (B's pixel ties a normal pixel)
    //   t = .1: FP 12         → PRO 1,   FPR 1
    // Trapezoids up to FPR 0.3:
    //   [0, 1/12]     at .5          → 1/24 = 4/96
    //   [1/12, 1/6]   .75 → 1        → 1/12 · 1.75/2 = 7/96
    //   [1/6, 0.3]    at 1           → 0.3 − 1/6 = 2/15
    //   sum = 11/96 + 2/15 = 119/480;  / 0.3 → 119/144 = 0.826388…
    let mask = mask4x4();
    let map = AnomalyMap::new(4, 4, &SCORES4X4, Some(&mask)).unwrap();
    let pro = pro_auc(&[map], 0.3).unwrap();
    assert!(close(pro, 119.0 / 144.0), "{pro}");

    // Up to FPR 1/8, halfway through [1/12, 1/6]: PRO there is interpolated as .875.
    //   1/24 + (1/8 − 1/12) · (.75 + .875)/2 = 1/24 · 1.8125;  / (1/8) → 1.8125/3 = 29/48
    let pro = pro_auc(&[map], 0.125).unwrap();
    assert!(close(pro, 29.0 / 48.0), "{pro}");
}

#[test]
fn pro_counts_false_positives_on_defect_free_images() {
    // The 4x4 map plus a defect-free 2x2 map [.65 0 0 0]: 16 normal pixels.
    //   t = .9 PRO .25 FPR 0;  .7 PRO .5 FPR 0;  .65 FPR 1/16;  .6 FPR 2/16;
    //   .5 PRO .75;  .3 PRO 1, FPR 3/16;  .1 FPR 13/16;  0 FPR 1.
    //   [0, 2/16] at .5 → 1/16;  [2/16, 3/16] .75 → 1 → 1.75/32;  [3/16, .3] at 1 → .1125
    //   sum = 0.0625 + 0.0546875 + 0.1125 = 0.2296875;  / 0.3 = 0.765625 = 49/64
    let mask = mask4x4();
    let good = [0.65, 0.0, 0.0, 0.0];
    let maps = [
        AnomalyMap::new(4, 4, &SCORES4X4, Some(&mask)).unwrap(),
        AnomalyMap::new(2, 2, &good, None).unwrap(),
    ];
    let pro = pro_auc(&maps, 0.3).unwrap();
    assert!(close(pro, 49.0 / 64.0), "{pro}");
}

#[test]
fn perfect_and_inverted_detectors() {
    let mask = mask4x4();
    let perfect: Vec<f32> = mask.iter().map(|&m| if m { 1.0 } else { 0.0 }).collect();
    let map = AnomalyMap::new(4, 4, &perfect, Some(&mask)).unwrap();
    assert!(close(pro_auc(&[map], 0.3).unwrap(), 1.0));
    assert!(close(pixel_roc_auc(&[map]).unwrap(), 1.0));
    let inverted: Vec<f32> = perfect.iter().map(|s| 1.0 - s).collect();
    let map = AnomalyMap::new(4, 4, &inverted, Some(&mask)).unwrap();
    // PRO stays 0 until every normal pixel (FPR 1) is called anomalous.
    assert!(close(pro_auc(&[map], 0.3).unwrap(), 0.0));
    assert!(close(pixel_roc_auc(&[map]).unwrap(), 0.0));
}

#[test]
fn pixel_roc_auc_of_the_4x4_map() {
    // Positives .9 .5 .7 .3; negatives .6 .3 and ten .1 (48 pairs):
    //   .9 beats 12, .7 beats 12, .5 beats 11 (not .6), .3 beats 10 and ties 1 → 45.5/48.
    let mask = mask4x4();
    let map = AnomalyMap::new(4, 4, &SCORES4X4, Some(&mask)).unwrap();
    assert!(close(pixel_roc_auc(&[map]).unwrap(), 45.5 / 48.0));
    let curve = pixel_roc_curve(&[map]).unwrap();
    assert_eq!((curve.positives, curve.negatives), (4, 12));
    assert!(close(curve.auc(), 45.5 / 48.0));
}

/// Width, height, scores and mask of a generated map.
type RandomMap = (usize, usize, Vec<f32>, Option<Vec<bool>>);

/// Three 24x20 / 17x13 maps with scattered defects plus a rectangle, and a defect-free
/// 10x8 map, generated as in the Python reference script.
fn random_maps() -> Vec<RandomMap> {
    let mut g = Lcg(7);
    let mut out = Vec::new();
    for (w, h, defect) in [
        (24, 20, true),
        (24, 20, true),
        (17, 13, true),
        (10, 8, false),
    ] {
        let mut gt = vec![false; w * h];
        if defect {
            for v in gt.iter_mut() {
                *v = g.next() % 100 < 7;
            }
            let x0 = (g.next() % (w as u64 - 6)) as usize;
            let y0 = (g.next() % (h as u64 - 5)) as usize;
            for y in y0..y0 + 4 {
                for x in x0..x0 + 5 {
                    gt[y * w + x] = true;
                }
            }
        }
        let scores = gt
            .iter()
            .map(|&d| (g.next() % 64 + if d { 24 } else { 0 }) as f32 / 64.0)
            .collect();
        out.push((w, h, scores, defect.then_some(gt)));
    }
    out
}

#[test]
fn pro_and_pixel_auc_match_the_reference_on_random_maps() {
    let data = random_maps();
    let maps: Vec<AnomalyMap<'_>> = data
        .iter()
        .map(|(w, h, s, m)| AnomalyMap::new(*w, *h, s, m.as_deref()).unwrap())
        .collect();
    let counts: Vec<usize> = data
        .iter()
        .map(|(w, h, _, m)| {
            m.as_ref()
                .map_or(0, |m| connected_regions(m, *w, *h).unwrap().count())
        })
        .collect();
    assert_eq!(counts, [27, 24, 9, 0], "scipy.ndimage.label region counts");
    // MVTec AD compute_pro (fprs kept in f64) + trapezoid, divided by the limit.
    for (limit, expected) in [
        (0.3, 0.479_727_902_531_430_5),
        (0.05, 0.344_908_005_729_073_3),
        (1.0, 0.787_275_493_132_572_6),
    ] {
        let pro = pro_auc(&maps, limit).unwrap();
        assert!(
            (pro - expected).abs() < 1e-12,
            "{limit}: {pro} vs {expected}"
        );
    }
    let auc = pixel_roc_auc(&maps).unwrap();
    assert!((auc - 0.800_469_756_217_171_9).abs() < 1e-12, "{auc}");
}

#[test]
fn pro_rejects_bad_input() {
    let mask = mask4x4();
    let map = AnomalyMap::new(4, 4, &SCORES4X4, Some(&mask)).unwrap();
    for limit in [0.0, -0.1, 1.5, f64::NAN] {
        let err = pro_auc(&[map], limit).unwrap_err();
        assert!(matches!(err, MetricsError::InvalidArgument(_)), "{err:?}");
    }
    assert!(matches!(
        pro_auc(&[], 0.3).unwrap_err(),
        MetricsError::Empty(_)
    ));
    let good = AnomalyMap::new(4, 4, &SCORES4X4, None).unwrap();
    assert!(matches!(
        pro_auc(&[good], 0.3).unwrap_err(),
        MetricsError::Undefined(_)
    ));
    let all = vec![true; 16];
    let all_defect = AnomalyMap::new(4, 4, &SCORES4X4, Some(&all)).unwrap();
    assert!(matches!(
        pro_auc(&[all_defect], 0.3).unwrap_err(),
        MetricsError::Undefined(_)
    ));
    assert!(matches!(
        AnomalyMap::new(4, 3, &SCORES4X4, None).unwrap_err(),
        MetricsError::LengthMismatch { .. }
    ));
    let mut bad = SCORES4X4;
    bad[5] = f32::NAN;
    let map = AnomalyMap {
        width: 4,
        height: 4,
        scores: &bad,
        mask: Some(&mask),
    };
    let err = pro_auc(&[map], 0.3).unwrap_err();
    assert!(
        matches!(err, MetricsError::NonFinite { index: 5, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("maps[0].scores"), "{err}");
}

#[test]
fn decisions_at_a_threshold() {
    // scores .1 .4 .35 .8, labels F F T T, threshold .35: called positive .4 .35 .8
    //   tp 2 (.35 .8), fp 1 (.4), fn 0, tn 1 (.1)
    //   precision 2/3, recall 1, F1 2·2/(2·2 + 1 + 0) = 0.8, accuracy 3/4, FPR 1/2
    let scores = [0.1, 0.4, 0.35, 0.8];
    let labels = [false, false, true, true];
    let c = binary_at_threshold(&scores, &labels, 0.35).unwrap();
    assert_eq!((c.tp, c.fp, c.fn_, c.tn), (2, 1, 0, 1));
    assert!(close(c.precision(), 2.0 / 3.0));
    assert!(close(c.recall(), 1.0));
    assert!(close(c.f1(), 0.8));
    assert!(close(c.accuracy(), 0.75));
    assert!(close(c.fpr(), 0.5));
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(json, r#"{"tp":2,"fp":1,"fn":0,"tn":1}"#);
    // Nothing called positive: precision 0 by convention.
    let none = binary_at_threshold(&scores, &labels, 0.9).unwrap();
    assert_eq!((none.tp, none.fp, none.fn_, none.tn), (0, 0, 2, 2));
    assert_eq!(none.precision(), 0.0);
    assert!(binary_at_threshold(&scores, &labels[..3], 0.5).is_err());
}

#[test]
fn best_f1_threshold_sweeps_the_scores() {
    // Same data, P = 2. F1 = 2 tp / (tp + fp + P) per threshold:
    //   .8: tp 1 fp 0 → 2/3;  .4: tp 1 fp 1 → 1/2;  .35: tp 2 fp 1 → 4/5;  .1: 4/6
    let (t, f1) = best_f1_threshold(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
    assert_eq!(t, 0.35);
    assert!(close(f1, 0.8));
    let counts = binary_at_threshold(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true], t);
    assert!(close(counts.unwrap().f1(), f1));

    // A tie: labels T F F T at .9 .8 .7 .6 → .9: 2/3, .8: 1/2, .7: 2/5, .6: 4/6 = 2/3.
    // The higher threshold wins.
    let (t, f1) = best_f1_threshold(&[0.9, 0.8, 0.7, 0.6], &[true, false, false, true]).unwrap();
    assert_eq!(t, 0.9);
    assert!(close(f1, 2.0 / 3.0));

    let err = best_f1_threshold(&[0.1, 0.2], &[false, false]).unwrap_err();
    assert!(matches!(err, MetricsError::Undefined(_)), "{err:?}");
}
