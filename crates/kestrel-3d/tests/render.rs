//! The renderer on scenes whose pictures are known: a square facing the camera, a tilted
//! plane, two objects hiding each other, a background.

use kestrel_3d::{Intrinsics, Light, Mesh, PixelBox, Pose, RenderObject, RenderOptions, render};

fn camera() -> Intrinsics {
    Intrinsics::new(500.0, 500.0, 160.0, 120.0, 320, 240).unwrap()
}

/// A square of side `size` mm in the model's xy plane, centred on the origin, facing -z
/// (towards a camera looking along +z), in one colour.
fn square(size: f32, color: [u8; 3]) -> Mesh {
    let h = size / 2.0;
    let vertices = vec![[-h, -h, 0.0], [h, -h, 0.0], [h, h, 0.0], [-h, h, 0.0]];
    // Counter-clockwise seen from -z: the normal is (0, 0, -1).
    let faces = vec![[0, 2, 1], [0, 3, 2]];
    Mesh::new(vertices, faces, Some(vec![color; 4])).unwrap()
}

#[test]
fn a_square_facing_the_camera() {
    let mesh = square(200.0, [200, 100, 50]);
    assert_eq!(mesh.normals()[0], [0.0, 0.0, -1.0]);
    let object = RenderObject {
        mesh: &mesh,
        pose: Pose::from_translation([0.0, 0.0, 1000.0]),
    };
    let r = render(&camera(), &[object], &RenderOptions::default(), None).unwrap();
    // ±100 mm at 1 m with f = 500: ±50 px around (160, 120), edges included.
    assert_eq!(
        r.mask.bbox(1),
        Some(PixelBox {
            x1: 110,
            y1: 70,
            x2: 210,
            y2: 170
        })
    );
    assert_eq!(r.mask.count(1), 101 * 101);
    assert!((r.depth.get(160, 120).unwrap() - 1000.0).abs() < 1e-3);
    assert_eq!(r.depth.get(100, 120), None);
    // Facing the default light (at the camera): full shade, the vertex colour itself.
    assert_eq!(r.rgb.get_pixel(160, 120).0, [200, 100, 50]);
    assert_eq!(r.rgb.get_pixel(5, 5).0, [0, 0, 0]);
    // A light from the side leaves the ambient part only: 0.3 of the colour.
    let side = RenderOptions {
        light: Light {
            direction: [1.0, 0.0, 0.0],
            ..Light::default()
        },
        ..RenderOptions::default()
    };
    let r = render(&camera(), &[object], &side, None).unwrap();
    assert_eq!(r.rgb.get_pixel(160, 120).0, [60, 30, 15]);
}

#[test]
fn depth_of_a_tilted_plane_is_exact_at_pixel_centres() {
    let mesh = square(400.0, [255, 255, 255]);
    let pose = Pose::from_axis_angle([1.0, 0.0, 0.0], 0.6, [0.0, 0.0, 1000.0]).unwrap();
    let object = RenderObject { mesh: &mesh, pose };
    let cam = camera();
    let r = render(&cam, &[object], &RenderOptions::default(), None).unwrap();
    // The plane through (0, 0, 1000) with normal R (0, 0, 1).
    let n = pose.rotate([0.0, 0.0, 1.0]);
    let mut checked = 0;
    for y in 0..240 {
        for x in 0..320 {
            let Some(z) = r.depth.get(x, y) else { continue };
            let ray = cam.unproject(f64::from(x), f64::from(y), 1.0);
            let expected = 1000.0 * n[2] / (n[0] * ray[0] + n[1] * ray[1] + n[2] * ray[2]);
            assert!(
                (f64::from(z) - expected).abs() < 1e-3 * expected,
                "({x}, {y}): {z} vs {expected}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn nearer_objects_hide_farther_ones_in_any_order() {
    let big = square(400.0, [0, 0, 255]);
    let small = square(100.0, [255, 0, 0]);
    let far = RenderObject {
        mesh: &big,
        pose: Pose::from_translation([0.0, 0.0, 1500.0]),
    };
    let near = RenderObject {
        mesh: &small,
        pose: Pose::from_translation([0.0, 0.0, 800.0]),
    };
    let a = render(&camera(), &[far, near], &RenderOptions::default(), None).unwrap();
    let b = render(&camera(), &[near, far], &RenderOptions::default(), None).unwrap();
    assert_eq!(a.mask.ids()[120 * 320 + 160], 2);
    assert_eq!(b.mask.ids()[120 * 320 + 160], 1);
    assert_eq!(a.rgb, b.rgb);
    assert_eq!(a.rgb.get_pixel(160, 120).0, [255, 0, 0]);
    assert!((a.depth.get(160, 120).unwrap() - 800.0).abs() < 1e-2);
    // The far square shows around the near one (±67 px against ±31), and the two cover
    // exactly the pixels of the far one alone.
    assert!((a.depth.get(100, 120).unwrap() - 1500.0).abs() < 1e-2);
    let alone = render(&camera(), &[far], &RenderOptions::default(), None).unwrap();
    assert_eq!(a.mask.count(1) + a.mask.count(2), alone.mask.count(1));
    assert!(a.mask.count(2) > 60 * 60 && a.mask.count(1) > 130 * 130 - 64 * 64);
}

#[test]
fn background_shows_where_nothing_is_drawn() {
    let bg = image::RgbImage::from_pixel(320, 240, image::Rgb([9, 8, 7]));
    let mesh = square(50.0, [100, 100, 100]);
    let object = RenderObject {
        mesh: &mesh,
        pose: Pose::from_translation([0.0, 0.0, 1000.0]),
    };
    let r = render(&camera(), &[object], &RenderOptions::default(), Some(&bg)).unwrap();
    assert_eq!(r.rgb.get_pixel(0, 0).0, [9, 8, 7]);
    assert_eq!(r.rgb.get_pixel(160, 120).0, [100, 100, 100]);
    let small = image::RgbImage::new(32, 24);
    let err = render(
        &camera(),
        &[object],
        &RenderOptions::default(),
        Some(&small),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("background image") && err.contains("32 x 24"),
        "{err}"
    );
    // Behind the camera: nothing drawn.
    let behind = RenderObject {
        mesh: &mesh,
        pose: Pose::from_translation([0.0, 0.0, -1000.0]),
    };
    assert_eq!(
        render(&camera(), &[behind], &RenderOptions::default(), None)
            .unwrap()
            .mask
            .count(1),
        0
    );
}

#[test]
fn meshes_that_do_not_fit_together_are_errors() {
    assert!(Mesh::new(vec![[0.0; 3]; 3], vec![], None).is_err());
    assert!(Mesh::new(vec![[0.0; 3]; 3], vec![[0, 1, 3]], None).is_err());
    assert!(Mesh::new(vec![[0.0; 3]; 3], vec![[0, 1, 2]], Some(vec![[0; 3]; 2])).is_err());
}

#[test]
fn culling_skips_faces_turned_away() {
    let mesh = square(200.0, [200, 100, 50]);
    let cull = RenderOptions {
        cull_back_faces: true,
        ..RenderOptions::default()
    };
    let front = RenderObject {
        mesh: &mesh,
        pose: Pose::from_translation([0.0, 0.0, 1000.0]),
    };
    // Turned by a half turn about y, the square shows its back.
    let turned =
        Pose::from_axis_angle([0.0, 1.0, 0.0], std::f64::consts::PI, [0.0, 0.0, 1000.0]).unwrap();
    let back = RenderObject {
        mesh: &mesh,
        pose: turned,
    };
    let drawn = |object, options| {
        render(&camera(), &[object], options, None)
            .unwrap()
            .mask
            .count(1)
    };
    assert_eq!(drawn(front, &cull), 101 * 101);
    assert_eq!(drawn(back, &cull), 0);
    assert_eq!(drawn(back, &RenderOptions::default()), 101 * 101);
}

#[test]
fn colour_is_interpolated_in_perspective() {
    // A square tilted by 0.6 rad about x, black along one edge and white along the other:
    // its centre (grey 127.5) projects to the principal point, which is not the middle of
    // the projected square in the image.
    let h = 200.0;
    let vertices = vec![[-h, -h, 0.0], [h, -h, 0.0], [h, h, 0.0], [-h, h, 0.0]];
    let colors = vec![[0; 3], [0; 3], [255; 3], [255; 3]];
    let mesh = Mesh::new(vertices, vec![[0, 2, 1], [0, 3, 2]], Some(colors)).unwrap();
    let pose = Pose::from_axis_angle([1.0, 0.0, 0.0], 0.6, [0.0, 0.0, 1000.0]).unwrap();
    let flat = RenderOptions {
        light: Light {
            ambient: 1.0,
            diffuse: 0.0,
            ..Light::default()
        },
        ..RenderOptions::default()
    };
    let r = render(
        &camera(),
        &[RenderObject { mesh: &mesh, pose }],
        &flat,
        None,
    )
    .unwrap();
    let centre = r.rgb.get_pixel(160, 120).0[0];
    assert!((127..=128).contains(&centre), "{centre}");
    // In the image the square is a trapezoid whose rows are not evenly spaced in depth:
    // the row halfway between its top and bottom is not mid-grey.
    let b = r.mask.bbox(1).unwrap();
    let middle_row = r.rgb.get_pixel(160, ((b.y1 + b.y2) / 2) as u32).0[0];
    assert!((i32::from(middle_row) - 128).abs() > 10, "{middle_row}");
}
