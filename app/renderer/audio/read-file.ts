/**
 * A file's bytes, read as a stream into one buffer without holding the main thread. Both
 * `Blob.arrayBuffer()` and a plain read loop hand over a large file (an hour of audio is hundreds
 * of MB) in one long task (stream reads that are already buffered resolve as microtasks, which
 * never yield); this loop yields to the event loop every few milliseconds.
 */
export async function readFileBytes(file: Blob, sliceMs = 8): Promise<Uint8Array> {
  // Blobs without streams (older engines, jsdom) are read in one piece.
  if (typeof file.stream !== 'function') return new Uint8Array(await file.arrayBuffer());
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let at = 0;
  let since = performance.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > bytes.length) throw new Error('the file grew while it was being read');
    bytes.set(value, at);
    at += value.length;
    if (performance.now() - since > sliceMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      since = performance.now();
    }
  }
  if (at !== bytes.length) throw new Error('the file shrank while it was being read');
  return bytes;
}
