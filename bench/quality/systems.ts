import { QUELL_MODES, type QuellMode } from './modes.js';
import { PEERS, toolInstalled } from './peers.js';
import { RATE } from './pcm16.js';
import { PYTHON_PEERS } from './python-peers.js';
import type { BenchSystem } from './system.js';

function fromMode(mode: QuellMode): BenchSystem {
  return {
    name: mode.name,
    group: 'quell',
    description: mode.description,
    needsHires: mode.needsHires,
    needsNoiseFold: mode.needsNoiseFold,
    run(c) {
      const out = mode.run({ sampleRate: RATE, channels: [c.mixture.noisy] }, { clip: c.mixture.noiseOnly, speech: c.speech, noise: c.noise, speechHires: c.speechHires, kernels: c.kernels, truth: { clean: c.mixture.clean, noise: c.mixture.noise } });
      if (out.sampleRate !== RATE || out.channels.length !== 1) throw new Error(`mode ${mode.name} returned ${out.channels.length} channels at ${out.sampleRate} Hz; expected 1 at ${RATE} Hz`);
      return out.channels[0];
    },
  };
}

/** Every system the benchmark knows, in report order: bounds, peers (sox, ffmpeg, then peers.py's RNNoise and DFN3), then the Quell modes. */
export function allSystems(): BenchSystem[] {
  return [...PEERS, ...PYTHON_PEERS, ...QUELL_MODES.map(fromMode)];
}

/**
 * The systems named in `names` (all when undefined), minus those whose external tool or Python
 * peer is missing; each skipped one is reported through `log` in one line. Throws on an unknown name.
 */
export function selectSystems(names: string[] | undefined, evalDir: string, log: (line: string) => void): BenchSystem[] {
  const all = allSystems();
  for (const n of names ?? []) {
    if (!all.some((s) => s.name === n)) throw new Error(`--systems: unknown system "${n}" (known: ${all.map((s) => s.name).join(', ')})`);
  }
  const wanted = names ? all.filter((s) => names.includes(s.name)) : all;
  const installed = new Map<string, boolean>();
  return wanted.filter((s) => {
    const why = s.missing?.(evalDir);
    if (why) log(`${s.name}: skipped (${why})`);
    if (why) return false;
    if (!s.tool) return true;
    if (!installed.has(s.tool)) installed.set(s.tool, toolInstalled(s.tool));
    if (!installed.get(s.tool)) log(`${s.name}: skipped (${s.tool} is not installed)`);
    return installed.get(s.tool);
  });
}

/** Looks systems up by name, for a worker that was told which ones to run. */
export function systemsByName(names: string[]): BenchSystem[] {
  const all = allSystems();
  return names.map((n) => {
    const s = all.find((x) => x.name === n);
    if (!s) throw new Error(`unknown system ${n}`);
    return s;
  });
}
