import pino from 'pino';

/** Structured logs of what happened, never of what people wrote: no bodies, no record contents. */
export function createLogger(level: string) {
  return pino({
    level,
    base: undefined,
    redact: { paths: ['req.headers.cookie', 'headers.cookie', 'password', '*.password'], remove: true },
  });
}
