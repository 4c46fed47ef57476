// The messages between deepclust.js (the library, on the page's thread) and worker.js (which
// owns the wasm module). Both sides import their type strings from here and nowhere else.
//
// Every request but the three run controls carries an `id`; every reply to it carries the
// same `id`, and exactly one reply ends it: the one FINAL names, or an ERROR. Other replies
// with that id report on the way (progress, snapshots, …). DEVICE_LOST carries no id: it
// concerns the whole worker.

/** Requests, page → worker. */
export const Request = Object.freeze({
  /** Choose the device: `{ preferGpu, probe, threads }` (`threads: false`: the CPU on one thread, after threads hung); with `probe`, each run with a network first times a few steps on the CPU and the GPU and trains on the faster (a BACKEND without an id says which). Ends with BACKEND. */
  DEVICE: 'device',
  /** The method registry. Ends with METHODS. */
  METHODS: 'methods',
  /** Read data and describe it: `{ data }`. PARSING on the way; ends with INSPECTED. */
  INSPECT: 'inspect',
  /** Decode pictures and describe them: `{ name, files, labelsCsv, side, colour }`. DECODING and DECODED on the way; ends with INSPECTED. */
  DECODE_IMAGES: 'decode-images',
  /**
   * A generated sample: `{ name, seed }`. Ends with SAMPLE `{ name, bytes, file, columns }`: the
   * file's name (`blobs.csv`, `cbf.ts`, `activities.csv`) and, for a CSV with a series in each
   * row, how to read it (`{ wide, id, label }`; else null).
   */
  SAMPLE: 'sample',
  /** Train: `{ data, method, k, …settings, stepMode, liveMap, watched, embedding, resume }`. Ends with DONE. */
  TRAIN: 'train',
  /** Run control, no id and no reply: `{ on }` pauses the running training at each step or not. */
  STEP_MODE: 'step-mode',
  /** Run control, no id and no reply: go on from a pause. */
  NEXT_STEP: 'next-step',
  /** Run control, no id and no reply: `{ on }` draws the live 2-D map with snapshots or not. */
  LIVE_MAP: 'live-map',
  /** Run control, no id and no reply: `{ on }` whether anyone sees the run; while not, no timed SCATTER (phase changes and the end still send one). */
  WATCHED: 'watched',
  /** Fit the 2-D map of the last finished run: `{ seed }`. MAP_PROGRESS and MAP_DONE on the way; ends with MODEL_WITH_MAP. */
  MAP: 'map',
  /** k-means for k = 2 … maxK: `{ data, maxK, seed }`. SWEEP_POINT on the way; ends with SWEEP_DONE. */
  K_SWEEP: 'k-sweep',
  /** The results file for given labels: `{ data, labels, confidence }`. Ends with RESULT_CSV. */
  RESULT_CSV: 'result-csv',
  /** Describe a saved model: `{ name, bytes }`. Ends with MODEL. */
  LOAD_MODEL: 'load-model',
  /** Place new rows or images with a saved model: `{ model, name, bytes | parts | images | series, labelsCsv, intoMap }` (`parts`: `[{ name, bytes }]`, the files of one table). Ends with PREDICTED (which, for rows, carries their clusters' `profiles` and `profilesCsv` as DONE does, and `notes` on how the rows were prepared: missing cells filled, categories the model never saw). */
  PREDICT: 'predict',
});

/** Replies, worker → page. */
export const Reply = Object.freeze({
  BACKEND: 'backend',
  METHODS: 'methods',
  PARSING: 'parsing',
  DECODING: 'decoding',
  DECODED: 'decoded',
  INSPECTED: 'inspected',
  SAMPLE: 'sample',
  PROGRESS: 'progress',
  SCATTER: 'scatter',
  CHECKPOINT: 'checkpoint',
  PAUSED: 'paused',
  DONE: 'done',
  MAP_PROGRESS: 'map-progress',
  MAP_DONE: 'map-done',
  MODEL_WITH_MAP: 'model-with-map',
  SWEEP_POINT: 'sweep-point',
  SWEEP_DONE: 'sweep-done',
  RESULT_CSV: 'result-csv',
  MODEL: 'model',
  PREDICTED: 'predicted',
  /** No id: the WebGPU device was lost; work in flight on it fails without an ERROR. */
  DEVICE_LOST: 'device-lost',
  /**
   * No id: `{ starting }`, true when the worker starts its threads, false once they run (or
   * failed). Starting them can hang the worker for good (seen in Firefox); the page then
   * restarts it (deepclust.js).
   */
  THREADS: 'threads',
  /**
   * No id: `{ text }`, what Rust said as it panicked, sent before the trap: a panic inside an
   * async call traps outside any request's handler, and the worker's error then says only
   * "unreachable".
   */
  PANIC: 'panic',
  ERROR: 'error',
});

/** The reply that ends each request (the run controls have none). */
export const FINAL = Object.freeze({
  [Request.DEVICE]: Reply.BACKEND,
  [Request.METHODS]: Reply.METHODS,
  [Request.INSPECT]: Reply.INSPECTED,
  [Request.DECODE_IMAGES]: Reply.INSPECTED,
  [Request.SAMPLE]: Reply.SAMPLE,
  [Request.TRAIN]: Reply.DONE,
  [Request.MAP]: Reply.MODEL_WITH_MAP,
  [Request.K_SWEEP]: Reply.SWEEP_DONE,
  [Request.RESULT_CSV]: Reply.RESULT_CSV,
  [Request.LOAD_MODEL]: Reply.MODEL,
  [Request.PREDICT]: Reply.PREDICTED,
});

/** Training phases, in order, as PROGRESS and SCATTER name them. */
export const PHASES = Object.freeze(['pretrain', 'init', 'refine', 'done']);

/**
 * Data as the worker reads it; the page keeps it so a new worker can be given it again.
 * A CSV's `options` are how Rust reads its columns (TableOptions); a bare `labelColumn` is the
 * older way to name the label and is used when `options` gives none.
 * @typedef {{ kind: 'csv', name: string, bytes: ArrayBuffer, options?: TableOptions, labelColumn?: string }
 *   | { kind: 'idx', name: string, sets: Array<{ name: string, images: ArrayBuffer, labels: ArrayBuffer | null }> }
 *   | { kind: 'images', name: string, planes: Uint8Array, side: number, channels: number, names: string[], labelsCsv?: string | null }
 *   | { kind: 'series', name: string, files: Array<{ name: string, bytes: ArrayBuffer }>, options?: SeriesOptions }} DataSource
 * A 'csv' source may give `parts` (`[{ name, bytes }]`) instead of `bytes`: the files of one table
 * split in parts, named alike but for a split word (`adult_train.csv`, `adult_test.csv`), read as one.
 */

/**
 * How files become time series: the archive's files (`.ts`, `.arff`, `NAME_TRAIN.tsv`; train
 * and test files joined), or CSV files,
 * in the long layout when `id` names the series column (one row per time step, `time`
 * ordering them), with `wide` a series in each row (its value columns, in order, the time
 * steps; `id` then names a column naming the series), else one series per file. `label`
 * names the class column, `ignored` columns left out. `length`: the common length (default: their
 * own when equal, else the median, at most 512); `scaling`: 'channel' (each channel over
 * every series), 'series' (each series on its own), 'none' or 'auto' (the default:
 * 'channel' unless that leaves most series nearly flat); `lengths`, for
 * series of unequal lengths: 'resample', 'pad' (the shorter padded at the end, the padding
 * left out of training) or 'auto' (the default: whichever makes them match better). `filesAs`,
 * for several CSV files without an `id`: 'series' (each file adds series), 'channels' (each
 * file is one channel of the same series, a series in each row, row n of every file the same
 * series; a one-column file named like classes, `y_train.txt`, gives the classes) or 'auto'
 * (the default: channels when the files have no header, the same rows, and rows smoother than
 * columns).
 * @typedef {object} SeriesOptions
 * @property {number} [length]
 * @property {'auto' | 'channel' | 'series' | 'none'} [scaling]
 * @property {'auto' | 'resample' | 'pad'} [lengths]
 * @property {boolean} [wide]
 * @property {string} [id]
 * @property {string} [time]
 * @property {string} [label]
 * @property {string[]} [ignored]
 * @property {'auto' | 'series' | 'channels'} [filesAs]
 */

/**
 * How a CSV's columns are read. `label`: undefined or null detects a column named like label,
 * class or target; '' is none; a name is that column. `roles` overrides the detected role of
 * any column by name. `missing`: 'fill' puts each column's median (or most frequent category)
 * in missing cells, 'drop' leaves rows with missing cells out of training (the results file
 * still has them, without a cluster). `scaling`: 'auto', 'standard' (z-score each column) or
 * 'shared' (one scale for all columns).
 * @typedef {object} TableOptions
 * @property {string | null} [label]
 * @property {Object<string, 'feature' | 'label' | 'ignored'>} [roles]
 * @property {'fill' | 'drop'} [missing]
 * @property {'auto' | 'standard' | 'shared'} [scaling]
 */

/**
 * One column of a CSV as Rust read it.
 * @typedef {object} ColumnInfo
 * @property {string} name
 * @property {'numeric' | 'categorical' | 'identifier' | 'date' | 'text' | 'empty'} kind
 * @property {'feature' | 'label' | 'ignored'} role
 * @property {number} missing missing cells
 * @property {number} distinct distinct values
 * @property {string} reason why this kind and role, in words
 * @property {string[]} [categories] categorical only: up to 12 of them
 */

/**
 * What sets each cluster apart (Rust's profiles of a CSV's clusters; null for pictures).
 * `heatmap.values` has one row per entry of `clusters` (empty clusters are absent), one
 * standardised difference per entry of `heatmap.columns`.
 * @typedef {object} Profiles
 * @property {string} measure what the numbers are, in words
 * @property {Array<{ cluster: number, size: number, share: number, description: string,
 *   numeric: Array<{ feature: string, mean: number, overall: number, z: number }>,
 *   categorical: Array<{ feature: string, shares: Array<{ category: string, share: number, overall: number }> }>,
 *   top: Array<{ feature: string, text: string, z: number }> }>} clusters
 * @property {{ columns: string[], values: number[][] }} heatmap
 */

/**
 * INSPECTED: what was read.
 * @typedef {object} Summary
 * @property {string} name
 * @property {'csv' | 'idx' | 'images' | 'series'} kind
 * @property {number} [channels] images and series
 * @property {number} [length] series: the common length
 * @property {Float32Array} [seriesValues] series: rows × channels × length, unscaled
 * @property {{ names: string[], channels: string[], scaling: string }} [series] series: names and channel names
 * @property {number} rows rows trained on (fewer than fileRows when rows with missing cells are left out)
 * @property {number} fileRows data rows in the file
 * @property {number} cols
 * @property {string[]} columns every column of a CSV (empty for images)
 * @property {ColumnInfo[]} columnInfo every column of a CSV with its kind and role (empty for images)
 * @property {'fill' | 'drop'} [missing] CSV only: how missing cells were handled
 * @property {'standard' | 'shared'} [scaling] CSV only: the scaling used ('auto' resolved)
 * @property {string} labelColumn the column kept aside to score ('' for none)
 * @property {number} nClasses distinct classes in it (0 without one)
 * @property {string[]} warnings
 * @property {number} channels 1 or 3 for images, else undefined
 * @property {number} side image side in pixels, else undefined
 * @property {Uint8Array} [planes] IDX only: every image's pixels, channel-major
 */

/**
 * PROGRESS, after every training step.
 * @typedef {object} Progress
 * @property {'pretrain' | 'init' | 'refine' | 'done'} phase
 * @property {number} epoch
 * @property {number} epochs the phase's planned epochs (0 when it has none)
 * @property {number} loss NaN when the step had none
 * @property {number} changed share of rows that changed cluster at the last target update (NaN before one)
 * @property {number} elapsedMs
 * @property {number} progress 0 … 1 of the whole run
 * @property {boolean} progressBound the time left it implies is an upper bound (the method stops refining early once clusters settle)
 * @property {number} updates target updates so far
 * @property {number} wasmBytes the worker's wasm memory
 */

/**
 * SCATTER: a snapshot of the run, at each phase change and target update, and every second
 * or so besides (less often when embedding every row takes long; not while unwatched).
 * @typedef {object} Snapshot
 * @property {Float32Array} xy rows × 2, the embedding's first two principal components
 * @property {Uint32Array} labels empty before clusters exist
 * @property {Float32Array} centres k × 2, empty when there are none
 * @property {Float32Array} confidence empty until a target update
 * @property {Float32Array} mapXy rows × 2 on the live map, empty when not redrawn this time
 * @property {string} phase
 * @property {number} epoch
 * @property {number} updates
 */

/**
 * PAUSED, in step-by-step mode.
 * @typedef {object} Pause
 * @property {'pretrained' | 'initialised' | 'update'} event
 * @property {number} updates
 * @property {number} changed
 * @property {number} k
 * @property {number} dim the embedding's width
 * @property {number} neighbours N2D's neighbours per row
 */

/**
 * DONE: a finished run.
 * @typedef {object} Done
 * @property {Uint32Array} labels
 * @property {Float32Array} confidence
 * @property {Uint8Array} csv the input with `cluster` and `confidence` columns, every row of the file (rows left out get empty ones)
 * @property {Float64Array | number[]} scores [ACC, NMI, ARI] against the label column, empty without one
 * @property {Profiles | null} profiles what sets each cluster apart (null for pictures)
 * @property {Uint8Array | null} profilesCsv the same as a CSV file (cluster,size,feature,category,cluster_value,overall_value,z)
 * @property {Uint32Array | number[]} confusion classes × k counts, empty without labels
 * @property {string[]} classNames
 * @property {number} k
 * @property {string[]} warnings
 * @property {Uint8Array | undefined} model the `.model` file
 * @property {Float32Array} [bands] series: per cluster, channel and time step, the members' (mean, sd)
 * @property {{ text: string, channels: { channel: number, share: number, by: string | null, level: number, movement: number, shape: number }[] }} [differences]
 *   series: how each channel tells the clusters apart, most first: the share (0–1, an R²) of its
 *   variation between clusters in its level, movement and shape, the largest as `share`, `by`
 *   which in words ("how much it moves"; null where none differs), and `text` the sentence
 * @property {Float32Array} [embedding] rows × dims, when the request asked for it
 * @property {number} [dims]
 * @property {{ stepsMs: Object<string, number>, snapshotsMs: number, snapshots: number }} timing
 *   where the run's time went: its training steps by phase (`pretrain`, `init`, `refine`, …)
 *   and its snapshots (how many, and their time: embedding every row, the 2-D views)
 */

/**
 * ERROR: a request failed. `message` is Rust's text (or the browser's); `source` names the
 * data or file it was about.
 * @typedef {{ type: 'error', id: number, during: string, source?: string, message: string }} ErrorReply
 */
