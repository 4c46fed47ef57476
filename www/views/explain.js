// What step-by-step mode says at a pause: the method's texts from the registry (Rust's
// cluster::registry and each method's folder), with the run's numbers filled in.
import { methodInfo, state } from '../state.js';

const fill = (text, info) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in info ? String(info[key]) : whole));

/**
 * `{ title, html }` for a pause. `event` is 'pretrained', 'initialised', 'update' or 'done';
 * `info` holds the numbers the texts name (changed, k, dim, neighbours, updates, reason).
 */
export function explain(event, method, info) {
  const texts = methodInfo(method).explain;
  // Series train the network that convolves along time, which has its own words.
  const pretrained = (state.series && texts.pretrained_series) || texts.pretrained;
  const e = { pretrained, initialised: texts.initialised, update: texts.update, done: texts.finished }[event]
    ?? texts.initialised;
  const html = [`<p>${fill(e.text, info)}</p>`, ...e.formulas.map((f) => `<p class="formula">${f}</p>`)];
  if (e.after) html.push(`<p>${fill(e.after, info)}</p>`);
  return { title: fill(e.title, info), html: html.join('') };
}
