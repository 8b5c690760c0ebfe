/** Running `quell denoise` and the numpy reference as child processes, with their timings and memory. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './offline-data.js';

export interface ChildRun {
  code: number;
  /** Wall-clock seconds of the whole process (start-up and dictionary loading included). */
  wallSeconds: number;
  /** User + system CPU seconds of the process, all its threads. */
  cpuSeconds: number;
  /** Peak resident set size of the process (resourceUsage().maxRSS), in MB. */
  maxRssMB: number;
  stdout: string;
  stderr: string;
}

const CLI_MAIN = join(REPO, 'dist', 'app', 'cli', 'main.js');

// Runs the CLI's main() in a fresh process and reports that process's resource usage when it ends.
const RUNNER = `
const { main } = await import(${JSON.stringify(pathToFileURL(CLI_MAIN).href)});
const code = await main(process.argv.slice(1));
const u = process.resourceUsage();
process.stderr.write('\\nQUELL_USAGE ' + JSON.stringify({ code, maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }) + '\\n');
process.exitCode = code;
`;

/** `quell ARGS...` in a child process (the built CLI in dist/). */
export async function runQuell(args: string[], pin = false): Promise<ChildRun> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build first (npx tsc -b)`);
  const run = await runChild(process.execPath, ['--input-type=module', '-e', RUNNER, ...args], undefined, pin);
  const m = /QUELL_USAGE (.*)\n?$/.exec(run.stderr);
  if (!m) throw new Error(`quell ${args.join(' ')} failed (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const usage = JSON.parse(m[1]) as { code: number; maxRSS: number; cpu: number };
  if (usage.code !== 0) {
    const said = (run.stdout + run.stderr.slice(0, m.index)).trim().split('\n').slice(-6).join(' | ');
    throw new Error(`quell ${args.join(' ')} exited ${usage.code}: ${said}`);
  }
  return { ...run, cpuSeconds: usage.cpu, maxRssMB: usage.maxRSS / 1024, stderr: run.stderr.slice(0, m.index) };
}

/** Any command, timed (CPU and memory left at 0); with `pin`, on core 0 alone (taskset). */
export function runChild(command: string, args: string[], env?: NodeJS.ProcessEnv, pin = false): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(pin ? 'taskset' : command, pin ? ['-c', '0', command, ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: 0, maxRssMB: 0, stdout, stderr }));
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** 1, 5 and 15 minute load averages, for the report. */
export async function loadAverage(): Promise<string> {
  const { loadavg } = await import('node:os');
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

/** True when `taskset` can pin a process to one core (util-linux); the one-core rows need it. */
export function canPin(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}
