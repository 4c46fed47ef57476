// Series of unequal lengths: resampled or padded, and what automatic picks. The shared
// archive sets have equal lengths, so each is made unequal two ways (seeded): "cut", every
// series keeps the first 50–100 % of its points (recordings that stop at different times),
// and "speed", every series is resampled to 50–100 % of its points (one course at different
// speeds). Each is clustered by the command-line tool with --series-lengths resample and pad;
// the note says which automatic picks (auto runs the same as the one it picks).
//
//   node bench/unequal-series.mjs [--methods n2d,dec] [--seeds 42,1,2] [--sets ArrowHead,...]
//
// Prints one line per set, kind, method and seed: ACC of each, the scores behind automatic's
// choice, and the choice. Needs the CLI (./build.sh cli) and ../shared/data/timeseries.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : fallback).split(',');
};
const methods = arg('methods', 'n2d,dec');
const seeds = arg('seeds', '42');
const sets = arg('sets', 'ArrowHead,BasicMotions,GunPoint');
const DATA = new URL('../../shared/data/timeseries/', import.meta.url).pathname;
const BIN = process.env.DEEPCLUST_BIN ?? join(process.env.HOME, '.cache/deepclust/target/debug/deepclust');
const out = mkdtempSync(join(tmpdir(), 'unequal-'));

// mulberry32: the same fractions on every machine.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const resample = (v, n) => Array.from({ length: n }, (_, j) => {
  const x = (j * (v.length - 1)) / Math.max(1, n - 1);
  const i = Math.min(Math.floor(x), v.length - 2);
  return v[i] + (x - i) * (v[i + 1] - v[i]);
});

function unequal(name, kind) {
  const rand = random(42);
  const lines = [];
  let data = false;
  for (const part of ['TRAIN', 'TEST']) {
    for (const line of readFileSync(join(DATA, `${name}_${part}.ts`), 'utf8').split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      if (t.startsWith('@')) {
        if (part === 'TRAIN' && !/^@(equallength|serieslength|data)/i.test(t)) lines.push(t);
        continue;
      }
      if (!data) lines.push('@equalLength false', '@data');
      data = true;
      const channels = t.split(':');
      const label = channels.pop();
      const values = channels.map((c) => c.split(',').map(Number));
      const n = Math.round((0.5 + 0.5 * rand()) * values[0].length);
      const cut = values.map((v) => (kind === 'cut' ? v.slice(0, n) : resample(v, n)));
      lines.push(`${cut.map((v) => v.map((x) => x.toPrecision(6)).join(',')).join(':')}:${label}`);
    }
  }
  const file = join(out, `${name}-${kind}.ts`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const classes = (file) => new Set(readFileSync(file, 'utf8').split('\n').filter((l) => /^[-\d.]/.test(l)).map((l) => l.split(':').at(-1))).size;

function run(file, method, seed, lengths) {
  const args = ['cluster', '-i', file, '-k', String(classes(file)), '-m', method, '--seed', seed,
    '--device', 'cpu', '--series-lengths', lengths, '--out', join(out, 'out.csv')];
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: ./build.sh cli`);
console.log('set\tkind\tmethod\tseed\tresample\tpad\tpadded match\tresampled match\tautomatic');
for (const name of sets) {
  for (const kind of ['cut', 'speed']) {
    const file = unequal(name, kind);
    for (const method of methods) {
      for (const seed of seeds) {
        const acc = {};
        let note = '';
        for (const lengths of ['resample', 'pad', 'auto']) {
          if (lengths === 'auto') {
            // Only the note: automatic trains exactly as the choice it names.
            note = run(file, 'kmeans', seed, 'auto');
            continue;
          }
          const text = run(file, method, seed, lengths);
          acc[lengths] = /ACC (\d\.\d+)/.exec(text)?.[1] ?? `failed: ${text.trim().split('\n').at(-1)}`;
        }
        const m = /padded they match (\d+) % and resampled (\d+) %/.exec(note) ?? [];
        const pick = /shorter ones are padded/.test(note) ? 'pad' : 'resample';
        console.log([name, kind, method, seed, acc.resample, acc.pad, m[1], m[2], pick].join('\t'));
      }
    }
  }
}
