import { INestApplication } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { requestIdOf } from '../common/http/request-id';
import { DrawnAttemptsService } from './drawn-attempts.service';

/** The body SaveResponseDto takes and nothing else: `{ "response": <defined> }`. */
function onlyResponse(body: unknown): body is { response: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return (
    keys.length === 1 &&
    keys[0] === 'response' &&
    (body as { response: unknown }).response !== null &&
    (body as { response: unknown }).response !== undefined
  );
}

/**
 * The hot path of an exam (issue 16: 2,000 takers autosaving every few seconds): the everyday
 * autosave, answered before the framework's router, guards and pipes, which cost several times
 * the save itself under that load. It answers only what it can answer exactly as the full route
 * would — a well-formed body from a signed-in person holding self:use, saving a valid response
 * to an open attempt whose layout this process keeps (DrawnAttemptsService.saveKnown) — with the
 * same status and body (200, SavedResponseDto) and the security headers, CORS and body checks
 * of every request (they run before it). Anything else, before anything is written, goes on to
 * the full route (ExamController.saveResponse), which gives every refusal its usual answer: no
 * refusal is decided here. The first save of an attempt in a process always takes the full route.
 */
export function autosaveFastPath(auth: AuthService, drawn: DrawnAttemptsService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const { id, questionId } = req.params as { id: string; questionId: string };
    const header = req.headers.authorization;
    if (
      !header?.startsWith('Bearer ') ||
      !isUUID(id) ||
      !isUUID(questionId) ||
      !onlyResponse(req.body)
    ) {
      return next();
    }
    const response = req.body.response;
    auth
      .authenticate(header.slice(7).trim())
      .then(async (actor) => {
        if (!actor?.can('self:use')) return undefined;
        return drawn.saveKnown(actor, id, questionId, response);
      })
      .then(
        (saved) => {
          if (!saved) return next();
          res.setHeader('X-Request-Id', requestIdOf(req));
          res.status(200).json(saved);
        },
        // Nothing was written (an error comes before or from the one UPDATE): the full route
        // answers, with its own handling of the same failure (e.g. 503 for a pool timed out).
        () => next(),
      );
  };
}

/**
 * Puts the hot path in front of the framework's router (configureApp, after the body parsers),
 * on the route of ExamController.saveResponse under the API's prefix.
 */
export function useAutosaveFastPath(app: INestApplication, apiPrefix: string): void {
  const express = app.getHttpAdapter().getInstance() as {
    put(path: string, handler: RequestHandler): void;
  };
  express.put(
    `/${apiPrefix}/attempts/:id/responses/:questionId`,
    autosaveFastPath(app.get(AuthService), app.get(DrawnAttemptsService)),
  );
}
