//! The command-line grammar.

use clap::{Args, Parser, Subcommand, ValueEnum};
use kestrel::MethodKind;
use kestrel::data::{DatasetKind, ImportFormat};
use std::path::PathBuf;

/// Deep learning for machine vision: datasets, training, evaluation and inference.
#[derive(Parser, Debug)]
#[command(name = "kestrel", version, about)]
pub struct Cli {
    /// CPU threads for training and inference (default: one per core, or
    /// RAYON_NUM_THREADS).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import, split and validate datasets.
    #[command(subcommand)]
    Dataset(DatasetCommand),
    /// Train a model on a dataset's train split, validating on its validation split.
    Train(TrainArgs),
    /// Evaluate a model on a dataset split: JSON measures and a confusion-matrix PNG.
    Evaluate(EvaluateArgs),
    /// Apply a model to images or folders of images.
    Infer(InferArgs),
    /// Find and read words with a deep-OCR model (`kestrel model import-ocr`).
    Ocr(OcrArgs),
    /// Count objects like a few example boxes with a deep-counting model.
    Count(CountArgs),
    /// List the methods (model types) a model can be made for.
    Methods,
    /// List the devices this build can run on.
    Devices {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Inspect and change model files.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Export a model to another format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Train, evaluate and infer on the small dataset bundled with Kestrel.
    Demo {
        /// Folder for the demo's outputs.
        #[arg(long, default_value = "runs/demo")]
        out: PathBuf,
        /// Training epochs.
        #[arg(long, default_value_t = 8)]
        epochs: usize,
    },
}

/// Dataset commands.
#[derive(Subcommand, Debug)]
pub enum DatasetCommand {
    /// Create a dataset file from images on disk.
    Import {
        /// The dataset kind: classification, multi-label, anomaly, segmentation, detection,
        /// ocr, counting, pose, gripping.
        #[arg(long, default_value = "classification")]
        kind: DatasetKind,
        /// The source layout (classification: folder, filename, idx; multi-label: csv, coco;
        /// anomaly: mvtec, magnetic-tile; segmentation: magnetic-tile, mask-folders;
        /// detection: coco, voc, txt; ocr: tags, tsv, icdar; counting: dots, voc, coco,
        /// json; pose: bop; gripping: cornell).
        #[arg(long)]
        format: ImportFormat,
        /// The source folder (or IDX images file, or `--format tags` tag file).
        #[arg(long)]
        src: PathBuf,
        /// IDX labels file (with an IDX images file as --src), the label-image folder
        /// (`--format mask-folders`), the label file (`--format tsv`, default
        /// `<src>/labels.tsv`), the annotation folder (`--format icdar`, default --src) or
        /// the dot-map folder (`--kind counting --format dots`, `<name>_gt.png`), or the CAD
        /// models folder (`--format bop`, default `<src>/../../models`).
        #[arg(long)]
        labels: Option<PathBuf>,
        /// The image folder for `--format csv|coco` (default: the file's folder) and
        /// `--format voc`.
        #[arg(long)]
        images: Option<PathBuf>,
        /// A fixed split (`--format magnetic-tile --kind anomaly`): JSON with `train`,
        /// `test_good` and `test_defect` path lists.
        #[arg(long)]
        split_file: Option<PathBuf>,
        /// Detection: also derive rotated boxes (minimum-area rectangles) from the instance
        /// polygons, for `instance_type` `rectangle2`.
        #[arg(long)]
        rotated: bool,
        /// Class names for IDX labels 0, 1, … (comma separated); for `--kind counting`, the
        /// one class of VOC/COCO boxes to count.
        #[arg(long, value_delimiter = ',')]
        class_names: Option<Vec<String>>,
        /// Where IDX images or segmentation label images are written as PNG (default:
        /// `<out>_images/` or `<out>_labels/` beside the dataset).
        #[arg(long)]
        images_out: Option<PathBuf>,
        /// The dataset file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing dataset file.
        #[arg(long)]
        force: bool,
    },
    /// Assign train/validation/test, stratified per class, and save the dataset.
    Split {
        /// The dataset file (rewritten with the split).
        dataset: PathBuf,
        /// Percent for training.
        #[arg(long, default_value_t = 70.0)]
        train: f64,
        /// Percent for validation.
        #[arg(long, default_value_t = 15.0)]
        val: f64,
        /// Percent for testing.
        #[arg(long, default_value_t = 15.0)]
        test: f64,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Keep samples already marked test; split the rest into train/validation.
        #[arg(long)]
        keep_test: bool,
    },
    /// Derive an edge-extraction dataset from a segmentation dataset: the borders between
    /// classes become the `edge` class.
    Edges {
        /// The segmentation dataset file.
        dataset: PathBuf,
        /// Folder for the edge label images (default: `<out>_labels/` beside --out).
        #[arg(long)]
        labels_out: Option<PathBuf>,
        /// The edge dataset file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing dataset file.
        #[arg(long)]
        force: bool,
    },
    /// Check every sample and report all problems at once.
    Validate {
        /// The dataset file.
        dataset: PathBuf,
    },
    /// Write synthetic word crops for training a deep-OCR recogniser: words drawn in the
    /// font that ships with Kestrel (DejaVu Sans) over pieces of background photos, in the
    /// train split. With --base the dataset also holds that dataset's samples, with their
    /// splits, and its train words are among those drawn. The same seed draws the same
    /// crops, so an interrupted run is simply run again.
    SynthWords {
        /// Folders of background photos (repeatable).
        #[arg(long, required = true)]
        backgrounds: Vec<PathBuf>,
        /// The number of synthetic crops.
        #[arg(long)]
        num_words: u64,
        /// A dataset of word crops to include (e.g. the user's own, already split).
        #[arg(long)]
        base: Option<PathBuf>,
        /// Random seed: the same seed draws the same crops.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Folder for the crops (default: `<out>_images/` beside --out).
        #[arg(long)]
        images_out: Option<PathBuf>,
        /// The dataset file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing dataset file.
        #[arg(long)]
        force: bool,
    },
    /// Render synthetic training images of CAD models (deep 3D matching) into a BOP scene
    /// folder: each instance's pose, visible mask and boxes over random background photos,
    /// with occluders and randomised light, colour, blur and noise. Run it again to
    /// continue an interrupted run or, with a larger --num-images, to add images.
    Render {
        /// The generator's JSON configuration: `bop_models` or `objects`, `camera`,
        /// `backgrounds` (see `kestrel_3d::synth::SynthConfig`).
        #[arg(long)]
        config: PathBuf,
        /// The number of images (default: the configuration's `num_images`).
        #[arg(long)]
        num_images: Option<u64>,
        /// The BOP scene folder to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Solvers.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solver {
    /// SGD with momentum.
    Sgd,
    /// Adam.
    Adam,
}

/// `kestrel train` options.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The dataset file (with a split).
    #[arg(long)]
    pub dataset: PathBuf,
    /// The method: classification, multi-label-classification, anomaly-detection (needs
    /// --pretrained), gc-anomaly-detection, segmentation, edge-extraction, detection (`--set
    /// instance_type=rectangle2` for rotated boxes, `mask` for instance masks); `kestrel
    /// methods` lists them all. Default: classification, or the type of the model
    /// continued with --resume or of a whole --pretrained model.
    #[arg(long, value_parser = parse_method)]
    pub model_type: Option<MethodKind>,
    /// compact | resnet18 | resnet50 | mobilenet_v2 (default: compact).
    #[arg(long)]
    pub backbone: Option<String>,
    /// Start from a pretrained model (a shipped name such as mobilenet_v2, or a model file):
    /// its backbone and preprocessing are kept, the classifier head is new.
    #[arg(long)]
    pub pretrained: Option<String>,
    /// With --pretrained: keep the backbone's weights fixed.
    #[arg(long)]
    pub freeze_backbone: bool,
    /// With --pretrained: the backbone's learning rate relative to the head's.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub backbone_lr_factor: f64,
    /// Training epochs.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Images per step.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Initial learning rate.
    #[arg(long, allow_negative_numbers = true)]
    pub learning_rate: Option<f64>,
    /// Optimiser.
    #[arg(long, value_enum)]
    pub solver: Option<Solver>,
    /// SGD momentum.
    #[arg(long, allow_negative_numbers = true)]
    pub momentum: Option<f64>,
    /// Weight decay.
    #[arg(long, allow_negative_numbers = true)]
    pub weight_prior: Option<f64>,
    /// Input size `WxH` (default: 28x28 for compact, 224x224 otherwise).
    #[arg(long)]
    pub image_size: Option<String>,
    /// Input channels, 1 or 3 (default: 1 for compact, 3 otherwise).
    #[arg(long)]
    pub channels: Option<u32>,
    /// Learning-rate schedule: `constant`, `cosine`, or `steps:E=F,E=F` (factor F from epoch E).
    #[arg(long)]
    pub lr_schedule: Option<String>,
    /// Linear warm-up epochs.
    #[arg(long, allow_negative_numbers = true)]
    pub warmup_epochs: Option<f64>,
    /// Turn on data augmentation (mirror, small rotation, brightness/contrast, crop).
    #[arg(long)]
    pub augment: bool,
    /// Any model parameter, `name=value` (repeatable; see `kestrel model info`).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Device: cpu, cuda[:N], tch.
    #[arg(long)]
    pub device: Option<String>,
    /// Continue the interrupted run that wrote --out.
    #[arg(long)]
    pub resume: bool,
    /// Replace existing output models.
    #[arg(long)]
    pub force: bool,
    /// The final model file (the best one is written beside it as `<name>.best.<ext>`).
    #[arg(long)]
    pub out: PathBuf,
}

/// `kestrel evaluate` options.
#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// The model file.
    #[arg(long)]
    pub model: PathBuf,
    /// The dataset file.
    #[arg(long)]
    pub dataset: PathBuf,
    /// The split to evaluate: train, validation, test.
    #[arg(long, default_value = "test")]
    pub split: String,
    /// Images per batch.
    #[arg(long, default_value_t = 32, value_parser = at_least_one)]
    pub batch_size: usize,
    /// The JSON file to write (pictures are written beside it: `.confusion.png` for
    /// classifiers; `.roc.png` and a `.pictures/` folder of heat maps for anomaly detection).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out if it exists (never when it is one of the command's inputs).
    #[arg(long)]
    pub force: bool,
}

/// `kestrel infer` options.
#[derive(Args, Debug)]
pub struct InferArgs {
    /// The model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Images and folders of images.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Keep the K best classes per image (0 = all).
    #[arg(long, default_value_t = 0)]
    pub top_k: usize,
    /// Images per batch.
    #[arg(long, default_value_t = 16, value_parser = at_least_one)]
    pub batch_size: usize,
    /// Device: cpu, cuda[:N], tch (default: the model's).
    #[arg(long)]
    pub device: Option<String>,
    /// For an ONNX model without Kestrel metadata: the input size `WxH` (RGB, ImageNet
    /// mean/std normalisation).
    #[arg(long)]
    pub image_size: Option<String>,
    /// For an ONNX model without Kestrel metadata: class names, one per line.
    #[arg(long)]
    pub class_names: Option<PathBuf>,
    /// For an anomaly-detection model: write a heat-map PNG per image into this folder.
    #[arg(long)]
    pub heat_maps: Option<PathBuf>,
    /// For a segmentation model: write a label PNG (class index per pixel, at the model's
    /// input size) and a colour overlay per image into this folder.
    #[arg(long)]
    pub label_images: Option<PathBuf>,
    /// Object detection, counting, gripping points, deep OCR: write each image with its
    /// results drawn to this folder.
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// The JSON file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out if it exists (never when it is one of the command's inputs).
    #[arg(long)]
    pub force: bool,
}

/// `kestrel ocr`: deep OCR on images.
#[derive(Args, Debug)]
pub struct OcrArgs {
    /// The deep-OCR model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Images and folders of images.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// auto (find and read words), detection (find only), recognition (each image is one
    /// word); default: the model's `mode`.
    #[arg(long)]
    pub mode: Option<String>,
    /// Word crops read per batch.
    #[arg(long, default_value_t = 32, value_parser = at_least_one)]
    pub batch_size: usize,
    /// Write each image with its word boxes drawn to this folder.
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// The JSON file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out if it exists (never when it is one of the command's inputs).
    #[arg(long)]
    pub force: bool,
}

/// `kestrel count`.
#[derive(Args, Debug)]
pub struct CountArgs {
    /// The deep-counting model file (prepared with `kestrel train --model-type
    /// deep_counting --dataset EXAMPLES`, or given `--examples`).
    #[arg(long)]
    pub model: PathBuf,
    /// A dataset file whose example boxes (`exemplar_*`) the model is prepared with first
    /// (the model file is not changed).
    #[arg(long)]
    pub examples: Option<PathBuf>,
    /// Images and folders of images.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Count objects scoring at least this (default: the model's `min_score`; 1 is as alike
    /// as the examples are to each other).
    #[arg(long)]
    pub min_score: Option<f32>,
    /// Write each image with its objects outlined, and its score map, to this folder.
    #[arg(long)]
    pub overlays: Option<PathBuf>,
    /// The JSON file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out if it exists (never when it is one of the command's inputs).
    #[arg(long)]
    pub force: bool,
}

/// Export formats.
#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// ONNX (opset 13), batch norm folded, preprocessing in the metadata.
    Onnx {
        /// The Kestrel model file.
        model: PathBuf,
        /// The ONNX file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Model file commands.
#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    /// Print a model's parameters and size.
    Info {
        /// The model file.
        model: PathBuf,
    },
    /// Create a model: a shipped pretrained one (`--pretrained mobilenet_v2`), or a fresh
    /// classifier for `--backbone` and `--class-names`.
    Create {
        /// A shipped model name (mobilenet_v2) or a Kestrel model file.
        #[arg(long, conflicts_with_all = ["backbone", "class_names"])]
        pretrained: Option<String>,
        /// Backbone of a fresh model: compact | resnet18 | resnet50 | mobilenet_v2.
        #[arg(long, requires = "class_names")]
        backbone: Option<String>,
        /// Classes of a fresh model (comma separated).
        #[arg(long, value_delimiter = ',')]
        class_names: Option<Vec<String>>,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Import torchvision weights (safetensors) into a Kestrel classifier.
    Import {
        /// The torchvision checkpoint (`features.0.0.weight`, … or `conv1.weight`, …).
        #[arg(long)]
        torchvision: PathBuf,
        /// Its architecture: resnet18 | resnet50 | mobilenet_v2.
        #[arg(long)]
        backbone: String,
        /// Class names, one per line (e.g. imagenet_classes.txt).
        #[arg(long)]
        class_names: PathBuf,
        /// Input size `WxH` (default 224x224); ImageNet mean/std normalisation.
        #[arg(long, default_value = "224x224")]
        image_size: String,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Create a deep-OCR model from an ONNX word detector and/or recogniser (PaddleOCR's
    /// PP-OCRv4, for one) and the recogniser's alphabet.
    ImportOcr {
        /// The recogniser (ONNX): `[batch, 3, height, width]` in [-1, 1] to per-position
        /// class probabilities (class 0 = CTC blank).
        #[arg(long, requires = "alphabet")]
        recognizer: Option<PathBuf>,
        /// The detector (ONNX): an ImageNet-normalised RGB image to a text probability map.
        #[arg(long, required_unless_present = "recognizer")]
        detector: Option<PathBuf>,
        /// The recogniser's alphabet: one character per line, line i = class i + 1.
        #[arg(long)]
        alphabet: Option<PathBuf>,
        /// The recogniser has no space class after the alphabet's characters (PaddleOCR's
        /// have one).
        #[arg(long)]
        no_space: bool,
        /// Crop size `WxH`: height of every crop, widest crop (default 320x48).
        #[arg(long, default_value = "320x48")]
        image_size: String,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Set model parameters (`name=value`) and write the model to --out.
    Set {
        /// The model file.
        model: PathBuf,
        /// Parameters to set.
        #[arg(required = true, value_name = "NAME=VALUE")]
        assignments: Vec<String>,
        /// Where to write the changed model.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// A method by name (`multi-label-classification` or `multi_label_classification`).
fn parse_method(text: &str) -> Result<MethodKind, String> {
    text.parse()
}

/// A count of at least 1 (batch sizes).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}
