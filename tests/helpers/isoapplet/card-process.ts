/**
 * The virtual IsoApplet card as its own process (the test's PKCS#11 calls block the test's event loop,
 * so the card cannot answer from there). The card's EEPROM is a JSON image file written after every
 * command that changed it: killing this process pulls the card, starting it again on the same image
 * puts the same card back.
 *
 *   node --import tsx card-process.ts <vpcd port> <image file> [--short-apdus]
 *
 * IPC from the parent: { type: 'limit', bytes: number | 'used' | null } (refuse files and keys beyond that
 * much EEPROM; 'used' = what is used now, i.e. the card is full), { type: 'state' } → { type: 'state', … }.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type CardState, ISOAPPLET_ATR, IsoAppletCard } from './iso-applet-card.js';
import { linkToVpcd } from './vpcd-link.js';

export type CardRequest = { type: 'limit'; bytes: number | 'used' | null } | { type: 'state' };
export interface CardReport {
  type: 'state' | 'connected' | 'limit-set';
  tries?: { pin: number | null; puk: number | null };
  usedBytes?: number;
  keyCount?: number;
}

const [portArg, imageArg, ...flags] = process.argv.slice(2);
if (!portArg || !imageArg) throw new Error('usage: card-process.ts <vpcd port> <image file> [--short-apdus]');
const image: string = imageArg;

const state = existsSync(image) ? (JSON.parse(readFileSync(image, 'utf8')) as CardState) : undefined;
const card = new IsoAppletCard(state, { extendedApdus: !flags.includes('--short-apdus') });
let written = JSON.stringify(card.toJSON());

function persist(): void {
  const now = JSON.stringify(card.toJSON());
  if (now === written) return;
  // Write then rename: a kill between two commands never leaves half an image.
  writeFileSync(`${image}.tmp`, now);
  renameSync(`${image}.tmp`, image);
  written = now;
}
if (!existsSync(image)) writeFileSync(image, written);

// ISOAPPLET_TRACE=FILE: one line per command (time, INS, status word), for looking at what a middleware sends.
const traceFile = process.env.ISOAPPLET_TRACE;
const transmit = (apdu: Buffer): Buffer => {
  const answer = card.transmit(apdu);
  if (traceFile) appendFileSync(traceFile, `${Date.now()} ${apdu.subarray(0, 4).toString('hex')} ${apdu.length} -> ${answer.length} ${answer.subarray(-2).toString('hex')}\n`);
  return answer;
};
const link = linkToVpcd({ atr: ISOAPPLET_ATR, reset: () => card.reset(), transmit }, Number(portArg), { onApdu: persist });
link.connected.then(
  () => process.send?.({ type: 'connected' } satisfies CardReport),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  },
);

process.on('message', (message: CardRequest) => {
  if (message.type === 'limit') {
    card.limitBytes = message.bytes === 'used' ? card.usedBytes() : message.bytes;
    persist();
    process.send?.({ type: 'limit-set' } satisfies CardReport);
  } else if (message.type === 'state') {
    process.send?.({ type: 'state', tries: card.tries(), usedBytes: card.usedBytes(), keyCount: card.toJSON().keys.filter(Boolean).length } satisfies CardReport);
  }
});
process.on('disconnect', () => {
  link.close();
  process.exit(0);
});
