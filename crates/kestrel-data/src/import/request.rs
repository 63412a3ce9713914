//! [`import`]: one entry point for every importer, chosen by the dataset kind and the
//! source format (what `kestrel dataset import --kind K --format F` asks for).

use super::{
    CornellOptions, OCR_LABELS_FILE, import_coco_detection, import_coco_multilabel,
    import_coco_split_folders, import_cornell, import_counting_coco, import_counting_dots,
    import_counting_json, import_counting_voc, import_filename, import_folder, import_icdar2015,
    import_idx, import_idx_dir, import_magnetic_tile_anomaly, import_magnetic_tile_segmentation,
    import_multilabel_csv, import_mvtec_ad, import_ocr_tags, import_ocr_tsv,
    import_segmentation_folders, import_txt_boxes, import_voc,
};
use crate::{DataError, Dataset};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a dataset is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetKind {
    /// One class per image.
    Classification,
    /// Any number of classes per image (`image_label_ids`).
    MultiLabel,
    /// Good (`ok`) and defective (`nok`) images, with optional defect masks.
    Anomaly,
    /// A class per pixel (label images).
    Segmentation,
    /// Objects with boxes (`bbox_*`) and optionally instance masks (`mask_polygons`).
    Detection,
    /// Text: word crops with their `word`, or images with a rotated box and a text per
    /// word (`words`, see [`words`](crate::words)).
    Ocr,
    /// Objects of one class to count: example boxes (`exemplar_*`) and true positions
    /// (`point_row`/`point_col`, or boxes), see [`counting`](crate::counting).
    Counting,
    /// Known objects with their 6-DoF poses (`pose_cam_R_m2c`, `pose_cam_t_m2c`), boxes and
    /// the camera (`cam_K`); imported from BOP scenes by `kestrel-3d`.
    Pose,
    /// Scenes for gripping-point detection: image, depth image, camera (`cam_K`) and grasp
    /// rectangles (`grasp_*`) or gripping maps, see [`gripping`](crate::gripping).
    Gripping,
}

/// How the source data is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// One sub-folder per class; the folder name is the label.
    Folder,
    /// The label is the file name up to its last `_` (`apple_01.png` → `apple`).
    Filename,
    /// MNIST-style IDX files (`src` images file with `labels`, or a folder with
    /// `train-*`/`t10k-*`).
    Idx,
    /// MVTec AD category folder (`train/good`, `test/<defect>`, `ground_truth/<defect>`).
    Mvtec,
    /// Magnetic-tile folders `MT_<Class>/Imgs/*.jpg` with `.png` masks (`MT_Free` = good).
    MagneticTile,
    /// CSV `file,labels` (names separated by `;`) or `file,<class>,<class>…` with 0/1
    /// columns.
    Csv,
    /// COCO instances JSON (`src`), images in `images` (default: the JSON's folder); or a
    /// folder with `train/`, `valid/`, `test/` exports, each one JSON (splits kept).
    Coco,
    /// Images in `src`, label images with the same names in `labels`.
    MaskFolders,
    /// Pascal VOC XML files in `src`, images in `images`.
    Voc,
    /// Images in `src`, one `x1 y1 x2 y2 class` text file per image in `labels`.
    Txt,
    /// A tag file `src` of `<image path> <word>` lines (IIIT5K), paths relative to its
    /// folder.
    Tags,
    /// A folder `src` of word crops with `labels.tsv` (`file<TAB>word`; or `labels`).
    Tsv,
    /// Images in `src`, one ICDAR 2015 `gt_<image>.txt` per image in `labels` (default:
    /// `src`) with `x1,y1,...,x4,y4,text` lines.
    Icdar,
    /// Images in `src`, dot maps `<image stem>_gt.png` (one non-zero pixel per object) in
    /// `labels` (counting).
    Dots,
    /// A JSON list `src` of `{"image", "exemplars", "points"}` entries (counting).
    Json,
    /// A BOP scene folder `src` (`scene_gt.json`, `scene_camera.json`, `rgb/`) with the
    /// models folder in `labels` (default `<src>/../../models`); read by
    /// `kestrel_3d::import_bop`.
    Bop,
    /// A Cornell grasping folder `src` (`pcdXXXXr.png`, `pcdXXXXd.png`, `pcdXXXXcpos.txt`,
    /// `pcdXXXXcneg.txt`), read by [`import_cornell`](crate::import_cornell) with its
    /// defaults (Kinect v1 camera, `NaN` rectangles skipped, split 45/15 by scene).
    Cornell,
}

/// Which formats each kind imports from, for messages and help.
pub const KIND_FORMATS: &str = "classification: folder, filename, idx; multi-label: csv, coco; \
    anomaly: mvtec, magnetic-tile; segmentation: magnetic-tile, mask-folders; detection: coco, \
    voc, txt; ocr: tags, tsv, icdar; counting: dots, voc, coco, json; pose: bop; gripping: cornell";

impl DatasetKind {
    /// Every kind, in the order of [`KIND_FORMATS`].
    pub const ALL: [Self; 9] = [
        Self::Classification,
        Self::MultiLabel,
        Self::Anomaly,
        Self::Segmentation,
        Self::Detection,
        Self::Ocr,
        Self::Counting,
        Self::Pose,
        Self::Gripping,
    ];

    /// The kind's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Classification => "classification",
            Self::MultiLabel => "multi-label",
            Self::Anomaly => "anomaly",
            Self::Segmentation => "segmentation",
            Self::Detection => "detection",
            Self::Ocr => "ocr",
            Self::Counting => "counting",
            Self::Pose => "pose",
            Self::Gripping => "gripping",
        }
    }
}

impl ImportFormat {
    /// Every format.
    pub const ALL: [Self; 17] = [
        Self::Folder,
        Self::Filename,
        Self::Idx,
        Self::Mvtec,
        Self::MagneticTile,
        Self::Csv,
        Self::Coco,
        Self::MaskFolders,
        Self::Voc,
        Self::Txt,
        Self::Tags,
        Self::Tsv,
        Self::Icdar,
        Self::Dots,
        Self::Json,
        Self::Bop,
        Self::Cornell,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Folder => "folder",
            Self::Filename => "filename",
            Self::Idx => "idx",
            Self::Mvtec => "mvtec",
            Self::MagneticTile => "magnetic-tile",
            Self::Csv => "csv",
            Self::Coco => "coco",
            Self::MaskFolders => "mask-folders",
            Self::Voc => "voc",
            Self::Txt => "txt",
            Self::Tags => "tags",
            Self::Tsv => "tsv",
            Self::Icdar => "icdar",
            Self::Dots => "dots",
            Self::Json => "json",
            Self::Bop => "bop",
            Self::Cornell => "cornell",
        }
    }
}

impl fmt::Display for DatasetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DatasetKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        by_name(&Self::ALL, Self::name, text, "dataset kind")
    }
}

impl FromStr for ImportFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        by_name(&Self::ALL, Self::name, text, "import format")
    }
}

/// The value of `all` named `text` (`_` may stand for `-`); an error names `what` and lists
/// the kinds with their formats.
fn by_name<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
    what: &str,
) -> Result<T, String> {
    let text = text.replace('_', "-");
    all.iter()
        .copied()
        .find(|&v| name(v) == text)
        .ok_or_else(|| format!("unknown {what} '{text}' ({KIND_FORMATS})"))
}

/// What to import and where the importer may write (converted images, label images).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    /// The dataset kind.
    pub kind: DatasetKind,
    /// The source format.
    pub format: ImportFormat,
    /// The source folder or file.
    pub src: PathBuf,
    /// Label files or folders, where the format keeps them apart from `src`.
    pub labels: Option<PathBuf>,
    /// The image folder, where the format keeps it apart from `src`.
    pub images: Option<PathBuf>,
    /// A split file (magnetic tile).
    pub split_file: Option<PathBuf>,
    /// Class names, where the format has only ids; for counting, the one class to count
    /// (VOC, COCO) or to name the objects (dots, JSON).
    pub class_names: Option<Vec<String>>,
    /// Where converted images go (default: beside `out`).
    pub images_out: Option<PathBuf>,
    /// The dataset file the result will be saved as (names the default output folders).
    pub out: PathBuf,
}

impl ImportRequest {
    /// `images_out`, or `<out stem><suffix>` beside the dataset file.
    fn written_dir(&self, suffix: &str) -> PathBuf {
        self.images_out.clone().unwrap_or_else(|| {
            let stem = self.out.file_stem().unwrap_or_default().to_string_lossy();
            self.out.with_file_name(format!("{stem}{suffix}"))
        })
    }

    /// `images`, or the folder of `src`.
    fn image_dir(&self) -> PathBuf {
        self.images
            .clone()
            .unwrap_or_else(|| self.src.parent().unwrap_or(Path::new(".")).to_path_buf())
    }

    /// The one class name of a counting import (`None` when not given); more than one is
    /// an error.
    fn counting_class(&self) -> Result<Option<&str>, DataError> {
        match self.class_names.as_deref() {
            None | Some([]) => Ok(None),
            Some([name]) => Ok(Some(name)),
            Some(names) => Err(DataError::Import(format!(
                "--kind counting counts one class, but --class-names gives {}: {}",
                names.len(),
                names.join(", ")
            ))),
        }
    }

    /// An option the format needs, or an error saying so.
    fn needs<'a, T>(&self, value: &'a Option<T>, what: &str) -> Result<&'a T, DataError> {
        value
            .as_ref()
            .ok_or_else(|| DataError::Import(format!("--format {} needs {what}", self.format)))
    }
}

/// Imports a dataset with the importer for the request's kind and format.
pub fn import(r: &ImportRequest) -> Result<Dataset, DataError> {
    use DatasetKind as K;
    use ImportFormat as F;
    let src = r.src.as_path();
    match (r.kind, r.format) {
        (K::Classification, F::Folder) => import_folder(src),
        (K::Classification, F::Filename) => import_filename(src),
        (K::Classification, F::Idx) if src.is_dir() => {
            import_idx_dir(src, r.class_names.clone(), &r.written_dir("_images"))
        }
        (K::Classification, F::Idx) => {
            let labels = r.needs(&r.labels, "--labels (with an images file)")?;
            import_idx(
                src,
                labels,
                r.class_names.clone(),
                &r.written_dir("_images"),
                None,
            )
        }
        (K::Anomaly, F::Mvtec) => import_mvtec_ad(src),
        (K::Anomaly, F::MagneticTile) => import_magnetic_tile_anomaly(src, r.split_file.as_deref()),
        (K::MultiLabel, F::Csv) => import_multilabel_csv(src, &r.image_dir()),
        (K::MultiLabel, F::Coco) if src.is_dir() => {
            import_coco_split_folders(src, import_coco_multilabel)
        }
        (K::MultiLabel, F::Coco) => import_coco_multilabel(src, &r.image_dir()),
        (K::Segmentation, F::MagneticTile) => {
            import_magnetic_tile_segmentation(src, &r.written_dir("_labels"))
        }
        (K::Segmentation, F::MaskFolders) => {
            let labels = r.needs(&r.labels, "--labels (the label-image folder)")?;
            let names = r.needs(&r.class_names, "--class-names (ids 0, 1, …)")?;
            import_segmentation_folders(src, labels, names.clone())
        }
        (K::Detection, F::Coco) if src.is_dir() => {
            import_coco_split_folders(src, import_coco_detection)
        }
        (K::Detection, F::Coco) => import_coco_detection(src, &r.image_dir()),
        (K::Detection, F::Voc) => {
            let images = r.needs(&r.images, "--images (the image folder)")?;
            import_voc(src, images)
        }
        (K::Detection, F::Txt) => {
            let labels = r.needs(&r.labels, "--labels (the folder of .txt box files)")?;
            let names = r.needs(&r.class_names, "--class-names (ids 0, 1, …)")?;
            import_txt_boxes(src, labels, names)
        }
        (K::Ocr, F::Tags) => import_ocr_tags(src),
        (K::Ocr, F::Tsv) => {
            let labels = r
                .labels
                .clone()
                .unwrap_or_else(|| src.join(OCR_LABELS_FILE));
            import_ocr_tsv(src, &labels)
        }
        (K::Ocr, F::Icdar) => import_icdar2015(src, r.labels.as_deref().unwrap_or(src)),
        (K::Counting, F::Dots) => {
            let labels = r.needs(&r.labels, "--labels (the folder of dot maps)")?;
            import_counting_dots(src, labels, r.counting_class()?)
        }
        (K::Counting, F::Voc) => {
            let images = r.needs(&r.images, "--images (the image folder)")?;
            import_counting_voc(src, images, r.counting_class()?)
        }
        (K::Counting, F::Coco) => import_counting_coco(src, &r.image_dir(), r.counting_class()?),
        (K::Counting, F::Json) => import_counting_json(src, r.counting_class()?),
        (K::Pose, F::Bop) => Err(DataError::Import(
            "BOP scenes are read by kestrel_3d::import_bop (`kestrel dataset import --kind pose \
             --format bop` calls it)"
                .into(),
        )),
        (K::Gripping, F::Cornell) => {
            import_cornell(src, &CornellOptions::default()).map(|i| i.dataset)
        }
        (kind, format) => Err(DataError::Import(format!(
            "--kind {kind} cannot be imported from --format {format} ({KIND_FORMATS})"
        ))),
    }
}
