// Owns the wasm module and the training loop. deepclust.js talks to it with the messages of
// protocol.js only, and cancelling is terminating this worker, which stops any GPU or CPU work
// at once. Each request's replies carry its id (see protocol.js).
import { Request, Reply } from './protocol.js';
import { adapterName, load, oneThreadReason, refuseThreads } from './modules.js';

// This worker's wasm build (modules.js), chosen with the device: its exports, once loaded.
let wasm = null;
// Messages are handled concurrently (each handler awaits), so the others wait for this.
let deviceReady = null;
// Why the CPU runs on one thread here, when it does.
let oneThread = null;

/** The CPU build: every core where the page allows threads, else the one-thread build. */
async function loadCpu() {
  try {
    return await load('threads');
  } catch (err) {
    oneThread = oneThreadReason(err);
    return load('gpu');
  }
}

/** This worker's module, once chosen: with the device (DEVICE), else the CPU build. */
async function moduleReady() {
  if (deviceReady) await deviceReady;
  wasm ??= await loadCpu();
  return wasm;
}

/** The badge's words for a CPU run on `module`: how many threads, or why only one. */
function onCores(text, module) {
  if (module.threads > 1) return `${text} · ${module.threads} threads`;
  return `${text} · ${oneThread ?? 'one thread'}`;
}

// Step-by-step mode: the training loop waits on `resume` at each pause.
let stepMode = false;
let resume = null;
let current = null;  // the Training in progress, to switch its pausing on and off
// The last finished run, kept for its 2-D map, and the map once fitted.
let finished = null;
let finishedModule = null;
let map = null;
// The map drawn during the run, while the page shows the map view; the final map starts from it.
let liveMapOn = false;
let liveStart = null;
// Whether anyone sees the run (a hidden tab, or a client that draws nothing, does not): only
// then do timed snapshots embed every row.
let watched = true;
// The share of a run that timed snapshots may take. While pretraining, a snapshot embeds every
// row: about 0.7 s for the 10,000 MNIST test images on 2 threads, half an epoch's steps.
const SNAPSHOT_SHARE = 0.1;

const post = (message, transfer = []) => self.postMessage(message, transfer);

// A turn of the event loop, so messages that came meanwhile are heard. Not setTimeout(0):
// called from a chain of them it waits at least 4 ms each time, about 1 s of a 15 s run that
// pauses at every target update (hardreg on the digits sample).
// Requests run concurrently, so each waiter gets its own message, in turn.
const turn = new MessageChannel();
const waiting = [];
turn.port1.onmessage = () => waiting.shift()?.();
const nextTask = () => new Promise((resolve) => {
  waiting.push(resolve);
  turn.port2.postMessage(null);
});
/** A reply to the request with this id. */
const replier = (id) => (type, body = {}, transfer = []) => post({ ...body, type, id }, transfer);
const messageOf = (err) => (err && err.message) ? err.message : String(err);

// What Rust said as it panicked (src/web/mod.rs), for the page (deepclust.js adds it to the
// trap's error, which says only "unreachable").
self.deepclustPanic = (text) => post({ type: Reply.PANIC, text: text.replace(/\s*\n\s*/g, ' ') });

/**
 * Frees a wasm object on a path that may be failing already. After a trap (a Rust panic) the
 * object the trapped call borrowed still counts as borrowed, and freeing it throws
 * wasm-bindgen's "attempted to take ownership of Rust value while it was borrowed" in place of
 * the error that says what went wrong; that first error is the one to report (the page then
 * restarts the worker, whose memory a trap leaves in doubt).
 */
function release(object) {
  try {
    object?.free();
  } catch {
    // Leaked with the worker, which a trap's error restarts.
  }
}

// A WebGPU device can be lost (driver reset, GPU process crash). The device the wasm runtime
// asks for is kept so its loss is seen (`device.lost`): deepclust.js then starts a CPU worker
// that goes on from the last checkpoint. Also reachable as `self.deepclustGpuDevice`, so a test
// (or someone debugging) can cause a loss with `destroy()`.
let onGpu = false;
let gpuLost = null;
let signalLost;
const lost = new Promise((resolve) => { signalLost = resolve; });
if (self.GPUAdapter?.prototype?.requestDevice) {
  const request = self.GPUAdapter.prototype.requestDevice;
  self.GPUAdapter.prototype.requestDevice = async function requestDevice(...args) {
    const device = await request.apply(this, args);
    self.deepclustGpuDevice = device;
    device.lost.then((info) => {
      gpuLost = info;
      post({ type: Reply.DEVICE_LOST, reason: info.reason, message: info.message });
      signalLost(info);
    });
    return device;
  };
}

// Without an adapter the wgpu runtime cannot come up; asking the browser first keeps that
// case an ordinary fallback instead of an error inside the runtime.
async function gpuAvailable() {
  try {
    return Boolean(self.navigator.gpu && await self.navigator.gpu.requestAdapter());
  } catch {
    return false;
  }
}

// Device = auto: each run's network is timed on both devices before it trains (probe_devices),
// once per network shape and batch; `probes` keeps what was found.
let probeMode = false;
const probes = new Map();

/**
 * Trains this run on the faster device for its network, measured (Rust's probe_devices), and
 * says which on the badge. Methods without a network keep the device the worker chose.
 */
async function pickDevice(table, settings, data, send) {
  const key = `${table.rows}×${table.cols}:${settings}`;
  let found = probes.get(key);
  let cpuTable = null;
  // The threaded build, or where it cannot load this very build's CPU on one thread.
  const cpu = await loadCpu();
  if (!found) {
    try {
      // The CPU is timed in the build it would train in: on every core where it can.
      let cpuMs;
      if (cpu !== wasm) {
        cpuTable = await makeTable(data, send, cpu);
        cpuMs = await cpu.cpu_step_ms(cpuTable, settings, 500);
      }
      found = await wasm.probe_devices(table, settings, 500, await adapterName(), cpuMs);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) throw err;
      release(cpuTable);
      return { module: wasm, table };
    }
    probes.set(key, found);
  }
  onGpu = found.gpuFaster;
  const module = onGpu ? wasm : cpu;
  post({ type: Reply.BACKEND, text: onGpu ? found.text : onCores(found.text, module), threads: onGpu ? 0 : module.threads });
  if (module === wasm) {
    wasm.use_cpu(!onGpu);
    cpuTable?.free();
    return { module, table };
  }
  table.free();
  return { module, table: cpuTable ?? await makeTable(data, send, module) };
}

async function chooseDevice(preferGpu, probe = false) {
  probeMode = probe;
  const useGpu = preferGpu && await gpuAvailable();
  wasm = await (useGpu ? load('gpu') : loadCpu());
  wasm.use_cpu(false);
  let text = await wasm.init_device(useGpu);
  onGpu = Boolean(self.deepclustGpuDevice);
  if (preferGpu && !useGpu) text = 'CPU (this browser offers no WebGPU adapter)';
  if (onGpu) return { text, threads: 0 };
  if (useGpu) {
    // The adapter came up but gave no device: the CPU, on every core where it can.
    wasm = await loadCpu();
  }
  return { text: onCores(text, wasm), threads: wasm.threads };
}

/**
 * The table options Rust reads (src/web/table.rs) as JSON. `data.options` is the page's
 * `{ label, roles, missing, scaling }`; a bare `labelColumn` (the library's `{ csv, labelColumn }`)
 * still names the label. A label left undefined or null is detected, '' is none.
 */
function tableOptions(data) {
  const { label = data.labelColumn, roles = {}, missing = 'fill', scaling = 'auto' } = data.options ?? {};
  return JSON.stringify({ label: label ?? null, roles, missing, scaling });
}

/**
 * Each cluster's profile (Rust's JSON, parsed) and the same as CSV bytes; nulls for pictures,
 * which have no columns to describe. A description that fails must not cost the finished run
 * or the placed rows: it comes back as a note instead.
 */
function profilesOf(table, labels, k) {
  try {
    const found = table.profiles(labels, k);
    if (!found) return { profiles: null, profilesCsv: null, notes: [] };
    return { profiles: JSON.parse(found.json), profilesCsv: found.csv, notes: [] };
  } catch (err) {
    // A trap is not a description that failed: the worker's memory is in doubt.
    if (err instanceof WebAssembly.RuntimeError) throw err;
    return { profiles: null, profilesCsv: null, notes: [`the clusters could not be described (${messageOf(err)})`] };
  }
}

/**
 * A CSV file's Table, read a slice of rows at a time: on a big file the page shows how far
 * the reading got ('parsing' messages) and the worker hears its messages between slices.
 */
async function parseCsv(data, send, module) {
  // The parts of one table (train.csv, test.csv) are read as one file.
  const parse = data.parts
    ? module.TableParse.from_parts(data.parts.map((p) => p.name), data.parts.map((p) => new Uint8Array(p.bytes)), tableOptions(data))
    : new module.TableParse(new Uint8Array(data.bytes), tableOptions(data));
  try {
    // Every 5 % of the file, and at least every 150 ms: a step tied to the file rather than
    // the clock alone, so a fast machine shows as many steps as a slow one.
    let lastPost = performance.now();
    let lastShare = 0;
    let share;
    while ((share = parse.advance(20000)) < 1) {
      if (share - lastShare < 0.05 && performance.now() - lastPost < 150) continue;
      send(Reply.PARSING, { name: data.name, share });
      await nextTask();
      lastPost = performance.now();
      lastShare = share;
    }
    return parse.finish();
  } finally {
    release(parse);
  }
}

/** A Table of `module` (this worker's by default) from a DataSource (protocol.js), what the page keeps of the loaded data. */
async function makeTable(data, send, module = wasm) {
  const { Table } = module;
  if (data.kind === 'csv') return parseCsv(data, send, module);
  if (data.kind === 'idx') {
    const bytes = (b) => (b ? new Uint8Array(b) : undefined);
    const [first, ...rest] = data.sets;
    const table = Table.from_idx(bytes(first.images), bytes(first.labels));
    try {
      for (const set of rest) table.append_idx(set.name, bytes(set.images), bytes(set.labels));
    } catch (e) {
      // A refused file must not leave the others' pixels taking the tab's memory.
      release(table);
      throw e;
    }
    return table;
  }
  if (data.kind === 'series') {
    return Table.from_series(data.files.map((f) => f.name), data.files.map((f) => new Uint8Array(f.bytes)), JSON.stringify(data.options ?? {}));
  }
  return Table.from_images(data.planes, data.side, data.channels, data.names, data.labelsCsv ?? undefined);
}

function summarise(table, data) {
  const [channels, side] = table.image_shape;
  const [seriesChannels, length] = table.series_shape;
  const csv = data.kind === 'csv';
  // Every column of the file with Rust's kind, role and reason (features, label, ignored).
  const columnInfo = csv ? JSON.parse(table.columns_json()) : [];
  return {
    name: data.name, kind: data.kind,
    rows: table.rows, cols: table.cols, fileRows: csv ? table.file_rows : table.rows,
    columns: columnInfo.map((c) => c.name), columnInfo, labelColumn: table.label_column ?? '',
    missing: csv ? table.missing : undefined, scaling: csv ? table.scaling : undefined,
    nClasses: table.n_classes, warnings: table.warnings, defaultMethod: table.default_method,
    channels: channels ?? seriesChannels, side, length,
    // Why the number columns look like a recording's time steps: the page offers to read each row as a series.
    rowsHint: csv ? table.series_in_rows_hint ?? '' : '',
  };
}

async function inspect(data, send) {
  const table = await makeTable(data, send);
  const summary = summarise(table, data);
  if (data.kind === 'idx') {
    // The page draws galleries from the pixels, so it gets them once here.
    summary.planes = table.pixels();
  }
  if (data.kind === 'series') {
    summary.seriesValues = table.series_values();
    summary.series = table.series_info();
  }
  table.free();
  const moved = summary.planes ?? summary.seriesValues;
  send(Reply.INSPECTED, summary, moved ? [moved.buffer] : []);
}

const IMAGE_SAMPLE = 200;

/** Is this bitmap coloured? Drawn small: a few hundred pixels tell. */
function isColour(ctx, bitmap) {
  ctx.clearRect(0, 0, 16, 16);
  ctx.drawImage(bitmap, 0, 0, 16, 16);
  const px = ctx.getImageData(0, 0, 16, 16).data;
  for (let i = 0; i < px.length; i += 4) {
    if (Math.abs(px[i] - px[i + 1]) > 8 || Math.abs(px[i + 1] - px[i + 2]) > 8) return true;
  }
  return false;
}

/**
 * Decodes dropped pictures: square centre crops resized to one side, as grayscale or RGB
 * planes. Files that do not decode are listed, not fatal.
 */
async function decodeImages({ name, files, labelsCsv, side: wantedSide, colour }, send) {
  const { planes, side, channels, names, skipped } = await decodePictures(files, wantedSide, colour, send);
  const data = { kind: 'images', name, planes, side, channels, names, labelsCsv };
  send(Reply.DECODED, { data: { ...data }, skipped });
  await inspect(data, send);
}

/** `files` ({ path, file }) as planes of one size; `wantedSide` 'auto' or a number, `colour` 'auto', 'gray' or 'rgb'. */
async function decodePictures(files, wantedSide, colour, send) {
  const skipped = [];
  const widths = [];
  const heights = [];
  let anyColour = false;
  const probe = new OffscreenCanvas(16, 16).getContext('2d', { willReadFrequently: true });
  for (const { path, file } of files.slice(0, IMAGE_SAMPLE)) {
    try {
      const bitmap = await createImageBitmap(file);
      widths.push(bitmap.width);
      heights.push(bitmap.height);
      if (colour === 'auto' && !anyColour) anyColour = isColour(probe, bitmap);
      bitmap.close();
    } catch { /* reported in the full pass below */ }
  }
  const side = wantedSide === 'auto' ? wasm.default_image_side(Uint32Array.from(widths), Uint32Array.from(heights)) : Number(wantedSide);
  const channels = colour === 'rgb' || (colour === 'auto' && anyColour) ? 3 : 1;
  wasm.check_pictures_fit(files.length, side, channels);
  const per = channels * side * side;
  const canvas = new OffscreenCanvas(side, side);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let planes = new Uint8Array(files.length * per);
  const names = [];
  let lastReport = 0;
  for (const [i, { path, file }] of files.entries()) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (err) {
      skipped.push({ name: path, reason: `not a readable image (${messageOf(err) || 'the browser could not decode it'})` });
      continue;
    }
    const [x, y, s] = wasm.centre_crop(bitmap.width, bitmap.height);
    // Transparent pixels become black, as on the dark background most scans have.
    ctx.fillStyle = 'black';
    ctx.fillRect(0, 0, side, side);
    ctx.drawImage(bitmap, x, y, s, s, 0, 0, side, side);
    bitmap.close();
    planes.set(wasm.to_planes(ctx.getImageData(0, 0, side, side).data, side, channels), names.length * per);
    names.push(path);
    if (performance.now() - lastReport > 200) {
      send(Reply.DECODING, { done: i + 1, total: files.length });
      lastReport = performance.now();
    }
  }
  planes = planes.slice(0, names.length * per);
  return { planes, side, channels, names, skipped };
}

/** Waits for the page's "next step" (or for step mode to be switched off). */
function pause(event, info, send) {
  if (!stepMode) return Promise.resolve();
  send(Reply.PAUSED, { event, ...info });
  return new Promise((resolve) => { resume = resolve; });
}

function forgetFinished() {
  release(map);
  map = null;
  liveStart = null;
  release(finished);
  finished = null;
}

async function train({ data, method, k, epochs, seed, gamma, neighbours, pixelDivisor, embeddingSpace, fullCovariance, seriesNetwork, stepMode: stepping, liveMap, watched: seen = true, resume, embedding }, send) {
  forgetFinished();
  liveMapOn = Boolean(liveMap);
  watched = Boolean(seen);
  let live = null;
  let lastMap = -Infinity;
  let mapCost = 0;
  let table = await makeTable(data, send);
  send(Reply.INSPECTED, summarise(table, data));
  // Values as the user typed them: Rust reads, checks and explains them (a setting left out or
  // empty takes the default for the data).
  // 'auto' (the library's default): the method that clusters this kind of data best.
  if (!method || method === 'auto') method = table.default_method;
  const settings = {
    method, k, seed, pretrainEpochs: epochs, gamma, neighbours, pixelDivisor,
    space: embeddingSpace ? 'embedding' : undefined, covariance: fullCovariance ? 'full' : undefined,
    seriesNetwork: seriesNetwork ?? undefined,
  };
  // The module this run trains in: this worker's, or the threaded one when the probe picks the CPU.
  let module = wasm;
  if (probeMode && self.deepclustGpuDevice && !resume) ({ module, table } = await pickDevice(table, JSON.stringify(settings), data, send));
  const training = new module.Training(table, JSON.stringify(settings));
  k = Number(k);
  if (resume) training.resume_from(new Uint8Array(resume.bytes));
  stepMode = Boolean(stepping);
  current = training;
  // The last epoch (per phase) whose state went to the page, in case the GPU is lost.
  const kept = {};
  training.set_pause_at_updates(stepMode);
  let batches = 1;
  let lastPhase = null;
  let lastUpdates = 0;
  let lastSnapshot = 0;
  // Timed snapshots wait so they take at most SNAPSHOT_SHARE of the run, and at least a second.
  let snapshotCost = 0;
  // Where the run's time went, for Done's `timing`.
  const timing = { stepsMs: {}, snapshotsMs: 0, snapshots: 0 };
  let s = null;
  const snapshot = async () => {
    const started = performance.now();
    const snap = await training.snapshot();
    const { xy, centres } = snap;
    const labels = snap.labels ?? new Uint32Array(0);
    // Confidences only change at target updates; they feed the step-by-step histogram.
    const confidence = labels.length ? snap.confidence : new Float32Array(0);
    // The live map costs a neighbour search and a short layout: redrawn at most once a
    // second, and never taking more than a quarter of the time.
    let mapXy = new Float32Array(0);
    if (liveMapOn && performance.now() - lastMap > Math.max(1000, 3 * mapCost)) {
      const t0 = performance.now();
      const { space: z, dim } = await training.cluster_space();
      live ??= new module.LiveMap(Number(seed) || 42);
      mapXy = live.refresh(z, z.length / dim, dim);
      lastMap = performance.now();
      mapCost = lastMap - t0;
    }
    send(Reply.SCATTER, {
      xy, labels, centres, confidence, mapXy,
      phase: s?.phase ?? 'pretrain', epoch: s?.epoch ?? 0, updates: s?.updates ?? 0,
    }, [xy.buffer, labels.buffer, centres.buffer, confidence.buffer, mapXy.buffer]);
    lastSnapshot = performance.now();
    snapshotCost = lastSnapshot - started;
    timing.snapshotsMs += snapshotCost;
    timing.snapshots += 1;
    await hearThePage();
  };
  // Steps resolve without leaving the task, so the page's messages (step mode, the map view,
  // watched or not) wait for a turn of the event loop: one after each snapshot, and at least
  // every quarter second when there are none.
  let lastHeard = 0;
  const hearThePage = async () => {
    await nextTask();
    lastHeard = performance.now();
  };
  for (;;) {
    const t0 = performance.now();
    training.set_pause_at_updates(stepMode);
    s = await training.step(t0);
    const took = performance.now() - t0;
    timing.stepsMs[s.phase] = (timing.stepsMs[s.phase] ?? 0) + took;
    // Keep each step near 150 ms: responsive progress without per-batch overhead.
    if (took < 75 && batches < 256) batches *= 2;
    else if (took > 300 && batches > 1) batches = Math.max(1, batches >> 1);
    training.set_batches_per_step(batches);
    const { phase } = s;
    // On the GPU, hand the page the run's state after each epoch, in case the device is lost.
    if (onGpu && !gpuLost && phase !== 'done' && s.epoch > (kept[phase] ?? -1)) {
      kept[phase] = s.epoch;
      const bytes = await training.checkpoint();
      if (bytes) send(Reply.CHECKPOINT, { label: training.checkpoint_label, bytes }, [bytes.buffer]);
    }
    send(Reply.PROGRESS, { ...s, wasmBytes: module.memory.buffer.byteLength });
    if (phase === 'done') break;
    const event = lastPhase === 'pretrain' && phase !== 'pretrain' ? 'pretrained'
      : lastPhase === 'init' && phase === 'refine' ? 'initialised'
        : phase === 'refine' && s.updates > lastUpdates ? 'update' : null;
    const due = watched
      && performance.now() - lastSnapshot > Math.max(1000, snapshotCost * (1 / SNAPSHOT_SHARE - 1));
    if (event || phase !== lastPhase || due) await snapshot();
    else if (performance.now() - lastHeard > 250) await hearThePage();
    if (event) await pause(event, { updates: s.updates, changed: s.changed, epoch: s.epoch, epochs: s.epochs, k, dim: training.embedding_dim, neighbours: training.neighbours }, send);
    lastPhase = phase;
    lastUpdates = s.updates;
  }
  current = null;
  await snapshot();
  const labels = training.labels();
  const confidence = training.confidence();
  const csv = table.result_csv(labels, confidence);
  const scores = table.scores(labels);
  const confusion = table.confusion(labels, k);
  const { profiles, profilesCsv, notes } = profilesOf(table, labels, k);
  const bands = table.series_bands(labels, k);
  const differences = JSON.parse(table.series_channel_differences(labels, k));
  const model = await training.model_bytes();
  // The space the clusters live in, for clients that asked (the page does not need it).
  const { space = null, dim: dims = 0 } = embedding ? await training.cluster_space() : {};
  send(Reply.DONE, {
    method, labels, confidence, csv, scores, confusion, classNames: table.class_names, k, warnings: [...training.warnings, ...notes], readNotes: table.warnings, model, timing,
    stopped: training.stopped ?? null,
    profiles, profilesCsv, ...(bands.length ? { bands, differences } : {}), ...(space ? { embedding: space, dims } : {}),
  }, [labels.buffer, confidence.buffer, csv.buffer, confusion.buffer, bands.buffer, ...(model ? [model.buffer] : []), ...(profilesCsv ? [profilesCsv.buffer] : []), ...(space ? [space.buffer] : [])]);
  table.free();
  finished = training;  // for its map, until the next run
  finishedModule = module;
  if (live) {
    const last = live.last();
    liveStart = last.length ? last : null;
    live.free();
  }
}

/** Fits the 2-D map of the last run, posting the picture as it forms. */
async function fitMap({ seed }, send) {
  if (!finished) throw new Error('train again to draw a map: the last run is gone (Cancel or an error restarts the worker)');
  if (!map) {
    const { space: z, dim } = await finished.cluster_space();
    map = new finishedModule.MapTraining(z, z.length / dim, dim, seed, liveStart ?? undefined);
  }
  let batches = 4;
  let lastPost = 0;
  while (!map.done) {
    const t0 = performance.now();
    const loss = await map.step(batches);
    const took = performance.now() - t0;
    if (took < 75 && batches < 256) batches *= 2;
    else if (took > 300 && batches > 1) batches >>= 1;
    if (performance.now() - lastPost > 700) {
      const xy = await map.snapshot();
      send(Reply.MAP_PROGRESS, { progress: map.progress, loss, xy }, [xy.buffer]);
      lastPost = performance.now();
    }
  }
  const xy = await map.snapshot();
  send(Reply.MAP_DONE, { xy }, [xy.buffer]);
  // The run's model again, now with this map in it, so rows it places later land on the map.
  const model = await finished.model_bytes_with_map(map);
  send(Reply.MODEL_WITH_MAP, { model }, [model.buffer]);
}

/** k-means for k = 2..maxK on the loaded data, one message per k. */
async function sweepK({ data, maxK, seed }, send) {
  const table = await makeTable(data, send);
  const sweep = new wasm.KSweep(table, seed);
  try {
    const top = Math.min(maxK, sweep.max_k);
    for (let k = 2; k <= top; k++) {
      const [, inertia, silhouette] = sweep.point(k);
      send(Reply.SWEEP_POINT, { k, inertia, silhouette, of: top, rows: sweep.rows, suggested: sweep.suggested_k });
      // Let 'cancel'-style messages and the page breathe between ks.
      await nextTask();
    }
    send(Reply.SWEEP_DONE, { suggested: sweep.suggested_k ?? null });
  } finally {
    release(sweep);
    release(table);
  }
}

/** A made-up sample, generated from the seed: a 2-D CSV, or series as the file they stand for. */
function makeSample({ name, seed }, send) {
  const series = wasm.sample_series(name, seed);
  if (series) {
    send(Reply.SAMPLE, { name, bytes: series.bytes, file: series.file, columns: series.columns }, [series.bytes.buffer]);
    return;
  }
  const bytes = wasm.sample_csv(name, seed);
  send(Reply.SAMPLE, { name, bytes, file: `${name}.csv`, columns: null }, [bytes.buffer]);
}

/** Reads a saved model; the page keeps the bytes, so a restarted worker loses nothing. */
function loadModel(bytes) {
  return wasm.Model.load(new Uint8Array(bytes));
}

function describeModel({ name, bytes }, send) {
  const model = loadModel(bytes);
  const [channels, side] = model.image_shape;
  const [seriesChannels, length] = model.series_shape;
  send(Reply.MODEL, {
    name, method: model.method, k: model.n_clusters,
    features: model.feature_names, columns: model.columns, channels, side, seriesChannels, length,
  });
  model.free();
}

async function predict({ model: modelBytes, name, bytes, parts, images, series, labelsCsv, intoMap }, send) {
  const model = loadModel(modelBytes);
  try {
    let table;
    let skipped = [];
    if (images) {
      // Pictures are sized and coloured as the model's training images were.
      const [channels, side] = model.image_shape;
      if (!side) throw new Error('this model was trained on a table; give it a CSV with the same columns');
      const decoded = await decodePictures(images, side, channels === 3 ? 'rgb' : 'gray', send);
      skipped = decoded.skipped;
      if (decoded.names.length === 0) throw new Error('none of the files could be read as an image');
      table = wasm.Table.from_images(decoded.planes, side, channels, decoded.names, labelsCsv ?? undefined);
    } else if (series) {
      table = model.series_table(series.map((f) => f.name), series.map((f) => new Uint8Array(f.bytes)));
    } else if (parts) {
      table = model.parts_table(parts.map((p) => p.name), parts.map((p) => new Uint8Array(p.bytes)));
    } else {
      table = model.csv_table(new Uint8Array(bytes));
    }
    const labels = await model.predict(table);
    const confidence = model.confidence();
    const xy = model.xy();
    // Onto a map: the model's own (saved with it), else the page's map of this very model's run.
    let mapXy = model.map_xy();
    if (!mapXy.length && intoMap && map?.done) mapXy = await map.place(await model.embed(table));
    const mapBase = { xy: model.map_picture(), labels: model.map_labels() };
    const csv = table.result_csv(labels, confidence);
    const scores = table.scores(labels);
    const { profiles, profilesCsv } = profilesOf(table, labels, model.n_clusters);
    send(Reply.PREDICTED, { name, labels, confidence, xy, mapXy, mapBase, csv, scores, skipped, unit: images ? 'images' : series ? 'series' : 'rows', k: model.n_clusters, profiles, profilesCsv, notes: images ? [] : table.warnings },
      [labels.buffer, confidence.buffer, xy.buffer, mapXy.buffer, mapBase.xy.buffer, mapBase.labels.buffer, csv.buffer, ...(profilesCsv ? [profilesCsv.buffer] : [])]);
    table.free();
  } finally {
    release(model);
  }
}

/** The method registry, from Rust (`cluster::registry`), in the shape deepclust.js documents. */
let registered = null;
function registry() {
  registered ??= JSON.parse(wasm.methods()).map((m) => ({
    name: m.name,
    title: m.title,
    paper: m.paper,
    summary: m.summary,
    label: m.images ? `${m.title} (images)` : m.deep ? m.title : `${m.title} (baseline)`,
    loss: m.loss,
    baseline: !m.deep,
    // The page's and the library's names for the two settings that are choices there.
    settings: m.settings.map((name) => ({ space: 'embeddingSpace', covariance: 'fullCovariance' })[name] ?? name),
    data: m.images ? 'images' : 'any',
    help: m.help,
    explain: m.explain,
  }));
  return registered;
}

self.onmessage = async ({ data: message }) => {
  const send = replier(message.id);
  try {
    switch (message.type) {
      // The run controls act on the training in progress, at once.
      case Request.STEP_MODE:
        stepMode = message.on;
        current?.set_pause_at_updates(stepMode);
        if (!stepMode) resume?.();
        return;
      case Request.LIVE_MAP:
        liveMapOn = message.on;
        return;
      case Request.WATCHED:
        watched = message.on;
        return;
      case Request.NEXT_STEP: {
        const go = resume;
        resume = null;
        go?.();
        return;
      }
      case Request.METHODS:
        await moduleReady();
        send(Reply.METHODS, { methods: registry() });
        return;
      case Request.DEVICE:
        if (message.threads === false) refuseThreads('its threads did not start in this browser (tried twice)');
        deviceReady = chooseDevice(message.preferGpu, Boolean(message.probe));
        send(Reply.BACKEND, await deviceReady);
        return;
      default:
    }
    await moduleReady();
    switch (message.type) {
      case Request.SAMPLE:
        makeSample(message, send);
        break;
      case Request.RESULT_CSV: {
        // A cancelled run's clusters so far, as the usual results file.
        const table = await makeTable(message.data, send);
        const csv = table.result_csv(message.labels, message.confidence);
        table.free();
        send(Reply.RESULT_CSV, { csv }, [csv.buffer]);
        break;
      }
      case Request.MAP:
        await fitMap(message, send);
        break;
      case Request.K_SWEEP:
        await sweepK(message, send);
        break;
      case Request.INSPECT:
        await inspect(message.data, send);
        break;
      case Request.DECODE_IMAGES:
        await decodeImages(message, send);
        break;
      case Request.LOAD_MODEL:
        await (deviceReady ?? chooseDevice(true));
        describeModel(message, send);
        break;
      case Request.PREDICT:
        await (deviceReady ?? chooseDevice(true));
        await predict(message, send);
        break;
      case Request.TRAIN:
        await (deviceReady ?? chooseDevice(true));
        await train(message, send);
        break;
      default:
        throw new Error(`unknown request '${message.type}'`);
    }
  } catch (err) {
    // A lost GPU fails the work it had; the page is told by DEVICE_LOST and moves on.
    if (onGpu) await Promise.race([lost, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (gpuLost) return;
    send(Reply.ERROR, { during: message.type, source: message.data?.name ?? message.name, message: messageOf(err) });
  }
};
