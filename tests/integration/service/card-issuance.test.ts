/** Original issuance onto SoftHSM cards in-process: a refused issuance leaves no key on the card; cards belong to one holder. */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { issueOntoCard } from '../../../src-service/ca/card-issuance.js';
import { countCertificatesOnCard } from '../../../src-service/db/certificates-repository.js';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { initToken, loadModule, unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv();
const softhsm = '/usr/lib/softhsm/libsofthsm2.so';

describe('issuance onto a card', () => {
  let ca: TestCa;
  let service: CaService;

  beforeAll(async () => {
    ca = await createTestCa();
    service = await CaService.open(ca.config);
    await createHolder(service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123' }, 'ro', 'H1');
    await createHolder(service.db, { kind: 'legal', country: 'SI', legalName: 'Demo d.o.o.', organizationId: '12345678', givenName: 'Marko', surname: 'Kranjc', personalNumber: '0202980500456' }, 'ro', 'H2');
  });
  afterAll(async () => {
    await service?.close();
    unloadAllModules();
    await ca?.cleanup();
    hsm.cleanup();
  });

  async function objects(label: string, pin: string): Promise<string> {
    return (await runToolAsync('pkcs11-tool', ['--module', softhsm, '--token-label', label, '--login', '--pin', pin, '-O'])).stdout;
  }

  it('removes the generated key again when issuance is refused after key generation', async () => {
    // A registration office's pre-personalised card with a known PIN.
    initToken(loadModule(softhsm), 'card-a', '87654321', '123456');
    await expect(
      issueOntoCard(service, { module: softhsm, tokenLabel: 'card-a', holderId: 'H1', profileId: 'qualified-legal-person', pin: '123456', actor: 'ro' }),
    ).rejects.toMatchObject({ code: 'CA_PROFILE_HOLDER_MISMATCH' });
    const leftover = await objects('card-a', '123456');
    expect(leftover).not.toContain('Private Key Object');
    expect(leftover).not.toContain('Public Key Object');
    const ok = await issueOntoCard(service, { module: softhsm, tokenLabel: 'card-b', holderId: 'H1', actor: 'ro' });
    const pin = ok.mailer!.pin;
    const listed = await objects('card-b', pin);
    expect(listed.match(/Private Key Object/g)).toHaveLength(1);
    const cert = await Certificate.fromDer(new Uint8Array(ok.certificate.rawData));
    expect(cert.isQualified).toBe(true);
    expect(await countCertificatesOnCard(service.db, ok.cardId)).toEqual({ original: 1, renewal: 0 });

    // Same card again with its PIN: a second key and certificate, no new mailer.
    const again = await issueOntoCard(service, { module: softhsm, tokenLabel: 'card-b', holderId: 'H1', pin, actor: 'ro' });
    expect(again.mailer).toBeNull();
    expect(again.cardId).toBe(ok.cardId);
    expect(await countCertificatesOnCard(service.db, ok.cardId)).toEqual({ original: 2, renewal: 0 });
  });

  it('refuses a card that belongs to another holder without touching it, and a missing PIN', async () => {
    const first = await issueOntoCard(service, { module: softhsm, tokenLabel: 'card-c', holderId: 'H2', actor: 'ro' });
    const pin = first.mailer!.pin;
    const before = await objects('card-c', pin);
    await expect(issueOntoCard(service, { module: softhsm, tokenLabel: 'card-c', holderId: 'H1', pin, actor: 'ro' })).rejects.toMatchObject({
      code: 'CA_CARD_ALREADY_REGISTERED',
    });
    expect(await objects('card-c', pin)).toBe(before);
    await expect(issueOntoCard(service, { module: softhsm, tokenLabel: 'card-c', holderId: 'H2', actor: 'ro' })).rejects.toMatchObject({ code: 'CA_CARD_PIN_MISSING' });
    await expect(issueOntoCard(service, { module: softhsm, tokenLabel: 'card-c', holderId: 'H2', pin: '000000', actor: 'ro' })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
    });
    expect(first.certificate.subject).toContain('2.5.4.97=VATSI-12345678');
  });
});
