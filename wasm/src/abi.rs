//! The raw ABI of spec.md §11, for hosts that do not run JavaScript (documented in
//! `docs/abi.md`).
//!
//! Buffers cross the boundary as `(ptr, len)` pairs of boxed byte slices: whatever
//! `laureate_alloc` or `laureate_call` hands out is given back with `laureate_free(ptr, len)`.
//! Nothing here calls an import, so a host may satisfy the module's imports (the JS bindings')
//! with functions that trap.

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
    let answer = laureate_core::call(&operation, request);
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
