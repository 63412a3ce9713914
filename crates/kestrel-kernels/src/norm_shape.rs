//! The geometry of a batch norm input.

use crate::error::KernelError;

/// Geometry of a batch norm input: contiguous `[batch, channels, plane]`, where
/// `plane = height * width` of an NCHW tensor. The statistics are per channel, over
/// `batch * plane` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchNormShape {
    /// Number of images.
    pub batch: usize,
    /// Channels, each with its own statistics, scale (`gamma`) and shift (`beta`).
    pub channels: usize,
    /// Elements of one channel of one image, `height * width`.
    pub plane: usize,
}

impl BatchNormShape {
    /// Elements of the input, `batch * channels * plane` (saturating).
    pub fn len(&self) -> usize {
        self.batch
            .saturating_mul(self.channels)
            .saturating_mul(self.plane)
    }

    /// Whether the shape holds no element (some size is 0).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values per channel statistic, `batch * plane` (saturating).
    pub(crate) fn per_channel(&self) -> usize {
        self.batch.saturating_mul(self.plane)
    }

    /// Checks the geometry: all sizes non-zero and `batch * channels * plane` no larger
    /// than `isize::MAX`.
    pub fn validate(&self) -> Result<(), KernelError> {
        for (name, value) in [
            ("batch", self.batch),
            ("channels", self.channels),
            ("plane", self.plane),
        ] {
            if value == 0 {
                return Err(KernelError::InvalidShape(format!("{name} is 0")));
            }
        }
        let len = self
            .batch
            .checked_mul(self.channels)
            .and_then(|l| l.checked_mul(self.plane))
            .filter(|&l| l <= isize::MAX as usize);
        if len.is_none() {
            return Err(KernelError::InvalidShape(
                "the tensor size overflows".to_owned(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_validation() {
        let s = BatchNormShape {
            batch: 3,
            channels: 5,
            plane: 7,
        };
        assert_eq!(s.len(), 105);
        assert_eq!(s.per_channel(), 21);
        assert!(!s.is_empty());
        assert!(s.validate().is_ok());
        let zero = BatchNormShape { plane: 0, ..s };
        assert!(zero.is_empty());
        assert!(zero.validate().is_err());
        let huge = BatchNormShape {
            batch: usize::MAX / 2,
            ..s
        };
        assert_eq!(huge.len(), usize::MAX);
        assert!(huge.validate().is_err());
    }
}
