/**
 * The headless main's receive in its own process, for the fault tests: argv = appData, orderId, service URL,
 * token label; the PIN on stdin. Prints its pid, then each progress event as a JSON line; with PAUSE_AFTER=<step> it
 * freezes (synchronously, like a hung process) right after that step is journalled, to be killed there;
 * PAUSE_AFTER=generated freezes right after C_GenerateKeyPair returned, before the journal knows the key.
 */
import { createOrderStore } from '../../../src-main/orders/order-store.js';
import { createReceiveFlow } from '../../../src-main/renewal/receive/receive-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { softhsmModule } from './ca-process.js';
import { cardCertificateSource } from './card-reader.js';

const [appData, orderId, serviceUrl, tokenLabel] = process.argv.slice(2) as [string, string, string, string];
const pin = (await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (d: Buffer) => (text += d.toString()));
  process.stdin.on('end', () => resolve(text));
})).trim();

process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
const tokens = createTokenService({ module: resolveModule({ argument: softhsmModule, env: process.env }) });
const freeze = (): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
const list = await tokens.listCertificates({ tokenLabel });
const slotId = list.certificates[0]!.slotId;
const flow = createReceiveFlow({
  certificateSource: cardCertificateSource(() => new Map([[slotId, tokenLabel]])),
  card: {
    login: tokens.login,
    findKeyPair: tokens.findKeyPair,
    signer: tokens.signer,
    writeCertificate: tokens.writeCertificate,
    generateKeyPair: async (...args) => {
      const pair = await tokens.generateKeyPair(...args);
      if (process.env.PAUSE_AFTER === 'generated') {
        process.stdout.write(`${JSON.stringify({ generated: pair.id })}\n`);
        freeze();
      }
      return pair;
    },
  },
  listCertificates: () => tokens.listCertificates({}),
  client: () => createRenewalClient({ baseUrl: serviceUrl, policy: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 10_000 } }),
  store: createOrderStore(appData),
  appDataDir: appData,
  onProgress: (p) => {
    process.stdout.write(`${JSON.stringify(p)}\n`);
    if (process.env.PAUSE_AFTER === p.step && p.state === 'done') freeze();
  },
});
try {
  const result = await flow.receive(orderId, pin);
  process.stdout.write(`${JSON.stringify({ result })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as { code?: string }).code ?? String(error) })}\n`);
  process.exitCode = 3;
} finally {
  await tokens.close();
}
