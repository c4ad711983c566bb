import { describe, expect, it } from 'vitest';
import { isSecretKey, redacted, scrubDocument, scrubText, SecretHarvest } from '../../../src-main/support/scrub.js';

describe('scrubbing secrets for the support bundle', () => {
  it('knows the secret keys in their usual spellings, and not look-alikes', () => {
    for (const key of ['pin', 'PIN', 'newPin', 'so_pin', 'puk', 'accessToken', 'access_token', 'Authorization', 'token', 'password']) expect(isSecretKey(key), key).toBe(true);
    for (const key of ['tokens', 'tokenLabel', 'pinPad', 'spin', 'minLength', 'label']) expect(isSecretKey(key), key).toBe(false);
  });

  it('replaces values under secret keys at any depth in JSON and harvests them', () => {
    const harvest = new SecretHarvest();
    const out = scrubDocument(JSON.stringify({ a: { pin: '482913', list: [{ accessToken: 'at-9f8e7d6c5b4a' }] }, puk: 11223344, label: 'card' }), harvest);
    expect(JSON.parse(out)).toEqual({ a: { pin: redacted, list: [{ accessToken: redacted }] }, puk: redacted, label: 'card' });
    expect(harvest.erase('seen 482913 and at-9f8e7d6c5b4a and 11223344')).toBe(`seen ${redacted} and ${redacted} and ${redacted}`);
  });

  it('scrubs JSON lines one by one and keeps lines that are not JSON as scrubbed text', () => {
    const harvest = new SecretHarvest();
    const out = scrubDocument('{"level":30,"pin":"1111"}\nplain PIN=987654 end\n{"cut', harvest);
    expect(out.split('\n')).toEqual([`{"level":30,"pin":"${redacted}"}`, `plain PIN=${redacted} end`, '{"cut']);
  });

  it('hides key=value, key: value, Bearer credentials and #token= fragments in free text', () => {
    const harvest = new SecretHarvest();
    const text = 'login pin: 5566 Authorization: Bearer eyJhbGciOi.abc.def url http://127.0.0.1:5/#token=0123456789abcdef0123 puk="99887766"';
    const out = scrubText(text, harvest);
    for (const secret of ['5566', 'eyJhbGciOi.abc.def', '0123456789abcdef0123', '99887766']) expect(out).not.toContain(secret);
    expect(out).toContain('Bearer [redacted]');
  });

  it('does not harvest ordinary words that follow a secret-looking key in prose', () => {
    const harvest = new SecretHarvest();
    scrubText('PIN: final try left', harvest);
    expect(harvest.erase('the final answer')).toBe('the final answer');
  });
});
