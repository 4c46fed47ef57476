// A W3C WebDriver client, just what the WebKit tests use, on Node's fetch: WebKitGTK is driven
// through WebKitWebDriver, which speaks nothing else, and a client library would be a large
// dependency for a dozen commands. Spec: https://www.w3.org/TR/webdriver2/
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** A free TCP port on 127.0.0.1 (for a server that takes its port on the command line). */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * Starts `command args` and resolves once `ready()` answers true (polled), or rejects with the
 * process's output when it exits or `timeout` ms pass first. The child is in its own process
 * group, so stop() ends what it started too (a driver's browser).
 */
export async function startProcess(command, args, { env, ready, timeout = 20_000 } = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  // Detached, it would outlive a test run that ends without stop().
  const stopAtExit = () => stopProcess(child);
  process.once('exit', stopAtExit);
  const exited = new Promise((ok) => child.once('exit', (code, signal) => {
    process.off('exit', stopAtExit);
    ok(code ?? signal);
  }));
  const failed = new Promise((_, fail) => child.once('error', fail));
  const started = Date.now();
  for (;;) {
    const status = await Promise.race([exited, failed, new Promise((ok) => setTimeout(ok, 100, 'running'))]);
    if (status !== 'running') throw new Error(`${command} exited (${status}) before it was ready:\n${output}`);
    if (await ready(output).catch(() => false)) break;
    if (Date.now() - started > timeout) {
      stopProcess(child);
      throw new Error(`${command} was not ready after ${timeout} ms:\n${output}`);
    }
  }
  return { child, output: () => output, stop: () => stopProcess(child) };
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
}

export class WebDriverError extends Error {}

/** One WebDriver session on the driver at `base` (e.g. http://127.0.0.1:4444). */
export class Session {
  static async create(base, capabilities) {
    const { sessionId, capabilities: granted } = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new Session(`${base}/session/${sessionId}`, granted);
  }

  constructor(url, capabilities) {
    this.url = url;
    this.capabilities = capabilities;
  }

  send(method, path, body) {
    return command(this.url, method, path, body);
  }

  navigate(url) { return this.send('POST', '/url', { url }); }
  close() { return this.send('DELETE', ''); }

  /** Runs `fn(...args)` in the page; awaits the promise an async `fn` returns. */
  execute(fn, ...args) {
    return this.send('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments);`, args });
  }

  async find(selector) {
    const found = await this.send('POST', '/element', { using: 'css selector', value: selector });
    return found[ELEMENT];
  }

  async click(selector) { return this.send('POST', `/element/${await this.find(selector)}/click`, {}); }

  async clear(selector) { return this.send('POST', `/element/${await this.find(selector)}/clear`, {}); }

  /** Types `text` into the element; for an <input type=file>, `text` is a file's path. */
  async sendKeys(selector, text) { return this.send('POST', `/element/${await this.find(selector)}/value`, { text }); }

  /** Presses and releases one key (a WebDriver key code such as '\uE00C', Escape) on the focused element. */
  pressKey(key) {
    return this.send('POST', '/actions', {
      actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }],
    });
  }
}

async function command(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok || value?.error) {
    throw new WebDriverError(`${method} ${path}: ${value?.error ?? response.status}: ${value?.message ?? ''}`);
  }
  return value;
}
