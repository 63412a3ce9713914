//! A bounds-checked, safe wrapper around `gemm::gemm` for strided f32 matrices.

pub(crate) use gemm::Parallelism;

/// A read-only strided view of a matrix inside a slice: element `(i, j)` is
/// `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub(crate) struct MatRef<'a> {
    pub data: &'a [f32],
    pub rows: usize,
    pub cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
}

/// A writable strided view of a matrix inside a slice: element `(i, j)` is
/// `data[i * row_stride + j * col_stride]`.
pub(crate) struct MatMut<'a> {
    pub data: &'a mut [f32],
    pub rows: usize,
    pub cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a> MatRef<'a> {
    /// A row-major `rows x cols` matrix with `row_stride` elements between rows.
    pub fn rows(data: &'a [f32], rows: usize, cols: usize, row_stride: usize) -> Self {
        Self {
            data,
            rows,
            cols,
            row_stride,
            col_stride: 1,
        }
    }

    /// The transpose, a view of the same elements.
    pub fn t(self) -> Self {
        Self {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }
}

impl<'a> MatMut<'a> {
    /// A row-major `rows x cols` matrix with `row_stride` elements between rows.
    pub fn rows(data: &'a mut [f32], rows: usize, cols: usize, row_stride: usize) -> Self {
        Self {
            data,
            rows,
            cols,
            row_stride,
            col_stride: 1,
        }
    }
}

/// Whether every element of a `rows x cols` view with these strides lies inside `len`.
fn fits(len: usize, rows: usize, cols: usize, row_stride: usize, col_stride: usize) -> bool {
    if rows == 0 || cols == 0 {
        return true;
    }
    (rows - 1)
        .checked_mul(row_stride)
        .zip((cols - 1).checked_mul(col_stride))
        .and_then(|(a, b)| a.checked_add(b))
        .is_some_and(|last| last < len && len <= isize::MAX as usize)
}

/// `dst = a * b`, or `dst += a * b` when `accumulate`.
///
/// Panics if the views do not match or reach outside their slices: callers build them
/// from validated shapes, so that would be a bug in this crate, never bad user input.
pub(crate) fn matmul(
    dst: MatMut<'_>,
    a: MatRef<'_>,
    b: MatRef<'_>,
    accumulate: bool,
    parallelism: Parallelism,
) {
    assert!(a.rows == dst.rows && b.cols == dst.cols && a.cols == b.rows);
    assert!(fits(
        a.data.len(),
        a.rows,
        a.cols,
        a.row_stride,
        a.col_stride
    ));
    assert!(fits(
        b.data.len(),
        b.rows,
        b.cols,
        b.row_stride,
        b.col_stride
    ));
    assert!(fits(
        dst.data.len(),
        dst.rows,
        dst.cols,
        dst.row_stride,
        dst.col_stride
    ));
    // gemm writes through the pointer from several threads: distinct elements must have
    // distinct addresses. Every destination here is row-major.
    assert!(dst.col_stride == 1 && (dst.rows <= 1 || dst.row_stride >= dst.cols));
    if dst.rows == 0 || dst.cols == 0 {
        return;
    }
    if a.cols == 0 {
        if !accumulate {
            for i in 0..dst.rows {
                for j in 0..dst.cols {
                    dst.data[i * dst.row_stride + j * dst.col_stride] = 0.0;
                }
            }
        }
        return;
    }
    // SAFETY: the asserts above keep every element of the three views inside its slice
    // (offsets fit `isize`), `dst` is borrowed mutably and so aliases neither input, and
    // its strides give each element its own address. gemm reads `a` and `b` and writes
    // only `dst` (`dst = 1 * dst + 1 * a * b`, `dst` read only when `accumulate`).
    unsafe {
        gemm::gemm(
            dst.rows,
            dst.cols,
            a.cols,
            dst.data.as_mut_ptr(),
            dst.col_stride as isize,
            dst.row_stride as isize,
            accumulate,
            a.data.as_ptr(),
            a.col_stride as isize,
            a.row_stride as isize,
            b.data.as_ptr(),
            b.col_stride as isize,
            b.row_stride as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_product_and_accumulation() {
        // a = [[1, 2, 3], [4, 5, 6]], b = a^T (as a strided view of the same data).
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut c = [0.5f32; 4];
        let av = MatRef::rows(&a, 2, 3, 3);
        matmul(
            MatMut::rows(&mut c, 2, 2, 2),
            av,
            av.t(),
            false,
            Parallelism::None,
        );
        assert_eq!(c, [14.0, 32.0, 32.0, 77.0]);
        matmul(
            MatMut::rows(&mut c, 2, 2, 2),
            av,
            av.t(),
            true,
            Parallelism::None,
        );
        assert_eq!(c, [28.0, 64.0, 64.0, 154.0]);
    }

    #[test]
    #[should_panic]
    fn out_of_bounds_view_panics() {
        let a = [1.0f32; 4];
        let mut c = [0.0f32; 4];
        let av = MatRef::rows(&a, 2, 3, 3);
        matmul(
            MatMut::rows(&mut c, 2, 2, 2),
            av,
            av.t(),
            false,
            Parallelism::None,
        );
    }
}
