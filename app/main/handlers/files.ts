import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { writeFileAtomic } from '../../../engine/node/atomic-write.js';
import type { OpenedFile, SaveFileResult } from '../../shared/ipc.js';
import { AUDIO_EXTENSIONS, type Dialogs } from './dialogs.js';
import { bytes, fail, fileName, isRecord, looksLikeWav } from './validate.js';

/** Largest file the app opens or writes: 4 GiB, the RIFF limit. */
export const MAX_FILE_BYTES = 2 ** 32;

/**
 * Shows the open dialog and reads the chosen file. The renderer learns only the file's name and
 * content: no path, and nothing it did not pick itself.
 */
export async function openAudio(dialogs: Dialogs): Promise<OpenedFile | null> {
  const result = await dialogs.showOpenDialog({
    title: 'Open a recording',
    properties: ['openFile'],
    filters: [
      { name: 'Audio', extensions: AUDIO_EXTENSIONS },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const path = result.filePaths[0];
  if (result.canceled || !path) return null;
  const info = await stat(path);
  if (!info.isFile()) fail(`${basename(path)} is not a file`);
  if (info.size > MAX_FILE_BYTES) fail(`${basename(path)} is larger than 4 GiB`);
  return { name: basename(path), bytes: new Uint8Array(await readFile(path)) };
}

const FILTERS = {
  wav: { name: 'WAV audio', extensions: ['wav'] },
  qdict: { name: 'Quell dictionary', extensions: ['qdict'] },
};

/**
 * Validates a save request, shows the save dialog and writes the bytes where the user chose,
 * atomically (temporary file, then rename). Replacing an existing file happens only because the
 * user confirmed it in that dialog; nothing is written when they cancel. WAV bytes must be a WAV
 * file and .qdict bytes a valid dictionary: main does not write arbitrary content.
 */
export async function saveFile(dialogs: Dialogs, request: unknown): Promise<SaveFileResult> {
  if (!isRecord(request)) fail('save request must be an object');
  const type = request.type;
  if (type !== 'wav' && type !== 'qdict') fail(`type must be "wav" or "qdict"; got ${JSON.stringify(type)}`);
  const name = fileName(request.suggestedName, 'suggestedName');
  const data = bytes(request.bytes, 'bytes', MAX_FILE_BYTES);
  if (type === 'wav' && !looksLikeWav(data)) fail('bytes are not a WAV file');
  if (type === 'qdict') decodeDictionary(data);
  const result = await dialogs.showSaveDialog({ title: type === 'wav' ? 'Export audio' : 'Export dictionary', defaultPath: name, filters: [FILTERS[type]] });
  if (result.canceled || !result.filePath) return null;
  const path = extname(result.filePath) ? result.filePath : `${result.filePath}.${type}`;
  await writeFileAtomic(path, data, { force: true });
  return { path };
}
