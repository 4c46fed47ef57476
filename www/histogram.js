// A small bar chart of values in 0..1 (confidences), with an optional earlier histogram as an
// outline so the eye sees the distribution move.

const BINS = 20;

function counts(values) {
  const c = new Array(BINS).fill(0);
  for (const v of values) c[Math.min(BINS - 1, Math.max(0, Math.floor(v * BINS)))]++;
  return c;
}

// Its size on the page, in CSS pixels; the canvas holds as many device pixels as the screen
// has (a projector or a zoomed page keeps it sharp).
const WIDTH = 360;
const HEIGHT = 150;

export function drawHistogram(canvas, values, earlier = null) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${WIDTH}px`;
  canvas.style.height = `${HEIGHT}px`;
  canvas.width = Math.round(WIDTH * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const [width, height] = [WIDTH, HEIGHT];
  ctx.clearRect(0, 0, width, height);
  const now = counts(values);
  const before = earlier ? counts(earlier) : null;
  const top = Math.max(1, ...now, ...(before ?? []));
  const axis = 18;
  // A line at the top for the count scale, clear of the bars.
  const head = 16;
  const w = width / BINS;
  const h = (n) => (height - axis - head) * (n / top);
  const fg = getComputedStyle(canvas).color || '#475569';
  ctx.fillStyle = '#2563eb';
  now.forEach((n, i) => ctx.fillRect(i * w + 1, height - axis - h(n), w - 2, h(n)));
  if (before) {
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 2;
    ctx.beginPath();
    before.forEach((n, i) => {
      const y = height - axis - h(n);
      if (i === 0) ctx.moveTo(0, y); else ctx.lineTo(i * w, y);
      ctx.lineTo((i + 1) * w, y);
    });
    ctx.stroke();
  }
  ctx.fillStyle = fg;
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText('0', 0, height - 4);
  ctx.fillText('0.5', width / 2 - 8, height - 4);
  ctx.fillText('1', width - 8, height - 4);
  // The count scale: how many points reach the top.
  ctx.fillText(`top: ${top} point${top === 1 ? '' : 's'}`, 0, 12);
  canvas.dataset.values = String(values.length);
}
