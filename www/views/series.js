// 3. Results, for time series: per cluster, each channel's mean with a band of one standard
// deviation (Rust's bands) and its most confident members drawn over it, then small pictures
// of the most and least confident series; a click on the scatter shows that series.
import { el, state } from '../state.js';
import { colourOf } from '../scatter.js';
import { clusterPanel, appendConfident } from './panel.js';

// More channels than this would make each cluster's panel a wall: the rest are named.
const SHOWN_CHANNELS = 6;
const MEMBERS_DRAWN = 3;
const TYPICAL = 6;
const DOUBTFUL = 3;
const CHANNEL_SHADES = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];
// Each channel's drawing range from the last gallery: thumbnails and previews share it, so
// a still recording looks still beside a busy one.
let ranges = null;

function canvas(width, height, label) {
  const c = document.createElement('canvas');
  // Sharp on high-density screens: drawn at the device's pixels, shown at CSS size.
  const ratio = window.devicePixelRatio || 1;
  c.width = Math.round(width * ratio);
  c.height = Math.round(height * ratio);
  c.style.width = `${width}px`;
  c.style.height = `${height}px`;
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  const ctx = c.getContext('2d');
  ctx.scale(ratio, ratio);
  return [c, ctx];
}

/** One series' channel `ch` as numbers. */
function valuesOf(i, ch) {
  const { values, channels, length } = state.series;
  const start = (i * channels + ch) * length;
  return values.subarray(start, start + length);
}

/** A line through `ys` across `width × height`, the value range `[lo, hi]` mapped to the height. */
function line(ctx, ys, width, height, lo, hi) {
  const span = hi - lo || 1;
  ctx.beginPath();
  ys.forEach((y, t) => {
    const px = (t / Math.max(1, ys.length - 1)) * width;
    const py = height - ((y - lo) / span) * height;
    if (t === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  });
  ctx.stroke();
}

/** Each channel's range over every cluster's band, so panels of one channel compare. */
function channelRanges(bands, k) {
  const { channels, length } = state.series;
  return Array.from({ length: channels }, (_, ch) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < k; c++) {
      for (let t = 0; t < length; t++) {
        const at = ((c * channels + ch) * length + t) * 2;
        const [mean, sd] = [bands[at], bands[at + 1]];
        if (Number.isNaN(mean)) continue;
        lo = Math.min(lo, mean - sd);
        hi = Math.max(hi, mean + sd);
      }
    }
    return Number.isFinite(lo) ? [lo, hi] : [0, 1];
  });
}

/** Cluster `c`'s channel `ch`: its band, its mean, and a few of its members, thin. */
function bandChart(bands, c, ch, range, members) {
  const { channels, length, channelNames } = state.series;
  const [w, h] = [150, 48];
  const [cv, ctx] = canvas(w, h, `cluster ${c}, ${channelNames[ch]}: mean and spread`);
  cv.className = 'series-band';
  const [lo, hi] = range;
  const at = (t) => ((c * channels + ch) * length + t) * 2;
  const y = (v) => h - ((v - lo) / (hi - lo || 1)) * h;
  ctx.fillStyle = colourOf(c);
  ctx.globalAlpha = 0.2;
  ctx.beginPath();
  for (let t = 0; t < length; t++) ctx.lineTo((t / (length - 1)) * w, y(bands[at(t)] + bands[at(t) + 1]));
  for (let t = length - 1; t >= 0; t--) ctx.lineTo((t / (length - 1)) * w, y(bands[at(t)] - bands[at(t) + 1]));
  ctx.fill();
  ctx.globalAlpha = 0.5;
  ctx.strokeStyle = '#555';
  ctx.lineWidth = 0.75;
  for (const i of members) line(ctx, valuesOf(i, ch), w, h, lo, hi);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colourOf(c);
  ctx.lineWidth = 2;
  line(ctx, Array.from({ length }, (_, t) => bands[at(t)]), w, h, lo, hi);
  const figure = document.createElement('figure');
  figure.append(cv, Object.assign(document.createElement('figcaption'), { textContent: channelNames[ch] }));
  return figure;
}

/** Series `i`, every channel (up to SHOWN_CHANNELS), small, on the gallery's ranges. */
export function seriesThumbnail(i, cluster, confidence, [w, h] = [96, 40]) {
  const { names, channels } = state.series;
  const text = `${names[i]}: cluster ${cluster}, confidence ${confidence.toFixed(2)}`;
  const [cv, ctx] = canvas(w, h, text);
  cv.className = 'series-thumb';
  cv.title = text;
  ctx.lineWidth = 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.clip();
  for (let ch = 0; ch < Math.min(channels, SHOWN_CHANNELS); ch++) {
    const [lo, hi] = ranges?.[ch] ?? [-3, 3];
    ctx.strokeStyle = CHANNEL_SHADES[ch % CHANNEL_SHADES.length];
    line(ctx, valuesOf(i, ch), w, h - 2, lo, hi);
  }
  ctx.restore();
  return cv;
}

/** One panel per non-empty cluster: each channel's band, then its most and least confident series. */
export function showSeriesGallery(labels, confidence, k, bands) {
  const { channels, channelNames } = state.series;
  ranges = channelRanges(bands, k);
  const members = Array.from({ length: k }, () => []);
  labels.forEach((l, i) => members[l].push(i));
  const panels = [];
  members.forEach((idx, cluster) => {
    if (idx.length === 0) return;
    idx.sort((a, b) => confidence[b] - confidence[a]);
    const panel = clusterPanel(cluster, `${idx.length} series`, 'series-gallery');
    const charts = document.createElement('div');
    charts.className = 'series-bands';
    const drawn = idx.slice(0, MEMBERS_DRAWN);
    for (let ch = 0; ch < Math.min(channels, SHOWN_CHANNELS); ch++) charts.append(bandChart(bands, cluster, ch, ranges[ch], drawn));
    panel.append(charts);
    if (channels > SHOWN_CHANNELS) {
      panel.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: `${channels - SHOWN_CHANNELS} more channels not drawn (${channelNames.slice(SHOWN_CHANNELS).join(', ')}).` }));
    }
    appendConfident(panel, idx, TYPICAL, DOUBTFUL, (i) => seriesThumbnail(i, cluster, confidence[i]));
    panels.push(panel);
  });
  el.gallery.replaceChildren(...panels);
  el.gallery.hidden = false;
}
