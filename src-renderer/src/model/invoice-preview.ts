/** Pure arithmetic of the invoice preview: canvas size for a page, which page is shown, the page's plain text. */

/** Canvas size for a page `pageWidth` × `pageHeight` PDF points shown `cssWidth` CSS pixels wide on a screen of `pixelRatio`. */
export function previewSize(pageWidth: number, pageHeight: number, cssWidth: number, pixelRatio: number): { scale: number; cssWidth: number; cssHeight: number; width: number; height: number } {
  const scale = cssWidth / pageWidth;
  const ratio = Number.isFinite(pixelRatio) && pixelRatio > 0 ? pixelRatio : 1;
  const cssHeight = Math.round(pageHeight * scale);
  // The backing store is in device pixels, so text stays sharp on HiDPI screens; the element keeps its CSS size.
  return { scale: scale * ratio, cssWidth: Math.round(cssWidth), cssHeight, width: Math.round(cssWidth * ratio), height: Math.round(cssHeight * ratio) };
}

/** The page number after a step of `delta`, kept within 1…pages. */
export function stepPage(page: number, delta: number, pages: number): number {
  return Math.min(Math.max(page + delta, 1), Math.max(pages, 1));
}

/** A text item as pdf.js's getTextContent gives it (marked-content items have no `str`). */
export type PdfTextItem = { str?: string; hasEOL?: boolean };

/** The page's text in reading order as one string: items joined by spaces, a new line where the PDF ends one. */
export function pageText(items: readonly PdfTextItem[]): string {
  let out = '';
  for (const item of items) {
    if (item.str === undefined) continue;
    if (out && !out.endsWith('\n') && item.str) out += ' ';
    out += item.str;
    if (item.hasEOL) out += '\n';
  }
  return out
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * Where pdf.js parses: a module worker where the page has an origin (web mode, the dev server); in the page
 * itself under file:// (the packaged Electron window). pdf.js treats the opaque file:// origin as foreign and
 * would wrap its worker in a blob: URL, which the CSP (script-src 'self') rightly refuses; a one-page invoice
 * parses in milliseconds, so the page's own thread costs nothing and the CSP stays as it is.
 */
export function pdfParsing(protocol: string): 'worker' | 'page' {
  return protocol === 'file:' ? 'page' : 'worker';
}
