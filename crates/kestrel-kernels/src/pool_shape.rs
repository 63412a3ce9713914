//! The geometry of a 2D max pooling and the sizes derived from it.

use crate::error::KernelError;
use crate::shape::{check_window, checked_product, out_len};

/// Geometry of a 2D max pooling: input `[batch, channels, in_height, in_width]`, output
/// `[batch, channels, out_height, out_width]`, both contiguous NCHW; each output is the
/// maximum of its window of `kernel[0] x kernel[1]` taps in one plane (image and
/// channel).
///
/// Index 0 of `kernel`, `stride`, `padding` and `dilation` is the height, index 1 the
/// width. Padding is symmetric, `padding[0]` rows above and below and `padding[1]`
/// columns left and right, at most half the kernel as in PyTorch; padded positions
/// count as negative infinity, so they are never the maximum. The output size is
/// PyTorch's and burn's with `ceil_mode` false (see [`out_height`](Self::out_height)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool2dShape {
    /// Number of images.
    pub batch: usize,
    /// Channels, pooled independently.
    pub channels: usize,
    /// Rows of the input.
    pub in_height: usize,
    /// Columns of the input.
    pub in_width: usize,
    /// Taps of the window, `[height, width]`.
    pub kernel: [usize; 2],
    /// Step between output positions, `[height, width]`.
    pub stride: [usize; 2],
    /// Padding on each side, `[height, width]`, at most `kernel / 2`.
    pub padding: [usize; 2],
    /// Step between window taps, `[height, width]`.
    pub dilation: [usize; 2],
}

impl Pool2dShape {
    /// Rows of the output,
    /// `(in_height + 2 * padding[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1`,
    /// or 0 when that geometry is invalid.
    pub fn out_height(&self) -> usize {
        self.out_len(0, self.in_height)
    }

    /// Columns of the output,
    /// `(in_width + 2 * padding[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1`,
    /// or 0 when that geometry is invalid.
    pub fn out_width(&self) -> usize {
        self.out_len(1, self.in_width)
    }

    /// Elements of the input, `batch * channels * in_height * in_width` (saturating).
    pub fn input_len(&self) -> usize {
        self.planes().saturating_mul(self.in_plane())
    }

    /// Elements of the output (and of the indices), `batch * channels * out_height *
    /// out_width` (saturating).
    pub fn output_len(&self) -> usize {
        self.planes().saturating_mul(self.out_plane())
    }

    /// Checks the geometry: all sizes, kernel sizes, strides and dilations non-zero,
    /// padding at most half the kernel, the dilated kernel no larger than the padded
    /// input, every window holding at least one input element, and both tensor sizes
    /// representable.
    pub fn validate(&self) -> Result<(), KernelError> {
        let bad = |msg: String| Err(KernelError::InvalidShape(msg));
        let sizes = [
            ("batch", self.batch),
            ("channels", self.channels),
            ("in_height", self.in_height),
            ("in_width", self.in_width),
            ("kernel[0]", self.kernel[0]),
            ("kernel[1]", self.kernel[1]),
            ("stride[0]", self.stride[0]),
            ("stride[1]", self.stride[1]),
            ("dilation[0]", self.dilation[0]),
            ("dilation[1]", self.dilation[1]),
        ];
        for (name, value) in sizes {
            if value == 0 {
                return bad(format!("{name} is 0"));
            }
        }
        for (a, axis, input) in [(0, "height", self.in_height), (1, "width", self.in_width)] {
            let (kernel, padding, dilation) = (self.kernel[a], self.padding[a], self.dilation[a]);
            if padding > kernel / 2 {
                return bad(format!(
                    "padding[{a}] ({padding}) exceeds half the kernel {axis} ({kernel} / 2)"
                ));
            }
            check_window(axis, input, kernel, padding, dilation)?;
            // With padding at most half the kernel, every window starts before the end of
            // the input and ends after its start, so its taps miss the input only if the
            // dilation exceeds the input: that leaves kernel 2, padding 1 and dilation
            // `input + 1`, whose single window has its taps at -1 and `input`.
            if kernel == 2 && padding == 1 && dilation == input + 1 {
                return bad(format!(
                    "the only window along the {axis} lies entirely in the padding \
                     (kernel 2, padding 1, dilation {dilation} on an input of {input})"
                ));
            }
        }
        let sizes = [
            checked_product(&[self.batch, self.channels, self.in_height, self.in_width]),
            checked_product(&[
                self.batch,
                self.channels,
                self.out_height(),
                self.out_width(),
            ]),
            // The row buffers of the kernels hold the padded width.
            checked_product(&[self.in_width + 2 * self.padding[1], 2]),
        ];
        if sizes.iter().any(|s| s.is_none()) {
            return bad("the tensor sizes overflow".to_owned());
        }
        Ok(())
    }

    /// Checks that the flat indices within an input plane fit `u32`: validates the shape
    /// and asks for at most `2^32` elements per plane.
    pub(crate) fn validate_for_indices(&self) -> Result<(), KernelError> {
        self.validate()?;
        if self.in_plane() > u32::MAX as usize + 1 {
            return Err(KernelError::InvalidShape(format!(
                "the input plane ({} x {}) has more elements than `u32` indices can address",
                self.in_height, self.in_width
            )));
        }
        Ok(())
    }

    /// Output length along `axis` (0 height, 1 width) for an input of `input`.
    fn out_len(&self, axis: usize, input: usize) -> usize {
        out_len(
            input,
            self.kernel[axis],
            self.stride[axis],
            self.padding[axis],
            self.dilation[axis],
        )
    }

    /// Planes (images times channels), `batch * channels` (saturating).
    pub(crate) fn planes(&self) -> usize {
        self.batch.saturating_mul(self.channels)
    }

    /// Elements of one input plane, `in_height * in_width` (saturating).
    pub(crate) fn in_plane(&self) -> usize {
        self.in_height.saturating_mul(self.in_width)
    }

    /// Elements of one output plane, `out_height * out_width` (saturating).
    pub(crate) fn out_plane(&self) -> usize {
        self.out_height().saturating_mul(self.out_width())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem() -> Pool2dShape {
        Pool2dShape {
            batch: 2,
            channels: 3,
            in_height: 112,
            in_width: 111,
            kernel: [3, 3],
            stride: [2, 2],
            padding: [1, 1],
            dilation: [1, 1],
        }
    }

    #[test]
    fn sizes() {
        let s = stem();
        assert_eq!(s.out_height(), 56);
        assert_eq!(s.out_width(), 56);
        assert_eq!(s.input_len(), 6 * 112 * 111);
        assert_eq!(s.output_len(), 6 * 56 * 56);
        assert!(s.validate().is_ok());
        assert!(s.validate_for_indices().is_ok());
        let s = Pool2dShape {
            in_height: 7,
            kernel: [2, 3],
            stride: [1, 3],
            padding: [1, 0],
            dilation: [2, 1],
            ..stem()
        };
        // (7 + 2 - 2 - 1) / 1 + 1 and (111 - 3) / 3 + 1.
        assert_eq!(s.out_height(), 7);
        assert_eq!(s.out_width(), 37);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn invalid_shapes_do_not_panic() {
        let cases = [
            Pool2dShape {
                kernel: [0, 3],
                ..stem()
            },
            Pool2dShape {
                stride: [2, 0],
                ..stem()
            },
            Pool2dShape {
                padding: [2, 1],
                ..stem()
            },
            Pool2dShape {
                in_width: 1,
                kernel: [3, 5],
                padding: [1, 2],
                dilation: [1, 2],
                ..stem()
            },
            Pool2dShape {
                in_height: 3,
                kernel: [2, 3],
                padding: [1, 1],
                dilation: [4, 1],
                ..stem()
            },
            Pool2dShape {
                batch: usize::MAX / 2,
                ..stem()
            },
            Pool2dShape {
                in_width: usize::MAX,
                ..stem()
            },
        ];
        for s in cases {
            assert!(s.validate().is_err(), "{s:?}");
            let _ = (s.out_height(), s.out_width(), s.input_len(), s.output_len());
        }
        // A dilation one short of the degenerate case keeps a real tap.
        let s = Pool2dShape {
            in_height: 3,
            kernel: [2, 3],
            padding: [1, 1],
            dilation: [3, 1],
            ..stem()
        };
        assert!(s.validate().is_ok());
        assert_eq!(s.out_height(), 1);
    }

    #[test]
    fn huge_planes_have_no_u32_indices() {
        let s = Pool2dShape {
            batch: 1,
            channels: 1,
            in_height: 1 << 17,
            in_width: 1 << 16,
            ..stem()
        };
        assert!(s.validate().is_ok());
        assert!(s.validate_for_indices().is_err());
        let s = Pool2dShape {
            in_width: 1 << 15,
            ..s
        };
        assert!(s.validate_for_indices().is_ok());
    }
}
