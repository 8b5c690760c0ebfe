// The manifest's type lives with the engine's dictionaries (the Node API reads it too).
export type { Manifest, ManifestEntry } from '../../engine/dictionary/manifest.js';
