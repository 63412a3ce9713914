//! Robustness of every parser a user's file reaches in kestrel-data: dataset JSON (and the
//! validation of what it holds), COCO JSON, VOC XML, IDX, multi-label CSV, txt boxes,
//! Cornell rectangle files, OCR tag / tsv / ICDAR files and counting JSON lists.
//!
//! Each parser gets seeded random mutations of small valid files (flipped, replaced,
//! inserted and deleted bytes, truncation, duplicated runs, huge numbers) and random bytes,
//! and must return an error or a valid result: never panic, never allocate more than
//! [`peak_alloc::LIMIT`]. A failing case names its seed (see `common::mutate`).

mod common;

use std::path::Path;

use common::mutate::for_mutations;
use common::peak_alloc::{self, PeakAlloc, assert_bounded, measure};
use common::{idx_bytes, write_bytes, write_png};
use kestrel_data::{
    CornellOptions, Dataset, SplitSpec, import_coco_detection, import_coco_multilabel,
    import_cornell, import_counting_json, import_icdar2015, import_idx, import_multilabel_csv,
    import_ocr_tags, import_ocr_tsv, import_txt_boxes, import_voc, rotated_from_polygons, split,
    validate,
};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Mutated cases per valid file (each case also tries one random byte string).
const CASES: u64 = 150;

/// Runs `parse` on each mutation of `valid`, written to `file`, checking memory.
fn fuzz_file(name: &str, file: &Path, valid: &[&[u8]], parse: impl Fn() -> Option<String>) {
    for_mutations(name, valid, CASES, |bytes| {
        std::fs::write(file, bytes).unwrap();
        let (result, usage) = measure(&parse);
        assert_bounded(name, usage);
        result.is_some()
    });
}

/// A valid result must at least survive validation (which reads what it refers to), the
/// typed views of its samples, rotated boxes from its masks and a split.
fn validated(ds: Dataset) -> Option<String> {
    let report = validate(&ds).to_string();
    for s in &ds.samples {
        let _ = (s.boxes(), s.rotated_boxes(), s.grasps());
    }
    let mut copy = ds.clone();
    let _ = rotated_from_polygons(&mut copy);
    let _ = split(&mut copy, &SplitSpec::default(), false);
    Some(report)
}

const DATASET: &str = r#"{
  "class_names": ["a", "b"], "class_ids": [0, 1], "image_dir": "img",
  "ignore_class_ids": [1], "segmentation_dir": "img",
  "samples": [
    {"image_id": 0, "image_file_name": "a.png", "image_label_id": 0, "split": "train",
     "bbox_label_id": [0, 1], "bbox_row1": [0, 1], "bbox_col1": [0, 1],
     "bbox_row2": [4, 3], "bbox_col2": [5, 4],
     "mask_polygons": [[[0, 0, 4, 0, 4, 3]], {"counts": [0, 12, 8], "size": [4, 5]}]},
    {"image_id": 1, "image_file_name": "a.png", "segmentation_file_name": "l.png",
     "bbox_label_id": [1], "bbox_row": [2], "bbox_col": [2], "bbox_phi": [0.5],
     "bbox_length1": [1], "bbox_length2": [1], "words": ["hi"], "words_dont_care": [false],
     "point_row": [1.5], "point_col": [2.5], "exemplar_row1": [0], "exemplar_col1": [0],
     "exemplar_row2": [4], "exemplar_col2": [5]},
    {"image_id": 2, "image_file_name": "a.png", "depth_file_name": "d.png",
     "cam_K": [1, 0, 2, 0, 1, 2, 0, 0, 1], "depth_scale": 1, "depth_kind": "range",
     "grasp_row": [2], "grasp_col": [2], "grasp_phi": [0], "grasp_length1": [1],
     "grasp_length2": [1], "grasp_positive": [true], "gripping_file_name": "l.png",
     "pose_cam_R_m2c": [[1, 0, 0, 0, 1, 0, 0, 0, 1]], "pose_cam_t_m2c": [[0, 0, 1]],
     "pose_visib_fract": [1], "anomaly_label": "nok", "anomaly_file_name": "l.png"}
  ]
}"#;

#[test]
fn dataset_json_and_its_validation() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("img/a.png"), 5, 4);
    write_png(&dir.path().join("img/l.png"), 5, 4);
    image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(5, 4, image::Luma([800]))
        .save(dir.path().join("img/d.png"))
        .unwrap();
    let path = dir.path().join("ds.json");
    let valid = Dataset::from_json(DATASET, &path).unwrap();
    assert!(validate(&valid).num_samples == 3);
    for_mutations("dataset json", &[DATASET.as_bytes()], 400, |bytes| {
        let (result, usage) = measure(|| {
            let text = std::str::from_utf8(bytes).ok()?;
            validated(Dataset::from_json(text, &path).ok()?)
        });
        assert_bounded("dataset json", usage);
        result.is_some()
    });
}

const COCO: &str = r#"{
  "images": [{"id": 7, "file_name": "a.png", "width": 5, "height": 4},
             {"id": 3, "file_name": "a.png", "width": 5, "height": 4}],
  "categories": [{"id": 2, "name": "dent"}, {"id": 5, "name": "scratch"}],
  "annotations": [
    {"id": 1, "image_id": 7, "category_id": 5, "bbox": [1, 2, 3, 1], "area": 3,
     "segmentation": [[1, 2, 4, 2, 4, 3, 1, 3]], "iscrowd": 0},
    {"id": 2, "image_id": 3, "category_id": 2, "bbox": [0, 0, 5, 4], "area": 20,
     "segmentation": {"counts": [0, 20], "size": [4, 5]}, "iscrowd": 0},
    {"id": 3, "image_id": 3, "category_id": 2, "bbox": [0, 0, 5, 4], "area": 20,
     "segmentation": {"counts": "04", "size": [4, 5]}, "iscrowd": 1}
  ]
}"#;

#[test]
fn coco_json() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 5, 4);
    let json = dir.path().join("coco.json");
    write_bytes(&json, COCO.as_bytes());
    assert!(import_coco_detection(&json, dir.path()).is_ok());
    fuzz_file("coco", &json, &[COCO.as_bytes()], || {
        let detection = import_coco_detection(&json, dir.path()).ok().map(validated);
        let multilabel = import_coco_multilabel(&json, dir.path())
            .ok()
            .map(validated);
        detection.or(multilabel).flatten()
    });
}

const VOC: &str = "<?xml version=\"1.0\"?>\n<annotation><folder>x</folder>\
    <filename>a.png</filename><size><width>5</width><height>4</height></size>\
    <object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>3.5</xmax>\
    <ymax>4</ymax></bndbox></object><object><name>dog</name><bndbox><xmin>2</xmin>\
    <ymin>2</ymin><xmax>5</xmax><ymax>3</ymax></bndbox></object></annotation>\n";

#[test]
fn voc_xml() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("img/a.png"), 5, 4);
    let xml = dir.path().join("ann/a.xml");
    write_bytes(&xml, VOC.as_bytes());
    let (ann, img) = (dir.path().join("ann"), dir.path().join("img"));
    assert!(import_voc(&ann, &img).is_ok());
    fuzz_file("voc", &xml, &[VOC.as_bytes()], || {
        import_voc(&ann, &img).ok().and_then(validated)
    });
}

#[test]
fn idx_files() {
    let dir = tempfile::tempdir().unwrap();
    let (images, labels) = (dir.path().join("images.idx"), dir.path().join("labels.idx"));
    let out = dir.path().join("out");
    let image_bytes = idx_bytes(&[3, 2, 2], &(0..12).collect::<Vec<u8>>());
    let label_bytes = idx_bytes(&[3], &[0, 1, 2]);
    write_bytes(&images, &image_bytes);
    write_bytes(&labels, &label_bytes);
    assert!(import_idx(&images, &labels, None, &out, None).is_ok());
    let parse = || {
        import_idx(&images, &labels, None, &out, None)
            .ok()
            .map(|d| d.samples.len())
    };
    fuzz_file("idx images", &images, &[&image_bytes], || {
        parse().map(|n| n.to_string())
    });
    write_bytes(&images, &image_bytes);
    fuzz_file("idx labels", &labels, &[&label_bytes], || {
        parse().map(|n| n.to_string())
    });
}

#[test]
fn multilabel_csv() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png", "c.png"] {
        write_png(&dir.path().join(name), 5, 4);
    }
    let csv = dir.path().join("labels.csv");
    let valid = b"file,labels\r\na.png, scratch;dent \r\n\nb.png,\nc.png,dent;dent;;\n";
    write_bytes(&csv, valid);
    assert!(import_multilabel_csv(&csv, dir.path()).is_ok());
    fuzz_file("csv", &csv, &[valid], || {
        import_multilabel_csv(&csv, dir.path())
            .ok()
            .and_then(validated)
    });
}

#[test]
fn txt_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let (img, lab) = (dir.path().join("img"), dir.path().join("lab"));
    write_png(&img.join("a.png"), 20, 10);
    let file = lab.join("a.txt");
    let valid = b"# x1 y1 x2 y2 class\n0 0 20 10 cat\n\n1.5 2 3 4 1\n";
    write_bytes(&file, valid);
    let classes = vec!["cat".to_string(), "dog".to_string()];
    assert!(import_txt_boxes(&img, &lab, &classes).is_ok());
    fuzz_file("txt boxes", &file, &[valid], || {
        import_txt_boxes(&img, &lab, &classes)
            .ok()
            .and_then(validated)
    });
}

#[test]
fn cornell_rectangles() {
    let dir = tempfile::tempdir().unwrap();
    image::RgbImage::new(64, 48)
        .save(dir.path().join("pcd0000r.png"))
        .unwrap();
    image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(64, 48, image::Luma([800]))
        .save(dir.path().join("pcd0000d.png"))
        .unwrap();
    let rect = b"10 20\n50 20\n50 30\n10 30\n";
    let pos = dir.path().join("pcd0000cpos.txt");
    write_bytes(&pos, rect);
    write_bytes(
        &dir.path().join("pcd0000cneg.txt"),
        b"1.5 2\n3 4e1\n5 6\n7 NaN\n",
    );
    let options = CornellOptions {
        split_seed: None,
        ..Default::default()
    };
    assert!(import_cornell(dir.path(), &options).is_ok());
    fuzz_file("cornell", &pos, &[rect], || {
        import_cornell(dir.path(), &options)
            .ok()
            .and_then(|i| validated(i.dataset))
    });
}

#[test]
fn ocr_tags_tsv_and_icdar() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 12, 5);
    write_png(&dir.path().join("sub/b.png"), 12, 5);
    let tags = dir.path().join("train.tags");
    let valid_tags = "\u{feff}a.png You\r\n\nsub/b.png   Zoë  \n".as_bytes();
    write_bytes(&tags, valid_tags);
    assert!(import_ocr_tags(&tags).is_ok());
    fuzz_file("ocr tags", &tags, &[valid_tags], || {
        import_ocr_tags(&tags).ok().and_then(validated)
    });

    let tsv = dir.path().join("labels.tsv");
    let valid_tsv = "File\tWord\r\nsub/b.png\tNew York \r\n\na.png\tLOT 42/7, B\n".as_bytes();
    write_bytes(&tsv, valid_tsv);
    assert!(import_ocr_tsv(dir.path(), &tsv).is_ok());
    fuzz_file("ocr tsv", &tsv, &[valid_tsv], || {
        import_ocr_tsv(dir.path(), &tsv).ok().and_then(validated)
    });

    let icdar = dir.path().join("icdar");
    write_png(&icdar.join("img_1.png"), 100, 50);
    let gt = icdar.join("gt/gt_img_1.txt");
    let valid_gt = "\u{feff}10,10,50,10,50,20,10,20,Hello, world\r\n\
                    90,40,60,40,60,30,90,30,upside\n0,30,8,30,8,38,0,38,###\n"
        .as_bytes();
    write_bytes(&gt, valid_gt);
    assert!(import_icdar2015(&icdar, &icdar.join("gt")).is_ok());
    fuzz_file("icdar", &gt, &[valid_gt], || {
        import_icdar2015(&icdar, &icdar.join("gt"))
            .ok()
            .and_then(validated)
    });
}

#[test]
fn counting_json_list() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 20, 10);
    write_png(&dir.path().join("b.png"), 20, 10);
    let list = dir.path().join("list.json");
    let valid = br#"[{"image": "a.png", "exemplars": [[1, 1, 6, 6], [2, 2, 8, 9.5]],
        "points": [[3, 3], [10.5, 4]]}, {"image": "b.png", "points": []}]"#;
    write_bytes(&list, valid);
    assert!(import_counting_json(&list, None).is_ok());
    fuzz_file("counting json", &list, &[valid], || {
        import_counting_json(&list, None).ok().and_then(validated)
    });
}

#[test]
fn huge_idx_headers_are_refused_quickly_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let (images, labels) = (dir.path().join("images.idx"), dir.path().join("labels.idx"));
    // 4 billion images of 65535 x 65535 pixels: 16 exabytes claimed, 4 bytes present.
    write_bytes(
        &images,
        &idx_bytes(&[u32::MAX, 65535, 65535], &[1, 2, 3, 4]),
    );
    write_bytes(&labels, &idx_bytes(&[u32::MAX], &[0, 1, 2]));
    let start = std::time::Instant::now();
    let (result, usage) =
        measure(|| import_idx(&images, &labels, None, &dir.path().join("o"), None));
    assert!(result.is_err());
    assert!(usage.peak < 16 << 20, "{usage:?}");
    assert!(start.elapsed().as_secs() < 5);
    let _ = peak_alloc::LIMIT;
}

#[test]
fn huge_claims_in_a_dataset_are_refused_quickly_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("img/a.png"), 5, 4);
    let text = r#"{
      "class_names": ["a"], "class_ids": [0], "image_dir": "img",
      "samples": [
        {"image_id": 0, "image_file_name": "a.png", "bbox_label_id": [0, 0, 0, 0],
         "bbox_row1": [0, 0, 0, 0], "bbox_col1": [0, 0, 0, 0],
         "bbox_row2": [1e308, 4, 4, 4], "bbox_col2": [5, 5, 5, 1e308],
         "mask_polygons": [
           {"counts": [4294967295, 1], "size": [65536, 65536]},
           {"counts": "zzzzzzzzzzzzzzzzzzzz", "size": [4, 5]},
           [[0, 0, 1e308, 0, 1e308, 1e308, 0, -1e308]],
           {"counts": [4294967295, 4294967295], "size": [4, 5]}
         ]},
        {"image_id": 1, "image_file_name": "a.png", "bbox_label_id": [0],
         "bbox_row": [2], "bbox_col": [2], "bbox_phi": [1e308],
         "bbox_length1": [1e308], "bbox_length2": [1e308],
         "point_row": [1e308], "point_col": [-1e308],
         "exemplar_row1": [0], "exemplar_col1": [0],
         "exemplar_row2": [1e308], "exemplar_col2": [1e308]}
      ]
    }"#;
    let ds = Dataset::from_json(text, &dir.path().join("ds.json")).unwrap();
    let start = std::time::Instant::now();
    let (report, usage) = measure(|| validate(&ds));
    assert!(usage.peak < 16 << 20, "{usage:?}");
    assert!(start.elapsed().as_secs() < 5);
    assert!(report.has_errors(), "{report}");
    // Each huge claim is named at its sample and field.
    let text = report.to_string();
    assert!(
        text.contains("sample 0") && text.contains("mask_polygons"),
        "{text}"
    );
}

/// `img` encoded as `format`.
fn encoded(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

#[test]
fn image_files_read_by_validation() {
    use image::{DynamicImage as D, ImageFormat as F};
    let dir = tempfile::tempdir().unwrap();
    let grey = image::GrayImage::from_fn(5, 4, |x, _| image::Luma([(x % 2) as u8]));
    let depth =
        image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(5, 4, image::Luma([9]));
    let rgb = image::RgbImage::from_fn(5, 4, |x, y| image::Rgb([x as u8, y as u8, 3]));
    let valid = [
        encoded(D::ImageLuma8(grey.clone()), F::Png),
        encoded(D::ImageLuma16(depth), F::Png),
        encoded(D::ImageRgb8(rgb.clone()), F::Jpeg),
        encoded(D::ImageRgb8(rgb), F::Bmp),
        encoded(D::ImageLuma8(grey), F::Tiff),
    ];
    let valid: Vec<&[u8]> = valid.iter().map(Vec::as_slice).collect();
    let text = r#"{"class_names": ["a", "b"], "class_ids": [0, 1], "image_dir": "img",
      "samples": [{"image_id": 0, "image_file_name": "x", "segmentation_file_name": "x",
        "anomaly_label": "nok", "anomaly_file_name": "x", "depth_file_name": "x",
        "cam_K": [1, 0, 2, 0, 1, 2, 0, 0, 1], "gripping_file_name": "x",
        "grasp_row": [2], "grasp_col": [2], "grasp_phi": [0], "grasp_length1": [1],
        "grasp_length2": [1], "grasp_positive": [true]}]}"#;
    let file = dir.path().join("img/x");
    write_bytes(&file, valid[0]);
    let ds = Dataset::from_json(text, &dir.path().join("ds.json")).unwrap();
    for_mutations("files read by validation", &valid, CASES, |bytes| {
        std::fs::write(&file, bytes).unwrap();
        let (report, usage) = measure(|| {
            let report = validate(&ds);
            let edges = kestrel_data::edges_from_segmentation(&ds, &dir.path().join("edges"));
            (report, edges.is_ok())
        });
        assert_bounded("files read by validation", usage);
        !report.0.has_errors()
    });
}
