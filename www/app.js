// The UI thread: DOM, plots and messages to the worker. No maths happens here.
import { drawScatter } from './scatter.js';
import { METHODS } from './methods.js';

const $ = (id) => document.getElementById(id);
const el = {
  backend: $('backend'), dropZone: $('drop-zone'), fileInput: $('file-input'),
  fileSummary: $('file-summary'), fileInfo: $('file-info'), labelSelect: $('label-select'),
  fileWarnings: $('file-warnings'), k: $('k-input'), epochs: $('epochs-input'), seed: $('seed-input'),
  device: $('device-select'), train: $('train-button'), cancel: $('cancel-button'),
  status: $('status'), statusText: $('status-text'), progress: $('progress'), error: $('error'),
  scatter: $('scatter'), lossPlot: $('loss-plot'), summary: $('summary'), download: $('download-csv'),
  method: $('method-select'), methodHelp: $('method-help'), gamma: $('gamma-input'), space: $('space-select'),
  covariance: $('covariance-select'), compare: $('compare-button'), metrics: $('metrics'),
  metricAcc: $('metric-acc'), metricNmi: $('metric-nmi'), metricAri: $('metric-ari'), confusion: $('confusion'),
  compareBox: $('compare'), compareBody: document.querySelector('#compare-table tbody'),
};

// A running comparison: the methods still to train, and when the current one started.
let comparison = null;  // { queue: [method], current, startedAt }
let runMethod = 'dec';  // the method of the run in progress (or last finished)
let runStartedAt = 0;

// The loaded file; kept here so a new worker (after Cancel) can be given it again.
let file = null;        // { name, bytes: ArrayBuffer, labelColumn }
let pending = null;     // a file being checked, not yet accepted
let worker = null;
let running = false;
let lastResult = null;  // { xy, labels } of the last finished run, restored after cancel/error
let lossData = [[], [], []];
let lossChart = null;
let downloadUrl = null;

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
  el.train.disabled = on || !file;
  el.compare.disabled = on || !file;
  el.cancel.disabled = !on;
  for (const input of [el.k, el.epochs, el.seed, el.device, el.labelSelect, el.fileInput, el.method, el.gamma, el.space, el.covariance]) input.disabled = on;
  el.dropZone.setAttribute('aria-disabled', String(on));
}

function startWorker() {
  worker?.terminate();
  worker = new Worker('worker.js', { type: 'module' });
  worker.onmessage = ({ data }) => handlers[data.type]?.(data);
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
startWorker();
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
  if (lastResult) drawScatter(el.scatter, lastResult.xy, lastResult.labels);
  else drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0));
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
  backend({ text }) {
    el.backend.textContent = text;
    el.backend.dataset.kind = text.startsWith('WebGPU') ? 'gpu' : 'cpu';
  },

  inspected(s) {
    if (running) return; // the summary that starts a run; the file was checked already
    file = pending;
    pending = null;
    clearError();
    el.fileSummary.hidden = false;
    el.fileInfo.textContent = `${s.name}: ${s.rows} rows, ${s.cols} numeric columns used as features.`;
    el.labelSelect.replaceChildren(new Option('(none)', ''), ...s.columns.map((c) => new Option(c, c)));
    el.labelSelect.value = s.labelColumn;
    file.labelColumn = s.labelColumn;
    el.fileWarnings.replaceChildren(...s.warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
    if (s.nClasses >= 2) el.k.value = String(s.nClasses);
    el.train.disabled = false;
    el.compare.disabled = false;
    if (el.status.dataset.phase !== 'done') setPhase('idle', 'Ready: choose k and press Train.');
  },

  progress(p) {
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

  scatter({ xy, labels }) {
    drawScatter(el.scatter, xy, labels);
  },

  done(r) {
    if (comparison) {
      addCompareRow(runMethod, r.scores, r.warnings.join(' '));
    }
    setRunning(false);
    el.progress.value = 1;
    const xy = el.scatter.lastXY;
    lastResult = { xy, labels: r.labels };
    drawScatter(el.scatter, xy, r.labels);
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([r.csv], { type: 'text/csv' }));
    el.download.href = downloadUrl;
    el.download.download = `${file.name.replace(/\.[^.]*$/, '')}-clusters.csv`;
    el.download.hidden = false;
    const counts = new Array(r.k).fill(0);
    for (const l of r.labels) counts[l]++;
    const parts = [`${r.labels.length} rows in ${counts.filter((c) => c > 0).length} clusters (sizes ${counts.join(', ')}).`];
    parts[0] = `${METHODS[runMethod].title}: ${parts[0]}`;
    if (r.scores.length === 3) {
      const [acc, nmi, ari] = r.scores;
      parts.push(`Against the “${file.labelColumn}” column: ACC ${acc.toFixed(3)}, NMI ${nmi.toFixed(3)}, ARI ${ari.toFixed(3)}.`);
    }
    for (const w of r.warnings) parts.push(`Note: ${w}`);
    el.summary.textContent = parts.join(' ');
    showMetrics(r.scores, r.confusion, r.classNames, r.k);
    setPhase('done', `Done. ${parts[0]}`);
    if (comparison) nextComparison();
  },

  error(e) {
    if (e.during === 'train' || running) {
      failRun(`${e.name ?? 'Training'}: ${e.message}`);
    } else if (e.during === 'inspect') {
      const kept = file ? ` ${file.name} is still loaded.` : '';
      pending = null;
      showError(`${e.name}: ${e.message}${kept}`);
    } else {
      showError(e.message);
    }
  },
};

async function loadFile(f) {
  if (!f || running) return;
  clearError();
  let bytes;
  try {
    bytes = await f.arrayBuffer();
  } catch (err) {
    showError(`${f.name}: the file could not be read (${err.message}). Check that it still exists and try again.`);
    return;
  }
  pending = { name: f.name, bytes, labelColumn: undefined };
  worker.postMessage({ type: 'inspect', name: f.name, bytes: bytes.slice(0) });
}

function readSettings() {
  const k = Number(el.k.value);
  if (!Number.isInteger(k) || k < 2) {
    showError(`Clusters (k) must be a whole number of at least 2; “${el.k.value}” is not.`);
    el.k.focus();
    return;
  }
  const epochs = el.epochs.value === '' ? null : Number(el.epochs.value);
  if (epochs !== null && !(Number.isInteger(epochs) && epochs >= 1)) {
    showError('Pretraining epochs must be a whole number of at least 1, or empty for automatic.');
    el.epochs.focus();
    return;
  }
  const gamma = Number(el.gamma.value);
  if (!(gamma > 0 && Number.isFinite(gamma))) {
    showError('The clustering weight γ must be a positive number (the papers use 0.1).');
    el.gamma.focus();
    return null;
  }
  const seed = Number(el.seed.value || 42);
  return {
    k, epochs, gamma, seed: Number.isInteger(seed) && seed >= 0 ? seed : 42,
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
  setPhase('pretrain', `${phaseText('pretrain')}: starting…`);
  worker.postMessage({
    type: 'train', name: file.name, bytes: file.bytes.slice(0), labelColumn: file.labelColumn, method, ...settings,
  });
}

function train() {
  if (!file || running) return;
  const settings = readSettings();
  if (settings) startRun(el.method.value, settings);
}

function compareAll() {
  if (!file || running) return;
  const settings = readSettings();
  if (!settings) return;
  const queue = [...el.method.options].map((o) => o.value);
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
  if (!running) return;
  comparison = null;
  startWorker(); // terminating the worker is the only way to stop work already queued on the GPU
  setRunning(false);
  setPhase('cancelled', 'Cancelled. Earlier results are kept.');
  restoreLastResult();
}

// Wiring
el.fileInput.addEventListener('change', () => loadFile(el.fileInput.files[0]));
el.dropZone.addEventListener('click', (e) => { if (e.target !== el.fileInput && !running) el.fileInput.click(); });
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
  const files = [...(e.dataTransfer?.files ?? [])];
  if (files.length > 1) showError(`Drop one CSV file at a time (${files.length} were dropped); using ${files[0].name}.`);
  loadFile(files[0]);
});
el.labelSelect.addEventListener('change', () => {
  if (!file) return;
  file.labelColumn = el.labelSelect.value;
  pending = file;
  worker.postMessage({ type: 'inspect', name: file.name, bytes: file.bytes.slice(0), labelColumn: file.labelColumn });
});
el.device.addEventListener('change', startWorker);
el.train.addEventListener('click', train);
el.compare.addEventListener('click', compareAll);
el.method.addEventListener('change', updateMethodUI);
el.cancel.addEventListener('click', cancel);
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') cancel(); });

lossChart = new uPlot({
  width: 480, height: 260,
  scales: { x: { time: false } },
  axes: [{ label: 'step' }, { label: 'loss', size: 60 }],
  series: [{}, { label: 'pretrain (MSE)', stroke: '#2563eb' }, { label: 'refine (clustering loss)', stroke: '#dc2626' }],
}, lossData, el.lossPlot);

updateMethodUI();
startWorker();
