/** dictionaries/manifest.json: what the command line, the Node API, the Electron main process and the web build read. */
export interface ManifestEntry {
  file: string;
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  /** The STFT it was trained at. */
  nFft: number;
  hopSamples: number;
  description: string;
  /** Recordings the dictionary was trained on. */
  trainedOn: string[];
}

export interface Manifest {
  defaults: { speech: string; noise: string };
  dictionaries: Record<string, ManifestEntry>;
}
