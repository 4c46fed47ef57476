// The measuring loop, in a worker: the threaded CPU build can only run off the main thread
// (its threads wait on shared memory, which the page's main thread may not). Loads the app's
// wasm builds as its worker does (www/lib/modules.js), from the repository root that
// bench/page/serve.mjs serves.
import { load } from '../../www/lib/modules.js';

self.onmessage = async ({ data: { dims, batch, steps, device } }) => {
  try {
    const wasm = await load(device === 'cpu-threads' ? 'threads' : 'gpu');
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
      device, backend, dims, batch, steps, threads: wasm.threads,
      ms_per_step: median, first_step_ms: times[0], final_loss: loss,
    } });
  } catch (err) {
    self.postMessage({ result: { device, error: String(err.message ?? err) } });
  }
};
