//! The wasmtime engine's configuration: a pooling allocator sized for the concurrent calls, fuel
//! and epoch interruption.

use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::error::{Error, Result};

/// Bytes of linear memory (and of tables) a pooled slot keeps resident between calls.
const KEEP_RESIDENT: usize = 2 * 1024 * 1024;

/// A wasmtime engine whose pool holds `concurrency` instances of at most `max_memory` bytes.
pub(super) fn wasm_engine(max_memory: usize, concurrency: usize) -> Result<wasmtime::Engine> {
    let setup = |e: wasmtime::Error| Error::Setup { message: format!("{e:#}") };
    let n = u32::try_from(concurrency).unwrap_or(u32::MAX);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(n)
        // A memory slot per instance, and one more for a GC heap (wasm-bindgen's externref).
        .total_memories(n.saturating_mul(2))
        .total_gc_heaps(n)
        .max_memories_per_module(1)
        // wasm-bindgen's function table and its externref table.
        .total_tables(n.saturating_mul(4))
        .max_tables_per_module(4)
        .total_component_instances(0)
        .max_memory_size(max_memory)
        // Between calls, reset the first pages of a slot in place (only the dirty ones, found
        // with Linux's PAGEMAP_SCAN where the kernel has it) instead of unmapping them, so the
        // next call does not fault its heap in again page by page. Measured on the demo request:
        // a small call 28 µs → 15 µs, the demo evaluation 620 µs → 550 µs.
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(KEEP_RESIDENT)
        .pagemap_scan(wasmtime::Enabled::Auto);
    let mut config = Config::new();
    // For profiling the module (BENCHMARKS.md): `perf` names the compiled wasm functions from
    // /tmp/perf-<pid>.map. Only code compiled in this process is named (`--no-cache`): a module
    // from the cache is mapped from a memory file, which perf does not look up in the map.
    if std::env::var_os("LAUREATE_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    config.consume_fuel(true).epoch_interruption(true).allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    wasmtime::Engine::new(&config).map_err(setup)
}
