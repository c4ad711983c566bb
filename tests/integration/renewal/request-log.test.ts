/** Request logs of the renewal API carry method, route, status, time and the order id — no address, certificate, e-mail or token. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-renewal-log-');

describe('renewal request log', () => {
  let f: RenewalFixture;
  let card: TestCard;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    f = await renewalFixture({ db: 'sqlite', fastify: { logger: { level: 'info', stream } } });
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Tina', surname: 'Mlakar', personalNumber: '0606990500333', email: 'tina.mlakar@example.si' }, 'test');
    card = await issueTestCard(f.service, holder.id, 'log-card');
  }, 60_000);
  afterAll(async () => {
    card?.close();
    await f?.close();
    unloadAllModules();
    hsm.cleanup();
  });

  it('logs the order id and nothing personal', async () => {
    const placed = await postCms(f.app, '/v1/orders', await card.sign(orderDocument(await challenge(f.app), card.certificate.serialNumber)));
    const { orderId, accessToken } = placed.json() as { orderId: string; accessToken: string };
    await f.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: { authorization: `Bearer ${accessToken}` }, remoteAddress: '203.0.113.9' });
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'renewal');
    expect(entries.map((e) => e.route)).toEqual(['/v1/challenges', '/v1/orders', '/v1/orders/:id']);
    expect(entries[2]).toMatchObject({ method: 'GET', status: 200, orderId });
    const all = lines.join('\n');
    for (const secret of ['203.0.113.9', '127.0.0.1', accessToken, 'Tina', 'Mlakar', 'tina.mlakar', card.certificate.serialNumber, '0606990500333']) expect(all).not.toContain(secret);
  });
});
