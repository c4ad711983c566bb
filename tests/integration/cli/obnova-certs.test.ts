/**
 * `obnova tokens` / `obnova certs` against real SoftHSM tokens, checked with independent tools:
 * the token from softhsm2-util, the key from pkcs11-tool, the certificate from openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateList, TokenList } from '../../../src-shared/contract/index.js';
import { runBuiltCli } from '../../helpers/run-cli.js';

const softhsm = '/usr/lib/softhsm/libsofthsm2.so';

function tool(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  return execFileSync(cmd, args, { env: { ...process.env, ...env }, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function newSoftHsm(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-cli-'));
  mkdirSync(join(dir, 'tokens'));
  writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n`);
  return { dir, env: { SOFTHSM2_CONF: join(dir, 'softhsm2.conf') } };
}

describe('obnova certs on a card made with independent tools', () => {
  const hsm = newSoftHsm();
  const { dir, env } = hsm;
  let expected: { subject: string; serial: string; fingerprint: string };

  beforeAll(() => {
    tool('softhsm2-util', ['--init-token', '--free', '--label', 'Marko', '--pin', '1234', '--so-pin', '12345678'], env, dir);
    tool('pkcs11-tool', ['--module', softhsm, '--login', '--pin', '1234', '--keypairgen', '--key-type', 'rsa:2048', '--id', '0a', '--label', 'Marko key'], env, dir);
    tool('pkcs11-tool', ['--module', softhsm, '--read-object', '--type', 'pubkey', '--id', '0a', '-o', 'pub.der'], env, dir);
    tool('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', 'pub.der', '-out', 'pub.pem'], env, dir);
    tool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Independent Test CA', '-days', '30'], env, dir);
    tool('openssl', ['x509', '-new', '-force_pubkey', 'pub.pem', '-subj', '/C=SI/CN=Marko Horvat', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-days', '365', '-outform', 'DER', '-out', 'cert.der'], env, dir);
    tool('pkcs11-tool', ['--module', softhsm, '--login', '--pin', '1234', '--write-object', 'cert.der', '--type', 'cert', '--id', '0a', '--label', 'Marko cert'], env, dir);
    const serial = tool('openssl', ['x509', '-inform', 'DER', '-in', 'cert.der', '-noout', '-serial'], env, dir).trim().split('=')[1]!;
    const fingerprint = tool('openssl', ['x509', '-inform', 'DER', '-in', 'cert.der', '-noout', '-fingerprint', '-sha256'], env, dir).trim().split('=')[1]!;
    expected = { subject: 'C=SI, CN=Marko Horvat', serial: serial.toLowerCase(), fingerprint: fingerprint.replace(/:/g, '').toLowerCase() };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the certificate with its subject, serial, fingerprint and private key', () => {
    const run = runBuiltCli(['certs', '--json', '--module', softhsm], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const list = run.json<CertificateList>();
    expect(list.certificates).toHaveLength(1);
    const cert = list.certificates[0]!;
    expect(cert).toMatchObject({
      readable: true,
      tokenLabel: 'Marko',
      objectId: '0a',
      objectLabel: 'Marko cert',
      subject: expected.subject,
      subjectCommonName: 'Marko Horvat',
      serialNumber: expected.serial,
      fingerprintSha256: expected.fingerprint,
      hasPrivateKey: true,
      keyAlgorithm: { name: 'RSA', size: 2048 },
      qualified: false,
    });
    expect(readFileSync(join(dir, 'cert.der')).length).toBeGreaterThan(0);
  });

  it('says the same in words without --json', () => {
    const run = runBuiltCli(['certs', '--module', softhsm], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Marko Horvat');
    expect(run.stdout).toContain(expected.fingerprint.toUpperCase().match(/.{2}/g)!.join(':'));
  });

  it('selects by token label and by slot, and refuses an unknown one with exit 2', () => {
    const tokens = runBuiltCli(['tokens', '--json', '--module', softhsm], env).json<TokenList>();
    const slotId = tokens.tokens[0]!.slotId;
    expect(runBuiltCli(['certs', '--json', '--module', softhsm, '--slot', slotId], env).json<CertificateList>().certificates).toHaveLength(1);
    expect(runBuiltCli(['certs', '--json', '--module', softhsm, '--token-label', 'Marko'], env).json<CertificateList>().certificates).toHaveLength(1);
    const unknown = runBuiltCli(['certs', '--module', softhsm, '--token-label', 'Nobody'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('[TOKEN_SLOT_NOT_FOUND]');
  });

  it('lists the token with the slot ID pkcs11-tool uses', () => {
    const run = runBuiltCli(['tokens', '--json', '--module', softhsm], env);
    expect(run.status).toBe(0);
    const list = run.json<TokenList>();
    expect(list.module).toMatchObject({ path: softhsm, source: 'argument' });
    const token = list.tokens.find((t) => t.label === 'Marko');
    expect(token).toBeDefined();
    const listed = tool('pkcs11-tool', ['--module', softhsm, '-L'], env, dir);
    expect(listed).toContain(`(0x${Number(token!.slotId).toString(16)})`);
  });
});

describe('obnova explains what is wrong, with a stable code and no stack trace', () => {
  const hsm = newSoftHsm();
  afterAll(() => rmSync(hsm.dir, { recursive: true, force: true }));

  const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

  it('a module path that does not exist: exit 2, TOKEN_MODULE_NOT_FOUND', () => {
    const run = runBuiltCli(['certs', '--module', '/nonexistent/libpkcs11.so'], hsm.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^obnova: .+ \[TOKEN_MODULE_NOT_FOUND\]\n$/);
    noStack(run.stderr);
  });

  it('a file that is not a PKCS#11 library: exit 2, TOKEN_MODULE_INVALID', () => {
    for (const notALibrary of ['/etc/hostname', '/usr/lib/x86_64-linux-gnu/libz.so.1']) {
      const run = runBuiltCli(['tokens', '--json', '--module', notALibrary], hsm.env);
      expect(run.status).toBe(2);
      expect(run.json<{ error: { code: string } }>().error.code).toBe('TOKEN_MODULE_INVALID');
      expect(run.stderr).toContain('[TOKEN_MODULE_INVALID]');
      noStack(run.stderr);
    }
  });

  it('no token present: exit 2, TOKEN_NOT_PRESENT', () => {
    const run = runBuiltCli(['certs', '--module', softhsm], hsm.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('[TOKEN_NOT_PRESENT]');
    noStack(run.stderr);
  });

  it('a token with no certificates: exit 0 with a notice', () => {
    tool('softhsm2-util', ['--init-token', '--free', '--label', 'Empty', '--pin', '1234', '--so-pin', '12345678'], hsm.env, hsm.dir);
    const json = runBuiltCli(['certs', '--json', '--module', softhsm], hsm.env);
    expect(json.status).toBe(0);
    expect(json.json<CertificateList>()).toMatchObject({ certificates: [], notices: [{ code: 'TOKEN_NO_CERTIFICATES', tokenLabel: 'Empty' }] });
    const words = runBuiltCli(['certs', '--module', softhsm], hsm.env);
    expect(words.stdout).toContain('(TOKEN_NO_CERTIFICATES)');
  });

  it('usage mistakes: exit 1 with the usage text', () => {
    const unknown = runBuiltCli(['frobnicate'], hsm.env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Usage: obnova');
    const badSlot = runBuiltCli(['certs', '--module', softhsm, '--slot', 'abc'], hsm.env);
    expect(badSlot.status).toBe(1);
    expect(badSlot.stderr).toContain('[INPUT_INVALID]');
    expect(runBuiltCli(['certs', '--bogus'], hsm.env).status).toBe(1);
  });
});
