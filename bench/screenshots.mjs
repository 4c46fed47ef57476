// Screenshots of the main views for the README and for checking the layout by eye:
//   node bench/screenshots.mjs   (after ./build.sh; writes docs/screenshots/*.png)
// Runs on the CPU so the pictures do not depend on a GPU being present.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, startServer, launch, waitForPhase } from '../tests/e2e/helpers.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
await mkdir(OUT, { recursive: true });
const { server, url } = await startServer();
const browser = await launch({ webgpu: false });

async function shoot(name, { width = 1280, height = 900, dark = false }, body) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light' });
  await page.goto(`${url}#device=cpu`);
  await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
  await body(page);
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`wrote ${path}`);
  await page.close();
}

const ready = (page) => page.waitForFunction(() => !document.querySelector('#train-button').disabled);

try {
  await shoot('results-digits-map', {}, async (page) => {
    await page.selectOption('#sample-select', 'digits');
    await ready(page);
    await page.selectOption('#method-select', 'n2d');
    await page.click('#train-button');
    await waitForPhase(page, ['done', 'error'], 10 * 60 * 1000);
    await page.selectOption('#view-select', 'map');
    await page.waitForFunction(() => /The map is ready/.test(document.querySelector('#status-text').textContent), null, { timeout: 10 * 60 * 1000 });
  });
  await shoot('live-map-digits', {}, async (page) => {
    // The map view chosen mid-run: redrawn from the embedding at each pause of step mode.
    await page.selectOption('#sample-select', 'digits');
    await ready(page);
    await page.check('#step-mode');
    await page.click('#train-button');
    await waitForPhase(page, ['paused'], 5 * 60 * 1000);
    await page.selectOption('#view-select', 'map');
    await page.click('#next-step');
    await page.waitForFunction(() => document.querySelector('#status').dataset.phase === 'paused'
      && document.querySelector('#scatter').dataset.frame === 'map', null, { timeout: 5 * 60 * 1000 });
  });
  await shoot('step-by-step', {}, async (page) => {
    await page.selectOption('#sample-select', 'blobs');
    await ready(page);
    await page.check('#step-mode');
    await page.click('#train-button');
    for (let i = 0; i < 3; i++) {
      await waitForPhase(page, ['paused'], 5 * 60 * 1000);
      if (i < 2) {
        await page.click('#next-step');
        await page.waitForFunction(() => document.querySelector('#status').dataset.phase !== 'paused');
      }
    }
    await page.locator('#explain').scrollIntoViewIfNeeded();
  });
  await shoot('choose-k-dark-projector', { width: 1700, height: 1000, dark: true }, async (page) => {
    await page.selectOption('#sample-select', 'blobs');
    await ready(page);
    await page.click('#k-sweep-button');
    await page.waitForFunction(() => document.querySelector('#k-sweep-plot').dataset.suggestedK !== undefined, null, { timeout: 120_000 });
  });
} finally {
  await browser.close();
  server.close();
}
