//! The raw ABI as the host sees it (spec.md §11): its version, the exports a module must have,
//! and those exports taken from an instance.

use wasmtime::{ExternType, Memory, Module, Store, TypedFunc, ValType};

use super::call::CallState;
use crate::error::{Error, Result};

/// The raw ABI version this host speaks (spec.md §11).
pub const ABI_VERSION: i32 = 1;

/// Checks the raw ABI's exports and their signatures without running anything.
pub(super) fn check_exports(module: &Module) -> Result<()> {
    let expect = |name: &str, params: &[ValType], results: &[ValType]| -> Result<()> {
        let missing = || Error::AbiMismatch { detail: format!("the module has no `{name}` function export") };
        let Some(ExternType::Func(ty)) = module.get_export(name) else { return Err(missing()) };
        let same = |a: &mut dyn ExactSizeIterator<Item = ValType>, b: &[ValType]| {
            a.len() == b.len() && a.zip(b).all(|(x, y)| ValType::eq(&x, y))
        };
        if same(&mut ty.params(), params) && same(&mut ty.results(), results) {
            Ok(())
        } else {
            Err(Error::AbiMismatch { detail: format!("`{name}` has the signature `{ty}`") })
        }
    };
    use ValType::{I32, I64};
    expect("laureate_abi_version", &[], &[I32])?;
    expect("laureate_alloc", &[I32], &[I32])?;
    expect("laureate_free", &[I32, I32], &[])?;
    expect("laureate_call", &[I32, I32, I32, I32], &[I64])?;
    match module.get_export("memory") {
        Some(ExternType::Memory(_)) => Ok(()),
        _ => Err(Error::AbiMismatch { detail: "the module has no `memory` export".to_owned() }),
    }
}

/// The raw ABI's exports of one instance.
pub(super) struct Exports {
    pub(super) memory: Memory,
    pub(super) abi_version: TypedFunc<(), i32>,
    pub(super) alloc: TypedFunc<i32, i32>,
    pub(super) free: TypedFunc<(i32, i32), ()>,
    pub(super) call: TypedFunc<(i32, i32, i32, i32), i64>,
}

impl Exports {
    /// Takes the exports from `instance`, failing when one is missing or has another type.
    pub(super) fn get(store: &mut Store<CallState>, instance: &wasmtime::Instance) -> wasmtime::Result<Exports> {
        Ok(Exports {
            memory: instance
                .get_memory(&mut *store, "memory")
                .ok_or_else(|| wasmtime::Error::msg("the module has no `memory` export"))?,
            abi_version: instance.get_typed_func(&mut *store, "laureate_abi_version")?,
            alloc: instance.get_typed_func(&mut *store, "laureate_alloc")?,
            free: instance.get_typed_func(&mut *store, "laureate_free")?,
            call: instance.get_typed_func(&mut *store, "laureate_call")?,
        })
    }
}
