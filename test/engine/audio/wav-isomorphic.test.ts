import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The engine core must run in a browser, a Worker and an AudioWorklet. Bundle engine/audio/wav.ts
// the way a browser bundler does (wavefile's `module` entry, its ES source) and run it in a bare V8
// context: no Buffer, process, require, TextDecoder, console, self or window.
describe('engine/audio/wav.ts without Node or DOM globals', () => {
  it('writes and reads a WAV file in a bare JavaScript context', async () => {
    const entry = fileURLToPath(new URL('../../../engine/audio/wav.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'quellWav',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/wavefile\/dist\//); // the ES source, not the UMD build
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const out = vm.runInContext(
      `(() => {
        const x = new Float32Array([0, 0.5, -0.5, -1]);
        const file = quellWav.writeWav({ sampleRate: 8000, channels: [x, x] }, { bits: 16 });
        const back = quellWav.readWav(file);
        const mulaw = quellWav.readWav(new Uint8Array([82,73,70,70,46,0,0,0,87,65,86,69,102,109,116,32,16,0,0,0,7,0,1,0,64,31,0,0,64,31,0,0,1,0,8,0,100,97,116,97,2,0,0,0,0,255]));
        return JSON.stringify({ frames: back.channels[0].length, channels: back.channels.length, info: back.info.description, mulaw: Array.from(mulaw.channels[0]), globals: [typeof Buffer, typeof process, typeof TextDecoder, typeof self] });
      })()`,
      context,
    );
    expect(JSON.parse(out)).toEqual({
      frames: 4,
      channels: 2,
      info: '16-bit PCM',
      mulaw: [-32124 / 32768, 0],
      globals: ['undefined', 'undefined', 'undefined', 'undefined'],
    });
  });
});
