import { loginHref, safeReturnPath } from './return-to.ts';

describe('safeReturnPath', () => {
  it.each([
    ['/runs', '/runs'],
    ['/runs?status=FAILED&range=24h', '/runs?status=FAILED&range=24h'],
    ['/runs/r_1#steps', '/runs/r_1#steps'],
  ])('returns to %s, a page of this site', (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });

  it.each([
    [null],
    ['https://evil.example/runs'],
    ['//evil.example/runs'],
    ['/\\evil.example'],
    ['/\t/evil.example'],
    ['javascript:alert(1)'],
    ['runs'],
    ['/login?next=/runs'],
  ])('goes home instead of to %j, which is not a page of this site to return to', (next) => {
    expect(safeReturnPath(next)).toBe('/');
  });
});

describe('loginHref', () => {
  it('carries the reason and the page the user was on', () => {
    expect(loginHref('unauthenticated', '/runs?status=FAILED')).toBe('/login?reason=unauthenticated&next=%2Fruns%3Fstatus%3DFAILED');
  });

  it('says nothing of where the user was when that was the home page', () => {
    expect(loginHref(null, '/')).toBe('/login');
  });

  it('does not bring back to the page a user who signed out of it', () => {
    expect(loginHref('signed-out', '/runs')).toBe('/login?reason=signed-out');
  });
});
