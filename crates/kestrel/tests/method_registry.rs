//! A method defined only in this test — a one-output "brightness regressor" that learns the
//! mean grey value of an image — plugs into Kestrel through the public API and the
//! registry: its model is created, trained (by the shared trainer), saved, read back,
//! evaluated and applied like a built-in one, and its own parameter is read, set and kept
//! in the model file. Nothing outside this file knows the method.

mod common;

use burn::module::{Module, ParamGroup};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use kestrel::data::{Dataset, Sample, Split};
use kestrel::image::PreprocessParams;
use kestrel::nn::BackboneKind;
use kestrel::train::{TrainOptions, TrainSummary, split_data, train_network};
use kestrel::{
    GradientMethod, ImageResult, InferOptions, LoadedImage, Loader, Method, MethodKind, Model,
    ModelParams, Network, NetworkInit, Report, Results, predict_paths, registry,
};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The registered method.
static BRIGHTNESS: BrightnessMethod = BrightnessMethod;

/// The method's registry entry.
struct BrightnessMethod;

/// Its network: a 3x3 convolution, global mean, one linear output.
#[derive(Module, Debug)]
struct BrightnessNet {
    conv: Conv2d,
    fc: Linear,
}

impl BrightnessNet {
    fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let features = relu(self.conv.forward(images));
        let pooled = features.mean_dim(3).mean_dim(2).flatten::<2>(1, 3);
        self.fc.forward(pooled)
    }
}

/// The training contract: target = the image's mean grey value in `[0, 1]` times
/// `brightness_scale`.
struct Brightness {
    preprocess: PreprocessParams,
    scale: f32,
}

impl Brightness {
    fn of(model: &Model) -> Self {
        Self {
            preprocess: model.params.preprocess(),
            scale: model.params.method_params["brightness_scale"]
                .as_f64()
                .unwrap() as f32,
        }
    }
}

impl GradientMethod for Brightness {
    type Net = BrightnessNet;
    type Annotation = f32;
    type Target = f32;
    type Prediction = f32;

    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> kestrel::Result<f32> {
        let image = kestrel::image::load_resized(&dataset.image_path(sample), &self.preprocess)?;
        Ok(self.scale * image.data.iter().sum::<f32>() / image.data.len() as f32)
    }

    /// Mirroring and small turns keep the mean brightness.
    fn place_target(&self, annotation: &f32, _image: &LoadedImage) -> kestrel::Result<f32> {
        Ok(*annotation)
    }

    fn loss(&self, net: &BrightnessNet, images: Tensor<4>, targets: &[f32]) -> Tensor<1> {
        let device = images.device();
        let out = net.forward(images);
        let n = targets.len();
        let targets = Tensor::<2>::from_data(TensorData::new(targets.to_vec(), [n, 1]), &device);
        (out - targets).powf_scalar(2.0).mean()
    }

    fn predict(&self, net: &BrightnessNet, images: Tensor<4>) -> Vec<f32> {
        net.forward(images)
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .unwrap()
    }

    fn error(&self, predictions: &[f32], targets: &[f32]) -> f64 {
        mean_absolute_error(predictions, targets)
    }

    fn backbone_params(&self, net: &BrightnessNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.conv.clone())
    }
}

fn mean_absolute_error(predictions: &[f32], targets: &[f32]) -> f64 {
    let sum: f64 = predictions
        .iter()
        .zip(targets)
        .map(|(p, t)| (p - t).abs() as f64)
        .sum();
    sum / targets.len().max(1) as f64
}

/// The evaluation: mean absolute error against the true brightness, and that of always
/// answering the training images' mean (the baseline to beat).
#[derive(Serialize)]
struct BrightnessReport {
    num_images: usize,
    mean_absolute_error: f64,
    baseline_mean_absolute_error: f64,
}

impl Report for BrightnessReport {
    fn write(&self, json_path: &Path, _model: &Model) -> kestrel::Result<Vec<PathBuf>> {
        kestrel::model_file::write_atomic(json_path, &serde_json::to_vec_pretty(self).unwrap())?;
        Ok(Vec::new())
    }

    fn summary(&self) -> String {
        format!(
            "{} images: mean absolute error {:.4} (baseline {:.4})",
            self.num_images, self.mean_absolute_error, self.baseline_mean_absolute_error
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The result for one image.
#[derive(Serialize)]
struct ImageBrightness {
    image: PathBuf,
    brightness: f32,
}

impl ImageResult for ImageBrightness {
    fn line(&self) -> String {
        format!(
            "{}: brightness {:.3}",
            self.image.display(),
            self.brightness
        )
    }
}

fn predictions(model: &Model, paths: Vec<PathBuf>) -> kestrel::Result<Vec<f32>> {
    let net = model.network.expect::<BrightnessNet>()?;
    let loader = Loader::plain(model.params.preprocess());
    predict_paths(&Brightness::of(model), net, &loader, Arc::new(paths), 16)
}

impl Method for BrightnessMethod {
    fn name(&self) -> &'static str {
        "brightness_regression"
    }

    fn description(&self) -> &'static str {
        "the mean grey value of an image (an example method)"
    }

    fn default_params(&self, backbone: BackboneKind, _dataset: &Dataset) -> ModelParams {
        let mut params = ModelParams::classification(backbone, vec!["brightness".into()]);
        params.model_type = MethodKind::of(&BRIGHTNESS);
        params.method_params = self.extra_params();
        params
    }

    fn extra_params(&self) -> Map<String, Value> {
        Map::from_iter([("brightness_scale".to_string(), json!(1.0))])
    }

    fn validate_params(&self, params: &ModelParams) -> kestrel::Result<()> {
        match params
            .method_params
            .get("brightness_scale")
            .and_then(Value::as_f64)
        {
            Some(s) if s > 0.0 => Ok(()),
            other => Err(kestrel::Error::BadParam {
                name: "brightness_scale".into(),
                message: format!("{other:?} (must be a number > 0)"),
            }),
        }
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        _init: NetworkInit<'_>,
    ) -> kestrel::Result<Network> {
        let channels = params.image_num_channels as usize;
        let net = BrightnessNet {
            conv: Conv2dConfig::new([channels, 4], [3, 3]).init(device),
            fc: LinearConfig::new(4, 1).init(device),
        };
        Ok(Network::new("Brightness", net))
    }

    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> kestrel::Result<TrainSummary> {
        let method = Brightness::of(model);
        train_network(&method, model, dataset, options)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        _batch_size: usize,
    ) -> kestrel::Result<Box<dyn Report>> {
        let method = Brightness::of(model);
        let train_targets = split_data(&method, dataset, Split::Train)?.annotations;
        let data = split_data(&method, dataset, split)?;
        let predicted = predictions(model, data.paths.to_vec())?;
        let train_mean = train_targets.iter().sum::<f32>() / train_targets.len() as f32;
        let baseline = vec![train_mean; data.annotations.len()];
        Ok(Box::new(BrightnessReport {
            num_images: data.annotations.len(),
            mean_absolute_error: mean_absolute_error(&predicted, &data.annotations),
            baseline_mean_absolute_error: mean_absolute_error(&baseline, &data.annotations),
        }))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        _options: &InferOptions,
    ) -> kestrel::Result<Box<dyn Results>> {
        let results: Vec<ImageBrightness> = paths
            .iter()
            .zip(predictions(model, paths.to_vec())?)
            .map(|(image, brightness)| ImageBrightness {
                image: image.clone(),
                brightness,
            })
            .collect();
        Ok(Box::new(results))
    }
}

#[test]
fn a_method_defined_outside_the_library_trains_evaluates_and_infers() {
    registry::register(&BRIGHTNESS).unwrap();
    assert!(registry::names().contains(&"brightness_regression"));
    let kind: MethodKind = "brightness-regression".parse().unwrap();
    let dataset = common::fashion_mini();

    // The method's defaults, then its own parameter set by name like any other.
    let mut params = kind
        .method()
        .default_params(BackboneKind::Compact, &dataset);
    params.epochs = 15;
    params.batch_size = 16;
    params.learning_rate = 0.05;
    params.solver_type = kestrel::SolverType::Adam;
    params.set("brightness_scale", "2").unwrap();
    assert!(params.set("brightness_scale", "-1").is_err());
    assert!(params.set("brightness_scal", "1").is_err());

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("brightness.kmodel");
    let mut model = Model::new(params).unwrap();
    let summary = model
        .train(&dataset, &common::options(out.clone()))
        .unwrap();
    assert_eq!(summary.epochs, 15);

    // The model file holds the method and its parameter.
    let model = Model::load(&out).unwrap();
    assert_eq!(model.params.model_type, kind);
    assert_eq!(model.params.get("brightness_scale").unwrap(), json!(2));

    let report = model.evaluate(&dataset, Split::Test, 32).unwrap();
    let measures = report.as_any().downcast_ref::<BrightnessReport>().unwrap();
    eprintln!("{}", report.summary());
    assert!(
        measures.mean_absolute_error < 0.5 * measures.baseline_mean_absolute_error,
        "{}",
        report.summary()
    );
    report.write(&tmp.path().join("eval.json"), &model).unwrap();

    // Inference: a dark and a bright image of the dataset are told apart.
    let test: Vec<PathBuf> = dataset
        .samples_in(Split::Test)
        .iter()
        .map(|s| dataset.image_path(s))
        .collect();
    let method = Brightness::of(&model);
    let truths: Vec<f32> = dataset
        .samples_in(Split::Test)
        .iter()
        .map(|s| method.encode_target(&dataset, s).unwrap())
        .collect();
    let darkest = (0..truths.len())
        .min_by(|&a, &b| truths[a].total_cmp(&truths[b]))
        .unwrap();
    let brightest = (0..truths.len())
        .max_by(|&a, &b| truths[a].total_cmp(&truths[b]))
        .unwrap();
    let pair = [test[darkest].clone(), test[brightest].clone()];
    let results = model.infer(&pair, &InferOptions::default()).unwrap();
    assert_eq!(results.len(), 2);
    let found = results
        .as_any()
        .downcast_ref::<Vec<ImageBrightness>>()
        .unwrap();
    assert!(
        found[0].brightness < found[1].brightness,
        "{:?}",
        results.lines()
    );
    assert!(results.to_json().contains("\"brightness\""));
}
