/**
 * Reads a payment QR from a rendered page with readers nobody here wrote: zbarimg (the decoded
 * text; zbar applies the symbol's ECI, so ECI 4 text arrives as UTF-8), jsQR (version and the
 * segments, ECI designators included, with the raw bytes) and zxing-cpp as WebAssembly (version,
 * error correction level, the ECI as it stands in the bit stream).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jsQR from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { zbarDecodeFile } from '../renewal/zbar.js';

let zxingReady: Promise<unknown> | null = null;

/** zxing-cpp's module from the package's own .wasm file (its default would download it). */
function zxing(): Promise<unknown> {
  const wasm = join(dirname(createRequire(import.meta.url).resolve('zxing-wasm/reader')), '../../reader/zxing_reader.wasm');
  zxingReady ??= prepareZXingModule({ overrides: { wasmBinary: readFileSync(wasm).buffer as ArrayBuffer }, fireImmediately: true });
  return zxingReady;
}

export interface SymbolReading {
  /** zbarimg --raw -Sbinary output as UTF-8 text. */
  zbarText: string;
  version: number;
  /** Segments in order: `eci:4`, `byte`, … */
  segments: string[];
  /** The bytes of the byte segments, exactly as the symbol holds them. */
  bytes: Uint8Array;
  level: string;
  /** zxing-cpp's ECI-escaped bytes as text: `]Q2\\000004…` when an ECI designator is in the stream, `]Q1…` without. */
  eciText: string;
  /** Pixels between the centres of the top-left and top-right finder patterns (jsQR). */
  finderDistance: number;
}

/** A region of the page in PDF points from the top-left corner. */
interface PageRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the invoice draws its payment QR (invoice-pdf.ts), with the quiet zone and nothing else. */
function invoiceQrRegion(market: 'si' | 'rs'): PageRegion {
  return market === 'si' ? { left: 25, top: 368, width: 138, height: 125 } : { left: 25, top: 368, width: 190, height: 190 };
}

/** Renders page 1 of a PDF (or a region of it) to an 8-bit grey PGM at `dpi`; returns its path. */
function renderPdfPage(pdf: string, outBase: string, dpi = 300, region?: PageRegion): string {
  const px = (pt: number) => String(Math.round((pt * dpi) / 72));
  const crop = region ? ['-x', px(region.left), '-y', px(region.top), '-W', px(region.width), '-H', px(region.height)] : [];
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', ...crop, pdf, outBase]);
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr?.toString()}`);
  return `${outBase}.pgm`;
}

/** Binary PGM (P5, maxval 255): the netpbm header and the grey bytes. */
function readPgm(path: string): { width: number; height: number; grey: Uint8Array } {
  const data = readFileSync(path);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${path} is not an 8-bit binary PGM`);
  return { width: Number(header[1]), height: Number(header[2]), grey: data.subarray(header[0].length) };
}

/** Reads the one QR symbol in a PGM image with all three readers. */
async function readSymbol(pgm: string): Promise<SymbolReading> {
  const zbarText = zbarDecodeFile(pgm).toString('utf8');
  const { width, height, grey } = readPgm(pgm);
  const rgba = new Uint8ClampedArray(width * height * 4);
  grey.forEach((g, i) => rgba.set([g, g, g, 255], i * 4));
  const js = jsQR(rgba, width, height);
  if (!js) throw new Error('jsQR found no code');
  await zxing();
  const [zx] = await readBarcodes({ data: rgba, width, height, colorSpace: 'srgb' }, { formats: ['QRCode'], tryHarder: true });
  if (!zx?.isValid) throw new Error(`zxing-cpp found no code: ${zx?.error ?? ''}`);
  return {
    zbarText,
    version: js.version,
    segments: js.chunks.map((c) => ('assignmentNumber' in c ? `eci:${c.assignmentNumber}` : String(c.type))),
    bytes: Uint8Array.from(js.chunks.flatMap((c) => ('bytes' in c ? c.bytes : []))),
    level: zx.ecLevel,
    eciText: Buffer.from(zx.bytesECI).toString('latin1'),
    finderDistance: js.location.topRightFinderPattern.x - js.location.topLeftFinderPattern.x,
  };
}

/**
 * Reads the payment QR of an invoice PDF: first at the resolution that puts its modules on whole
 * pixels (UPN QR 1,2 pt → 360 dpi, 6 px; IPS QR 2 pt → 288 dpi, 8 px), then at others, until
 * every reader has it (ZXing and jsQR each miss some anti-aliased renderings).
 */
export async function readInvoiceSymbol(pdf: string, outBase: string, market: 'si' | 'rs'): Promise<SymbolReading & { dpi: number }> {
  let last: unknown;
  for (const dpi of market === 'si' ? [360, 300, 600] : [288, 360, 576]) {
    try {
      return { ...(await readSymbol(renderPdfPage(pdf, `${outBase}-${dpi}`, dpi, invoiceQrRegion(market)))), dpi };
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
