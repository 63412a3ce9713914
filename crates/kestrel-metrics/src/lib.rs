//! Evaluation for Kestrel: confusion matrices, per class and top-k classification
//! metrics, multi-label classification metrics, anomaly detection metrics (ROC AUC, the
//! MVTec AD PRO score, decisions at a threshold), semantic segmentation metrics (IoU,
//! tolerant edge F1), COCO-style object detection and instance segmentation metrics
//! (equal to `pycocotools`' `COCOeval`, with COCO RLE masks and rotated-box IoU), OCR
//! measures (edit distance, character error rate, word accuracy, word detection precision,
//! recall and F1 at a rotated IoU, end-to-end word accuracy), counting measures (MAE, RMSE, relative MAE, position
//! precision, recall and F1 from a one-to-one maximum matching within a radius), gripping
//! measures (the Cornell rectangle metric, point precision, gripping-map IoU/F1), and PNG plots of confusion matrices, training curves, ROC and precision-recall curves and of the worst-read OCR words.
//!
//! Plots are drawn with `plotters` into memory and written atomically as PNG; text uses the
//! DejaVu Sans font embedded in the crate (see `assets/DejaVuSans-LICENSE.txt`), so no
//! system font library is needed.

#![warn(missing_docs)]

mod anomaly;
mod classification;
mod confusion;
mod counting;
mod detection;
mod error;
mod gripping;
mod multilabel;
mod ocr;
mod plot;
mod ranking;
mod record;
mod segmentation;

pub use anomaly::{
    AnomalyMap, BinaryCounts, Regions, RocCurve, best_f1_threshold, binary_at_threshold,
    connected_regions, pixel_roc_auc, pixel_roc_curve, pro_auc, roc_auc, roc_curve,
};
pub use classification::{ClassMetrics, ClassificationEvaluation, evaluate_classification};
pub use confusion::ConfusionMatrix;
pub use counting::{
    CountingEvaluation, CountingImage, CountingImageResult, evaluate_counting, match_points,
};
pub use detection::{
    AREA_LABELS, AREA_RANGES, ClassDetectionMetrics, Detection, DetectionEvaluation, EvalCategory,
    EvalImage, GroundTruth, GroundTruthSet, IouType, MAX_DETECTIONS, Mask, PrecisionRecallCurve,
    Rle, RotatedBox, box_iou, evaluate_detection, iou_thresholds, mask_iou, recall_thresholds,
    rotated_iou,
};
pub use error::MetricsError;
pub use gripping::{
    CORNELL_ANGLE_THRESHOLD_DEG, CORNELL_IOU_THRESHOLD, GraspImage, GripTruth,
    GrippingMapAccumulator, GrippingMapEvaluation, PointEvaluation, PointImage,
    RectangleEvaluation, cornell_match, evaluate_cornell, evaluate_points, grasp_angle_difference,
    point_in_grasp,
};
pub use multilabel::{
    LabelMetrics, MultiLabelEvaluation, average_precision, best_f1_thresholds, evaluate_multilabel,
};
pub use ocr::{
    ImageWordCounts, OCR_IOU_THRESHOLD, OcrImage, PredictedWord, Recognition,
    RecognitionEvaluation, TruthWord, WORST_PICTURE_CROP_HEIGHT, WORST_PICTURE_MAX_CROP_WIDTH,
    WORST_PICTURE_MAX_ROWS, WordDetectionEvaluation, WordMatch, WorstWordRow, character_error_rate,
    edit_distance, evaluate_recognition, evaluate_word_detection, match_words, normalize_word,
    plot_worst_words, same_word_normalized,
};
pub use plot::font::embedded_font;
pub use plot::{plot_confusion_matrix, plot_precision_recall, plot_roc_curve, plot_training_curve};
pub use record::EpochRecord;
pub use segmentation::{
    EdgeF1, SegmentationAccumulator, SegmentationClassMetrics, SegmentationEvaluation, edge_f1,
    image_mean_iou,
};
