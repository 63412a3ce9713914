//! Pictures for humans: heat maps and label colours over images, boxes and polygons,
//! grasp rectangles,
//! side-by-side comparisons, and PNG output. Pixels are written directly into
//! [`image::RgbImage`]s; colours are `[r, g, b]` bytes.

mod colormap;
mod compose;
mod convert;
mod grasps;
mod heat;
mod labels;
mod save;
mod shapes;

pub use colormap::turbo;
pub use compose::{SIDE_BY_SIDE_GAP, side_by_side};
pub use convert::image_to_rgb;
pub use grasps::{JAW_COLOUR, OPENING_COLOUR, draw_grasps, grasp_picture};
pub use heat::{HEAT_ALPHA, OUTLINE_COLOUR, heat_overlay, region_outline};
pub use labels::{default_palette, label_overlay};
pub use save::save_png;
pub use shapes::{draw_box, draw_polygon_outline, draw_rotated_box};
