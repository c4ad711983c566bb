/**
 * Test helper run as its own process (the CA's PKCS#11 module stays out of the test process):
 * issues a certificate for a holder as if at an earlier date (an expired card for the e2e).
 * argv: caDir holderId csrPemFile atIso outDerFile
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { applyHsmEnvironment, loadConfig } from '../../../src-service/config.js';

const [dir, holderId, csrFile, atIso, outFile] = process.argv.slice(2) as [string, string, string, string, string];
const config = loadConfig(dir, process.env);
applyHsmEnvironment(config);
const service = await CaService.open(config);
try {
  const { certificate } = await issueCertificate(service.authority, service.db, { csr: readFileSync(csrFile, 'utf8'), holderId, actor: 'test' }, new Date(atIso));
  writeFileSync(outFile, new Uint8Array(certificate.rawData));
} finally {
  await service.close();
}
