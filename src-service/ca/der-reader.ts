/**
 * A strict DER reader (X.690 §10) for the one structure read on the issuance hot path, the
 * PKCS#10 request: single-byte tags, definite minimal lengths, every child inside its parent.
 * asn1js's general BER parser costs ~0.5 ms per request; this costs microseconds. Anything it
 * does not understand is an error, never a guess.
 */

export interface DerNode {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export class DerError extends Error {}

/** The TLV starting at `offset`, which must end at or before `limit`. */
export function readNode(der: Uint8Array, offset: number, limit: number): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3) throw new DerError('indefinite or oversized length');
    if (contentStart + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[contentStart + i]!;
    if (length < 0x80 || der[contentStart] === 0) throw new DerError('non-minimal length');
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('content runs past its parent');
  return { tag, start: offset, contentStart, end };
}

/** The children of a constructed node, in order, covering its content exactly. */
export function children(der: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let at = node.contentStart; at < node.end; ) {
    const child = readNode(der, at, node.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The node, checking its tag. */
export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}`);
  return node;
}

/** Dotted OBJECT IDENTIFIER from its content bytes (X.690 §8.19). */
export function oidString(der: Uint8Array, node: DerNode): string {
  const arcs: number[] = [];
  let value = 0;
  for (let i = node.contentStart; i < node.end; i++) {
    const byte = der[i]!;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  if (arcs.length === 0 || (der[node.end - 1]! & 0x80) !== 0) throw new DerError('malformed OID');
  return arcs.join('.');
}

/** Text of a directory string (UTF8, Printable, IA5, Teletex as Latin-1, BMP); null for other types. */
export function directoryString(der: Uint8Array, node: DerNode): string | null {
  const bytes = Buffer.from(der.buffer, der.byteOffset + node.contentStart, node.end - node.contentStart);
  switch (node.tag) {
    case 0x0c:
      return bytes.toString('utf8');
    case 0x13:
    case 0x16:
      return bytes.toString('ascii');
    case 0x14:
      return bytes.toString('latin1');
    case 0x1e:
      return Buffer.from(bytes).swap16().toString('utf16le');
    default:
      return null;
  }
}
