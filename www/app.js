// The UI thread: DOM, plots and messages to the worker. No maths happens here.
import { drawScatter, pointAt, colourOf } from './scatter.js';
import { METHODS } from './methods.js';
import { explain } from './explain.js';
import { drawHistogram } from './histogram.js';
import { SAMPLES, readLink, linkFor } from './settings.js';
import { saveLast, loadLast, forgetLast } from './store.js';

const $ = (id) => document.getElementById(id);
const el = {
  backend: $('backend'), dropZone: $('drop-zone'), fileInput: $('file-input'),
  fileSummary: $('file-summary'), fileInfo: $('file-info'), labelSelect: $('label-select'),
  fileWarnings: $('file-warnings'), k: $('k-input'), epochs: $('epochs-input'), seed: $('seed-input'),
  device: $('device-select'), train: $('train-button'), cancel: $('cancel-button'),
  status: $('status'), statusText: $('status-text'), progress: $('progress'), error: $('error'),
  deviceNotice: $('device-notice'), scatter: $('scatter'), lossPlot: $('loss-plot'), summary: $('summary'), download: $('download-csv'),
  method: $('method-select'), methodHelp: $('method-help'), gamma: $('gamma-input'), neighbours: $('neighbours-input'), pixelDivisor: $('pixel-divisor-input'), space: $('space-select'),
  covariance: $('covariance-select'), compare: $('compare-button'), metrics: $('metrics'),
  metricAcc: $('metric-acc'), metricNmi: $('metric-nmi'), metricAri: $('metric-ari'), confusion: $('confusion'),
  compareBox: $('compare'), compareBody: document.querySelector('#compare-table tbody'),
  folderInput: $('folder-input'), folderButton: $('folder-button'), side: $('side-select'), colour: $('colour-select'),
  skippedBox: $('skipped-box'), skippedSummary: $('skipped-summary'), skipped: $('skipped-files'),
  gallery: $('gallery'), preview: $('point-preview'),
  saveModel: $('save-model'), loadModel: $('load-model'), predictInput: $('predict-input'),
  modelInfo: $('model-info'), predictSummary: $('predict-summary'), predictDownload: $('predict-download'),
  sample: $('sample-select'), sampleInfo: $('sample-info'), stepMode: $('step-mode'), nextStep: $('next-step'),
  sweepButton: $('k-sweep-button'), sweepMax: $('k-sweep-max'), sweepBox: $('k-sweep'), sweepPlot: $('k-sweep-plot'),
  sweepChoices: $('k-sweep-choices'), shareLink: $('share-link'), timelineRow: $('timeline-row'), timeline: $('timeline'),
  timelineText: $('timeline-text'), explain: $('explain'), explainTitle: $('explain-title'), explainBody: $('explain-body'),
  confidenceFigure: $('confidence-figure'), histogram: $('confidence-histogram'),
  view: $('view-select'), scatterCaption: $('scatter-caption'),
  partialDownload: $('download-partial'),
  restoreBox: $('restore-box'), restoreText: $('restore-text'), restoreButton: $('restore-last'), forgetButton: $('forget-last'),
};

// A running comparison: the methods still to train, and when the current one started.
let comparison = null;  // { queue: [method], current, startedAt }
let runMethod = 'dec';  // the method of the run in progress (or last finished)
let runStartedAt = 0;

// The loaded data, kept here so a new worker (after Cancel) can be given it again:
// { kind: 'csv', name, bytes, labelColumn } | { kind: 'idx', name, images, labels }
// | { kind: 'images', name, planes, side, channels, names, labelsCsv }
let file = null;
let pending = null;     // data being checked, not yet accepted
// Pixels of the loaded images, for galleries and previews: { planes, side, channels, names }.
let pixels = null;
let pendingPixels = null;
let lastRun = null;     // { labels, confidence } of the last finished run, for the preview
let worker = null;
let running = false;
let lastResult = null;  // { xy, labels } of the last finished run, restored after cancel/error
let lossData = [[], [], []];
let lossChart = null;
let downloadUrl = null;
let modelUrl = null;
let predictUrl = null;
let loadedModel = null;  // { name, bytes } of the model chosen under "Use a saved model"
let lastModel = null;    // bytes of the model the last run produced, to recognise it when loaded
let sweeping = false;    // a k-sweep is running in the worker
let sweepChart = null;
let sweepData = [[], [], []];
// Snapshots of the run in progress for the timeline: { xy, labels, centres, text }.
let frames = [];
let firstConfidence = null;  // confidences at the first target update, the histogram's outline
let linkSettings = readLink(location.hash);  // settings from a shared link, applied once
let partial = null;      // { labels, confidence } of the run in progress, once it has clusters
let partialUrl = null;
let mapping = false;     // the 2-D map is being fitted
let mapXY = null;        // the finished map of the last run
let lastTrain = null;    // the message that started the run in progress, to start it again
let kept = null;         // the last result as kept in the browser (IndexedDB)
let checkpoint = null;   // { label, bytes }: that run's state at its last epoch end, on the GPU
// Up to this many rows the map view is redrawn while a run trains (a neighbour search and a
// short layout each time); bigger sets get their map when the run finishes.
const LIVE_MAP_ROWS = 20000;
const liveMapWanted = () => el.view.value === 'map' && Boolean(file) && file.rows <= LIVE_MAP_ROWS;

// What the status said before a file started loading: a file that fails to load puts it back,
// so a finished run still reads as finished.
let beforeLoading = null;

function startLoading(text) {
  if (el.status.dataset.phase !== 'loading') beforeLoading = { phase: el.status.dataset.phase, text: el.statusText.textContent };
  setPhase('loading', text);
}

function setPhase(phase, text) {
  el.status.dataset.phase = phase;
  if (text !== undefined) el.statusText.textContent = text;
}

function showError(message) {
  el.error.textContent = message;
}

function clearError() {
  el.error.textContent = '';
}

function setRunning(on) {
  running = on;
  const busy = on || sweeping || mapping;
  el.view.disabled = sweeping || (!on && !lastResult);
  el.train.disabled = busy || !file;
  el.compare.disabled = busy || !file;
  el.sweepButton.disabled = busy || !file;
  el.cancel.disabled = !busy;
  if (!on) el.nextStep.disabled = true;
  for (const input of [el.k, el.epochs, el.seed, el.device, el.labelSelect, el.fileInput, el.method, el.gamma, el.neighbours, el.pixelDivisor, el.space,
    el.covariance, el.folderInput, el.folderButton, el.side, el.colour, el.sample, el.sweepMax]) input.disabled = busy;
  el.dropZone.setAttribute('aria-disabled', String(busy));
}

function startWorker() {
  worker?.terminate();
  const w = new Worker('worker.js', { type: 'module' });
  worker = w;
  // A replaced worker's last messages may still be queued: only the current one is heard.
  w.onmessage = ({ data }) => { if (w === worker) handlers[data.type]?.(data); };
  worker.onerror = (e) => {
    e.preventDefault();
    failRun(`The training worker stopped unexpectedly (${e.message || 'unknown error'}). Your earlier results are kept; press Train to try again.`);
  };
  el.backend.textContent = 'Checking for WebGPU…';
  worker.postMessage({ type: 'device', preferGpu: el.device.value === 'gpu' });
}

function failRun(message) {
  if (comparison) {
    // One method failing does not stop the comparison: note it and go on.
    addCompareRow(runMethod, null, message);
    updateMethodUI();
    startWorker(); // a failed wasm instance may be unusable: start clean
    nextComparison();
    return;
  }
  showError(message);
  if (running) {
    setRunning(false);
    setPhase('error', 'Training stopped with an error.');
    restoreLastResult();
    startWorker(); // a failed wasm instance may be unusable: start clean
  }
}

function restoreLastResult() {
  if (lastResult && el.view.value === 'map' && mapXY) drawScatter(el.scatter, mapXY, lastResult.labels);
  else if (lastResult) drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres });
  else drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0));
}

// How many snapshots the timeline keeps: all of a small set's, fewer of a big one's (memory).
function historyLimit(points) {
  return Math.max(10, Math.min(150, Math.floor(4e6 / Math.max(1, points))));
}

function showFrame(i) {
  const f = frames[i];
  if (!f) return;
  const onMap = el.view.value === 'map' && Boolean(f.map);
  if (onMap) drawScatter(el.scatter, f.map, f.labels);
  else drawScatter(el.scatter, f.xy, f.labels, { centres: f.centres });
  el.scatter.dataset.frame = onMap ? 'map' : 'pca';
  el.timelineText.textContent = f.text;
  el.timeline.setAttribute('aria-valuetext', f.text);
}

function frameText(phase, epoch, updates) {
  if (phase === 'pretrain' || phase === 'init') return `pretraining, epoch ${epoch}`;
  if (phase === 'refine') return `refining, after target update ${updates}`;
  return 'final';
}

function phaseText(phase) {
  const m = METHODS[runMethod];
  const who = comparison ? `${m.title} (${comparison.done + 1} of ${comparison.total}): ` : '';
  const text = {
    pretrain: 'Pretraining the autoencoder',
    init: m.baseline ? `Clustering with ${m.title}` : 'Finding initial clusters with k-means',
    refine: `Refining clusters (${m.loss})`,
    done: 'Done',
  }[phase];
  return who + text;
}

function updateMethodUI() {
  const m = METHODS[el.method.value] ?? METHODS.dec;
  el.methodHelp.textContent = m.help;
  for (const label of document.querySelectorAll('label[data-for]')) {
    label.hidden = !m[label.dataset.for];
  }
}

function formatScore(x) {
  return Number.isFinite(x) ? x.toFixed(3) : '–';
}

function showMetrics(scores, confusion, classNames, k) {
  if (scores.length !== 3) {
    el.metrics.hidden = true;
    for (const key of ['acc', 'nmi', 'ari']) delete el.metrics.dataset[key];
    return;
  }
  const [acc, nmi, ari] = scores;
  Object.assign(el.metrics.dataset, { acc: String(acc), nmi: String(nmi), ari: String(ari) });
  el.metricAcc.textContent = formatScore(acc);
  el.metricNmi.textContent = formatScore(nmi);
  el.metricAri.textContent = formatScore(ari);
  // Heatmap: each cell shaded by the share of its class's rows that fell in that cluster.
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('th'), { textContent: 'class \\ cluster' }));
  for (let j = 0; j < k; j++) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: String(j) }));
  const rows = classNames.map((name, i) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: name }));
    const counts = confusion.slice(i * k, (i + 1) * k);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    for (const c of counts) {
      const td = document.createElement('td');
      td.textContent = String(c);
      td.style.setProperty('--share', (c / total).toFixed(3));
      if (c / total > 0.6) td.dataset.dark = '';
      tr.append(td);
    }
    return tr;
  });
  el.confusion.replaceChildren(head, ...rows);
  el.metrics.hidden = false;
}

function addCompareRow(method, scores, note) {
  const tr = document.createElement('tr');
  tr.dataset.method = method;
  const cells = [METHODS[method].title, ...(scores?.length === 3 ? scores.map(formatScore) : ['–', '–', '–']),
    formatTime(performance.now() - runStartedAt), note];
  for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
  el.compareBody.append(tr);
  el.compareBox.hidden = false;
}

function formatTime(ms) {
  if (!Number.isFinite(ms)) return '…';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const handlers = {
  checkpoint({ label, bytes }) {
    checkpoint = { label, bytes };
  },

  /** The GPU went away: the run goes on in a fresh CPU worker from its last checkpoint. */
  'device-lost'({ reason, message }) {
    const why = message || reason || 'no reason given';
    el.device.value = 'cpu';  // this page's GPU is gone: later runs use the CPU too
    startWorker();
    el.deviceNotice.hidden = false;
    if (!running || !lastTrain) {
      el.deviceNotice.textContent = `The GPU stopped working (${why}). Training will use the CPU from now on.`;
      return;
    }
    const from = checkpoint ? `from ${checkpoint.label}` : 'from the start';
    el.deviceNotice.textContent = `The GPU stopped working (${why}). Training goes on on the CPU ${from}; it is slower there, nothing else changes.`;
    el.deviceNotice.dataset.resumedFrom = checkpoint?.label ?? '';
    frames = [];
    worker.postMessage({ ...lastTrain, stepMode: el.stepMode.checked && !comparison, liveMap: liveMapWanted(), resume: checkpoint });
  },

  backend({ text }) {
    el.backend.textContent = text;
    el.backend.dataset.kind = text.startsWith('WebGPU') ? 'gpu' : 'cpu';
  },

  /** A big CSV being read in the worker (when loaded, and again when a run starts). */
  parsing({ name, share }) {
    el.progress.value = share;
    setPhase(el.status.dataset.phase, `Reading ${name}: ${Math.round(share * 100)}%…`);
  },

  decoding({ done, total }) {
    setPhase('loading', `Reading images: ${done} of ${total}…`);
    el.progress.value = done / total;
  },

  decoded({ data, skipped }) {
    pending = data;
    pendingPixels = { planes: data.planes, side: data.side, channels: data.channels, names: data.names };
    el.skipped.replaceChildren(...skipped.map(({ name, reason }) => Object.assign(document.createElement('li'), { textContent: `${name}: ${reason}` })));
    el.skippedSummary.textContent = `${skipped.length} file${skipped.length === 1 ? '' : 's'} could not be read and ${skipped.length === 1 ? 'was' : 'were'} skipped`;
    el.skippedBox.hidden = skipped.length === 0;
    el.skippedBox.open = skipped.length > 0 && skipped.length <= 20;
  },

  inspected(s) {
    if (running) return; // the summary that starts a run; the file was checked already
    file = pending;
    pending = null;
    file.rows = s.rows;
    el.sample.value = file.sample ?? '';
    el.sampleInfo.textContent = file.sample ? SAMPLES[file.sample] : '';
    el.sweepBox.hidden = true;
    if (s.kind === 'idx') pixels = { planes: s.planes, side: s.side, channels: s.channels, names: Array.from({ length: s.rows }, (_, i) => `image ${i}`) };
    else if (s.kind === 'images') pixels = pendingPixels;
    else pixels = null;
    pendingPixels = null;
    if (s.kind === 'csv') el.skippedBox.hidden = true;
    clearError();
    el.fileSummary.hidden = false;
    el.fileInfo.textContent = s.kind === 'csv'
      ? `${s.name}: ${s.rows} rows, ${s.cols} numeric columns used as features.`
      : `${s.name}: ${s.rows} images, ${s.side} × ${s.side} ${s.channels === 3 ? 'colour' : 'grayscale'}${s.nClasses ? `, ${s.nClasses} known classes (used only to score)` : ''}.`;
    el.labelSelect.closest('label').hidden = s.kind !== 'csv';
    el.labelSelect.replaceChildren(new Option('(none)', ''), ...s.columns.map((c) => new Option(c, c)));
    el.labelSelect.value = s.labelColumn;
    if (s.kind === 'csv') file.labelColumn = s.labelColumn;
    // Images get DCEC's convolutions by default where they are affordable: on a GPU and up to
    // MNIST's size. On the CPU, convolutions are ~10× slower than the dense network.
    const convAffordable = el.backend.dataset.kind === 'gpu' && s.rows * s.cols <= 70000 * 784;
    if (s.kind !== 'csv' && el.method.value === 'dec' && convAffordable) el.method.value = 'dcec';
    if (s.kind === 'csv' && el.method.value === 'dcec') el.method.value = 'dec';
    updateMethodUI();
    el.fileWarnings.replaceChildren(...s.warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
    if (s.nClasses >= 2) el.k.value = String(s.nClasses);
    if (linkSettings) {
      applySettings(linkSettings);
      linkSettings = null;
    }
    el.train.disabled = false;
    el.compare.disabled = false;
    el.sweepButton.disabled = false;
    updateLink();
    if (el.status.dataset.phase !== 'done') setPhase('idle', 'Ready: choose k and press Train.');
  },

  progress(p) {
    el.status.dataset.wasmMemory = String(p.wasmBytes);
    const pct = Math.round(p.progress * 100);
    el.progress.value = p.progress;
    const epoch = p.epochs ? `, epoch ${Math.min(p.epoch + 1, p.epochs)} of ${p.epochs}` : '';
    const loss = Number.isFinite(p.loss) ? `, loss ${p.loss.toPrecision(4)}` : '';
    const changed = Number.isFinite(p.changed) && p.phase !== 'pretrain' ? `, ${(p.changed * 100).toFixed(2)}% changed cluster` : '';
    const left = p.progress > 0.02 && p.phase !== 'done' ? `, about ${formatTime(p.elapsedMs * (1 - p.progress) / p.progress)} left` : '';
    if (p.phase !== 'done') setPhase(p.phase, `${phaseText(p.phase)}${epoch}${loss}${changed} (${pct}%${left})`);
    if (Number.isFinite(p.loss)) {
      lossData[0].push(lossData[0].length);
      lossData[1].push(p.phase === 'pretrain' ? p.loss : null);
      lossData[2].push(p.phase === 'refine' ? p.loss : null);
      lossChart?.setData(lossData);
    }
  },

  scatter({ xy, labels, centres, confidence, mapXy, phase, epoch, updates }) {
    // Between live map redraws a frame keeps the last map (same rows, newer labels).
    const lastMap = frames.at(-1)?.map;
    const map = mapXy.length ? mapXy : (lastMap?.length === xy.length ? lastMap : null);
    const frame = { xy, labels, centres: centres.length ? centres : null, map, text: frameText(phase, epoch, updates) };
    if (running && labels.length && confidence.length === labels.length) partial = { labels, confidence };
    const following = Number(el.timeline.value) >= frames.length - 1;
    frames.push(frame);
    // Over the limit, every other frame goes: the replay keeps its whole span, more coarsely.
    if (frames.length > historyLimit(xy.length / 2)) frames = frames.filter((_, i) => i % 2 === 0 || i === frames.length - 1);
    el.timeline.max = String(frames.length - 1);
    el.timelineRow.hidden = frames.length < 2;
    if (following || running) {
      el.timeline.value = String(frames.length - 1);
      showFrame(frames.length - 1);
    }
    if (confidence.length && phase === 'refine') {
      firstConfidence ??= confidence;
      drawHistogram(el.histogram, confidence, firstConfidence);
      el.confidenceFigure.hidden = false;
    }
  },

  'partial-csv'({ csv }) {
    if (partialUrl) URL.revokeObjectURL(partialUrl);
    partialUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    el.partialDownload.href = partialUrl;
    el.partialDownload.download = `${file.name.replace(/\.[^.]*$/, '')}-clusters-when-cancelled.csv`;
    el.partialDownload.hidden = false;
  },

  'map-progress'({ progress, loss, xy }) {
    el.progress.value = progress;
    setPhase('map', `Fitting the 2-D map: ${Math.round(progress * 100)}%, loss ${loss.toPrecision(4)}`);
    if (el.view.value === 'map' && lastResult) drawScatter(el.scatter, xy, lastResult.labels);
  },

  /** The finished map went into the run's model: the download and the kept result get it. */
  'model-with-map'({ model }) {
    lastModel = model.slice();
    if (modelUrl) URL.revokeObjectURL(modelUrl);
    modelUrl = URL.createObjectURL(new Blob([model], { type: 'application/octet-stream' }));
    el.saveModel.href = modelUrl;
    el.saveModel.dataset.withMap = 'true';
    if (kept) {
      kept = { ...kept, model: lastModel, mapXY };
      keepResult(kept);
    }
  },

  'map-done'({ xy }) {
    mapping = false;
    mapXY = xy;
    setRunning(false);
    el.progress.value = 1;
    setPhase('done', 'The map is ready: neighbours in the embedding are neighbours here.');
    if (el.view.value === 'map') showView();
  },

  paused({ event, updates, changed, k, dim, neighbours }) {
    const changedText = Number.isFinite(changed) ? `${(changed * 100).toFixed(2)}%` : 'none';
    const { title, html } = explain(event, runMethod, { updates, changed: changedText, k, dim, neighbours });
    showExplanation(title, html);
    setPhase('paused', `Paused: ${title.toLowerCase()}. Press Next step to go on.`);
    el.nextStep.disabled = false;
    el.nextStep.focus();
  },

  sample({ name, bytes }) {
    pending = { kind: 'csv', name: `${name}.csv`, bytes: bytes.buffer, labelColumn: undefined, sample: name };
    worker.postMessage({ type: 'inspect', data: { ...pending, bytes: pending.bytes.slice(0) } });
  },

  'sweep-point'({ k, inertia, silhouette, of, rows }) {
    sweepData[0].push(k);
    sweepData[1].push(Number.isFinite(silhouette) ? silhouette : null);
    sweepData[2].push(inertia);
    sweepChart.setData(sweepData);
    el.progress.value = (k - 1) / (of - 1);
    const sampled = rows < file.rows ? ` (on a sample of ${rows} rows)` : '';
    setPhase('sweep', `Trying k = ${k} of 2…${of}${sampled}`);
  },

  'sweep-done'({ suggested }) {
    sweeping = false;
    setRunning(false);
    el.sweepPlot.dataset.suggestedK = suggested === null ? '' : String(suggested);
    el.sweepChoices.replaceChildren(...sweepData[0].map((k) => {
      const b = Object.assign(document.createElement('button'), {
        type: 'button', className: 'k-choice', textContent: k === suggested ? `${k} (suggested)` : String(k),
      });
      b.dataset.k = String(k);
      b.addEventListener('click', () => chooseK(k));
      return b;
    }));
    setPhase('idle', suggested === null
      ? 'No k scored well: the data may have no clusters.'
      : `Suggested k = ${suggested} (highest silhouette). Pick another on the plot or below if you like.`);
    if (suggested !== null) chooseK(suggested);
  },

  done(r) {
    if (comparison) {
      addCompareRow(runMethod, r.scores, r.warnings.join(' '));
    }
    setRunning(false);
    el.progress.value = 1;
    // The newest snapshot, whichever frame the timeline shows.
    const final = frames.at(-1);
    const xy = final?.xy ?? el.scatter.lastXY;
    lastResult = { xy, labels: r.labels, centres: final?.centres ?? null };
    el.timeline.value = el.timeline.max;
    drawScatter(el.scatter, xy, r.labels, { centres: lastResult.centres });
    lastModel = r.model ? r.model.slice() : null;
    mapXY = null;
    // A map view chosen during the run stays: its full map is fitted below, from the live one.
    const keepMap = el.view.value === 'map' && !comparison;
    if (keepMap && final?.map) drawScatter(el.scatter, final.map, r.labels);
    if (!keepMap) el.view.value = 'pca';
    el.view.disabled = false;
    el.scatter.dataset.view = el.view.value;
    if (el.stepMode.checked && !comparison) {
      const reason = r.warnings.length ? r.warnings.join(' ') : 'the planned epochs ran, or (DEC, IDEC, DCEC) almost no point changed cluster any more';
      const { title, html } = explain('done', runMethod, { reason });
      showExplanation(title, html);
    }
    offerDownloads(file.name, runMethod, r.k, r.csv, r.model);
    const counts = new Array(r.k).fill(0);
    for (const l of r.labels) counts[l]++;
    const parts = [`${r.labels.length} rows in ${counts.filter((c) => c > 0).length} clusters (sizes ${counts.join(', ')}).`];
    parts[0] = `${METHODS[runMethod].title}: ${parts[0]}`;
    if (r.scores.length === 3) {
      const [acc, nmi, ari] = r.scores;
      parts.push(`Against the ${file.kind === 'csv' ? `“${file.labelColumn}” column` : 'known classes'}: ACC ${acc.toFixed(3)}, NMI ${nmi.toFixed(3)}, ARI ${ari.toFixed(3)}.`);
    }
    for (const w of r.warnings) parts.push(`Note: ${w}${/[.!?]$/.test(w) ? '' : '.'}`);
    el.summary.textContent = parts.join(' ');
    showMetrics(r.scores, r.confusion, r.classNames, r.k);
    lastRun = { labels: r.labels, confidence: r.confidence };
    showGallery(r.labels, r.confidence, r.k);
    setPhase('done', `Done. ${parts[0]}`);
    if (!comparison) {
      kept = {
        name: file.name, method: runMethod, k: r.k, when: Date.now(), labels: r.labels, confidence: r.confidence,
        xy, centres: lastResult.centres, csv: r.csv, model: lastModel, scores: r.scores, confusion: r.confusion,
        classNames: r.classNames, summary: el.summary.textContent, hash: location.hash,
      };
      keepResult(kept);
    }
    if (keepMap) showView();
    if (comparison) nextComparison();
  },

  model(m) {
    clearError();
    const input = m.channels
      ? `${m.side} × ${m.side} ${m.channels === 3 ? 'colour' : 'grayscale'} images`
      : `${m.features.length} columns (${m.features.join(', ')})`;
    el.modelInfo.textContent = `${m.name}: ${METHODS[m.method]?.title ?? m.method}, k = ${m.k}, trained on ${input}.`
      + (m.channels ? ' Now choose new images (they are sized and coloured the same way).' : ' Now choose a CSV of new rows.');
    el.predictInput.disabled = false;
  },

  predicted(p) {
    clearError();
    // Into the scatter: over the training picture when this is the model just trained there,
    // else alone in the model's own coordinates.
    if (p.xy.length) {
      const same = lastResult && lastModel && loadedModel && sameBytes(lastModel, loadedModel.bytes);
      const placedOn = (xy) => ({ placed: { xy, labels: p.labels } });
      if (same && el.view.value === 'map' && mapXY && p.mapXy.length) drawScatter(el.scatter, mapXY, lastResult.labels, placedOn(p.mapXy));
      else if (same) drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres, ...placedOn(p.xy) });
      else if (p.mapBase.xy.length) {
        // Another run's model that kept its map: its training rows' map, with the new rows on it.
        drawScatter(el.scatter, p.mapBase.xy, p.mapBase.labels, placedOn(p.mapXy));
        el.scatter.dataset.view = 'map';
        el.scatterCaption.textContent = `The model's own 2-D map of the rows it was trained on, with the ${p.unit} of ${p.name} placed on it.`;
      } else drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0), placedOn(p.xy));
    }
    const counts = new Array(p.k).fill(0);
    for (const l of p.labels) counts[l]++;
    let text = `${p.name}: ${p.labels.length} ${p.unit} placed (cluster sizes ${counts.join(', ')}).`;
    if (p.skipped?.length) text += ` ${p.skipped.length} file${p.skipped.length === 1 ? '' : 's'} could not be read: ${p.skipped.map((x) => x.name).join(', ')}.`;
    if (p.scores.length === 3) text += ` Against its label column: ACC ${p.scores[0].toFixed(3)}, NMI ${p.scores[1].toFixed(3)}, ARI ${p.scores[2].toFixed(3)}.`;
    el.predictSummary.textContent = text;
    if (predictUrl) URL.revokeObjectURL(predictUrl);
    predictUrl = URL.createObjectURL(new Blob([p.csv], { type: 'text/csv' }));
    el.predictDownload.href = predictUrl;
    el.predictDownload.download = `${p.name.replace(/\.[^.]*$/, '')}-predicted.csv`;
    el.predictDownload.hidden = false;
  },

  error(e) {
    // A trap inside the wasm (a bug, or memory exhausted) leaves the module unusable.
    if (/unreachable|RuntimeError|out of bounds|out of memory/i.test(e.message)) {
      startWorker();
      e = { ...e, message: `an internal error stopped the work (${e.message}); the page has restarted its worker, so you can try again, perhaps with a smaller file` };
    }
    if (e.during === 'map') {
      mapping = false;
      setRunning(false);
      el.view.value = 'pca';
      showView();
      showError(`The map could not be drawn: ${e.message}`);
      return;
    }
    if (e.during === 'k-sweep') {
      sweeping = false;
      setRunning(false);
      setPhase('idle', 'Choosing k stopped with an error.');
      showError(`Choosing k: ${e.message}`);
      return;
    }
    if (e.during === 'sample') {
      if (beforeLoading) setPhase(beforeLoading.phase, beforeLoading.text);
      showError(`The sample could not be made: ${e.message}`);
      return;
    }
    if (e.during === 'train' || running) {
      failRun(`${e.name ?? 'Training'}: ${e.message}`);
    } else if (e.during === 'load-model') {
      loadedModel = null;
      el.predictInput.disabled = true;
      el.modelInfo.textContent = '';
      showError(`${e.name}: ${e.message}. Choose a .model file downloaded from this page or saved by deepclust.`);
    } else if (e.during === 'predict') {
      showError(`${e.name}: ${e.message}`);
    } else if (e.during === 'inspect' || e.during === 'decode-images') {
      if (el.status.dataset.phase === 'loading') {
        if (beforeLoading && beforeLoading.phase !== 'loading') setPhase(beforeLoading.phase, beforeLoading.text);
        else setPhase('idle', file ? 'Ready.' : 'Choose a data file to begin.');
      }
      const kept = file ? ` ${file.name} is still loaded.` : '';
      pending = null;
      // The crate's messages end without a full stop; the page adds one before going on.
      const message = kept && !/[.!?]$/.test(e.message) ? `${e.message}.` : e.message;
      showError(`${e.name}: ${message}${kept}`);
    } else {
      showError(e.message);
    }
  },
};

// The bytes, their parsed copy and the training state all live in one tab: beyond this a
// browser is likely to kill it, so such files are refused before they are read.
const CSV_BUDGET = 512 * 2 ** 20;

function formatBytes(n) {
  if (n < 2 ** 20) return `${Math.max(1, Math.round(n / 1024))} kB`;
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.round(n / 2 ** 20)} MB`;
}

const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|avif)$/i;
const IDX_IMAGES = /idx3-ubyte(\.gz)?$/i;
const IDX_LABELS = /idx1-ubyte(\.gz)?$/i;

/** The file's bytes; a big one is read as a stream, telling `onProgress` the share read. */
async function readBytes(f, onProgress) {
  try {
    if (!onProgress || f.size < 8 * 2 ** 20) return await f.arrayBuffer();
    const out = new Uint8Array(f.size);
    const reader = f.stream().getReader();
    let at = 0;
    let lastReport = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, at);
      at += value.length;
      if (performance.now() - lastReport > 150) {
        onProgress(at / f.size);
        lastReport = performance.now();
      }
    }
    if (at !== f.size) throw new Error(`${at} of ${f.size} bytes arrived; the file changed while it was read`);
    return out.buffer;
  } catch (err) {
    throw new Error(`${f.name}: the file could not be read (${err.message}). Check that it still exists and try again.`);
  }
}

/**
 * Decides what a drop (or a file choice) is: one CSV, IDX files, or pictures (with an
 * optional labels.csv), and hands it to the worker. `entries` are `{ path, file }`.
 */
async function loadEntries(entries) {
  if (running || entries.length === 0) return;
  clearError();
  try {
    const images = entries.filter((e) => IMAGE_FILE.test(e.path));
    const idxImages = entries.filter((e) => IDX_IMAGES.test(e.path));
    if (idxImages.length > 0) {
      // Each images file takes the labels file with the same prefix (train-…, t10k-…); with
      // one of each they pair anyway. Several pairs are concatenated: MNIST's train and test
      // files make its 70,000 digits.
      const idxLabels = entries.filter((e) => IDX_LABELS.test(e.path));
      const prefix = (path) => path.replace(/images?[-_.]?idx3-ubyte(\.gz)?$/i, '').replace(/labels?[-_.]?idx1-ubyte(\.gz)?$/i, '');
      const sets = [];
      for (const img of idxImages.sort((a, b) => b.path.localeCompare(a.path))) {
        const lab = idxLabels.length === 1 && idxImages.length === 1 ? idxLabels[0] : idxLabels.find((l) => prefix(l.path) === prefix(img.path));
        sets.push({ name: img.path, images: await readBytes(img.file), labels: lab ? await readBytes(lab.file) : null });
      }
      pending = { kind: 'idx', name: idxImages.map((e) => e.path).join(' + '), sets };
      worker.postMessage({ type: 'inspect', data: pending });
    } else if (images.length > 0) {
      const labelsEntry = entries.find((e) => /(^|\/)labels\.csv$/i.test(e.path));
      const labelsCsv = labelsEntry ? await labelsEntry.file.text() : null;
      const others = entries.filter((e) => !IMAGE_FILE.test(e.path) && e !== labelsEntry);
      const folder = images[0].path.includes('/') ? images[0].path.split('/')[0] : `${images.length} images`;
      startLoading(`Reading images: 0 of ${images.length}…`);
      worker.postMessage({ type: 'decode-images', name: folder, files: images, labelsCsv, side: el.side.value, colour: el.colour.value });
      if (others.length) el.fileWarnings.replaceChildren(Object.assign(document.createElement('li'), { textContent: `${others.length} file(s) that are not images were ignored.` }));
    } else {
      if (entries.length > 1) throw new Error(`Drop one CSV file at a time, or a folder of images (${entries.length} files were dropped, none of them images).`);
      const { path, file: f } = entries[0];
      if (f.size > CSV_BUDGET) {
        throw new Error(`${path} is ${formatBytes(f.size)}; this page reads CSV files up to ${formatBytes(CSV_BUDGET)}, `
          + 'because the text, the parsed numbers and the network must all fit in one tab. '
          + 'Use the command line (deepclust cluster --input …) for a file this size, or a random sample of its rows here.');
      }
      startLoading(`Reading ${path} (${formatBytes(f.size)})…`);
      const opened = (share) => {
        el.progress.value = share;
        setPhase('loading', `Opening ${path}: ${Math.round(share * 100)}% of ${formatBytes(f.size)}…`);
      };
      pending = { kind: 'csv', name: path, bytes: await readBytes(f, opened), labelColumn: undefined };
      worker.postMessage({ type: 'inspect', data: { ...pending, bytes: pending.bytes.slice(0) } });
    }
  } catch (err) {
    showError(err.message);
  }
}

/** Every file under a dropped item, with its path relative to the drop. */
async function walkEntry(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ path: prefix + entry.name, file }];
  }
  const reader = entry.createReader();
  const children = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((c) => walkEntry(c, `${prefix}${entry.name}/`)));
  return nested.flat().sort((a, b) => a.path.localeCompare(b.path));
}

function imageURL(index) {
  const { planes, side, channels } = pixels;
  const per = channels * side * side;
  const plane = side * side;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(side, side);
  const base = index * per;
  for (let p = 0; p < plane; p++) {
    const r = planes[base + p];
    img.data[4 * p] = r;
    img.data[4 * p + 1] = channels === 3 ? planes[base + plane + p] : r;
    img.data[4 * p + 2] = channels === 3 ? planes[base + 2 * plane + p] : r;
    img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

function thumbnail(index, cluster, confidence) {
  const name = pixels.names[index];
  return Object.assign(document.createElement('img'), {
    src: imageURL(index), alt: name, title: `${name}: cluster ${cluster}, confidence ${confidence.toFixed(2)}`,
  });
}

const TYPICAL = 8;
const DOUBTFUL = 4;

/** One panel per non-empty cluster: its most confident members, then its least confident. */
function showGallery(labels, confidence, k) {
  if (!pixels) {
    el.gallery.hidden = true;
    el.gallery.replaceChildren();
    return;
  }
  const members = Array.from({ length: k }, () => []);
  labels.forEach((l, i) => members[l].push(i));
  const panels = [];
  members.forEach((idx, cluster) => {
    if (idx.length === 0) return;
    idx.sort((a, b) => confidence[b] - confidence[a]);
    const panel = document.createElement('section');
    panel.className = 'cluster-gallery';
    panel.dataset.cluster = String(cluster);
    const heading = document.createElement('h4');
    const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    swatch.style.background = colourOf(cluster);
    heading.append(swatch, `Cluster ${cluster}: ${idx.length} image${idx.length === 1 ? '' : 's'}`);
    const typical = idx.slice(0, TYPICAL);
    const doubtful = idx.length > TYPICAL ? idx.slice(-Math.min(DOUBTFUL, idx.length - TYPICAL)) : [];
    panel.append(heading, Object.assign(document.createElement('p'), { textContent: 'Most confident' }),
      ...typical.map((i) => thumbnail(i, cluster, confidence[i])));
    if (doubtful.length) {
      panel.append(Object.assign(document.createElement('p'), { textContent: 'Least confident' }),
        ...doubtful.map((i) => thumbnail(i, cluster, confidence[i])));
    }
    panels.push(panel);
  });
  el.gallery.replaceChildren(...panels);
  el.gallery.hidden = false;
}

function showPreview(event) {
  if (!pixels || !lastRun) return;
  const i = pointAt(el.scatter, event);
  if (i < 0 || i >= pixels.names.length) return;
  const img = thumbnail(i, lastRun.labels[i], lastRun.confidence[i]);
  const text = Object.assign(document.createElement('span'), {
    textContent: `${pixels.names[i]}: cluster ${lastRun.labels[i]}, confidence ${lastRun.confidence[i].toFixed(2)}`,
  });
  el.preview.replaceChildren(img, text);
  el.preview.hidden = false;
}

/**
 * The settings for a run of `methods`, or null (with a message) if one they use is invalid.
 * A setting none of them shows is not checked: it takes its default, so a bad value left in a
 * hidden field never blocks a method that does not use it.
 */
function readSettings(methods) {
  const k = Number(el.k.value);
  if (!Number.isInteger(k) || k < 2) {
    showError(`Clusters (k) must be a whole number of at least 2; “${el.k.value}” is not.`);
    el.k.focus();
    return null;
  }
  const epochs = el.epochs.value === '' ? null : Number(el.epochs.value);
  if (epochs !== null && !(Number.isInteger(epochs) && epochs >= 1)) {
    showError('Pretraining epochs must be a whole number of at least 1, or empty for automatic.');
    el.epochs.focus();
    return null;
  }
  const uses = (setting) => methods.some((m) => METHODS[m][setting]);
  const gamma = Number(uses('gamma') ? el.gamma.value : el.gamma.defaultValue);
  if (!(gamma > 0 && Number.isFinite(gamma))) {
    showError('The clustering weight γ must be a positive number (the papers use 0.1).');
    el.gamma.focus();
    return null;
  }
  const neighbours = uses('neighbours') && el.neighbours.value !== '' ? Number(el.neighbours.value) : null;
  if (neighbours !== null && !(Number.isInteger(neighbours) && neighbours >= 2)) {
    showError('Neighbours per point must be a whole number of at least 2, or empty for automatic (N2D’s paper uses 20; automatic takes fewer for images in small clusters).');
    el.neighbours.focus();
    return null;
  }
  const pixelDivisor = el.pixelDivisor.value === '' ? null : Number(el.pixelDivisor.value);
  if (pixelDivisor !== null && !(pixelDivisor > 0 && Number.isFinite(pixelDivisor))) {
    showError('Divide pixels by must be a positive number (255 puts pixels in 0 to 1; IDEC’s authors use 50), or empty for automatic.');
    el.pixelDivisor.focus();
    return null;
  }
  const seed = Number(el.seed.value || 42);
  return {
    k, epochs, gamma, neighbours, pixelDivisor, seed: Number.isInteger(seed) && seed >= 0 ? seed : 42,
    embeddingSpace: el.space.value === 'embedding', fullCovariance: el.covariance.value === 'full',
  };
}

function startRun(method, settings) {
  clearError();
  setRunning(true);
  runMethod = method;
  runStartedAt = performance.now();
  lossData = [[], [], []];
  lossChart?.setData(lossData);
  el.progress.value = 0;
  frames = [];
  firstConfidence = null;
  partial = null;
  el.partialDownload.hidden = true;
  el.timelineRow.hidden = true;
  el.confidenceFigure.hidden = true;
  el.explain.hidden = true;
  el.preview.hidden = true;
  setPhase('pretrain', `${phaseText('pretrain')}: starting…`);
  checkpoint = null;
  lastTrain = {
    type: 'train', data: file.kind === 'csv' ? { ...file, bytes: file.bytes.slice(0) } : file, method, ...settings,
    stepMode: el.stepMode.checked && !comparison,
  };
  worker.postMessage({ ...lastTrain, liveMap: liveMapWanted() });
}

function captionFor(view) {
  if (view === 'pca') return 'The learned embedding (first two principal components), coloured by cluster; crosses mark cluster centres. For images, click a point to see it.';
  if (!running) return 'A 2-D UMAP map of the embedding: points that are near neighbours there are near here; distances between far-apart groups mean little.';
  return liveMapWanted()
    ? 'A 2-D UMAP map of the embedding as it trains, redrawn every second or so (a fuller one is fitted when the run finishes).'
    : `The map is drawn when the run finishes: ${file.rows} rows are too many to redraw it while training (up to ${LIVE_MAP_ROWS}).`;
}

/** The view switched during a run: the worker starts or stops redrawing the live map. */
function showLiveView() {
  el.scatter.dataset.view = el.view.value;
  el.scatterCaption.textContent = captionFor(el.view.value);
  worker.postMessage({ type: 'live-map', on: liveMapWanted() });
  showFrame(Number(el.timeline.value));
}

/** Draws the last result in the chosen view, fitting the map first if needed. */
function showView() {
  if (!lastResult) return;
  const view = el.view.value;
  el.scatter.dataset.view = view;
  el.scatterCaption.textContent = captionFor(view);
  if (view === 'pca') {
    drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres });
  } else if (mapXY) {
    drawScatter(el.scatter, mapXY, lastResult.labels);
  } else if (!mapping) {
    mapping = true;
    setRunning(false);
    el.progress.value = 0;
    setPhase('map', 'Fitting the 2-D map: finding neighbours…');
    worker.postMessage({ type: 'map', seed: Number(el.seed.value || 42) });
  }
}

async function keepResult(result) {
  el.restoreBox.hidden = true;
  const failed = await saveLast(result);
  if (failed) el.fileWarnings.append(Object.assign(document.createElement('li'), { textContent: `This result could not be kept in the browser for later (${failed}); download it to keep it.` }));
}

/** Offers the result kept from an earlier visit. */
async function offerLastResult() {
  const last = await loadLast();
  if (!last || lastResult) return;
  const when = new Date(last.when).toLocaleString();
  el.restoreText.textContent = `Your last result is kept in this browser: ${last.name}, ${METHODS[last.method]?.title ?? last.method}, k = ${last.k} (${when}).`;
  el.restoreBox.hidden = false;
  el.restoreButton.onclick = () => restoreResult(last);
  el.forgetButton.onclick = async () => {
    await forgetLast();
    el.restoreBox.hidden = true;
    setPhase(el.status.dataset.phase, 'The kept result was deleted from this browser.');
  };
}

/** The result's CSV and (when there is one) its model as download links. */
function offerDownloads(name, method, k, csv, model) {
  const stem = name.replace(/\.[^.]*$/, '');
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  el.download.href = downloadUrl;
  el.download.download = `${stem}-clusters.csv`;
  el.download.hidden = false;
  if (modelUrl) URL.revokeObjectURL(modelUrl);
  modelUrl = model ? URL.createObjectURL(new Blob([model], { type: 'application/octet-stream' })) : null;
  if (modelUrl) {
    el.saveModel.href = modelUrl;
    el.saveModel.download = `${stem}-${method}-k${k}.model`;
  }
  el.saveModel.hidden = !modelUrl;
}

function restoreResult(last) {
  el.restoreBox.hidden = true;
  lastResult = { xy: last.xy, labels: last.labels, centres: last.centres };
  lastRun = { labels: last.labels, confidence: last.confidence };
  lastModel = last.model;
  kept = last;
  mapXY = last.mapXY ?? null;  // a map fitted before the reload comes back with the result
  el.view.value = 'pca';
  el.view.disabled = false;
  drawScatter(el.scatter, last.xy, last.labels, { centres: last.centres });
  el.summary.textContent = last.summary;
  showMetrics(last.scores, last.confusion, last.classNames, last.k);
  offerDownloads(last.name, last.method, last.k, last.csv, last.model);
  setPhase('done', `Restored: ${last.summary.split('. ')[0]}. Load its file again to train more.`);
}

function showExplanation(title, html) {
  el.explainTitle.textContent = title;
  el.explainBody.innerHTML = html;  // constant texts from explain.js, never data
  el.explain.hidden = false;
}

function sameBytes(a, b) {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function chooseK(k) {
  el.k.value = String(k);
  for (const b of el.sweepChoices.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.k === String(k)));
  updateLink();
}

function sweepK() {
  if (!file || running || sweeping) return;
  const maxK = Number(el.sweepMax.value);
  if (!Number.isInteger(maxK) || maxK < 3) {
    showError(`“up to k” must be a whole number of at least 3; “${el.sweepMax.value}” is not.`);
    el.sweepMax.focus();
    return;
  }
  clearError();
  sweeping = true;
  setRunning(false);
  sweepData = [[], [], []];
  el.sweepChoices.replaceChildren();
  delete el.sweepPlot.dataset.suggestedK;
  el.sweepBox.hidden = false;
  sweepChart ??= new uPlot({
    width: 480, height: 240,
    scales: { x: { time: false }, sil: {}, inertia: {} },
    axes: [{ label: 'k', stroke: axisColour() }, { scale: 'sil', label: 'silhouette', size: 60, stroke: axisColour() },
      { scale: 'inertia', side: 1, label: 'inertia', size: 70, grid: { show: false }, stroke: axisColour() }],
    series: [{}, { label: 'silhouette', scale: 'sil', stroke: '#2563eb', width: 2, points: { size: 7 } },
      { label: 'inertia', scale: 'inertia', stroke: '#9ca3af', dash: [6, 4], points: { size: 5 } }],
    hooks: { ready: [(u) => u.over.addEventListener('click', () => { const i = u.cursor.idx; if (i != null && sweepData[0][i] !== undefined && !sweeping) chooseK(sweepData[0][i]); })] },
  }, sweepData, el.sweepPlot);
  sweepChart.setData(sweepData);
  setPhase('sweep', 'Trying k = 2…');
  worker.postMessage({ type: 'k-sweep', data: file.kind === 'csv' ? { ...file, bytes: file.bytes.slice(0) } : file, maxK, seed: Number(el.seed.value || 42) });
}

/** The settings a link carries, read from the form. */
function currentSettings() {
  return {
    sample: file?.sample, method: el.method.value, k: el.k.value, seed: el.seed.value, epochs: el.epochs.value,
    gamma: el.gamma.value, neighbours: el.neighbours.value, pixels: el.pixelDivisor.value, space: el.space.value, covariance: el.covariance.value, device: el.device.value,
    step: el.stepMode.checked ? '1' : '',
  };
}

function applySettings(settings) {
  const set = (input, value) => {
    if (value === undefined) return;
    if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) return;
    input.value = value;
  };
  set(el.method, settings.method);
  set(el.k, settings.k);
  set(el.seed, settings.seed);
  set(el.epochs, settings.epochs);
  set(el.gamma, settings.gamma);
  set(el.neighbours, settings.neighbours);
  set(el.pixelDivisor, settings.pixels);
  set(el.space, settings.space);
  set(el.covariance, settings.covariance);
  if (settings.step !== undefined) el.stepMode.checked = settings.step === '1';
  updateMethodUI();
}

function updateLink() {
  const hash = linkFor(currentSettings());
  el.shareLink.href = `${location.pathname}${hash}`;
  if (location.hash !== hash) replaceHash(hash);
}

function replaceHash(hash) {
  window.history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

function loadSample(name) {
  if (!name || running || sweeping) return;
  clearError();
  startLoading(`Loading the ${name} sample…`);
  worker.postMessage({ type: 'sample', name, seed: Number(el.seed.value || 42) });
}

function train() {
  if (!file || running) return;
  const settings = readSettings([el.method.value]);
  if (settings) startRun(el.method.value, settings);
}

function compareAll() {
  if (!file || running) return;
  // DCEC needs images; a table would only add an error row.
  const queue = [...el.method.options].map((o) => o.value).filter((m) => file.kind !== 'csv' || !METHODS[m].images);
  const settings = readSettings(queue);
  if (!settings) return;
  comparison = { queue, settings, done: 0, total: queue.length };
  el.compareBody.replaceChildren();
  nextComparison();
}

function nextComparison() {
  const method = comparison.queue.shift();
  if (method === undefined) {
    comparison = null;
    setRunning(false);
    setPhase('done', 'Comparison finished: see the table below.');
    return;
  }
  comparison.done = comparison.total - comparison.queue.length - 1;
  startRun(method, comparison.settings);
}

function cancel() {
  if (!running && !sweeping && !mapping) return;
  const wasTraining = running;
  comparison = null;
  sweeping = false;
  if (mapping) {
    mapping = false;
    el.view.value = 'pca';
    el.scatter.dataset.view = 'pca';
  }
  startWorker(); // terminating the worker is the only way to stop work already queued on the GPU
  setRunning(false);
  if (wasTraining && partial) {
    // The run had clusters: its last picture stays, and its clusters can be downloaded.
    setPhase('cancelled', 'Cancelled. The plot shows the run as it was; its clusters so far can be downloaded below. Earlier results are kept too.');
    worker.postMessage({ type: 'result-csv', data: file.kind === 'csv' ? { ...file, bytes: file.bytes.slice(0) } : file, labels: partial.labels, confidence: partial.confidence });
    return;
  }
  setPhase('cancelled', 'Cancelled. Earlier results are kept.');
  restoreLastResult();
}

// Wiring
const fromInput = (input) => [...input.files].map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
el.fileInput.addEventListener('change', () => loadEntries(fromInput(el.fileInput)));
el.folderInput.addEventListener('change', () => loadEntries(fromInput(el.folderInput)));
el.folderButton.addEventListener('click', (e) => { e.stopPropagation(); el.folderInput.click(); });
el.scatter.addEventListener('click', showPreview);
el.dropZone.addEventListener('click', (e) => {
  if (e.target !== el.fileInput && e.target !== el.folderButton && !running) el.fileInput.click();
});
el.dropZone.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && !running) { e.preventDefault(); el.fileInput.click(); }
});
for (const type of ['dragenter', 'dragover']) {
  el.dropZone.addEventListener(type, (e) => { e.preventDefault(); el.dropZone.classList.add('over'); });
}
el.dropZone.addEventListener('dragleave', () => el.dropZone.classList.remove('over'));
el.dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  el.dropZone.classList.remove('over');
  const items = [...(e.dataTransfer?.items ?? [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  // Folders need the entry API; plain files (and synthetic drops in tests) come as files.
  if (items.some((entry) => entry.isDirectory)) {
    Promise.all(items.map((entry) => walkEntry(entry))).then((lists) => loadEntries(lists.flat()))
      .catch((err) => showError(`The dropped folder could not be read (${err.message}).`));
  } else {
    loadEntries([...(e.dataTransfer?.files ?? [])].map((f) => ({ path: f.name, file: f })));
  }
});
el.labelSelect.addEventListener('change', () => {
  if (!file || file.kind !== 'csv') return;
  file.labelColumn = el.labelSelect.value;
  pending = file;
  worker.postMessage({ type: 'inspect', data: { ...file, bytes: file.bytes.slice(0) } });
});
el.loadModel.addEventListener('change', async () => {
  const f = el.loadModel.files[0];
  if (!f) return;
  let bytes;
  try { bytes = await readBytes(f); } catch (err) { showError(err.message); return; }
  loadedModel = { name: f.name, bytes };
  worker.postMessage({ type: 'load-model', name: f.name, bytes: bytes.slice(0) });
});
el.predictInput.addEventListener('change', async () => {
  const files = [...el.predictInput.files];
  if (files.length === 0 || !loadedModel) return;
  const intoMap = Boolean(mapXY && lastModel && sameBytes(lastModel, loadedModel.bytes));
  const message = { type: 'predict', model: loadedModel.bytes.slice(0), intoMap };
  const pictures = files.filter((f) => IMAGE_FILE.test(f.name));
  if (pictures.length > 0) {
    const labels = files.find((f) => /(^|\/)labels\.csv$/i.test(f.name));
    el.predictSummary.textContent = `Placing ${pictures.length} image${pictures.length === 1 ? '' : 's'}…`;
    worker.postMessage({
      ...message, name: pictures.length === 1 ? pictures[0].name : `${pictures.length} images`,
      images: pictures.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })),
      labelsCsv: labels ? await labels.text() : null,
    });
    return;
  }
  const f = files[0];
  let bytes;
  try { bytes = await readBytes(f); } catch (err) { showError(err.message); return; }
  el.predictSummary.textContent = `Placing the rows of ${f.name}…`;
  worker.postMessage({ ...message, name: f.name, bytes }, [bytes]);
});
el.device.addEventListener('change', () => { startWorker(); updateLink(); });
el.sample.addEventListener('change', () => loadSample(el.sample.value));
el.sweepButton.addEventListener('click', sweepK);
el.stepMode.addEventListener('change', () => {
  worker.postMessage({ type: 'step-mode', on: el.stepMode.checked });
  if (!el.stepMode.checked) { el.nextStep.disabled = true; }
  updateLink();
});
el.nextStep.addEventListener('click', () => {
  el.nextStep.disabled = true;
  setPhase('refine', 'Going on…');
  worker.postMessage({ type: 'next-step' });
});
el.timeline.addEventListener('input', () => showFrame(Number(el.timeline.value)));
el.view.addEventListener('change', () => (running ? showLiveView() : showView()));
for (const input of [el.method, el.k, el.seed, el.epochs, el.gamma, el.neighbours, el.pixelDivisor, el.space, el.covariance]) input.addEventListener('change', updateLink);
el.shareLink.addEventListener('click', (e) => {
  e.preventDefault();
  updateLink();
  const url = new URL(el.shareLink.href, location.href).href;
  navigator.clipboard?.writeText(url).then(
    () => setPhase(el.status.dataset.phase, 'Link copied: it opens this page with these settings.'),
    () => setPhase(el.status.dataset.phase, `Link: ${url}`),
  );
});
el.train.addEventListener('click', train);
el.compare.addEventListener('click', compareAll);
el.method.addEventListener('change', updateMethodUI);
el.cancel.addEventListener('click', cancel);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') cancel();
  // N for the next step, unless typing somewhere.
  if ((e.key === 'n' || e.key === 'N') && !el.nextStep.disabled && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '')) el.nextStep.click();
});

// uPlot draws its axes on a canvas: give them the page's text colour (light or dark theme).
const axisColour = () => getComputedStyle(document.body).color;
lossChart = new uPlot({
  width: 480, height: 260,
  scales: { x: { time: false } },
  axes: [{ label: 'step', stroke: axisColour() }, { label: 'loss', size: 60, stroke: axisColour() }],
  series: [{}, { label: 'pretrain (MSE)', stroke: '#2563eb' }, { label: 'refine (clustering loss)', stroke: '#dc2626' }],
}, lossData, el.lossPlot);

if (linkSettings?.device) el.device.value = linkSettings.device === 'cpu' ? 'cpu' : 'gpu';
// Offline use after the first visit (www/sw.js); a page opened from file:// simply goes without.
navigator.serviceWorker?.register('sw.js').catch(() => {});
offerLastResult();
updateMethodUI();
startWorker();
if (linkSettings) {
  applySettings(linkSettings);  // again once the sample is loaded: its classes set k
  if (linkSettings.seed) el.seed.value = linkSettings.seed;
  if (linkSettings.sample) loadSample(linkSettings.sample);
  else linkSettings = null;
}
