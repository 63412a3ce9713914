//! Pictures: heat maps, label colours, side by side, boxes, polygons, PNG output.

use std::collections::BTreeSet;
use std::f32::consts::{FRAC_PI_2, FRAC_PI_4};

use image::{Rgb, RgbImage};
use kestrel_image::{
    HEAT_ALPHA, ImageError, ImageF32, LabelImage, OUTLINE_COLOUR, SIDE_BY_SIDE_GAP,
    default_palette, draw_box, draw_polygon_outline, draw_rotated_box, heat_overlay, image_to_rgb,
    label_overlay, region_outline, save_png, side_by_side, turbo,
};

const RED: [u8; 3] = [255, 0, 0];

fn grey(width: u32, height: u32, v: f32) -> ImageF32 {
    ImageF32 {
        width,
        height,
        channels: 1,
        data: vec![v; (width * height) as usize],
    }
}

fn px(img: &RgbImage, x: u32, y: u32) -> [u8; 3] {
    img.get_pixel(x, y).0
}

/// The painted (non-black) pixels of `img`.
fn painted(img: &RgbImage) -> BTreeSet<(u32, u32)> {
    img.enumerate_pixels()
        .filter(|(_, _, p)| p.0 != [0, 0, 0])
        .map(|(x, y, _)| (x, y))
        .collect()
}

/// The outline pixels of the inclusive box `x1..=x2` x `y1..=y2`.
fn box_outline(x1: u32, y1: u32, x2: u32, y2: u32) -> BTreeSet<(u32, u32)> {
    let mut s = BTreeSet::new();
    for x in x1..=x2 {
        s.insert((x, y1));
        s.insert((x, y2));
    }
    for y in y1..=y2 {
        s.insert((x1, y));
        s.insert((x2, y));
    }
    s
}

fn blend(base: [u8; 3], colour: [u8; 3], alpha: f32) -> [u8; 3] {
    std::array::from_fn(|c| {
        (f32::from(base[c]) * (1.0 - alpha) + f32::from(colour[c]) * alpha).round() as u8
    })
}

#[test]
fn image_to_rgb_handles_grey_and_colour() {
    let g = image_to_rgb(&ImageF32 {
        width: 2,
        height: 1,
        channels: 1,
        data: vec![0.0, 1.0],
    });
    assert_eq!((px(&g, 0, 0), px(&g, 1, 0)), ([0; 3], [255; 3]));
    let c = image_to_rgb(&ImageF32 {
        width: 1,
        height: 1,
        channels: 3,
        data: vec![1.0, 0.5, f32::NAN],
    });
    assert_eq!(px(&c, 0, 0), [255, 128, 0]);
    // Inconsistent data reads as black instead of panicking.
    let broken = image_to_rgb(&ImageF32 {
        width: 2,
        height: 2,
        channels: 3,
        data: vec![1.0; 3],
    });
    assert_eq!((px(&broken, 0, 0), px(&broken, 1, 1)), ([255; 3], [0; 3]));
}

#[test]
fn heat_overlay_colours_scores_and_outlines_the_region() {
    let img = grey(5, 5, 0.0);
    let mut scores = vec![1.0f32; 25];
    scores[0] = 3.0; // the maximum
    scores[1] = 2.0; // the middle
    scores[2] = 100.0; // clamped to the maximum
    scores[3] = f32::NAN; // no colour
    let region: Vec<bool> = (0..25)
        .map(|i| (1..4).contains(&(i % 5)) && i / 5 >= 1 && i / 5 < 4)
        .collect();
    let out = heat_overlay(&img, &scores, 1.0, 3.0, Some(&region));
    let black = [0u8; 3];
    assert_eq!(px(&out, 0, 0), blend(black, turbo(1.0), HEAT_ALPHA));
    assert_eq!(px(&out, 1, 0), blend(black, turbo(0.5), HEAT_ALPHA));
    assert_eq!(px(&out, 2, 0), px(&out, 0, 0));
    assert_eq!(px(&out, 3, 0), black);
    assert_eq!(px(&out, 4, 4), blend(black, turbo(0.0), HEAT_ALPHA));
    // The 3x3 region's ring is outlined; its centre is not.
    for y in 1..4 {
        for x in 1..4 {
            let expected = if (x, y) == (2, 2) {
                blend(black, turbo(0.0), HEAT_ALPHA)
            } else {
                OUTLINE_COLOUR
            };
            assert_eq!(px(&out, x, y), expected, "({x}, {y})");
        }
    }
    // Without a region nothing is outlined; short scores leave the image as it is.
    let plain = heat_overlay(&grey(2, 1, 1.0), &[0.0], 0.0, 1.0, None);
    assert_eq!(px(&plain, 0, 0), blend([255; 3], turbo(0.0), HEAT_ALPHA));
    assert_eq!(px(&plain, 1, 0), [255; 3]);
    // A degenerate range is a step at score_min.
    let step = heat_overlay(&grey(2, 1, 0.0), &[0.5, 0.7], 0.5, 0.5, None);
    assert_eq!(px(&step, 0, 0), blend(black, turbo(0.0), HEAT_ALPHA));
    assert_eq!(px(&step, 1, 0), blend(black, turbo(1.0), HEAT_ALPHA));
}

#[test]
fn region_outline_closes_at_the_border() {
    // Region covering the left 2 columns of a 4x3 image.
    let region: Vec<bool> = (0..12).map(|i| i % 4 < 2).collect();
    let outline = region_outline(&region, 4, 3);
    // Every region pixel touches the border or the outside: all are outline.
    assert_eq!(outline, region);
    // A full image is outlined along its border only.
    let full = region_outline(&[true; 25], 5, 5);
    let ring: Vec<bool> = (0..25)
        .map(|i| i % 5 == 0 || i % 5 == 4 || i / 5 == 0 || i / 5 == 4)
        .collect();
    assert_eq!(full, ring);
    // Short input counts as outside.
    assert_eq!(region_outline(&[true], 2, 1), [true, false]);
}

#[test]
fn label_overlay_colours_non_background_classes() {
    let img = ImageF32 {
        width: 3,
        height: 1,
        channels: 3,
        data: vec![0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0],
    };
    let labels = LabelImage {
        width: 3,
        height: 1,
        data: vec![0, 1, 9],
    };
    let palette = [[0, 0, 0], RED];
    let out = label_overlay(&img, &labels, &palette, 0.5, &[0]);
    let blue = [0, 0, 255];
    assert_eq!(px(&out, 0, 0), blue);
    assert_eq!(px(&out, 1, 0), blend(blue, RED, 0.5));
    // Class 9 is beyond the palette: default colour.
    assert_eq!(px(&out, 2, 0), blend(blue, default_palette(10)[9], 0.5));
    let opaque = label_overlay(&img, &labels, &palette, 7.0, &[]);
    assert_eq!(px(&opaque, 0, 0), [0, 0, 0]);
    assert_eq!(px(&opaque, 1, 0), RED);
    // Labels at another size are resized to the image.
    let big = labels.resize_nearest(6, 2);
    assert_eq!(label_overlay(&img, &big, &palette, 0.5, &[0]), out);
}

#[test]
fn side_by_side_places_pictures_with_gaps() {
    let a = RgbImage::from_pixel(2, 3, Rgb(RED));
    let b = RgbImage::from_pixel(3, 1, Rgb([0, 0, 255]));
    let out = side_by_side(&[a, b]);
    let gap = SIDE_BY_SIDE_GAP;
    assert_eq!(out.dimensions(), (2 + gap + 3, 3));
    assert_eq!(px(&out, 1, 2), RED);
    assert_eq!(px(&out, 2, 0), [255; 3]);
    assert_eq!(px(&out, 2 + gap, 0), [0, 0, 255]);
    assert_eq!(px(&out, 2 + gap, 1), [255; 3]);
    assert_eq!(side_by_side(&[]).dimensions(), (0, 0));
}

#[test]
fn box_edges_are_the_inclusive_rectangle() {
    let mut img = RgbImage::new(10, 8);
    draw_box(&mut img, 2.0, 1.0, 6.0, 5.0, RED, 1);
    assert_eq!(painted(&img), box_outline(2, 1, 6, 5));
    assert_eq!(px(&img, 2, 1), RED);
    // Corner order does not matter.
    let mut swapped = RgbImage::new(10, 8);
    draw_box(&mut swapped, 6.0, 5.0, 2.0, 1.0, RED, 1);
    assert_eq!(swapped, img);
    // Thickness 2 adds the ring inside.
    let mut thick = RgbImage::new(10, 8);
    draw_box(&mut thick, 2.0, 1.0, 6.0, 5.0, RED, 2);
    let expected: BTreeSet<_> = box_outline(2, 1, 6, 5)
        .union(&box_outline(3, 2, 5, 4))
        .copied()
        .collect();
    assert_eq!(painted(&thick), expected);
    // Edges between pixel centres are still one pixel wide.
    let mut half = RgbImage::new(10, 8);
    draw_box(&mut half, 1.5, 0.5, 6.5, 5.5, RED, 1);
    assert_eq!(painted(&half), box_outline(2, 1, 6, 5));
}

#[test]
fn boxes_are_clipped_and_bad_input_draws_nothing() {
    let mut img = RgbImage::new(6, 6);
    draw_box(&mut img, -3.0, -3.0, 2.0, 2.0, RED, 1);
    let expected: BTreeSet<_> = (0..=2).flat_map(|i| [(i, 2), (2, i)]).collect();
    assert_eq!(painted(&img), expected);
    let mut untouched = RgbImage::new(6, 6);
    draw_box(&mut untouched, f32::NAN, 0.0, 3.0, 3.0, RED, 1);
    draw_box(&mut untouched, 0.0, 0.0, 3.0, 3.0, RED, 0);
    draw_box(&mut untouched, 100.0, 100.0, 200.0, 200.0, RED, 3);
    draw_rotated_box(&mut untouched, 3.0, 3.0, f32::INFINITY, 2.0, 1.0, RED, 1);
    assert!(painted(&untouched).is_empty());
    let mut empty = RgbImage::new(0, 0);
    draw_box(&mut empty, 0.0, 0.0, 1.0, 1.0, RED, 1);
}

#[test]
fn rotated_boxes_follow_halcon_rectangle2() {
    // phi = 0: length1 along the columns (half lengths: 3 and 1).
    let mut a = RgbImage::new(12, 12);
    draw_rotated_box(&mut a, 5.0, 6.0, 0.0, 3.0, 1.0, RED, 1);
    let mut b = RgbImage::new(12, 12);
    draw_box(&mut b, 3.0, 4.0, 9.0, 6.0, RED, 1);
    assert_eq!(painted(&a), painted(&b));
    // phi = 90°: length1 along the rows.
    let mut c = RgbImage::new(12, 12);
    draw_rotated_box(&mut c, 5.0, 6.0, FRAC_PI_2, 3.0, 1.0, RED, 1);
    let mut d = RgbImage::new(12, 12);
    draw_box(&mut d, 5.0, 2.0, 7.0, 8.0, RED, 1);
    assert_eq!(painted(&c), painted(&d));
    // phi = 45°: counter-clockwise as displayed, so the long axis runs from lower left to
    // upper right (rows grow downward).
    let mut e = RgbImage::new(20, 20);
    draw_rotated_box(&mut e, 10.0, 10.0, FRAC_PI_4, 6.0, 1.0, RED, 1);
    assert_eq!(px(&e, 14, 6), RED); // upper right end
    assert_eq!(px(&e, 6, 14), RED); // lower left end
    assert_eq!(px(&e, 14, 14), [0; 3]);
    assert_eq!(px(&e, 6, 6), [0; 3]);
    assert_eq!(px(&e, 10, 10), [0; 3]); // centre is inside, not on the outline
}

#[test]
fn polygon_outlines() {
    // Right triangle (1,1), (7,1), (1,7): legs on pixel centres, hypotenuse diagonal.
    let mut img = RgbImage::new(9, 9);
    draw_polygon_outline(&mut img, &[(1.0, 1.0), (7.0, 1.0), (1.0, 7.0)], RED, 1);
    let set = painted(&img);
    for i in 1..=7 {
        assert!(
            set.contains(&(i, 1)) && set.contains(&(1, i)),
            "leg pixel {i}"
        );
        assert!(set.contains(&(i, 8 - i)), "hypotenuse pixel {i}");
    }
    assert!(!set.contains(&(3, 3)));
    assert!(!set.contains(&(6, 6)));
    assert_eq!(set.len(), 7 + 6 + 5);
    // Two points: a line; one point: a dot.
    let mut line = RgbImage::new(9, 9);
    draw_polygon_outline(&mut line, &[(1.0, 4.0), (7.0, 4.0)], RED, 1);
    assert_eq!(painted(&line), (1..=7).map(|x| (x, 4)).collect());
    let mut dot = RgbImage::new(3, 3);
    draw_polygon_outline(&mut dot, &[(1.0, 1.0)], RED, 1);
    assert_eq!(painted(&dot), BTreeSet::from([(1, 1)]));
    let mut none = RgbImage::new(3, 3);
    draw_polygon_outline(&mut none, &[], RED, 1);
    assert!(painted(&none).is_empty());
}

#[test]
fn save_png_writes_atomically_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("picture.png");
    let mut img = RgbImage::new(4, 3);
    draw_box(&mut img, 0.0, 0.0, 3.0, 2.0, RED, 1);
    save_png(&path, &img).unwrap();
    assert_eq!(image::open(&path).unwrap().to_rgb8(), img);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
    let err = save_png(&path, &RgbImage::new(0, 2)).unwrap_err();
    assert!(matches!(err, ImageError::EmptyImage { .. }));
    // A missing folder is created; a folder on the way that is a file is an error naming
    // the image.
    let nested = dir.path().join("new/x.png");
    save_png(&nested, &img).unwrap();
    assert_eq!(image::open(&nested).unwrap().to_rgb8(), img);
    let blocked = path.join("x.png");
    let err = save_png(&blocked, &img).unwrap_err();
    assert!(matches!(err, ImageError::Io { .. }));
    assert!(
        err.to_string().contains(&*blocked.to_string_lossy()),
        "{err}"
    );
}
