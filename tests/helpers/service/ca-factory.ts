/** Builds a complete test CA (SoftHSM keys, certificates, database) in a temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCa, type InitResult } from '../../../src-service/ca/ca-setup.js';
import type { KeySpec } from '../../../src-service/hsm/key-spec.js';
import { createPostgresDatabase, type TestDatabase } from './postgres.js';

export type DbKind = 'sqlite' | 'postgres';

export interface TestCa extends InitResult {
  dir: string;
  cleanup(): Promise<void>;
}

/** A CA whose token lives in the current SOFTHSM2_CONF store, with a unique token label. */
export async function createTestCa(options: { db?: DbKind; keySpec?: KeySpec; market?: 'si' | 'rs'; port?: number } = {}): Promise<TestCa> {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-ca-'));
  let database: TestDatabase | null = null;
  if (options.db === 'postgres') database = await createPostgresDatabase();
  const result = await initCa({
    dir,
    market: options.market ?? 'si',
    tokenLabel: `ca-${Math.random().toString(36).slice(2, 8)}`,
    database: database?.url,
    keySpec: options.keySpec ?? 'EC-P256',
    port: options.port,
    actor: 'test',
  });
  return {
    ...result,
    dir,
    async cleanup() {
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
