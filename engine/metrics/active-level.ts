/**
 * Active speech level as the eval harness defines it (shared/eval/mix.py): the mean power of the
 * 20 ms frames within 40 dB of the loudest, a simple stand-in for ITU-T P.56.
 */
export function activeSpeechPower(x: Float32Array, rate: number): number {
  const n = Math.round(0.02 * rate);
  const frames = Math.floor(x.length / n);
  const p = new Float64Array(frames);
  let max = 0;
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let i = f * n; i < (f + 1) * n; i++) s += x[i] * x[i];
    p[f] = s / n;
    max = Math.max(max, p[f]);
  }
  let sum = 0;
  let count = 0;
  for (const v of p) {
    if (v > max * 1e-4) {
      sum += v;
      count++;
    }
  }
  return count ? sum / count : 0;
}

/** speech + noise scaled so the SNR on the active speech level is `snrDb`; the noise as added too. */
export function mixAtSnr(speech: Float32Array, noise: Float32Array, snrDb: number, rate: number): { noisy: Float32Array; noise: Float32Array; gain: number } {
  const ps = activeSpeechPower(speech, rate);
  let pn = 0;
  for (let i = 0; i < speech.length; i++) pn += noise[i] * noise[i];
  pn /= speech.length;
  const gain = Math.sqrt(ps / (pn * 10 ** (snrDb / 10)));
  const scaled = new Float32Array(speech.length);
  for (let i = 0; i < speech.length; i++) scaled[i] = noise[i] * gain;
  const noisy = new Float32Array(speech.length);
  for (let i = 0; i < speech.length; i++) noisy[i] = speech[i] + scaled[i];
  return { noisy, noise: scaled, gain };
}
