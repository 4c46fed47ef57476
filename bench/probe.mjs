// What Device = auto picks, and why, for the samples in headless Chromium with WebGPU on:
//   node bench/probe.mjs [sample …]   (after ./build.sh; default: wine digits)
// Prints the badge after each run's probe and the run's time. Here WebGPU is SwiftShader, a
// CPU emulating a GPU, so the CPU should win; a real GPU needs Chromium started with its
// Vulkan flags, in DEEPCLUST_CHROMIUM_ARGS (tests/e2e/helpers.mjs; bench/gpu-machine.sh finds them).
import { startServer, launch, waitForPhase } from '../tests/e2e/helpers.mjs';

const samples = process.argv.slice(2).length ? process.argv.slice(2) : ['wine', 'digits'];
const { server, url } = await startServer();
const browser = await launch({ webgpu: true });
try {
  for (const sample of samples) {
    const page = await browser.newPage();
    await page.goto(`${url}#sample=${sample}`);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 120_000 });
    const method = await page.inputValue('#method-select');
    const started = Date.now();
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 30 * 60 * 1000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${sample} (${method}): ${phase} in ${seconds} s; badge: ${await page.textContent('#backend')}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
