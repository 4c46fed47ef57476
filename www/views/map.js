// The scatter's two views: the principal components of the embedding, or a 2-D UMAP map of it,
// fitted in the worker after a run (or redrawn live while a small set trains).
import { el, state, setPhase, showError, errorText, isAbort, setRunning } from '../state.js';
import { drawScatter } from '../scatter.js';
import { offerFile, keepResult } from './results.js';
import { showFrame } from './training.js';

// Up to this many rows the map view is redrawn while a run trains (a neighbour search and a
// short layout each time); bigger sets get their map when the run finishes.
const LIVE_MAP_ROWS = 20000;
export const liveMapWanted = () => el.view.value === 'map' && Boolean(state.file) && state.file.rows <= LIVE_MAP_ROWS;

/** What the scatter's caption says in `view` ('pca' or 'map'). */
export function captionFor(view) {
  if (view === 'pca') return 'The learned embedding (first two principal components), coloured by cluster; crosses mark cluster centres. For images and series, click a point to see it.';
  if (!state.running) return 'A 2-D UMAP map of the embedding: points that are near neighbours there are near here; distances between far-apart groups mean little.';
  return liveMapWanted()
    ? 'A 2-D UMAP map of the embedding as it trains, redrawn every second or so (a fuller one is fitted when the run finishes).'
    : `The map is drawn when the run finishes: ${state.file.rows} rows are too many to redraw it while training (up to ${LIVE_MAP_ROWS}).`;
}

/** The view switched during a run: the worker starts or stops redrawing the live map. */
export function showLiveView() {
  el.scatter.dataset.view = el.view.value;
  el.scatterCaption.textContent = captionFor(el.view.value);
  state.run?.setLiveMap(liveMapWanted());
  showFrame(Number(el.timeline.value));
}

/** Cancelled while fitting: back to the principal components. */
export function stopMapping() {
  state.mapping = false;
  el.view.value = 'pca';
  el.scatter.dataset.view = 'pca';
}

/** The finished map went into the run's model: the download and the kept result get it. */
function modelWithMap(model) {
  state.lastModel = model.slice();
  offerFile(el.saveModel, model, 'application/octet-stream');
  el.saveModel.dataset.withMap = 'true';
  if (state.kept) {
    state.kept = { ...state.kept, model: state.lastModel, mapXY: state.mapXY };
    keepResult(state.kept);
  }
}

function fitMap() {
  state.mapping = true;
  setRunning(false);
  el.progress.value = 0;
  setPhase('map', 'Fitting the 2-D map: finding neighbours…');
  state.session.fitMap(Number(el.seed.value || 42), {
    onProgress: ({ progress, loss, xy }) => {
      el.progress.value = progress;
      setPhase('map', `Fitting the 2-D map: ${Math.round(progress * 100)}%, loss ${loss.toPrecision(4)}`);
      if (el.view.value === 'map' && state.lastResult) drawScatter(el.scatter, xy, state.lastResult.labels);
    },
    onMap: (xy) => {
      state.mapping = false;
      state.mapXY = xy;
      setRunning(false);
      el.progress.value = 1;
      // The run's own Done line stays: the map is said after it.
      setPhase('done', `${state.doneText ? `${state.doneText} ` : ''}The map is ready: neighbours in the embedding are neighbours here.`);
      if (el.view.value === 'map') showView();
    },
  }).then(modelWithMap, (err) => {
    if (isAbort(err)) return;
    state.mapping = false;
    setRunning(false);
    el.view.value = 'pca';
    showView();
    showError(`The map could not be drawn: ${errorText(err)}`);
  });
}

/** Draws the last result in the chosen view, fitting the map first if needed. */
export function showView() {
  const { lastResult } = state;
  if (!lastResult) return;
  const view = el.view.value;
  el.scatter.dataset.view = view;
  el.scatterCaption.textContent = captionFor(view);
  // Rows a model of this run placed stay drawn (diamonds) where the view has them.
  const placedOn = (xy) => (state.placed && xy?.length ? { placed: { xy, labels: state.placed.labels } } : {});
  if (view === 'pca') {
    drawScatter(el.scatter, lastResult.xy, lastResult.labels, { centres: lastResult.centres, ...placedOn(state.placed?.xy) });
  } else if (state.mapXY) {
    drawScatter(el.scatter, state.mapXY, lastResult.labels, placedOn(state.placed?.mapXy));
  } else if (!state.mapping) {
    fitMap();
  }
}
