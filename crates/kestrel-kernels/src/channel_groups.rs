//! How the per-channel batch norm kernels split their work: tasks of consecutive
//! channels, each owning its part of every image of an output, and where one channel's
//! planes lie.

use crate::norm_shape::BatchNormShape;

/// Parallel tasks per rayon thread: enough for work stealing to even out the last
/// (shorter) task and a busy core.
const TASKS_PER_THREAD: usize = 8;

/// Channels per parallel task: about [`TASKS_PER_THREAD`] tasks per thread of rayon's
/// current pool, at least one channel each.
pub(crate) fn channels_per_task(shape: &BatchNormShape) -> usize {
    let tasks = TASKS_PER_THREAD * rayon::current_num_threads();
    shape.channels.div_ceil(tasks).max(1)
}

/// Splits `data` (`[batch, channels, plane]`, length checked by the caller) by tasks of
/// `per_task` consecutive channels: entry `t` holds, for every image in order, the
/// slice of channels `t * per_task..` of that image (`per_task * plane` values, fewer
/// in the last task).
pub(crate) fn channel_groups<'a>(
    data: &'a mut [f32],
    shape: &BatchNormShape,
    per_task: usize,
) -> Vec<Vec<&'a mut [f32]>> {
    let mut groups: Vec<Vec<&mut [f32]>> = (0..shape.channels.div_ceil(per_task))
        .map(|_| Vec::with_capacity(shape.batch))
        .collect();
    for image in data.chunks_mut(shape.channels * shape.plane) {
        let pieces = image.chunks_mut(per_task * shape.plane);
        for (group, piece) in groups.iter_mut().zip(pieces) {
            group.push(piece);
        }
    }
    groups
}

/// The planes of one channel of a `[batch, channels, plane]` tensor: `count` runs of
/// `len` values, the first at `first`, each `step` after the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Planes {
    /// Offset of the first image's plane.
    pub first: usize,
    /// Distance between the planes of consecutive images, `channels * plane`.
    pub step: usize,
    /// Number of planes, `batch`.
    pub count: usize,
    /// Values per plane.
    pub len: usize,
}

impl Planes {
    /// The planes of channel `c` of `shape`.
    pub fn of(shape: &BatchNormShape, c: usize) -> Self {
        Planes {
            first: c * shape.plane,
            step: shape.channels * shape.plane,
            count: shape.batch,
            len: shape.plane,
        }
    }

    /// Plane `n` of `data`. Panics if it leaves `data`.
    #[inline(always)]
    pub fn get<'a>(&self, data: &'a [f32], n: usize) -> &'a [f32] {
        let start = self.first + n * self.step;
        &data[start..start + self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_cover_every_channel_of_every_image() {
        let shape = BatchNormShape {
            batch: 2,
            channels: 5,
            plane: 3,
        };
        let mut data: Vec<f32> = (0..30).map(|i| i as f32).collect();
        let groups = channel_groups(&mut data, &shape, 2);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0][1][0], 15.0);
        assert_eq!(groups[2][1].len(), 3);
        assert_eq!(groups[2][1][0], 27.0);
        let planes = Planes::of(&shape, 4);
        assert_eq!(planes.get(&data, 1), &[27.0, 28.0, 29.0]);
        assert_eq!(planes.get(&data, 0), &[12.0, 13.0, 14.0]);
    }
}
