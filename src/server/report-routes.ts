import { Router } from 'express';
import type { Services } from '../composition.ts';
import { RateLimitedError } from '../auth/rate-limits.ts';
import { authenticatePresented, presentedCredentials } from './authenticate.ts';

/**
 * GET /reports/<id>.<ext>: a stored format of a report, for whoever may read the report through
 * GraphQL (a bearer token or the UI's session cookie; every project of the report readable).
 * An unknown or unreadable report is 404 alike, so ids leak nothing.
 */
export function reportRoutes(services: Pick<Services, 'auth' | 'limits' | 'reports'>): Router {
  const router = Router();
  router.get('/reports/:file', async (request, response) => {
    const match = /^(rep_[0-9a-z]{25})\.([a-z]{2,5})$/.exec(request.params.file);
    if (!match?.[1] || !match[2]) {
      response.status(404).json({ error: 'No such report file; the URL is /reports/<report id>.<html|csv|json|pdf>' });
      return;
    }
    const credentials = presentedCredentials(request.headers.authorization, request.headers.cookie);
    const principal = await authenticatePresented(services.auth, credentials);
    if (!principal) {
      response.status(401).setHeader('www-authenticate', 'Bearer realm="runtrail"').json({ error: 'Authentication required: send "Authorization: Bearer <token>" or sign in' });
      return;
    }
    if (principal.credential) {
      try {
        await services.limits.consumeRequest(principal.credential.id);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        response.status(429).json({ error: error.message });
        return;
      }
    }
    try {
      const artifact = await services.reports.artifact(principal, match[1], match[2]);
      response
        .status(200)
        .setHeader('content-type', artifact.contentType)
        .setHeader('content-length', String(artifact.bytes.length))
        // A report never changes once written; only its readers do, so no shared cache keeps it.
        .setHeader('cache-control', 'private, max-age=86400')
        .setHeader('x-content-type-options', 'nosniff')
        .setHeader('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
        .end(artifact.bytes);
    } catch (error) {
      if (isNotFound(error)) {
        response.status(404).json({ error: error.message });
        return;
      }
      throw error;
    }
  });
  return router;
}

// By shape: an AppError of another module realm is not this realm's AppError.
function isNotFound(error: unknown): error is { code: 'NOT_FOUND'; message: string } {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'NOT_FOUND' && 'message' in error && typeof error.message === 'string';
}
