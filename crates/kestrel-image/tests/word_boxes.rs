//! Word boxes from synthetic DB probability maps: recovery of known rectangles, the
//! filters, growing, mapping onto the image, reading order and degenerate inputs.

use std::f64::consts::PI;

use kestrel_geom::{RotatedBox, min_area_rect};
use kestrel_image::{ImageError, MIN_WORD_SIDE, WordBox, WordBoxParams, word_boxes};

/// A `w x h` probability map, 0 everywhere.
struct Map {
    w: u32,
    h: u32,
    data: Vec<f32>,
}

impl Map {
    fn new(w: u32, h: u32) -> Self {
        Self {
            w,
            h,
            data: vec![0.0; (w * h) as usize],
        }
    }

    /// Sets the pixels whose centres lie inside `r` to `p`.
    fn paint(&mut self, r: RotatedBox, p: f32) -> &mut Self {
        let (sin, cos) = r.phi.sin_cos();
        for y in 0..self.h {
            for x in 0..self.w {
                let (dx, dy) = (f64::from(x) + 0.5 - r.col, f64::from(y) + 0.5 - r.row);
                // Coordinates along length1 (cos, -sin) and length2 (sin, cos).
                let u = dx * cos - dy * sin;
                let v = dx * sin + dy * cos;
                if u.abs() < r.length1 && v.abs() < r.length2 {
                    self.data[(y * self.w + x) as usize] = p;
                }
            }
        }
        self
    }

    /// Sets the axis-aligned pixel block `x0..x1 x y0..y1` to `p`.
    fn block(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, p: f32) -> &mut Self {
        for y in y0..y1 {
            for x in x0..x1 {
                self.data[(y * self.w + x) as usize] = p;
            }
        }
        self
    }

    fn words(&self, params: &WordBoxParams) -> Vec<WordBox> {
        word_boxes(&self.data, self.w, self.h, self.w, self.h, params).unwrap()
    }
}

fn rect(col: f64, row: f64, phi_deg: f64, length1: f64, length2: f64) -> RotatedBox {
    RotatedBox {
        row,
        col,
        phi: phi_deg.to_radians(),
        length1,
        length2,
    }
}

fn no_unclip() -> WordBoxParams {
    WordBoxParams {
        unclip_ratio: 0.0,
        ..WordBoxParams::default()
    }
}

/// `r` with `length1 >= length2` and `phi` in `(-pi/2, pi/2]`.
fn canonical(r: RotatedBox) -> RotatedBox {
    let (mut phi, l1, l2) = if r.length1 >= r.length2 {
        (r.phi, r.length1, r.length2)
    } else {
        (r.phi + PI / 2.0, r.length2, r.length1)
    };
    phi = phi.rem_euclid(PI);
    if phi > PI / 2.0 {
        phi -= PI;
    }
    RotatedBox {
        phi,
        length1: l1,
        length2: l2,
        ..r
    }
}

/// Whether `got` is `want` within `px` pixels (centre, half sides) and `deg` degrees.
fn assert_close(got: RotatedBox, want: RotatedBox, px: f64, deg: f64) {
    let (g, w) = (canonical(got), canonical(want));
    let mut dphi = (g.phi - w.phi).rem_euclid(PI);
    dphi = dphi.min(PI - dphi);
    assert!(
        (g.col - w.col).abs() <= px
            && (g.row - w.row).abs() <= px
            && (g.length1 - w.length1).abs() <= px
            && (g.length2 - w.length2).abs() <= px
            && dphi.to_degrees() <= deg,
        "got {g:?}, want {w:?}"
    );
}

#[test]
fn axis_aligned_and_rotated_words_are_recovered() {
    for deg in [0.0, 20.0, 45.0, -30.0] {
        let want = rect(100.3, 80.7, deg, 40.0, 8.0);
        let words = Map::new(200, 160).paint(want, 0.9).words(&no_unclip());
        assert_eq!(words.len(), 1, "{deg}: {words:?}");
        assert_close(words[0].rect.cast(), want, 1.5, 2.0);
        assert!((words[0].score - 0.9).abs() < 1e-6);
        // Reading axis: phi in (-45, 45] degrees.
        let phi = f64::from(words[0].rect.phi).to_degrees();
        assert!(phi > -45.0 - 1e-3 && phi <= 45.0 + 1e-3, "{phi}");
    }
    // Pixel-aligned: exact, in pixel-corner coordinates.
    let words = Map::new(64, 48)
        .block(10, 20, 30, 26, 1.0)
        .words(&no_unclip());
    assert_close(
        words[0].rect.cast(),
        rect(20.0, 23.0, 0.0, 10.0, 3.0),
        1e-4,
        1e-4,
    );
    assert!(words[0].rect.phi.abs() < 1e-6 && words[0].rect.length1 > words[0].rect.length2);
}

#[test]
fn tall_words_keep_the_horizontal_axis_as_length1() {
    let words = Map::new(64, 64)
        .block(30, 10, 38, 50, 1.0)
        .words(&no_unclip());
    assert_eq!(words.len(), 1);
    let r = words[0].rect;
    assert!(r.phi.abs() < 1e-6, "{r:?}");
    assert!(
        (r.length1 - 4.0).abs() < 1e-4 && (r.length2 - 20.0).abs() < 1e-4,
        "{r:?}"
    );
}

#[test]
fn separate_blobs_give_separate_words() {
    // One background column between them.
    let mut map = Map::new(100, 40);
    map.block(10, 10, 40, 20, 0.9).block(41, 10, 70, 20, 0.9);
    assert_eq!(map.words(&no_unclip()).len(), 2);
    // Bridged by probabilities below min_character_score.
    map.block(40, 10, 41, 20, 0.25);
    let words = map.words(&no_unclip());
    assert_eq!(words.len(), 2);
    assert_close(
        words[0].rect.cast(),
        rect(25.0, 15.0, 0.0, 15.0, 5.0),
        1e-4,
        1e-4,
    );
    assert_close(
        words[1].rect.cast(),
        rect(55.5, 15.0, 0.0, 14.5, 5.0),
        1e-4,
        1e-4,
    );
    // Bridged by text pixels: one word.
    map.block(40, 14, 41, 15, 0.9);
    assert_eq!(map.words(&no_unclip()).len(), 1);
}

#[test]
fn low_scoring_words_are_dropped() {
    let mut map = Map::new(80, 40);
    map.block(5, 5, 35, 15, 0.5).block(40, 5, 70, 15, 0.7);
    let words = map.words(&no_unclip());
    assert_eq!(words.len(), 1);
    assert!((words[0].score - 0.7).abs() < 1e-6);
    assert!((words[0].rect.col - 55.0).abs() < 1e-4);
    let lenient = WordBoxParams {
        min_word_score: 0.4,
        ..no_unclip()
    };
    assert_eq!(map.words(&lenient).len(), 2);
    // Pixels at or below min_character_score are background.
    let strict = WordBoxParams {
        min_character_score: 0.7,
        min_word_score: 0.0,
        ..no_unclip()
    };
    assert_eq!(map.words(&strict).len(), 0);
}

#[test]
fn tiny_and_thin_words_are_dropped() {
    let mut map = Map::new(100, 40);
    map.block(2, 2, 4, 4, 1.0) // 4 pixels < min_word_area 10
        .block(10, 2, 40, 3, 1.0) // 1 pixel high
        .block(10, 6, 40, 8, 1.0) // 2 pixels high < MIN_WORD_SIDE
        .block(50, 10, 54, 13, 1.0); // 4 x 3: kept
    assert_eq!(MIN_WORD_SIDE, 3.0);
    let words = map.words(&no_unclip());
    assert_eq!(words.len(), 1, "{words:?}");
    assert!((words[0].rect.col - 52.0).abs() < 1e-4);
    let small = WordBoxParams {
        min_word_area: 13,
        ..no_unclip()
    };
    assert_eq!(map.words(&small).len(), 0);
}

#[test]
fn unclip_grows_each_side_by_area_ratio_over_perimeter() {
    let params = WordBoxParams::default();
    let words = Map::new(64, 48).block(10, 20, 30, 26, 1.0).words(&params);
    // 20 x 6 kernel: area 120, perimeter 52.
    let d = 120.0 * 1.5 / 52.0;
    assert_close(
        words[0].rect.cast(),
        rect(20.0, 23.0, 0.0, 10.0 + d, 3.0 + d),
        1e-4,
        1e-4,
    );
    // Rotated, the growth is the same relative to the kernel found without growing.
    let mut map = Map::new(160, 160);
    map.paint(rect(80.0, 80.0, 30.0, 40.0, 8.0), 1.0);
    let kernel: RotatedBox = map.words(&no_unclip())[0].rect.cast();
    let (l1, l2) = (kernel.length1, kernel.length2);
    let d = 4.0 * l1 * l2 * 2.0 / (4.0 * (l1 + l2));
    let ratio2 = WordBoxParams {
        unclip_ratio: 2.0,
        ..params
    };
    let grown = RotatedBox {
        length1: l1 + d,
        length2: l2 + d,
        ..kernel
    };
    assert_close(map.words(&ratio2)[0].rect.cast(), grown, 1e-3, 1e-3);
}

#[test]
fn boxes_map_onto_an_anisotropically_resized_image() {
    let mut map = Map::new(100, 50);
    map.block(10, 10, 30, 16, 1.0);
    map.paint(rect(65.0, 30.0, 30.0, 20.0, 5.0), 1.0);
    let params = WordBoxParams::default();
    let on_map = map.words(&params);
    let on_image = word_boxes(&map.data, 100, 50, 300, 200, &params).unwrap();
    assert_eq!(on_map.len(), 2);
    assert_eq!(on_image.len(), 2);
    let (sx, sy) = (3.0, 4.0);
    // Axis-aligned: exact.
    let a: RotatedBox = on_map[0].rect.cast();
    assert_close(
        on_image[0].rect.cast(),
        rect(a.col * sx, a.row * sy, 0.0, a.length1 * sx, a.length2 * sy),
        1e-3,
        1e-3,
    );
    // Rotated: the minimum-area rectangle of the mapped corners.
    let b: RotatedBox = on_map[1].rect.cast();
    let corners = b.corners().map(|(x, y)| (x * sx, y * sy));
    let want = min_area_rect(&corners).unwrap();
    assert_close(on_image[1].rect.cast(), want, 1e-2, 0.05);
    assert!((f64::from(on_image[1].rect.col) - b.col * sx).abs() < 1e-2);
    assert!((f64::from(on_image[1].rect.row) - b.row * sy).abs() < 1e-2);
    assert_eq!(on_image[1].score, on_map[1].score);
}

#[test]
fn words_come_in_reading_order() {
    let mut map = Map::new(200, 100);
    // Line 1 (rows around 20, jittered), given right to left; line 2 below.
    map.block(140, 16, 180, 24, 1.0)
        .block(10, 15, 40, 23, 1.0)
        .block(70, 17, 110, 25, 1.0)
        .block(100, 50, 130, 58, 1.0)
        .block(5, 52, 60, 60, 1.0);
    let cols: Vec<f32> = map.words(&no_unclip()).iter().map(|w| w.rect.col).collect();
    assert_eq!(cols, vec![25.0, 90.0, 160.0, 32.5, 115.0]);
}

#[test]
fn max_words_keeps_the_best() {
    let mut map = Map::new(100, 20);
    for (i, p) in [0.7f32, 0.95, 0.8, 0.9].iter().enumerate() {
        let x = 5 + 24 * i as u32;
        map.block(x, 5, x + 20, 12, *p);
    }
    let params = WordBoxParams {
        max_words: 2,
        ..no_unclip()
    };
    let scores: Vec<f32> = map.words(&params).iter().map(|w| w.score).collect();
    // Best two, in reading order.
    assert_eq!(scores, vec![0.95, 0.9]);
    let none = WordBoxParams {
        max_words: 0,
        ..no_unclip()
    };
    assert!(map.words(&none).is_empty());
}

#[test]
fn degenerate_maps_do_not_panic() {
    let params = WordBoxParams::default();
    assert!(Map::new(64, 32).words(&params).is_empty());
    // All text: one word over the whole map, grown.
    let mut full = Map::new(64, 32);
    full.block(0, 0, 64, 32, 1.0);
    let words = full.words(&params);
    assert_eq!(words.len(), 1);
    let d = 64.0 * 32.0 * 1.5 / (2.0 * (64.0 + 32.0));
    assert_close(
        words[0].rect.cast(),
        rect(32.0, 16.0, 0.0, 32.0 + d, 16.0 + d),
        1e-3,
        1e-3,
    );
    // No pixels.
    assert!(word_boxes(&[], 0, 0, 100, 100, &params).unwrap().is_empty());
    assert!(
        word_boxes(&[], 0, 32, 100, 100, &params)
            .unwrap()
            .is_empty()
    );
    assert!(
        word_boxes(&full.data, 64, 32, 0, 100, &params)
            .unwrap()
            .is_empty()
    );
    // Wrong length, bad parameters.
    assert!(matches!(
        word_boxes(&full.data, 64, 31, 64, 31, &params),
        Err(ImageError::InvalidInput(_))
    ));
    assert!(matches!(
        word_boxes(&[0.5; 4], u32::MAX, u32::MAX, 1, 1, &params),
        Err(ImageError::InvalidInput(_))
    ));
    for bad in [
        WordBoxParams {
            unclip_ratio: -1.0,
            ..params.clone()
        },
        WordBoxParams {
            min_character_score: f32::NAN,
            ..params.clone()
        },
        WordBoxParams {
            min_word_score: f32::INFINITY,
            ..params.clone()
        },
    ] {
        assert!(matches!(
            word_boxes(&full.data, 64, 32, 64, 32, &bad),
            Err(ImageError::InvalidParams(_))
        ));
    }
    // NaN probabilities are background; a single text pixel is too small.
    let mut odd = Map::new(8, 8);
    odd.data[3] = f32::NAN;
    odd.data[9] = 1.0;
    assert!(odd.words(&params).is_empty());
}

#[test]
fn a_large_busy_map_is_handled() {
    // 960 x 960 with 24 x 24 = 576 words and isolated noise pixels between them.
    let mut map = Map::new(960, 960);
    for gy in 0..24u32 {
        for gx in 0..24u32 {
            let (x, y) = (gx * 40, gy * 40);
            map.block(x + 4, y + 10, x + 34, y + 22, 0.9);
            for (nx, ny) in [(37, 2), (37, 30), (37, 36), (1, 30), (20, 30)] {
                map.block(x + nx, y + ny, x + nx + 1, y + ny + 1, 0.95);
            }
        }
    }
    let words = map.words(&WordBoxParams::default());
    assert_eq!(words.len(), 576);
    assert_eq!(words[0].rect.col, 19.0);
    assert_eq!(words[24].rect.row, 56.0);
}

#[test]
fn params_deserialise_with_defaults() {
    let p: WordBoxParams = serde_json::from_str(r#"{"unclip_ratio": 2.0}"#).unwrap();
    assert_eq!(
        p,
        WordBoxParams {
            unclip_ratio: 2.0,
            ..WordBoxParams::default()
        }
    );
}
