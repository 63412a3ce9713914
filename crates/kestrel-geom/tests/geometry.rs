//! Rotated and axis-aligned IoU, convex hull, minimum-area rectangle and RLE round trips.

use kestrel_geom::{
    AxisBox, CocoRle, Rle, RotatedBox, convex_hull, min_area_rect, polygon_area, rotated_iou,
};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, FRAC_PI_6, SQRT_2};

fn rect(row: f64, col: f64, phi: f64, length1: f64, length2: f64) -> RotatedBox {
    RotatedBox {
        row,
        col,
        phi,
        length1,
        length2,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn identical_and_disjoint() {
    let a = rect(3.0, 4.0, 0.7, 2.0, 1.0);
    assert!(close(rotated_iou(a, a), 1.0));
    let far = rect(30.0, 40.0, 0.7, 2.0, 1.0);
    assert_eq!(rotated_iou(a, far), 0.0);
    assert_eq!(rotated_iou(a, rect(3.0, 4.0, 0.0, 0.0, 1.0)), 0.0);
    assert_eq!(rotated_iou(a, rect(f64::NAN, 4.0, 0.0, 1.0, 1.0)), 0.0);
    // The same rectangle described with the other axis as length1.
    let swapped = rect(3.0, 4.0, 0.7 + std::f64::consts::FRAC_PI_2, 1.0, 2.0);
    assert!(close(rotated_iou(a, swapped), 1.0));
}

#[test]
fn square_and_its_45_degree_rotation() {
    // A unit square (half lengths 1/2) and the same square turned 45 degrees about its
    // centre intersect in a regular octagon: the square minus 4 corner triangles. A
    // corner lies sqrt(2)/2 from the centre along the diagonal, the turned square's
    // side 1/2 from it, so each cut-off triangle is right-angled and isosceles with
    // height h = sqrt(2)/2 - 1/2 and hypotenuse 2h, area h^2.
    // intersection = 1 - 4 h^2 = 1 - (sqrt(2) - 1)^2 = 1 - (3 - 2 sqrt(2))
    //              = 2 sqrt(2) - 2 = 2 (sqrt(2) - 1) ~ 0.828427
    // union        = 1 + 1 - intersection = 4 - 2 sqrt(2) ~ 1.171573
    // IoU          = (2 sqrt(2) - 2) / (4 - 2 sqrt(2))
    //              = (sqrt(2) - 1) / (sqrt(2) (sqrt(2) - 1)) = 1 / sqrt(2) ~ 0.707107
    let a = rect(0.0, 0.0, 0.0, 0.5, 0.5);
    let b = rect(0.0, 0.0, FRAC_PI_4, 0.5, 0.5);
    assert!(
        close(rotated_iou(a, b), 1.0 / SQRT_2),
        "{}",
        rotated_iou(a, b)
    );
    assert!(close(rotated_iou(b, a), 1.0 / SQRT_2));
}

#[test]
fn half_overlap_shift() {
    // 2 x 1 rectangles shifted by 1 along their long axis: intersection 1 x 1 = 1,
    // union 2 + 2 - 1 = 3, IoU 1/3; the same when both are turned by 30 degrees and
    // shifted along the turned axis (cos 30, -sin 30 in (x, y)).
    let a = rect(0.0, 0.0, 0.0, 1.0, 0.5);
    assert!(close(
        rotated_iou(a, rect(0.0, 1.0, 0.0, 1.0, 0.5)),
        1.0 / 3.0
    ));
    let (s, c) = FRAC_PI_6.sin_cos();
    let a = rect(5.0, 5.0, FRAC_PI_6, 1.0, 0.5);
    let b = rect(5.0 - s, 5.0 + c, FRAC_PI_6, 1.0, 0.5);
    assert!(close(rotated_iou(a, b), 1.0 / 3.0), "{}", rotated_iou(a, b));
}

#[test]
fn axis_aligned_cases_equal_box_iou() {
    let cases = [
        ([0.0, 0.0, 4.0, 2.0], [1.0, 1.0, 4.0, 4.0]),
        ([0.0, 0.0, 4.0, 2.0], [1.0, 0.5, 1.0, 1.0]),
        ([2.5, 1.0, 3.0, 7.0], [0.0, 0.0, 4.0, 4.0]),
    ];
    for (p, q) in cases {
        let to_rect = |b: [f64; 4]| {
            rect(
                b[1] + b[3] / 2.0,
                b[0] + b[2] / 2.0,
                0.0,
                b[2] / 2.0,
                b[3] / 2.0,
            )
        };
        let expected = AxisBox::from_xywh(p).iou(&AxisBox::from_xywh(q));
        assert!((rotated_iou(to_rect(p), to_rect(q)) - expected).abs() < 1e-12);
    }
}

#[test]
fn iou_is_symmetric() {
    let rects = [
        rect(0.0, 0.0, 0.0, 2.0, 1.0),
        rect(0.5, 0.3, 0.4, 1.5, 1.0),
        rect(-1.0, 2.0, -1.2, 3.0, 0.25),
        rect(1.0, 1.0, FRAC_PI_4, 1.0, 1.0),
        rect(10.0, 10.0, 0.0, 1.0, 1.0),
    ];
    for a in rects {
        for b in rects {
            let (ab, ba) = (rotated_iou(a, b), rotated_iou(b, a));
            assert!((ab - ba).abs() < 1e-12, "{a:?} {b:?}: {ab} vs {ba}");
            assert!((0.0..=1.0).contains(&ab));
            let (a32, b32) = (a.cast::<f32>(), b.cast::<f32>());
            assert!((a32.iou(&b32) - b32.iou(&a32)).abs() < 1e-6);
            let (p, q) = (a.bounding_box(), b.bounding_box());
            assert_eq!(p.iou(&q), q.iou(&p));
        }
    }
}

#[test]
fn corners_area_and_bounding_box() {
    // phi = 90 degrees: the length1 axis points up (towards smaller rows).
    let r = rect(10.0, 20.0, std::f64::consts::FRAC_PI_2, 4.0, 1.0);
    let c = r.corners();
    let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() + (a.1 - b.1).abs() < 1e-12;
    assert!(near(c[0], (21.0, 6.0)), "{c:?}");
    assert!(near(c[2], (19.0, 14.0)), "{c:?}");
    assert!((polygon_area(&c) - r.area()).abs() < 1e-12);
    let b = r.bounding_box();
    assert!(close(b.x1, 19.0) && close(b.x2, 21.0) && close(b.y1, 6.0) && close(b.y2, 14.0));
    assert_eq!(rect(0.0, 0.0, 0.0, -1.0, 1.0).area(), 0.0);
}

#[test]
fn hull_of_a_point_cloud() {
    // A 3 x 2 grid of points plus inner ones: the hull is the 4 outer corners.
    let mut pts = Vec::new();
    for x in 0..4 {
        for y in 0..3 {
            pts.push((f64::from(x), f64::from(y)));
        }
    }
    pts.push((1.5, 1.5));
    let hull = convex_hull(&pts);
    assert_eq!(hull.len(), 4, "{hull:?}");
    for corner in [(0.0, 0.0), (3.0, 0.0), (3.0, 2.0), (0.0, 2.0)] {
        assert!(hull.contains(&corner), "{hull:?}");
    }
    assert!((polygon_area(&hull) - 6.0).abs() < 1e-12);
    assert!(convex_hull(&[]).is_empty());
    assert_eq!(convex_hull(&[(1.0, 1.0), (1.0, 1.0)]), [(1.0, 1.0)]);
}

#[test]
fn min_area_rect_recovers_rotated_rectangles() {
    for phi in [-1.2, -0.3, 0.0, 0.5, 1.0] {
        let r = rect(7.0, -3.0, phi, 3.0, 1.5);
        let mut points = r.corners().to_vec();
        points.push((r.col, r.row));
        let m = min_area_rect(&points).unwrap();
        assert!(close(m.area(), r.area()), "{m:?}");
        assert!(rotated_iou(m, r) > 1.0 - 1e-9, "{m:?} vs {r:?}");
        assert!(m.length1 >= m.length2);
        assert!(m.phi > -FRAC_PI_2 && m.phi <= FRAC_PI_2);
    }
    assert!(min_area_rect(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]).is_none());
}

#[test]
fn rle_round_trips() {
    // A 5 x 4 bitmap with a few shapes, row-major.
    #[rustfmt::skip]
    let bitmap: Vec<u8> = vec![
        1, 0, 0, 1,
        1, 1, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 1,
        1, 1, 1, 1,
    ];
    let rle = Rle::encode(&bitmap, 5, 4).unwrap();
    assert_eq!(rle.decode(), bitmap);
    assert_eq!(rle.area(), 10);
    let text = rle.to_compressed();
    assert_eq!(Rle::from_compressed(&text, 5, 4).unwrap(), rle);
    assert_eq!(CocoRle::from(&rle).to_rle().unwrap(), rle);
    let json = serde_json::to_string(&CocoRle::from(&rle)).unwrap();
    let back: CocoRle = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_rle().unwrap(), rle);
    // Empty and full masks.
    for fill in [0u8, 1] {
        let m = vec![fill; 6];
        let r = Rle::encode(&m, 2, 3).unwrap();
        assert_eq!(
            Rle::from_compressed(&r.to_compressed(), 2, 3)
                .unwrap()
                .decode(),
            m
        );
    }
    // The union with itself is itself; the rasterised box covers its pixels.
    assert_eq!(Rle::merge(&[rle.clone(), rle.clone()], false).unwrap(), rle);
    let b = Rle::from_bbox([1.0, 1.0, 2.0, 3.0], 5, 4);
    assert_eq!(b.area(), 6);
    assert_eq!(b.to_bbox(), [1.0, 1.0, 2.0, 3.0]);
}

#[test]
fn bad_rle_input_is_an_error_not_a_panic() {
    for bad in ["", "~", "1", "P", "\u{7f}", "ooooooooooooooo0"] {
        assert!(Rle::from_compressed(bad, 3, 3).is_err(), "{bad:?}");
    }
    assert!(Rle::encode(&[0, 1], 3, 3).is_err());
    assert!(Rle::new(3, 3, vec![4, 4]).is_err());
    assert!(Rle::merge(&[], true).is_err());
    assert!(Rle::from_polygons(&[], 3, 3).is_err());
    assert!(Rle::from_polygons(&[vec![0.0, 0.0, 1.0, 1.0]], 3, 3).is_err());
}
