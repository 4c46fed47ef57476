// Measures ms per training step on one device and publishes it as window.benchResult.
// The app's wasm package, as the repository root serves it (bench/page/serve.mjs); if the
// package moves, this import is the one line to change.
import init, { init_device, BenchRun } from '../../www/lib/pkg/deepclust.js';

const out = document.getElementById('bench-output');
const params = new URLSearchParams(location.search);
const dims = (params.get('dims') ?? '784,500,500,2000,10').split(',').map(Number);
const batch = Number(params.get('batch') ?? 256);
const steps = Number(params.get('steps') ?? 50);
const device = params.get('device') === 'cpu' ? 'cpu' : 'webgpu';

async function run() {
  await init();
  if (device === 'webgpu' && !(navigator.gpu && await navigator.gpu.requestAdapter())) {
    throw new Error('no WebGPU adapter in this browser (Chromium needs --enable-unsafe-webgpu headless)');
  }
  const backend = await init_device(device === 'webgpu');
  const bench = new BenchRun(dims, batch);
  const times = [];
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    loss = await bench.step();
    times.push(performance.now() - t0);
    out.textContent = `${device}: step ${i + 1}/${steps}, last ${times.at(-1).toFixed(1)} ms`;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { device, backend, dims, batch, steps, ms_per_step: median, first_step_ms: times[0], final_loss: loss };
}

run().then(
  (result) => { window.benchResult = result; out.textContent = JSON.stringify(result, null, 2); },
  (err) => { window.benchResult = { device, error: String(err.message ?? err) }; out.textContent = `error: ${window.benchResult.error}`; },
);
