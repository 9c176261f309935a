//! Laureate as one WebAssembly module, for every runtime.
//!
//! The same `.wasm` file carries two surfaces over [`laureate_core`]:
//!
//! - [`js`]: the JavaScript API that `wasm-bindgen` wraps into the `laureate` npm package
//!   (JS objects in, JS objects out);
//! - [`abi`]: the raw ABI of spec.md §11 for hosts that do not run JavaScript (`docs/abi.md`).
//!
//! This crate only converts and exports: every decision is the core's. Both surfaces exist only
//! on `wasm32`; on other targets the crate is empty.
#[cfg(target_arch = "wasm32")]
pub mod abi;
pub mod allocator;
#[cfg(target_arch = "wasm32")]
pub mod js;

/// Every allocation of the module, small blocks from free lists (`allocator`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: allocator::SizeClasses<std::alloc::System> = allocator::SizeClasses::new(std::alloc::System);
