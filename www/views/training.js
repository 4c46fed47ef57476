// 2. Train: the method and its settings, the run (a Run of lib/deepclust.js) with its progress
// line, loss curve, live snapshots and timeline, step-by-step mode with explanations, Cancel,
// and a lost GPU.
import { el, state, methodInfo, dataForWorker, setPhase, showError, clearError, errorText, setRunning, restartWorker, formatTime, axisColour } from '../state.js';
import { drawScatter } from '../scatter.js';
import { explain } from './explain.js';
import { drawHistogram } from '../histogram.js';
import { showParsing } from './data.js';
import { showResult, restoreLastResult } from './results.js';
import { liveMapWanted, showLiveView, showView, stopMapping } from './map.js';
import { addCompareRow, nextComparison } from './comparison.js';
import { updateLink } from './link.js';

export function updateMethodUI() {
  const m = methodInfo(el.method.value);
  if (!m) return;  // the registry is on its way
  el.methodHelp.textContent = m.help;
  for (const label of document.querySelectorAll('label[data-for]')) {
    label.hidden = !m.settings.includes(label.dataset.for);
  }
}

function phaseText(phase) {
  const m = methodInfo(state.runMethod);
  const { comparison } = state;
  const who = comparison ? `${m.title} (${comparison.done + 1} of ${comparison.total}): ` : '';
  const text = {
    pretrain: 'Pretraining the autoencoder',
    init: m.baseline ? `Clustering with ${m.title}` : 'Finding initial clusters with k-means',
    refine: `Refining clusters (${m.loss})`,
    done: 'Done',
  }[phase];
  return who + text;
}

/**
 * The settings for a run of `methods`, as typed: Rust reads and checks them and its message is
 * the one shown. A setting none of them uses is left out, so a bad value left in a hidden field
 * never blocks a method that does not use it; an empty field takes the default for the data.
 */
export function readSettings(methods) {
  const uses = (setting) => methods.some((m) => methodInfo(m).settings.includes(setting));
  return {
    k: el.k.value,
    epochs: el.epochs.value,
    seed: el.seed.value,
    gamma: uses('gamma') ? el.gamma.value : undefined,
    neighbours: uses('neighbours') ? el.neighbours.value : undefined,
    pixelDivisor: el.pixelDivisor.value,
    embeddingSpace: el.space.value === 'embedding',
    fullCovariance: el.covariance.value === 'full',
    seriesNetwork: state.series && el.seriesNetwork.value !== 'auto' ? el.seriesNetwork.value : undefined,
  };
}

// How many snapshots the timeline keeps: all of a small set's, fewer of a big one's (memory).
function historyLimit(points) {
  return Math.max(10, Math.min(150, Math.floor(4e6 / Math.max(1, points))));
}

export function showFrame(i) {
  const f = state.frames[i];
  if (!f) return;
  // A frame without a live map is drawn on the finished run's map (fitted after it, so never
  // while a run goes on): its clusters where the map put the points.
  const map = f.map ?? (!state.running && state.mapXY?.length === f.xy.length ? state.mapXY : null);
  const onMap = el.view.value === 'map' && Boolean(map);
  if (onMap) drawScatter(el.scatter, map, f.labels);
  else drawScatter(el.scatter, f.xy, f.labels, { centres: f.centres });
  el.scatter.dataset.frame = onMap ? 'map' : 'pca';
  el.timelineText.textContent = f.text;
  el.timeline.setAttribute('aria-valuetext', f.text);
}

function frameText(phase, epoch, updates) {
  if (phase === 'pretrain') return epoch > 0 ? `pretraining, epoch ${epoch}` : 'pretraining, start';
  if (phase === 'init') return 'pretraining finished';
  // Methods with updates (DEC's targets, hardreg's labels…) count them; N2D's layout, epochs.
  if (phase === 'refine') return updates > 0 && methodInfo(state.runMethod).explain.update ? `refining, after update ${updates}` : `refining, epoch ${epoch + 1}`;
  return 'final';
}

function showExplanation(title, html) {
  el.explainTitle.textContent = title;
  el.explainBody.innerHTML = html;  // constant texts from the method registry, never data
  el.explain.hidden = false;
}

function onProgress(p) {
  el.status.dataset.wasmMemory = String(p.wasmBytes);
  const pct = Math.round(p.progress * 100);
  el.progress.value = p.progress;
  const epoch = p.epochs ? `, epoch ${Math.min(p.epoch + 1, p.epochs)} of ${p.epochs}` : '';
  const loss = Number.isFinite(p.loss) ? `, loss ${p.loss.toPrecision(4)}` : '';
  const changed = Number.isFinite(p.changed) && p.phase !== 'pretrain' ? `, ${(p.changed * 100).toFixed(2)}% changed cluster` : '';
  // DEC, IDEC and DCEC stop refining once clusters settle, often well before their last epoch.
  const about = p.progressBound ? 'up to about' : 'about';
  const left = p.progress > 0.02 && p.phase !== 'done' ? `, ${about} ${formatTime(p.elapsedMs * (1 - p.progress) / p.progress)} left` : '';
  if (p.phase !== 'done') setPhase(p.phase, `${phaseText(p.phase)}${epoch}${loss}${changed} (${pct}%${left})`);
  if (Number.isFinite(p.loss)) {
    el.lossPlot.parentElement.hidden = false;  // shown once there is a loss: the baselines have none
    const { lossData } = state;
    lossData[0].push(lossData[0].length);
    lossData[1].push(p.phase === 'pretrain' ? p.loss : null);
    lossData[2].push(p.phase === 'refine' ? p.loss : null);
    state.lossChart?.setData(lossData);
  }
}

function onSnapshot({ xy, labels, centres, confidence, mapXy, phase, epoch, updates }) {
  // Between live map redraws a frame keeps the last map (same rows, newer labels).
  const lastMap = state.frames.at(-1)?.map;
  const map = mapXy.length ? mapXy : (lastMap?.length === xy.length ? lastMap : null);
  const frame = { xy, labels, centres: centres.length ? centres : null, map, text: frameText(phase, epoch, updates) };
  if (state.running && labels.length && confidence.length === labels.length) state.partial = { labels, confidence };
  const following = Number(el.timeline.value) >= state.frames.length - 1;
  state.frames.push(frame);
  // Over the limit, every other frame goes: the replay keeps its whole span, more coarsely.
  if (state.frames.length > historyLimit(xy.length / 2)) state.frames = state.frames.filter((_, i, all) => i % 2 === 0 || i === all.length - 1);
  el.timeline.max = String(state.frames.length - 1);
  el.timelineRow.hidden = state.frames.length < 2;
  if (following || state.running) {
    el.timeline.value = String(state.frames.length - 1);
    showFrame(state.frames.length - 1);
  }
  if (confidence.length && phase === 'refine') {
    state.firstConfidence ??= confidence;
    drawHistogram(el.histogram, confidence, state.firstConfidence);
    el.confidenceFigure.hidden = false;
  }
}

function onPaused({ event, updates, changed, epoch, epochs, k, dim, neighbours }) {
  const changedText = Number.isFinite(changed) ? `${(changed * 100).toFixed(2)}%` : 'none';
  const { title, html } = explain(event, state.runMethod, { updates, changed: changedText, k, dim, neighbours });
  showExplanation(title, html);
  // How far refinement has come, so a class knows how many pauses are left.
  const where = event === 'update' && epochs ? ` (refining, epoch ${Math.min(epoch + 1, epochs)} of ${epochs})` : '';
  setPhase('paused', `Paused: ${title.toLowerCase()}${where}. Press Next step to go on.`);
  el.nextStep.disabled = false;
  el.nextStep.focus();
  // The explanation sits under the Next step button, the plots beside it (or below, on a
  // narrow screen): brought into view at each pause.
  el.explain.scrollIntoView({ block: 'nearest' });
}

function finished(r) {
  const { comparison } = state;
  // Where the time went, for benchmarks (bench/images-bench.mjs prints it).
  const { stepsMs, snapshotsMs } = r.timing;
  el.status.dataset.stepsMs = String(Math.round(Object.values(stepsMs).reduce((a, b) => a + b, 0)));
  el.status.dataset.snapshotsMs = String(Math.round(snapshotsMs));
  if (comparison) addCompareRow(state.runMethod, r.scores, r.warnings.join(' '));
  setRunning(false);
  el.timeline.value = el.timeline.max;
  // A map view chosen during the run stays: its full map is fitted below, from the live one.
  const keepMap = el.view.value === 'map' && !comparison;
  if (el.stepMode.checked && !comparison) {
    const baseline = methodInfo(state.runMethod).baseline;
    const why = r.stopped
      ?? (baseline ? 'this baseline clusters in one go (after pretraining its autoencoder, when it clusters an embedding), so its clustering had no steps to pause at (choose a deep method, such as DEC, to see them)' : 'the planned epochs ran');
    const reason = [why, ...r.warnings].map((w) => w.replace(/\.$/, '')).join('; ');
    const { title, html } = explain('done', state.runMethod, { reason });
    showExplanation(title, html);
    if (state.frames.length > 1) el.explainBody.insertAdjacentHTML('beforeend', '<p>Drag <em>Replay the embedding</em>, under the plot, to see again how the points and the centres moved.</p>');
  } else {
    // Step mode switched off during the run: its last pause's text no longer applies.
    el.explain.hidden = true;
  }
  showResult(r, { final: state.frames.at(-1), keepMap, keep: !comparison });
  if (keepMap) showView();
  if (comparison) nextComparison();
}

/** The run in progress failed (or the worker stopped): say so, keep earlier results. */
export function failRun(message) {
  state.run = null;
  if (state.comparison) {
    // One method failing does not stop the comparison: note it and go on.
    addCompareRow(state.runMethod, null, message);
    updateMethodUI();
    restartWorker(); // a failed wasm instance may be unusable: start clean
    nextComparison();
    return;
  }
  showError(message);
  if (state.running) {
    setRunning(false);
    setPhase('error', 'Training stopped with an error.');
    restoreLastResult();
    restartWorker(); // a failed wasm instance may be unusable: start clean
  }
}

export function startRun(method, settings) {
  clearError();
  setRunning(true);
  state.runMethod = method;
  state.runStartedAt = performance.now();
  state.lossData = [[], [], []];
  state.lossChart?.setData(state.lossData);
  el.lossPlot.parentElement.hidden = true;
  el.progress.value = 0;
  state.frames = [];
  state.firstConfidence = null;
  state.partial = null;
  el.partialDownload.hidden = true;
  el.timelineRow.hidden = true;
  el.confidenceFigure.hidden = true;
  el.explain.hidden = true;
  el.preview.hidden = true;
  setPhase('pretrain', `${phaseText('pretrain')}: starting…`);
  const run = state.session.train(dataForWorker(), {
    method, ...settings, stepMode: el.stepMode.checked && !state.comparison, liveMap: liveMapWanted(),
    watched: !document.hidden,
  });
  state.run = run;
  // A replaced run's last events may still come: only the current one is heard.
  const on = (name, handle) => run.addEventListener(name, (e) => { if (run === state.run) handle(e.detail); });
  on('parsing', showParsing);
  on('progress', onProgress);
  on('snapshot', onSnapshot);
  on('paused', onPaused);
  run.result.then(
    (r) => { if (run === state.run) { state.run = null; finished(r); } },
    (err) => { if (run === state.run) failRun(`${err.source ?? 'Training'}: ${errorText(err)}`); },
  );
}

function train() {
  if (!state.file || state.running) return;
  const settings = readSettings([el.method.value]);
  if (settings) startRun(el.method.value, settings);
}

function cancel() {
  if (!state.running && !state.sweeping && !state.mapping) return;
  const wasTraining = state.running;
  state.comparison = null;
  state.sweeping = false;
  state.run = null;
  if (state.mapping) stopMapping();
  restartWorker(); // terminating the worker is the only way to stop work already queued on the GPU
  setRunning(false);
  if (wasTraining && state.partial) {
    // The run had clusters: its last picture stays, and its clusters can be downloaded.
    setPhase('cancelled', 'Cancelled. The plot shows the run as it was; its clusters so far can be downloaded below. Earlier results are kept too.');
    const { file } = state;
    state.session.resultCsv(dataForWorker(), state.partial.labels, state.partial.confidence).then((csv) => {
      if (el.partialDownload.href) URL.revokeObjectURL(el.partialDownload.href);
      el.partialDownload.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      el.partialDownload.download = `${file.name.replace(/\.[^.]*$/, '')}-clusters-when-cancelled.csv`;
      el.partialDownload.hidden = false;
    }, (err) => { if (err.name !== 'AbortError') showError(errorText(err)); });
    return;
  }
  setPhase('cancelled', 'Cancelled. Earlier results are kept.');
  restoreLastResult();
}

/** The GPU went away: the run goes on on the CPU (the session resumed it from its last checkpoint). */
function deviceLost({ reason, message, run, resumedFrom }) {
  const why = message || reason || 'no reason given';
  el.device.value = 'cpu';  // this page's GPU is gone: later runs use the CPU too
  el.backend.textContent = 'Checking for WebGPU…';
  el.deviceNotice.hidden = false;
  if (!state.running || !run || run !== state.run) {
    el.deviceNotice.textContent = `The GPU stopped working (${why}). Training will use the CPU from now on.`;
    return;
  }
  const from = resumedFrom ? `from ${resumedFrom}` : 'from the start';
  el.deviceNotice.textContent = `The GPU stopped working (${why}). Training goes on on the CPU ${from}; it is slower there, nothing else changes.`;
  el.deviceNotice.dataset.resumedFrom = resumedFrom ?? '';
  state.frames = [];
}

export function wireTraining() {
  const { session } = state;
  session.addEventListener('devicelost', (e) => deviceLost(e.detail));
  session.addEventListener('crash', (e) => {
    failRun(`The training worker stopped unexpectedly (${e.detail.message}). Your earlier results are kept; press Train to try again.`);
  });
  el.train.addEventListener('click', train);
  el.cancel.addEventListener('click', cancel);
  // In a hidden tab the run skips the pictures nobody sees; shown again, the next one comes at once.
  document.addEventListener('visibilitychange', () => state.run?.setWatched(!document.hidden));
  el.method.addEventListener('change', updateMethodUI);
  el.stepMode.addEventListener('change', () => {
    // Step-by-step mode teaches with DEC unless a method was picked; off again, the data's default.
    if (!state.running && !state.methodChosen && state.methods.dec) {
      el.method.value = el.stepMode.checked ? 'dec' : (state.defaultMethod ?? el.method.value);
      updateMethodUI();
    }
    state.run?.setStepMode(el.stepMode.checked);
    if (!el.stepMode.checked) el.nextStep.disabled = true;
    updateLink();
  });
  el.nextStep.addEventListener('click', () => {
    el.nextStep.disabled = true;
    setPhase('refine', 'Going on…');
    state.run?.next();
  });
  el.timeline.addEventListener('input', () => showFrame(Number(el.timeline.value)));
  el.view.addEventListener('change', () => (state.running ? showLiveView() : showView()));
  el.device.addEventListener('change', () => { restartWorker(); updateLink(); });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) cancel();
    // N for the next step, unless typing somewhere.
    if ((e.key === 'n' || e.key === 'N') && !el.nextStep.disabled && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '')) el.nextStep.click();
  });
  state.lossChart = new uPlot({
    width: 480, height: 260,
    scales: { x: { time: false } },
    axes: [{ label: 'step', stroke: axisColour() }, { label: 'loss', size: 60, stroke: axisColour() }],
    series: [{}, { label: 'pretrain (MSE)', stroke: '#2563eb' }, { label: 'refine (clustering loss)', stroke: '#dc2626' }],
  }, state.lossData, el.lossPlot);
  // One picture with its caption as its name: the legend's live value table says nothing read aloud.
  el.lossPlot.setAttribute('role', 'img');
  el.lossPlot.setAttribute('aria-labelledby', 'loss-caption');
  el.lossPlot.querySelector('.u-legend')?.setAttribute('aria-hidden', 'true');
}
