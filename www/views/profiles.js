// What sets each cluster of a table (or of series) apart: Rust's one-line description of every
// cluster, and a heatmap of clusters × columns (for series, each channel's level and movement)
// coloured by the standardised difference from all rows. Rust
// computes every number (lib/protocol.js, Profiles); the page only maps them to colours. Used
// for a finished run (3. Results) and for rows placed by a saved model (4.).
import { offerFile } from '../state.js';
import { colourOf } from '../scatter.js';

// Beyond two standard deviations a difference is plainly large: the colour stops there, so one
// extreme column does not wash out the rest.
const CLAMP = 2;

const make = (tag, props = {}) => Object.assign(document.createElement(tag), props);

/** Up to three significant digits, whole numbers from 1000 on: what a tooltip needs. */
function number(x) {
  if (!Number.isFinite(x)) return '–';
  return Math.abs(x) >= 1000 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

const percent = (share) => `${Math.round(share * 100)} %`;

function swatch(cluster) {
  const s = make('span', { className: 'swatch' });
  s.style.background = colourOf(cluster);
  s.setAttribute('aria-hidden', 'true');
  return s;
}

/** A cluster's numbers behind each heatmap column, for the cells' tooltips. */
function detailsOf(cluster, items) {
  const details = new Map();
  for (const n of cluster.numeric ?? []) details.set(n.feature, `mean ${number(n.mean)} against ${number(n.overall)} over all ${items}`);
  for (const c of cluster.categorical ?? []) {
    for (const s of c.shares) details.set(`${c.feature} = ${s.category}`, `${percent(s.share)} of the cluster against ${percent(s.overall)} of all ${items}`);
  }
  return details;
}

function descriptions(clusters, items) {
  const list = make('ol', { className: 'profile-list' });
  list.append(...clusters.map((c) => {
    const li = make('li');
    Object.assign(li.dataset, { cluster: String(c.cluster), size: String(c.size) });
    li.append(swatch(c.cluster), make('span', { className: 'description', textContent: c.description }),
      make('span', { className: 'share', textContent: ` (${percent(c.share)} of the ${items})` }));
    return li;
  }));
  return list;
}

function cellFor(z, cluster, column, detail) {
  const td = make('td');
  if (!Number.isFinite(z)) {
    td.textContent = '–';
    td.title = `Cluster ${cluster}, ${column}: no value`;
    return td;
  }
  const strength = Math.min(Math.abs(z), CLAMP) / CLAMP;
  const size = Math.abs(z).toFixed(1);
  td.textContent = size === '0.0' ? size : `${z > 0 ? '+' : '−'}${size}`;
  td.dataset.sign = z >= 0 ? 'high' : 'low';
  td.style.setProperty('--strength', strength.toFixed(3));
  if (strength > 0.6) td.dataset.dark = '';
  td.title = `Cluster ${cluster}, ${column}: ${detail ? `${detail}; ` : ''}difference ${z.toFixed(2)}`;
  return td;
}

// The most characters a column's header shows (what its 15rem fit at the heatmap's size).
const SHOWN = 28;

function heatmap(profiles, legendId) {
  const { clusters, heatmap: { columns, values }, items = 'rows' } = profiles;
  const table = make('table', { className: 'heatmap' });
  table.setAttribute('aria-describedby', legendId);
  table.setAttribute('aria-label', `Each cluster (a row) against all ${items}, column by column`);
  const head = make('tr');
  // Long names lose their middle, not their end: "Linear Acceleration x (m/s^2) level" and
  // "… movement" differ only there; a category column's name gives way to its category
  // ("favourite_pro… = Apples"), the only part that differs between its columns. The whole
  // name is the cell's tooltip.
  const shown = (c) => {
    if (c.length <= SHOWN) return c;
    const at = c.lastIndexOf(' = ');
    if (at < 0) return `${c.slice(0, SHOWN / 2)}…${c.slice(-(SHOWN / 2 - 1))}`;
    const [name, value] = [c.slice(0, at), c.slice(at + 3)];
    const kept = value.length > SHOWN / 2 ? `${value.slice(0, SHOWN / 2 - 1)}…` : value;
    const room = SHOWN - kept.length - 3;
    return name.length <= room ? `${name} = ${kept}` : `${name.slice(0, Math.max(room - 1, 4))}… = ${kept}`;
  };
  head.append(make('th', { scope: 'col', textContent: 'cluster' }), ...columns.map((c) => make('th', { scope: 'col', textContent: shown(c), title: c })));
  const rows = clusters.map((c, i) => {
    // One row of values per listed cluster; should Rust send one per cluster number instead
    // (empty ones included), the cluster's own row is taken.
    const row = (values.length === clusters.length ? values[i] : values[c.cluster]) ?? [];
    const details = detailsOf(c, items);
    const tr = make('tr');
    tr.dataset.cluster = String(c.cluster);
    const name = make('th', { scope: 'row' });
    name.append(swatch(c.cluster), `${c.cluster}`);
    tr.append(name, ...columns.map((column, j) => cellFor(row[j], c.cluster, column, details.get(column))));
    return tr;
  });
  table.append(make('thead'), make('tbody'));
  table.tHead.append(head);
  table.tBodies[0].append(...rows);
  return table;
}

function legend(measure, id, items) {
  const box = make('div', { className: 'heatmap-legend', id });
  const scale = make('span', { className: 'scale' });
  scale.setAttribute('aria-hidden', 'true');
  box.append(make('span', { textContent: `−${CLAMP} or less: lower than over all ${items}` }), scale,
    make('span', { textContent: `+${CLAMP} or more: higher` }),
    make('p', { className: 'hint', textContent: `Each cell: ${measure}. Colours stop at ±${CLAMP}; hover a cell for the cluster’s value.` }));
  return box;
}

/**
 * Shows `profiles` in `box` (a `.profiles` element with a `.profiles-body`), and `csv` for
 * download by `link` as `fileName`; nothing to show hides the box.
 */
export function showProfiles(box, link, profiles, csv, fileName) {
  if (!profiles?.clusters?.length) {
    hideProfiles(box, link);
    return;
  }
  const legendId = `${box.id}-legend`;
  const body = box.querySelector('.profiles-body');
  const scroll = make('div', { className: 'table-scroll' });
  scroll.append(heatmap(profiles, legendId));
  const items = profiles.items ?? 'rows';
  body.replaceChildren(descriptions(profiles.clusters, items), scroll, legend(profiles.measure, legendId, items));
  box.dataset.clusters = String(profiles.clusters.length);
  if (csv?.length) offerFile(link, csv, 'text/csv', fileName);
  else link.hidden = true;
  box.hidden = false;
}

export function hideProfiles(box, link) {
  box.hidden = true;
  box.dataset.clusters = '0';
  box.querySelector('.profiles-body').replaceChildren();
  link.hidden = true;
}
