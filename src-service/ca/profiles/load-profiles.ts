/**
 * Loads and validates the certificate profiles: the shipped ones (JSON files in this folder, imported
 * so that the built obnova-ca carries them), or an operator's folder of profile JSON files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { profileSchema, type Profile } from './profile-schema.js';
import qualifiedLegalPerson from './qualified-legal-person.json' with { type: 'json' };
import qualifiedNaturalPerson from './qualified-natural-person.json' with { type: 'json' };

const shipped: ReadonlyArray<[string, unknown]> = [
  ['qualified-legal-person.json', qualifiedLegalPerson],
  ['qualified-natural-person.json', qualifiedNaturalPerson],
];

function readProfileFolder(dir: string): Array<[string, unknown]> {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown]);
}

/** Every profile in `dir` (default: the shipped ones), keyed by id. */
export function loadProfiles(dir?: string): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  for (const [name, raw] of dir === undefined ? shipped : readProfileFolder(dir)) {
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ObnovaError('CA_CONFIG_INVALID', `profile ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    profiles.set(parsed.data.id, parsed.data);
  }
  return profiles;
}

/** The profile for a holder kind (the first one whose holderKind matches), or CA_PROFILE_NOT_FOUND. */
export function profileFor(profiles: Map<string, Profile>, idOrKind: string): Profile {
  const byId = profiles.get(idOrKind);
  if (byId) return byId;
  for (const p of profiles.values()) if (p.holderKind === idOrKind) return p;
  throw new ObnovaError('CA_PROFILE_NOT_FOUND', `no certificate profile "${idOrKind}"`, { profile: idOrKind });
}
