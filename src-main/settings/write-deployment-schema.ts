/** Writes native-config/deployments/deployment.schema.json from the contract's zod schema (run with tsx). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { deploymentSchema } from '../../src-shared/contract/schemas/settings.js';
import { findNativeConfigDir } from '../token/native-config.js';

/** The JSON Schema of one deployment file, as committed. */
export function deploymentJsonSchema(): unknown {
  return z.toJSONSchema(deploymentSchema, { io: 'input' });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const path = join(findNativeConfigDir(), 'deployments', 'deployment.schema.json');
  writeFileSync(path, `${JSON.stringify(deploymentJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
