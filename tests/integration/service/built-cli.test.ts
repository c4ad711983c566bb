/**
 * `obnova-ca` as the build makes it (out/service/cli.js, started through its npm bin link) with
 * production dependencies only: init, holders, issue-csr and serve, with `openssl ocsp` asking the
 * served responder about the certificate it issued.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaInScratch, type BuiltCa } from '../../helpers/service/built-ca.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-built-ca-hsm-');
let ca: BuiltCa;
beforeAll(() => {
  ca = buildCaInScratch();
}, 120_000);
afterAll(() => {
  ca?.cleanup();
  hsm.cleanup();
});

describe('obnova-ca built into out/service/cli.js', () => {
  it('cannot see dev dependencies from its install, and can see the production ones', () => {
    const load = (name: string) => spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(name)})`], { cwd: ca.dir, encoding: 'utf8' });
    for (const dev of ['tsx', 'vite', 'vitest', 'electron-vite']) expect(load(dev).stderr, dev).toContain('ERR_MODULE_NOT_FOUND');
    expect(load('fastify').status).toBe(0);
  });

  it('initialises a CA, issues, serves, and its OCSP responder answers openssl', async () => {
    const caDir = join(ca.dir, 'ca');
    const init = await ca.run(['init', '--dir', caDir, '--market', 'si', '--token-label', 'built-ca', '--key-spec', 'EC-P256', '--port', '0']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('obnova-ca.json');
    const add = await ca.run(['holders', 'add', '--dir', caDir, '--id', 'H1', '--kind', 'natural', '--given-name', 'Ana', '--surname', 'Novak', '--personal-number', '0101990500123', '--email', 'ana@example.si']);
    expect(add.code).toBe(0);
    const csr = await makeCsr('EC-P256');
    writeFileSync(join(ca.dir, 'h1.csr'), csr.pem);
    const issued = await ca.run(['issue-csr', '--dir', caDir, '--csr', join(ca.dir, 'h1.csr'), '--holder', 'H1', '--out', join(ca.dir, 'h1.pem'), '--json']);
    expect(issued.stderr).toBe('');
    expect(JSON.parse(issued.stdout)).toMatchObject({ serial: expect.stringMatching(/^[0-9a-f]+$/) });

    const server = await ca.serve(['--dir', caDir]);
    try {
      const ocsp = await runToolAsync('openssl', ['ocsp', '-issuer', join(caDir, 'issuing.pem'), '-cert', join(ca.dir, 'h1.pem'), '-url', `${server.url}/ocsp`, '-CAfile', join(caDir, 'root.pem')]);
      expect(ocsp.stdout).toContain(': good');
      expect(ocsp.stderr).toContain('Response verify OK');
    } finally {
      await server.stop();
    }
    // Five cold Node starts of the program (init makes three HSM keys): over 60 s on a loaded 2-core machine.
  }, 180_000);
});
