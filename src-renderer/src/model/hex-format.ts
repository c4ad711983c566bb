/** Hex strings as people read them aloud to a helpdesk: upper case, bytes separated by colons. */

/** `ab12cd` → `AB:12:CD`; an odd length gets a leading zero so every group is one byte. */
export function colonHex(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const even = clean.length % 2 === 1 ? `0${clean}` : clean;
  return even.match(/.{2}/g)?.join(':') ?? '';
}
