/**
 * obnova-ca end to end as separate processes: init, holders, original issuance onto a SoftHSM
 * card (checked with pkcs11-tool and the app's `obnova certs --json`), serve, and revoke from
 * another process with `openssl ocsp` seeing the change. On SQLite and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCli, caCli, startCaServer } from '../../helpers/service/ca-cli.js';
import { createPostgresDatabase, type TestDatabase } from '../../helpers/service/postgres.js';
import { runTool, runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv();
const softhsm = '/usr/lib/softhsm/libsofthsm2.so';
afterAll(() => hsm.cleanup());

describe.each(['sqlite', 'postgres'] as const)('obnova-ca CLI on %s', (dbKind) => {
  let dir: string;
  let pg: TestDatabase | null = null;
  let port: number;
  const cardLabel = `card-${dbKind}`;
  let serial = '';
  let pin = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obnova-ca-cli-'));
    if (dbKind === 'postgres') pg = await createPostgresDatabase();
    port = 20000 + Math.floor(Math.random() * 20000);
  });
  afterAll(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('init creates keys in the HSM, certificates, database and config, and says what it made', async () => {
    const args = ['init', '--dir', join(dir, 'ca'), '--market', 'si', '--token-label', `ca-cli-${dbKind}`, '--key-spec', 'EC-P256', '--port', String(port)];
    if (pg) args.push('--database', pg.url);
    const r = await caCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HSM keys obnova-root, obnova-issuing, obnova-ocsp (non-extractable)');
    expect(r.stdout).toContain('obnova-ca.json');
    const again = await caCli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CA_ALREADY_INITIALIZED');
    const keys = runTool('pkcs11-tool', ['--module', softhsm, '--token-label', `ca-cli-${dbKind}`, '--login', '--pin', readFileSync(join(dir, 'ca', 'hsm-user.pin'), 'utf8').trim(), '-O', '--type', 'privkey']);
    expect(keys.stdout.match(/never extractable/g)).toHaveLength(3);
  });

  it('registers and changes holders; refuses PINs on the command line', async () => {
    const ca = ['--dir', join(dir, 'ca')];
    const add = await caCli(['holders', 'add', ...ca, '--id', 'H1', '--kind', 'natural', '--given-name', 'Ana', '--surname', 'Novak', '--personal-number', '0101990500123', '--email', 'ana@example.si']);
    expect(add.code).toBe(0);
    const bad = await caCli(['holders', 'add', ...ca, '--kind', 'natural', '--given-name', 'X', '--surname', 'Y', '--personal-number', 'no!']);
    expect(bad.stderr).toContain('CA_HOLDER_INVALID');
    const pinArg = await caCli(['issue', ...ca, '--module', softhsm, '--token-label', cardLabel, '--holder', 'H1', '--pin=1234']);
    expect(pinArg.code).toBe(1);
    expect(pinArg.stderr).toContain('not accepted on the command line');
    const unknown = await caCli(['issue', ...ca, '--module', softhsm, '--token-label', cardLabel, '--holder', 'NOBODY']);
    expect(unknown.stderr).toContain('CA_HOLDER_NOT_FOUND');
    // An unknown holder must not leave an initialised card behind.
    expect(runTool('pkcs11-tool', ['--module', softhsm, '-L']).stdout).not.toContain(cardLabel);
  });

  it('issues onto a SoftHSM card: key non-extractable, app lists the certificate as qualified with its key', async () => {
    const r = await caCli(['issue', '--dir', join(dir, 'ca'), '--module', softhsm, '--token-label', cardLabel, '--holder', 'H1', '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { serial: string; mailer: { pin: string; puk: string }; tokenSerial: string };
    serial = out.serial;
    pin = out.mailer.pin;
    expect(out.mailer.pin).toMatch(/^\d{6}$/);
    expect(out.mailer.puk).toMatch(/^\d{8}$/);
    const objects = runTool('pkcs11-tool', ['--module', softhsm, '--token-label', cardLabel, '--login', '--pin', pin, '-O']).stdout;
    expect(objects).toMatch(/Private Key Object[\s\S]*never extractable/);
    expect(objects).toContain('Obnova Demo Qualified CA');
    const certs = await appCli(['certs', '--json', '--module', softhsm, '--token-label', cardLabel]);
    const listed = (JSON.parse(certs.stdout) as { certificates: { serialNumber: string; qualified: boolean; hasPrivateKey: boolean }[] }).certificates;
    const mine = listed.find((c) => c.serialNumber === serial);
    expect(mine).toMatchObject({ qualified: true, hasPrivateKey: true });

    const change = await caCli(['holders', 'change', 'H1', '--dir', join(dir, 'ca'), '--surname', 'Novak-Kranjc']);
    expect(change.stdout).toContain('data version 2');
    const show = JSON.parse((await caCli(['holders', 'show', 'H1', '--dir', join(dir, 'ca'), '--json'])).stdout) as {
      cards: { tokenSerial: string }[];
      certificates: { serial: string; dataChanged: boolean; kind: string }[];
    };
    expect(show.cards[0]?.tokenSerial).toBe(out.tokenSerial);
    expect(show.certificates[0]).toMatchObject({ serial, dataChanged: true, kind: 'original' });
  });

  it('serves OCSP and CRL; a revocation from another process reaches openssl ocsp', async () => {
    const caDir = join(dir, 'ca');
    const certFile = join(dir, 'card-cert.pem');
    const der = runTool('pkcs11-tool', ['--module', softhsm, '--token-label', cardLabel, '--read-object', '--type', 'cert', '--label', 'H1 ' + new Date().toISOString().slice(0, 10)]);
    expect(der.status).toBe(0);
    // pkcs11-tool writes DER to stdout; re-read it through openssl to get PEM.
    await new Promise<void>((resolve, reject) =>
      execFile('sh', ['-c', `pkcs11-tool --module ${softhsm} --token-label ${cardLabel} --read-object --type cert --label "H1 ${new Date().toISOString().slice(0, 10)}" | openssl x509 -inform DER -out ${certFile}`], (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    const server = await startCaServer(['--dir', caDir]);
    try {
      const ocsp = () =>
        runToolAsync('openssl', ['ocsp', '-issuer', join(caDir, 'issuing.pem'), '-cert', certFile, '-url', `${server.url}/ocsp`, '-CAfile', join(caDir, 'root.pem')]);
      const good = await ocsp();
      expect(good.stdout).toContain(': good');
      expect(good.stderr).toContain('Response verify OK');
      const revoke = await caCli(['revoke', serial, '--reason', 'superseded', '--dir', caDir]);
      expect(revoke.code).toBe(0);
      let status = '';
      for (let i = 0; i < 20 && !status.includes(': revoked'); i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await ocsp()).stdout;
      }
      expect(status).toContain(': revoked');
      expect(status).toContain('Reason: superseded');
      const res = await fetch(`${server.url}/crl/issuing.crl`);
      const crlFile = join(dir, 'issuing.crl');
      writeFileSync(crlFile, new Uint8Array(await res.arrayBuffer()));
      const crl = runTool('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', join(caDir, 'issuing.pem'), '-noout', '-verify', '-text']);
      expect(`${crl.stdout}${crl.stderr}`).toContain('verify OK');
      expect(crl.stdout.toUpperCase()).toContain(serial.toUpperCase());
    } finally {
      await server.stop();
    }
  });
});
