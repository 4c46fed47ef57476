// Device = auto's probe as the app's worker runs it (www/lib/worker.js, pickDevice), for
// bench/gpu-machine.mjs: the network a run would train is timed on WebGPU in the GPU build
// and on the CPU in the build the CPU would train in (the threaded one where the page is
// cross-origin isolated), and probe_devices compares them. One message per data set:
// `{ csvUrl, k }` or `{ images, labels, k }` (IDX bytes, gzipped or not); the reply is
// `{ method, rows, cols, cpuMs, gpuMs, gpuFaster, text, cpuThreads }` or `{ error }`.
import { adapterName, load } from '../../www/lib/modules.js';

const gpuBuild = load('gpu').then(async (wasm) => {
  const backend = await wasm.init_device(true);
  if (!backend.startsWith('WebGPU')) throw new Error(`no WebGPU device in the worker (${backend})`);
  return wasm;
});
// The GPU build's own CPU, on one thread, where the threaded build cannot load.
const cpuBuild = load('threads').catch(() => null);

async function makeTable(wasm, set) {
  if (set.csvUrl) {
    const bytes = new Uint8Array(await (await fetch(set.csvUrl)).arrayBuffer());
    const parse = new wasm.TableParse(bytes, JSON.stringify({ label: null, roles: {}, missing: 'fill', scaling: 'auto' }));
    try {
      while (parse.advance(20000) < 1);
      return parse.finish();
    } finally {
      parse.free();
    }
  }
  return wasm.Table.from_idx(set.images, set.labels);
}

self.onmessage = async ({ data: set }) => {
  let table = null;
  let cpuTable = null;
  try {
    const gpu = await gpuBuild;
    const cpu = await cpuBuild;
    table = await makeTable(gpu, set);
    const method = table.default_method;
    const settings = JSON.stringify({ method, k: set.k, seed: 42 });
    let cpuMs;
    if (cpu) {
      cpuTable = await makeTable(cpu, set);
      cpuMs = await cpu.cpu_step_ms(cpuTable, settings, 500);
    }
    const found = await gpu.probe_devices(table, settings, 500, await adapterName(), cpuMs);
    self.postMessage({
      method, rows: table.rows, cols: table.cols, cpuMs: found.cpuMs, gpuMs: found.gpuMs,
      gpuFaster: found.gpuFaster, text: found.text, cpuThreads: cpu ? cpu.threads : 1,
    });
  } catch (err) {
    self.postMessage({ error: String(err?.message ?? err) });
  } finally {
    table?.free();
    cpuTable?.free();
  }
};
