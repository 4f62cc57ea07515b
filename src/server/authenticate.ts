import { GraphQLError } from 'graphql';
import type { AuthService } from '../auth/auth.service.ts';
import type { Principal } from '../auth/principal.ts';
import { bearerTokenFrom } from '../auth/token-secret.ts';

export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** The principal of an `Authorization: Bearer <token>` value, or null. */
export async function principalFromAuthorization(auth: AuthService, authorization: unknown): Promise<Principal | null> {
  const secret = typeof authorization === 'string' ? bearerTokenFrom(authorization) : null;
  return secret ? auth.authenticate(secret) : null;
}

export function unauthenticatedError(hadCredentials: boolean): GraphQLError {
  const message = hadCredentials
    ? 'The token is unknown, revoked or expired; sign in again or create a new token'
    : 'Authentication required: send "Authorization: Bearer <token>" (the first admin token is in DATA_DIR/admin-token)';
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="runtrail"']]) },
    },
  });
}
