//! The geometry of a 2D convolution and the sizes derived from it.

use std::ops::Range;

use crate::error::KernelError;

/// Geometry of a 2D convolution: input `[batch, in_channels, in_height, in_width]`, weight
/// `[out_channels, in_channels / groups, kernel_height, kernel_width]`, output
/// `[batch, out_channels, out_height, out_width]`, all contiguous NCHW.
///
/// Padding is symmetric zero padding: `padding[0]` rows above and below, `padding[1]`
/// columns left and right. Index 0 of `stride`, `padding` and `dilation` is the height,
/// index 1 the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conv2dShape {
    /// Number of images.
    pub batch: usize,
    /// Channels of the input.
    pub in_channels: usize,
    /// Rows of the input.
    pub in_height: usize,
    /// Columns of the input.
    pub in_width: usize,
    /// Channels of the output.
    pub out_channels: usize,
    /// Rows of the kernel.
    pub kernel_height: usize,
    /// Columns of the kernel.
    pub kernel_width: usize,
    /// Step between output positions, `[height, width]`.
    pub stride: [usize; 2],
    /// Zero padding on each side, `[height, width]`.
    pub padding: [usize; 2],
    /// Step between kernel taps, `[height, width]`.
    pub dilation: [usize; 2],
    /// Channel groups: input and output channels are split into `groups` equal parts and
    /// part `g` of the output only sees part `g` of the input.
    pub groups: usize,
}

/// Output length along one axis, 0 when the geometry along it is invalid.
pub(crate) fn out_len(
    input: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
) -> usize {
    if kernel == 0 || stride == 0 || dilation == 0 {
        return 0;
    }
    let span = dilation.saturating_mul(kernel - 1).saturating_add(1);
    let padded = input.saturating_add(padding.saturating_mul(2));
    if span > padded {
        0
    } else {
        (padded - span) / stride + 1
    }
}

impl Conv2dShape {
    /// Rows of the output: `(in_height + 2 * padding[0] - dilation[0] * (kernel_height - 1) - 1)
    /// / stride[0] + 1`, or 0 when that geometry is invalid.
    pub fn out_height(&self) -> usize {
        out_len(
            self.in_height,
            self.kernel_height,
            self.stride[0],
            self.padding[0],
            self.dilation[0],
        )
    }

    /// Columns of the output: `(in_width + 2 * padding[1] - dilation[1] * (kernel_width - 1) - 1)
    /// / stride[1] + 1`, or 0 when that geometry is invalid.
    pub fn out_width(&self) -> usize {
        out_len(
            self.in_width,
            self.kernel_width,
            self.stride[1],
            self.padding[1],
            self.dilation[1],
        )
    }

    /// Elements of the input, `batch * in_channels * in_height * in_width` (saturating).
    pub fn input_len(&self) -> usize {
        self.batch
            .saturating_mul(self.in_channels)
            .saturating_mul(self.in_plane())
    }

    /// Elements of the weight, `out_channels * (in_channels / groups) * kernel_height *
    /// kernel_width` (saturating; 0 when `groups` is 0).
    pub fn weight_len(&self) -> usize {
        self.out_channels.saturating_mul(self.col_rows())
    }

    /// Elements of the output, `batch * out_channels * out_height * out_width` (saturating).
    pub fn output_len(&self) -> usize {
        self.batch
            .saturating_mul(self.out_channels)
            .saturating_mul(self.out_plane())
    }

    /// Checks the geometry: all sizes, strides, dilations and `groups` non-zero, both
    /// channel counts divisible by `groups`, the dilated kernel no larger than the padded
    /// input, and every derived size (including the im2col buffer) representable.
    pub fn validate(&self) -> Result<(), KernelError> {
        let bad = |msg: String| Err(KernelError::InvalidShape(msg));
        let sizes = [
            ("batch", self.batch),
            ("in_channels", self.in_channels),
            ("in_height", self.in_height),
            ("in_width", self.in_width),
            ("out_channels", self.out_channels),
            ("kernel_height", self.kernel_height),
            ("kernel_width", self.kernel_width),
            ("stride[0]", self.stride[0]),
            ("stride[1]", self.stride[1]),
            ("dilation[0]", self.dilation[0]),
            ("dilation[1]", self.dilation[1]),
            ("groups", self.groups),
        ];
        for (name, value) in sizes {
            if value == 0 {
                return bad(format!("{name} is 0"));
            }
        }
        for (name, channels) in [
            ("in_channels", self.in_channels),
            ("out_channels", self.out_channels),
        ] {
            if channels % self.groups != 0 {
                return bad(format!(
                    "{name} ({channels}) is not divisible by groups ({})",
                    self.groups
                ));
            }
        }
        let axes = [
            (
                "height",
                self.in_height,
                self.kernel_height,
                self.padding[0],
                self.dilation[0],
            ),
            (
                "width",
                self.in_width,
                self.kernel_width,
                self.padding[1],
                self.dilation[1],
            ),
        ];
        for (axis, input, kernel, padding, dilation) in axes {
            check_window(axis, input, kernel, padding, dilation)?;
        }
        let products = [
            checked_product(&[self.batch, self.in_channels, self.in_height, self.in_width]),
            checked_product(&[
                self.batch,
                self.out_channels,
                self.out_height(),
                self.out_width(),
            ]),
            checked_product(&[
                self.out_channels,
                self.in_channels / self.groups,
                self.kernel_height,
                self.kernel_width,
                // The im2col buffer of one image is `col_rows * out_plane`.
                self.out_height(),
                self.out_width(),
            ]),
        ];
        // The padded input plus two strides each way bounds the depthwise kernels'
        // phase-split planes.
        let padded = |input: usize, padding: usize, stride: usize| {
            padding
                .checked_add(stride)
                .and_then(|e| e.checked_mul(2))
                .and_then(|e| e.checked_add(input))
        };
        let padded_area = padded(self.in_height, self.padding[0], self.stride[0])
            .zip(padded(self.in_width, self.padding[1], self.stride[1]))
            .and_then(|(h, w)| checked_product(&[h, w]));
        if products.iter().any(|p| p.is_none()) || padded_area.is_none() {
            return bad("the tensor sizes overflow".to_owned());
        }
        Ok(())
    }

    /// Input channels per group.
    pub(crate) fn in_per_group(&self) -> usize {
        self.in_channels.checked_div(self.groups).unwrap_or(0)
    }

    /// Output channels per group.
    pub(crate) fn out_per_group(&self) -> usize {
        self.out_channels.checked_div(self.groups).unwrap_or(0)
    }

    /// Elements of one input channel, `in_height * in_width`.
    pub(crate) fn in_plane(&self) -> usize {
        self.in_height.saturating_mul(self.in_width)
    }

    /// Elements of one output channel, `out_height * out_width`.
    pub(crate) fn out_plane(&self) -> usize {
        self.out_height().saturating_mul(self.out_width())
    }

    /// Kernel taps per channel, `kernel_height * kernel_width`.
    pub(crate) fn taps(&self) -> usize {
        self.kernel_height.saturating_mul(self.kernel_width)
    }

    /// Rows of the im2col matrix of one group (the GEMM depth of the forward pass),
    /// `in_per_group * kernel_height * kernel_width`.
    pub(crate) fn col_rows(&self) -> usize {
        self.in_per_group().saturating_mul(self.taps())
    }

    /// Whether the direct depthwise kernels apply: one input channel per group, at most
    /// [`DEPTHWISE_MAX_MULTIPLIER`] output channels per group. With more outputs per
    /// input channel a GEMM (depth `kernel_height * kernel_width`) is faster.
    pub(crate) fn is_depthwise(&self) -> bool {
        self.in_per_group() == 1 && self.out_per_group() <= DEPTHWISE_MAX_MULTIPLIER
    }

    /// Offset of tap `k` in input coordinates relative to `output index * stride` along
    /// `axis` (0 height, 1 width): `k * dilation - padding`. Fits `isize` after
    /// [`validate`](Self::validate).
    pub(crate) fn tap_offset(&self, axis: usize, k: usize) -> isize {
        (k * self.dilation[axis]) as isize - self.padding[axis] as isize
    }
}

/// Most output channels per input channel that still take the direct depthwise path.
pub(crate) const DEPTHWISE_MAX_MULTIPLIER: usize = 4;

/// Product of `factors`, `None` on overflow or beyond `isize::MAX`.
pub(crate) fn checked_product(factors: &[usize]) -> Option<usize> {
    factors
        .iter()
        .try_fold(1usize, |acc, &f| acc.checked_mul(f))
        .filter(|&p| p <= isize::MAX as usize)
}

/// Output indices `o` in `0..out_len` whose input index `o * stride + offset` lies in
/// `0..in_len`: the taps that read real data rather than padding. Empty ranges start
/// and end at the same index.
pub(crate) fn valid_range(
    out_len: usize,
    in_len: usize,
    stride: usize,
    offset: isize,
) -> Range<usize> {
    let stride_i = stride as isize;
    let start = if offset >= 0 {
        0
    } else {
        (-offset + stride_i - 1) / stride_i
    };
    let last = in_len as isize - 1 - offset;
    let end = if last < 0 { 0 } else { last / stride_i + 1 };
    let start = (start as usize).min(out_len);
    let end = (end as usize).clamp(start, out_len);
    start..end
}

/// Checks one axis of a sliding window (convolution or pooling): the dilated kernel
/// `dilation * (kernel - 1) + 1` fits the padded input `input + 2 * padding`, and neither
/// overflows. `kernel` must be at least 1.
pub(crate) fn check_window(
    axis: &str,
    input: usize,
    kernel: usize,
    padding: usize,
    dilation: usize,
) -> Result<(), KernelError> {
    let max = isize::MAX as usize;
    let padded = padding
        .checked_mul(2)
        .and_then(|p| p.checked_add(input))
        .filter(|&p| p <= max);
    let span = dilation
        .checked_mul(kernel - 1)
        .and_then(|s| s.checked_add(1))
        .filter(|&s| s <= max);
    match (padded, span) {
        (Some(padded), Some(span)) if span <= padded => Ok(()),
        (Some(padded), Some(span)) => Err(KernelError::InvalidShape(format!(
            "the dilated kernel {axis} ({span}) exceeds the padded input {axis} ({padded})"
        ))),
        _ => Err(KernelError::InvalidShape(format!(
            "the {axis} geometry overflows"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> Conv2dShape {
        Conv2dShape {
            batch: 2,
            in_channels: 4,
            in_height: 7,
            in_width: 5,
            out_channels: 6,
            kernel_height: 3,
            kernel_width: 3,
            stride: [2, 1],
            padding: [1, 0],
            dilation: [1, 2],
            groups: 2,
        }
    }

    #[test]
    fn sizes() {
        let s = shape();
        assert_eq!(s.out_height(), 4);
        assert_eq!(s.out_width(), 1);
        assert_eq!(s.input_len(), 2 * 4 * 35);
        assert_eq!(s.weight_len(), 6 * 2 * 9);
        assert_eq!(s.output_len(), 2 * 6 * 4);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn invalid_shapes_do_not_panic() {
        let mut s = shape();
        s.stride = [0, 1];
        assert_eq!(s.out_height(), 0);
        assert!(s.validate().is_err());
        let mut s = shape();
        s.groups = 0;
        assert_eq!(s.weight_len(), 0);
        assert!(s.validate().is_err());
        let mut s = shape();
        s.kernel_width = 9;
        assert_eq!(s.out_width(), 0);
        assert!(s.validate().is_err());
        let mut s = shape();
        s.in_height = usize::MAX;
        s.padding = [usize::MAX, 0];
        assert!(s.validate().is_err());
        let mut s = shape();
        s.batch = usize::MAX / 2;
        assert!(s.validate().is_err());
    }

    #[test]
    fn valid_ranges() {
        // 5 outputs, stride 2, input 9, offset -1: inputs -1, 1, 3, 5, 7.
        assert_eq!(valid_range(5, 9, 2, -1), 1..5);
        // offset 2: inputs 2, 4, 6, 8, 10.
        assert_eq!(valid_range(5, 9, 2, 2), 0..4);
        // all in padding
        assert_eq!(valid_range(3, 2, 1, 5), 0..0);
        assert_eq!(valid_range(3, 2, 1, -7), 3..3);
        assert_eq!(valid_range(4, 4, 1, 0), 0..4);
    }
}
