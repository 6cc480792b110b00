import pino from 'pino';

export type Logger = pino.Logger;

/** Paths never written to a log line, whatever a caller passes. */
export const REDACT_PATHS = [
  'password',
  'token',
  'key',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.key',
  '*.apiKey',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.JWT_SECRET',
  'config.ONEAPI_KEY',
  'config.QDRANT_API_KEY',
  'config.INTERNAL_TOKEN',
  'config.REDIS_URL',
];

/**
 * A JSON logger that redacts secrets; `destination` lets tests capture lines. `events`, when
 * given, also receives every warn+ line (see `createEventSink`).
 */
export function createLogger(
  opts: { level?: string; service?: string; events?: pino.DestinationStream },
  destination?: pino.DestinationStream,
): Logger {
  const out = destination ?? pino.destination(1);
  const stream = opts.events
    ? pino.multistream([
        { level: 'trace', stream: out },
        { level: 'warn', stream: opts.events },
      ])
    : out;
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service ?? 'context-os' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
