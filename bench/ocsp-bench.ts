/**
 * OCSP benchmark: Obnova's responder (`obnova-ca serve`, pre-signed cached responses, HSM key)
 * against `openssl ocsp -port` serving the same CA's index, both hit by the same Node load
 * generator on loopback. Prints requests/s and the ratio (target ≥ 10×).
 *   npx tsx bench/ocsp-bench.ts [--certs 200] [--seconds 10] [--concurrency 16]
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { CaService } from '../src-service/ca/ca-service.js';
import { signCertificate, addYears } from '../src-service/ca/certificate-signer.js';
import { ocspResponderExtensions } from '../src-service/ca/extensions.js';
import { keyIdentifier } from '../src-service/ca/key-identifiers.js';
import { randomSerial } from '../src-service/ca/serial.js';
import { oid, toName } from '../src-service/ca/subject.js';
import { createHolder } from '../src-service/db/holders-repository.js';
import { listStatuses } from '../src-service/db/certificates-repository.js';
import { unloadAllModules } from '../src-service/hsm/pkcs11-module.js';
import { createTestCa } from '../tests/helpers/service/ca-factory.js';
import { makeCsr } from '../tests/helpers/service/csr.js';
import { useSoftHsmEnv } from '../tests/helpers/service/softhsm-env.js';
import { runLoad } from './ocsp-load-client.js';

const { values } = parseArgs({ options: { certs: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' } } });
const certCount = Number(values.certs);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function waitForPort(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${text}`)), 60_000);
    child[stream]!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function opensslTime(iso: string): string {
  return iso.replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

const hsm = useSoftHsmEnv('obnova-ocsp-bench-');
const port = 30000 + Math.floor(Math.random() * 10000);
const ca = await createTestCa({ keySpec: 'RSA-3072', port });
const children: ChildProcess[] = [];
try {
  // 1. Issue the certificates and revoke every tenth, through the CA itself.
  const service = await CaService.open(ca.config);
  const serials: string[] = [];
  for (let i = 0; i < certCount; i++) {
    const holder = await createHolder(service.db, { kind: 'natural', country: 'SI', givenName: 'Bench', surname: `Holder${i}`, personalNumber: String(1000000000000 + i) }, 'bench');
    serials.push((await service.issue({ csr: (await makeCsr('EC-P256')).pem, holderId: holder.id, actor: 'bench' })).record.serial);
  }
  for (let i = 0; i < certCount; i += 10) await service.revoke(serials[i]!, 'superseded', 'bench');

  // 2. openssl's responder needs a software key: a delegated responder certificate for it, from the same issuing CA.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const responderCert = await signCertificate(
    {
      serial: randomSerial(),
      subject: toName([{ type: oid.commonName, value: 'openssl bench responder', printable: false }]),
      issuer: service.authority.issuing.cert.subjectName,
      spki,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: addYears(new Date(), 1),
      extensions: ocspResponderExtensions(keyIdentifier(spki), service.authority.issuing.keyId),
    },
    service.authority.issuing.signer,
  );
  writeFileSync(join(ca.dir, 'openssl-responder.pem'), responderCert.toString('pem') + '\n');
  writeFileSync(join(ca.dir, 'openssl-responder.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const index = (await listStatuses(service.db, 'issuing'))
    .map((s) => {
      const subject = '/' + s.subject.split(', ').map((p) => p.replace(/^G=/, 'GN=')).join('/');
      const revoked = s.status === 'revoked' ? `${opensslTime(s.revokedAt!)},${s.revocationReason}` : '';
      return [s.status === 'revoked' ? 'R' : 'V', opensslTime(s.notAfter), revoked, s.serial.toUpperCase(), 'unknown', subject].join('\t');
    })
    .join('\n');
  writeFileSync(join(ca.dir, 'index.txt'), index + '\n');
  await service.close();
  unloadAllModules();

  // 3. The same OCSP requests (SHA-1 CertIDs, no nonce) for both responders.
  const issuing = new x509.X509Certificate(readFileSync(ca.config.certificates.issuing, 'utf8'));
  const nameHash = createHash('sha1').update(new Uint8Array(issuing.subjectName.toArrayBuffer())).digest();
  const keyHash = createHash('sha1').update(new Uint8Array(AsnConvert.parse(issuing.publicKey.rawData, SubjectPublicKeyInfo).subjectPublicKey)).digest();
  const bodies = serials.map((serial) => {
    const certId = new CertID({ issuerNameHash: new OctetString(nameHash), issuerKeyHash: new OctetString(keyHash), serialNumber: new Uint8Array(Buffer.from(serial, 'hex')).buffer });
    certId.hashAlgorithm.algorithm = '1.3.14.3.2.26';
    certId.hashAlgorithm.parameters = null;
    return Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) })));
  });

  // 4. Obnova's responder in its own process.
  const obnova = spawn(tsx, [join(root, 'src-service/cli.ts'), 'serve', '--dir', ca.dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  children.push(obnova);
  await waitForPort(obnova, /listening on/, 'stdout');
  await runLoad(`http://127.0.0.1:${port}/ocsp`, bodies, concurrency, 1); // warm-up
  const ours = await runLoad(`http://127.0.0.1:${port}/ocsp`, bodies, concurrency, seconds);
  obnova.kill('SIGTERM');

  // 5. openssl ocsp -port on the same CA and index, with the software responder key.
  const osslPort = port + 1;
  const openssl = spawn(
    'openssl',
    ['ocsp', '-port', String(osslPort), '-index', join(ca.dir, 'index.txt'), '-CA', ca.config.certificates.issuing, '-rsigner', join(ca.dir, 'openssl-responder.pem'), '-rkey', join(ca.dir, 'openssl-responder.key'), '-nmin', '60', '-ignore_err'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(openssl);
  await waitForPort(openssl, /waiting for OCSP client connections/i, 'stderr');
  await runLoad(`http://127.0.0.1:${osslPort}/`, bodies, concurrency, 1);
  const theirs = await runLoad(`http://127.0.0.1:${osslPort}/`, bodies, concurrency, seconds);
  openssl.kill('SIGTERM');

  const result = {
    bench: 'ocsp',
    certificates: certCount,
    revoked: Math.ceil(certCount / 10),
    concurrency,
    seconds,
    obnova: ours,
    openssl: theirs,
    ratio: ours.perSecond / theirs.perSecond,
    target: 10,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await ca.cleanup();
  hsm.cleanup();
}
