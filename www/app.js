// The page: one client of lib/deepclust.js, in views of its own (views/*.js) sharing state.js.
// This module starts the worker's Session, wires the views, and applies a shared link.
import { Session } from './lib/deepclust.js';
import { el, state, showError } from './state.js';
import { readLink } from './settings.js';
import { wireData, loadSample } from './views/data.js';
import { wireTraining, updateMethodUI } from './views/training.js';
import { wireResults, offerLastResult } from './views/results.js';
import { wireModel } from './views/model.js';
import { wireComparison } from './views/comparison.js';
import { wireKSweep } from './views/ksweep.js';
import { wireLink, applySettings } from './views/link.js';
import { fitPlots } from './layout.js';

state.linkSettings = readLink(location.hash);
if (state.linkSettings?.device) el.device.value = ['cpu', 'gpu'].includes(state.linkSettings.device) ? state.linkSettings.device : 'auto';
// Offline use after the first visit (www/sw.js); a page opened from file:// simply goes without.
navigator.serviceWorker?.register('sw.js').catch(() => {});
// On a static host that sends no isolation headers the service worker adds them, but only to
// loads it controls: the first visit runs on one thread. Reloading once, before anything is
// opened, gives it every core; once data is in, the page is left as it is.
if (!self.crossOriginIsolated && navigator.serviceWorker && !sessionStorage.getItem('deepclust-isolating')) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (state.file || state.running) return;
    sessionStorage.setItem('deepclust-isolating', '1');
    location.reload();
  });
}

const session = new Session({ device: el.device.value });
state.session = session;
el.backend.textContent = 'Checking for WebGPU…';
session.addEventListener('backend', ({ detail }) => {
  el.backend.textContent = detail.text;
  el.backend.dataset.kind = detail.kind;
  el.backend.dataset.threads = String(detail.threads);
});
session.addEventListener('error', ({ detail }) => showError(detail.message));

wireData();
wireTraining();
wireResults();
wireModel();
wireComparison();
wireKSweep();
wireLink();
fitPlots();

// The method menu and its explanations come from the library's registry.
const registryLoaded = (registry) => {
  state.methods = Object.fromEntries(registry.map((m) => [m.name, m]));
  el.method.replaceChildren(...registry.map((m) => new Option(m.label, m.name, m.name === 'dec', m.name === 'dec')));
  updateMethodUI();
  offerLastResult();
  const link = state.linkSettings;
  if (link) {
    // A method in the link is a choice: files loaded later keep it.
    if (link.method) state.methodChosen = true;
    applySettings(link);  // again once the sample is loaded: its classes set k
    if (link.seed) el.seed.value = link.seed;
    if (link.sample) loadSample(link.sample);
    else state.linkSettings = null;
  }
};
const askRegistry = () => session.methods().then(registryLoaded, (err) => {
  // A worker restarted at once (another device chosen) is asked again.
  if (err.name === 'AbortError') askRegistry();
  else showError(`The page could not start its worker: ${err.message}`);
});
askRegistry();
