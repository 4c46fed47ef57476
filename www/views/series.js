// 3. Results, for time series: how the channels tell the clusters apart (Rust's differences),
// then per cluster each channel's mean with a band of one standard deviation (Rust's bands)
// and its most confident members drawn over it, then small pictures of the most and least
// confident series; a click on the scatter shows that series.
import { el, state } from '../state.js';
import { colourOf } from '../scatter.js';
import { clusterPanel, appendConfident } from './panel.js';

// More channels than this would make each cluster's panel a wall: those that tell the
// clusters apart best are drawn, and as many are named in the line above the panels.
const SHOWN_CHANNELS = 6;
const MEMBERS_DRAWN = 3;
const TYPICAL = 6;
const DOUBTFUL = 3;
const CHANNEL_SHADES = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];
// The last gallery's choices, kept on the loaded series (a new file starts afresh): `ranges`,
// each channel's drawing range, shared by thumbnails and previews so a still recording looks
// still beside a busy one; `shown`, the channels drawn, in order (until a gallery picks, the
// first SHOWN_CHANNELS).
const drawnChannels = () => state.series.shown ?? [...Array(Math.min(state.series.channels, SHOWN_CHANNELS)).keys()];

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

/** Series `i`, the channels the gallery draws, small, on the gallery's ranges. */
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
  drawnChannels().forEach((ch, n) => {
    const [lo, hi] = state.series.ranges?.[ch] ?? [-3, 3];
    ctx.strokeStyle = CHANNEL_SHADES[n % CHANNEL_SHADES.length];
    line(ctx, valuesOf(i, ch), w, h - 2, lo, hi);
  });
  ctx.restore();
  return cv;
}

/**
 * With several channels, a line saying how those that tell the clusters apart best do so
 * (`differences`: Rust's, most first); with more than SHOWN_CHANNELS, the channels drawn are
 * the first SHOWN_CHANNELS of that order, else all in the file's order.
 */
function channelsLine(differences) {
  const { channels } = state.series;
  const byFile = [...Array(channels).keys()];
  if (channels === 1 || differences?.channels.length !== channels) {
    state.series.shown = byFile.slice(0, SHOWN_CHANNELS);
    return [];
  }
  state.series.shown = channels > SHOWN_CHANNELS ? differences.channels.slice(0, SHOWN_CHANNELS).map((d) => d.channel) : byFile;
  const rest = channels > SHOWN_CHANNELS
    ? ` The panels draw the ${SHOWN_CHANNELS} channels that differ most; the other ${channels - SHOWN_CHANNELS} differ less.` : '';
  const text = differences.text;
  const p = Object.assign(document.createElement('p'), {
    className: 'hint series-separation',
    textContent: `${text[0].toUpperCase()}${text.slice(1)}.${rest}`,
  });
  return [p];
}

/** One panel per non-empty cluster: each drawn channel's band, then its most and least confident series. */
export function showSeriesGallery(labels, confidence, k, bands, differences) {
  const ranges = channelRanges(bands, k);
  state.series.ranges = ranges;
  const lead = channelsLine(differences);
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
    for (const ch of state.series.shown) charts.append(bandChart(bands, cluster, ch, ranges[ch], drawn));
    panel.append(charts);
    appendConfident(panel, idx, TYPICAL, DOUBTFUL, (i) => seriesThumbnail(i, cluster, confidence[i]));
    panels.push(panel);
  });
  el.gallery.replaceChildren(...lead, ...panels);
  el.gallery.hidden = false;
}
