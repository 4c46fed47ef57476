// Runs the benchmark page (bench/page/bench.html) in headless Chromium on WebGPU and on the
// CPU and prints one line per device. Usage:
//   node bench/browser-bench.mjs [--dims 784,500,500,2000,10] [--batch 256] [--steps 20]
//                                [--devices webgpu,cpu,cpu-threads]
// SwiftShader (headless Chromium's WebGPU) emulates a GPU on the CPU: its numbers check that
// the path works and compare devices in one browser; they say nothing about a real GPU.
import { launch } from '../tests/e2e/helpers.mjs';
import { startBenchPage, benchUrl } from './page/serve.mjs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  dims: { type: 'string', default: '784,500,500,2000,10' },
  batch: { type: 'string', default: '256' },
  steps: { type: 'string', default: '20' },
  devices: { type: 'string', default: 'webgpu,cpu,cpu-threads' },
} });

const { server, pageUrl } = await startBenchPage();
try {
  for (const device of values.devices.split(',')) {
    const browser = await launch({ webgpu: device === 'webgpu' });
    try {
      const page = await browser.newPage();
      await page.goto(benchUrl(pageUrl, { dims: values.dims, batch: values.batch, steps: values.steps, device }));
      await page.waitForFunction(() => window.benchResult, null, { timeout: 0, polling: 1000 });
      const r = await page.evaluate(() => window.benchResult);
      if (r.error) console.log(`${device.padEnd(11)} error: ${r.error}`);
      else console.log(`${device.padEnd(11)} dims=${r.dims.join(',')} batch=${r.batch} steps=${r.steps}  median ${r.ms_per_step.toFixed(1)} ms/step  (first step ${r.first_step_ms.toFixed(0)} ms, ${r.threads} thread(s), backend "${r.backend}")`);
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
