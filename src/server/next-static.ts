import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { Router, type Request } from 'express';
import { systemErrorCode } from '../domain/errors.ts';

/**
 * The UI's build output under /_next/static/, compressed once per file and kept: Next.js would
 * compress each file again for every browser that loads a page, on the thread that renders pages,
 * at the moment a cold page load most needs that thread (its stylesheet and its rows). The names
 * carry a hash of the content, so a file never changes while the server runs.
 */

const PREFIX = '/_next/static/';
// What the build writes there; any other file is left to Next.js.
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'application/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
  '.map': 'application/json; charset=UTF-8',
  '.json': 'application/json; charset=UTF-8',
  '.txt': 'text/plain; charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};
// Fonts and images are compressed already.
const COMPRESSIBLE = new Set(['.js', '.css', '.map', '.json', '.txt', '.svg']);
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The first browser to ask for a file waits for it: 11 (the best) takes seconds for the largest
// chunk, 9 a tenth of that and sends about 8% more.
const BROTLI_QUALITY = 9;

const gzipped = promisify(gzip);
const brotli = promisify(brotliCompress);

interface Asset {
  contentType: string;
  identity: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
}

async function loadAsset(file: string, extension: string, contentType: string): Promise<Asset | null> {
  const identity = await readFile(file).catch((error: unknown) => {
    const code = systemErrorCode(error);
    if (code === 'ENOENT' || code === 'EISDIR') return null;
    throw error;
  });
  if (identity === null) return null;
  if (!COMPRESSIBLE.has(extension)) return { contentType, identity, gzip: null, br: null };
  const [gzip, br] = await Promise.all([
    gzipped(identity, { level: zlib.Z_BEST_COMPRESSION }),
    brotli(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  ]);
  return { contentType, identity, gzip, br };
}

/** The file a request (its path below /_next/static) names in the static directory, or null when it names none there. */
function fileOf(staticDir: string, request: Request): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(request.path.slice(1));
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(staticDir, relative);
  return file.startsWith(`${staticDir}${path.sep}`) ? file : null;
}

function chosenBody(asset: Asset, request: Request): { body: Buffer; encoding: 'br' | 'gzip' | null } {
  if (!asset.br || !asset.gzip) return { body: asset.identity, encoding: null };
  // The smaller first, whatever order the browser lists them in.
  if (request.acceptsEncodings('br') === 'br') return { body: asset.br, encoding: 'br' };
  if (request.acceptsEncodings('gzip') === 'gzip') return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.identity, encoding: null };
}

/** Serves `<distDir>/static` at /_next/static/; anything it does not hold goes on to Next.js (its 404). */
export function nextStaticAssets(distDir: string): Router {
  const staticDir = path.resolve(distDir, 'static');
  const assets = new Map<string, Promise<Asset | null>>();
  const router = Router();
  // Mounted rather than routed: a path that does not decode goes on to Next.js, not to a 400 of the router's.
  router.use(PREFIX, async (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const file = fileOf(staticDir, request);
    const extension = path.extname(request.path);
    const contentType = CONTENT_TYPES[extension];
    if (!file || !contentType) return next();
    let loading = assets.get(file);
    if (!loading) {
      loading = loadAsset(file, extension, contentType);
      assets.set(file, loading);
    }
    const asset = await loading.catch(() => null);
    if (!asset) {
      // Neither a missing file nor a failed read is remembered: the map holds only what the build wrote.
      assets.delete(file);
      return next();
    }
    const { body, encoding } = chosenBody(asset, request);
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Cache-Control', IMMUTABLE);
    if (asset.br) response.setHeader('Vary', 'Accept-Encoding');
    if (encoding) response.setHeader('Content-Encoding', encoding);
    response.setHeader('Content-Length', String(body.length));
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return router;
}
