/**
 * `obnova` — the app's services from a terminal, for helpdesks and scripts.
 * Same handlers and the same contract as the window; output as text or, with --json, as the contract's JSON.
 */
import { parseArgs } from 'node:util';
import { localeSchema, type AppError, type Locale, type Result } from '../../src-shared/contract/index.js';
import { describeError, resolveLocale } from '../../src-shared/i18n/index.js';
import { createLogger } from '../app/logger.js';
import { createMainServices } from '../app/main-services.js';
import { dispatchCall } from '../ipc/dispatch.js';
import { exitCodeFor, exitCodes } from './exit-codes.js';
import { formatCertificates, formatTokens } from './format.js';
import { runDiagnose } from './commands/diagnose.js';
import { startTraceFile } from '../diagnostics/pkcs11-trace.js';
import { runPinCommand } from './commands/pin.js';
import { runExport } from './commands/export.js';
import { runRenew } from './commands/renew.js';
import { resolveAppDataDir } from '../settings/app-data-dir.js';
import type { CertificateList, TokenList } from '../../src-shared/contract/index.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** All of standard input (for --pin-stdin); absent in callers that have none. */
  stdin?: () => Promise<string>;
}

export const usage = `Usage: obnova <command> [options]

Commands:
  tokens                 list the cards and tokens the PKCS#11 module sees
  certs                  list the certificates on the cards
  pin change|unblock     change the PIN, or set a new one with the PUK ([--slot ID | --token-label L] --pin-stdin:
                         two lines on stdin: current PIN or PUK, then the new PIN; or --pin-pad)
  diagnose               check readers, card software, cards, certificates, service and clock (docs/helpdesk.md)
  export                 save a copy of a certificate: --format der|pem|p7b|pdf --out FILE [--id HEX] (docs/renewal.md)
  renew check|order|status|receive   the renewal journey: check the certificate, order (--billing FILE.json --pin-stdin|--pin-pad), track, receive (--pin-stdin|--pin-pad)
  help                   show this text

Options:
  --module PATH          PKCS#11 module (else OBNOVA_PKCS11_MODULE, else the usual middleware paths)
  --token-label LABEL    certs, pin, renew, export: the token with this label
  --slot ID              certs, pin, renew, export: the token in this slot (the ID 'obnova tokens' prints)
  --json                 machine-readable output (fields in docs/cli.md)
  --pin-stdin            pin, renew order|receive: read the PIN/PUK from standard input (never from arguments)
  --pin-pad              pin, renew order|receive: the holder types the PINs/PUK on the reader's PIN pad (readers that have one)
  --offline              diagnose: skip the renewal service and clock check
  --bundle FILE          diagnose: also write a support bundle (zip) to FILE
  --trace FILE           trace the PKCS#11 calls (names, results, times; never PINs) into FILE
  --format F, --out FILE export: file format and where to write it
  --id HEX               export, renew: the certificate's CKA_ID (objectId in 'obnova certs --json')
  --billing FILE.json    renew order: { name, street, postalCode, city, country, vatId, email }
  --order ID             renew status|receive: one order
  --lang sl|sr-Latn|sr-Cyrl|en   language of error sentences (default: from the system)

Exit codes: 0 ok, 1 usage, 2 no module or no token, 3 PKCS#11 or other error, 4 diagnose found a problem.`;

const options = {
  module: { type: 'string' },
  'token-label': { type: 'string' },
  slot: { type: 'string' },
  json: { type: 'boolean' },
  offline: { type: 'boolean' },
  'pin-stdin': { type: 'boolean' },
  'pin-pad': { type: 'boolean' },
  bundle: { type: 'string' },
  trace: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  id: { type: 'string' },
  billing: { type: 'string' },
  order: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`obnova: ${(error as Error).message}\n\n${usage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === 'help' || command === undefined) {
    (command === undefined && !values.help ? io.err : io.out)(usage);
    return command === undefined && !values.help ? exitCodes.usage : exitCodes.ok;
  }
  // `pin` (change|unblock) and `renew` (check|order|status|receive) take one sub-command; every other command takes none.
  const subcommand = command === 'pin' || command === 'renew' ? extra.shift() : undefined;
  if (extra.length > 0) {
    io.err(`obnova: unexpected argument "${extra[0]}"\n\n${usage}`);
    return exitCodes.usage;
  }
  const lang = values.lang === undefined ? undefined : localeSchema.safeParse(values.lang);
  if (lang && !lang.success) {
    io.err(`obnova: --lang must be one of ${localeSchema.options.join(', ')}`);
    return exitCodes.usage;
  }
  const locale: Locale = lang?.data ?? resolveLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG || 'en');

  // Any command that reaches a card can be traced: every library the services load reports to the file.
  const trace = values.trace !== undefined ? startTraceFile(values.trace) : undefined;
  const services = createMainServices({
    mode: 'web',
    log: createLogger({ level: io.env.OBNOVA_LOG_LEVEL ?? 'warn' }),
    moduleArgument: values.module,
    env: io.env,
    ...(trace ? { trace: trace.sink } : {}),
  });
  try {
    switch (command) {
      case 'tokens': {
        if (values.slot !== undefined || values['token-label'] !== undefined) return usageError(io, '--slot and --token-label belong to "certs"');
        const result = (await dispatchCall(services.handlers, 'tokens.list', {})) as Result<TokenList>;
        return report(io, result, values.json === true, locale, formatTokens);
      }
      case 'certs': {
        const selector = { slotId: values.slot, tokenLabel: values['token-label'] };
        const result = (await dispatchCall(services.handlers, 'certificates.list', dropUndefined(selector))) as Result<CertificateList>;
        return report(io, result, values.json === true, locale, (list) => formatCertificates(list, locale));
      }
      case 'pin': {
        if (subcommand !== 'change' && subcommand !== 'unblock') return usageError(io, 'pin needs "change" or "unblock"');
        if (values.slot !== undefined && values['token-label'] !== undefined) return usageError(io, 'choose --slot or --token-label, not both');
        const pinPad = values['pin-pad'] === true;
        if (pinPad && values['pin-stdin'] === true) return usageError(io, 'choose --pin-stdin or --pin-pad, not both');
        if (!pinPad && (values['pin-stdin'] !== true || !io.stdin)) return usageError(io, 'PINs are read only from standard input (--pin-stdin) or typed on the reader (--pin-pad)');
        const readStdin = io.stdin ?? (() => Promise.resolve(''));
        const outcome = await runPinCommand(services, { action: subcommand, card: dropUndefined({ slotId: values.slot, tokenLabel: values['token-label'] }), pinPad, readStdin, json: values.json === true, locale }, io);
        if (outcome.ok) return exitCodes.ok;
        printError(io, outcome.error, values.json === true, locale);
        return exitCodeFor(outcome.error.code);
      }
      case 'diagnose': {
        const outcome = await runDiagnose(
          services,
          { json: values.json === true, offline: values.offline === true, bundle: values.bundle, locale, appDataDir: resolveAppDataDir({ env: io.env }) },
          io,
        );
        if (outcome.error) printError(io, outcome.error.error, values.json === true, locale);
        return outcome.code;
      }
      case 'export': {
        const outcome = await runExport(services, { format: values.format, out: values.out, id: values.id, slot: values.slot, tokenLabel: values['token-label'], json: values.json === true, locale });
        if ('usage' in outcome) return usageError(io, outcome.usage);
        if ('error' in outcome) return report(io, { ok: false, error: outcome.error }, values.json === true, locale, () => '');
        const { base64: _bytes, ...written } = outcome.written;
        io.out(values.json === true ? JSON.stringify(written, null, 2) : `${written.path} (${written.size} bytes, ${written.mimeType})`);
        return exitCodes.ok;
      }
      case 'renew': {
        const outcome = await runRenew(services, subcommand, {
          slot: values.slot,
          tokenLabel: values['token-label'],
          id: values.id,
          order: values.order,
          billing: values.billing,
          pinStdin: values['pin-stdin'] === true,
          pinPad: values['pin-pad'] === true,
          say: (text) => io.err(text),
          json: values.json === true,
          locale,
          readStdin: io.stdin ?? (async () => ''),
        });
        if ('usage' in outcome) return usageError(io, outcome.usage);
        if ('error' in outcome) return report(io, { ok: false, error: outcome.error }, values.json === true, locale, () => '');
        io.out(values.json === true ? JSON.stringify(outcome.output, null, 2) : outcome.text);
        return outcome.code;
      }
      default:
        return usageError(io, `unknown command "${command}"`);
    }
  } finally {
    try {
      await services.close();
    } finally {
      if (trace) {
        const { calls, path } = trace.stop();
        io.err(`obnova: PKCS#11 trace of ${calls} calls written to ${path}`);
      }
    }
  }
}

function report<T>(io: CliIo, result: Result<T>, json: boolean, locale: Locale, format: (value: T) => string): number {
  if (result.ok) {
    io.out(json ? JSON.stringify(result.value, null, 2) : format(result.value));
    return exitCodes.ok;
  }
  printError(io, result.error, json, locale);
  return exitCodeFor(result.error.code);
}

function printError(io: CliIo, error: AppError, json: boolean, locale: Locale): void {
  const sentence = describeError(error.code, locale, error.details);
  if (json) io.out(JSON.stringify({ error: { ...error, sentence } }, null, 2));
  io.err(`obnova: ${sentence} [${error.code}]${error.code === 'INPUT_INVALID' ? ` (${error.message})` : ''}`);
}

function usageError(io: CliIo, message: string): number {
  io.err(`obnova: ${message}\n\n${usage}`);
  return exitCodes.usage;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
