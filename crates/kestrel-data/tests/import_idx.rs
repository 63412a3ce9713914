//! IDX (MNIST-format) importers, plain and gzip.

mod common;

use common::{idx_bytes, write_bytes, write_idx_pair};
use kestrel_data::{DataError, Split, import_idx, import_idx_dir, validate};

fn check_pair(gz: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (img, lbl) = if gz {
        ("imgs.gz", "lbls.gz")
    } else {
        ("imgs", "lbls")
    };
    let images = dir.path().join(img);
    let labels = dir.path().join(lbl);
    write_idx_pair(&images, &labels, 5, 3, 4, 3, gz);
    let out = dir.path().join("out/png");
    let names = Some(vec!["a".into(), "b".into(), "c".into()]);
    let ds = import_idx(&images, &labels, names, &out, Some(Split::Train)).unwrap();

    assert_eq!(ds.class_names, vec!["a", "b", "c"]);
    assert_eq!(ds.class_ids, vec![0, 1, 2]);
    assert_eq!(ds.samples.len(), 5);
    assert_eq!(ds.samples[3].image_file_name, "000003.png");
    assert_eq!(ds.samples[3].image_label_id, Some(0));
    assert_eq!(ds.samples[4].image_label_id, Some(1));
    assert_eq!(ds.samples[4].image_id, 4);
    assert!(ds.samples.iter().all(|s| s.split == Some(Split::Train)));
    assert!(std::path::Path::new(&ds.image_dir).is_absolute());

    // Pixels survive the round trip: image 2, pixel k has value 20 + k.
    let png = image::open(ds.image_path(&ds.samples[2]))
        .unwrap()
        .to_luma8();
    assert_eq!(png.dimensions(), (4, 3));
    let expect: Vec<u8> = (0..12).map(|k| 20 + k).collect();
    assert_eq!(png.into_raw(), expect);
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn idx_plain() {
    check_pair(false);
}

#[test]
fn idx_gzip() {
    check_pair(true);
}

#[test]
fn idx_default_class_names_are_digits() {
    let dir = tempfile::tempdir().unwrap();
    let (i, l) = (dir.path().join("i"), dir.path().join("l"));
    write_idx_pair(&i, &l, 12, 2, 2, 10, false);
    let ds = import_idx(&i, &l, None, &dir.path().join("o"), None).unwrap();
    assert_eq!(
        ds.class_names,
        (0..10).map(|d| d.to_string()).collect::<Vec<_>>()
    );
    assert!(ds.samples.iter().all(|s| s.split.is_none()));
}

#[test]
fn idx_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (i, l) = (dir.path().join("imgs.idx"), dir.path().join("lbls.idx"));
    let out = dir.path().join("o");
    // Count mismatch.
    write_bytes(&i, &idx_bytes(&[2, 1, 1], &[1, 2]));
    write_bytes(&l, &idx_bytes(&[3], &[0, 1, 2]));
    let err = import_idx(&i, &l, None, &out, None).unwrap_err();
    assert!(err.to_string().contains("imgs.idx"), "{err}");
    // Label without a class name.
    write_bytes(&l, &idx_bytes(&[2], &[0, 5]));
    let err = import_idx(&i, &l, Some(vec!["x".into(), "y".into()]), &out, None).unwrap_err();
    assert!(matches!(err, DataError::Format { .. }));
    assert!(
        err.to_string().contains("lbls.idx") && err.to_string().contains("label 5"),
        "{err}"
    );
    // Truncated data.
    write_bytes(&i, &idx_bytes(&[2, 2, 2], &[1, 2, 3]));
    write_bytes(&l, &idx_bytes(&[2], &[0, 1]));
    let err = import_idx(&i, &l, None, &out, None).unwrap_err();
    assert!(err.to_string().contains("imgs.idx"), "{err}");
    // Not IDX at all / corrupt gzip.
    write_bytes(&i, b"hello world");
    assert!(
        import_idx(&i, &l, None, &out, None)
            .unwrap_err()
            .to_string()
            .contains("imgs.idx")
    );
    write_bytes(&i, &[0x1f, 0x8b, 8, 0, 1, 2, 3]);
    let err = import_idx(&i, &l, None, &out, None).unwrap_err();
    assert!(
        err.to_string().contains("imgs.idx") && err.to_string().contains("gzip"),
        "{err}"
    );
}

#[test]
fn idx_dir_combines_train_and_t10k() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    write_idx_pair(
        &src.join("train-images-idx3-ubyte.gz"),
        &src.join("train-labels-idx1-ubyte.gz"),
        6,
        2,
        3,
        10,
        true,
    );
    write_idx_pair(
        &src.join("t10k-images-idx3-ubyte"),
        &src.join("t10k-labels-idx1-ubyte"),
        4,
        2,
        3,
        10,
        false,
    );
    let out = dir.path().join("out");
    let ds = import_idx_dir(&src, None, &out).unwrap();
    assert_eq!(ds.samples.len(), 10);
    assert_eq!(ds.samples_in(Split::Train).len(), 6);
    assert_eq!(ds.samples_in(Split::Test).len(), 4);
    let ids: Vec<_> = ds.samples.iter().map(|s| s.image_id).collect();
    assert_eq!(ids, (0..10).collect::<Vec<_>>());
    assert_eq!(ds.samples[0].image_file_name, "train/000000.png");
    assert_eq!(ds.samples[6].image_file_name, "t10k/000000.png");
    assert!(out.join("t10k/000003.png").is_file());
    assert!(validate(&ds).is_ok());
}

#[test]
fn idx_dir_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let err = import_idx_dir(dir.path(), None, &out).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
    write_bytes(
        &dir.path().join("train-images-idx3-ubyte"),
        &idx_bytes(&[1, 1, 1], &[0]),
    );
    let err = import_idx_dir(dir.path(), None, &out).unwrap_err();
    assert!(err.to_string().contains("train-images-idx3-ubyte"), "{err}");
    assert!(err.to_string().contains("labels"), "{err}");
}
