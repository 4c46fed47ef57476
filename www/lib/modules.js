// The two builds of the Rust crate a worker can load (build.sh):
// - 'gpu' (pkg/): WebGPU, and the CPU on one thread;
// - 'threads' (pkg-mt/): the CPU alone, on every core. Its threads share the module's memory,
//   which browsers allow only in a cross-origin isolated page (COOP/COEP headers, sent by
//   ./build.sh serve, or added by the service worker on a static host).
// Each loads once per worker; objects made by one (tables, runs, maps) work with that one only.
// Also here: the WebGPU adapter's name, which the badge and the probe give.

import { Reply } from './protocol.js';

/** Whether this worker can run the threaded build: shared memory is on. */
const threadsPossible = Boolean(self.crossOriginIsolated) && typeof SharedArrayBuffer === 'function';
/** Why threads are not to be tried in this worker, when the page said so (they hung before). */
let threadsRefused = null;

/** No threads in this worker, for `reason`. */
export function refuseThreads(reason) {
  threadsRefused = reason;
}

/** One thread per core; a browser that hides the count gets four. */
const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 4, 64));

const loaded = new Map();

/**
 * The module's exports, initialised (and for 'threads' its thread pool started and the CPU set
 * as its device). Rejects when the build cannot load here (a browser without wasm threads).
 */
export function load(kind) {
  if (!loaded.has(kind)) {
    const module = kind === 'threads' ? loadThreads() : loadGpuBuild();
    // A failed load may succeed on a later try (a network hiccup): it is not kept.
    module.catch(() => loaded.delete(kind));
    loaded.set(kind, module);
  }
  return loaded.get(kind);
}

async function loadGpuBuild() {
  const wasm = await import('./pkg/deepclust.js');
  const { memory } = await wasm.default();
  return { ...wasm, kind: 'gpu', memory, threads: 1 };
}

async function loadThreads() {
  if (!threadsPossible) throw new Error('this page is not cross-origin isolated, so it cannot share memory between threads');
  if (threadsRefused) throw new Error(threadsRefused);
  const wasm = await import('./pkg-mt/deepclust.js');
  const { memory } = await wasm.default();
  // Starting the pool sometimes blocks this worker for good in Firefox (its helper workers
  // never start): the page watches for this and restarts the worker (deepclust.js).
  self.postMessage({ type: Reply.THREADS, starting: true });
  try {
    await wasm.initThreadPool(cores);
  } finally {
    self.postMessage({ type: Reply.THREADS, starting: false });
  }
  await wasm.init_device(false);
  return { ...wasm, kind: 'threads', memory, threads: cores };
}

/** Words for the badge after 'CPU' when the CPU runs on one thread, saying why. */
export function oneThreadReason(error) {
  if (typeof SharedArrayBuffer !== 'function' && self.crossOriginIsolated) return 'one thread: this browser does not share memory between threads';
  if (!self.crossOriginIsolated) return 'one thread: this page is not cross-origin isolated';
  return `one thread: ${error?.message ?? 'the threaded build did not load'}`;
}

/** The GPU's name for the badge, with a word when it is a software adapter (a CPU emulating one). */
export async function adapterName() {
  try {
    const adapter = await self.navigator.gpu.requestAdapter();
    const info = adapter.info ?? {};
    const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    const software = adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(`${name} ${info.architecture ?? ''} ${info.device ?? ''}`);
    return software ? `${name}, a software adapter` : name;
  } catch {
    return '';
  }
}
