/** Bytes from base64 text, in the browser, in workers and in Node alike. */
export function bytesFromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
