/** A throw-away PostgreSQL database per test file on the local server (trust auth). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresAdminUrl = process.env.OBNOVA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE obnova_test_<random>; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `obnova_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
