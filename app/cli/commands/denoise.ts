import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { QuellError } from '../../../engine/errors.js';
import { separateFile, type FileSolver } from '../../../engine/node/separate-file.js';
import { denoiseSources, planSeparation } from '../../../engine/separate/plan.js';
import { listOption, numberOption, parse, stringOption } from '../args.js';
import { DEFAULT_LEARNED_NOISE_ATOMS, DEFAULT_STRENGTH, LEARNED_ATOMS_WITH_PROFILE, MAX_STRENGTH, strengthSettings } from '../../../engine/presets.js';
import { defaultDictionary, resolveDictionary, resolveNoise } from '../../../engine/node/resolve-dictionary.js';
import { trainNoiseClip } from '../../../engine/dictionary/noise-clip.js';
import { parseTimeRange, readMonoStretch } from '../inputs.js';
import { estimateOutputBytes } from '../../../engine/node/output-size.js';
import { parseBits } from '../output.js';
import { defaultJobs, maxJobs, withSolverPool } from '../parallel.js';
import { ProgressBar } from '../progress.js';
import type { CommandContext } from '../context.js';
import { denoiseBatch, prepareBatch, type BatchOptions } from '../batch.js';
import { denoiseHighCommand } from './denoise-high.js';
import { denoiseStreamCommand } from './denoise-stream.js';

export const DENOISE_HELP = `Usage: quell denoise IN... [-o OUT | --out-dir DIR] [options]

Removes noise from speech recordings with supervised sparse NMF.
IN may be files (WAV, FLAC, MP3, OGG, ...) or directories (their audio files).
One input: -o OUT (default IN.clean.wav beside it). Several: --out-dir DIR, outputs NAME.clean.wav.

Options:
  -o, --output FILE      output file (one input only)
  --out-dir DIR          output folder for a batch (created if missing)
  --speech DICT          speech dictionary: a .qdict file or a bundled name (default: speech)
  --noise NOISE          a .qdict, a bundled noise name (noise, rain, wind, ...), or a noise-only
                         recording to learn the noise from (repeatable; default: none, the noise is
                         learned from the recording itself)
  --noise-from A-B       learn the noise from a noise-only stretch of the input itself, from A to B
                         seconds (or m:ss); one input only. Combines with --noise
  --free-noise N         noise atoms learned on each 8 s block of the input (default: 32 without a
                         noise profile, 32 on top of --noise or --noise-from; 16 online with --stream)
  --strength S           how much noise to remove, 0 to 2 (default 1, the model's own estimate):
                         below 1 keeps a natural noise floor (0: at most 6 dB removed, 0.5: 18 dB),
                         above 1 removes more at the cost of speech detail (2: noise counted 6 dB up).
                         At 1, each 8 s block loses at most 22 dB minus its estimated SNR (6 dB at
                         least): clear speech is not carved out with the last of the noise
  --reduction DB         most any time-frequency bin is attenuated, in dB (overrides the floor
                         --strength sets; default: no fixed limit)
  --low-cut HZ           below this frequency nothing is kept as speech: rumble, wind and
                         handling noise go (default 60; 0 keeps the lowest band)
  --quality Q            standard (the default) or high: the recording analysed twice, with 512- and
                         1024-point frames, the two results averaged, then done again with a noise
                         dictionary learned from where that result found noise alone (beside a
                         --noise clip's; skipped when it finds the input clean). About 4.5x the
                         work (the two analyses run at once with two threads per file), +0.4 dB
                         SI-SDR at 0 dB on the benchmark (+0.8 at -5 dB); files over 17 min of
                         16 kHz mono (2.9 min of 48 kHz stereo) are streamed in bounded memory,
                         the same output; a --noise dictionary (made for one frame size) is
                         interpolated to the other analysis' frames
  --speech-1024 DICT     with --quality high and --speech: the same voices' dictionary with
                         1024-point frames (quell train --n-fft 1024 --hop 256); default: the
                         bundled speech and speech-1024
  --iterations N         solver iterations per block (default 40: 30 on frame quads, then 10 on pairs)
  --sparsity X           L1 weight on the activations (default 0.5)
  --bits 16|24|32f       output sample format (default: the input's; FLAC: 16 or 24)
  --format wav|flac      output file format (default: -o's extension, else WAV; other audio
                         extensions such as .mp3 are refused)
  --save-noise           also write the removed noise as NAME.noise.wav
  --jobs N               solver threads; a batch also runs up to N files at once (default: the
                         number of cores). The output does not depend on N.
  --force                overwrite existing outputs
  --json                 print a machine-readable summary on stdout
  -q, --quiet            no progress bar
  --stream               run the live preview's streaming denoiser over the file, exactly as the
                         AudioWorklet would, and write it with the latency removed (--free-noise
                         atoms are then learned online, --iterations is per 8 ms frame, default 5)
  --block N              with --stream: samples per block (default 128, the Web Audio render quantum)
  --device-rate HZ       with --stream: the audio device rate to run at (default 48000)
  -h, --help             this help`;

export async function denoiseCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('denoise', argv, {
    output: { type: 'string', short: 'o' },
    'out-dir': { type: 'string' },
    speech: { type: 'string' },
    'speech-1024': { type: 'string' },
    noise: { type: 'string', multiple: true },
    'noise-from': { type: 'string' },
    'free-noise': { type: 'string' },
    strength: { type: 'string' },
    reduction: { type: 'string' },
    'low-cut': { type: 'string' },
    iterations: { type: 'string' },
    quality: { type: 'string' },
    sparsity: { type: 'string' },
    bits: { type: 'string' },
    format: { type: 'string' },
    'save-noise': { type: 'boolean' },
    jobs: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
    stream: { type: 'boolean' },
    block: { type: 'string' },
    'device-rate': { type: 'string' },
  });
  if (values.help) {
    ctx.stdout(DENOISE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new QuellError('E_PARAM', 'denoise: no input given (see quell denoise --help)');
  const output = stringOption(values, 'output');
  const outDir = stringOption(values, 'out-dir');
  if (output && outDir) throw new QuellError('E_PARAM', 'denoise: give either -o or --out-dir, not both');
  const strength = strengthSettings(numberOption(values, 'strength', 0, MAX_STRENGTH) ?? DEFAULT_STRENGTH);
  const reductionDb = numberOption(values, 'reduction', 0, 200) ?? strength.reductionDb;
  const { targetWeight, residualDb } = strength;
  const iterations = numberOption(values, 'iterations', 1, 10000, true);
  const lowCutHz = numberOption(values, 'low-cut', 0, 1000);
  const sparsity = numberOption(values, 'sparsity', 0, 1000);
  const noiseArgs = listOption(values, 'noise');
  const freeNoiseArg = numberOption(values, 'free-noise', 0, 512, true);
  const noiseFrom = stringOption(values, 'noise-from');
  const noiseRange = noiseFrom === undefined ? undefined : parseTimeRange(noiseFrom);
  const freeNoise = freeNoiseArg ?? (noiseArgs.length || noiseRange ? LEARNED_ATOMS_WITH_PROFILE : DEFAULT_LEARNED_NOISE_ATOMS);
  if (noiseArgs.length === 0 && !noiseRange && freeNoise === 0) throw new QuellError('E_PARAM', 'denoise: --free-noise 0 needs a --noise dictionary or clip');
  const bits = parseBits(stringOption(values, 'bits'));
  const jobs = numberOption(values, 'jobs', 1, maxJobs(), true) ?? defaultJobs();
  const force = Boolean(values.force);
  const json = Boolean(values.json);
  const quiet = Boolean(values.quiet) || json;
  const saveNoise = Boolean(values['save-noise']);

  const quality = stringOption(values, 'quality') ?? 'standard';
  if (quality !== 'standard' && quality !== 'high') throw new QuellError('E_PARAM', `denoise: --quality must be standard or high; got ${quality}`);
  const speechArg = stringOption(values, 'speech');
  const hiresArg = stringOption(values, 'speech-1024');
  if (quality === 'high') {
    if (values.stream) throw new QuellError('E_PARAM', 'denoise: --quality high is offline only; the live denoiser (--stream) has no second analysis');
    if ((speechArg === undefined) !== (hiresArg === undefined)) {
      throw new QuellError('E_PARAM', 'denoise: --quality high takes its own speech dictionaries as a pair: --speech and --speech-1024 (the same voices trained with quell train --n-fft 1024 --hop 256)');
    }
  } else if (hiresArg !== undefined) {
    throw new QuellError('E_PARAM', 'denoise: --speech-1024 goes with --quality high');
  }
  if (!values.stream && (values.block !== undefined || values['device-rate'] !== undefined)) throw new QuellError('E_PARAM', 'denoise: --block and --device-rate go with --stream');
  const block = numberOption(values, 'block', 1, 65536, true);
  const deviceRate = numberOption(values, 'device-rate', 1000, 384000, true);

  // Every output is decided and checked before any work, noise profiles included (planTargets).
  const alsoRead = [speechArg, hiresArg, ...noiseArgs].filter((p): p is string => p !== undefined && isFile(p));
  const format = stringOption(values, 'format');
  const batch: BatchOptions = { positionals, output, outDir, saveNoise, force, format, bits, jobs, json, quiet, alsoRead, outputBytes: (input) => estimateOutputBytes(input, bits) };
  if (quality === 'high') batch.barNote = ' (high quality)';
  const speech = speechArg ? await resolveDictionary(speechArg, 'speech') : await defaultDictionary('speech');
  const hires = hiresArg ? await resolveDictionary(hiresArg, 'speech') : undefined;
  const prepared = await prepareBatch(ctx, batch);
  try {
    if (noiseRange && prepared.targets.length > 1) throw new QuellError('E_PARAM', `denoise: --noise-from names a stretch of one input but there are ${prepared.targets.length}`);
    const firstInput = prepared.targets[0]?.input;
    if (quality === 'high') {
      const job = { firstInput, speech, hires, noiseArgs, noiseRange, noiseFrom, freeNoise: freeNoiseArg, reductionDb, residualDb, targetWeight, iterations, sparsity, lowCutHz, bits, format: prepared.format, jobs, force, quiet };
      return await denoiseHighCommand(job, batch, prepared, ctx);
    }
    const noise: Dictionary[] = [];
    for (const arg of noiseArgs) {
      const bar = new ProgressBar(`learning noise from ${basename(arg)}`, !quiet);
      noise.push(await resolveNoise(arg, speech, (f) => bar.update(f)));
      bar.done();
    }
    if (noiseRange && firstInput) {
      const [start, end] = noiseRange;
      const samples = await readMonoStretch(firstInput, start, end, speech.sampleRate);
      const bar = new ProgressBar(`learning noise from ${start}-${end} s`, !quiet);
      const label = `${basename(firstInput)} ${start}-${end} s`;
      noise.push(trainNoiseClip(samples, speech, { what: `--noise-from ${noiseFrom}`, label, createdBy: 'quell denoise --noise-from', onProgress: (f) => bar.update(f) }));
      bar.done();
    }
    if (values.stream) {
      // The live default learns fewer atoms online (engine/stream/options.ts): a frame's budget is fixed.
      return await denoiseStreamCommand({ speech, noise, freeNoise: freeNoiseArg, reductionDb, speechWeight: targetWeight, residualDb, iterations, sparsity, lowCutHz, bits, format: prepared.format, force, json, quiet, block, deviceRate }, batch, prepared, ctx);
    }

    // Blocks are solved on `jobs` worker threads (the result does not depend on how many); a batch
    // also runs up to `jobs` files at once, WAV streamed in bounded memory (engine/node/separate-file.ts).
    const plan = planSeparation(denoiseSources({ speech, noise, noiseLearnedAtoms: freeNoise, reductionDb, residualDb, targetWeight, iterations, sparsity, lowCutHz }));
    return await denoiseBatch<FileSolver>(ctx, batch, prepared, (run) => withSolverPool(plan, jobs, (solver, signal) => run(signal, solver)), async ({ input, out, noiseOut }, solver, signal, onProgress) => {
      const result = await separateFile(input, solver, { outputs: [out, noiseOut], bits, format: prepared.format, force, signal, onProgress });
      return {
        seconds: result.frames / result.sampleRate,
        gainDb: result.gainDb[0],
        fields: { sampleRate: result.sampleRate, channels: result.channels, gainDb: result.gainDb[0], blocks: result.stats.blocks, meanIterations: result.stats.meanIterations },
        warnings: result.info.warnings,
      };
    });
  } finally {
    prepared.dispose();
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
