/**
 * A second service instance in its own process (`obnova-ca serve` for a CA directory, port 0):
 * prints its URL as one JSON line, stops on SIGTERM. Used by the scale-out test.
 */
import { startServer } from '../../../src-service/server.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: serve-instance.ts CA_DIR');
const server = await startServer(dir, { host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, adminUrl: server.adminUrl })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
