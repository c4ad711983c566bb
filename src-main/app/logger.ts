/** Structured logs for the main process; secrets are redacted by key wherever they appear. */
import pino, { type Logger } from 'pino';

/** Keys whose values never reach a log, whichever logger writes it. */
export const redactedKeys = ['pin', 'puk', 'newPin', 'oldPin', 'soPin', 'newPuk', 'secret', 'token', 'accessToken', 'authorization', 'Authorization', 'password', 'cookie'];

/** The one redaction policy: every redacted key at the top level and one or two levels down. */
export function redactionPaths(): string[] {
  return [...redactedKeys, ...redactedKeys.map((k) => `*.${k}`), ...redactedKeys.map((k) => `*.*.${k}`)];
}

/** A stderr-only logger (the CLI, tests); the app's file logger is src-main/logging/app-logger.ts. */
export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.OBNOVA_LOG_LEVEL ?? 'info',
      base: { app: 'obnova' },
      redact: { paths: redactionPaths(), censor: '[redacted]' },
    },
    pino.destination({ fd: options.destination ?? 2, sync: true }),
  );
}

export type { Logger };
