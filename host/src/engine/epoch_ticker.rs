//! The epoch ticker: a thread that advances the engine's epoch, the clock of the timeout.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Advances the engine's epoch every tick until dropped (the wall-clock backstop).
pub(super) struct EpochTicker {
    stop: Arc<(Mutex<bool>, Condvar)>,
    handle: Option<JoinHandle<()>>,
}

impl EpochTicker {
    /// Starts the `laureate-epoch` thread, which increments `engine`'s epoch every `tick`.
    pub(super) fn start(engine: wasmtime::Engine, tick: Duration) -> std::io::Result<EpochTicker> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new().name("laureate-epoch".to_owned()).spawn(move || {
            let (lock, cv) = &*flag;
            let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                let (guard, _) = cv.wait_timeout(stopped, tick).unwrap_or_else(|e| e.into_inner());
                stopped = guard;
                if *stopped {
                    return;
                }
                engine.increment_epoch();
            }
        })?;
        Ok(EpochTicker { stop, handle: Some(handle) })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        let (lock, cv) = &*self.stop;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
