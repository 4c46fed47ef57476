// Every class of bad input from the robustness issue, generated here: each either parses (a
// delimiter, decimal commas, a BOM, CRLF, quoted newlines) or gets one clear message in #error
// naming the file and what to do, while the earlier result stays on screen and a good file
// still trains afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveForTests, withApp, dropFile, waitForPhase, sparseFile } from './helpers.mjs';

const app = serveForTests();

const GOOD = 'a,b\n0,0\n0.1,0.2\n0.2,0\n5,5\n5.1,5.2\n5.2,5\n';

// [file name, content, what #error must say (all of them), or null when the file must parse]
const REFUSED = [
  ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', [/line 3/, /2 fields/]],
  ['empty.csv', '', [/empty/]],
  ['header-only.csv', 'a,b,c\n', [/header line/, /no rows of data/]],
  ['one-row.csv', 'a,b\n1,2\n', [/only 1 data row/]],
  ['binary.csv', { bytes: Array.from({ length: 3000 }, (_, i) => (i * 97 + 13) % 256) }, [/not a text file/]],
];

const PARSED = [
  ['semicolons.csv', 'a;b\n1,5;2\n3,5;4\n5;6\n7;8\n', 4],
  ['tabs.tsv', 'a\tb\n1\t2\n3\t4\n5\t6\n', 3],
  ['bom-crlf.csv', '\ufeffa,b\r\n1,2\r\n3,4\r\n5,6\r\n', 3],
  ['quoted-newline.csv', 'a,b,note\n1,2,"two\nlines"\n3,4,x\n5,6,y\n', 3],
  ['duplicate-names.csv', 'a,a,b\n1,2,3\n4,5,6\n7,8,9\n', 3],
  ['missing-name.csv', 'a,,b\n1,2,3\n4,5,6\n7,8,9\n', 3],
  // NaN, NA and an empty cell are missing values: filled, with a note.
  ['nan.csv', 'a,b\n1,2\nNaN,3\n4,\nNA,5\n', 4],
  // A word or an infinity among numbers: missing, named by its line in a note.
  ['text.csv', 'a,b\n1,2\n3,x\n5,6\n', 3],
  ['inf.csv', 'a,b\n1,2\n3,inf\n4,5\n', 3],
  ['excel-errors.csv', 'a,b\n1,2\n3,#DIV/0!\n4," -   "\n', 3],
  ['constant-column.csv', 'a,b,c\n1,7,2\n3,7,4\n5,7,6\n', 3],
];

/** Drops a file of arbitrary bytes (dropFile takes text). */
async function dropBytes(page, name, bytes) {
  const dataTransfer = await page.evaluateHandle(({ name, bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
    return dt;
  }, { name, bytes });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
}

async function loaded(page, name) {
  await page.waitForFunction((n) => document.querySelector('#file-info').textContent.startsWith(n) || document.querySelector('#error').textContent.includes(n),
    name, { timeout: 30_000 });
}

test('each class of bad input gets a clear message, earlier results stay, a good file still trains', { timeout: 10 * 60 * 1000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deepclust-bad-'));
  try {
    await withApp({ webgpu: false, url: `${app.url}#method=kmeans&k=2&device=cpu` }, async (page) => {
      await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
      await dropFile(page, 'good.csv', GOOD);
      await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'done');
      const summary = await page.textContent('#summary');

      for (const [name, content, messages] of REFUSED) {
        await page.evaluate(() => { document.querySelector('#error').textContent = ''; });
        if (content.bytes) await dropBytes(page, name, content.bytes);
        else await dropFile(page, name, content);
        await page.waitForFunction((n) => document.querySelector('#error').textContent.includes(n), name, { timeout: 30_000 });
        const error = await page.textContent('#error');
        for (const m of messages) assert.match(error, m, `${name}: ${error}`);
        assert.match(error, /good\.csv is still loaded/, `${name}: says what is kept`);
        assert.equal(await page.textContent('#summary'), summary, `${name}: the earlier result stays`);
        assert.equal(await page.getAttribute('#scatter', 'data-points'), '6');
      }

      // More clusters than rows: refused when training starts, with the numbers.
      await dropFile(page, 'three.csv', 'a,b\n1,2\n3,4\n5,6\n');
      await loaded(page, 'three.csv');
      await page.fill('#k-input', '5');
      await page.click('#train-button');
      await page.waitForFunction(() => /5/.test(document.querySelector('#error').textContent), null, { timeout: 30_000 });
      assert.match(await page.textContent('#error'), /k = 5 is more clusters than the 3 rows/);
      // A file of fewer rows than k starts at its number of rows.
      await dropFile(page, 'two.csv', 'a,b\n1,2\n3,4\n');
      await loaded(page, 'two.csv');
      assert.equal(await page.$eval('#k-input', (e) => e.value), '2');
      await page.fill('#k-input', '2');

      for (const [name, content, rows] of PARSED) {
        await dropFile(page, name, content);
        await loaded(page, name);
        assert.equal(await page.textContent('#error'), '', name);
        assert.match(await page.textContent('#file-info'), new RegExp(`${rows} rows`), name);
        if (name === 'text.csv') assert.match(await page.textContent('#file-warnings'), /Column "b": 1 cell is not a number \(line 3 "x"\); read as missing/);
        assert.equal(await page.textContent('#results-for'), `The results below are for good.csv; press Train to cluster ${name}.`, 'whose results are on show');
      }
      assert.match(await page.textContent('#file-warnings'), /same value in every row/, 'constant column noted');

      // A file over the budget is refused before it is read (a sparse 1 GB file on disk).
      const big = join(dir, 'huge.csv');
      await sparseFile(big, 2 ** 30);
      await page.setInputFiles('#file-input', big);
      await page.waitForFunction(() => document.querySelector('#error').textContent.includes('huge.csv'), null, { timeout: 30_000 });
      assert.match(await page.textContent('#error'), /1\.0 GB.*up to 512 MB.*command line/s);

      // And a good file still trains.
      await dropFile(page, 'good.csv', GOOD);
      await loaded(page, 'good.csv');
      await page.evaluate(() => { document.querySelector('#status').dataset.phase = 'test-started'; });
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'done', await page.textContent('#error'));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a 50 MB CSV of floats loads and starts training', { timeout: 10 * 60 * 1000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deepclust-big-'));
  try {
    // 500,000 rows × 10 columns of floats with 6 decimals: just over 50 MB.
    const path = join(dir, 'big.csv');
    const handle = await open(path, 'w');
    await handle.write(`${Array.from({ length: 10 }, (_, i) => `f${i}`).join(',')}\n`);
    let x = 1;
    for (let chunk = 0; chunk < 50; chunk++) {
      const lines = [];
      for (let r = 0; r < 10_000; r++) {
        const row = [];
        for (let c = 0; c < 10; c++) {
          x = (x * 1103515245 + 12345) % 2147483648;
          row.push((x / 2147483648 * 200 - 100).toFixed(6));
        }
        lines.push(row.join(','));
      }
      await handle.write(`${lines.join('\n')}\n`);
    }
    await handle.close();
    const { size } = await stat(path);
    assert.ok(size > 50e6, `${size} bytes`);
    await withApp({ webgpu: false, url: `${app.url}#method=dec&k=5&device=cpu` }, async (page) => {
      await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
      // Every status line shown while the file is read.
      await page.evaluate(() => {
        window.statusLines = [];
        new MutationObserver(() => window.statusLines.push(document.querySelector('#status-text').textContent))
          .observe(document.querySelector('#status-text'), { childList: true, characterData: true, subtree: true });
      });
      const started = Date.now();
      await page.setInputFiles('#file-input', path);
      await page.waitForFunction(() => document.querySelector('#file-info').textContent.startsWith('big.csv'), null, { timeout: 5 * 60 * 1000 });
      console.log(`${(size / 1e6).toFixed(1)} MB CSV (500,000 × 10) read in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.match(await page.textContent('#file-info'), /500000 rows, 10 of 10 columns used as features/);
      // The worker reads it a slice at a time and says how far it got.
      const shares = (await page.evaluate(() => window.statusLines))
        .map((line) => /^Reading big\.csv: (\d+)%/.exec(line)?.[1]).filter(Boolean).map(Number);
      const lines = await page.evaluate(() => window.statusLines);
      console.log(`progress shown while reading: ${shares.join('%, ')}%; while opening: ${lines.filter((l) => l.startsWith('Opening')).length} lines`);
      assert.ok(shares.length >= 2 && shares.some((p) => p > 0 && p < 100), `progress lines: ${shares}`);
      assert.deepEqual(shares, [...shares].sort((a, b) => a - b), 'progress only goes up');
      await page.click('#train-button');
      await page.waitForFunction(() => /^Pretraining/.test(document.querySelector('#status-text').textContent)
        && document.querySelector('#progress').value > 0, null, { timeout: 5 * 60 * 1000 });
      await page.click('#cancel-button');
      assert.equal(await page.isEnabled('#train-button'), true);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('pictures of mixed sizes and modes are read, a corrupt one is listed, the rest train', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#method=kmeans&k=2&device=cpu` }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
    // Drawn in the page: a wide RGB picture, a small grayscale one, a tall one with
    // transparency, a large JPEG, and a file that only claims to be a PNG.
    const dataTransfer = await page.evaluateHandle(async () => {
      const picture = async (w, h, draw, type = 'image/png') => {
        const c = new OffscreenCanvas(w, h);
        draw(c.getContext('2d'), w, h);
        return c.convertToBlob({ type });
      };
      const files = [
        ['wide-rgb.png', await picture(120, 40, (g, w, h) => { g.fillStyle = '#d33'; g.fillRect(0, 0, w, h); })],
        ['small-gray.png', await picture(20, 20, (g, w, h) => { g.fillStyle = '#888'; g.fillRect(0, 0, w, h); })],
        ['tall-alpha.png', await picture(30, 90, (g) => { g.fillStyle = 'rgba(0, 200, 0, 0.4)'; g.fillRect(5, 5, 20, 80); })],
        ['large.jpg', await picture(300, 200, (g, w, h) => { g.fillStyle = '#36c'; g.fillRect(0, 0, w, h); }, 'image/jpeg')],
        ['other-gray.png', await picture(64, 64, (g, w, h) => { g.fillStyle = '#222'; g.fillRect(0, 0, w, h); })],
      ];
      const dt = new DataTransfer();
      for (const [name, blob] of files) dt.items.add(new File([blob], name, { type: blob.type }));
      dt.items.add(new File(['not really a picture'], 'fake.png', { type: 'image/png' }));
      // What else lies in a photo folder: notes, an iPhone's photo, the Finder's file.
      dt.items.add(new File(['shot on a Tuesday'], 'notes.txt', { type: 'text/plain' }));
      dt.items.add(new File(['ftypheic'], 'IMG_0001.HEIC', { type: 'image/heic' }));
      dt.items.add(new File(['Bud1'], '.DS_Store'));
      return dt;
    });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    assert.match(await page.textContent('#file-info'), /5 images, \d+ × \d+ colour/);
    const skipped = await page.$$eval('#skipped-files li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(skipped.map((s) => s.split(':')[0]), ['fake.png']);
    assert.equal(await page.textContent('#error'), '');
    // Said with the notes, after the pictures were read (the notes used to replace it).
    assert.match(await page.textContent('#file-warnings'), /2 files that are not pictures were left out: notes\.txt, IMG_0001\.HEIC\. HEIC\/HEIF photos .* export them as JPEG\./);
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.equal(await page.$$eval('#gallery img', (imgs) => imgs.length), 5);
  });
});
