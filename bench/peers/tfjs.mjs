// The DEC autoencoder's training step in headless Chromium: deepclust (bench/page/bench.html) against
// TensorFlow.js 4.22 (bench/peers/tfjs/), same network, batch and Adam, on WebGPU and on the
// CPU (deepclust's wasm CPU backend against TF.js's wasm backend, and its plain-JS one for
// reference). TF.js is installed from npm into ~/.cache/deepclust/peers-tfjs on first use,
// for this benchmark only: the app never loads it.
//   node bench/peers/tfjs.mjs [--dims 784,500,500,2000,10] [--batch 256] [--steps 5]
// In headless Chromium WebGPU is SwiftShader, a CPU emulation: those numbers compare the two
// libraries' WebGPU paths on the same emulator, not what a real GPU would do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, launch } from '../../tests/e2e/helpers.mjs';
import { serve } from '../../tests/e2e/static-server.mjs';
import { startBenchPage, benchUrl } from '../page/serve.mjs';

const { values } = parseArgs({ options: {
  dims: { type: 'string', default: '784,500,500,2000,10' },
  batch: { type: 'string', default: '256' },
  steps: { type: 'string', default: '5' },
} });

const VERSION = '4.22.0';
// The union package: tfjs-core alone registers no gradients.
const PACKAGES = ['tfjs', 'tfjs-backend-webgpu', 'tfjs-backend-wasm'];
const cache = join(process.env.DEEPCLUST_CACHE ?? join(homedir(), '.cache', 'deepclust'), 'peers-tfjs');
if (!existsSync(join(cache, 'node_modules', '@tensorflow', 'tfjs', 'dist'))) {
  console.error(`installing TensorFlow.js ${VERSION} into ${cache} (once)`);
  execFileSync('npm', ['install', '--prefix', cache, '--no-audit', '--no-fund', '--loglevel=error',
    ...PACKAGES.map((p) => `@tensorflow/${p}@${VERSION}`)], { stdio: 'inherit' });
}

// One folder to serve: the benchmark page beside the installed packages.
const site = await mkdtemp(join(tmpdir(), 'deepclust-tfjs-'));
await symlink(join(cache, 'node_modules', '@tensorflow'), join(site, 'tfjs'));
for (const f of ['bench.html', 'bench.js']) await symlink(join(ROOT, 'bench', 'peers', 'tfjs', f), join(site, f));
const tfjsServer = await serve(site);
const tfjsUrl = `http://127.0.0.1:${tfjsServer.address().port}/bench.html`;
const { server: appServer, pageUrl } = await startBenchPage();

async function measure(url, webgpu) {
  const browser = await launch({ webgpu });
  try {
    const page = await browser.newPage();
    // The plain-JavaScript backend's steps can hold up the load event for half a minute.
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(() => window.benchResult, null, { timeout: 0, polling: 1000 });
    const r = await page.evaluate(() => window.benchResult);
    if (r.error) throw new Error(r.error);
    return r;
  } finally {
    await browser.close();
  }
}

const common = { dims: values.dims, batch: values.batch, steps: values.steps };
const ours = (device) => benchUrl(pageUrl, { ...common, device });
const theirs = (backend, threads) => `${tfjsUrl}?${new URLSearchParams({ ...common, backend, ...(threads ? { threads } : {}) })}`;
const shape = `${values.dims} batch ${values.batch} Adam f32, median of ${values.steps} steps`;
try {
  for (const [name, device, backend, webgpu, threads] of [
    ['WebGPU (SwiftShader)', 'webgpu', 'webgpu', true],
    ['CPU in wasm, one thread', 'cpu', 'wasm', false, 1],
    // Both on every core: the pages are cross-origin isolated (tests/e2e/static-server.mjs).
    ['CPU in wasm, every core', 'cpu-threads', 'wasm', false],
  ]) {
    const a = await measure(ours(device), webgpu);
    const b = await measure(theirs(backend, threads), webgpu);
    const counts = backend === 'wasm' ? ` (threads: deepclust ${a.threads}, TF.js ${b.threads})` : '';
    console.log(`DEC autoencoder step ${shape}, Chromium ${name}: deepclust ${a.ms_per_step.toFixed(1)} ms, `
      + `TF.js ${b.backend} ${b.ms_per_step.toFixed(1)} ms, ratio ${(a.ms_per_step / b.ms_per_step).toFixed(2)}${counts}`);
  }
  const js = await measure(theirs('cpu'), false);
  console.log(`  (reference: TF.js plain-JavaScript cpu backend ${js.ms_per_step.toFixed(1)} ms)`);
} finally {
  tfjsServer.close();
  appServer.close();
  await rm(site, { recursive: true, force: true });
}
