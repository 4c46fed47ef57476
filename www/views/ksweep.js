// Help me choose k: k-means for k = 2 … the limit in the worker, silhouette and inertia on a
// plot, and a button per k.
import { el, state, dataForWorker, setPhase, showError, clearError, errorText, isAbort, setRunning, axisColour } from '../state.js';
import { showParsing } from './data.js';
import { updateLink } from './link.js';

let chart = null;
let points = [[], [], []];

function chooseK(k) {
  el.k.value = String(k);
  for (const b of el.sweepChoices.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.k === String(k)));
  updateLink();
}

function onPoint({ k, inertia, silhouette, of, rows }) {
  points[0].push(k);
  points[1].push(Number.isFinite(silhouette) ? silhouette : null);
  points[2].push(inertia);
  chart.setData(points);
  el.progress.value = (k - 1) / (of - 1);
  const sampled = rows < state.file.rows ? ` (on a sample of ${rows} rows)` : '';
  setPhase('sweep', `Trying k = ${k} of 2…${of}${sampled}`);
}

function finished(suggested) {
  state.sweeping = false;
  setRunning(false);
  el.sweepPlot.dataset.suggestedK = suggested === null ? '' : String(suggested);
  el.sweepChoices.replaceChildren(...points[0].map((k) => {
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
}

function sweepK() {
  if (!state.file || state.running || state.sweeping) return;
  const maxK = Number(el.sweepMax.value);
  if (!Number.isInteger(maxK) || maxK < 3) {
    showError(`“up to k” must be a whole number of at least 3; “${el.sweepMax.value}” is not.`);
    el.sweepMax.focus();
    return;
  }
  clearError();
  state.sweeping = true;
  setRunning(false);
  points = [[], [], []];
  el.sweepChoices.replaceChildren();
  delete el.sweepPlot.dataset.suggestedK;
  el.sweepBox.hidden = false;
  chart ??= new uPlot({
    width: 480, height: 240,
    scales: { x: { time: false }, sil: {}, inertia: {} },
    axes: [{ label: 'k', stroke: axisColour() }, { scale: 'sil', label: 'silhouette', size: 60, stroke: axisColour() },
      { scale: 'inertia', side: 1, label: 'inertia', size: 70, grid: { show: false }, stroke: axisColour() }],
    series: [{}, { label: 'silhouette', scale: 'sil', stroke: '#2563eb', width: 2, points: { size: 7 } },
      { label: 'inertia', scale: 'inertia', stroke: '#9ca3af', dash: [6, 4], points: { size: 5 } }],
    hooks: { ready: [(u) => u.over.addEventListener('click', () => { const i = u.cursor.idx; if (i != null && points[0][i] !== undefined && !state.sweeping) chooseK(points[0][i]); })] },
  }, points, el.sweepPlot);
  chart.setData(points);
  setPhase('sweep', 'Trying k = 2…');
  state.session.sweepK(dataForWorker(), { maxK, seed: Number(el.seed.value || 42), onPoint, onParsing: showParsing }).then(finished, (err) => {
    if (isAbort(err)) return;
    state.sweeping = false;
    setRunning(false);
    setPhase('idle', 'Choosing k stopped with an error.');
    showError(`Choosing k: ${errorText(err)}`);
  });
}

export function wireKSweep() {
  el.sweepButton.addEventListener('click', sweepK);
}
