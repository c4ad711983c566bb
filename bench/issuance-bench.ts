/**
 * Issuance benchmark: certificates/s through the whole issuance path (CSR checks, profile,
 * HSM signature through the bounded queue, SQLite insert + audit) against the raw SoftHSM
 * sign rate of the same issuing key measured in the same run. Target ≥ 0.7×.
 *   npx tsx bench/issuance-bench.ts [--count 300] [--in-flight 2] [--key-spec RSA-3072] [--db sqlite|postgres]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { CaService } from '../src-service/ca/ca-service.js';
import { createHolder } from '../src-service/db/holders-repository.js';
import { keySpecSchema } from '../src-service/hsm/key-spec.js';
import { unloadAllModules } from '../src-service/hsm/pkcs11-module.js';
import { createTestCa } from '../tests/helpers/service/ca-factory.js';
import { makeCsr } from '../tests/helpers/service/csr.js';
import { useSoftHsmEnv } from '../tests/helpers/service/softhsm-env.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '300' }, 'in-flight': { type: 'string', default: '2' }, 'key-spec': { type: 'string', default: 'RSA-3072' }, db: { type: 'string', default: 'sqlite' } },
});
const count = Number(values.count);
const inFlight = Number(values['in-flight']);
const keySpec = keySpecSchema.parse(values['key-spec']);

const hsm = useSoftHsmEnv('obnova-issuance-bench-');
const ca = await createTestCa({ keySpec, db: values.db === 'postgres' ? 'postgres' : 'sqlite' });
try {
  const service = await CaService.open(ca.config);
  // Inputs prepared outside the timed part: holders and software-key requests.
  const jobs: { holderId: string; csr: string }[] = [];
  for (let i = 0; i < count; i++) {
    const holder = await createHolder(service.db, { kind: 'natural', country: 'SI', givenName: 'Bench', surname: `Holder${i}`, personalNumber: String(2000000000000 + i) }, 'bench');
    jobs.push({ holderId: holder.id, csr: (await makeCsr('EC-P256')).pem });
  }
  const signer = service.authority.issuing.signer;
  const tbsSized = new Uint8Array(1100).fill(7);

  // Raw rate: back-to-back C_Sign on the same session and key, no queue, no X.509 work.
  const p11 = service.authority.session.crypto;
  for (let i = 0; i < 20; i++) await p11.subtle.sign(signer.algorithm as never, signer.privateKey as never, tbsSized);
  let started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await p11.subtle.sign(signer.algorithm as never, signer.privateKey as never, tbsSized);
  const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  // Issuance: `inFlight` requests at a time, so X.509 and database work overlap the HSM signing (more than 2 in flight measured slower: see docs/ca.md).
  let next = 0;
  started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await service.issue({ csr: job.csr, holderId: job.holderId, actor: 'bench' });
      }
    }),
  );
  const issueSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const issued = await service.db.selectFrom('certificates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  await service.close();
  unloadAllModules();

  const rawPerSecond = count / rawSeconds;
  const issuancePerSecond = count / issueSeconds;
  console.log(
    JSON.stringify(
      {
        bench: 'issuance',
        keySpec,
        database: values.db,
        count,
        inFlight,
        stored: Number(issued?.n ?? 0),
        rawSignPerSecond: rawPerSecond,
        issuancePerSecond,
        ratio: issuancePerSecond / rawPerSecond,
        target: 0.7,
      },
      null,
      2,
    ),
  );
} finally {
  await ca.cleanup();
  hsm.cleanup();
}
