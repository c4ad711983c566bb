/** Decodes QR codes with zbarimg (independent of the qrcode library that made them); returns the raw bytes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Raw symbol bytes of the single QR code in an image file. */
export function zbarDecodeFile(path: string): Buffer {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', '-Sbinary', '-Sqrcode.enable=1', path], { timeout: 30_000 });
  if (r.status !== 0) throw new Error(`zbarimg failed (${r.status}): ${r.stderr?.toString()}`);
  // With -Sbinary zbarimg prints the symbol's bytes exactly, without a newline of its own.
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
