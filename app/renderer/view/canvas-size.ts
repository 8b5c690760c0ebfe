/**
 * Sizes a canvas's backing store to `width` x `height` CSS pixels at the screen's pixel ratio (only
 * when it changed: resizing clears it) and returns its 2D context and size in device pixels; null
 * when the canvas is not mounted or has no 2D context.
 */
export function fitCanvas(canvas: HTMLCanvasElement | null, width: number, height: number): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return null;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return { ctx, w, h };
}
