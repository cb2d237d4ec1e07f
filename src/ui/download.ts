/** Saves text or a blob as a file the browser downloads. */
export function download(filename: string, content: string | Blob, type = 'application/json'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // The download has started from the URL; it may go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a page and a time: "frequency-principle-2026-11-22-2345". */
export function fileStem(page: string): string {
  const name = page.replace(/^#\//, '') || 'run';
  const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return `${name}-${stamp}`;
}
