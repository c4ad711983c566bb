/**
 * pdf.js behind a small interface: open PDF bytes, draw a page on a canvas, read a page's text.
 * Only ever loaded with import() (components/renewal/invoice-preview.tsx), so pdf.js is a chunk of its own
 * that a holder who never opens a preview never downloads or parses.
 */
import { getDocument, GlobalWorkerOptions, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { pageText, pdfParsing, previewSize, type PdfTextItem } from './invoice-preview.js';

export type OpenedPdf = {
  readonly pages: number;
  /** Draws page `page` (1-based) `cssWidth` CSS pixels wide; resolves once drawn. */
  draw(page: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void>;
  /** The page's text, for the canvas's text alternative. */
  text(page: number): Promise<string>;
  close(): Promise<void>;
};

let parserReady: Promise<void> | undefined;

/** Points pdf.js at its worker, or loads the worker's code into this page (see pdfParsing). */
function readyParser(): Promise<void> {
  parserReady ??= (async () => {
    GlobalWorkerOptions.workerSrc = workerUrl;
    if (pdfParsing(location.protocol) === 'page') {
      // pdf.js uses globalThis.pdfjsWorker, when set, instead of starting a worker.
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(/* @vite-ignore */ workerUrl);
    }
  })();
  return parserReady;
}

/** Opens `bytes` (a copy is handed to pdf.js, which may transfer it to its worker). */
export async function openPdf(bytes: Uint8Array): Promise<OpenedPdf> {
  await readyParser();
  const doc: PDFDocumentProxy = await getDocument({
    data: bytes.slice(),
    // No eval: the CSP forbids it, and pdf.js then interprets PostScript functions instead of compiling them.
    isEvalSupported: false,
    // The invoice embeds its fonts (DejaVu Sans); nothing is fetched for fonts, maps or scripts.
    useSystemFonts: false,
    enableXfa: false,
    // Errors only: pdf.js's warnings (such as "Setting up fake worker" under file://) are for its developers.
    verbosity: VerbosityLevel.ERRORS,
  }).promise;
  return {
    pages: doc.numPages,
    async draw(page, canvas, cssWidth) {
      const p = await doc.getPage(page);
      const base = p.getViewport({ scale: 1 });
      const size = previewSize(base.width, base.height, cssWidth, window.devicePixelRatio);
      canvas.width = size.width;
      canvas.height = size.height;
      canvas.style.width = `${size.cssWidth}px`;
      canvas.style.height = `${size.cssHeight}px`;
      await p.render({ canvas, viewport: p.getViewport({ scale: size.scale }) }).promise;
    },
    async text(page) {
      const content = await (await doc.getPage(page)).getTextContent();
      return pageText(content.items as PdfTextItem[]);
    },
    close: () => doc.destroy(),
  };
}
