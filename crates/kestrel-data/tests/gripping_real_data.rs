//! The Cornell importer on the 60 scenes in `../shared/data/cornell-grasp`; runs when
//! `KESTREL_SHARED` is set and says that it was skipped otherwise.

use std::path::Path;

use kestrel_data::{CornellOptions, Split, cornell_test_scenes, import_cornell, validate};

/// Non-blank lines of a text file.
fn corner_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn cornell_scenes_import_with_all_rectangles_and_a_stable_split() {
    let Some(shared) = kestrel_data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set");
        return;
    };
    let src = shared.join("data/cornell-grasp");
    let import = import_cornell(&src, &CornellOptions::default()).unwrap();
    let ds = &import.dataset;
    assert_eq!(ds.samples.len(), 60);
    // pcd0132cpos.txt has two rectangles with NaN corners: the only ones skipped.
    assert_eq!(import.skipped.len(), 2, "{:#?}", import.skipped);
    assert!(import.skipped.iter().all(|m| m.contains("pcd0132cpos.txt")));
    let (mut pos, mut neg) = (0, 0);
    let mut openings = Vec::new();
    let mut jaws = Vec::new();
    for s in &ds.samples {
        let stem = s.image_file_name.trim_end_matches("r.png");
        let grasps = s.grasps().unwrap();
        let lines = |suffix: &str| corner_lines(&src.join(format!("{stem}{suffix}")));
        let (p, n) = (lines("cpos.txt"), lines("cneg.txt"));
        let nan = |l: &Vec<String>| {
            l.chunks(4)
                .filter(|r| r.iter().any(|c| c.contains("NaN")))
                .count()
        };
        let got_pos = grasps.iter().filter(|g| g.positive).count();
        assert_eq!(got_pos, p.len() / 4 - nan(&p), "{stem} positives");
        assert_eq!(
            grasps.len() - got_pos,
            n.len() / 4 - nan(&n),
            "{stem} negatives"
        );
        pos += got_pos;
        neg += grasps.len() - got_pos;
        for g in grasps.iter().filter(|g| g.positive) {
            openings.push(g.opening_width());
            jaws.push(g.jaw_size());
        }
        let depth = ds.depth_path(s).unwrap();
        let image = ds.image_path(s);
        assert_eq!(
            image::image_dimensions(&depth).unwrap(),
            image::image_dimensions(&image).unwrap(),
            "{stem}"
        );
    }
    openings.sort_by(f64::total_cmp);
    jaws.sort_by(f64::total_cmp);
    let range = |v: &[f64]| {
        format!(
            "{:.1} / {:.1} / {:.1}",
            v[0],
            v[v.len() / 2],
            v[v.len() - 1]
        )
    };
    eprintln!(
        "cornell: {pos} positive, {neg} negative rectangles; positive opening width min / \
         median / max {} px, jaw size {} px",
        range(&openings),
        range(&jaws)
    );
    assert_eq!((pos, neg), (291, 172));
    let test: Vec<u64> = ds
        .samples
        .iter()
        .filter(|s| s.split == Some(Split::Test))
        .map(|s| s.image_id)
        .collect();
    let train = ds.samples_in(Split::Train).len();
    assert_eq!((train, test.len()), (45, 15));
    let ids: Vec<u64> = ds.samples.iter().map(|s| s.image_id).collect();
    assert_eq!(
        test,
        cornell_test_scenes(&ids, kestrel_data::CORNELL_SPLIT_SEED)
    );
    eprintln!("cornell test scenes: {test:?}");
    let report = validate(ds);
    assert!(report.is_ok(), "{report}");
}
