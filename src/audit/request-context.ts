import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

const storage = new AsyncLocalStorage<{ requestId: string | null }>();

/** The id of the HTTP request being served (X-Request-Id), or null outside a request. */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Express middleware: runs the rest of the request inside a context that carries its id
 * (pino-http has set req.id by then), so the audit log can name the request of each change.
 */
export function requestContextMiddleware(
  req: Request & { id?: unknown },
  _res: Response,
  next: NextFunction,
): void {
  const given = req.id ?? req.headers['x-request-id'];
  const requestId =
    typeof given === 'string' || typeof given === 'number' ? String(given).slice(0, 100) : null;
  storage.run({ requestId }, next);
}
