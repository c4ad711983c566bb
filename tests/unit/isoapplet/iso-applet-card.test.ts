/**
 * The IsoApplet emulator's own rules, APDU by APDU (the integration tests drive it through OpenSC):
 * PIN and PUK counters that really count down and block, chaining, GET RESPONSE, and the full card.
 */
import { describe, expect, it } from 'vitest';
import { ISOAPPLET_AID, IsoAppletCard } from '../../helpers/isoapplet/iso-applet-card.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const sw = (answer: Buffer) => answer.subarray(-2).toString('hex');
const pad16 = (ascii: string) => Buffer.concat([Buffer.from(ascii), Buffer.alloc(16 - ascii.length)]).toString('hex');
const apdu = (header: string, data = '', le?: string) =>
  hex(header + (data ? (data.length / 2).toString(16).padStart(2, '0') + data : '') + (le ?? ''));

/** A card past pkcs15-init's PUK and PIN steps, applet selected. */
function personalised(): IsoAppletCard {
  const card = new IsoAppletCard();
  expect(sw(card.transmit(apdu('00a40400', ISOAPPLET_AID.toString('hex'))))).toBe('9000');
  expect(sw(card.transmit(apdu('00240102', Buffer.from('1234567890123456').toString('hex'))))).toBe('9000');
  expect(sw(card.transmit(apdu('00240101', Buffer.from('4711').toString('hex'))))).toBe('9000');
  card.reset();
  card.transmit(apdu('00a40400', ISOAPPLET_AID.toString('hex')));
  return card;
}
const verify = (card: IsoAppletCard, pin: string) => sw(card.transmit(apdu('00200001', Buffer.from(pin).toString('hex'))));

describe('IsoApplet emulator', () => {
  it('answers the applet SELECT with API 0.6 and its features; other commands before it are not found', () => {
    const card = new IsoAppletCard();
    expect(sw(card.transmit(hex('00b0000000')))).toBe('6a82');
    expect(card.transmit(apdu('00a40400', ISOAPPLET_AID.toString('hex'))).toString('hex')).toBe('0006079000');
  });

  it('three wrong PINs block it (63C2, 63C1, 63C0), the right one then fails too; the empty VERIFY tells the tries', () => {
    const card = personalised();
    expect(sw(card.transmit(hex('00200001')))).toBe('63c3');
    expect([verify(card, '0000'), verify(card, '1111'), verify(card, '2222')]).toEqual(['63c2', '63c1', '63c0']);
    expect(verify(card, '4711')).toBe('63c0');
    expect(card.tries()).toEqual({ pin: 0, puk: 5 });
  });

  it('RESET RETRY COUNTER with the PUK sets a new PIN and unblocks; a wrong PUK counts down from 5', () => {
    const card = personalised();
    for (const pin of ['0000', '1111', '2222']) verify(card, pin);
    expect(sw(card.transmit(apdu('002c0001', Buffer.from('0000000000000000' + '9999').toString('hex'))))).toBe('63c4');
    expect(sw(card.transmit(apdu('002c0001', Buffer.from('1234567890123456' + '9999').toString('hex'))))).toBe('9000');
    expect(verify(card, '9999')).toBe('9000');
    expect(card.tries()).toEqual({ pin: 3, puk: 5 });
  });

  it('CHANGE REFERENCE DATA needs the old PIN (both padded to 16 bytes)', () => {
    const card = personalised();
    expect(sw(card.transmit(apdu('00240001', pad16('0000') + pad16('1234'))))).toBe('63c2');
    expect(sw(card.transmit(apdu('00240001', pad16('4711') + pad16('1234'))))).toBe('9000');
    expect(verify(card, '1234')).toBe('9000');
  });

  it('key generation needs the PIN; a chained PSO collects all parts; the RSA public key comes in two parts (61xx, GET RESPONSE)', () => {
    const card = personalised();
    expect(sw(card.transmit(apdu('00224100', '8001f3840100')))).toBe('6982');
    verify(card, '4711');
    expect(sw(card.transmit(apdu('00224100', '8001f3840100')))).toBe('9000');
    const first = card.transmit(hex('0046420000'));
    expect(first.length).toBe(258);
    expect(sw(first)).toBe('610e');
    const rest = card.transmit(hex('00c000000e'));
    expect(sw(rest)).toBe('9000');
    expect(Buffer.concat([first.subarray(0, 256), rest.subarray(0, -2)]).subarray(0, 9).toString('hex')).toBe('7f49820109818201' + '00');
    expect(sw(card.transmit(apdu('002241b6', '800111840100')))).toBe('9000');
    const digestInfo = '3031300d060960864801650304020105000420' + '11'.repeat(32);
    expect(sw(card.transmit(apdu('102a9e9a', digestInfo.slice(0, 20))))).toBe('9000');
    const signature = card.transmit(apdu('002a9e9a', digestInfo.slice(20), '00'));
    expect(sw(signature)).toBe('9000');
    expect(signature.length).toBe(258);
  });

  it('a full card refuses a new file and a new key with 6A84 and keeps what it has', () => {
    const card = personalised();
    verify(card, '4711');
    card.limitBytes = card.usedBytes();
    expect(sw(card.transmit(apdu('00e00000', '6f0b810200408201018302a000')))).toBe('6a84');
    card.transmit(apdu('00224100', '8001f3840101'));
    expect(sw(card.transmit(hex('0046420000')))).toBe('6a84');
    card.limitBytes = null;
    expect(sw(card.transmit(apdu('00e00000', '6f0b810200408201018302a000')))).toBe('9000');
  });
});
