// Real tables (issue #36): a CSV with missing cells written four ways, an identifier, dates,
// a yes/no column, a text category and a text label opens without an error; the columns table
// says what each column became and lets the user change roles; a run describes its clusters;
// the results file keeps every row of the file, also when rows with missing cells are left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, serveForTests, withApp, dropFile, waitForPhase, downloadText, parseCsv } from './helpers.mjs';

const app = serveForTests();

// 60 rows in three groups of 20 (alpha, beta, gamma, interleaved), far apart in length, width
// and weight; 11 missing cells as NA, '', ? and n/a.
const FIXTURE = join(ROOT, 'tests', 'e2e', 'fixtures', 'messy.csv');
const FEATURES = ['length', 'width', 'weight', 'tagged', 'habitat', 'group'];

/** The columns table as shown: one entry per row. */
const columns = (page) => page.$$eval('#columns tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.column, {
  kind: r.dataset.kind, role: r.querySelector('select.role').value, missing: Number(r.querySelector('.missing').textContent),
}])));

/** Changes a role or an option, and waits for the file to be read again. */
async function choose(page, selector, value) {
  await page.selectOption(selector, value);
  await page.waitForSelector('#columns[aria-busy="false"]', { timeout: 30_000 });
  assert.equal(await page.textContent('#error'), '', `${selector} = ${value}`);
}

const roleOf = (column) => `#columns tr[data-column="${column}"] select.role`;

async function train(page) {
  // k-means can finish between two polls: mark the old "done" so only a new one counts.
  await page.$eval('#status', (s) => { s.dataset.phase = 'test-started'; });
  await page.click('#train-button');
  const phase = await waitForPhase(page, ['done', 'error'], 2 * 60 * 1000);
  assert.equal(phase, 'done', `training ended in ${phase}: ${await page.textContent('#error')}`);
}

const rowCounts = (page) => page.$eval('#file-info', (p) => ({ rows: Number(p.dataset.rows), fileRows: Number(p.dataset.fileRows) }));

test('a messy CSV opens, its columns can be given roles, its clusters are described, every row comes back', { timeout: 10 * 60 * 1000 }, async () => {
  const messy = await readFile(FIXTURE, 'utf8');
  const header = messy.split('\n')[0].split(',');
  await withApp({ webgpu: false, url: `${app.url}#method=kmeans&k=3&device=cpu` }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));

    // (a) It opens; the notes say what happened to the missing cells; every column is listed.
    await dropFile(page, 'messy.csv', messy);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled || document.querySelector('#error').textContent);
    assert.equal(await page.textContent('#error'), '');
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /missing/i, notes);
    assert.match(notes, /fill/i, notes);
    assert.equal(await page.isVisible('#columns'), true, 'the columns table is shown for a CSV');
    let cols = await columns(page);
    assert.deepEqual(Object.keys(cols), header, 'one row per column, in the file\'s order');
    assert.deepEqual([cols.id.kind, cols.id.role], ['identifier', 'ignored']);
    assert.deepEqual([cols.date.kind, cols.date.role], ['date', 'ignored']);
    assert.deepEqual([cols.tagged.kind, cols.tagged.role], ['categorical', 'feature']);
    for (const name of ['length', 'width', 'weight']) {
      assert.equal(cols[name].kind, 'numeric', name);
      assert.ok(cols[name].missing >= 3, `${name}: ${cols[name].missing} missing cells counted`);
    }
    assert.deepEqual(await rowCounts(page), { rows: 60, fileRows: 60 });
    const reasons = await page.$$eval('#columns td.reason', (cells) => cells.map((c) => c.textContent));
    assert.ok(reasons.every((r) => r.length > 0), 'every column says why');

    // (c) A run with the defaults describes its three clusters.
    await train(page);
    await page.waitForSelector('#profiles:not([hidden])');
    assert.equal(await page.getAttribute('#profiles', 'data-clusters'), '3');
    const descriptions = await page.$$eval('#profiles .profile-list .description', (d) => d.map((x) => x.textContent));
    assert.equal(descriptions.length, 3);
    for (const d of descriptions) assert.ok(FEATURES.some((f) => d.includes(f)), `names a feature: ${d}`);
    assert.equal(await page.$$eval('#profiles table.heatmap tbody tr', (r) => r.length), 3, 'one heatmap row per cluster');
    const [profilesDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-profiles')]);
    const profilesCsv = await readFile(await profilesDownload.path(), 'utf8');
    assert.equal(profilesCsv.split(/\r?\n/)[0], 'cluster,size,feature,category,cluster_value,overall_value,z');

    // (d) The results file has every row of the file, each with a cluster.
    let result = parseCsv(await downloadText(page));
    let at = result.header.indexOf('cluster');
    assert.equal(result.rows.length, 60);
    assert.ok(result.rows.every((r) => r[at] !== ''), 'every row has a cluster when missing cells are filled');

    // (b) group becomes the label: the file is read again, k follows its classes, the run is scored.
    await choose(page, roleOf('group'), 'label');
    cols = await columns(page);
    assert.equal(cols.group.role, 'label');
    assert.equal(await page.$eval('#k-input', (k) => k.value), '3');
    // One label at most: another label sends group back to the features (it is categorical).
    await choose(page, roleOf('tagged'), 'label');
    cols = await columns(page);
    assert.deepEqual([cols.tagged.role, cols.group.role], ['label', 'feature']);
    await choose(page, roleOf('group'), 'label');
    cols = await columns(page);
    assert.deepEqual([cols.group.role, cols.tagged.role], ['label', 'feature']);
    assert.equal(await page.$eval('#k-input', (k) => k.value), '3', 'k follows the label\'s classes again');
    await train(page);
    assert.equal(await page.isVisible('#metrics'), true);
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    assert.ok(acc > 0.9, `three groups far apart: ACC ${acc}`);
    assert.match(await page.textContent('#summary'), /“group” column: ACC/);

    // (e) Rows with missing cells left out: fewer rows trained, all of them in the results file.
    await choose(page, '#missing-select', 'drop');
    const { rows, fileRows } = await rowCounts(page);
    assert.equal(fileRows, 60);
    assert.ok(rows < fileRows && rows >= 40, `${rows} rows trained of ${fileRows}`);
    await train(page);
    assert.equal(await page.getAttribute('#scatter', 'data-points'), String(rows));
    result = parseCsv(await downloadText(page));
    at = result.header.indexOf('cluster');
    assert.equal(result.rows.length, 60, 'the left-out rows are in the results file');
    assert.equal(result.rows.filter((r) => r[at] === '').length, fileRows - rows, 'and have no cluster');
    assert.equal(await page.getAttribute('#profiles', 'data-clusters'), '3');
  });
});

test('a table split into train.csv and test.csv opens as one table, read again as one when a role changes', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    // Kaggle's layout: the test part has no label column, and its columns come in another order.
    const rows = Array.from({ length: 30 }, (_, i) => {
      const g = i % 3;
      return { id: `r${i}`, x: (g * 10 + (i % 5) * 0.3).toFixed(1), y: (g * -5 + (i % 4) * 0.2).toFixed(1), label: ['a', 'b', 'c'][g] };
    });
    const trainPart = `id,x,y,label\n${rows.slice(0, 20).map((r) => `${r.id},${r.x},${r.y},${r.label}`).join('\n')}\n`;
    const testPart = `y,x,id\n${rows.slice(20).map((r) => `${r.y},${r.x},${r.id}`).join('\n')}\n`;
    await page.setInputFiles('#file-input', [
      { name: 'train.csv', mimeType: 'text/csv', buffer: Buffer.from(trainPart) },
      { name: 'test.csv', mimeType: 'text/csv', buffer: Buffer.from(testPart) },
    ]);
    await page.waitForFunction(() => document.querySelector('#status').dataset.phase !== 'loading'
      && /rows/.test(document.querySelector('#file-info').textContent), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#file-info'), /^train\+test\.csv: 30 rows, 2 of 4 columns used as features/);
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /train\.csv and test\.csv are parts of one table \(their names differ only by train and test\): read as one, 20 \+ 10 rows; test\.csv has no "label"/, notes);
    assert.match(notes, /10 rows have no value in the label column "label"/, notes);
    // A role changed: the parts are read again, as one.
    await choose(page, roleOf('y'), 'ignored');
    assert.match(await page.textContent('#file-info'), /30 rows, 1 of 4 columns used as features/);
    await choose(page, roleOf('y'), 'feature');
    await page.fill('#k-input', '3');
    await train(page);
    const { header, rows: written } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['id', 'x', 'y', 'label', 'cluster', 'confidence']);
    assert.equal(written.length, 30);
    assert.deepEqual(written[25].slice(0, 4), ['r25', rows[25].x, rows[25].y, '']);
    assert.equal(new Set(written.map((r) => r[4])).size, 3);
  });
});

test('a table with its classes and subjects in files beside it (X_, y_, subject_ train and test .txt) opens as one labelled table', { timeout: 3 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    // sklearn's and UCI HAR's layout: features without a header, separated by spaces; one class a row.
    const files = [];
    for (const [split, n] of [['test', 9], ['train', 21]]) {
      const X = Array.from({ length: n }, (_, i) => ` ${Array.from({ length: 4 }, (_, c) => ((i % 3) * 3 + ((i * 7 + c) % 5) * 0.1).toExponential(6)).join('  ')}`);
      files.push({ name: `X_${split}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${X.join('\n')}\n`) });
      files.push({ name: `y_${split}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${Array.from({ length: n }, (_, i) => `${1 + (i % 3)}`).join('\n')}\n`) });
      // UCI HAR's subject of each row: an identifier, not a feature.
      files.push({ name: `subject_${split}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${Array.from({ length: n }, (_, i) => `${split === 'test' ? 9 : 1 + (i % 4)}`).join('\n')}\n`) });
    }
    await page.setInputFiles('#file-input', files);
    await page.waitForFunction(() => /rows/.test(document.querySelector('#file-info').textContent) || document.querySelector('#error').textContent, null, { timeout: 60_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#file-info'), /^X_train\+test\.txt: 30 rows, 4 of 6 columns used as features/);
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /X_train\.txt and X_test\.txt are parts of one table .* 21 \+ 9 rows; y_train\.txt gives the classes of X_train\.txt's rows, as its column "label"/, notes);
    assert.match(notes, /subject_test\.txt gives each of X_test\.txt's rows its subject, as the column "subject", not a feature/, notes);
    assert.equal(await page.$eval('#k-input', (e) => e.value), '3', 'k from the three classes');
    await page.selectOption('#method-select', 'kmeans');
    await train(page);
    assert.equal(Number(await page.getAttribute('#metrics', 'data-acc')), 1);
    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['col1', 'col2', 'col3', 'col4', 'label', 'subject', 'cluster', 'confidence']);
    assert.equal(rows.length, 30);
    assert.deepEqual([rows[0][5], rows[29][5]], ['1', '9'], 'training rows first, each with its subject');
  });
});
