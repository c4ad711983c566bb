/** `obnova-ca backup|restore`: the CA directory and its SQLite database in one file, and back. */
import { parseArgs } from 'node:util';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { backupCa } from '../backup/backup.js';
import { restoreCa } from '../backup/restore.js';
import { loadConfig } from '../config.js';
import { caDir, type CliIo } from './args.js';

/** The database URL without its password, for a command line an operator copies. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

export async function backupCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.out) throw new ObnovaError('INPUT_INVALID', 'backup needs --out FILE');
  const config = loadConfig(caDir(values, io.env), io.env);
  const result = await backupCa(config, values.out);
  if (values.json) {
    io.out(JSON.stringify({ file: result.file, bytes: result.bytes, database: result.manifest.database, files: result.manifest.files.length, leftOut: result.manifest.leftOut }));
    return 0;
  }
  io.out(`backup of ${config.dir} written to ${result.file} (${result.bytes} bytes, ${result.manifest.files.length} files${result.manifest.database === 'sqlite' ? ' and the SQLite database' : ''})`);
  if (result.manifest.leftOut.length > 0) io.out(`  left out on purpose, keep apart from the backup: ${result.manifest.leftOut.join(', ')} (HSM PIN)`);
  if (result.manifest.database === 'postgres') {
    io.out('  the PostgreSQL database is not in this file; back it up beside it with:');
    io.out(`    pg_dump --format=custom --file=${result.file}.pgdump '${withoutPassword(config.database)}'`);
  }
  return 0;
}

export async function restoreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.from || !values.dir) throw new ObnovaError('INPUT_INVALID', 'restore needs --from FILE and --dir DIR (a new or empty directory)');
  const result = restoreCa(values.from, values.dir);
  if (values.json) {
    io.out(JSON.stringify({ dir: result.dir, databasePath: result.databasePath, database: result.manifest.database, pinFilesToProvide: result.pinFilesToProvide, backedUpAt: result.manifest.createdAt }));
    return 0;
  }
  io.out(`restored the backup of ${result.manifest.sourceDir} (${result.manifest.createdAt}) into ${result.dir}`);
  if (result.databasePath) io.out(`  SQLite database ${result.databasePath} (integrity checked)`);
  else io.out(`  PostgreSQL: restore the database with pg_restore --clean --if-exists --dbname=URL ${values.from}.pgdump before serving`);
  for (const pin of result.pinFilesToProvide) io.out(`  put the HSM PIN back in ${pin} (mode 600, it is not in backups), then: obnova-ca serve --dir ${result.dir}`);
  return 0;
}
