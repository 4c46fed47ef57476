// The settings a shared link carries in its #fragment (settings.js reads and writes it): read
// from the form, applied to it, and kept in the address bar.
import { el, state, setPhase } from '../state.js';
import { linkFor } from '../settings.js';
import { updateMethodUI } from './training.js';

/** The settings a link carries, read from the form. */
function currentSettings() {
  return {
    sample: state.file?.sample, method: el.method.value, k: el.k.value, seed: el.seed.value, epochs: el.epochs.value,
    gamma: el.gamma.value, neighbours: el.neighbours.value, pixels: el.pixelDivisor.value, space: el.space.value, covariance: el.covariance.value, device: el.device.value,
    step: el.stepMode.checked ? '1' : '',
  };
}

export function applySettings(settings) {
  const set = (input, value) => {
    if (value === undefined) return;
    if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) return;
    input.value = value;
  };
  set(el.method, settings.method);
  set(el.k, settings.k);
  set(el.seed, settings.seed);
  set(el.epochs, settings.epochs);
  set(el.gamma, settings.gamma);
  set(el.neighbours, settings.neighbours);
  set(el.pixelDivisor, settings.pixels);
  set(el.space, settings.space);
  set(el.covariance, settings.covariance);
  if (settings.step !== undefined) el.stepMode.checked = settings.step === '1';
  updateMethodUI();
}

function replaceHash(hash) {
  window.history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

export function updateLink() {
  const hash = linkFor(currentSettings());
  el.shareLink.href = `${location.pathname}${hash}`;
  if (location.hash !== hash) replaceHash(hash);
}

export function wireLink() {
  for (const input of [el.method, el.k, el.seed, el.epochs, el.gamma, el.neighbours, el.pixelDivisor, el.space, el.covariance]) input.addEventListener('change', updateLink);
  el.shareLink.addEventListener('click', (e) => {
    e.preventDefault();
    updateLink();
    const url = new URL(el.shareLink.href, location.href).href;
    const status = (text) => setPhase(el.status.dataset.phase, text);
    navigator.clipboard?.writeText(url).then(
      () => status('Link copied: it opens this page with these settings.'),
      () => status(`Link: ${url}`),
    );
  });
}
