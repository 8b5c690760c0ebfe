// End to end, on real recordings no bundled dictionary has seen: the held-out speaker's speech and
// the held-out noise recording (test/fixtures/e2e, see its README), mixed at 0 dB.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { stoi } from '../../../engine/metrics/stoi.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { mixAtSnr } from '../../../engine/metrics/active-level.js';

describe('quell denoise on a held-out speaker and a held-out noise at 0 dB', () => {
  it('improves SI-SDR by at least 5 dB with a noise-only clip, and does not lower STOI', async () => {
    const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
    const noise = readWavFile(join(FIXTURES, 'e2e', 'noise.wav')).channels[0];
    const { noisy } = mixAtSnr(speech, noise, 0, 16000);
    const dir = tempDir();
    const input = join(dir, 'noisy.wav');
    writeWavFile(input, { sampleRate: 16000, channels: [noisy] }, '32f');
    const out = join(dir, 'clean.wav');
    const r = await quell('denoise', input, '-o', out, '--noise', join(FIXTURES, 'e2e', 'noise-clip.wav'), '--bits', '32f', '-q');
    expect(r.code).toBe(0);
    const clean = readWavFile(out).channels[0];
    const before = siSdr(speech, noisy);
    const after = siSdr(speech, clean);
    // The river recording carries a large DC offset (mean 0.18 of rms 0.21) that counts in the
    // 0 dB mix level but not in SI-SDR, which removes the mean: the input scores about +6 dB.
    expect(before).toBeLessThan(7);
    expect(after - before).toBeGreaterThanOrEqual(5);
    expect(stoi(speech, clean, 16000)).toBeGreaterThanOrEqual(stoi(speech, noisy, 16000));
  });
});
