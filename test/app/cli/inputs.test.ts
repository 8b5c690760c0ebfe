import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMono, readMonoStretch } from '../../../app/cli/inputs.js';
import { quell, tempDir } from '../../helpers/cli.js';
import { floatWavWith } from '../../helpers/float-wav.js';

describe('readMono and readMonoStretch: non-finite samples', () => {
  const dir = tempDir();
  const nan = floatWavWith(join(dir, 'nan.wav'), NaN, 4000, 2);

  it('readMono names the file and where the first one is (E_FORMAT), before resampling spreads it', async () => {
    await expect(readMono(nan, 8000)).rejects.toMatchObject({ code: 'E_FORMAT', message: `${nan} contains non-finite samples (NaN or infinity); the first is at 0.250 s` });
  });

  it('readMonoStretch too, with the time in the file, not in the stretch', async () => {
    await expect(readMonoStretch(nan, 0.2, 0.4, 16000)).rejects.toThrow(`${nan} contains non-finite samples (NaN or infinity); the first is at 0.250 s`);
    expect((await readMonoStretch(nan, 0.5, 0.7, 16000)).length).toBe(3200); // a clean stretch of the same file is fine
  });

  it('quell train: one line naming the file, exit 1 (not "the recordings are digital silence")', async () => {
    const inf = floatWavWith(join(dir, 'inf.wav'), Infinity, 0);
    const r = await quell('train', '--kind', 'noise', '-k', '4', '--iterations', '3', '-o', join(dir, 'x.qdict'), '-q', inf);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`quell: ${inf} contains non-finite samples (NaN or infinity); the first is at 0.000 s\n`);
  });
});
