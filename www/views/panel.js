// A cluster's panel in the galleries of pictures (results.js) and of series (series.js): a
// section with the cluster's colour swatch and a heading.
import { colourOf } from '../scatter.js';

/** `<section class="cluster-gallery {extra}">` headed "Cluster c: `what`". */
export function clusterPanel(cluster, what, extra = '') {
  const panel = document.createElement('section');
  panel.className = `cluster-gallery ${extra}`.trim();
  panel.dataset.cluster = String(cluster);
  const heading = document.createElement('h4');
  const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
  swatch.style.background = colourOf(cluster);
  heading.append(swatch, `Cluster ${cluster}: ${what}`);
  panel.append(heading);
  return panel;
}

/**
 * Adds a cluster's `typical` most confident members (`sorted`, most confident first), then up
 * to `doubtful` of its least confident when it has more, each drawn by `draw(index)`.
 */
export function appendConfident(panel, sorted, typical, doubtful, draw) {
  const most = sorted.slice(0, typical);
  const least = sorted.length > typical ? sorted.slice(-Math.min(doubtful, sorted.length - typical)) : [];
  panel.append(Object.assign(document.createElement('p'), { textContent: 'Most confident' }), ...most.map(draw));
  if (least.length) panel.append(Object.assign(document.createElement('p'), { textContent: 'Least confident' }), ...least.map(draw));
}
