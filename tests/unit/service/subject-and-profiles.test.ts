import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfiles, profileFor } from '../../../src-service/ca/profiles/load-profiles.js';
import { parseRevocationReason, reasonCode } from '../../../src-service/ca/revocation-reasons.js';
import { subjectAttributes, subjectName } from '../../../src-service/ca/subject.js';
import type { Holder } from '../../../src-service/holders/holder-schema.js';

const base: Holder = {
  id: 'H1',
  kind: 'natural',
  country: 'RS',
  givenName: 'Ana',
  surname: 'Petrović',
  personalNumber: '0101990710123',
  email: null,
  legalName: null,
  organizationId: null,
  dataVersion: 1,
  createdAt: '',
  updatedAt: '',
};

describe('subject from the holder record', () => {
  it('natural person: C, GN, SN, CN and a PNO serialNumber (EN 319 412-1 §5.1.3)', () => {
    expect(subjectAttributes(base).map((a) => [a.type, a.value])).toEqual([
      ['2.5.4.6', 'RS'],
      ['2.5.4.42', 'Ana'],
      ['2.5.4.4', 'Petrović'],
      ['2.5.4.3', 'Ana Petrović'],
      ['2.5.4.5', 'PNORS-0101990710123'],
    ]);
    expect(subjectName(base).toString()).toContain('CN=Ana Petrović');
  });

  it('legal person: C, O, VAT organizationIdentifier, CN and the representative serialNumber', () => {
    const legal: Holder = { ...base, kind: 'legal', country: 'SI', legalName: 'Demo d.o.o.', organizationId: '12345678' };
    expect(subjectAttributes(legal).map((a) => [a.type, a.value])).toEqual([
      ['2.5.4.6', 'SI'],
      ['2.5.4.10', 'Demo d.o.o.'],
      ['2.5.4.97', 'VATSI-12345678'],
      ['2.5.4.3', 'Demo d.o.o.'],
      ['2.5.4.5', 'PNOSI-0101990710123'],
    ]);
  });
});

describe('profiles as data', () => {
  it('ships a natural and a legal qualified profile that validate', () => {
    const profiles = loadProfiles();
    expect(profileFor(profiles, 'natural').policies).toContain('0.4.0.194112.1.2');
    expect(profileFor(profiles, 'legal').policies).toContain('0.4.0.194112.1.3');
    expect(profileFor(profiles, 'legal').qcStatements.type).toBe('eseal');
    expect(() => profileFor(profiles, 'web')).toThrow(expect.objectContaining({ code: 'CA_PROFILE_NOT_FOUND' }));
  });

  it('refuses a profile file that breaks the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obnova-profiles-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'bad', keyUsage: ['everything'] }));
    expect(() => loadProfiles(dir)).toThrow(expect.objectContaining({ code: 'CA_CONFIG_INVALID' }));
  });
});

describe('revocation reasons', () => {
  it('accepts RFC 5280 names case-insensitively and refuses others', () => {
    expect(parseRevocationReason('KEYCOMPROMISE')).toBe('keyCompromise');
    expect(reasonCode('superseded')).toBe(4);
    expect(() => parseRevocationReason('cACompromise')).toThrow(expect.objectContaining({ code: 'CA_REVOCATION_REASON_INVALID' }));
  });
});
