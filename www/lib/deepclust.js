// deepclust in the browser: deep clustering in a Web Worker that owns the wasm module. This
// file is the only way to that worker. Simple use:
//
//   import { cluster, methods, loadModel } from './deepclust.js';
//   const result = await cluster({ data, rows, cols }, { method: 'dec', k: 3 });
//
// Lower down, a Session is one worker (one device, one wasm instance) with a method per kind
// of request, and Session.train() returns a Run whose events report progress, snapshots and
// step-by-step pauses. Errors are Rust's messages; cancelling is terminating the worker.
import { Request, Reply, FINAL } from './protocol.js';

/** @typedef {import('./protocol.js').DataSource} DataSource */
/** @typedef {import('./protocol.js').Summary} Summary */
/** @typedef {import('./protocol.js').Progress} Progress */
/** @typedef {import('./protocol.js').Snapshot} Snapshot */
/** @typedef {import('./protocol.js').Pause} Pause */
/** @typedef {import('./protocol.js').Done} Done */
/**
 * One method of the registry (Rust's `cluster::registry`, through the worker). `settings` names
 * the options beyond k, seed, epochs and pixelDivisor that it reads (as cluster() and
 * Session.train() call them); `data` is 'images' for a method that only takes pictures.
 * @typedef {object} MethodInfo
 * @property {string} name what `method` takes: 'dec', 'idec', …
 * @property {string} title short name, e.g. 'N2D'
 * @property {string | null} paper the paper, e.g. 'McConville et al. 2020'; null for the classic baselines
 * @property {string} summary one line
 * @property {string} label name for a menu, e.g. 'k-means (baseline)'
 * @property {string} loss the loss it refines, in words and symbols
 * @property {boolean} baseline a classic method without a trained network of its own
 * @property {string[]} settings e.g. 'gamma', 'neighbours', 'embeddingSpace', 'fullCovariance'
 * @property {'any' | 'images'} data
 * @property {string} help what it does, in plain words
 * @property {{pretrained: Explanation, pretrained_series: Explanation, pretrained_series_aligned: Explanation, pretrained_gru: Explanation, initialised: Explanation, update: Explanation | null, finished: Explanation}} explain
 *   what step-by-step mode says at each pause
 */

/**
 * A pause's text: `{changed}`, `{k}`, `{dim}`, `{neighbours}`, `{updates}` and `{reason}` are
 * filled in by the page; the texts are constants and may hold markup for formulas.
 * @typedef {object} Explanation
 * @property {string} title
 * @property {string} text
 * @property {string[]} formulas
 * @property {string} after
 */

/**
 * Where training runs. 'auto': before each run with a network, a few of its training steps
 * are timed on WebGPU (when the browser offers an adapter) and on the CPU, and it trains on
 * the faster (the 'backend' event says which and by how much); 'gpu': WebGPU when offered,
 * else the CPU (WebAssembly); 'cpu': the CPU only.
 * @typedef {'auto' | 'gpu' | 'cpu'} Device
 */

/**
 * Settings of a run. Those left out get defaults sized for the data and the method (as the
 * command line's). Which method reads which of gamma, neighbours, embeddingSpace and
 * fullCovariance: see methods().
 * @typedef {object} TrainSettings
 * @property {string} [method] 'auto' (default: the method that clusters this kind of data best: 'hardreg' for tables, 'n2d' for images and time series), 'dec', 'idec', 'dcec', 'gceals', 'hardreg', 'deepcluster', 'n2d', 'mixture-em', 'kmeans', 'gmm'
 * @property {number} k the number of clusters
 * @property {number} [seed] 42 by default
 * @property {number} [epochs] pretraining epochs
 * @property {number} [gamma] weight of the clustering loss against reconstruction
 * @property {number} [neighbours] N2D's neighbours per row
 * @property {number} [pixelDivisor] images: the network sees pixel / pixelDivisor
 * @property {boolean} [embeddingSpace] baselines: cluster an autoencoder's embedding, not the standardised columns
 * @property {boolean} [fullCovariance] Gaussian mixture: full covariance matrices, not diagonal
 * @property {'conv' | 'conv-aligned' | 'gru'} [seriesNetwork] time series: convolutions pooled over time, convolutions kept in time order, or a recurrent GRU network; left out, the data decides (in time order when the series line up)
 */

const ABORTED = 'the work was aborted';
const abortError = () => new DOMException(ABORTED, 'AbortError');

/**
 * The error of a failed request: `message` is Rust's text (or the browser's), `source` names
 * the data or file the request was about, `during` the request; `internal` is true when the
 * wasm module stopped on an internal error (the Session has then restarted its worker).
 */
export class DeepclustError extends Error {
  constructor(message, { during, source, internal = false } = {}) {
    super(message);
    this.name = 'DeepclustError';
    this.during = during;
    this.source = source;
    this.internal = internal;
  }
}

/** The GPU was lost while a request other than training was in flight (training goes on on the CPU). */
export class DeviceLostError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DeviceLostError';
  }
}

// A trap inside the wasm (a bug, or memory exhausted) leaves the module unusable.
const TRAP = /unreachable|RuntimeError|out of bounds|out of memory|take ownership of Rust value|recursive use of an object/i;
const NO_DEVICE = Symbol('no device');
// A worker whose threads have not started after this long is taken to be hung (Firefox,
// sometimes): it is restarted, and after two such starts it runs on one thread. Starting
// them takes well under a second when it works.
const THREADS_START_MS = 10_000;
const THREAD_TRIES = 2;
const copy = (buffer) => buffer.slice(0);

/**
 * One worker and its wasm module, on one device. Requests may overlap (the worker takes them
 * in turn where they share state). Events:
 * - 'backend': `detail` `{ text, kind, threads }`, where training runs ('WebGPU…' / 'CPU…'; kind 'gpu'
 *   or 'cpu'; threads: the CPU threads in use, 0 on the GPU), each time a worker has chosen its device;
 * - 'devicelost': `detail` `{ reason, message, run, resumedFrom }`: the WebGPU device was lost, the
 *   session went over to the CPU, and `run` (the Run in progress, or null) goes on there from
 *   `resumedFrom` (a checkpoint's label, such as 'pretraining epoch 4', or null: from the start);
 * - 'crash': `detail` `{ message }`: the worker stopped; pending requests were rejected, and the
 *   next request starts a new worker;
 * - 'error': `detail` `{ message }`: no device could be set up.
 */
export class Session extends EventTarget {
  #worker = null;
  #device;
  #pending = new Map();
  #nextId = 1;
  #backend = null;
  #closed = false;
  #registry = null;
  // Starts of a worker whose threads hung, and the timer that watches the one starting now.
  #threadsHung = 0;
  // What the worker's Rust last said as it panicked (Reply.PANIC).
  #lastPanic = null;
  #threadsWatch = null;

  /** @param {{ device?: Device }} [options] */
  constructor({ device = 'auto' } = {}) {
    super();
    this.#device = device;
    this.#start();
  }

  /** 'auto', 'gpu' or 'cpu': the device asked for ('cpu' after a lost GPU). */
  get device() {
    return this.#device === NO_DEVICE ? 'auto' : this.#device;
  }

  /** `{ text, kind, threads }` of the device in use, or null while it is being chosen. */
  get backend() {
    return this.#backend;
  }

  #start() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.#worker = worker;
    this.#lastPanic = null;
    this.#backend = null;
    // A replaced worker's last messages may still be queued: only the current one is heard.
    worker.onmessage = ({ data }) => { if (worker === this.#worker) this.#receive(data); };
    worker.onerror = (e) => {
      e.preventDefault();
      if (worker === this.#worker) this.#crash(e.message || 'unknown error');
    };
    if (this.#device !== NO_DEVICE) {
      const threads = this.#threadsHung < THREAD_TRIES;
      this.#request(Request.DEVICE, { preferGpu: this.#device !== 'cpu', probe: this.#device === 'auto', threads }).catch((err) => {
        if (err.name !== 'AbortError') this.dispatchEvent(new CustomEvent('error', { detail: { message: err.message } }));
      });
    }
  }

  /** Ends the worker (rejecting what is pending with an AbortError) and starts a fresh one. */
  restart({ device = this.#device } = {}) {
    if (this.#closed) throw new Error('this session is closed');
    this.#device = device;
    this.#stop(abortError);
    this.#start();
  }

  /** Ends the worker for good; what is pending rejects with an AbortError. */
  close() {
    this.#closed = true;
    this.#stop(abortError);
  }

  #stop(reason) {
    clearTimeout(this.#threadsWatch);
    this.#worker?.terminate();
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.reject(reason());
  }

  // A worker that failed (or could not load its modules) is not started again here, or one
  // that cannot load would be restarted for ever: the next request starts a fresh one.
  #crash(message) {
    // A panic inside an async call traps outside any request: what Rust said comes with it.
    message = this.#withPanic(message);
    this.#stop(() => new DeepclustError(`the worker stopped unexpectedly (${message})`, { during: 'worker', internal: true }));
    this.dispatchEvent(new CustomEvent('crash', { detail: { message } }));
  }

  /** A trap's `message` ("unreachable") with what Rust said as it panicked, when it did. */
  #withPanic(message) {
    return this.#lastPanic && !message.includes(this.#lastPanic) ? `${message}: ${this.#lastPanic}` : message;
  }

  #post(message, transfer = []) {
    this.#worker?.postMessage(message, transfer);
  }

  /**
   * Sends a request; resolves with the reply that ends it. `onEvent` hears the replies on the
   * way; `signal` aborts it by restarting the worker.
   */
  #request(type, body = {}, { onEvent, signal, transfer = [], run = null } = {}) {
    if (this.#closed) return Promise.reject(new Error('this session is closed'));
    if (signal?.aborted) return Promise.reject(abortError());
    if (!this.#worker) this.#start();
    const id = this.#nextId++;
    const message = { ...body, type, id };
    return new Promise((resolve, reject) => {
      const done = () => signal?.removeEventListener('abort', onAbort);
      const entry = {
        type, message, onEvent, run, checkpoint: null,
        resolve: (value) => { done(); resolve(value); },
        reject: (error) => { done(); reject(error); },
      };
      const onAbort = () => { if ([...this.#pending.values()].includes(entry)) this.restart(); };
      this.#pending.set(id, entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#post(message, transfer);
    });
  }

  /**
   * The worker's threads did not start: a fresh worker takes over. Work in flight other than
   * choosing the device (a run whose probe wanted the threaded build) fails with a message
   * that says to try again.
   */
  #onThreadsHung() {
    this.#threadsHung += 1;
    const busy = [...this.#pending.values()].some((e) => e.type !== Request.DEVICE && e.type !== Request.METHODS);
    if (busy) this.#crash(`its threads did not start within ${THREADS_START_MS / 1000} s`);
    else this.restart();
  }

  #receive(reply) {
    if (reply.type === Reply.PANIC) {
      this.#lastPanic = reply.text;
      return;
    }
    if (reply.type === Reply.THREADS) {
      clearTimeout(this.#threadsWatch);
      if (reply.starting) this.#threadsWatch = setTimeout(() => this.#onThreadsHung(), THREADS_START_MS);
      return;
    }
    if (reply.type === Reply.DEVICE_LOST) {
      this.#deviceLost(reply);
      return;
    }
    if (reply.type === Reply.BACKEND) {
      this.#backend = { text: reply.text, kind: reply.text.startsWith('WebGPU') ? 'gpu' : 'cpu', threads: reply.threads ?? 0 };
      this.dispatchEvent(new CustomEvent('backend', { detail: this.#backend }));
    }
    const entry = this.#pending.get(reply.id);
    if (!entry) return;
    if (reply.type === Reply.ERROR) {
      this.#pending.delete(reply.id);
      const internal = TRAP.test(reply.message);
      const message = internal ? this.#withPanic(reply.message) : reply.message;
      entry.reject(new DeepclustError(message, { during: reply.during, source: reply.source, internal }));
      if (internal) this.restart();
    } else if (reply.type === FINAL[entry.type]) {
      this.#pending.delete(reply.id);
      entry.resolve(reply);
    } else {
      if (reply.type === Reply.CHECKPOINT) entry.checkpoint = { label: reply.label, bytes: reply.bytes };
      entry.onEvent?.(reply);
    }
  }

  /** The GPU went away: the session goes over to the CPU, and a run in progress goes on there from its last checkpoint. */
  #deviceLost({ reason, message }) {
    const why = message || reason || 'no reason given';
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker?.terminate();
    this.#device = 'cpu';
    this.#start();
    let resumed = null;
    for (const entry of entries) {
      if (entry.type === Request.TRAIN) {
        resumed = entry;
        const id = this.#nextId++;
        this.#pending.set(id, entry);
        entry.run?.onResume();
        this.#post({ ...entry.message, id, ...entry.run?.controls(), resume: entry.checkpoint });
      } else if (entry.type === Request.DEVICE) {
        entry.reject(abortError());
      } else {
        entry.reject(new DeviceLostError(`the GPU stopped working (${why}); try again: the work runs on the CPU now`));
      }
    }
    this.dispatchEvent(new CustomEvent('devicelost', {
      detail: { reason, message, run: resumed?.run ?? null, resumedFrom: resumed?.checkpoint?.label ?? null },
    }));
  }

  /**
   * The method registry, in menu order.
   * @returns {Promise<MethodInfo[]>}
   */
  async methods() {
    this.#registry ??= this.#request(Request.METHODS).then((r) => r.methods, (err) => {
      this.#registry = null;
      throw err;
    });
    return this.#registry;
  }

  /**
   * Reads data and describes it. `onParsing({ name, share })` hears how far a big CSV got.
   * @param {DataSource} data
   * @returns {Promise<Summary>}
   */
  async inspect(data, { onParsing, signal } = {}) {
    return strip(await this.#request(Request.INSPECT, { data }, { signal, onEvent: (r) => r.type === Reply.PARSING && onParsing?.(strip(r)) }));
  }

  /**
   * Decodes pictures into square planes of one size and describes them. Files that do not
   * decode are listed in `skipped`, not fatal. `onDecoding({ done, total })` hears the count,
   * `onDecoded({ data, skipped })` the pictures before they are described.
   * @param {{ name: string, files: Array<{ path: string, file: Blob }>, labelsCsv?: string | null, side?: 'auto' | number, colour?: 'auto' | 'gray' | 'rgb' }} request
   * @returns {Promise<{ data: DataSource, skipped: Array<{ name: string, reason: string }>, summary: Summary }>}
   */
  async decodeImages({ name, files, labelsCsv = null, side = 'auto', colour = 'auto' }, { onDecoding, onDecoded, signal } = {}) {
    let decoded = null;
    const summary = await this.#request(Request.DECODE_IMAGES, { name, files, labelsCsv, side: String(side), colour }, {
      signal,
      onEvent: (r) => {
        if (r.type === Reply.DECODING) onDecoding?.(r);
        if (r.type === Reply.DECODED) {
          decoded = { data: r.data, skipped: r.skipped };
          onDecoded?.(decoded);
        }
      },
    });
    return { ...decoded, summary: strip(summary) };
  }

  /**
   * A made-up sample's bytes, from the seed: a 2-D CSV ('blobs', 'moons', 'circles', 'anisotropic',
   * 'imbalanced', 'noise') or series ('cbf' as a .ts file, 'activities' as a CSV with a series in each row).
   * @returns {Promise<Uint8Array>}
   */
  async sample(name, seed = 42, { signal } = {}) {
    return (await this.sampleFile(name, seed, { signal })).bytes;
  }

  /**
   * The same as the file it stands for: `{ file, bytes, columns }`, `file` its name and `columns`, for a
   * CSV with a series in each row, how to read it (`{ wide, id, label }`, as `cluster()`'s series input takes).
   * @returns {Promise<{ file: string, bytes: Uint8Array, columns: { wide: boolean, id: string, label: string } | null }>}
   */
  async sampleFile(name, seed = 42, { signal } = {}) {
    const { bytes, file, columns } = await this.#request(Request.SAMPLE, { name, seed }, { signal });
    return { file, bytes, columns };
  }

  /**
   * Starts training; see Run. `stepMode` starts it pausing at each phase and target update,
   * `liveMap` with a live 2-D map in its snapshots, `watched: false` with snapshots only at
   * phase changes and the end (nothing draws it: the run is faster), `embedding` makes the
   * result carry the space the clusters live in.
   * @param {DataSource} data
   * @param {TrainSettings & { stepMode?: boolean, liveMap?: boolean, watched?: boolean, embedding?: boolean }} settings
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Run}
   */
  train(data, settings, { signal } = {}) {
    const run = new Run((message) => this.#post(message), settings);
    const body = {
      data, method: settings.method ?? 'auto', k: settings.k, epochs: settings.epochs ?? null, seed: settings.seed ?? null,
      gamma: settings.gamma ?? null, neighbours: settings.neighbours ?? null, pixelDivisor: settings.pixelDivisor ?? null,
      embeddingSpace: Boolean(settings.embeddingSpace), fullCovariance: Boolean(settings.fullCovariance),
      seriesNetwork: settings.seriesNetwork ?? null,
      embedding: Boolean(settings.embedding), ...run.controls(),
    };
    run.result = this.#request(Request.TRAIN, body, { signal, run, onEvent: (r) => run.hear(r) }).then(strip);
    return run;
  }

  /**
   * Fits the 2-D map (UMAP) of the last finished run in this worker. `onProgress({ progress,
   * loss, xy })` hears it form, `onMap(xy)` gets the finished map; resolves to the run's model
   * file with the map in it.
   * @returns {Promise<Uint8Array>}
   */
  async fitMap(seed = 42, { onProgress, onMap, signal } = {}) {
    const reply = await this.#request(Request.MAP, { seed }, {
      signal,
      onEvent: (r) => (r.type === Reply.MAP_PROGRESS ? onProgress?.(strip(r)) : onMap?.(r.xy)),
    });
    return reply.model;
  }

  /**
   * k-means for k = 2 … maxK; `onPoint({ k, inertia, silhouette, of, rows, suggested })` hears each k,
   * `onParsing({ name, share })` how far reading a big CSV got.
   * Resolves to the suggested k (highest silhouette), or null when no k scored well.
   * @param {DataSource} data
   * @returns {Promise<number | null>}
   */
  async sweepK(data, { maxK = 10, seed = 42, onPoint, onParsing, signal } = {}) {
    const reply = await this.#request(Request.K_SWEEP, { data, maxK, seed }, {
      signal, onEvent: (r) => (r.type === Reply.SWEEP_POINT ? onPoint?.(strip(r)) : onParsing?.(strip(r))),
    });
    return reply.suggested;
  }

  /**
   * The results file (the input with `cluster` and `confidence` columns) for given labels.
   * @param {DataSource} data
   * @returns {Promise<Uint8Array>}
   */
  async resultCsv(data, labels, confidence, { signal } = {}) {
    return (await this.#request(Request.RESULT_CSV, { data, labels, confidence }, { signal })).csv;
  }

  /**
   * What a saved model is: `{ name, method, k, features, columns, channels, side, seriesChannels, length }`
   * (`columns`: the training table's columns it reads, a category column once; `features`: one per feature)
   * (channels and side 0 unless it was trained on images; seriesChannels and length 0 unless on series).
   * @param {ArrayBuffer | Uint8Array} bytes
   */
  async describeModel(bytes, name = 'model', { signal } = {}) {
    return strip(await this.#request(Request.LOAD_MODEL, { name, bytes: copy(bytes) }, { signal }));
  }

  /**
   * Places new rows (`bytes`: a CSV with the training file's columns, or `parts`: the files of one
   * table, `X_test.txt` with `y_test.txt`), pictures (`images`,
   * sized and coloured as the model's) or series (`series`: the archive's `.ts`, `.arff` or `NAME_TEST.tsv` files, or CSV files of one
   * series each, resampled and scaled as the model's) with a saved model. `intoMap`: also place them on the
   * 2-D map fitted in this worker (for the model of its last run). Resolves to `{ name, labels,
   * xy, mapXy, mapBase, csv, scores, skipped, unit, k }`.
   * @param {ArrayBuffer | Uint8Array} model
   * @param {{ name?: string, bytes?: ArrayBuffer, parts?: Array<{ name: string, bytes: ArrayBuffer }>, images?: Array<{ path: string, file: Blob }>, series?: Array<{ name: string, bytes: ArrayBuffer }>, labelsCsv?: string | null, intoMap?: boolean }} input
   */
  async predict(model, { name = 'rows', bytes, parts, images, series, labelsCsv = null, intoMap = false }, { signal } = {}) {
    const body = { model: copy(model), name, intoMap, ...(images ? { images, labelsCsv } : series ? { series } : parts ? { parts } : { bytes }) };
    return strip(await this.#request(Request.PREDICT, body, { signal, transfer: bytes instanceof ArrayBuffer ? [bytes] : [] }));
  }
}

/** A reply without its envelope. */
function strip(reply) {
  const { type, id, ...rest } = reply;
  return rest;
}

/**
 * One training run, from Session.train(). `result` resolves with the finished run (see Done in
 * protocol.js) or rejects with Rust's message (a DeepclustError), or an AbortError when the
 * session was restarted or closed. Events, each with the reply as `detail`:
 * - 'summary' (Summary: the data as read for this run), 'parsing' ({ name, share }),
 * - 'progress' (Progress), after every step,
 * - 'snapshot' (Snapshot), at each phase change and target update, and every second or so
 *   besides (less often when embedding every row takes long; not while unwatched),
 * - 'paused' (Pause), in step-by-step mode: call next() to go on,
 * - 'checkpoint' ({ label, bytes }): on the GPU, the state at an epoch's end,
 * - 'resumed' (no detail): the GPU was lost and the run starts again on the CPU from its last checkpoint.
 */
export class Run extends EventTarget {
  /** @type {Promise<Done>} */
  result;
  #post;
  #stepMode;
  #liveMap;
  #watched;

  constructor(post, { stepMode = false, liveMap = false, watched = true } = {}) {
    super();
    this.#post = post;
    this.#stepMode = Boolean(stepMode);
    this.#liveMap = Boolean(liveMap);
    this.#watched = Boolean(watched);
  }

  /** Pause after each phase and target update (true), or run on (false). */
  setStepMode(on) {
    this.#stepMode = Boolean(on);
    this.#post({ type: Request.STEP_MODE, on: this.#stepMode });
  }

  /** Go on from a pause. */
  next() {
    this.#post({ type: Request.NEXT_STEP });
  }

  /** Draw a live 2-D map in the snapshots (costly: a neighbour search each time) or not. */
  setLiveMap(on) {
    this.#liveMap = Boolean(on);
    this.#post({ type: Request.LIVE_MAP, on: this.#liveMap });
  }

  /**
   * Whether anyone sees the run (true) or not (false: a hidden tab): while not, 'snapshot'
   * comes only at phase changes and target updates, which saves the time of embedding every
   * row every few seconds.
   */
  setWatched(on) {
    this.#watched = Boolean(on);
    this.#post({ type: Request.WATCHED, on: this.#watched });
  }

  /** @internal the controls as they are now, for a restart */
  controls() {
    return { stepMode: this.#stepMode, liveMap: this.#liveMap, watched: this.#watched };
  }

  /** @internal */
  onResume() {
    this.dispatchEvent(new Event('resumed'));
  }

  /** @internal a reply on the way */
  hear(reply) {
    const name = {
      [Reply.INSPECTED]: 'summary', [Reply.PARSING]: 'parsing', [Reply.PROGRESS]: 'progress',
      [Reply.SCATTER]: 'snapshot', [Reply.PAUSED]: 'paused', [Reply.CHECKPOINT]: 'checkpoint',
    }[reply.type];
    if (name) this.dispatchEvent(new CustomEvent(name, { detail: strip(reply) }));
  }
}

// ---------------------------------------------------------------------------------------------
// The simple API.

/**
 * Input of cluster() and of a loaded model's predict():
 * - `{ data, rows, cols }`: numbers row after row (a Float32Array or any array of numbers);
 * - `{ csv, labelColumn?, roles?, missing?, scaling? }`: a CSV file's text or bytes (string,
 *   ArrayBuffer, typed array or Blob), or the files of one table as `[{ name, bytes }]` (parts
 *   named alike but for `train`/`test`, `X_train.txt` with `y_train.txt` and `subject_train.txt`:
 *   joined as the page joins them); a column named like `label` or `class` is kept aside and
 *   only used to score, unless `labelColumn` names another ('' for none); `roles` maps column
 *   names to 'feature' | 'label' | 'ignored'; missing cells are filled ('fill') or their rows
 *   left out ('drop'); `scaling` is 'auto', 'standard' or 'shared';
 * - `{ images, labelsCsv?, side?, colour? }`: pictures (Blobs or Files, or `{ path, file }`),
 *   cut to centred squares of `side` pixels ('auto' by default), in grayscale or colour
 *   ('auto', 'gray', 'rgb'); labels from sub-folder names or `labelsCsv` (`filename,label`) only score;
 * - `{ idx: [{ images, labels? }] }`: MNIST-style IDX files (ArrayBuffers, gzipped or not);
 * - `{ series: [{ name, bytes }], length?, scaling?, lengths?, id?, time?, wide?, label?, ignored?, filesAs? }`: time series: the archive's `.ts`, `.arff` or `NAME_TRAIN.tsv` files
 *   (a set's train and test files are joined), or CSV files, each one series, or in the long
 *   layout when `id` names the series column, or with `wide` a series in each row, or each file one channel
 *   of the same series (`filesAs`; SeriesOptions in protocol.js).
 * `name` (optional, any kind) names the data in error messages.
 * @typedef {{ data: ArrayLike<number>, rows: number, cols: number, name?: string }
 *   | { csv: string | ArrayBuffer | ArrayBufferView | Blob | Array<{ name: string, bytes: ArrayBuffer | ArrayBufferView | Blob | string }>, labelColumn?: string, roles?: Record<string, 'feature' | 'label' | 'ignored'>, missing?: 'fill' | 'drop', scaling?: 'auto' | 'standard' | 'shared', name?: string }
 *   | { images: Array<Blob | { path: string, file: Blob }>, labelsCsv?: string, side?: 'auto' | number, colour?: 'auto' | 'gray' | 'rgb', name?: string }
 *   | { idx: Array<{ images: ArrayBuffer, labels?: ArrayBuffer }>, name?: string }
 *   | { series: Array<{ name: string, bytes: ArrayBuffer | ArrayBufferView | Blob | string }>, length?: number, scaling?: 'auto' | 'channel' | 'series' | 'none', lengths?: 'auto' | 'resample' | 'pad', id?: string, time?: string, wide?: boolean, label?: string, ignored?: string[], filesAs?: 'auto' | 'series' | 'channels', name?: string }} Input
 */

/**
 * A finished clustering.
 * @typedef {object} ClusterResult
 * @property {Int32Array} labels each row's cluster, 0 … k − 1
 * @property {Float32Array} confidence each row's confidence: max_j q_ij, or the largest posterior (1/k … 1); for N2D how far the row's nearest neighbours share its cluster (0 … 1)
 * @property {Float32Array} embedding rows × dims: the space the clusters live in (the autoencoder's embedding; N2D's manifold; the standardised columns for a plain baseline)
 * @property {number} dims
 * @property {number} k
 * @property {string} method
 * @property {string} backend where it ran ('WebGPU…' or 'CPU…')
 * @property {{ acc: number, nmi: number, ari: number } | null} scores against the data's label column, if it has one
 * @property {string[]} warnings e.g. an empty cluster
 * @property {string | null} stopped why refinement ended (e.g. 'at target update 8, 0.05% of the points changed cluster, …'), for methods that refine in batches
 * @property {string[]} notes what reading the data did: cells read as missing, columns left out, a file's encoding
 * @property {() => Uint8Array} csv the input with `cluster` and `confidence` columns
 * @property {object | null} profiles for a table or series (each channel's level and movement), what sets each cluster apart: `{ measure, clusters: [{ cluster, size, share, description, numeric, categorical, top }], heatmap: { columns, values } }`; null for pictures
 * @property {() => Uint8Array | null} profilesCsv the profiles as CSV (cluster,size,feature,category,cluster_value,overall_value,z)
 * @property {{ text: string, channels: { channel: number, share: number, by: string | null, level: number, movement: number, shape: number }[] } | null} differences
 *   for series, how each channel tells the clusters apart, most first: the share of its variation between the
 *   clusters in its level, movement and shape (0–1), the largest as `share` and `by` in words; `text` says the first six; null otherwise
 * @property {() => Promise<Uint8Array>} model the `.model` file (loadModel() reads it, as does the deepclust command line)
 */

function bytesOf(value) {
  if (typeof value === 'string') return Promise.resolve(new TextEncoder().encode(value).buffer);
  if (value instanceof Blob) return value.arrayBuffer();
  if (value instanceof ArrayBuffer) return Promise.resolve(value.slice(0));
  if (ArrayBuffer.isView(value)) return Promise.resolve(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  return Promise.reject(new TypeError('csv must be a string, an ArrayBuffer, a typed array or a Blob'));
}

/** Numbers as CSV text, with `names` as the header (the wasm side reads tables from CSV). */
function numbersCsv(data, rows, cols, names) {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || data?.length !== rows * cols) {
    throw new TypeError(`data must hold rows × cols numbers: ${data?.length} for ${rows} × ${cols}`);
  }
  const lines = [names.join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.prototype.join.call(Array.prototype.slice.call(data, r * cols, (r + 1) * cols), ','));
  return new TextEncoder().encode(`${lines.join('\n')}\n`).buffer;
}

const columnNames = (cols) => Array.from({ length: cols }, (_, i) => `x${i + 1}`);
const imageFiles = (images) => images.map((f, i) => (f instanceof Blob ? { path: f.name || `image${i}`, file: f } : f));

/** The DataSource for an Input; pictures are decoded in the session's worker. */
async function toData(session, input, names, signal) {
  const name = input.name;
  if (input.data !== undefined) {
    return { kind: 'csv', name: name ?? 'data', bytes: numbersCsv(input.data, input.rows, input.cols, names ?? columnNames(input.cols)), labelColumn: '' };
  }
  if (input.csv !== undefined) {
    const options = { label: input.labelColumn, roles: input.roles, missing: input.missing, scaling: input.scaling };
    if (Array.isArray(input.csv)) {
      const parts = await Promise.all(input.csv.map(async (f) => ({ name: f.name, bytes: await bytesOf(f.bytes) })));
      return { kind: 'csv', name: name ?? parts.map((f) => f.name).join(' + '), parts, labelColumn: input.labelColumn, options };
    }
    return { kind: 'csv', name: name ?? input.csv.name ?? 'data.csv', bytes: await bytesOf(input.csv), labelColumn: input.labelColumn, options };
  }
  if (input.idx !== undefined) {
    return { kind: 'idx', name: name ?? 'idx', sets: input.idx.map((s, i) => ({ name: `${name ?? 'idx'} ${i + 1}`, images: s.images, labels: s.labels ?? null })) };
  }
  if (input.series !== undefined) {
    const files = await Promise.all(input.series.map(async (f) => ({ name: f.name, bytes: await bytesOf(f.bytes) })));
    const { length, scaling, lengths, id, time, wide, label, ignored, filesAs } = input;
    return { kind: 'series', name: name ?? files.map((f) => f.name).join(' + '), files, options: { length, scaling, lengths, id, time, wide, label, ignored, filesAs } };
  }
  if (input.images !== undefined) {
    const { data } = await session.decodeImages({ name: name ?? 'images', files: imageFiles(input.images), labelsCsv: input.labelsCsv, side: input.side, colour: input.colour }, { signal });
    return data;
  }
  throw new TypeError('input needs data (with rows and cols), csv, images, idx or series');
}

/** Runs `work(session)` in a session of its own that `signal` aborts; the session ends with it. */
async function inSession(device, signal, work) {
  if (signal?.aborted) throw abortError();
  const session = new Session({ device });
  let aborted = false;
  const onAbort = () => { aborted = true; session.close(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(session);
  } catch (err) {
    throw aborted ? abortError() : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}

const scoresOf = (s) => (s.length === 3 ? { acc: s[0], nmi: s[1], ari: s[2] } : null);

/**
 * Clusters rows (or pictures) in a worker of its own, ended when done.
 * @param {Input} input
 * @param {TrainSettings & { device?: Device, onProgress?: (p: Progress) => void, signal?: AbortSignal }} options
 *   `onProgress` hears every training step; aborting `signal` ends the worker at once and
 *   rejects with a DOMException named 'AbortError'.
 * @returns {Promise<ClusterResult>} rejects with Rust's message (a DeepclustError) for bad input or settings
 */
export async function cluster(input, { device = 'auto', onProgress, signal, ...settings } = {}) {
  return inSession(device, signal, async (session) => {
    const data = await toData(session, input, null, signal);
    // Nothing here draws the run's snapshots.
    const run = session.train(data, { ...settings, watched: false, embedding: true });
    if (onProgress) run.addEventListener('progress', (e) => onProgress(e.detail));
    const r = await run.result;
    const model = r.model;
    return {
      labels: new Int32Array(r.labels.buffer, r.labels.byteOffset, r.labels.length),
      confidence: r.confidence,
      embedding: r.embedding,
      dims: r.dims,
      k: r.k,
      method: r.method ?? settings.method,
      backend: session.backend?.text ?? '',
      scores: scoresOf(r.scores),
      warnings: r.warnings,
      stopped: r.stopped ?? null,
      notes: r.readNotes ?? [],
      csv: () => r.csv.slice(),
      profiles: r.profiles ?? null,
      profilesCsv: () => r.profilesCsv?.slice() ?? null,
      differences: r.differences ?? null,
      model: async () => {
        if (!model) throw new Error('this run saved no model');
        return model.slice();
      },
    };
  });
}

let registry = null;

/**
 * The method registry, in menu order: name, title, menu label, help, loss, the settings each
 * reads and the data it takes (see MethodInfo above). Asked of a worker.
 * @returns {Promise<MethodInfo[]>}
 */
export async function methods() {
  registry ??= (async () => {
    const session = new Session({ device: NO_DEVICE });
    try {
      return await session.methods();
    } finally {
      session.close();
    }
  })();
  try {
    return structuredClone(await registry);
  } catch (err) {
    registry = null;
    throw err;
  }
}

/**
 * A saved model, loaded in a worker of its own: close() ends it.
 * @typedef {object} LoadedModel
 * @property {string} method
 * @property {number} k
 * @property {string[]} features the model's features, one per category of a category column (`colour = red`)
 * @property {string[]} columns the training file's columns, which new rows must have
 * @property {{ channels: number, side: number } | null} image the pictures' shape for a model trained on images
 * @property {(input: Input, options?: { signal?: AbortSignal }) => Promise<{ labels: Int32Array, confidence: Float32Array, csv: Uint8Array, scores: { acc: number, nmi: number, ari: number } | null, skipped: Array<{ name: string, reason: string }> }>} predict
 *   places new rows (their columns by name, as in training; `{ data, rows, cols }` takes the
 *   features in order) or pictures in the model's clusters; aborting ends the model's worker
 * @property {() => void} close
 */

/**
 * Reads a `.model` file (from ClusterResult.model(), the page's download, or the command
 * line's --save-model).
 * @param {ArrayBuffer | Uint8Array} bytes
 * @param {{ device?: Device, name?: string }} [options]
 * @returns {Promise<LoadedModel>} rejects with Rust's message for a file that is not a model
 */
export async function loadModel(bytes, { device = 'auto', name = 'model' } = {}) {
  const session = new Session({ device });
  const own = copy(bytes instanceof ArrayBuffer ? bytes : new Uint8Array(bytes).buffer);
  let info;
  try {
    info = await session.describeModel(own, name);
  } catch (err) {
    session.close();
    throw err;
  }
  let closed = false;
  return {
    method: info.method,
    k: info.k,
    features: info.features,
    columns: info.columns,
    image: info.side ? { channels: info.channels, side: info.side } : null,
    series: info.length ? { channels: info.seriesChannels, length: info.length } : null,
    async predict(input, { signal } = {}) {
      if (closed) throw new Error('this model was closed');
      if (signal?.aborted) throw abortError();
      const onAbort = () => { closed = true; session.close(); };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        let p;
        if (input.images !== undefined) {
          p = await session.predict(own, { name: input.name ?? 'images', images: imageFiles(input.images), labelsCsv: input.labelsCsv ?? null });
        } else {
          const data = await toData(session, input, info.features, signal);
          if (data.kind === 'series') p = await session.predict(own, { name: data.name, series: data.files });
          else if (data.kind === 'csv') p = await session.predict(own, { name: data.name, ...(data.parts ? { parts: data.parts } : { bytes: data.bytes }) });
          else throw new TypeError('predict takes data, csv, images or series');
        }
        return {
          labels: new Int32Array(p.labels.buffer, p.labels.byteOffset, p.labels.length),
          confidence: p.confidence ?? new Float32Array(0),
          csv: p.csv,
          scores: scoresOf(p.scores),
          skipped: p.skipped,
        };
      } catch (err) {
        throw signal?.aborted ? abortError() : err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    close() {
      closed = true;
      session.close();
    },
  };
}
