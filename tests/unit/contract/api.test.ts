import { describe, expect, it } from 'vitest';
import { callNames, calls, createObnovaApi, eventNames, events, type CallName, type EventName } from '../../../src-shared/contract/index.js';

describe('createObnovaApi', () => {
  it('exposes exactly one named method per contract call and per event, and nothing generic', () => {
    const api = createObnovaApi({ invoke: async () => ({ ok: true, value: null }), subscribe: () => () => undefined });
    const expected = [...callNames.map((c) => calls[c].method), ...eventNames.map((e) => events[e].method)].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.isFrozen(api)).toBe(true);
    expect('invoke' in api).toBe(false);
  });

  it('routes each method to its own channel with its input', async () => {
    const seen: Array<[CallName, unknown]> = [];
    const api = createObnovaApi({ invoke: async (call, input) => (seen.push([call, input]), { ok: true, value: null }), subscribe: () => () => undefined });
    await api.listCertificates({ tokenLabel: 'A' });
    await api.listTokens({});
    expect(seen).toEqual([['certificates.list', { tokenLabel: 'A' }], ['tokens.list', {}]]);
  });

  it('subscribes events by name and returns the unsubscribe', () => {
    const subscribed: EventName[] = [];
    let unsubscribed = 0;
    const api = createObnovaApi({ invoke: async () => ({ ok: true, value: null }), subscribe: (e) => (subscribed.push(e), () => void unsubscribed++) });
    const off = api.onTokensChanged(() => undefined);
    off();
    expect(subscribed).toEqual(['tokens.changed']);
    expect(unsubscribed).toBe(1);
  });

  it('keeps method names unique across calls and events', () => {
    const names = [...callNames.map((c) => calls[c].method), ...eventNames.map((e) => events[e].method)];
    expect(new Set(names).size).toBe(names.length);
  });
});
