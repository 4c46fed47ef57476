//! glibc's allocator tuned for training loops.
//!
//! Every training step allocates and frees the same large buffers (activations, gradients,
//! gemm's packing space). With glibc's defaults many of them are mapped and unmapped, or
//! trimmed from the heap, on each step: page faults and zeroed pages every time. Keeping freed
//! memory in the process avoids that (measured in docs/PERFORMANCE.md); the cost is that the
//! process keeps its peak size until it exits, which suits a command that runs one job.

/// Large blocks come from the heap, and the heap is never trimmed back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_freed_memory() {
    // Escape hatch for measuring the difference (bench/peers/peers.py runs both).
    if std::env::var_os("DEEPCLUST_DEFAULT_MALLOC").is_some() {
        return;
    }
    // Both together: setting either alone turns off glibc's adaptive thresholds for the
    // other, which measured slower than the defaults. 32 MiB is the largest mmap threshold
    // glibc accepts on 64-bit (half its heap size); a training step's buffers are far smaller
    // (the 784-500-500-2000-10 network's largest is a 4 MB weight matrix).
    // SAFETY: mallopt only changes allocator parameters; called before any threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_freed_memory() {}
