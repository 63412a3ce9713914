//! How a convolution is split into tasks, GEMMs and bands of output rows.

use crate::gemm::Parallelism;
use crate::shape::Conv2dShape;

/// Elements of the im2col buffer of one band when the tasks run in parallel: 1 MiB of
/// f32, about a core's L2 cache. Measured on ResNet-18's convolutions at batch 16 (2
/// threads, AVX-512): 64 Ki elements left the 7x7 and 14x14 layers with GEMMs of 14 to
/// 28 columns and the whole network's convolutions at 162 GFLOP/s; 256 Ki reach 175.
const BAND_ELEMENTS: usize = 256 * 1024;

/// How the independent tasks of a call (images times groups) are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// At least two tasks per thread: tasks in parallel, each GEMM single-threaded.
    Tasks,
    /// Too few tasks: one after the other, each GEMM (and im2col/col2im) on all threads.
    Inner,
}

impl Mode {
    /// The mode for `tasks` independent tasks on rayon's current pool.
    pub fn for_tasks(tasks: usize) -> Self {
        if tasks >= 2 * rayon::current_num_threads() {
            Mode::Tasks
        } else {
            Mode::Inner
        }
    }

    /// The parallelism of a GEMM inside a task.
    pub fn gemm(self) -> Parallelism {
        match self {
            Mode::Tasks => Parallelism::None,
            Mode::Inner => Parallelism::Rayon(0),
        }
    }

    /// Whether im2col and col2im spread their channels over the threads.
    pub fn parallel_copies(self) -> bool {
        self == Mode::Inner
    }
}

/// Fewest output channels in a block of [`forward_plan`]: GEMMs with fewer rows of
/// weights waste the microkernel.
const MIN_BLOCK: usize = 16;

/// How the forward pass is split: the [`Mode`] and the number of output-channel blocks
/// per image and group.
///
/// With too few images times groups to keep every thread busy (batch 1), each is split
/// into blocks of output channels, one per thread: every block repeats im2col, but its
/// bands stay in the L2 cache and its GEMMs single-threaded. Measured on ResNet-18's
/// convolutions at batch 1 (2 threads): 149 GFLOP/s with one multi-threaded GEMM per
/// image, 163 with a block per thread (`conv_speed` example). Falls back to
/// [`Mode::Inner`] when the blocks would get fewer than [`MIN_BLOCK`] channels.
pub(crate) fn forward_plan(shape: &Conv2dShape) -> (Mode, usize) {
    let tasks = shape.batch * shape.groups;
    let threads = rayon::current_num_threads();
    if Mode::for_tasks(tasks) == Mode::Tasks {
        return (Mode::Tasks, 1);
    }
    let blocks = threads
        .div_ceil(tasks)
        .min(shape.out_per_group() / MIN_BLOCK);
    if blocks >= 2 && tasks * blocks >= threads {
        (Mode::Tasks, blocks)
    } else {
        (Mode::Inner, 1)
    }
}

/// Whether the convolution is a plain matrix product on the NCHW data (1x1 kernel,
/// stride 1, no padding): then the im2col matrix is the input itself.
pub(crate) fn is_pointwise(shape: &Conv2dShape) -> bool {
    shape.kernel_height == 1
        && shape.kernel_width == 1
        && shape.stride == [1, 1]
        && shape.padding == [0, 0]
}

/// Output rows per im2col band. Parallel tasks work on L2-sized bands; a single
/// multi-threaded GEMM gets the whole image, as wide as possible.
pub(crate) fn band_rows(shape: &Conv2dShape, mode: Mode) -> usize {
    let rows = shape.out_height();
    match mode {
        Mode::Inner => rows,
        Mode::Tasks => {
            let row = shape.col_rows() * shape.out_width();
            (BAND_ELEMENTS / row.max(1)).clamp(1, rows)
        }
    }
}
