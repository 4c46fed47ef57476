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

/**
 * Draws x0,y0,x1,y1… into the container's canvas; `labels` may be empty (no clusters yet).
 * `centres` (k × 2, same coordinates) are drawn as crosses, `placed` ({ xy, labels }: rows a
 * saved model placed later) as outlined diamonds.
 */
export function drawScatter(container, xy, labels, { centres = null, placed = null } = {}) {
  const canvas = container.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  // Canvas pixels per CSS pixel: marks keep their size on screen whatever the canvas's.
  const px = canvas.clientWidth ? width / canvas.clientWidth : 1;
  container.lastDraw = [xy, labels, { centres, placed }];
  ctx.clearRect(0, 0, width, height);
  const n = xy.length / 2;
  container.lastXY = xy;
  container.lastPlaced = placed ? placed.xy : null;
  container.lastLabels = labels;
  container.lastCentres = centres;
  container.dataset.points = String(n);
  container.dataset.centres = String(centres ? centres.length / 2 : 0);
  container.dataset.placed = String(placed ? placed.xy.length / 2 : 0);
  const all = [xy, centres, placed?.xy].filter((a) => a && a.length);
  if (all.length === 0) return;
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const a of all) {
    for (let i = 0; i < a.length; i += 2) {
      minX = Math.min(minX, a[i]); maxX = Math.max(maxX, a[i]);
      minY = Math.min(minY, a[i + 1]); maxY = Math.max(maxY, a[i + 1]);
    }
  }
  const pad = 12 * px;
  const sx = (width - 2 * pad) / ((maxX - minX) || 1);
  const sy = (height - 2 * pad) / ((maxY - minY) || 1);
  container.view = { minX, minY, sx, sy, pad, width, height };
  const at = (a, i) => [pad + (a[2 * i] - minX) * sx, height - pad - (a[2 * i + 1] - minY) * sy];
  // Points grow with the plot (up to twice at 1,400 CSS pixels wide), so a big screen or a
  // projector still shows them.
  const grow = Math.min(2, Math.max(1, width / px / 700));
  const r = (n > 5000 ? 1.5 : n > 1000 ? 2.5 : 3.5) * px * grow;
  ctx.globalAlpha = placed ? 0.35 : n > 5000 ? 0.6 : 0.85;
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = labels.length === n ? colourOf(labels[i]) : UNASSIGNED;
    const [x, y] = at(xy, i);
    ctx.fillRect(x - r / 2, y - r / 2, r, r);
  }
  ctx.globalAlpha = 1;
  if (placed) {
    ctx.lineWidth = 1.5 * px;
    ctx.strokeStyle = '#111827';
    const d = 5 * px;
    for (let i = 0; i < placed.xy.length / 2; i++) {
      const [x, y] = at(placed.xy, i);
      ctx.fillStyle = colourOf(placed.labels[i]);
      ctx.beginPath();
      ctx.moveTo(x, y - d); ctx.lineTo(x + d, y); ctx.lineTo(x, y + d); ctx.lineTo(x - d, y); ctx.closePath();
      ctx.fill(); ctx.stroke();
    }
  }
  if (centres) {
    const c = 8 * px;
    for (let j = 0; j < centres.length / 2; j++) {
      const [x, y] = at(centres, j);
      for (const [style, w] of [['#ffffff', 5], [colourOf(j), 2.5]]) {
        ctx.strokeStyle = style;
        ctx.lineWidth = w * px;
        ctx.beginPath();
        ctx.moveTo(x - c, y - c); ctx.lineTo(x + c, y + c);
        ctx.moveTo(x + c, y - c); ctx.lineTo(x - c, y + c);
        ctx.stroke();
      }
    }
  }
}

/**
 * Sizes the canvas to its box on the page (in device pixels) and redraws what it showed; for
 * the page's layout, which gives the plot the room there is.
 */
export function fitScatter(container) {
  const canvas = container.querySelector('canvas');
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (!width || !height || (canvas.width === width && canvas.height === height)) return;
  canvas.width = width;
  canvas.height = height;
  if (container.lastDraw) drawScatter(container, ...container.lastDraw);
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
  let bestD = (8 * canvas.width / (rect.width || canvas.width)) ** 2;
  for (let i = 0; i < xy.length / 2; i++) {
    const x = view.pad + (xy[2 * i] - view.minX) * view.sx;
    const y = view.height - view.pad - (xy[2 * i + 1] - view.minY) * view.sy;
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}
