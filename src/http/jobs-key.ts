/** The jobs key (`Authorization: Bearer $JOBS_API_KEY`) that guards the jobs and export endpoints. */
import { timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { Config } from '../config';

function bearerMatches(header: string | undefined, key: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(key);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** True when the request carries the key; otherwise answers it (404 when the endpoints are off, 401 for a wrong key) and false. */
export function requireJobsKey(config: Config, req: restify.Request, res: restify.Response): boolean {
  const key = config.JOBS_API_KEY;
  if (!key) {
    res.json(404, { error: 'The jobs endpoint is off: set JOBS_API_KEY to use it.' });
    return false;
  }
  if (!bearerMatches(req.header('authorization'), key)) {
    res.header('WWW-Authenticate', 'Bearer');
    res.json(401, { error: 'Send Authorization: Bearer <JOBS_API_KEY>.' });
    return false;
  }
  return true;
}
