/**
 * ISO 8859-2 (Latin 2), the character set of UPN QR (ZBS programmer's guide §2.1, §3.4): the lower
 * half is ASCII, the upper half comes from the platform's decoder (WHATWG encoding, Node and Chromium).
 */
let upperHalf: Map<string, number> | null = null;

function table(): Map<string, number> {
  if (!upperHalf) {
    upperHalf = new Map();
    const decoder = new TextDecoder('iso-8859-2');
    for (let b = 0xa0; b <= 0xff; b++) upperHalf.set(decoder.decode(new Uint8Array([b])), b);
  }
  return upperHalf;
}

/** The ISO 8859-2 byte of one character, or undefined when the set has none (C1 controls excluded). */
export function latin2Byte(char: string): number | undefined {
  const code = char.codePointAt(0) ?? -1;
  if (char.length === 1 && code < 0x80) return code;
  return table().get(char);
}

/** ISO 8859-2 bytes of text that holds only ISO 8859-2 characters; anything else is a programming error. */
export function toLatin2(text: string): Uint8Array {
  return Uint8Array.from([...text], (c) => {
    const b = latin2Byte(c);
    if (b === undefined) throw new RangeError(`U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()} is not in ISO 8859-2`);
    return b;
  });
}
