// What the page's views share: its elements, one state object, and the status line. No maths
// and no worker messages here: the views reach the worker through state.session
// (lib/deepclust.js).

const $ = (id) => document.getElementById(id);

export const el = {
  statusLive: $('status-live'),
  backend: $('backend'), dropZone: $('drop-zone'), fileInput: $('file-input'),
  fileSummary: $('file-summary'), fileInfo: $('file-info'),
  tableOptions: $('table-options'), seriesOptions: $('series-options'), seriesLength: $('series-length'), seriesScaling: $('series-scaling'), seriesNetwork: $('series-network'), seriesLengths: $('series-lengths'), seriesLengthsBox: $('series-lengths-box'), seriesFiles: $('series-files'), seriesFilesBox: $('series-files-box'),
  columnsBox: $('columns-box'), rowsSeries: $('rows-series'), rowsSeriesHint: $('rows-series-hint'), columnsDetails: $('columns-details'), columnsSummary: $('columns-summary'), columns: $('columns'),
  missing: $('missing-select'), scaling: $('scaling-select'),
  fileWarnings: $('file-warnings'), k: $('k-input'), epochs: $('epochs-input'), seed: $('seed-input'),
  device: $('device-select'), train: $('train-button'), cancel: $('cancel-button'),
  status: $('status'), statusText: $('status-text'), progress: $('progress'), error: $('error'),
  deviceNotice: $('device-notice'), scatter: $('scatter'), lossPlot: $('loss-plot'), summary: $('summary'), download: $('download-csv'),
  method: $('method-select'), methodHelp: $('method-help'), gamma: $('gamma-input'), neighbours: $('neighbours-input'), pixelDivisor: $('pixel-divisor-input'), space: $('space-select'),
  covariance: $('covariance-select'), compare: $('compare-button'), metrics: $('metrics'),
  metricAcc: $('metric-acc'), metricNmi: $('metric-nmi'), metricAri: $('metric-ari'), confusion: $('confusion'),
  compareBox: $('compare'), compareBody: document.querySelector('#compare-table tbody'),
  folderInput: $('folder-input'), folderButton: $('folder-button'), side: $('side-select'), colour: $('colour-select'), imageOptions: $('image-options'),
  skippedBox: $('skipped-box'), skippedSummary: $('skipped-summary'), skipped: $('skipped-files'),
  gallery: $('gallery'), preview: $('point-preview'),
  saveModel: $('save-model'), loadModel: $('load-model'), predictInput: $('predict-input'),
  modelInfo: $('model-info'), predictSummary: $('predict-summary'), predictDownload: $('predict-download'),
  profiles: $('profiles'), profilesDownload: $('download-profiles'),
  predictProfiles: $('predict-profiles'), predictProfilesDownload: $('predict-profiles-download'),
  sample: $('sample-select'), sampleInfo: $('sample-info'), stepMode: $('step-mode'), nextStep: $('next-step'),
  sweepButton: $('k-sweep-button'), sweepMax: $('k-sweep-max'), sweepBox: $('k-sweep'), sweepPlot: $('k-sweep-plot'),
  sweepChoices: $('k-sweep-choices'), shareLink: $('share-link'), timelineRow: $('timeline-row'), timeline: $('timeline'),
  timelineText: $('timeline-text'), explain: $('explain'), explainTitle: $('explain-title'), explainBody: $('explain-body'),
  confidenceFigure: $('confidence-figure'), histogram: $('confidence-histogram'),
  view: $('view-select'), scatterCaption: $('scatter-caption'), resultsFor: $('results-for'),
  partialDownload: $('download-partial'),
  restoreBox: $('restore-box'), restoreText: $('restore-text'), restoreButton: $('restore-last'), forgetButton: $('forget-last'),
};

export const state = {
  /** @type {import('./lib/deepclust.js').Session} the page's worker, for its whole life */
  session: null,
  /** The method registry by name (lib/deepclust.js methods()), once the worker has sent it. */
  methods: {},
  // The loaded data (a DataSource of lib/protocol.js, plus `rows` and, for samples, `sample`),
  // kept here so a new worker (after Cancel) can be given it again.
  file: null,
  // Pixels of the loaded images, for galleries and previews: { planes, side, channels, names }.
  pixels: null,
  // Series of the loaded data, for galleries and previews: { values, channels, length, names, channelNames }
  // (values: rows × channels × length, unscaled, at the common length).
  series: null,
  /** @type {import('./lib/deepclust.js').Run} the run in progress */
  run: null,
  running: false,
  runMethod: 'dec',  // the method of the run in progress (or last finished)
  runStartedAt: 0,
  methodChosen: false,  // a method picked by hand or by a link: new files keep it instead of their default
  defaultMethod: null,  // the loaded data's default method (Rust's Method::default_for)
  comparison: null,  // { queue: [method], settings, done, total }
  sweeping: false,   // a k-sweep is running in the worker
  mapping: false,    // the 2-D map is being fitted
  lastResult: null,  // { xy, labels, centres } of the last finished run, restored after cancel/error
  lastRun: null,     // { labels, confidence } of the last finished run, for the preview
  lastModel: null,   // bytes of the model the last run produced, to recognise it when loaded
  mapXY: null,       // the finished map of the last run
  placed: null,      // { xy, mapXy, labels } of rows a model of the last run placed, kept across views
  kept: null,        // the last result as kept in the browser (IndexedDB)
  loadedModel: null, // { name, bytes } of the model chosen under "Use a saved model"
  // Snapshots of the run in progress for the timeline: { xy, labels, centres, map, text }.
  frames: [],
  firstConfidence: null,  // confidences at the first target update, the histogram's outline
  partial: null,     // { labels, confidence } of the run in progress, once it has clusters
  lossData: [[], [], []],
  lossChart: null,
  linkSettings: null,  // settings from a shared link, applied once
};

/** The method's registry entry (the default method's while the registry is on its way). */
export const methodInfo = (name) => state.methods[name] ?? state.methods.dec;
/** Whether loaded data (a DataSource or its summary) is pictures, which the images-only methods need. */
export const isPictures = (data) => data.kind === 'images' || data.kind === 'idx';

/** Copies of the loaded data for a request (a CSV's bytes are copied, the rest cloned as sent). */
export const dataForWorker = () => (state.file.kind === 'csv' && state.file.bytes ? { ...state.file, bytes: state.file.bytes.slice(0) } : state.file);

// What the status said before a file started loading: a file that fails to load puts it back,
// so a finished run still reads as finished.
let beforeLoading = null;

export function startLoading(text) {
  if (el.status.dataset.phase !== 'loading') beforeLoading = { phase: el.status.dataset.phase, text: el.statusText.textContent };
  setPhase('loading', text);
}

/** Puts back the status from before a load that failed; `always` also when the status moved on. */
export function endLoadingFailed({ always = false } = {}) {
  if (always) {
    if (beforeLoading) setPhase(beforeLoading.phase, beforeLoading.text);
    return;
  }
  if (el.status.dataset.phase !== 'loading') return;
  if (beforeLoading && beforeLoading.phase !== 'loading') setPhase(beforeLoading.phase, beforeLoading.text);
  else setPhase('idle', state.file ? 'Ready.' : 'Choose a data file to begin.');
}

export function setPhase(phase, text) {
  const changed = el.status.dataset.phase !== phase;
  el.status.dataset.phase = phase;
  if (text === undefined) return;
  el.statusText.textContent = text;
  // The visible line changes with every epoch; a screen reader hears it when the phase changes.
  if (changed || phase === 'paused') el.statusLive.textContent = text;
}

export function showError(message) {
  el.error.textContent = message;
}

export function clearError() {
  el.error.textContent = '';
}

/** Rust's message, or for a trap in the wasm what the page did about it. */
export function errorText(err) {
  return err.internal
    ? `an internal error stopped the work (${err.message}); the page has restarted its worker, so you can try again, perhaps with a smaller file`
    : err.message;
}

/** Says whose results are on show when they are another file's than the one loaded. */
export function sayWhoseResults() {
  const last = state.lastResult;
  const loaded = state.file?.name;
  let text = '';
  if (last && state.running) {
    // The plot is the run's own from its first picture; what is under it is not yet.
    const by = last.method ? `${methodInfo(last.method).title} on ` : '';
    text = `Under the plots: the last run's results (${by}${last.file}) until this run finishes.`;
  } else if (last && loaded && last.file !== loaded) {
    text = `The results below are for ${last.file}; press Train to cluster ${loaded}.`;
  }
  el.resultsFor.hidden = !text;
  el.resultsFor.textContent = text;
}

/** A message ending in a full stop: the crate's end without one, and run together need it. */
export const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** `source: message`, the source left out when the message already names it first. */
export function sourcedText(err) {
  const text = errorText(err);
  return err.source && !text.startsWith(err.source) ? `${err.source}: ${text}` : text;
}

export const isAbort = (err) => err?.name === 'AbortError';

/** A fresh worker (after Cancel or a failure, or for another device). */
export function restartWorker() {
  el.backend.textContent = 'Checking for WebGPU…';
  state.session.restart({ device: el.device.value });
}

// The control that started the work (Train, Compare…), to give focus back to when it ends.
let startedFrom = null;

export function setRunning(on) {
  state.running = on;
  sayWhoseResults();
  const { sweeping, mapping } = state;
  const busy = on || sweeping || mapping;
  const focused = document.activeElement;
  el.view.disabled = sweeping || (!on && !state.lastResult);
  el.train.disabled = busy || !state.file;
  el.compare.disabled = busy || !state.file;
  el.sweepButton.disabled = busy || !state.file;
  el.cancel.disabled = !busy;
  if (!on) el.nextStep.disabled = true;
  for (const input of [el.k, el.epochs, el.seed, el.device, el.missing, el.scaling, el.fileInput, el.method, el.gamma, el.neighbours, el.pixelDivisor, el.space,
    el.covariance, el.seriesLength, el.seriesScaling, el.seriesLengths, el.seriesFiles, el.seriesNetwork, el.folderInput, el.folderButton, el.side, el.colour, el.sample, el.sweepMax, el.rowsSeries]) input.disabled = busy;
  // A role changed mid-run would re-read the file under the run: the table waits too.
  for (const select of el.columns.querySelectorAll('select.role')) select.disabled = busy;
  el.dropZone.setAttribute('aria-disabled', String(busy));
  // A keyboard user whose button was just disabled lands on Cancel, and back on it at the end.
  if (busy && focused?.disabled && focused !== el.cancel) {
    startedFrom = focused;
    el.cancel.focus();
  } else if (!busy && startedFrom) {
    // Next step (step-by-step mode) is disabled at the end too, and Cancel.
    const lost = !document.activeElement || document.activeElement === document.body || document.activeElement.disabled;
    if (lost && !startedFrom.disabled) startedFrom.focus();
    startedFrom = null;
  }
}

/** Points `link` at a download of `bytes` (the previous one's URL is released). */
export function offerFile(link, bytes, type, name) {
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([bytes], { type }));
  if (name) link.download = name;
  link.hidden = false;
}

/** A file name without its extension, to name what is made from it. */
export const stemOf = (name) => name.replace(/\.[^.]*$/, '');

export function formatScore(x) {
  return Number.isFinite(x) ? x.toFixed(3) : '–';
}

export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '…';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatBytes(n) {
  if (n < 2 ** 20) return `${Math.max(1, Math.round(n / 1024))} kB`;
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.round(n / 2 ** 20)} MB`;
}

export function sameBytes(a, b) {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** A `<li>` per text. */
export const listItems = (texts) => texts.map((t) => Object.assign(document.createElement('li'), { textContent: t }));

// uPlot draws its axes on a canvas: give them the page's text colour (light or dark theme).
export const axisColour = () => getComputedStyle(document.body).color;
