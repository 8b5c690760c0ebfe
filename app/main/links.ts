/** Only web pages open outside the app (Electron Fiddle's safelyOpenWebURL): no file:, no custom schemes. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
