/** Where a one-click login link leads; the server serves it, the first start and the CLI print it. */
export const LOGIN_LINK_PATH = '/auth/link';

export function loginLinkUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/$/, '')}${LOGIN_LINK_PATH}?token=${encodeURIComponent(secret)}`;
}
