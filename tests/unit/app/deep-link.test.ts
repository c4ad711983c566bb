import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../../src-main/app/deep-link.js';
import { EventHub } from '../../../src-main/app/event-hub.js';
import { LinkInbox } from '../../../src-main/app/link-inbox.js';
import { events } from '../../../src-shared/contract/index.js';

describe('obnova:// links', () => {
  it.each([
    ['obnova://orders/ord_8Kx2-a', { kind: 'order', orderId: 'ord_8Kx2-a' }],
    ['OBNOVA://orders/A1', { kind: 'order', orderId: 'A1' }],
    ['obnova://orders/A1/', { kind: 'order', orderId: 'A1' }],
    ['obnova://renew', { kind: 'renew' }],
  ])('reads %s', (link, expected) => {
    const parsed = parseDeepLink(link);
    expect(parsed).toEqual(expected);
    expect(events['app.link-opened'].payload.parse(parsed)).toEqual(expected);
  });

  it.each([
    'https://evil.example/orders/1',
    'obnova://orders/',
    'obnova://orders/a/b',
    'obnova://orders/..%2f..%2fetc',
    'obnova://orders/<script>',
    'obnova://user:pw@orders/1',
    'obnova://orders:8080/1',
    'obnova://settings/reset',
    'obnova://renew/now',
    `obnova://orders/${'a'.repeat(41)}`,
    `obnova://orders/${'a'.repeat(300)}`,
    'obnova:orders/1',
  ])('refuses %s', (link) => {
    expect(parseDeepLink(link)).toBeUndefined();
  });

  it('finds the link among command-line arguments, ignoring the rest', () => {
    expect(deepLinkFromArgv(['/opt/Obnova/obnova', '--no-sandbox', 'obnova://orders/X9'])).toEqual({ kind: 'order', orderId: 'X9' });
    expect(deepLinkFromArgv(['/opt/Obnova/obnova', '--flag'])).toBeUndefined();
  });

  it('keeps the last link until the window takes it once, and announces it', () => {
    const hub = new EventHub();
    const seen: unknown[] = [];
    hub.subscribe((name, payload) => seen.push([name, payload]));
    const inbox = new LinkInbox(hub);
    expect(inbox.take()).toBeNull();
    inbox.deliver({ kind: 'order', orderId: 'A1' });
    expect(seen).toEqual([['app.link-opened', { kind: 'order', orderId: 'A1' }]]);
    expect(inbox.take()).toEqual({ kind: 'order', orderId: 'A1' });
    expect(inbox.take()).toBeNull();
  });
});
