import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5 } from '../../../engine/util/md5.js';
import { rng } from '../../helpers/random.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Md5', () => {
  it('gives the RFC 1321 test-suite digests', () => {
    const cases: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, digest] of cases) {
      const md5 = new Md5();
      md5.update(Uint8Array.from(text, (c) => c.charCodeAt(0)));
      expect(hex(md5.digest())).toBe(digest);
    }
  });

  it.each([0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 65537])('%i bytes fed in random pieces: node:crypto\'s digest, and digest() can be taken midway', (n) => {
    const r = rng(n + 1);
    const bytes = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
    const md5 = new Md5();
    let i = 0;
    while (i < n) {
      const take = Math.min(n - i, 1 + Math.floor(r() * 150));
      md5.update(bytes, i, i + take);
      i += take;
      expect(hex(md5.digest())).toBe(createHash('md5').update(bytes.subarray(0, i)).digest('hex'));
    }
    expect(hex(md5.digest())).toBe(createHash('md5').update(bytes).digest('hex'));
  });
});
