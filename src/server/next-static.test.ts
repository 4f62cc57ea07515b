import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { nextStaticAssets } from './next-static.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let root: string;
let server: http.Server;
let port: number;
const SCRIPT = `globalThis.chunk = ${JSON.stringify('x'.repeat(4000))};\n`;

function get(pathname: string, acceptEncoding?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'next-static-'));
  const distDir = path.join(root, '.next');
  mkdirSync(path.join(distDir, 'static', 'chunks'), { recursive: true });
  mkdirSync(path.join(distDir, 'static', 'media'), { recursive: true });
  writeFileSync(path.join(distDir, 'static', 'chunks', 'app.js'), SCRIPT);
  writeFileSync(path.join(distDir, 'static', 'media', 'font.woff2'), Buffer.from([1, 2, 3, 4]));
  writeFileSync(path.join(distDir, 'secret.txt'), 'not for browsers');
  const app = express();
  app.use(nextStaticAssets(distDir));
  // Stands for Next.js, which answers whatever the static files do not.
  app.use((_request, response) => {
    response.status(404).send('from next');
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('the UI build’s static files', () => {
  it('sends a script compressed as the browser accepts, the same bytes each time, cached for good', async () => {
    const gzip = await get('/_next/static/chunks/app.js', 'gzip, deflate');
    const again = await get('/_next/static/chunks/app.js', 'gzip, deflate');
    const br = await get('/_next/static/chunks/app.js', 'gzip, deflate, br');
    const plain = await get('/_next/static/chunks/app.js');

    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);
    expect(gzip.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(again.body.equals(gzip.body)).toBe(true);
    expect(gzip.headers['content-type']).toBe('application/javascript; charset=UTF-8');
    expect(gzip.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  it('sends a font as it is', async () => {
    const font = await get('/_next/static/media/font.woff2', 'gzip, br');

    expect(font.status).toBe(200);
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['content-type']).toBe('font/woff2');
    expect([...font.body]).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['a file that is not there', '/_next/static/chunks/missing.js'],
    ['a path out of the static directory', '/_next/static/..%2Fsecret.txt'],
    ['a path that does not decode', '/_next/static/chunks/%E0%A4%A.js'],
    ['a kind of file the build does not write', '/_next/static/chunks/app.exe'],
  ])('leaves %s to Next.js', async (_what, pathname) => {
    const answer = await get(pathname, 'gzip');

    expect(answer.status).toBe(404);
    expect(answer.body.toString()).toBe('from next');
  });
});
