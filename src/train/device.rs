use burn::tensor::Device;

/// Where the tensors live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// wgpu: WebGPU in a browser, Vulkan/Metal/DX12 natively.
    Gpu,
    /// burn's pure-Rust `flex` backend.
    Cpu,
}

/// The one place that decides the device: the GPU when asked for and an adapter comes up,
/// otherwise the CPU. The second value says why the GPU was not used, for the UI.
///
/// wgpu can be initialised once per process, so callers keep the returned device.
pub async fn choose_device(prefer_gpu: bool) -> (Device, Backend, Option<String>) {
    if !prefer_gpu {
        return (Device::flex(), Backend::Cpu, None);
    }
    #[cfg(not(feature = "gpu"))]
    return (Device::flex(), Backend::Cpu, Some("this build has no GPU support".into()));
    #[cfg(feature = "gpu")]
    match Device::wgpu_options().init_async().await {
        Ok(device) => (device, Backend::Gpu, None),
        Err(e) => (Device::flex(), Backend::Cpu, Some(e.to_string())),
    }
}
