// 1. Data, for a CSV: one row per column with what Rust made of it (its kind, its missing
// cells, why it got its role) and a menu to change the role; beside it how missing cells are
// handled and how columns are scaled. The page decides nothing about columns itself: every
// change goes back to the worker as table options and the file is read again.
import { el, state } from '../state.js';

const ROLES = [['feature', 'feature'], ['label', 'label (only to score)'], ['ignored', 'ignored']];
// The kinds Rust turns into features. A label that gives way to another column goes back to
// being a feature only if it is one of these; anything else (an identifier, a date, free
// text) would be refused or meaningless as a feature, so it is ignored instead.
const FEATURE_KINDS = new Set(['numeric', 'categorical']);
// Long tables (the digits sample's 64 pixel columns) start folded when every column is a
// plain numeric feature: there is nothing in them to decide.
const UNFOLDED = 20;
const SCALING_NAMES = { standard: 'z-score each column', shared: 'one scale for all columns' };

let reread = null;
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

function columnRow(c, busy) {
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
  select.append(...ROLES.map(([value, text]) => new Option(text, value, false, value === c.role)));
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

/** Shows the columns of the loaded CSV `file` (as accepted from summary `s`). */
export function showColumns(file, s) {
  const columns = file.columnInfo ?? [];
  const busy = state.running || state.sweeping || state.mapping;
  el.columns.tBodies[0].replaceChildren(...columns.map((c) => columnRow(c, busy)));
  el.columns.setAttribute('aria-busy', 'false');
  const count = (role) => columns.filter((c) => c.role === role).length;
  const label = columns.find((c) => c.role === 'label');
  el.columnsSummary.textContent = `Columns: ${count('feature')} feature${count('feature') === 1 ? '' : 's'}, `
    + `${label ? `label “${label.name}”` : 'no label'}, ${count('ignored')} ignored`;
  if (file.name !== shownName) {
    el.columnsDetails.open = columns.length <= UNFOLDED || columns.some((c) => c.kind !== 'numeric' || c.role !== 'feature' || c.missing > 0);
  }
  shownName = file.name;
  el.missing.value = s?.missing ?? file.options?.missing ?? 'fill';
  el.scaling.value = file.options?.scaling ?? 'auto';
  // What "automatic" chose for this file, said where the choice is made.
  const chose = SCALING_NAMES[s?.scaling ?? file.scaling];
  el.scaling.options[0].textContent = chose ? `automatic (here: ${chose})` : 'automatic';
  el.columnsBox.hidden = false;
}

export function hideColumns() {
  el.columnsBox.hidden = true;
  el.columns.tBodies[0].replaceChildren();
  shownName = null;
}

/** The re-read ended without a new table (refused, or superseded): the table shows the file still loaded. */
export function restoreColumns() {
  el.columns.setAttribute('aria-busy', 'false');
  if (state.file?.kind === 'csv' && state.file.columnInfo) showColumns(state.file);
}

function request(options) {
  if (!state.file || state.file.kind !== 'csv' || state.running) return;
  el.columns.setAttribute('aria-busy', 'true');
  reread(options);
}

/** `onOptions(options)` reads the loaded CSV again with new table options. */
export function wireColumns(onOptions) {
  reread = onOptions;
  el.columns.addEventListener('change', (e) => {
    const select = e.target.closest('select.role');
    const name = select?.closest('tr')?.dataset.column;
    if (!state.file?.columnInfo || name === undefined) return;
    request(roleOptions(state.file, name, select.value));
  });
  el.missing.addEventListener('change', () => state.file && request(changed(state.file, (o) => { o.missing = el.missing.value; })));
  el.scaling.addEventListener('change', () => state.file && request(changed(state.file, (o) => { o.scaling = el.scaling.value; })));
}
