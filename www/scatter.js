// A canvas scatter plot: tens of thousands of points redraw in a few milliseconds, which a
// DOM- or SVG-based chart cannot do for a live view.

// Tableau 20: distinguishable colours for up to 20 clusters; beyond that they repeat.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#bab0ac', '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8',
  '#fabfd2', '#d7b5a6', '#79706e'];
const UNASSIGNED = '#9ca3af';

export function colourOf(cluster) {
  return PALETTE[cluster % PALETTE.length];
}

/** Draws x0,y0,x1,y1… into the container's canvas; `labels` may be empty (no clusters yet). */
export function drawScatter(container, xy, labels) {
  const canvas = container.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const n = xy.length / 2;
  container.lastXY = xy;
  container.dataset.points = String(n);
  if (n === 0) return;
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xy[2 * i]); maxX = Math.max(maxX, xy[2 * i]);
    minY = Math.min(minY, xy[2 * i + 1]); maxY = Math.max(maxY, xy[2 * i + 1]);
  }
  const pad = 12;
  const sx = (width - 2 * pad) / ((maxX - minX) || 1);
  const sy = (height - 2 * pad) / ((maxY - minY) || 1);
  container.view = { minX, minY, sx, sy, pad, width, height };
  const r = n > 5000 ? 1.5 : n > 1000 ? 2.5 : 3.5;
  ctx.globalAlpha = n > 5000 ? 0.6 : 0.85;
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = labels.length === n ? colourOf(labels[i]) : UNASSIGNED;
    const x = pad + (xy[2 * i] - minX) * sx;
    const y = height - pad - (xy[2 * i + 1] - minY) * sy;
    ctx.fillRect(x - r / 2, y - r / 2, r, r);
  }
  ctx.globalAlpha = 1;
}

/** Index of the point nearest to a mouse event on the plot (within 8 px), or −1. */
export function pointAt(container, event) {
  const canvas = container.querySelector('canvas');
  const { lastXY: xy, view } = container;
  if (!xy || !view) return -1;
  const rect = canvas.getBoundingClientRect();
  const px = (event.clientX - rect.left) * (canvas.width / rect.width);
  const py = (event.clientY - rect.top) * (canvas.height / rect.height);
  let best = -1;
  let bestD = 64;
  for (let i = 0; i < xy.length / 2; i++) {
    const x = view.pad + (xy[2 * i] - view.minX) * view.sx;
    const y = view.height - view.pad - (xy[2 * i + 1] - view.minY) * view.sy;
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}
