import { describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/index.js';
import { dispatchCall, type Handlers } from '../../../src-main/ipc/dispatch.js';

const token = { slotId: '1', slotDescription: 's', label: 'L', manufacturer: 'm', model: 'x', serialNumber: '01',
  pin: { countLow: false, finalTry: false, locked: false, toBeChanged: false, soLocked: false, protectedAuthenticationPath: false, minLength: 4, maxLength: 8 } };
const module = { path: '/lib.so', source: 'argument' as const, name: null, libraryDescription: 'd', manufacturer: 'm', libraryVersion: '1.0', cryptokiVersion: '2.40' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app.info': async () => ({ name: 'Obnova', version: '0', mode: 'web', systemLocale: 'en' }),
    'tokens.list': async () => ({ module, tokens: [token] }),
    'certificates.list': async () => ({ certificates: [], notices: [] }),
    ...overrides,
    // The calls these tests do not make (diagnostics, settings, …) are left out on purpose.
  } as Handlers;
}

describe('dispatchCall', () => {
  it('returns the handler value for a known call with valid input', async () => {
    const result = await dispatchCall(handlers(), 'tokens.list', {});
    expect(result).toEqual({ ok: true, value: { module, tokens: [token] } });
  });

  it('refuses a call the contract does not declare', async () => {
    const result = await dispatchCall(handlers(), 'tokens.delete', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'CALL_UNKNOWN' } });
  });

  it('refuses input that does not match the schema, naming the field', async () => {
    const result = await dispatchCall(handlers(), 'certificates.list', { slotId: 'abc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', details: { field: 'slotId' } } });
  });

  it('refuses unknown input keys (strict schemas)', async () => {
    const result = await dispatchCall(handlers(), 'tokens.list', { pin: '1234' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('turns a thrown ObnovaError into an error value with its code and details', async () => {
    const failing = handlers({ 'tokens.list': async () => { throw new ObnovaError('TOKEN_MODULE_NOT_FOUND', 'no file', { path: '/x.so' }); } });
    expect(await dispatchCall(failing, 'tokens.list', {})).toEqual({ ok: false, error: { code: 'TOKEN_MODULE_NOT_FOUND', message: 'no file', details: { path: '/x.so' } } });
  });

  it('hides the text of unexpected errors behind INTERNAL', async () => {
    const failing = handlers({ 'tokens.list': async () => { throw new Error('secret path /home/ana/pin.txt'); } });
    const result = await dispatchCall(failing, 'tokens.list', {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Unexpected internal error' } });
  });

  it('reports a handler whose output breaks the contract as INTERNAL', async () => {
    const drifting = handlers({ 'tokens.list': async () => ({ module, tokens: [{ ...token, slotId: 7 }] }) as never });
    expect(await dispatchCall(drifting, 'tokens.list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
