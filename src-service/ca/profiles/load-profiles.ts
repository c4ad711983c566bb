/** Loads and validates the profile JSON files shipped in this folder. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { profileSchema, type Profile } from './profile-schema.js';

const folder = dirname(fileURLToPath(import.meta.url));

/** Every profile in `dir` (default: the shipped ones), keyed by id. */
export function loadProfiles(dir = folder): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const parsed = profileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
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
