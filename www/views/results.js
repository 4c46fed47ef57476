// 3. Results: the scatter of the finished run, its summary and scores with the confusion
// matrix, galleries of pictures (or series, views/series.js) per cluster, downloads, and the
// last result kept in this browser (IndexedDB).
import { el, state, methodInfo, isPictures, setPhase, formatScore, offerFile, stemOf, sayWhoseResults, sentence } from '../state.js';
import { drawScatter, pointAt } from '../scatter.js';
import { saveLast, loadLast, forgetLast } from '../store.js';
import { showProfiles } from './profiles.js';
import { showSeriesGallery, seriesThumbnail } from './series.js';
import { clusterPanel, appendConfident } from './panel.js';

// The download helper lives in state.js (profiles.js needs it too); map.js still takes it from here.
export { offerFile };

export function restoreLastResult() {
  const { lastResult, mapXY } = state;
  if (lastResult && el.view.value === 'map' && mapXY) drawScatter(el.scatter, mapXY, lastResult.labels);
  else if (lastResult) drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres });
  else drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0));
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
  // Classes in their own order (1, 2, 10; a, b), not the order the file first showed them.
  const order = classNames.map((name, i) => ({ name, i })).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const rows = order.map(({ name, i }) => {
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

/** The result's CSV and (when there is one) its model as download links. */
function offerDownloads(name, method, k, csv, model) {
  const stem = stemOf(name);
  offerFile(el.download, csv, 'text/csv', `${stem}-clusters.csv`);
  if (model) offerFile(el.saveModel, model, 'application/octet-stream', `${stem}-${method}-k${k}.model`);
  el.saveModel.hidden = !model;
}

/** A table's clusters described (nothing for pictures, or a result kept before profiles existed). */
function offerProfiles(name, method, k, profiles, csv) {
  showProfiles(el.profiles, el.profilesDownload, profiles, csv, `${stemOf(name)}-${method}-k${k}-profiles.csv`);
}

function imageURL(index) {
  const { planes, side, channels } = state.pixels;
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
  const name = state.pixels.names[index];
  return Object.assign(document.createElement('img'), {
    src: imageURL(index), alt: name, title: `${name}: cluster ${cluster}, confidence ${confidence.toFixed(2)}`,
  });
}

const TYPICAL = 8;
const DOUBTFUL = 4;

/** One panel per non-empty cluster: its most confident members, then its least confident. */
function showGallery(labels, confidence, k, bands, differences) {
  if (state.series && bands) {
    showSeriesGallery(labels, confidence, k, bands, differences);
    return;
  }
  if (!state.pixels) {
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
    const panel = clusterPanel(cluster, `${idx.length} image${idx.length === 1 ? '' : 's'}`);
    appendConfident(panel, idx, TYPICAL, DOUBTFUL, (i) => thumbnail(i, cluster, confidence[i]));
    panels.push(panel);
  });
  el.gallery.replaceChildren(...panels);
  el.gallery.hidden = false;
}

function showPreview(event) {
  const { pixels, series, lastRun } = state;
  const names = pixels?.names ?? series?.names;
  // The pictures are the loaded data's; the clusters the shown results': only when they are
  // the same file's (not after another was loaded, nor for a run still going).
  const same = state.lastResult?.file === state.file?.name && lastRun?.labels.length === names?.length;
  if (!names || !lastRun || !same || state.running) {
    el.preview.hidden = true;
    return;
  }
  const i = pointAt(el.scatter, event);
  if (i < 0 || i >= names.length) return;
  const img = pixels ? thumbnail(i, lastRun.labels[i], lastRun.confidence[i])
    : seriesThumbnail(i, lastRun.labels[i], lastRun.confidence[i], [240, 80]);
  const text = Object.assign(document.createElement('span'), {
    textContent: `${names[i]}: cluster ${lastRun.labels[i]}, confidence ${lastRun.confidence[i].toFixed(2)}`,
  });
  el.preview.replaceChildren(img, text);
  el.preview.hidden = false;
}

export async function keepResult(result) {
  el.restoreBox.hidden = true;
  const failed = await saveLast(result);
  if (failed) el.fileWarnings.append(Object.assign(document.createElement('li'), { textContent: `This result could not be kept in the browser for later (${failed}); download it to keep it.` }));
}

/**
 * A finished run: its picture (the newest snapshot, `final`), summary, scores, downloads and
 * galleries; `keepMap` leaves a map view chosen during the run; `keep` stores the result in
 * the browser.
 */
export function showResult(r, { final, keepMap, keep }) {
  const { file } = state;
  el.progress.value = 1;
  const xy = final?.xy ?? el.scatter.lastXY;
  state.lastResult = { xy, labels: r.labels, centres: final?.centres ?? null, file: file.name, method: state.runMethod };
  state.placed = null;
  el.resultsFor.hidden = true;
  drawScatter(el.scatter, xy, r.labels, { centres: state.lastResult.centres });
  state.lastModel = r.model ? r.model.slice() : null;
  state.mapXY = null;
  if (keepMap && final?.map) drawScatter(el.scatter, final.map, r.labels);
  if (!keepMap) el.view.value = 'pca';
  el.view.disabled = false;
  el.scatter.dataset.view = el.view.value;
  offerDownloads(file.name, state.runMethod, r.k, r.csv, r.model);
  const counts = new Array(r.k).fill(0);
  for (const l of r.labels) counts[l]++;
  // Rows left out for missing cells are in the results file, without a cluster: say so.
  const left = file.kind === 'csv' && file.fileRows > r.labels.length ? ` (of the file's ${file.fileRows}; the rest had missing cells and have no cluster)` : '';
  const unit = file.kind === 'series' ? 'series' : isPictures(file) ? 'images' : 'rows';
  const parts = [`${methodInfo(state.runMethod).title}: ${r.labels.length} ${unit}${left} in ${counts.filter((c) => c > 0).length} clusters (sizes ${counts.join(', ')}).`];
  if (r.scores.length === 3) {
    const [acc, nmi, ari] = r.scores;
    parts.push(`Against the ${file.kind === 'csv' ? `“${file.labelColumn}” column` : 'known classes'}: ACC ${acc.toFixed(3)}, NMI ${nmi.toFixed(3)}, ARI ${ari.toFixed(3)}.`);
  }
  for (const w of r.warnings) parts.push(`Note: ${sentence(w)}`);
  el.summary.textContent = parts.join(' ');
  showMetrics(r.scores, r.confusion, r.classNames, r.k);
  offerProfiles(file.name, state.runMethod, r.k, r.profiles, r.profilesCsv);
  state.lastRun = { labels: r.labels, confidence: r.confidence };
  showGallery(r.labels, r.confidence, r.k, r.bands, r.differences);
  state.doneText = `Done. ${parts[0]}`;
  setPhase('done', state.doneText);
  if (keep) {
    state.kept = {
      name: file.name, method: state.runMethod, k: r.k, when: Date.now(), labels: r.labels, confidence: r.confidence,
      xy, centres: state.lastResult.centres, csv: r.csv, model: state.lastModel, scores: r.scores, confusion: r.confusion,
      classNames: r.classNames, summary: el.summary.textContent, hash: location.hash, profiles: r.profiles ?? null, profilesCsv: r.profilesCsv ?? null,
    };
    keepResult(state.kept);
  }
}

function restoreResult(last) {
  el.restoreBox.hidden = true;
  state.lastResult = { xy: last.xy, labels: last.labels, centres: last.centres, file: last.name, method: last.method };
  state.placed = null;
  state.doneText = null;
  state.lastRun = { labels: last.labels, confidence: last.confidence };
  state.lastModel = last.model;
  state.kept = last;
  state.mapXY = last.mapXY ?? null;  // a map fitted before the reload comes back with the result
  el.view.value = 'pca';
  el.view.disabled = false;
  drawScatter(el.scatter, last.xy, last.labels, { centres: last.centres });
  el.summary.textContent = last.summary;
  sayWhoseResults();
  showMetrics(last.scores, last.confusion, last.classNames, last.k);
  offerDownloads(last.name, last.method, last.k, last.csv, last.model);
  offerProfiles(last.name, last.method, last.k, last.profiles, last.profilesCsv);
  setPhase('done', `Restored: ${last.summary.split('. ')[0]}. Load its file again to train more.`);
}

/** Offers the result kept from an earlier visit. */
export async function offerLastResult() {
  const last = await loadLast();
  if (!last || state.lastResult) return;
  const when = new Date(last.when).toLocaleString();
  el.restoreText.textContent = `Your last result is kept in this browser: ${last.name}, ${state.methods[last.method]?.title ?? last.method}, k = ${last.k} (${when}).`;
  el.restoreBox.hidden = false;
  el.restoreButton.onclick = () => restoreResult(last);
  el.forgetButton.onclick = async () => {
    await forgetLast();
    el.restoreBox.hidden = true;
    setPhase(el.status.dataset.phase, 'The kept result was deleted from this browser.');
  };
}

export function wireResults() {
  el.scatter.addEventListener('click', showPreview);
}
