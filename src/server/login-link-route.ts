import { Router } from 'express';
import type { AuthService } from '../auth/auth.service.ts';
import { LOGIN_LINK_PATH } from '../auth/login-link.ts';
import type { SessionCookies } from './session-cookies.ts';

/**
 * `GET /auth/link?token=…`: the one-click sign-in URL (printed at the first start, or by
 * `runtrail user login-link`). A valid, unused link becomes a session cookie and leads to the
 * UI; any other leads to the login page, which says why.
 */
export function loginLinkRoute(auth: AuthService, cookies: SessionCookies): Router {
  const router = Router();
  router.get(LOGIN_LINK_PATH, async (request, response, next) => {
    try {
      const secret = typeof request.query.token === 'string' ? request.query.token : '';
      const session = secret ? await auth.redeemLoginLink(secret) : null;
      // The link's secret is in this URL: it must not travel on as a Referer.
      response.set('referrer-policy', 'no-referrer').set('cache-control', 'no-store');
      if (!session) {
        response.redirect(303, '/login?reason=link-invalid');
        return;
      }
      cookies.set(response, session.secret, session.expiresAt);
      response.redirect(303, '/');
    } catch (error) {
      next(error);
    }
  });
  return router;
}
