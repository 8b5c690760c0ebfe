import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeWav } from '../../../engine/audio/wav.js';
import { openAudio, saveFile } from '../../../app/main/handlers/files.js';
import type { Dialogs } from '../../../app/main/handlers/dialogs.js';
import { tempDir } from '../../helpers/cli.js';

const wavBytes = () => writeWav({ sampleRate: 16000, channels: [new Float32Array(160).fill(0.1)] }, { bits: 16 });

function dialogs(open: { canceled: boolean; filePaths: string[] }, save: { canceled: boolean; filePath?: string }): Dialogs & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    showOpenDialog: vi.fn(async (o) => (calls.push(o), open)),
    showSaveDialog: vi.fn(async (o) => (calls.push(o), save)),
  };
}

describe('openAudio', () => {
  it('returns the chosen file by name and content, no path', async () => {
    const dir = tempDir();
    const path = join(dir, 'talk.wav');
    writeFileSync(path, wavBytes());
    const file = await openAudio(dialogs({ canceled: false, filePaths: [path] }, { canceled: true }));
    expect(file?.name).toBe('talk.wav');
    expect(file?.bytes).toEqual(new Uint8Array(readFileSync(path)));
  });

  it('returns null when the user cancels, and refuses a directory', async () => {
    expect(await openAudio(dialogs({ canceled: true, filePaths: [] }, { canceled: true }))).toBeNull();
    const dir = tempDir();
    await expect(openAudio(dialogs({ canceled: false, filePaths: [dir] }, { canceled: true }))).rejects.toThrow(/is not a file/);
  });
});

describe('saveFile', () => {
  it('writes nothing when the user cancels the dialog', async () => {
    const dir = tempDir();
    const d = dialogs({ canceled: true, filePaths: [] }, { canceled: true });
    expect(await saveFile(d, { suggestedName: 'a.clean.wav', type: 'wav', bytes: wavBytes() })).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes where the user chose, offering only the file name, and leaves no temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.wav');
    const d = dialogs({ canceled: true, filePaths: [] }, { canceled: false, filePath: target });
    const bytes = wavBytes();
    expect(await saveFile(d, { suggestedName: '../../etc/talk.clean.wav', type: 'wav', bytes })).toEqual({ path: target });
    expect(new Uint8Array(readFileSync(target))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['out.wav']);
    expect((d.calls[0] as { defaultPath: string }).defaultPath).toBe('talk.clean.wav');
  });

  it('replaces an existing file only because the user confirmed it in the save dialog', async () => {
    const dir = tempDir();
    const target = join(dir, 'exists.wav');
    writeFileSync(target, 'old');
    await saveFile(dialogs({ canceled: true, filePaths: [] }, { canceled: true }), { suggestedName: 'exists.wav', type: 'wav', bytes: wavBytes() });
    expect(readFileSync(target, 'utf8')).toBe('old');
    await saveFile(dialogs({ canceled: true, filePaths: [] }, { canceled: false, filePath: target }), { suggestedName: 'exists.wav', type: 'wav', bytes: wavBytes() });
    expect(readFileSync(target).subarray(0, 4).toString()).toBe('RIFF');
  });

  it('adds the extension when the chosen name has none', async () => {
    const dir = tempDir();
    const d = dialogs({ canceled: true, filePaths: [] }, { canceled: false, filePath: join(dir, 'take') });
    expect(await saveFile(d, { suggestedName: 'x.wav', type: 'wav', bytes: wavBytes() })).toEqual({ path: join(dir, 'take.wav') });
  });

  it.each([
    [null, /must be an object/],
    [{ suggestedName: 'a.wav', type: 'exe', bytes: new Uint8Array(4) }, /type must be "wav" or "qdict"/],
    [{ suggestedName: '', type: 'wav', bytes: new Uint8Array(4) }, /suggestedName must be 1 to 255/],
    [{ suggestedName: 'a\u0000.wav', type: 'wav', bytes: new Uint8Array(4) }, /printable/],
    [{ suggestedName: 'a.wav', type: 'wav', bytes: 'RIFF' }, /bytes must be a Uint8Array/],
    [{ suggestedName: 'a.wav', type: 'wav', bytes: new Uint8Array(0) }, /1 to \d+ bytes/],
    [{ suggestedName: 'a.wav', type: 'wav', bytes: new TextEncoder().encode('#!/bin/sh\nrm -rf ~') }, /not a WAV file/],
    [{ suggestedName: 'a.qdict', type: 'qdict', bytes: new Uint8Array(64) }, /not a valid Quell dictionary/],
  ])('refuses a bad request before showing any dialog: %j', async (request, message) => {
    const d = dialogs({ canceled: true, filePaths: [] }, { canceled: false, filePath: join(tempDir(), 'x') });
    await expect(saveFile(d, request)).rejects.toThrow(message);
    expect(d.calls).toEqual([]);
  });

  it('creates nothing outside the chosen path when writing fails', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const d = dialogs({ canceled: true, filePaths: [] }, { canceled: false, filePath: join(dir, 'missing', 'x.wav') });
    await expect(saveFile(d, { suggestedName: 'x.wav', type: 'wav', bytes: wavBytes() })).rejects.toThrow();
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['sub']);
  });
});
