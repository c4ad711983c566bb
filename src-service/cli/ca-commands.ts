/** `obnova-ca init|serve|issue|issue-csr|revoke|crl`: CA set-up, running, issuance and revocation. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { initCa } from '../ca/ca-setup.js';
import { CaService } from '../ca/ca-service.js';
import { issueOntoCard } from '../ca/card-issuance.js';
import { registerCard } from '../db/holders-repository.js';
import { marketSchema, loadConfig, applyHsmEnvironment } from '../config.js';
import { keySpecSchema } from '../hsm/key-spec.js';
import { startServer } from '../server.js';
import { actor, caDir, type CliIo } from './args.js';

export async function initCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      market: { type: 'string', default: 'si' },
      module: { type: 'string' },
      'token-label': { type: 'string' },
      'pin-file': { type: 'string' },
      'base-url': { type: 'string' },
      database: { type: 'string' },
      port: { type: 'string' },
      'key-spec': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.dir) throw new ObnovaError('INPUT_INVALID', 'init needs --dir DIR');
  const market = marketSchema.safeParse(values.market);
  if (!market.success) throw new ObnovaError('INPUT_INVALID', '--market must be si or rs');
  const result = await initCa({
    dir: values.dir,
    market: market.data,
    module: values.module,
    tokenLabel: values['token-label'],
    pinFile: values['pin-file'],
    baseUrl: values['base-url'],
    database: values.database,
    port: values.port ? Number(values.port) : undefined,
    keySpec: values['key-spec'] ? keySpecSchema.parse(values['key-spec']) : undefined,
    actor: actor(io.env),
  });
  if (values.json) {
    io.out(JSON.stringify({ dir: result.config.dir, baseUrl: result.config.baseUrl, created: result.created }, null, 2));
  } else {
    io.out(`CA "${result.config.name}" (${result.config.market.toUpperCase()}) created in ${result.config.dir}:`);
    for (const item of result.created) io.out(`  ${item}`);
    io.out(`serve it with: obnova-ca serve --dir ${result.config.dir}   (${result.config.baseUrl})`);
  }
  return 0;
}

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } } });
  const server = await startServer(caDir(values, io.env), { host: values.host, port: values.port ? Number(values.port) : undefined });
  io.out(`obnova-ca listening on ${server.url}`);
  if (server.adminUrl) io.out(`renewal back office (admin token) on ${server.adminUrl}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

/** Runs `fn` with an open CaService. */
async function withService<T>(dir: string, io: CliIo, fn: (service: CaService) => Promise<T>): Promise<T> {
  const config = loadConfig(dir, io.env);
  applyHsmEnvironment(config);
  const service = await CaService.open(config);
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

export async function issueCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      module: { type: 'string' },
      'token-label': { type: 'string' },
      holder: { type: 'string' },
      profile: { type: 'string' },
      'key-spec': { type: 'string' },
      'pin-file': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.module || !values['token-label'] || !values.holder) throw new ObnovaError('INPUT_INVALID', 'issue needs --module, --token-label and --holder');
  const pin = values['pin-file'] ? readFileSync(values['pin-file'], 'utf8').trim() : io.env.OBNOVA_CARD_PIN;
  const result = await withService(caDir(values, io.env), io, (service) =>
    issueOntoCard(service, {
      module: values.module!,
      tokenLabel: values['token-label']!,
      holderId: values.holder!,
      profileId: values.profile,
      keySpec: values['key-spec'] ? keySpecSchema.parse(values['key-spec']) : undefined,
      pin,
      actor: actor(io.env),
    }),
  );
  const summary = {
    holderId: values.holder,
    tokenLabel: result.tokenLabel,
    tokenSerial: result.tokenSerial,
    cardId: result.cardId,
    serial: result.record.serial,
    subject: result.record.subject,
    notAfter: result.record.notAfter,
    profile: result.record.profileId,
    // The PIN mailer: printed once, here, for the registration office to put in the envelope.
    mailer: result.mailer,
  };
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2));
  } else {
    io.out(`certificate ${summary.serial} issued onto token "${summary.tokenLabel}" (serial ${summary.tokenSerial})`);
    io.out(`  subject   ${summary.subject}`);
    io.out(`  valid to  ${summary.notAfter}`);
    if (result.mailer) {
      io.out('PIN mailer');
      io.out(`  PIN  ${result.mailer.pin}`);
      io.out(`  PUK  ${result.mailer.puk}`);
    }
  }
  return 0;
}

export async function issueCsrCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      csr: { type: 'string' },
      holder: { type: 'string' },
      profile: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'token-serial': { type: 'string' },
      'token-label': { type: 'string' },
    },
  });
  if (!values.csr || !values.holder) throw new ObnovaError('INPUT_INVALID', 'issue-csr needs --csr FILE and --holder ID');
  if (!values['token-serial'] !== !values['token-label']) throw new ObnovaError('INPUT_INVALID', 'issue-csr takes --token-serial and --token-label together');
  const raw = readFileSync(values.csr);
  const csr = raw.subarray(0, 5).toString() === '-----' ? raw.toString('utf8') : new Uint8Array(raw);
  // With --token-serial/--token-label the request was made on a card (by the card's own middleware tools):
  // the card is registered to the holder and the certificate is an original issuance onto it, renewable on it.
  const result = await withService(caDir(values, io.env), io, async (service) => {
    const card = values['token-serial'] ? await registerCard(service.db, values.holder!, values['token-serial'], values['token-label']!, actor(io.env)) : null;
    return service.issue({ csr, holderId: values.holder!, profileId: values.profile, actor: actor(io.env), ...(card ? { cardId: card.id, kind: 'original' as const } : {}) });
  });
  const pem = result.certificate.toString('pem') + '\n';
  if (values.out) writeFileSync(values.out, pem);
  if (values.json) io.out(JSON.stringify({ serial: result.record.serial, subject: result.record.subject, notAfter: result.record.notAfter, file: values.out ?? null }));
  else io.out(values.out ? `certificate ${result.record.serial} written to ${values.out}` : pem.trimEnd());
  return 0;
}

export async function revokeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { dir: { type: 'string' }, reason: { type: 'string', default: 'unspecified' } } });
  const serial = (positionals[0] ?? '').toLowerCase().replace(/:/g, '');
  if (!/^[0-9a-f]+$/.test(serial)) throw new ObnovaError('INPUT_INVALID', 'revoke needs a hex SERIAL');
  const record = await withService(caDir(values, io.env), io, (service) => service.revoke(serial, values.reason!, actor(io.env)));
  io.out(`certificate ${record.serial} revoked (${record.revocationReason}) at ${record.revokedAt}; CRL re-signed`);
  return 0;
}

export async function crlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, out: { type: 'string' } } });
  const crl = await withService(caDir(values, io.env), io, (service) => service.crl.regenerate('issuing'));
  if (values.out) writeFileSync(values.out, crl.der);
  io.out(`CRL #${crl.number} signed; next update ${crl.nextUpdate.toISOString()}`);
  return 0;
}
