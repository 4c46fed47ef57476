// 1. Data: dropped or chosen files (a CSV, pictures, IDX files, time series) and the samples, read and
// described by the worker; what was read is summarised under the drop zone.
import { el, state, isPictures, startLoading, endLoadingFailed, setPhase, showError, clearError, errorText, sourcedText, sentence, isAbort, formatBytes, listItems, sayWhoseResults } from '../state.js';
import { SAMPLES } from '../settings.js';
import { applySettings, updateLink } from './link.js';
import { updateMethodUI } from './training.js';
import { showColumns, hideColumns, restoreColumns, freshOptions, wireColumns } from './columns.js';

// The bytes, their parsed copy and the training state all live in one tab: beyond this a
// browser is likely to kill it, so such files are refused before they are read.
const CSV_BUDGET = 512 * 2 ** 20;

export const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|avif)$/i;
const IDX_IMAGES = /idx3-ubyte(\.gz)?$/i;
const IDX_LABELS = /idx1-ubyte(\.gz)?$/i;
// The UCR/UEA archive's series files (Rust's ArchiveFormat::of says the same): .ts, .arff, and
// the UCR's own NAME_TRAIN.tsv / NAME_TEST.txt / NAME_TEST (capitals, as the archive writes
// them), a class then the values per line.
const SERIES_FILE = /(\.[tT][sS]|\.[aA][rR][fF][fF]|[^/\\]_(TRAIN|TEST)(\.[tT][sS][vV]|\.[tT][xX][tT])?)$/;
const CSV_FILE = /\.(csv|tsv|txt|dat)$/i;
// The real samples are files beside the page; the made-up ones are generated in the worker.
const BUNDLED = ['iris', 'wine', 'digits'];

// Files that make one table, by their names (Rust's are_parts says the same): parts named
// alike but for a split word, or a table with files beside it: its classes (X_train, y_train),
// whose each row is (subject_train).
const SPLIT_WORDS = ['train', 'training', 'dev', 'val', 'valid', 'validation', 'eval', 'test', 'testing'];
const CLASS_WORDS = new Set(['y', 'label', 'labels', 'class', 'classes', 'target', 'targets', 'activity', 'activities']);
// Files that say whose each row is (subject_train.txt), beside a table.
const ROW_WORDS = new Set(['subject', 'subjects', 'id', 'ids', 'group', 'groups', 'user', 'users', 'participant', 'participants', 'patient', 'patients']);

/** A file name's split word ('' for none) and the rest (`adult_train.csv`: `train`, `adult`). */
function splitOf(path) {
  const base = path.split(/[/\\]/).pop();
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const words = stem.split(/[_\-. ]/);
  const at = words.findIndex((w) => SPLIT_WORDS.includes(w.toLowerCase()));
  return { key: words.filter((_, i) => i !== at).join('_'), split: at < 0 ? '' : words[at].toLowerCase() };
}

/** For files that make one table, the name it goes by (`adult_train+test.csv`); else null. */
export function partsName(paths) {
  const named = paths.map(splitOf);
  const keys = [...new Set(named.map((n) => n.key))];
  const splitsOf = (key) => named.filter((n) => n.key === key).map((n) => n.split);
  const distinct = (list) => new Set(list).size === list.length;
  let table;
  if (keys.length === 1) {
    const splits = splitsOf(keys[0]);
    if (splits.length < 2 || splits.includes('') || !distinct(splits)) return null;
    [table] = keys;
  } else {
    // x and y, or X and Y, are two axes; scikit-learn's X and y are a table and its classes.
    if (['x,y', 'y,x', 'X,Y', 'Y,X'].includes(keys.join(','))) return null;
    // First word a class word, or the last but for y (body_acc_y is a channel).
    const namesClasses = (k) => {
      const words = k.toLowerCase().split('_');
      return CLASS_WORDS.has(words[0]) || (CLASS_WORDS.has(words.at(-1)) && words.at(-1) !== 'y');
    };
    const namesRows = (k) => {
      const words = k.toLowerCase().split('_');
      return !namesClasses(k) && (ROW_WORDS.has(words[0]) || ROW_WORDS.has(words.at(-1)));
    };
    const classes = keys.filter(namesClasses);
    const tables = keys.filter((k) => !namesClasses(k) && !namesRows(k));
    if (tables.length !== 1 || classes.length > 1) return null;
    [table] = tables;
    const ours = splitsOf(table);
    if (!distinct(ours)) return null;
    for (const key of keys.filter((k) => k !== table)) {
      const theirs = splitsOf(key);
      if (!distinct(theirs) || ours.length !== theirs.length || !ours.every((s) => theirs.includes(s))) return null;
    }
  }
  // Training parts first, as Rust joins them.
  const splits = splitsOf(table).filter(Boolean).sort((a, b) => SPLIT_WORDS.indexOf(a) - SPLIT_WORDS.indexOf(b));
  const first = paths[named.findIndex((n) => n.key === table && n.split === (splits[0] ?? ''))];
  const ext = /\.[^./\\]*$/.exec(first)?.[0] ?? '';
  return `${[table, splits.join('+')].filter(Boolean).join('_')}${ext}`;
}

/** What a table was read from: its file's bytes, or the parts of one table. */
function source(file) {
  return file.parts ? { parts: file.parts } : { bytes: file.bytes.slice(0) };
}

/** `{ name, bytes }` for each of `files`, named by `nameOf` (what the worker reads series from). */
export function readNamed(files, nameOf) {
  return Promise.all(files.map(async (f) => ({ name: nameOf(f), bytes: await readBytes(f.file ?? f) })));
}

/** The file's bytes; a big one is read as a stream, telling `onProgress` the share read. */
export async function readBytes(f, onProgress) {
  try {
    if (!onProgress || f.size < 8 * 2 ** 20) return await f.arrayBuffer();
    const out = new Uint8Array(f.size);
    const reader = f.stream().getReader();
    let at = 0;
    let lastReport = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, at);
      at += value.length;
      if (performance.now() - lastReport > 150) {
        onProgress(at / f.size);
        lastReport = performance.now();
      }
    }
    if (at !== f.size) throw new Error(`${at} of ${f.size} bytes arrived; the file changed while it was read`);
    return out.buffer;
  } catch (err) {
    throw new Error(`${f.name}: the file could not be read (${err.message}). Check that it still exists and try again.`);
  }
}

/** Series options for newly dropped series: the scaling as the menu stands, their own length. */
function seriesOptions() {
  el.seriesLengths.value = 'auto';
  el.seriesFiles.value = 'auto';
  return { scaling: el.seriesScaling.value };
}

/** A big CSV being read in the worker (when loaded, and again when a run starts). */
export function showParsing({ name, share }) {
  el.progress.value = share;
  setPhase(el.status.dataset.phase, `Reading ${name}: ${Math.round(share * 100)}%…`);
}

/** Has the worker read `data`; shows what it found, or why it refused it. */
// Each load takes a ticket when it starts; only the latest one's progress and answer are shown
// (a sample chosen while a big file was still being read must not be replaced by it).
let latest = 0;

function inspect(data, ticket = ++latest) {
  if (ticket !== latest) return;
  state.session.inspect(data, { onParsing: (p) => { if (ticket === latest) showParsing(p); } }).then(
    (summary) => { if (ticket === latest) accept(data, summary); },
    (err) => { if (ticket === latest) refused(err); },
  );
}

/** The note on dropped files that were not read, by name (a few) and kind. */
function ignoredNote(others, what) {
  if (others.length === 0) return [];
  const names = others.slice(0, 5).map((e) => e.path.split('/').pop());
  const more = others.length > 5 ? ` and ${others.length - 5} more` : '';
  const heic = others.some((e) => /\.hei[cf]$/i.test(e.path))
    ? ' HEIC/HEIF photos (an iPhone\'s) are not decoded by browsers: export them as JPEG.' : '';
  return [`${others.length} file${others.length === 1 ? ' that is' : 's that are'} not ${what} ${others.length === 1 ? 'was' : 'were'} left out: ${names.join(', ')}${more}.${heic}`];
}

/** A file the worker could not read: the message, and what stays loaded. */
function refused(err) {
  if (isAbort(err)) return;
  endLoadingFailed();
  // A role or option the worker refused: the columns table and the series' menus go back to
  // the file still loaded.
  restoreColumns();
  restoreSeriesOptions();
  // The size and colour the loaded pictures were read at.
  if (lastPictures) [el.side.value, el.colour.value] = [lastPictures.side, lastPictures.colour];
  const kept = state.file ? ` ${state.file.name} is still loaded.` : '';
  const text = sourcedText(err);
  // The crate's messages end without a full stop; the page adds one before going on.
  const message = kept ? sentence(text) : text;
  showError(`${message}${kept}`);
}

/** The series' menus as the loaded series were read. */
function restoreSeriesOptions() {
  const { file } = state;
  if (file?.kind !== 'series') return;
  el.seriesScaling.value = file.options?.scaling ?? 'auto';
  el.seriesLengths.value = file.options?.lengths ?? 'auto';
  el.seriesFiles.value = file.options?.filesAs ?? 'auto';
  if (state.series) el.seriesLength.value = String(state.series.length);
}

/** The worker read the data: it becomes the loaded file. */
function accept(data, s, pixels = null) {
  if (state.running) return;
  const file = data;
  state.file = file;
  file.rows = s.rows;
  el.sample.value = file.sample ?? '';
  el.sampleInfo.textContent = file.sample ? SAMPLES[file.sample] : '';
  el.sweepBox.hidden = true;
  if (s.kind === 'idx') state.pixels = { planes: s.planes, side: s.side, channels: s.channels, names: Array.from({ length: s.rows }, (_, i) => `image ${i}`) };
  else state.pixels = pixels;
  state.series = s.kind === 'series'
    ? { values: s.seriesValues, channels: s.channels, length: s.length, names: s.series.names, channelNames: s.series.channels, network: s.series.network }
    : null;
  // Roles the reading gave columns by itself (a time column found, text left out), for the columns table.
  if (s.kind === 'series') file.found = { time: s.series.foundTime ?? null, text: s.series.leftOutText ?? [] };
  if (s.kind === 'csv' || s.kind === 'series') el.skippedBox.hidden = true;
  clearError();
  el.fileSummary.hidden = false;
  const classes = s.nClasses ? `, ${s.nClasses} known classes (used only to score)` : '';
  el.fileInfo.textContent = s.kind === 'csv' ? csvInfo(s)
    : s.kind === 'series' ? `${s.name}: ${s.rows} series, ${s.channels} channel${s.channels === 1 ? '' : 's'} × ${s.length} points${classes}.`
      : `${s.name}: ${s.rows} images, ${s.side} × ${s.side} ${s.channels === 3 ? 'colour' : 'grayscale'}${classes}.`;
  el.seriesOptions.hidden = s.kind !== 'series';
  // Results still on show belong to another file until the next run: say whose they are.
  sayWhoseResults();
  // A picture's size and colour mean nothing to a table or to series (IDX digits keep theirs).
  el.imageOptions.hidden = s.kind !== 'images';
  if (s.kind !== 'images') lastPictures = null;
  if (s.kind === 'series') {
    el.seriesLength.value = String(s.length);
    el.seriesScaling.options[0].textContent = `automatic: ${s.series.scaling === 'series' ? 'each series on its own' : 'each channel over all series'}`;
    el.seriesLengthsBox.hidden = !s.series.unequal;
    el.seriesLengths.options[0].textContent = `automatic: ${s.series.padded ? 'padded (they start together)' : 'resampled'}`;
    // Several CSV files (not the archive's): each adds series, or each is one channel.
    el.seriesFilesBox.hidden = !(file.folder && file.files.length > 1);
    el.seriesFiles.options[0].textContent = `automatic: ${s.series.channelFiles ? 'each file is one channel' : 'each file adds series'}`;
    // What automatic stands for with these series (the reason is among the notes).
    el.seriesNetwork.options[0].textContent = `automatic: ${s.series.network === 'conv-aligned' ? 'in time order (the series line up)' : 'pooled (the series do not line up)'}`;
  }
  // Rows trained on and rows in the file differ when rows with missing cells are left out.
  el.fileInfo.dataset.rows = String(s.rows);
  el.fileInfo.dataset.fileRows = String(s.fileRows ?? s.rows);
  if (s.kind === 'csv') {
    file.labelColumn = s.labelColumn;
    file.fileRows = s.fileRows ?? s.rows;
    file.columnInfo = s.columnInfo ?? [];
    file.rowsHint = s.rowsHint ?? '';
    file.scaling = s.scaling;
    // The label as resolved ('' for none): later runs and re-reads use what is shown, not a new guess.
    file.options = { ...file.options, label: s.labelColumn };
    showColumns(file, s);
  } else if (s.kind === 'series' && file.columnInfo) {
    showColumns(file, s);  // a long CSV: its columns, with the series id and time roles
  } else {
    hideColumns();
  }
  // Someone who has not picked a method gets the one that clusters this kind of data best
  // (Rust's Method::default_for); step-by-step mode keeps DEC, the method it teaches best.
  state.defaultMethod = s.defaultMethod;
  if (!state.methodChosen && !el.stepMode.checked && state.methods[s.defaultMethod]) el.method.value = s.defaultMethod;
  if (!isPictures(s) && state.methods[el.method.value]?.data === 'images') el.method.value = s.defaultMethod;
  updateMethodUI();
  // What a drop held besides the data (a README, an iPhone's HEIC photo) is said with its notes.
  el.fileWarnings.replaceChildren(...listItems([...(data.dropNotes ?? []), ...s.warnings]));
  if (s.nClasses >= 2) el.k.value = String(s.nClasses);
  // More clusters than rows cannot be trained: a tiny file starts at its number of rows.
  if (s.rows >= 2 && Number(el.k.value) > s.rows) el.k.value = String(s.rows);
  if (state.linkSettings) {
    if (state.linkSettings.method) state.methodChosen = true;
    applySettings(state.linkSettings);
    state.linkSettings = null;
  }
  el.train.disabled = false;
  el.compare.disabled = false;
  el.sweepButton.disabled = false;
  updateLink();
  if (el.status.dataset.phase !== 'done') setPhase('idle', 'Ready: choose k and press Train.');
}

/** One line on a CSV as read: its rows (and those left out) and how many columns are features. */
function csvInfo(s) {
  const fileRows = s.fileRows ?? s.rows;
  const left = fileRows - s.rows;
  const rows = left > 0 ? `${fileRows} rows (${s.rows} used, ${left} with missing cells left out)` : `${s.rows} rows`;
  const info = s.columnInfo ?? [];
  const features = info.filter((c) => c.role === 'feature').length;
  const columns = info.length ? `${features} of ${info.length} columns used as features` : `${s.cols} columns used as features`;
  return `${s.name}: ${rows}, ${columns}.`;
}

/** Pictures decoded in the worker: the ones it could not read are listed. */
function showSkipped({ skipped }) {
  el.skipped.replaceChildren(...listItems(skipped.map(({ name, reason }) => `${name}: ${reason}`)));
  el.skippedSummary.textContent = `${skipped.length} file${skipped.length === 1 ? '' : 's'} could not be read and ${skipped.length === 1 ? 'was' : 'were'} skipped`;
  el.skippedBox.hidden = skipped.length === 0;
  el.skippedBox.open = skipped.length > 0 && skipped.length <= 20;
}

/** The pictures last dropped, read again when their size or colour is changed. */
let lastPictures = null;

function redecodePictures() {
  if (!lastPictures || state.running) return;
  clearError();
  const ticket = ++latest;
  startLoading(`Reading images: 0 of ${lastPictures.request.files.length}…`);
  decodeImages(lastPictures, ticket);
}

/** Decodes `pictures` (`{ request, dropNotes }`) at the size and colour the menus say; once
 * loaded they are the pictures those menus read again. */
function decodeImages(pictures, ticket) {
  const side = el.side.value;
  const colour = el.colour.value;
  const request = { ...pictures.request, side, colour };
  const { dropNotes } = pictures;
  if (ticket !== latest) return;
  state.session.decodeImages(request, {
    onDecoding: ({ done, total }) => {
      if (ticket !== latest) return;
      setPhase('loading', `Reading images: ${done} of ${total}…`);
      el.progress.value = done / total;
    },
    onDecoded: (skipped) => { if (ticket === latest) showSkipped(skipped); },
  }).then(
    ({ data, summary }) => {
      if (ticket !== latest) return;
      accept({ ...data, dropNotes }, summary, { planes: data.planes, side: data.side, channels: data.channels, names: data.names });
      lastPictures = { ...pictures, side, colour };
    },
    (err) => { if (ticket === latest) refused(err); },
  );
}

/**
 * Decides what a drop (or a file choice) is: one CSV, IDX files, or pictures (with an
 * optional labels.csv), and hands it to the worker. `entries` are `{ path, file }`.
 */
async function loadEntries(dropped) {
  // Hidden files (macOS's ._name copies, .DS_Store, __MACOSX/) are no one's data.
  const entries = dropped.filter((e) => !/(^|\/)(\.|__MACOSX\/)/.test(e.path));
  if (state.running || entries.length === 0) return;
  clearError();
  const ticket = ++latest;
  try {
    const images = entries.filter((e) => IMAGE_FILE.test(e.path));
    const idxImages = entries.filter((e) => IDX_IMAGES.test(e.path));
    const archive = entries.filter((e) => SERIES_FILE.test(e.path));
    const csvs = entries.filter((e) => CSV_FILE.test(e.path));
    const tableName = images.length === 0 && csvs.length > 1 ? partsName(csvs.map((e) => e.path)) : null;
    if (archive.length > 0) {
      // A set's train and test files together; anything else dropped with them is said.
      startLoading(`Reading ${archive.length} series file${archive.length === 1 ? '' : 's'}…`);
      const files = await readNamed(archive, (e) => e.path);
      const dropNotes = ignoredNote(entries.filter((e) => !SERIES_FILE.test(e.path)), 'series files of the archive (.ts, .arff, NAME_TRAIN.tsv)');
      inspect({ kind: 'series', name: archive.map((e) => e.path).join(' + '), files, options: seriesOptions(), dropNotes }, ticket);
    } else if (tableName) {
      // A table split into files (train.csv, test.csv): one table, as Rust joins them.
      startLoading(`Reading ${csvs.length} parts of one table…`);
      const parts = await readNamed(csvs, (e) => e.path.split('/').pop());
      const dropNotes = ignoredNote(entries.filter((e) => !CSV_FILE.test(e.path)), 'tables (.csv, .tsv, .txt, .dat)');
      inspect({ kind: 'csv', name: tableName, parts, options: freshOptions(), dropNotes }, ticket);
    } else if (images.length === 0 && csvs.length > 1) {
      // A folder of recordings: one series per CSV file, its class the sub-folder it is in.
      // One folder dropped: its name goes; folders dropped side by side (walking/, running/) keep theirs.
      const top = csvs[0].path.includes('/') ? csvs[0].path.split('/')[0] : null;
      const one = top !== null && csvs.every((e) => e.path.startsWith(`${top}/`));
      const folder = one ? top : `${csvs.length} files`;
      startLoading(`Reading ${csvs.length} files as series…`);
      const files = await readNamed(csvs, (e) => (one ? e.path.slice(top.length + 1) : e.path));
      const dropNotes = ignoredNote(entries.filter((e) => !CSV_FILE.test(e.path)), 'tables (.csv, .tsv, .txt, .dat)');
      inspect({ kind: 'series', name: folder, files, folder: true, options: seriesOptions(), dropNotes }, ticket);
    } else if (idxImages.length > 0) {
      // Each images file takes the labels file with the same prefix (train-…, t10k-…); with
      // one of each they pair anyway. Several pairs are concatenated: MNIST's train and test
      // files make its 70,000 digits.
      const idxLabels = entries.filter((e) => IDX_LABELS.test(e.path));
      const prefix = (path) => path.replace(/images?[-_.]?idx3-ubyte(\.gz)?$/i, '').replace(/labels?[-_.]?idx1-ubyte(\.gz)?$/i, '');
      const sets = [];
      for (const img of idxImages.sort((a, b) => b.path.localeCompare(a.path))) {
        const lab = idxLabels.length === 1 && idxImages.length === 1 ? idxLabels[0] : idxLabels.find((l) => prefix(l.path) === prefix(img.path));
        sets.push({ name: img.path, images: await readBytes(img.file), labels: lab ? await readBytes(lab.file) : null });
      }
      inspect({ kind: 'idx', name: idxImages.map((e) => e.path).join(' + '), sets }, ticket);
    } else if (images.length > 0) {
      const labelsEntry = entries.find((e) => /(^|\/)labels\.csv$/i.test(e.path));
      const labelsCsv = labelsEntry ? await labelsEntry.file.text() : null;
      const others = entries.filter((e) => !IMAGE_FILE.test(e.path) && e !== labelsEntry);
      const folder = images[0].path.includes('/') ? images[0].path.split('/')[0] : `${images.length} images`;
      startLoading(`Reading images: 0 of ${images.length}…`);
      // In the order a file browser lists them (IMG_2 before IMG_10): the results file keeps it.
      images.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
      const pictures = { request: { name: folder, files: images, labelsCsv }, dropNotes: ignoredNote(others, 'pictures') };
      decodeImages(pictures, ticket);
    } else {
      if (entries.length > 1) throw new Error(`Drop one CSV file at a time, or a folder of images (${entries.length} files were dropped, none of them images).`);
      const { path, file: f } = entries[0];
      if (f.size > CSV_BUDGET) {
        throw new Error(`${path} is ${formatBytes(f.size)}; this page reads CSV files up to ${formatBytes(CSV_BUDGET)}, `
          + 'because the text, the parsed numbers and the network must all fit in one tab. '
          + 'Use the command line (deepclust cluster --input …) for a file this size, or a random sample of its rows here.');
      }
      startLoading(`Reading ${path} (${formatBytes(f.size)})…`);
      const opened = (share) => {
        if (ticket !== latest) return;
        el.progress.value = share;
        setPhase('loading', `Opening ${path}: ${Math.round(share * 100)}% of ${formatBytes(f.size)}…`);
      };
      inspect({ kind: 'csv', name: path, bytes: await readBytes(f, opened), options: freshOptions() }, ticket);
    }
  } catch (err) {
    showError(err.message);
  }
}

/** Every file under a dropped item, with its path relative to the drop. */
async function walkEntry(entry, prefix = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ path: prefix + entry.name, file }];
  }
  const reader = entry.createReader();
  const children = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((c) => walkEntry(c, `${prefix}${entry.name}/`)));
  return nested.flat().sort((a, b) => a.path.localeCompare(b.path));
}

/** A sample as the file it stands for (`{ file, bytes, columns }`): a bundled CSV, or made up in the worker from the seed. */
async function sampleFile(name, seed) {
  if (!BUNDLED.includes(name)) return state.session.sampleFile(name, seed);
  const response = await fetch(`samples/${name}.csv`);
  if (!response.ok) throw new Error(`the bundled file samples/${name}.csv could not be loaded (HTTP ${response.status})`);
  return { file: `${name}.csv`, bytes: new Uint8Array(await response.arrayBuffer()), columns: null };
}

/** The loaded sample's data: a table, or series (a .ts file, or a CSV with a series in each row). */
function sampleData(name, { file, bytes, columns }) {
  if (!columns && !/\.ts$/.test(file)) return { kind: 'csv', name: file, bytes: bytes.buffer, options: freshOptions(), sample: name };
  return { kind: 'series', name: file, files: [{ name: file, bytes: bytes.buffer }], options: { ...seriesOptions(), ...columns }, sample: name };
}

export function loadSample(name) {
  if (!name || state.running || state.sweeping) return;
  clearError();
  startLoading(`Loading the ${name} sample…`);
  const ticket = ++latest;
  sampleFile(name, Number(el.seed.value || 42)).then(
    (found) => inspect(sampleData(name, found), ticket),
    (err) => {
      if (isAbort(err) || ticket !== latest) return;
      endLoadingFailed({ always: true });
      showError(`The sample could not be made: ${errorText(err)}`);
    },
  );
}

export function wireData() {
  const fromInput = (input) => [...input.files].map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
  // Only a choice made by hand sticks; otherwise each file gets its data's default method.
  el.method.addEventListener('change', () => { state.methodChosen = true; });
  el.fileInput.addEventListener('change', () => loadEntries(fromInput(el.fileInput)));
  el.folderInput.addEventListener('change', () => loadEntries(fromInput(el.folderInput)));
  el.folderButton.addEventListener('click', (e) => { e.stopPropagation(); el.folderInput.click(); });
  el.dropZone.addEventListener('click', (e) => {
    // The inputs' own clicks (the folder button's on the folder input too) bubble up here.
    if ([el.fileInput, el.folderInput, el.folderButton].includes(e.target) || state.running) return;
    el.fileInput.click();
  });
  for (const type of ['dragenter', 'dragover']) {
    el.dropZone.addEventListener(type, (e) => { e.preventDefault(); el.dropZone.classList.add('over'); });
  }
  el.dropZone.addEventListener('dragleave', () => el.dropZone.classList.remove('over'));
  el.dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    el.dropZone.classList.remove('over');
    const items = [...(e.dataTransfer?.items ?? [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
    // Folders need the entry API; plain files (and synthetic drops in tests) come as files.
    if (items.some((entry) => entry.isDirectory)) {
      Promise.all(items.map((entry) => walkEntry(entry))).then((lists) => loadEntries(lists.flat()))
        .catch((err) => showError(`The dropped folder could not be read (${err.message}).`));
    } else {
      loadEntries([...(e.dataTransfer?.files ?? [])].map((f) => ({ path: f.name, file: f })));
    }
  });
  // A role, the missing cells or the scaling changed: the same file, read again with the new
  // options; a series id makes it a long CSV of series, and taking it away a table again.
  wireColumns((options) => {
    const { file } = state;
    if (!file?.columnInfo) return;
    clearError();
    inspect({ kind: 'csv', name: file.name, ...source(file), options, sample: file.sample, dropNotes: file.dropNotes });
  }, (options) => {
    const { file } = state;
    if (!file?.columnInfo) return;
    clearError();
    const csvOptions = file.kind === 'csv' ? file.options : file.csvOptions;
    inspect({
      kind: 'series', name: file.name, files: file.parts ?? [{ name: file.name, bytes: file.bytes }], ...source(file),
      options: { ...options, scaling: el.seriesScaling.value, lengths: el.seriesLengths.value }, columnInfo: file.columnInfo, csvOptions, dropNotes: file.dropNotes,
    });
  }, showError);
  // The series' length, scaling or handling of unequal lengths changed: the same files, read
  // again. A new handling picks its own length (padding keeps the longest, resampling the median).
  const rereadSeries = (event) => {
    const { file } = state;
    if (file?.kind !== 'series' || state.running) return;
    clearError();
    const length = Number(el.seriesLength.value);
    const keepLength = ![el.seriesLengths, el.seriesFiles].includes(event.target) && Number.isInteger(length) && length > 0;
    inspect({
      ...file,
      options: {
        ...file.options, scaling: el.seriesScaling.value, lengths: el.seriesLengths.value, filesAs: el.seriesFiles.value, length: keepLength ? length : undefined,
      },
    });
  };
  el.seriesLength.addEventListener('change', rereadSeries);
  el.side.addEventListener('change', redecodePictures);
  el.colour.addEventListener('change', redecodePictures);
  el.seriesScaling.addEventListener('change', rereadSeries);
  el.seriesLengths.addEventListener('change', rereadSeries);
  el.seriesFiles.addEventListener('change', rereadSeries);
  el.sample.addEventListener('change', () => loadSample(el.sample.value));
}
