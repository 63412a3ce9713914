//! COCO's JSON form of a run-length encoded mask (`{"counts": ..., "size": [h, w]}`).

use serde::{Deserialize, Serialize};

use crate::error::RleError;
use crate::rle::Rle;

/// A COCO run-length encoded mask as it appears in JSON (column-major runs, starting
/// with background); [`CocoRle::to_rle`] decodes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CocoRle {
    /// The runs, plain or in COCO's compressed string form.
    pub counts: CocoRleCounts,
    /// Mask size `[height, width]`.
    pub size: [u32; 2],
}

/// The runs of a [`CocoRle`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CocoRleCounts {
    /// Run lengths as numbers (uncompressed RLE, used with `iscrowd` 1).
    Runs(Vec<u32>),
    /// COCO's compressed string form (as written by `pycocotools`).
    Compressed(String),
}

impl CocoRle {
    /// The mask: plain runs taken as they are, a compressed string decoded as
    /// `pycocotools` writes it ([`Rle::from_compressed`]).
    ///
    /// Fails when the string holds characters outside the encoding, a run is negative or
    /// too long, or the runs do not add up to `height * width`.
    pub fn to_rle(&self) -> Result<Rle, RleError> {
        let [height, width] = self.size;
        match &self.counts {
            CocoRleCounts::Runs(runs) => Rle::new(height, width, runs.clone()),
            CocoRleCounts::Compressed(s) => Rle::from_compressed(s, height, width),
        }
    }
}

impl From<&Rle> for CocoRle {
    /// The mask in COCO's compressed string form.
    fn from(rle: &Rle) -> CocoRle {
        CocoRle {
            counts: CocoRleCounts::Compressed(rle.to_compressed()),
            size: [rle.height, rle.width],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pycocotools_strings() {
        // pycocotools: encode(4x3 mask with pixels (1,0), (2,0), (0,2)) -> "125ON".
        let rle = CocoRle {
            counts: CocoRleCounts::Compressed("125ON".into()),
            size: [4, 3],
        };
        assert_eq!(rle.to_rle().unwrap().counts, [1, 2, 5, 1, 3]);
        // frPyObjects({"counts": [100000, 70, 899930], "size": [1000, 1000]}).
        let rle = CocoRle {
            counts: CocoRleCounts::Compressed("PeQ3V2jj^k0".into()),
            size: [1000, 1000],
        };
        assert_eq!(rle.to_rle().unwrap().counts, [100_000, 70, 899_930]);
        assert_eq!(CocoRle::from(&rle.to_rle().unwrap()), rle);
        let bad = CocoRle {
            counts: CocoRleCounts::Runs(vec![1, 2]),
            size: [4, 3],
        };
        assert!(
            bad.to_rle()
                .unwrap_err()
                .to_string()
                .contains("cover 3 pixels")
        );
        let bad = CocoRle {
            counts: CocoRleCounts::Compressed("1~".into()),
            size: [1, 1],
        };
        assert!(bad.to_rle().is_err());
    }

    #[test]
    fn json_forms() {
        let rle: CocoRle = serde_json::from_str(r#"{"counts": [1, 2], "size": [1, 3]}"#).unwrap();
        assert_eq!(rle.counts, CocoRleCounts::Runs(vec![1, 2]));
        let rle: CocoRle = serde_json::from_str(r#"{"counts": "12", "size": [1, 3]}"#).unwrap();
        assert_eq!(rle.to_rle().unwrap().counts, [1, 2]);
    }
}
