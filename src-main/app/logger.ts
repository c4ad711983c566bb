/** Structured logs for the main process; secrets are redacted by key wherever they appear. */
import pino, { type Logger } from 'pino';

export const redactedKeys = ['pin', 'puk', 'newPin', 'oldPin', 'soPin', 'secret', 'token', 'accessToken', 'authorization'];

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.OBNOVA_LOG_LEVEL ?? 'info',
      base: { app: 'obnova' },
      redact: { paths: [...redactedKeys, ...redactedKeys.map((k) => `*.${k}`)], censor: '[redacted]' },
    },
    pino.destination({ fd: options.destination ?? 2, sync: true }),
  );
}

export type { Logger };
