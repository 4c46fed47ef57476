// Compare all methods: every method in turn on the same data with the same seed and settings,
// one table row each (a method that fails gets its message there and the others go on).
import { el, state, methodInfo, isPictures, setPhase, setRunning, formatScore, formatTime } from '../state.js';
import { readSettings, startRun } from './training.js';

export function addCompareRow(method, scores, note) {
  const tr = document.createElement('tr');
  tr.dataset.method = method;
  const cells = [methodInfo(method).title, ...(scores?.length === 3 ? [...scores].map(formatScore) : ['–', '–', '–']),
    formatTime(performance.now() - state.runStartedAt), note];
  for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
  el.compareBody.append(tr);
  el.compareBox.hidden = false;
}

export function nextComparison() {
  const { comparison } = state;
  const method = comparison.queue.shift();
  if (method === undefined) {
    state.comparison = null;
    setRunning(false);
    setPhase('done', 'Comparison finished: see the table below.');
    return;
  }
  comparison.done = comparison.total - comparison.queue.length - 1;
  startRun(method, comparison.settings);
}

function compareAll() {
  const { file } = state;
  if (!file || state.running) return;
  // Methods for pictures only would add an error row for a table.
  const queue = [...el.method.options].map((o) => o.value).filter((m) => isPictures(file) || methodInfo(m).data !== 'images');
  const settings = readSettings(queue);
  if (!settings) return;
  state.comparison = { queue, settings, done: 0, total: queue.length };
  el.compareBody.replaceChildren();
  nextComparison();
}

export function wireComparison() {
  el.compare.addEventListener('click', compareAll);
}
