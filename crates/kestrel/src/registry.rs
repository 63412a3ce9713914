//! The one list of Kestrel's methods. The built-in ones are declared in `lib.rs` with
//! `built_in_methods!`, one item per method folder; a method defined outside the library is
//! added at run time with [`register`].

use crate::BUILT_IN;
use crate::error::{Error, Result};
use crate::method::Method;
use std::sync::RwLock;

/// Declares the built-in methods, one item each: `folder: entry, …;` makes `folder` a public
/// module of the library and lists its entries (values implementing [`Method`]) in
/// `BUILT_IN`, in the order they are listed to users.
macro_rules! built_in_methods {
    ($($module:ident: $($entry:expr),+;)+) => {
        $(pub mod $module;)+

        /// The methods that ship with Kestrel, in the order they are listed to users.
        static BUILT_IN: &[&dyn $crate::method::Method] = &[$($(&$entry),+),+];
    };
}

/// Methods registered at run time (after the built-in ones).
static REGISTERED: RwLock<Vec<&'static dyn Method>> = RwLock::new(Vec::new());

/// Every method: the built-in ones, then those registered.
pub fn methods() -> Vec<&'static dyn Method> {
    let registered = REGISTERED.read().unwrap_or_else(|e| e.into_inner());
    BUILT_IN
        .iter()
        .copied()
        .chain(registered.iter().copied())
        .collect()
}

/// The method named `name` (`classification`, …).
pub fn find(name: &str) -> Option<&'static dyn Method> {
    methods().into_iter().find(|m| m.name() == name)
}

/// The names of all methods.
pub fn names() -> Vec<&'static str> {
    methods().iter().map(|m| m.name()).collect()
}

/// Adds a method defined outside the library, so that models of it can be created, read,
/// trained, evaluated and applied like the built-in ones. Registering the same method
/// object again does nothing; another method of a taken name is an error.
pub fn register(method: &'static dyn Method) -> Result<()> {
    let mut registered = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    match BUILT_IN
        .iter()
        .chain(registered.iter())
        .find(|m| m.name() == method.name())
    {
        Some(existing) if std::ptr::addr_eq(*existing, method) => Ok(()),
        Some(_) => Err(Error::BadParam {
            name: "model_type".into(),
            message: format!("a method named '{}' is already registered", method.name()),
        }),
        None => {
            registered.push(method);
            Ok(())
        }
    }
}
