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

/** The name of a database created by {@link createPostgresDatabase}, from its URL; refuses any other. */
function ownTestDatabase(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^obnova_test_[0-9a-f]{12}$/.test(name)) throw new Error(`not a throw-away test database: ${name}`);
  return name;
}

async function asAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Takes this test's own database away (new connections refused, existing backends terminated) or
 * brings it back — a database restart or failover as the service sees it. Other databases are never touched.
 */
export async function setDatabaseAway(url: string, away: boolean): Promise<number> {
  const name = ownTestDatabase(url);
  return asAdmin(async (admin) => {
    await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${away ? 'false' : 'true'}`);
    return away ? terminateBackendsWith(admin, name) : 0;
  });
}

/** pg_terminate_backend for every backend of this test's own database; returns how many. */
export async function terminateBackends(url: string): Promise<number> {
  const name = ownTestDatabase(url);
  return asAdmin((admin) => terminateBackendsWith(admin, name));
}

async function terminateBackendsWith(admin: pg.Client, name: string): Promise<number> {
  const result = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  return result.rows.filter((r) => r.ok).length;
}
