//! [`Network`]: a method's network behind one type, so that the model, its file, the
//! trainer and the CLI need not know which method it belongs to.
//!
//! A method builds its own network type (any burn [`Module`]) and wraps it with
//! [`Network::new`]; it gets it back with [`Network::get`] or [`Network::into_inner`]. The
//! tensors are named `<prefix>.<module path>` in model files (`Classification.fc.weight`).

use crate::error::{Error, Result};
use crate::weights::{LoadReport, NamedTensor, collect_tensors_at, load_tensors_at};
use burn::module::Module;
use burn::tensor::Device;
use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

/// What [`Network`] needs of a method's network: burn's [`Module`], erased.
trait ErasedNet: Send {
    fn tensors(&self, prefix: &str) -> BTreeMap<String, NamedTensor>;
    fn load(
        &self,
        source: &BTreeMap<String, NamedTensor>,
        prefix: &str,
    ) -> (Box<dyn ErasedNet>, LoadReport);
    fn to_device(&self, device: &Device) -> Box<dyn ErasedNet>;
    fn num_params(&self) -> usize;
    fn clone_box(&self) -> Box<dyn ErasedNet>;
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn type_name(&self) -> &'static str;
}

impl<N: Module + 'static> ErasedNet for N {
    fn tensors(&self, prefix: &str) -> BTreeMap<String, NamedTensor> {
        collect_tensors_at(self, &[prefix])
    }

    fn load(
        &self,
        source: &BTreeMap<String, NamedTensor>,
        prefix: &str,
    ) -> (Box<dyn ErasedNet>, LoadReport) {
        let (net, report) = load_tensors_at(self.clone(), source, &[prefix]);
        (Box::new(net), report)
    }

    fn to_device(&self, device: &Device) -> Box<dyn ErasedNet> {
        Box::new(self.clone().to_device(device))
    }

    fn num_params(&self) -> usize {
        Module::num_params(self)
    }

    fn clone_box(&self) -> Box<dyn ErasedNet> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<N>()
    }
}

/// The network of a model, whatever its method.
pub struct Network {
    /// The first part of every tensor name in the model file.
    prefix: &'static str,
    net: Box<dyn ErasedNet>,
}

impl Network {
    /// Wraps a method's network; its tensors are saved as `<prefix>.<path>`.
    pub fn new<N: Module + 'static>(prefix: &'static str, net: N) -> Self {
        Self {
            prefix,
            net: Box::new(net),
        }
    }

    /// The first part of every tensor name in the model file.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The network as its method's type, or `None` when it is of another type.
    pub fn get<N: Module + 'static>(&self) -> Option<&N> {
        self.net.as_any().downcast_ref()
    }

    /// The network as its method's type; an error names both types when it is another.
    pub fn expect<N: Module + 'static>(&self) -> Result<&N> {
        self.get().ok_or_else(|| self.wrong_type::<N>())
    }

    /// Takes the network out as its method's type.
    pub fn into_inner<N: Module + 'static>(self) -> Result<N> {
        let wrong = self.wrong_type::<N>();
        self.net
            .into_any()
            .downcast()
            .map(|net| *net)
            .map_err(|_| wrong)
    }

    fn wrong_type<N>(&self) -> Error {
        Error::Dataset(format!(
            "the model's network is a {}, not a {}",
            short_name(self.net.type_name()),
            short_name(std::any::type_name::<N>())
        ))
    }

    /// Every tensor by its name in the model file.
    pub fn tensors(&self) -> BTreeMap<String, NamedTensor> {
        self.net.tensors(self.prefix)
    }

    /// Replaces the network's tensors with those in `source` (named as in the model file);
    /// everything that did not match is reported.
    pub fn load(&self, source: &BTreeMap<String, NamedTensor>) -> (Self, LoadReport) {
        let (net, report) = self.net.load(source, self.prefix);
        (
            Self {
                prefix: self.prefix,
                net,
            },
            report,
        )
    }

    /// The network on another device.
    pub fn to_device(&self, device: &Device) -> Self {
        Self {
            prefix: self.prefix,
            net: self.net.to_device(device),
        }
    }

    /// Number of trainable scalars.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }
}

impl Clone for Network {
    fn clone(&self) -> Self {
        Self {
            prefix: self.prefix,
            net: self.net.clone_box(),
        }
    }
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("prefix", &self.prefix)
            .field("type", &short_name(self.net.type_name()))
            .finish()
    }
}

/// `kestrel_nn::classifier::ClassifierNet` → `ClassifierNet`.
fn short_name(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}
