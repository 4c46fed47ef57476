// What step-by-step mode says at a pause: the method's texts from the registry (Rust's
// cluster::registry and each method's folder), with the run's numbers filled in.
import { el, methodInfo, state } from '../state.js';

const fill = (text, info) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in info ? String(info[key]) : whole));

/**
 * `{ title, html }` for a pause. `event` is 'pretrained', 'initialised', 'update' or 'done';
 * `info` holds the numbers the texts name (changed, k, dim, neighbours, updates, reason).
 */
export function explain(event, method, info) {
  const texts = methodInfo(method).explain;
  // Series train a network of their own (convolutions along time, or a GRU), with its own words.
  const network = el.seriesNetwork.value === 'auto' ? state.series?.network : el.seriesNetwork.value;
  const seriesText = { gru: texts.pretrained_gru, 'conv-aligned': texts.pretrained_series_aligned }[network] ?? texts.pretrained_series;
  const pretrained = (state.series && seriesText) || texts.pretrained;
  const e = { pretrained, initialised: texts.initialised, update: texts.update, done: texts.finished }[event]
    ?? texts.initialised;
  const html = [`<p>${fill(e.text, info)}</p>`, ...e.formulas.map((f) => `<p class="formula">${f}</p>`)];
  if (e.after) html.push(`<p>${fill(e.after, info)}</p>`);
  return { title: fill(e.title, info), html: html.join('') };
}
