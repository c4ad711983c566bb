/** The real renewal service (CA + /v1) listening on a loopback port, so OCSP/CRL URLs in its certificates answer too. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src-service/app.js';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import { renewalContext, type RenewalContext } from '../../../src-service/renewal/renewal-context.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { fromPemAll } from '../../../src-shared/pki/pem.js';
import { freePort } from '../../helpers/pki/openssl-responder.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';

export interface ListeningService {
  url: string;
  port: number;
  ca: TestCa;
  service: CaService;
  ctx: RenewalContext;
  app: FastifyInstance;
  root: Certificate;
  issuing: Certificate;
  close(): Promise<void>;
}

export async function startListeningService(options: { market?: 'si' | 'rs'; windowDays?: number } = {}): Promise<ListeningService> {
  const port = await freePort();
  const market = options.market ?? 'si';
  const ca = await createTestCa({ db: 'sqlite', market, port });
  const service = await CaService.open(ca.config);
  const ctx = await renewalContext(service, { policy: { ...loadPolicy(market), renewalWindowDays: options.windowDays ?? 3650 } });
  const app = await buildApp({ service, renewal: { context: ctx } });
  await app.listen({ host: '127.0.0.1', port });
  const pem = (path: string) => Certificate.fromDer(fromPemAll(readFileSync(path, 'latin1'), 'CERTIFICATE')[0]!.der);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ca,
    service,
    ctx,
    app,
    root: await pem(ca.config.certificates.root),
    issuing: await pem(ca.config.certificates.issuing),
    async close() {
      await app.close();
      await service.close();
      await ca.cleanup();
    },
  };
}
