/** Decodes QR codes with zbarimg (independent of the qrcode library that made them); returns the raw bytes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The symbol's data of the single QR code in an image file (raw bytes, or UTF-8 after an ECI). */
export function zbarDecodeFile(path: string): Buffer {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', '-Sbinary', '-Sqrcode.enable=1', path], { timeout: 30_000 });
  if (r.status !== 0) throw new Error(`zbarimg failed (${r.status}): ${r.stderr?.toString()}`);
  // With -Sbinary zbarimg adds no newline of its own; it prints the bytes as they are unless the
  // symbol has an ECI designator, whose character set (e.g. 4 = ISO 8859-2) it converts to UTF-8.
  return r.stdout;
}

/** Raw symbol bytes of the QR code in a PNG buffer. */
export function zbarDecodePng(png: Uint8Array): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-zbar-'));
  try {
    const file = join(dir, 'qr.png');
    writeFileSync(file, png);
    return zbarDecodeFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
