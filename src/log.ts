/** Structured JSON logs. Never log free text from huddles or escalations, nor secrets: log ids and codes. */
import pino from 'pino';

export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'care-home-huddle' },
  redact: { paths: ['*.authorization', '*.headers.authorization', 'concern', '*.concern', 'note', '*.note', 'text', '*.text'], censor: '[redacted]' },
});
export type Logger = typeof log;
