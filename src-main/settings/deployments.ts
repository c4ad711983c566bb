/** Deployments (service URL and market) from native-config/deployments/*.json, validated by the contract. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentSchema, type Deployment } from '../../src-shared/contract/schemas/settings.js';

/** The deployment used when settings name none (or one that no longer exists). */
export const defaultDeploymentId = 'si-production';

/** Every valid deployment file in `<nativeConfigDir>/deployments`, sorted by id; invalid files are reported, not fatal. */
export function loadDeployments(nativeConfigDir: string): { deployments: Deployment[]; invalid: string[] } {
  const dir = join(nativeConfigDir, 'deployments');
  if (!existsSync(dir)) return { deployments: [], invalid: [] };
  const deployments: Deployment[] = [];
  const invalid: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || name.endsWith('.schema.json')) continue;
    try {
      const parsed = deploymentSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (parsed.success && `${parsed.data.id}.json` === name) {
        const { $schema: _schema, ...deployment } = parsed.data;
        deployments.push(deployment);
      } else invalid.push(name);
    } catch {
      invalid.push(name);
    }
  }
  return { deployments: deployments.sort((a, b) => a.id.localeCompare(b.id)), invalid };
}
