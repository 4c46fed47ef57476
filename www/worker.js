// Owns the wasm module and the training loop. The page talks to it with messages only, and
// cancelling is terminating this worker, which stops any GPU or CPU work at once.
import init, { init_device, Table, Training } from './pkg/deepclust.js';

const PHASES = ['pretrain', 'init', 'refine', 'done'];
const ready = init();
// Messages are handled concurrently (each handler awaits), so training waits for this.
let deviceReady = null;

const post = (message, transfer = []) => self.postMessage(message, transfer);
const messageOf = (err) => (err && err.message) ? err.message : String(err);

// Without an adapter the wgpu runtime cannot come up; asking the browser first keeps that
// case an ordinary fallback instead of an error inside the runtime.
async function gpuAvailable() {
  try {
    return Boolean(self.navigator.gpu && await self.navigator.gpu.requestAdapter());
  } catch {
    return false;
  }
}

async function chooseDevice(preferGpu) {
  await ready;
  const useGpu = preferGpu && await gpuAvailable();
  let text = await init_device(useGpu);
  if (preferGpu && !useGpu) text = 'CPU (this browser offers no WebGPU adapter)';
  post({ type: 'backend', text });
}

function inspect(name, bytes, labelColumn) {
  const table = new Table(new Uint8Array(bytes), labelColumn);
  const summary = {
    type: 'inspected', name,
    rows: table.rows, cols: table.cols,
    columns: table.columns, labelColumn: table.label_column ?? '',
    nClasses: table.n_classes, warnings: table.warnings,
  };
  return { table, summary };
}

async function train({ name, bytes, labelColumn, method, k, epochs, seed, gamma, embeddingSpace, fullCovariance }) {
  const { table, summary } = inspect(name, bytes, labelColumn);
  post(summary);
  const training = new Training(table, method, k, epochs ?? undefined, seed ?? undefined, gamma ?? undefined,
    Boolean(embeddingSpace), Boolean(fullCovariance));
  let batches = 1;
  let lastPhase = -1;
  let lastSnapshot = 0;
  const snapshot = async () => {
    const xy = await training.snapshot();
    const labels = training.snapshot_labels();
    post({ type: 'scatter', xy, labels }, [xy.buffer, labels.buffer]);
    lastSnapshot = performance.now();
  };
  for (;;) {
    const t0 = performance.now();
    const s = await training.step(t0);
    const took = performance.now() - t0;
    // Keep each step near 150 ms: responsive progress without per-batch overhead.
    if (took < 75 && batches < 256) batches *= 2;
    else if (took > 300 && batches > 1) batches = Math.max(1, batches >> 1);
    training.set_batches_per_step(batches);
    const phase = s[0];
    post({
      type: 'progress', phase: PHASES[phase], epoch: s[1], epochs: s[2], loss: s[3],
      changed: s[4], elapsedMs: s[5], progress: s[6],
    });
    if (phase === 3) break;
    if (phase !== lastPhase || performance.now() - lastSnapshot > 1000) await snapshot();
    lastPhase = phase;
  }
  await snapshot();
  const labels = training.labels();
  const confidence = training.confidence();
  const csv = table.result_csv(labels, confidence);
  const scores = table.scores(labels);
  const confusion = table.confusion(labels, k);
  post({ type: 'done', labels, confidence, csv, scores, confusion, classNames: table.class_names, k, warnings: training.warnings },
       [labels.buffer, confidence.buffer, csv.buffer, confusion.buffer]);
  training.free();
  table.free();
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'device') {
      deviceReady = chooseDevice(data.preferGpu);
      await deviceReady;
    }
    else if (data.type === 'inspect') {
      await ready;
      const { table, summary } = inspect(data.name, data.bytes, data.labelColumn);
      table.free();
      post(summary);
    } else if (data.type === 'train') {
      await ready;
      await (deviceReady ?? chooseDevice(true));
      await train(data);
    }
  } catch (err) {
    post({ type: 'error', during: data.type, name: data.name, message: messageOf(err) });
  }
};
