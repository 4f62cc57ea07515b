/** The search parameters Next.js gives a server page, as the URLSearchParams the browser's hooks read. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

export function toUrlSearchParams(params: PageSearchParams): URLSearchParams {
  const result = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) result.append(key, each);
  }
  return result;
}
