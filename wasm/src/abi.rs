//! The raw ABI of spec.md §11, for hosts that do not run JavaScript (documented in
//! `docs/abi.md`).
//!
//! Buffers cross the boundary as `(ptr, len)` pairs of boxed byte slices: whatever
//! `laureate_alloc` or `laureate_call` hands out is given back with `laureate_free(ptr, len)`.
//! Nothing here calls an import, so a host may satisfy the module's imports (the JS bindings')
//! with functions that trap.

/// The last `evaluate` request's prepared rulebook, kept for the next request whose rulebook is
/// the same text (`laureate_core::RulebookCache`: the answers are the same bytes).
static RULEBOOK: OneThread<laureate_core::RulebookCache> = OneThread(RefCell::new(laureate_core::RulebookCache::new()));

/// A cell for the module's one thread.
struct OneThread<T>(RefCell<T>);

// SAFETY: the module is built without the `atomics` feature, so one thread runs it: no two threads
// ever reach the cell.
unsafe impl<T> Sync for OneThread<T> {}

use core::cell::RefCell;

/// The version of this contract; it changes only when a signature or rule below does.
pub const ABI_VERSION: i32 = 1;

/// The ABI version of this contract.
#[no_mangle]
pub extern "C" fn laureate_abi_version() -> i32 {
    ABI_VERSION
}

/// A zeroed buffer of `len` bytes owned by the caller; 0 when `len` is not positive.
#[no_mangle]
pub extern "C" fn laureate_alloc(len: i32) -> i32 {
    match usize::try_from(len) {
        Ok(len) if len > 0 => into_raw(vec![0u8; len].into_boxed_slice()),
        _ => 0,
    }
}

/// Gives back a buffer from `laureate_alloc` or an answer from `laureate_call`; `(0, _)` and
/// `(_, 0)` are no-ops.
///
/// # Safety
/// `ptr` and `len` must describe a buffer this module handed out and that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn laureate_free(ptr: i32, len: i32) {
    // SAFETY: the caller hands back a buffer exactly as this module handed it out.
    drop(unsafe { from_raw(ptr, len) });
}

/// Runs the operation named by the UTF-8 bytes at `op_ptr` on the UTF-8 JSON request at
/// `req_ptr` and returns `(answer_ptr << 32) | answer_len`, to be read as an unsigned 64-bit
/// number. The answer is never empty; the caller frees it with `laureate_free`.
///
/// The prepared rulebook of the last `evaluate` request that was answered `ok` is kept in the
/// instance until another replaces it, and used for a request whose `rulebook` is the same text
/// (docs/abi.md, "The kept rulebook"): the answer is the same bytes, for less work.
///
/// # Safety
/// Each range must lie inside one live buffer obtained from `laureate_alloc` (a zero length
/// needs no buffer).
#[no_mangle]
pub unsafe extern "C" fn laureate_call(op_ptr: i32, op_len: i32, req_ptr: i32, req_len: i32) -> i64 {
    // SAFETY: the caller guarantees both ranges lie in live buffers of this module.
    let (operation, request) = unsafe { (borrow(op_ptr, op_len), borrow(req_ptr, req_len)) };
    // An operation name that is not UTF-8 names no operation: the core answers it as any unknown
    // name (the bytes that are not UTF-8 shown as U+FFFD).
    let operation = String::from_utf8_lossy(operation);
    let answer = match RULEBOOK.0.try_borrow_mut() {
        Ok(mut kept) => kept.call(&operation, request),
        // Only after a call that trapped with the cache borrowed (a host that keeps an instance
        // after a trap): answer without it.
        Err(_) => laureate_core::call(&operation, request),
    };
    let len = answer.len() as u64;
    let ptr = into_raw(answer.into_boxed_slice()) as u32 as u64;
    ((ptr << 32) | len) as i64
}

/// Reads `len` bytes at `ptr`; an empty slice for a zero or negative length.
unsafe fn borrow<'a>(ptr: i32, len: i32) -> &'a [u8] {
    match usize::try_from(len) {
        // SAFETY: forwarded from the caller.
        Ok(len) if len > 0 && ptr != 0 => unsafe { core::slice::from_raw_parts(ptr as u32 as usize as *const u8, len) },
        _ => &[],
    }
}

/// Leaks `bytes` to the caller as a pointer into linear memory (0 for no bytes).
fn into_raw(bytes: Box<[u8]>) -> i32 {
    if bytes.is_empty() {
        return 0;
    }
    Box::into_raw(bytes) as *mut u8 as usize as u32 as i32
}

/// Takes back what [`into_raw`] leaked; `None` for a null pointer or an empty length.
unsafe fn from_raw(ptr: i32, len: i32) -> Option<Box<[u8]>> {
    match usize::try_from(len) {
        Ok(len) if len > 0 && ptr != 0 => {
            let slice = core::ptr::slice_from_raw_parts_mut(ptr as u32 as usize as *mut u8, len);
            // SAFETY: forwarded from the caller: `slice` is a box this module leaked.
            Some(unsafe { Box::from_raw(slice) })
        }
        _ => None,
    }
}
