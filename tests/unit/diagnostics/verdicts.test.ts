import { describe, expect, it } from 'vitest';
import type { CertificateReport, ModuleReport, ReadersReport, ServiceReport } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/index.js';
import { formatDuration, makeChecks, worstStatus, type VerdictFacts } from '../../../src-main/diagnostics/verdicts.js';

const noReaders: ReadersReport = { tool: 'opensc-tool', serviceAvailable: true, readers: [] };
const noService: ServiceReport = { url: null, reachable: false, httpStatus: null, serverTime: null, clockSkewSeconds: null, roundTripMs: null, error: null };

function facts(extra: Partial<VerdictFacts>): VerdictFacts {
  return { locale: 'en', app: { version: '1.0.0' }, os: { platform: 'linux', release: '6' }, modules: [], readers: noReaders, tokens: [], certificates: [], service: noService, reminderLeadDays: 60, serviceChecked: true, ...extra };
}

describe('verdicts', () => {
  it('sizes a clock difference in h and min', () => {
    expect([formatDuration(40), formatDuration(-420), formatDuration(7200), formatDuration(-8100)]).toEqual(['40 s', '7 min', '2 h', '2 h 15 min']);
  });

  it('clock within 5 minutes is OK; beyond, ahead or behind', () => {
    const at = (seconds: number) => makeChecks(facts({ service: { ...noService, url: 'https://s', reachable: true, httpStatus: 200, clockSkewSeconds: seconds } })).find((c) => c.area === 'clock')?.verdict;
    expect([at(299), at(-299), at(301), at(-3600)]).toEqual(['CLOCK_OK', 'CLOCK_OK', 'CLOCK_AHEAD', 'CLOCK_BEHIND']);
  });

  it('a module that failed C_Initialize: MODULE_INIT_FAILED naming the path', () => {
    const module: ModuleReport = { path: '/usr/lib/x.so', source: 'probe', name: 'X', exists: true, loaded: false, info: null, error: { code: 'TOKEN_MODULE_INIT_FAILED', message: 'C_Initialize failed', details: { path: '/usr/lib/x.so', ckr: 'CKR_GENERAL_ERROR' } } };
    const check = makeChecks(facts({ modules: [module] })).find((c) => c.area === 'modules');
    expect(check).toMatchObject({ status: 'error', verdict: 'MODULE_INIT_FAILED', details: { ckr: 'CKR_GENERAL_ERROR' } });
    expect(check?.fix).toContain('/usr/lib/x.so did not start');
  });

  it('no module installed names the middleware a detected card needs', () => {
    const readers: ReadersReport = { tool: 'opensc-tool', serviceAvailable: true, readers: [{ name: 'R', atr: '3B:00', cards: [{ name: 'IDPrime', middleware: 'thales-idprime', middlewareName: 'Thales IDPrime', middlewareInstalled: false, example: true }] }] };
    const check = makeChecks(facts({ readers })).find((c) => c.verdict === 'MODULE_NONE_INSTALLED');
    expect(check?.fix).toBe('No card software is installed on this computer. Install Thales IDPrime, then start Obnova again.');
  });

  it('speaks the requested language', () => {
    const check = makeChecks(facts({ locale: 'sr-Cyrl', service: { ...noService, url: 'https://s', reachable: true, httpStatus: 200, clockSkewSeconds: -7200 } })).find((c) => c.area === 'clock');
    expect(check?.fix).toBe('Сат вашег рачунара касни 2 h. У системским подешавањима укључите аутоматско подешавање датума и времена, па поново проверите.');
  });

  it('the overall status is the worst one', () => {
    expect(worstStatus([])).toBe('ok');
    expect(worstStatus(makeChecks(facts({ serviceChecked: false })))).toBe('error');
  });

  it('counts days through each language’s plural rules: never "1 days"', () => {
    const cert = (days: number): CertificateReport => ({
      modulePath: '/m.so', slotId: '1', tokenLabel: 'Ana kartica', objectLabel: 'Ana', readable: true, subjectCommonName: 'Ana Novak', issuerCommonName: 'CA', serialNumber: '01',
      notBefore: '2020-01-01T00:00:00Z', notAfter: new Date(Date.now() + days * 86_400_000).toISOString(), fingerprintSha256: 'ab', hasPrivateKey: true, qualified: true, daysLeft: days,
    });
    const fix = (locale: Locale, days: number) => makeChecks(facts({ locale, certificates: [cert(days)] })).find((c) => c.verdict === 'CERT_EXPIRING' || c.verdict === 'CERT_EXPIRED')!.fix;
    expect(fix('en', 1)).toContain('expires in 1 day (');
    expect(fix('en', 19)).toContain('expires in 19 days (');
    expect(fix('en', -1)).toContain('expired 1 day ago.');
    expect([1, 2, 3, 5].map((d) => /čez (\d+ \S+) \(/.exec(fix('sl', d))?.[1])).toEqual(['1 dan', '2 dneva', '3 dni', '5 dni']);
    expect([1, 2, 5, 21].map((d) => /за (\d+ \S+) \(/.exec(fix('sr-Cyrl', d))?.[1])).toEqual(['1 дан', '2 дана', '5 дана', '21 дан']);
    expect(fix('sr-Latn', -2)).toContain('pre 2 dana.');
  });
});
