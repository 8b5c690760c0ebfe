/**
 * Reproduces the bundled dictionaries bit for bit from the DEV audio set (default ../shared/data):
 *
 *   npm run train-dictionaries [-- --data DIR] [-- --check]
 *
 * One speaker and one noise recording are held out of every dictionary: the bundled example and the
 * end-to-end tests are made from them, so no figure we show is measured on training data. Plain
 * TypeScript kernels only (the WebAssembly ones sum in another order), a fixed seed, so the same data
 * give the same bytes. --check trains into memory and compares with the committed files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readWav } from '../engine/audio/wav.js';
import { downmix } from '../engine/audio/downmix.js';
import type { Dictionary } from '../engine/dictionary/dictionary.js';
import { encodeDictionary } from '../engine/dictionary/format.js';
import { trainDictionary, type TrainingRecording } from '../engine/dictionary/train.js';
import { jsKernels } from '../engine/nmf/kernels.js';

export const HELD_OUT = { speech: 'spk03_frCA_f_june.wav', noise: 'river_water.wav' };

export const SETTINGS = {
  sampleRate: 16000,
  nFft: 512,
  hopSamples: 128,
  window: 'hann' as const,
  beta: 1,
  sparsity: 0.1,
  iterations: 200,
  maxFrames: 12000,
  seed: 1,
  speechAtoms: 64,
  noiseAtoms: 64,
  noiseTypeAtoms: 32,
};

/** STFT of the speech dictionary of `--quality high`'s second analysis (engine/separate/high-quality.ts): twice the frame length. */
export const HIRES_STFT = { nFft: 1024, hopSamples: 256 };

/** Noise type of a DEV-set noise file: its name up to the first underscore (music_blues -> music). */
export function noiseType(file: string): string {
  return basename(file, '.wav').split('_')[0];
}

const LICENSES: Record<string, string> = {
  'spk01_enUS_f_allison.wav': 'CC-BY-SA-3.0, Allison Smith (theivrvoice.com) / Digium, asterisk-core-sounds-en-g722 1.6.1',
  'spk02_itIT_m_carlo.wav': 'CC-BY-3.0, Carlo Flora, asterisk-core-sounds-it-g722 1.6.1',
  'spk03_frCA_f_june.wav': 'CC-BY-SA-3.0, June Wallack, asterisk-core-sounds-fr-g722 1.6.1',
  'spk04_de_ktuberling.wav': 'GPL-2+, KDE ktuberling-data 22.12.3',
  'spk05_wa_ktuberling.wav': 'GPL-2+, KDE ktuberling-data 22.12.3',
  'spk06_en_ktuberling.wav': 'GPL-2+, KDE ktuberling-data 22.12.3',
  'engine_prop_stationary.wav': 'GPL-2+, FlightGear flightgear-data-base 2020.3.16',
  'wind.wav': 'CC-BY-SA-3.0, Wildfire Games, 0 A.D. 0ad-data 0.0.26',
  'rain.wav': 'CC-BY-SA-3.0, Wildfire Games, 0 A.D. 0ad-data 0.0.26',
  'babble_market.wav': 'CC-BY-SA-3.0, Wildfire Games, 0 A.D. 0ad-data 0.0.26',
  'river_water.wav': 'CC-BY-SA-3.0, Wildfire Games, 0 A.D. 0ad-data 0.0.26',
  'traffic.wav': 'GPL-2+, LinCity-NG lincity-ng-data 2.9',
  'music_blues.wav': 'GPL-2+, Robert van Herk, "City Blues", LinCity-NG lincity-ng-data 2.9',
  'keyboard_typing.wav': 'GPL-2+, bucklespring-data 1.4.0 (IBM Model M recordings)',
};

function load(dir: string, file: string): TrainingRecording {
  const audio = readWav(new Uint8Array(readFileSync(join(dir, file))));
  if (audio.sampleRate !== SETTINGS.sampleRate) throw new Error(`${file}: ${audio.sampleRate} Hz, expected ${SETTINGS.sampleRate}`);
  return { name: file, samples: downmix(audio) };
}

interface Job {
  name: string;
  /** STFT other than SETTINGS' nFft/hopSamples. */
  stft?: { nFft: number; hopSamples: number };
  file: string;
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  description: string;
  recordings: string[];
  dir: string;
}

export function plan(data: string, listing: { speech: string[]; noise: string[] }): Job[] {
  const speech = listing.speech.filter((f) => f !== HELD_OUT.speech);
  const noise = listing.noise.filter((f) => f !== HELD_OUT.noise);
  const jobs: Job[] = [
    {
      name: 'speech',
      file: 'speech.qdict',
      kind: 'speech',
      label: 'general speech',
      atoms: SETTINGS.speechAtoms,
      description: `${speech.length} speakers, 5 languages; the general speech dictionary`,
      recordings: speech,
      dir: join(data, 'speech'),
    },
    {
      name: 'speech-1024',
      file: 'speech-1024.qdict',
      kind: 'speech',
      label: 'general speech, 1024-point STFT',
      atoms: SETTINGS.speechAtoms,
      description: `the general speech dictionary's speakers with a ${HIRES_STFT.nFft}-point STFT (hop ${HIRES_STFT.hopSamples}): the second analysis of --quality high`,
      recordings: speech,
      dir: join(data, 'speech'),
      stft: HIRES_STFT,
    },
    {
      name: 'noise',
      file: 'noise.qdict',
      kind: 'noise',
      label: 'general noise',
      atoms: SETTINGS.noiseAtoms,
      description: `${noise.length} noise recordings of ${noise.length} types; the general noise dictionary`,
      recordings: noise,
      dir: join(data, 'noise'),
    },
  ];
  for (const file of noise) {
    const type = noiseType(file);
    jobs.push({
      name: `noise-${type}`,
      file: `noise-${type}.qdict`,
      kind: 'noise',
      label: `${type} noise`,
      atoms: SETTINGS.noiseTypeAtoms,
      description: `${type} noise, from ${file}`,
      recordings: [file],
      dir: join(data, 'noise'),
    });
  }
  return jobs;
}

function train(job: Job): Dictionary {
  const recordings = job.recordings.map((f) => load(job.dir, f));
  const licenses = [...new Set(job.recordings.map((f) => LICENSES[f] ?? 'see the data README'))];
  return trainDictionary(recordings, {
    kind: job.kind,
    label: job.label,
    sampleRate: SETTINGS.sampleRate,
    nFft: job.stft?.nFft ?? SETTINGS.nFft,
    hopSamples: job.stft?.hopSamples ?? SETTINGS.hopSamples,
    window: SETTINGS.window,
    atoms: job.atoms,
    beta: SETTINGS.beta,
    sparsity: SETTINGS.sparsity,
    iterations: SETTINGS.iterations,
    maxFrames: SETTINGS.maxFrames,
    seed: SETTINGS.seed,
    kernels: () => jsKernels,
    createdBy: 'quell scripts/train-dictionaries.ts',
    notes: `training data licences: ${licenses.join('; ')}`,
  });
}

function main(): void {
  const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data' }, out: { type: 'string', default: 'dictionaries' }, check: { type: 'boolean' }, only: { type: 'string' } } });
  const data = values.data!;
  const list = (sub: string) => readdirSync(join(data, sub)).filter((f) => f.endsWith('.wav')).sort();
  const jobs = plan(data, { speech: list('speech'), noise: list('noise') }).filter((j) => !values.only || j.name === values.only);
  const manifest = {
    format: 'quell-dictionary-manifest',
    version: 1,
    command: 'npm run train-dictionaries',
    data: { folder: 'shared/data (the DEV audio set: 16 kHz mono WAV)', licenses: LICENSES },
    heldOut: HELD_OUT,
    settings: SETTINGS,
    defaults: { speech: 'speech', noise: 'noise' },
    dictionaries: {} as Record<string, unknown>,
  };
  let mismatches = 0;
  for (const job of jobs) {
    const t0 = Date.now();
    const dict = train(job);
    const bytes = encodeDictionary(dict);
    const path = join(values.out!, job.file);
    if (values.check) {
      const same = Buffer.compare(Buffer.from(bytes), readFileSync(path)) === 0;
      if (!same) mismatches++;
      process.stderr.write(`${job.file}: ${same ? 'identical' : 'DIFFERS'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    } else {
      writeFileSync(path, bytes);
      process.stderr.write(`${job.file}: ${dict.atoms} atoms, ${dict.provenance.frames} frames, objective ${dict.provenance.objective.toPrecision(6)}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    manifest.dictionaries[job.name] = {
      file: job.file,
      kind: job.kind,
      label: job.label,
      atoms: job.atoms,
      nFft: dict.nFft,
      hopSamples: dict.hopSamples,
      description: job.description,
      trainedOn: job.recordings,
      licenses: [...new Set(job.recordings.map((f) => LICENSES[f]))],
      bytes: bytes.length,
    };
  }
  if (values.check) {
    process.exitCode = mismatches ? 1 : 0;
  } else if (!values.only) {
    writeFileSync(join(values.out!, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

if (process.argv[1] && basename(process.argv[1]).startsWith('train-dictionaries')) main();
