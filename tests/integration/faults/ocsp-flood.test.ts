/**
 * A hostile client floods /ocsp with random serials under our issuer: each gets the constant
 * RFC 5019 `unauthorized` answer (no HSM signature, nothing cached), the pre-signed cache keeps
 * its real answers, and holders' answers stay `good` and cheap throughout (one HSM signature in the flood) — including one for a
 * certificate nobody had asked about yet. A client asking for many uncached real serials is held to
 * its own signature budget (tryLater), while another client is still served.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { makeHolders, percentile } from '../../helpers/renewal/load-run.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-ocsp-flood-');
const sha1 = '1.3.14.3.2.26';

describe('OCSP under a flood of random serials', () => {
  let f: RenewalFixture;
  let url: string;
  const request = (serial: string) => {
    const certId = f.service.ocsp.certIdFor(serial, sha1);
    return new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) })));
  };
  const ask = async (der: Uint8Array): Promise<{ status: OCSPResponseStatus; good: boolean; ms: number }> => {
    const started = performance.now();
    const r = await fetch(`${url}/ocsp`, { method: 'POST', body: Buffer.from(der), headers: { 'content-type': 'application/ocsp-request' } });
    const response = AsnConvert.parse(new Uint8Array(await r.arrayBuffer()), OCSPResponse);
    const ms = performance.now() - started;
    if (response.responseStatus !== OCSPResponseStatus.successful) return { status: response.responseStatus, good: false, ms };
    const basic = AsnConvert.parse(response.responseBytes!.response.buffer, BasicOCSPResponse);
    return { status: response.responseStatus, good: basic.tbsResponseData.responses[0]!.certStatus.good !== undefined, ms };
  };

  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite' });
    url = await f.app.listen({ host: '127.0.0.1', port: 0 });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    unloadAllModules();
    hsm.cleanup();
  });

  it('keeps good answers good and fast while random serials get a constant answer', async () => {
    const [holder, later] = await makeHolders(f.ctx, 2, '91');
    const good = request(holder!.certificate.serialNumber.toLowerCase());
    expect((await ask(good)).good).toBe(true);
    const cachedBefore = f.service.ocsp.cacheSize;
    const signaturesBefore = f.service.ocsp.signatures;

    let flooding = true;
    const junkStatuses = new Map<number, number>();
    const flood = Array.from({ length: 16 }, async () => {
      while (flooding) {
        const { status } = await ask(request(randomBytes(16).toString('hex').replace(/^0+/, '1')));
        junkStatuses.set(status, (junkStatuses.get(status) ?? 0) + 1);
      }
    });
    const goodTimes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await ask(good);
      expect(answer.good).toBe(true);
      goodTimes.push(answer.ms);
      await new Promise((r) => setTimeout(r, 25));
    }
    // A certificate nobody asked about yet: one fresh signature, served in the middle of the flood.
    const fresh = await ask(request(later!.certificate.serialNumber.toLowerCase()));
    flooding = false;
    await Promise.all(flood);

    const junk = [...junkStatuses.values()].reduce((a, b) => a + b, 0);
    expect(junk).toBeGreaterThan(200);
    expect([...junkStatuses.keys()]).toEqual([OCSPResponseStatus.unauthorized]);
    expect(fresh.good).toBe(true);
    // Junk never entered the cache: the holders' answers are all it holds beyond the warm-up.
    expect(f.service.ocsp.cacheSize).toBe(cachedBefore + 1);
    // One HSM signature during the whole flood: the fresh answer. Timings are reported, not asserted (shared CI machines).
    expect(f.service.ocsp.signatures - signaturesBefore).toBe(1);
    console.log(
      `[ocsp flood] ${junk} junk requests; good answers p50 ${percentile(goodTimes, 50).toFixed(1)} ms, max ${Math.max(...goodTimes).toFixed(1)} ms; fresh answer ${fresh.ms.toFixed(1)} ms; HSM signatures ${f.service.ocsp.signatures - signaturesBefore}; cache ${cachedBefore} -> ${f.service.ocsp.cacheSize}`,
    );
  }, 60_000);

  it('holds one client to its own signature budget, and serves another client meanwhile', async () => {
    const holders = await makeHolders(f.ctx, 45, '92');
    const now = new Date();
    const answers = [];
    for (const h of holders.slice(0, 44)) answers.push(await f.service.ocsp.respond(request(h.certificate.serialNumber.toLowerCase()), now, '198.51.100.7'));
    const statuses = answers.map((der) => AsnConvert.parse(der, OCSPResponse).responseStatus);
    expect(statuses.filter((s) => s === OCSPResponseStatus.successful)).toHaveLength(40);
    expect(statuses.slice(40)).toEqual([OCSPResponseStatus.tryLater, OCSPResponseStatus.tryLater, OCSPResponseStatus.tryLater, OCSPResponseStatus.tryLater]);
    const other = await f.service.ocsp.respond(request(holders[44]!.certificate.serialNumber.toLowerCase()), now, '198.51.100.8');
    expect(AsnConvert.parse(other, OCSPResponse).responseStatus).toBe(OCSPResponseStatus.successful);
    // What was signed is cached: the first client's earlier serials now cost nothing, budget or not.
    const again = await f.service.ocsp.respond(request(holders[0]!.certificate.serialNumber.toLowerCase()), now, '198.51.100.7');
    expect(AsnConvert.parse(again, OCSPResponse).responseStatus).toBe(OCSPResponseStatus.successful);
  }, 60_000);
});
