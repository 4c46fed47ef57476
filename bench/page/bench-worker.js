// The measuring loop, in a worker: the threaded CPU build can only run off the main thread
// (its threads wait on shared memory, which the page's main thread may not). Imports the
// app's wasm packages as the repository root serves them (bench/page/serve.mjs).
self.onmessage = async ({ data: { dims, batch, steps, device } }) => {
  try {
    const threads = device === 'cpu-threads';
    const wasm = await import(threads ? '../../www/lib/pkg-mt/deepclust.js' : '../../www/lib/pkg/deepclust.js');
    await wasm.default();
    if (threads) {
      if (!self.crossOriginIsolated) throw new Error('the page is not cross-origin isolated: no shared memory for threads');
      await wasm.initThreadPool(navigator.hardwareConcurrency);
    }
    if (device === 'webgpu' && !(navigator.gpu && await navigator.gpu.requestAdapter())) {
      throw new Error('no WebGPU adapter in this browser (Chromium needs --enable-unsafe-webgpu headless)');
    }
    const backend = await wasm.init_device(device === 'webgpu');
    const bench = new wasm.BenchRun(dims, batch);
    const times = [];
    let loss = NaN;
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      loss = await bench.step();
      times.push(performance.now() - t0);
      self.postMessage({ progress: `${device}: step ${i + 1}/${steps}, last ${times.at(-1).toFixed(1)} ms` });
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    self.postMessage({ result: {
      device, backend, dims, batch, steps, threads: threads ? navigator.hardwareConcurrency : 1,
      ms_per_step: median, first_step_ms: times[0], final_loss: loss,
    } });
  } catch (err) {
    self.postMessage({ result: { device, error: String(err.message ?? err) } });
  }
};
