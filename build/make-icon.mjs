#!/usr/bin/env node
// Draws build/icon.png (1024×1024) from the favicon's two circles, so the installers' icon is made by
// code like every other resource: `node build/make-icon.mjs`. electron-builder derives .ico/.icns from it.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 1024;
const blue = [0x1a, 0x4b, 0x8c];
const white = [0xff, 0xff, 0xff];

/** Colour and coverage of one sample point, in the favicon's 32-unit coordinates. */
function sample(x, y) {
  const r = Math.hypot(x - 16, y - 16);
  if (r > 16) return null;
  return Math.abs(r - 8) <= 1.75 ? white : blue; // the ring: radius 8, stroke 3.5
}

const grid = 4; // 4×4 supersampling for smooth edges
const rows = [];
for (let py = 0; py < size; py++) {
  const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
  for (let px = 0; px < size; px++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < grid; sy++) {
      for (let sx = 0; sx < grid; sx++) {
        const colour = sample(((px + (sx + 0.5) / grid) * 32) / size, ((py + (sy + 0.5) / grid) * 32) / size);
        if (!colour) continue;
        r += colour[0];
        g += colour[1];
        b += colour[2];
        a += 1;
      }
    }
    const o = 1 + px * 4;
    if (a > 0) row.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / (grid * grid))], o);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png: ${size}×${size}, ${png.length} bytes`);
