import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks in every log line: credentials in headers, and any field that may hold an
 * NGC key or a token. Request bodies are never logged in the first place.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-forwarded-access-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-forwarded-access-token"]',
  'apiKey',
  'token',
  'password',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.*.apiKey',
  '*.*.token',
  'body',
  '*.body',
];

/** Options of the backend's pino logger. */
export function buildLoggerOptions(level = 'info'): LoggerOptions {
  return {
    level,
    name: 'nim-dashboard',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
}

/** The backend's logger, to stdout or to `destination` (tests capture it there). */
export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  const loggerOptions = buildLoggerOptions(options.level);
  return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
}

/** The logger type the backend's modules take: pino's, as Fastify sees it. */
export type ServerLogger = FastifyBaseLogger;
