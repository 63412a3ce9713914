//! Depth images, X/Y/Z images, normals, point clouds and planes on synthetic scenes whose
//! answers are known.

use kestrel_3d::linalg::{self, angle_between};
use kestrel_3d::{
    DepthImage, Intrinsics, NormalImage, PointCloud, Pose, RansacParams, XyzImage, fit_plane,
};

fn camera() -> Intrinsics {
    Intrinsics::new(500.0, 500.0, 32.0, 24.0, 64, 48).unwrap()
}

/// The depth image of the plane `n · p = d` seen by `camera()`.
fn plane_depth(n: [f64; 3], d: f64) -> DepthImage {
    let cam = camera();
    let data = (0..48 * 64)
        .map(|i| {
            let ray = cam.unproject((i % 64) as f64, (i / 64) as f64, 1.0);
            (d / linalg::dot(n, ray)) as f32
        })
        .collect();
    DepthImage::new(64, 48, data).unwrap()
}

#[test]
fn depth_lifts_to_xyz_and_back_and_invalid_stays_invalid() {
    let cam = camera();
    let mut data = vec![1000.0f32; 64 * 48];
    data[5] = 0.0;
    data[6] = f32::NAN;
    data[7] = -3.0;
    let depth = DepthImage::new(64, 48, data).unwrap();
    assert_eq!(depth.valid_count(), 64 * 48 - 3);
    let xyz = XyzImage::from_depth(&depth, &cam).unwrap();
    assert!(xyz.get(5, 0).is_none() && xyz.get(6, 0).is_none() && xyz.get(7, 0).is_none());
    assert_eq!(xyz.valid_points().len(), 64 * 48 - 3);
    // Pixel (0, 0) at 1 m: x = (0 - 32) / 500 * 1000 = -64 mm.
    assert_eq!(xyz.get(0, 0).unwrap(), [-64.0, -48.0, 1000.0]);
    let back = xyz.to_depth();
    assert!((0..48).all(|y| (0..64).all(|x| back.get(x, y) == depth.get(x, y))));
    let x = xyz.channel(0);
    let rebuilt = XyzImage::from_channels(64, 48, &x, &xyz.channel(1), &xyz.channel(2)).unwrap();
    assert_eq!(rebuilt.valid_points(), xyz.valid_points());
    // A range image of the same points gives the same XYZ.
    let range: Vec<f32> = xyz
        .points()
        .iter()
        .map(|p| linalg::norm(p.map(f64::from)) as f32)
        .collect();
    let from_range = XyzImage::from_range(&DepthImage::new(64, 48, range).unwrap(), &cam).unwrap();
    for (a, b) in from_range.valid_points().iter().zip(xyz.valid_points()) {
        assert!(linalg::distance(a.map(f64::from), b.map(f64::from)) < 1e-3);
    }
}

#[test]
fn images_of_the_wrong_size_are_errors() {
    let depth = DepthImage::new(640, 480, vec![1.0; 640 * 480]).unwrap();
    let err = XyzImage::from_depth(&depth, &camera())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("depth image: image is 640 x 480 but its camera intrinsics are for 64 x 48"),
        "{err}"
    );
    assert!(XyzImage::from_range(&depth, &camera()).is_err());
    assert!(
        DepthImage::new(4, 4, vec![1.0; 15])
            .unwrap_err()
            .to_string()
            .contains("15 values for 4 x 4")
    );
    assert!(XyzImage::from_channels(2, 2, &[0.0; 4], &[0.0; 4], &[1.0; 3]).is_err());
    let rgb = image::RgbImage::new(10, 10);
    let xyz = XyzImage::from_depth(&plane_depth([0.0, 0.0, -1.0], -800.0), &camera()).unwrap();
    assert!(PointCloud::from_xyz(&xyz, Some(&rgb)).is_err());
}

#[test]
fn png_and_tiff_depth_files() {
    let dir = tempfile::tempdir().unwrap();
    let depth = DepthImage::new(3, 2, vec![0.0, 1.0, 700.4, 700.6, 65535.0, f32::NAN]).unwrap();
    let png = dir.path().join("d.png");
    depth.write_png_mm(&png).unwrap();
    let back = DepthImage::read(&png, 1.0).unwrap();
    assert_eq!(back.get(2, 0), Some(700.0));
    assert_eq!(back.get(0, 1), Some(701.0));
    assert_eq!(back.get(0, 0), None);
    assert_eq!(back.get(2, 1), None);
    // BOP's depth_scale multiplies the stored values.
    assert_eq!(DepthImage::read(&png, 0.1).unwrap().get(1, 0), Some(0.1));
    // Float TIFF in metres, scale 1000.
    let tif = dir.path().join("d.tiff");
    let file = std::fs::File::create(&tif).unwrap();
    let mut encoder = tiff::encoder::TiffEncoder::new(file).unwrap();
    encoder
        .write_image::<tiff::encoder::colortype::Gray32Float>(3, 1, &[0.5, 0.0, f32::NAN])
        .unwrap();
    let metres = DepthImage::read(&tif, 1000.0).unwrap();
    assert_eq!(
        (metres.get(0, 0), metres.get(1, 0), metres.get(2, 0)),
        (Some(500.0), None, None)
    );
    let too_far = DepthImage::new(1, 1, vec![70000.0]).unwrap();
    assert!(too_far.write_png_mm(&dir.path().join("far.png")).is_err());
    let rgb = dir.path().join("rgb.png");
    image::RgbImage::new(2, 2).save(&rgb).unwrap();
    assert!(
        DepthImage::read(&rgb, 1.0)
            .unwrap_err()
            .to_string()
            .contains("single-channel")
    );
    assert!(
        DepthImage::read(&dir.path().join("missing.png"), 1.0)
            .unwrap_err()
            .to_string()
            .contains("missing.png")
    );
}

#[test]
fn normals_and_plane_of_a_tilted_plane() {
    // A plane tilted 30° about the x axis, 800 mm away, normal towards the camera.
    let tilt = 30f64.to_radians();
    let n = [0.0, tilt.sin(), -tilt.cos()];
    let depth = plane_depth(n, -800.0);
    let xyz = XyzImage::from_depth(&depth, &camera()).unwrap();
    for smoothing in [0, 2] {
        let normals = NormalImage::from_xyz(&xyz, smoothing);
        let valid: Vec<_> = normals
            .normals()
            .iter()
            .filter(|v| !v[0].is_nan())
            .collect();
        // Every pixel but the one-pixel border.
        assert_eq!(valid.len(), 62 * 46);
        for v in valid {
            assert!(
                angle_between(v.map(f64::from), n).to_degrees() < 0.01,
                "{v:?}"
            );
        }
    }
    let fit = fit_plane(&xyz.valid_points(), &RansacParams::default()).unwrap();
    assert!(angle_between(fit.plane.normal, n).to_degrees() < 1e-3);
    assert!((fit.plane.offset + 800.0).abs() < 1e-2);
    assert_eq!(fit.inliers, 64 * 48);
    // Its normal colours: (n + 1) / 2.
    let rgb = NormalImage::from_xyz(&xyz, 0).to_rgb();
    assert_eq!(rgb.get_pixel(0, 0).0, [0, 0, 0]);
    assert_eq!(rgb.get_pixel(10, 10).0, [128, 191, 17]);
}

#[test]
fn normals_are_invalid_next_to_invalid_depth() {
    let mut data = vec![900.0f32; 64 * 48];
    data[20 * 64 + 20] = 0.0;
    let xyz = XyzImage::from_depth(&DepthImage::new(64, 48, data).unwrap(), &camera()).unwrap();
    let normals = NormalImage::from_xyz(&xyz, 0);
    let at = |x: usize, y: usize| normals.normals()[y * 64 + x];
    for (x, y) in [(20, 20), (19, 20), (21, 20), (20, 19), (20, 21)] {
        assert!(at(x, y)[0].is_nan(), "({x}, {y})");
    }
    assert!(!at(22, 20)[0].is_nan() && !at(19, 19)[0].is_nan());
}

#[test]
fn plane_fit_ignores_outliers() {
    // 2,000 points on z = 500 with ±1 mm noise, 1,000 scattered above it.
    let mut points = Vec::new();
    for i in 0..2000 {
        let (x, y) = ((i % 50) as f32 * 4.0, (i / 50) as f32 * 4.0);
        points.push([x, y, 500.0 + ((i * 7919) % 21) as f32 / 10.0 - 1.0]);
    }
    for i in 0..1000 {
        points.push([
            (i % 37) as f32 * 5.0,
            (i % 23) as f32 * 7.0,
            300.0 + (i % 101) as f32,
        ]);
    }
    let fit = fit_plane(&points, &RansacParams::default()).unwrap();
    assert!(
        angle_between(fit.plane.normal, [0.0, 0.0, -1.0]).to_degrees() < 0.5,
        "{:?}",
        fit.plane
    );
    assert!((fit.plane.offset + 500.0).abs() < 0.2);
    assert!((2000..2100).contains(&fit.inliers), "{}", fit.inliers);
    assert!(fit_plane(&points[..2], &RansacParams::default()).is_err());
    let line: Vec<[f32; 3]> = (0..10).map(|i| [i as f32, 0.0, 1.0]).collect();
    assert!(fit_plane(&line, &RansacParams::default()).is_err());
}

#[test]
fn point_clouds_carry_colours_and_move() {
    let xyz = XyzImage::from_depth(&plane_depth([0.0, 0.0, -1.0], -800.0), &camera()).unwrap();
    let rgb = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let cloud = PointCloud::from_xyz(&xyz, Some(&rgb)).unwrap();
    assert_eq!(cloud.len(), 64 * 48);
    assert_eq!(cloud.colors.as_ref().unwrap()[64 + 3], [3, 1, 7]);
    let moved = cloud.transformed(&Pose::from_translation([0.0, 0.0, -800.0]));
    assert!(moved.points.iter().all(|p| p[2].abs() < 1e-3));
}

#[test]
fn a_depth_image_claiming_too_many_pixels_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    // PNG: 100000 x 100000 16-bit (20 GB), no data. Before: refused only by the image
    // crate's 512 MiB allocation limit, without the size; a 16000 x 16000 one was decoded.
    let png_path = dir.path().join("huge.png");
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, 100_000, 100_000);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Sixteen);
    let mut writer = enc.write_header().unwrap();
    writer
        .write_chunk(
            png::chunk::IDAT,
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        )
        .unwrap();
    drop(writer);
    std::fs::write(&png_path, bytes).unwrap();
    // TIFF: a valid 2 x 2 float image whose width and height fields say 100000.
    let tif_path = dir.path().join("huge.tif");
    let mut tiff_bytes = Vec::new();
    {
        let mut encoder =
            tiff::encoder::TiffEncoder::new(std::io::Cursor::new(&mut tiff_bytes)).unwrap();
        encoder
            .write_image::<tiff::encoder::colortype::Gray32Float>(2, 2, &[0.0; 4])
            .unwrap();
    }
    claim_tiff_size(&mut tiff_bytes, 100_000);
    std::fs::write(&tif_path, &tiff_bytes).unwrap();
    for path in [&png_path, &tif_path] {
        let err = DepthImage::read(path, 1.0).unwrap_err().to_string();
        assert!(err.contains("too large"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}

/// Sets the ImageWidth and ImageLength entries of a little-endian TIFF's first IFD to
/// `side` (as LONG values).
fn claim_tiff_size(bytes: &mut [u8], side: u32) {
    assert_eq!(&bytes[..2], b"II");
    let ifd = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let count = u16::from_le_bytes([bytes[ifd], bytes[ifd + 1]]) as usize;
    let mut patched = 0;
    for k in 0..count {
        let entry = ifd + 2 + 12 * k;
        let tag = u16::from_le_bytes([bytes[entry], bytes[entry + 1]]);
        if tag == 256 || tag == 257 {
            bytes[entry + 2..entry + 4].copy_from_slice(&4u16.to_le_bytes());
            bytes[entry + 4..entry + 8].copy_from_slice(&1u32.to_le_bytes());
            bytes[entry + 8..entry + 12].copy_from_slice(&side.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
}
