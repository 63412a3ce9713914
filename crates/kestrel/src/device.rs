//! Compute devices: listing what this build can use (as HALCON's
//! `query_available_dl_devices`) and turning a user's `device` parameter into a burn device.

use crate::error::{Error, Result};
use burn::tensor::Device;
use serde::Serialize;

/// One device Kestrel can run on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The name to pass as the `device` parameter (`cpu`, `cuda:0`, `tch`).
    pub name: String,
    /// `cpu` or `gpu`.
    pub kind: String,
    /// The burn backend that runs it.
    pub backend: String,
    /// A human description.
    pub description: String,
    /// Worker threads (CPU devices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

/// Lists the devices this build can use: the CPU always, CUDA GPUs with the `cuda` feature,
/// LibTorch with the `tch` feature.
pub fn available_devices() -> Vec<DeviceInfo> {
    #[allow(unused_mut)] // extended by the GPU features
    let mut devices = vec![DeviceInfo {
        name: "cpu".into(),
        kind: "cpu".into(),
        backend: "flex".into(),
        description: format!(
            "CPU ({} threads; change with --threads N or RAYON_NUM_THREADS)",
            rayon::current_num_threads()
        ),
        threads: Some(rayon::current_num_threads()),
    }];
    #[cfg(feature = "cuda")]
    for (index, _) in Device::enumerate(burn::tensor::DeviceType::Cuda)
        .into_iter()
        .enumerate()
    {
        devices.push(DeviceInfo {
            name: format!("cuda:{index}"),
            kind: "gpu".into(),
            backend: "cuda".into(),
            description: format!("CUDA GPU {index}"),
            threads: None,
        });
    }
    #[cfg(feature = "tch")]
    devices.push(DeviceInfo {
        name: "tch".into(),
        kind: "cpu".into(),
        backend: "libtorch".into(),
        description: "LibTorch CPU".into(),
        threads: None,
    });
    devices
}

/// Sets the number of threads the CPU device uses: rayon's global pool, which burn's flex
/// backend and Kestrel's kernels share (the default is one per core, or
/// `RAYON_NUM_THREADS`). It must be called once, before any CPU work has started the
/// pool; otherwise it fails and the pool keeps its size.
pub fn set_cpu_threads(threads: usize) -> Result<()> {
    let device_error = |message: String| Error::Device {
        name: "cpu".into(),
        message,
    };
    if threads == 0 {
        return Err(device_error("the thread count must be at least 1".into()));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| device_error(format!("cannot use {threads} threads: {e}")))
}

/// Runs `init` right after seeding `device`'s random generator with `seed`, under a
/// process-wide lock: burn's generator is shared by everything on the device, so two
/// networks initialised at once (two trainings in one process, as parallel tests are)
/// would otherwise interleave their draws and each get weights of neither seed.
pub(crate) fn seeded<T>(device: &Device, seed: u64, init: impl FnOnce() -> T) -> T {
    static SEEDING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = SEEDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    device.seed(seed);
    init()
}

/// Turns a device name (`cpu`, `cuda`, `cuda:N`, `gpu`, `tch`) into a burn device, with a clear
/// error when this build cannot use it. For the CPU it also makes the allocator keep freed
/// memory for reuse ([`crate::allocator::reuse_freed_memory`]).
pub fn parse_device(name: &str) -> Result<Device> {
    let lower = name.trim().to_ascii_lowercase();
    let (base, index) = match lower.split_once(':') {
        Some((b, i)) => {
            let index = i.parse::<usize>().map_err(|_| Error::Device {
                name: name.into(),
                message: format!("'{i}' is not a device index"),
            })?;
            (b.to_string(), index)
        }
        None => (lower.clone(), 0),
    };
    match base.as_str() {
        "cpu" | "flex" => {
            crate::allocator::reuse_freed_memory();
            Ok(Device::flex())
        }
        "cuda" | "gpu" => cuda_device(name, index),
        "tch" | "libtorch" => tch_device(name),
        _ => Err(Error::Device {
            name: name.into(),
            message: "known devices: cpu, cuda[:N], tch (see `kestrel devices`)".into(),
        }),
    }
}

#[cfg(feature = "cuda")]
fn cuda_device(name: &str, index: usize) -> Result<Device> {
    let count = Device::enumerate(burn::tensor::DeviceType::Cuda).len();
    if index >= count {
        return Err(Error::Device {
            name: name.into(),
            message: format!("{count} CUDA device(s) found"),
        });
    }
    Ok(Device::cuda(index))
}

#[cfg(not(feature = "cuda"))]
fn cuda_device(name: &str, _index: usize) -> Result<Device> {
    Err(Error::Device {
        name: name.into(),
        message: "this build has no CUDA support (rebuild with `--features cuda`)".into(),
    })
}

#[cfg(feature = "tch")]
fn tch_device(_name: &str) -> Result<Device> {
    Ok(Device::libtorch())
}

#[cfg(not(feature = "tch"))]
fn tch_device(name: &str) -> Result<Device> {
    Err(Error::Device {
        name: name.into(),
        message: "this build has no LibTorch support (rebuild with `--features tch`)".into(),
    })
}

/// The device a module's tensors live on (the CPU for a module without tensors).
pub fn devices_of<M: burn::module::Module>(module: &M) -> Device {
    module
        .devices()
        .into_iter()
        .next()
        .unwrap_or_else(Device::flex)
}
