/**
 * A demo-like CA in child processes (obnova-ca init, holders, issue onto SoftHSM cards, serve), so the
 * test process loads only the app's PKCS#11 module — as the app and the CA never share a process.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { fromPemAll } from '../../../src-shared/pki/pem.js';
import { freePort } from '../../helpers/pki/openssl-responder.js';
import { caCli, startCaServer } from '../../helpers/service/ca-cli.js';

export const softhsmModule = '/usr/lib/softhsm/libsofthsm2.so';
const root = join(import.meta.dirname, '..', '..', '..');

export interface IssuedCard {
  tokenLabel: string;
  pin: string;
  serial: string;
}

export interface CaProcess {
  dir: string;
  url: string;
  root: Certificate;
  issuing: Certificate;
  addHolder(id: string, givenName: string, surname: string, personalNumber: string, legal?: { legalName: string; organizationId: string }): Promise<void>;
  /** `obnova-ca ARGS --dir DIR`, failing on a non-zero exit. */
  run(args: string[]): Promise<string>;
  issueCard(holderId: string, tokenLabel: string): Promise<IssuedCard>;
  markPaid(orderId: string): Promise<void>;
  /** `obnova-ca cards produce|ship|delivered`: the new card for a new-media order; produce returns its PIN. */
  cards(action: 'produce' | 'ship' | 'delivered', orderId: string, tokenLabel?: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

async function ok(result: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `windowDays` widens the market policy's renewal window so freshly issued cards can be renewed. */
export async function startCaProcess(options: { market?: 'si' | 'rs'; windowDays?: number; policy?: Record<string, unknown> } = {}): Promise<CaProcess> {
  const market = options.market ?? 'si';
  const work = mkdtempSync(join(tmpdir(), 'obnova-app-ca-'));
  const dir = join(work, 'ca');
  const port = await freePort();
  await ok(caCli(['init', '--dir', dir, '--market', market, '--token-label', `ca-${port}`, '--key-spec', 'EC-P256', '--port', String(port)]), 'obnova-ca init');
  const policyDir = join(dir, 'policy');
  mkdirSync(policyDir, { recursive: true });
  const policy = JSON.parse(readFileSync(join(root, 'src-service/renewal/policy', `${market}.json`), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(policyDir, `${market}.json`), JSON.stringify({ ...policy, renewalWindowDays: options.windowDays ?? 3650, ...options.policy }));
  cpSync(join(root, 'src-service/renewal/policy', `${market === 'si' ? 'rs' : 'si'}.json`), join(policyDir, `${market === 'si' ? 'rs' : 'si'}.json`));
  writeFileSync(join(dir, 'obnova-renewal.json'), JSON.stringify({ policyDir: 'policy', admin: { port: null } }));
  const pem = (name: string) => Certificate.fromDer(fromPemAll(readFileSync(join(dir, name), 'latin1'), 'CERTIFICATE')[0]!.der);
  const config = JSON.parse(readFileSync(join(dir, 'obnova-ca.json'), 'utf8')) as { certificates: { root: string; issuing: string } };
  let server: Awaited<ReturnType<typeof startCaServer>> | null = null;
  const ca: CaProcess = {
    dir,
    url: `http://127.0.0.1:${port}`,
    root: await pem(config.certificates.root),
    issuing: await pem(config.certificates.issuing),
    async addHolder(id, givenName, surname, personalNumber, legal) {
      const kind = legal ? ['--kind', 'legal', '--legal-name', legal.legalName, '--organization-id', legal.organizationId] : ['--kind', 'natural'];
      await ok(caCli(['holders', 'add', '--dir', dir, '--id', id, ...kind, '--given-name', givenName, '--surname', surname, '--personal-number', personalNumber, '--email', `${id.toLowerCase()}@example.si`]), 'holders add');
    },
    run: (args) => ok(caCli([...args, '--dir', dir]), `obnova-ca ${args[0] ?? ''}`),
    async issueCard(holderId, tokenLabel) {
      const out = JSON.parse(await ok(caCli(['issue', '--dir', dir, '--module', softhsmModule, '--token-label', tokenLabel, '--holder', holderId, '--json']), 'issue')) as { serial: string; mailer: { pin: string } };
      return { tokenLabel, pin: out.mailer.pin, serial: out.serial };
    },
    async markPaid(orderId) {
      await ok(caCli(['orders', 'mark-paid', orderId, '--dir', dir]), 'orders mark-paid');
    },
    async cards(action, orderId, tokenLabel) {
      const extra = action === 'produce' ? ['--module', softhsmModule, '--token-label', tokenLabel ?? `new-${orderId}`, '--json'] : [];
      return ok(caCli(['cards', action, orderId, '--dir', dir, ...extra]), `cards ${action}`);
    },
    async start() {
      server = await startCaServer(['--dir', dir], { OBNOVA_ADMIN_PORT: 'off' });
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async cleanup() {
      await ca.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
  await ca.start();
  return ca;
}
