/** Regenerates native-config/*.schema.json from the zod schemas: `npx tsx src-main/token/write-native-config-schemas.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNativeConfigDir, nativeConfigFiles, nativeConfigJsonSchemas } from './native-config.js';

const dir = findNativeConfigDir();
const schemas = nativeConfigJsonSchemas();
writeFileSync(join(dir, nativeConfigFiles.modulesSchema), `${JSON.stringify(schemas.modules, null, 2)}\n`);
writeFileSync(join(dir, nativeConfigFiles.cardsSchema), `${JSON.stringify(schemas.cards, null, 2)}\n`);
console.log(`wrote ${nativeConfigFiles.modulesSchema} and ${nativeConfigFiles.cardsSchema} in ${dir}`);
