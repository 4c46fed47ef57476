// 4. Use a saved model: load a .model file, then place new rows or pictures in its clusters,
// drawn into the scatter (over the training picture when it is the model just trained here).
import { el, state, showError, clearError, sourcedText, sentence, isAbort, sameBytes, offerFile, stemOf } from '../state.js';
import { drawScatter } from '../scatter.js';
import { captionFor } from './map.js';
import { IMAGE_FILE, readBytes, readNamed, partsName } from './data.js';
import { showProfiles, hideProfiles } from './profiles.js';

// Each kind of item a model places, one and many.
const ONE = { rows: 'row', images: 'image', series: 'series' };
const count = (n, unit) => `${n} ${n === 1 ? ONE[unit] ?? unit : unit}`;

// The latest prediction or model load: an answer to an earlier one is let go.
let ticket = 0;
const current = (mine, show) => (value) => { if (mine === ticket) show(value); };

function describe(m) {
  clearError();
  const input = m.channels
    ? `${m.side} × ${m.side} ${m.channels === 3 ? 'colour' : 'grayscale'} images`
    : m.length ? `series of ${m.seriesChannels} channel${m.seriesChannels === 1 ? '' : 's'} × ${m.length} points`
      : `${(m.columns ?? m.features).length} columns (${(m.columns ?? m.features).join(', ')})`;
  el.modelInfo.textContent = `${m.name}: ${state.methods[m.method]?.title ?? m.method}, k = ${m.k}, trained on ${input}.`
    + (m.channels ? ' Now choose new images (they are sized and coloured the same way).'
      : m.length ? ' Now choose new series: the archive\'s files (.ts, .arff, NAME_TEST.tsv) or CSV files, read as its training files were (a series in each row, a row per time step with the same id column, or one per file; channels found by their column names) and resampled and scaled the same way.'
        : ' Now choose a CSV of new rows.');
  el.predictInput.disabled = false;
  clearPlaced();
}

/** Takes away what the last prediction showed (its summary, download, profiles and diamonds),
 * so they are never taken for another model's or another file's; `message` says why. */
function clearPlaced(message = '') {
  state.placed = null;
  el.predictSummary.textContent = message;
  el.predictDownload.hidden = true;
  hideProfiles(el.predictProfiles, el.predictProfilesDownload);
  if (Number(el.scatter.dataset.placed) > 0) {
    // Back to this page's own run, in the view chosen, or to an empty plot.
    const { lastResult, mapXY } = state;
    const onMap = el.view.value === 'map' && mapXY;
    if (lastResult) drawScatter(el.scatter, onMap ? mapXY : lastResult.xy, lastResult.labels, onMap ? {} : { centres: lastResult.centres });
    else drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0));
    el.scatter.dataset.view = el.view.value;
    el.scatterCaption.textContent = captionFor(el.view.value);
  }
}

/** A choice of files this page refuses itself: said in both places, as the worker's are. */
function refuse(message) {
  showError(message);
  clearPlaced(`Not placed: ${sentence(message)}`);
}

function placed(p) {
  clearError();
  const { lastResult, lastModel, loadedModel, mapXY } = state;
  // Into the scatter: over the training picture when this is the model just trained there,
  // else alone in the model's own coordinates.
  if (p.xy.length) {
    const same = lastResult && lastModel && loadedModel && sameBytes(lastModel, loadedModel.bytes);
    // Kept for the View menu, which redraws this run's picture in either view.
    state.placed = same ? { xy: p.xy, mapXy: p.mapXy, labels: p.labels } : null;
    const placedOn = (xy) => ({ placed: { xy, labels: p.labels } });
    if (same && el.view.value === 'map' && mapXY && p.mapXy.length) drawScatter(el.scatter, mapXY, lastResult.labels, placedOn(p.mapXy));
    else if (same) drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres, ...placedOn(p.xy) });
    else if (p.mapBase.xy.length) {
      // Another run's model that kept its map: its training rows' map, with the new rows on it.
      drawScatter(el.scatter, p.mapBase.xy, p.mapBase.labels, placedOn(p.mapXy));
      el.scatter.dataset.view = 'map';
      el.scatterCaption.textContent = `The model's own 2-D map of the rows it was trained on, with the ${p.unit} of ${p.name} placed on it.`;
    } else {
      drawScatter(el.scatter, new Float32Array(0), new Uint32Array(0), placedOn(p.xy));
      el.scatterCaption.textContent = `The ${p.unit} of ${p.name} (diamonds) in the model's own 2-D picture, coloured by cluster; the model file keeps no picture of the rows it was trained on.`;
    }
  }
  const counts = new Array(p.k).fill(0);
  for (const l of p.labels) counts[l]++;
  // Several pictures are named by their count ("7 pictures"), which says nothing a summary or
  // a file name needs: "7 pictures: 6 images placed" when one could not be read.
  const counted = p.unit === 'images' && /^\d+ pictures$/.test(p.name);
  const from = counted ? '' : `${p.name}: `;
  let text = `${from}${count(p.labels.length, p.unit)} placed (cluster sizes ${counts.join(', ')}).`;
  if (p.skipped?.length) text += ` ${p.skipped.length} file${p.skipped.length === 1 ? '' : 's'} could not be read: ${p.skipped.map((x) => x.name).join(', ')}.`;
  // What preparing the rows did: missing cells filled, categories the model never saw.
  if (p.notes?.length) text += ` ${p.notes.map(sentence).join(' ')}`;
  if (p.scores.length === 3) text += ` Against its label column: ACC ${p.scores[0].toFixed(3)}, NMI ${p.scores[1].toFixed(3)}, ARI ${p.scores[2].toFixed(3)}.`;
  el.predictSummary.textContent = text;
  const stem = counted ? 'pictures' : stemOf(p.name);
  offerFile(el.predictDownload, p.csv, 'text/csv', `${stem}-predicted.csv`);
  // The new rows' clusters described as a run's are (pictures have none: the panel hides).
  el.predictProfiles.querySelector('h3').textContent = `The new ${p.unit}’ clusters: what sets each apart`;
  el.predictProfilesDownload.textContent = `Download profiles of the new ${p.unit} (CSV)`;
  showProfiles(el.predictProfiles, el.predictProfilesDownload, p.profiles, p.profilesCsv, `${stemOf(p.name)}-predicted-profiles.csv`);
}

function predictFailed(err) {
  if (isAbort(err)) return;
  // Said where the user is looking too, in place of the "Placing…" line.
  refuse(sourcedText(err));
}

async function loadModel() {
  const f = el.loadModel.files[0];
  if (!f) return;
  const mine = ++ticket;
  let bytes;
  try { bytes = await readBytes(f); } catch (err) { showError(err.message); return; }
  state.loadedModel = { name: f.name, bytes };
  state.session.describeModel(bytes, f.name).then(current(mine, (m) => {
    state.loadedModel.series = Boolean(m.length);
    describe(m);
  }), current(mine, (err) => {
    if (isAbort(err)) return;
    state.loadedModel = null;
    el.predictInput.disabled = true;
    el.modelInfo.textContent = '';
    clearPlaced();
    showError(`${sentence(sourcedText(err))} Choose a .model file downloaded from this page or saved by deepclust.`);
  }));
}

async function predict() {
  const files = [...el.predictInput.files];
  const { loadedModel, mapXY, lastModel } = state;
  if (files.length === 0 || !loadedModel) return;
  const mine = ++ticket;
  const [done, failed] = [current(mine, placed), current(mine, predictFailed)];
  const intoMap = Boolean(mapXY && lastModel && sameBytes(lastModel, loadedModel.bytes));
  const pictures = files.filter((f) => IMAGE_FILE.test(f.name));
  if (pictures.length > 0) {
    const labels = files.find((f) => /(^|\/)labels\.csv$/i.test(f.name));
    // Files chosen beside the pictures that are none (a readme) are said, not dropped silently.
    const others = files.filter((f) => !IMAGE_FILE.test(f.name) && f !== labels).map((f) => f.name);
    const said = others.length ? [`Not pictures, left out: ${others.join(', ')}`] : [];
    clearPlaced(`Placing ${count(pictures.length, 'images')}…`);
    state.session.predict(loadedModel.bytes, {
      name: pictures.length === 1 ? pictures[0].name : `${pictures.length} pictures`,
      images: pictures.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })),
      labelsCsv: labels ? await labels.text() : null,
      intoMap,
    }).then((p) => done({ ...p, notes: [...(p.notes ?? []), ...said] }), failed);
    return;
  }
  // A table model reads a UCR-named .tsv as rows, as the command line does; .ts and .arff are series only.
  if (loadedModel.series || files.some((f) => /\.(ts|arff)$/i.test(f.name))) {
    let series;
    try {
      series = await readNamed(files, (f) => f.webkitRelativePath || f.name);
    } catch (err) { refuse(err.message); return; }
    clearPlaced(`Placing ${files.length === 1 ? `the series of ${files[0].name}` : `${files.length} files of series`}…`);
    state.session.predict(loadedModel.bytes, { name: files.length === 1 ? files[0].name : `${files.length} files`, series, intoMap }).then(done, failed);
    return;
  }
  if (files.length > 1) {
    // The files of one table (X_test.txt with y_test.txt), joined as they were for training.
    const name = partsName(files.map((f) => f.name));
    if (!name) {
      refuse(`A model trained on a table places one CSV file at a time, or the parts of one table (named alike but for train or test, or X_test.txt with y_test.txt); ${files.length} files that are not one table were chosen.`);
      return;
    }
    let parts;
    try { parts = await readNamed(files, (f) => f.name); } catch (err) { refuse(err.message); return; }
    clearPlaced(`Placing the rows of ${name}…`);
    state.session.predict(loadedModel.bytes, { name, parts, intoMap }).then(done, failed);
    return;
  }
  const f = files[0];
  let bytes;
  try { bytes = await readBytes(f); } catch (err) { refuse(err.message); return; }
  clearPlaced(`Placing the rows of ${f.name}…`);
  state.session.predict(loadedModel.bytes, { name: f.name, bytes, intoMap }).then(done, failed);
}

export function wireModel() {
  el.loadModel.addEventListener('change', loadModel);
  el.predictInput.addEventListener('change', predict);
}
