/**
 * `obnova-ca`: the CA's command line (init, serve, holders, issue, issue-csr, revoke, crl).
 * PINs never come from argv: the HSM PIN from the config's PIN file or env, a card PIN from
 * --pin-file or OBNOVA_CARD_PIN.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ObnovaError } from '../src-shared/contract/errors.js';
import { refuseSecretsInArgv, type CliIo } from './cli/args.js';
import { backupCommand, restoreCommand } from './cli/backup-commands.js';
import { crlCommand, initCommand, issueCommand, issueCsrCommand, revokeCommand, serveCommand } from './cli/ca-commands.js';
import { holdersCommand } from './cli/holder-commands.js';
import { unloadAllModules } from './hsm/pkcs11-module.js';
import { cardsCommand, notificationsCommand, ordersCommand, paymentsCommand, renewalUsage } from './renewal/cli/renewal-commands.js';

const usage = `usage: obnova-ca <command> [options]
  init --dir DIR [--market si|rs] [--module M] [--token-label L] [--pin-file F] [--base-url U] [--database URL] [--port N] [--key-spec S]
  serve [--dir DIR] [--host H] [--port N]
  holders add|list|show ID|change ID [--dir DIR] [--json] [--kind natural|legal --given-name … --surname … --personal-number … --email … --legal-name … --organization-id …]
  issue --module M --token-label L --holder ID [--dir DIR] [--profile P] [--key-spec S] [--pin-file F] [--json]
  issue-csr --csr FILE --holder ID [--dir DIR] [--profile P] [--out FILE] [--json]
  revoke SERIAL [--reason R] [--dir DIR]
  crl [--dir DIR] [--out FILE]
  backup --out FILE [--dir DIR] [--json]        (the CA directory and a consistent SQLite copy; HSM PIN files left out)
  restore --from FILE --dir NEW_DIR [--json]
${renewalUsage}
DIR defaults to OBNOVA_CA_DIR or the working directory.`;

/** Runs one command; returns the exit code (0 ok, 1 refused with a code, 2 usage). */
export async function runCaCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    refuseSecretsInArgv(argv);
    switch (command) {
      case 'init':
        return await initCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'holders':
        return await holdersCommand(rest, io);
      case 'issue':
        return await issueCommand(rest, io);
      case 'issue-csr':
        return await issueCsrCommand(rest, io);
      case 'revoke':
        return await revokeCommand(rest, io);
      case 'crl':
        return await crlCommand(rest, io);
      case 'backup':
        return await backupCommand(rest, io);
      case 'restore':
        return await restoreCommand(rest, io);
      case 'orders':
        return await ordersCommand(rest, io);
      case 'payments':
        return await paymentsCommand(rest, io);
      case 'cards':
        return await cardsCommand(rest, io);
      case 'notifications':
        return await notificationsCommand(rest, io);
      default:
        io.err(usage);
        return 2;
    }
  } catch (error) {
    if (error instanceof ObnovaError) {
      io.err(`${error.code}: ${error.message}`);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${error.message}\n${usage}`);
      return 2;
    }
    io.err(`INTERNAL: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    unloadAllModules();
  }
}

// realpath: installed as a bin, obnova-ca is started through a symbolic link to out/service/cli.js.
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(resolve(process.argv[1]))).href;
if (isMain) {
  const code = await runCaCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
  });
  process.exitCode = code;
}
