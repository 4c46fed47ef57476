// The DEC autoencoder's training step in TensorFlow.js, built as deepclust builds it
// (Dense d-…-embedding, ReLU between layers, linear embedding and output, mirrored decoder,
// mean squared reconstruction error, Adam 1e-3), timed as bench/page/bench.js times deepclust's:
// median over steps, each step reading its loss back so the device work is finished.
/* global tf */
const params = new URLSearchParams(location.search);
const dims = (params.get('dims') ?? '784,500,500,2000,10').split(',').map(Number);
const batch = Number(params.get('batch') ?? 256);
const steps = Number(params.get('steps') ?? 10);
const backend = params.get('backend') ?? 'webgpu';
// wasm only: threads=1 keeps TF.js on one thread; otherwise one thread per core where the page
// is cross-origin isolated (its threaded SIMD build), as deepclust takes (TF.js's own default
// is half the cores, at most four).
const threads = Number(params.get('threads') ?? navigator.hardwareConcurrency);

function layer(from, to) {
  // Glorot-uniform weights, zero biases: the usual dense initialisation.
  const limit = Math.sqrt(6 / (from + to));
  return { w: tf.variable(tf.randomUniform([from, to], -limit, limit)), b: tf.variable(tf.zeros([to])) };
}

async function run() {
  if (backend === 'wasm') {
    tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
    tf.wasm.setThreadsCount(threads);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  await tf.ready();
  const sizes = [...dims, ...dims.slice(0, -1).reverse()];
  const layers = sizes.slice(1).map((to, i) => layer(sizes[i], to));
  const middle = dims.length - 2;  // the embedding layer's index: linear, as is the output
  const x = tf.randomUniform([batch, dims[0]]);
  const forward = () => layers.reduce((h, l, i) => {
    const z = tf.add(tf.matMul(h, l.w), l.b);
    return i === middle || i === layers.length - 1 ? z : tf.relu(z);
  }, x);
  const optimizer = tf.train.adam(1e-3);
  const times = [];
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const value = optimizer.minimize(() => tf.losses.meanSquaredError(x, forward()), true);
    loss = (await value.data())[0];
    value.dispose();
    times.push(performance.now() - t0);
    document.getElementById('out').textContent = `${backend}: step ${i + 1}/${steps}, last ${times.at(-1).toFixed(1)} ms`;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const threadsUsed = backend === 'wasm' ? tf.wasm.getThreadsCount() : 0;
  return { backend: tf.getBackend(), threads: threadsUsed, dims, batch, steps, ms_per_step: median, first_step_ms: times[0], final_loss: loss };
}

run().then(
  (result) => { window.benchResult = result; document.getElementById('out').textContent = JSON.stringify(result, null, 2); },
  (err) => { window.benchResult = { backend, error: String(err.message ?? err) }; document.getElementById('out').textContent = `error: ${window.benchResult.error}`; },
);
