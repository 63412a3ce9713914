//! [`MethodKind`]: the `model_type` parameter, typed: a handle on a registered [`Method`].

use crate::method::Method;
use crate::registry;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A registered method, stored in model files by its name.
#[derive(Clone, Copy)]
pub struct MethodKind(&'static dyn Method);

impl MethodKind {
    /// The kind of a method (registered or not).
    pub fn of(method: &'static dyn Method) -> Self {
        Self(method)
    }

    /// The method.
    pub fn method(self) -> &'static dyn Method {
        self.0
    }

    /// The method's name (`classification`, …).
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl FromStr for MethodKind {
    type Err = String;

    /// A registered method by name; `-` may stand for `_` (`multi-label-classification`).
    fn from_str(text: &str) -> Result<Self, String> {
        let name = text.trim().replace('-', "_");
        registry::find(&name).map(Self).ok_or_else(|| {
            format!(
                "'{text}' is not a known method (known: {})",
                registry::names().join(", ")
            )
        })
    }
}

impl PartialEq for MethodKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for MethodKind {}

impl PartialEq<str> for MethodKind {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for MethodKind {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl fmt::Debug for MethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MethodKind({})", self.name())
    }
}

impl fmt::Display for MethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for MethodKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for MethodKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
