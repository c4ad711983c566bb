/**
 * A holder's card on the OpenSC world as a registration office would make it with the card's own tools:
 * pkcs15-init, the key pair generated on the card by pkcs11-tool (CKA_ID as OpenSC assigns it), a PKCS#10
 * request whose signature the card makes (pkcs11-tool --sign), `obnova-ca issue-csr` registering the card,
 * and the certificate written back next to the key with pkcs11-tool, with the CA chain beside it.
 */
import 'reflect-metadata';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AlgorithmIdentifier, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { toPem } from '../../../src-shared/pki/pem.js';
import type { OpenscWorld } from '../../helpers/opensc-world.js';
import type { CaProcess, IssuedCard } from '../renewal-app/ca-process.js';

export interface OpenscHolderCard extends IssuedCard {
  puk: string;
  /** CKA_ID (lowercase hex) OpenSC gave the holder's key pair and certificate. */
  keyId: string;
}

/** Writes a DER certificate onto the card under `id` (pkcs11-tool, logged in). */
async function writeCertificate(world: OpenscWorld, pin: string, der: Uint8Array, id: string, label: string): Promise<void> {
  const file = join(world.dir, `cert-${id}.der`);
  writeFileSync(file, der);
  await world.tool('pkcs11-tool', ['--login', '--pin', pin, '--write-object', file, '--type', 'cert', '--id', id, '--label', label]);
}

export async function issueOntoOpenscCard(
  world: OpenscWorld,
  ca: CaProcess,
  options: { holderId: string; name: string; pin: string; puk: string; serial: string },
): Promise<OpenscHolderCard> {
  const { pin } = options;
  await world.initialise({ pin, puk: options.puk, label: options.name, serial: options.serial });
  const generated = await world.tool('pkcs11-tool', ['--login', '--pin', pin, '--keypairgen', '--key-type', 'rsa:2048', '--label', options.name]);
  const keyId = /ID:\s+([0-9a-f]+)/.exec(generated)![1]!;
  const spkiFile = join(world.dir, `pub-${keyId}.der`);
  await world.tool('pkcs11-tool', ['--read-object', '--type', 'pubkey', '--id', keyId, '--output-file', spkiFile]);

  const info = new CertificationRequestInfo({
    subject: AsnConvert.parse(new x509.Name(`CN=${options.name}`).toArrayBuffer(), Name),
    subjectPKInfo: AsnConvert.parse(readFileSync(spkiFile), SubjectPublicKeyInfo),
  });
  const tbsFile = join(world.dir, `tbs-${keyId}.der`);
  const sigFile = join(world.dir, `sig-${keyId}.bin`);
  writeFileSync(tbsFile, Buffer.from(AsnConvert.serialize(info)));
  await world.tool('pkcs11-tool', ['--login', '--pin', pin, '--sign', '--id', keyId, '--mechanism', 'SHA256-RSA-PKCS', '--input-file', tbsFile, '--output-file', sigFile]);
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null }),
    signature: new Uint8Array(readFileSync(sigFile)).buffer,
  });
  const csrFile = join(world.dir, `req-${keyId}.pem`);
  const certFile = join(world.dir, `cert-${keyId}.pem`);
  writeFileSync(csrFile, toPem(new Uint8Array(AsnConvert.serialize(request)), 'CERTIFICATE REQUEST'));
  const tokenLabel = `${options.name} (User PIN)`;
  const issued = JSON.parse(
    await ca.run(['issue-csr', '--csr', csrFile, '--holder', options.holderId, '--token-serial', options.serial, '--token-label', tokenLabel, '--out', certFile, '--json']),
  ) as { serial: string };
  const certificate = new x509.X509Certificate(readFileSync(certFile, 'utf8'));
  await writeCertificate(world, pin, new Uint8Array(certificate.rawData), keyId, options.name);
  await writeCertificate(world, pin, ca.issuing.der, 'ca01', 'Issuing CA');
  await writeCertificate(world, pin, ca.root.der, 'ca02', 'Root CA');
  return { tokenLabel, pin, puk: options.puk, serial: issued.serial, keyId };
}
