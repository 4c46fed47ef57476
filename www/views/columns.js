// 1. Data, for a CSV: one row per column with what Rust made of it (its kind, its missing
// cells, why it got its role) and a menu to change the role; beside it how missing cells are
// handled and how columns are scaled. The page decides nothing about columns itself: every
// change goes back to the worker as table options and the file is read again.
import { el, state } from '../state.js';

const ROLES = [['feature', 'feature'], ['label', 'label (only to score)'], ['ignored', 'ignored'],
  ['series', 'series id (rows are time steps)'], ['time', 'time or order (series)']];
// With a series id the other columns are channels; with a series in each row they are its
// time steps and the id names the series (there is no time column): the menus say so.
const MODE_ROLES = {
  table: {},
  long: { feature: 'channel' },
  wide: { feature: 'time step', series: 'series name', time: null },
};
// The kinds Rust turns into features. A label that gives way to another column goes back to
// being a feature only if it is one of these; anything else (an identifier, a date, free
// text) would be refused or meaningless as a feature, so it is ignored instead.
const FEATURE_KINDS = new Set(['numeric', 'categorical']);
// Long tables (the digits sample's 64 pixel columns) start folded when every column is a
// plain numeric feature: there is nothing in them to decide.
const UNFOLDED = 20;
const SCALING_NAMES = { standard: 'z-score each column', shared: 'one scale for all columns' };

let reread = null;
let rereadSeries = null;
// The file whose columns are shown: a re-read of it (same name) keeps the fold as the user left it.
let shownName = null;

/** Options for a newly chosen file: roles and label detected afresh, the menus as they stand. */
export function freshOptions() {
  return { roles: {}, missing: el.missing.value, scaling: el.scaling.value };
}

/** The options `file` was read with, changed by `change` (the file's own are never edited in place). */
function changed(file, change) {
  const options = { ...file.options, roles: { ...file.options?.roles } };
  change(options);
  return options;
}

/** Column `name` takes `role`; one label at most, so a new label moves the old one aside. */
function roleOptions(file, name, role) {
  return changed(file, (options) => {
    const column = file.columnInfo.find((c) => c.name === name);
    if (role === 'label') {
      for (const other of file.columnInfo) {
        if (other.role === 'label' && other.name !== name) options.roles[other.name] = FEATURE_KINDS.has(other.kind) ? 'feature' : 'ignored';
      }
      options.label = name;
    } else if (column?.role === 'label' || options.label === name) {
      options.label = '';  // no label now: '' says so, where null would detect one again
    }
    options.roles[name] = role;
  });
}

function cell(tag, text, className) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

/** How the loaded CSV is read: 'table', 'long' (a row per time step) or 'wide' (a series per row). */
function modeOf(file) {
  return file.kind !== 'series' ? 'table' : file.options?.wide ? 'wide' : 'long';
}

function columnRow(c, busy, mode) {
  const tr = document.createElement('tr');
  Object.assign(tr.dataset, { column: c.name, kind: c.kind, role: c.role });
  const name = cell('th', c.name);
  name.scope = 'row';
  const kind = cell('td', c.kind, 'kind');
  if (c.categories?.length) kind.title = `${c.distinct} categories: ${c.categories.join(', ')}${c.distinct > c.categories.length ? ', …' : ''}`;
  else kind.title = `${c.distinct} distinct values`;
  const missing = cell('td', String(c.missing), 'missing');
  if (c.missing > 0) missing.dataset.some = '';
  const select = document.createElement('select');
  select.className = 'role';
  select.setAttribute('aria-label', `Role of column ${c.name}`);
  const names = MODE_ROLES[mode];
  select.append(...ROLES.filter(([value]) => names[value] !== null)
    .map(([value, text]) => new Option(names[value] ?? text, value, false, value === c.role)));
  select.value = c.role;
  select.disabled = busy;
  const role = document.createElement('td');
  role.append(select);
  // The reason sits under the name: a fifth column did not fit beside the controls.
  const reason = cell('span', c.reason, 'reason');
  name.append(reason);
  tr.append(name, kind, missing, role);
  return tr;
}

/** A CSV read as series: its columns with the roles they play there. */
function seriesColumns(file) {
  const { id, time, label, ignored = [] } = file.options ?? {};
  const found = file.found ?? { time: null, text: [] };
  return file.columnInfo.map((c) => {
    const role = c.name === id ? 'series' : c.name === (time ?? found.time) ? 'time' : c.name === label ? 'label'
      : ignored.includes(c.name) || found.text.includes(c.name) ? 'ignored' : 'feature';
    // What the column does now, rather than why a table would have left it out.
    const reason = role === 'series' ? 'names each series' : role === 'time' ? `the time of each row: it orders them${time ? '' : ' (found by itself)'}`
      : found.text.includes(c.name) && !ignored.includes(c.name) ? 'text, not measurements: left out' : c.reason;
    return { ...c, role, reason };
  });
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A series in each row's value columns: time steps, or channels' (named acc_x_1…, acc_y_1…). */
function wideSteps(columns, channels) {
  return channels > 1 ? `${channels} channels × ${plural(columns / channels, 'time step')}` : plural(columns, 'time step');
}

/** Shows the columns of the loaded CSV `file` (as accepted from summary `s`), or of a long CSV read as series. */
export function showColumns(file, s) {
  const series = file.kind === 'series';
  const mode = modeOf(file);
  const columns = (series ? seriesColumns(file) : file.columnInfo) ?? [];
  const busy = state.running || state.sweeping || state.mapping;
  el.columns.tBodies[0].replaceChildren(...columns.map((c) => columnRow(c, busy, mode)));
  el.columns.setAttribute('aria-busy', 'false');
  el.rowsSeries.checked = mode === 'wide';
  el.rowsSeries.disabled = busy;
  // Rust's judgement that the columns look like time steps, said beside the choice.
  el.rowsSeriesHint.hidden = !(mode === 'table' && file.rowsHint);
  el.rowsSeriesHint.textContent = el.rowsSeriesHint.hidden ? ''
    : `${file.rowsHint[0].toUpperCase()}${file.rowsHint.slice(1)}: if each row is one recording (a heartbeat, a day’s readings), tick this to cluster them as series.`;
  const count = (role) => columns.filter((c) => c.role === role).length;
  const label = columns.find((c) => c.role === 'label');
  const features = {
    table: plural(count('feature'), 'feature'),
    long: `series id “${file.options?.id}”, ${plural(count('feature'), 'channel')}`,
    wide: `a series in each row${file.options?.id ? ` named by “${file.options.id}”` : ''}, ${wideSteps(count('feature'), state.series?.channels ?? 1)}`,
  }[mode];
  el.columnsSummary.textContent = `Columns: ${features}, `
    + `${label ? `label “${label.name}”` : 'no label'}, ${count('ignored')} ignored`;
  if (file.name !== shownName) {
    el.columnsDetails.open = columns.length <= UNFOLDED || columns.some((c) => c.kind !== 'numeric' || c.role !== 'feature' || c.missing > 0);
  }
  shownName = file.name;
  // A long CSV read as series has its own length and scaling (under the file), not a table's.
  el.tableOptions.hidden = series;
  if (series) {
    el.columnsBox.hidden = false;
    return;
  }
  el.missing.value = s?.missing ?? file.options?.missing ?? 'fill';
  el.scaling.value = file.options?.scaling ?? 'auto';
  // What "automatic" chose for this file, said where the choice is made.
  const chose = SCALING_NAMES[s?.scaling ?? file.scaling];
  el.scaling.options[0].textContent = chose ? `automatic (here: ${chose})` : 'automatic';
  el.columnsBox.hidden = false;
}

export function hideColumns() {
  el.columnsBox.hidden = true;
  el.rowsSeries.checked = false;
  el.rowsSeriesHint.hidden = true;
  el.columns.tBodies[0].replaceChildren();
  shownName = null;
}

/** The re-read ended without a new table (refused, or superseded): the table shows the file still loaded. */
export function restoreColumns() {
  el.columns.setAttribute('aria-busy', 'false');
  if (state.file?.columnInfo) showColumns(state.file);
}

function request(options) {
  if (state.file?.kind !== 'csv' || !state.file.columnInfo || state.running) return;
  el.columns.setAttribute('aria-busy', 'true');
  reread(options);
}

/**
 * A role chosen while a series id is (or becomes) set: the file is read as series, with the
 * id, time, label and ignored columns as the menus now say; without an id it is a table again.
 */
function seriesRequest(file, name, role) {
  const columns = file.kind === 'series' ? seriesColumns(file) : file.columnInfo;
  const roles = Object.fromEntries(columns.map((c) => [c.name, c.role]));
  for (const [other, r] of Object.entries(roles)) {
    // One series id, one time column, one label: a new one moves the old one aside.
    if (other !== name && r === role && ['series', 'time', 'label'].includes(role)) roles[other] = 'ignored';
  }
  roles[name] = role;
  const named = (r) => holder(roles, r);
  const id = named('series');
  if (modeOf(file) === 'wide') {
    el.columns.setAttribute('aria-busy', 'true');
    rereadSeries(wideOptions(roles));
    return;
  }
  if (!id) {
    if (role === 'time') {
      restoreColumns();
      throw new Error('Choose the column that names each series (role “series id”) before a time column.');
    }
    const back = { ...file.csvOptions, roles: Object.fromEntries(Object.entries(roles).filter(([, r]) => r !== 'time')), label: named('label') ?? '' };
    el.columns.setAttribute('aria-busy', 'true');
    reread(back);
    return;
  }
  el.columns.setAttribute('aria-busy', 'true');
  // From a table: a column of dates it left out may be the series' time, which reading finds.
  const byHand = file.kind === 'series' ? {} : file.options?.roles ?? {};
  const kindOf = Object.fromEntries(columns.map((c) => [c.name, c.kind]));
  const ignored = Object.keys(roles).filter((n) => roles[n] === 'ignored'
    && (file.kind === 'series' || kindOf[n] !== 'date' || byHand[n] === 'ignored'));
  // A time reading found by itself and set back to a channel by hand: no time column (''),
  // or reading would find it again.
  const demoted = file.found?.time && roles[file.found.time] !== 'time' && !named('time');
  const stillNone = file.kind === 'series' && file.options?.time === '' && !named('time');
  rereadSeries({ id, time: demoted || stillNone ? '' : named('time'), label: named('label'), ignored });
}

/** The column that has `role` among `roles` (name → role), if one does. */
function holder(roles, role) {
  return Object.keys(roles).find((n) => roles[n] === role);
}

/** A series in each row, with the columns' `roles`: the series id names them, there is no time column. */
function wideOptions(roles) {
  return {
    wide: true, id: holder(roles, 'series'), label: holder(roles, 'label'),
    ignored: Object.keys(roles).filter((n) => roles[n] === 'ignored' || roles[n] === 'time'),
  };
}

/**
 * "Each row is one series" ticked: the file is read so. Every number column is a time step
 * unless it is the label or the series id or was left out by hand (a table reading also
 * leaves out columns that are mostly empty: here those are the ends of shorter series); a
 * column of identifiers names the series; other columns that are not numbers and a time
 * column are left out. Unticked, the table comes
 * back as it was read before the box was ticked.
 */
function rowsRequest(file, wide) {
  el.columns.setAttribute('aria-busy', 'true');
  if (!wide) {
    reread(file.csvOptions);
    return;
  }
  const columns = file.kind === 'series' ? seriesColumns(file) : file.columnInfo;
  const byHand = file.kind === 'series' ? Object.fromEntries((file.options.ignored ?? []).map((n) => [n, 'ignored'])) : file.options?.roles ?? {};
  // A column of identifiers names the series unless one was chosen.
  const namer = columns.some((c) => c.role === 'series') ? null
    : columns.find((c) => c.kind === 'identifier' && c.role !== 'label' && byHand[c.name] !== 'ignored')?.name;
  const roleOf = (c) => {
    if (c.name === namer) return 'series';
    if (c.role === 'label' || c.role === 'series') return c.role;
    if (c.kind !== 'numeric' || c.role === 'time' || byHand[c.name] === 'ignored') return 'ignored';
    return 'feature';
  };
  rereadSeries(wideOptions(Object.fromEntries(columns.map((c) => [c.name, roleOf(c)]))));
}

/**
 * `onOptions(options)` reads the loaded CSV again with new table options; `onSeries(options)`
 * reads it as a long CSV of series (SeriesOptions); `onError(message)` says what cannot be.
 */
export function wireColumns(onOptions, onSeries, onError) {
  reread = onOptions;
  rereadSeries = onSeries;
  el.columns.addEventListener('change', (e) => {
    const select = e.target.closest('select.role');
    const name = select?.closest('tr')?.dataset.column;
    if (!state.file?.columnInfo || name === undefined || state.running) return;
    if (state.file.kind === 'series' || select.value === 'series' || select.value === 'time') {
      try {
        seriesRequest(state.file, name, select.value);
      } catch (err) {
        onError(err.message);
      }
      return;
    }
    request(roleOptions(state.file, name, select.value));
  });
  el.rowsSeries.addEventListener('change', () => {
    if (!state.file?.columnInfo || state.running || state.sweeping || state.mapping) {
      el.rowsSeries.checked = modeOf(state.file ?? {}) === 'wide';  // refused: the box says what is shown
      return;
    }
    rowsRequest(state.file, el.rowsSeries.checked);
  });
  el.missing.addEventListener('change', () => state.file && request(changed(state.file, (o) => { o.missing = el.missing.value; })));
  el.scaling.addEventListener('change', () => state.file && request(changed(state.file, (o) => { o.scaling = el.scaling.value; })));
}
