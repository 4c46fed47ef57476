// Measures ms per training step on one device (in bench-worker.js) and publishes it as
// window.benchResult.
const out = document.getElementById('bench-output');
const params = new URLSearchParams(location.search);
const dims = (params.get('dims') ?? '784,500,500,2000,10').split(',').map(Number);
const batch = Number(params.get('batch') ?? 256);
const steps = Number(params.get('steps') ?? 50);
const device = ['cpu', 'cpu-threads'].includes(params.get('device')) ? params.get('device') : 'webgpu';

const worker = new Worker(new URL('bench-worker.js', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => {
  if (data.progress) out.textContent = data.progress;
  if (!data.result) return;
  window.benchResult = data.result;
  out.textContent = data.result.error ? `error: ${data.result.error}` : JSON.stringify(data.result, null, 2);
};
worker.onerror = (e) => { window.benchResult = { device, error: e.message || 'the worker failed' }; };
worker.postMessage({ dims, batch, steps, device });
