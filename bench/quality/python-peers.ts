import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavFile } from './pcm16.js';
import type { BenchSystem } from './system.js';

/**
 * The optional peers of shared/eval/peers.py (RNNoise, DeepFilterNet3) need the venv that
 * shared/eval/setup-peers.sh builds (onnxruntime, the RNNoise npm package). The bench runs them
 * through that venv's python, calling peers.py's own functions on the case files, so their outputs
 * are the judge's, byte for byte.
 *
 * The python: QUELL_PEERS_PYTHON, else $PEERS_HOME/bin/python, else quell-peers/bin/python in the
 * temp folder (setup-peers.sh's default). PEERS_HOME is passed on so peers.py finds the npm package.
 */
export function peersHome(): string {
  return process.env.PEERS_HOME ?? join(tmpdir(), 'quell-peers');
}

export function peersPython(): string {
  return process.env.QUELL_PEERS_PYTHON ?? join(peersHome(), 'bin', 'python');
}

const env = () => ({ ...process.env, PEERS_HOME: peersHome() });

// Asks peers.py why a peer cannot run (its own _missing check, without importing the model).
const WHY_MISSING = String.raw`
import sys
sys.path.insert(0, sys.argv[1])
import peers
print(peers._missing(sys.argv[2]) or "")
`;

// Runs one peer of peers.py: f(noisy.wav, out.wav, noise_only.wav), as shared/eval/run.py does.
const RUN_PEER = String.raw`
import sys
sys.path.insert(0, sys.argv[1])
import peers
peers.PEERS[sys.argv[2]](sys.argv[3], sys.argv[4], sys.argv[5])
`;

const missingCache = new Map<string, string | undefined>();

/** Why `name` cannot run through the peers' python (undefined when it can); asked once per run. */
function whyMissing(name: string, evalDir: string): string | undefined {
  const key = `${evalDir}\u0000${name}`;
  if (missingCache.has(key)) return missingCache.get(key);
  const py = peersPython();
  const p = spawnSync(py, ['-c', WHY_MISSING, evalDir, name], { encoding: 'utf8', env: env() });
  let why: string | undefined;
  if (p.error) why = `no peers python at ${py} (bash ../shared/eval/setup-peers.sh, or set QUELL_PEERS_PYTHON)`;
  else if (p.status !== 0) why = `${py} could not load ${evalDir}/peers.py: ${p.stderr.trim().split('\n').pop()}`;
  else why = p.stdout.trim() || undefined;
  missingCache.set(key, why);
  return why;
}

function pythonPeer(name: string, description: string): BenchSystem {
  return {
    name,
    group: 'peer',
    description,
    missing: (evalDir) => whyMissing(name, evalDir),
    run(c) {
      const out = join(c.files.dir, `.tmp-${name}.wav`);
      try {
        const p = spawnSync(peersPython(), ['-c', RUN_PEER, c.evalDir, name, c.files.noisy, out, c.files.noiseOnly], { encoding: 'utf8', env: env(), maxBuffer: 1 << 24 });
        if (p.error) throw new Error(`${peersPython()} could not start: ${p.error.message}`);
        if (p.status !== 0) throw new Error(`peers.py ${name} failed (exit ${p.status}): ${p.stderr.trim().slice(-300)}`);
        return readWavFile(out).samples;
      } finally {
        rmSync(out, { force: true });
      }
    },
  };
}

/**
 * RNNoise and DeepFilterNet3 as shared/eval/peers.py runs them (its README gives versions and
 * alignment checks). Each case starts a Python process, and dfn3 loads its model in it, as a
 * command-line run would: their RTFs include that.
 */
export const PYTHON_PEERS: BenchSystem[] = [
  pythonPeer('rnnoise', 'RNNoise 0.2 (xiph default model, npm WASM build) via shared/eval/peers.py, at 48 kHz, its 20 ms delay cut; no settings'),
  pythonPeer('dfn3', 'DeepFilterNet3 (released weights, official ONNX export, onnxruntime) via shared/eval/peers.py, at 48 kHz, enhance() defaults'),
];
