//! Pretrained networks: importing torchvision weights into Kestrel's backbones, the models
//! shipped with Kestrel, and turning a pretrained model into a starting point for new classes
//! (transfer learning).

mod checkpoint;
mod class_names;
mod shipped;
mod torchvision;
mod transfer;

pub use checkpoint::read_checkpoint;
pub use class_names::read_class_names;
pub use shipped::{SHIPPED, shipped_model_path};
pub use torchvision::{import_torchvision, torchvision_to_kestrel};
pub use transfer::{TransferOptions, transfer_model};
