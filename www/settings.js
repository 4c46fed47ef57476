// The samples' descriptions, and the settings a shared link carries in its #fragment (which
// browsers never send to a server, so a link shares settings, not data).

export const SAMPLES = {
  blobs: '600 points in 4 round, well separated groups: every method should find them. Try “Help me choose k”.',
  moons: 'Two interleaved half circles. Centre-based clusters (k-means, DEC) cut them in the wrong place: the groups are not round.',
  circles: 'A ring inside a ring. No centre can tell them apart in these two columns; watch what the embedding does.',
  anisotropic: 'Three stretched, tilted groups: round clusters fit them badly; a Gaussian mixture with full covariance can.',
  imbalanced: 'Groups of 500, 100 and 20 points. Methods that prefer equal cluster sizes split the big one.',
  noise: '1000 points spread evenly: there are no clusters, so any answer is an artefact. The silhouette stays low for every k.',
  cbf: 'Cylinder-Bell-Funnel (Saito 1994): 120 noisy series of 128 points, each a plateau, a rise or a fall that starts and ends anywhere. k-means on the raw series cannot see past where they happen; the series network can.',
  activities: '90 five-second recordings of a wrist accelerometer (x, y, z): resting, walking and running differ in how much and how fast they move. Try Scaling: each series on its own, which keeps only the rhythm, against each channel over all series, which keeps how much they move.',
  iris: 'Fisher’s iris flowers: 4 measurements, 3 species (one easy to separate, two that overlap). UCI, CC BY 4.0.',
  wine: '13 chemical measurements of wines from 3 cultivars. UCI, CC BY 4.0.',
  digits: '1797 handwritten digits as 8 × 8 pixel values (64 columns), 10 classes. UCI, CC BY 4.0.',
};

const KEYS = ['sample', 'method', 'k', 'seed', 'epochs', 'gamma', 'neighbours', 'pixels', 'space', 'covariance', 'device', 'step'];

/** The settings in a `#key=value&…` fragment, or null when it holds none. */
export function readLink(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const settings = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') settings[key] = value;
  }
  if (settings.sample && !(settings.sample in SAMPLES)) delete settings.sample;
  return Object.keys(settings).length ? settings : null;
}

/** The fragment for these settings (empty values left out). */
export function linkFor(settings) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = settings[key];
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}
