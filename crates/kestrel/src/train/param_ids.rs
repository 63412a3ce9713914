//! Parameter ids derived from the parameters' paths, so a checkpoint's optimiser state
//! (which burn keys by parameter id) finds its parameters again after the network is read
//! back from the model file, where every parameter gets a fresh random id.

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::tensor::Tensor;

/// `module` with each parameter's id set to a hash of its module path
/// (`backbone.stage1.conv.weight`): the same network gets the same ids in every process.
pub fn path_param_ids<M: Module>(module: M) -> M {
    module.map(&mut IdsFromPaths { path: Vec::new() })
}

/// The mapper behind [`path_param_ids`].
struct IdsFromPaths {
    /// The current module path.
    path: Vec<String>,
}

impl ModuleMapper for IdsFromPaths {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (_, tensor, mapper) = param.consume();
        let id = ParamId::from(fnv1a(self.path.join(".").as_bytes()));
        Param::from_mapped_value(id, tensor, mapper)
    }
}

/// The 64-bit FNV-1a hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Device;

    /// A module with two parameters, one nested.
    #[derive(Module, Debug)]
    struct Outer {
        weight: Param<Tensor<1>>,
        inner: Inner,
    }

    #[derive(Module, Debug)]
    struct Inner {
        bias: Param<Tensor<1>>,
    }

    fn outer() -> Outer {
        let device = Device::flex();
        Outer {
            weight: Param::from_tensor(Tensor::zeros([2], &device)),
            inner: Inner {
                bias: Param::from_tensor(Tensor::zeros([2], &device)),
            },
        }
    }

    #[test]
    fn ids_are_the_hashes_of_the_paths_whatever_the_module_had() {
        let (a, b) = (path_param_ids(outer()), path_param_ids(outer()));
        assert_eq!(a.weight.id, b.weight.id);
        assert_eq!(a.weight.id.val(), fnv1a(b"weight"));
        assert_eq!(a.inner.bias.id.val(), fnv1a(b"inner.bias"));
        assert_ne!(a.weight.id, a.inner.bias.id);
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
