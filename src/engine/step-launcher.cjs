// @ts-check
'use strict';
// The step launcher: a small process of its own that starts the engine's step processes.
// A fork copies the page tables of the process that forks, so its cost grows with that
// process's memory: from the server (hundreds of MB) a spawn blocked the event loop for 4–6 ms
// here, from this process (about 40 MB) it takes about 2 ms and blocks nothing of the server's.
// Plain JavaScript, started by `node` from every build and from the sources alike, with no
// import beyond Node's own.
//
// In (stdin): one JSON request a line, {id, file, args, cwd, env, uid?, gid?}.
// Out (stdout): frames of [kind: u8][id: u32][length: u32][payload]: kind 0 a JSON event
// ({event: 'started', pid} | {event: 'error', code, message, started} | {event: 'closed',
// exitCode, signal}), 1 stdout bytes, 2 stderr bytes. A child's bytes always come before its
// `closed`. When stdin ends (the server is gone) the launcher exits; the steps it started go on,
// found later by their cookie like the steps of any server that died.

const { spawn } = require('node:child_process');
const readline = require('node:readline');

const EVENT = 0;
const STDOUT = 1;
const STDERR = 2;
const HEADER_BYTES = 9;

process.title = 'runtrail-step-launcher';

/** @type {Set<import('node:stream').Readable>} */
const streams = new Set();
let blocked = false;

/**
 * @param {number} kind
 * @param {number} id
 * @param {Buffer} payload
 */
function send(kind, id, payload) {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt8(kind, 0);
  frame.writeUInt32BE(id, 1);
  frame.writeUInt32BE(payload.length, 5);
  payload.copy(frame, HEADER_BYTES);
  // A server that reads slower than the steps write pauses every step's pipe until it caught up.
  const flowing = process.stdout.write(frame);
  if (!flowing && !blocked) {
    blocked = true;
    for (const stream of streams) stream.pause();
    process.stdout.once('drain', () => {
      blocked = false;
      for (const stream of streams) stream.resume();
    });
  }
}

/**
 * @param {number} id
 * @param {Record<string, unknown>} event
 */
function sendEvent(id, event) {
  send(EVENT, id, Buffer.from(JSON.stringify(event)));
}

/**
 * @param {number} id
 * @param {number} kind
 * @param {import('node:stream').Readable | null} stream
 */
function relay(id, kind, stream) {
  if (stream === null) return;
  streams.add(stream);
  if (blocked) stream.pause();
  stream.on('data', (/** @type {Buffer} */ chunk) => send(kind, id, chunk));
  stream.once('close', () => streams.delete(stream));
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) return { code: 'code' in error && typeof error.code === 'string' ? error.code : null, message: error.message };
  return { code: null, message: String(error) };
}

/**
 * @typedef {{ id: number; file: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number }} LaunchRequest
 */

/** @param {string} line */
function start(line) {
  /** @type {LaunchRequest} */
  const request = JSON.parse(line);
  const id = request.id;
  /** @type {import('node:child_process').ChildProcess} */
  let child;
  try {
    child = spawn(request.file, request.args, {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(typeof request.uid === 'number' ? { uid: request.uid, gid: request.gid } : {}),
    });
  } catch (error) {
    sendEvent(id, { event: 'error', ...describe(error), started: false });
    return;
  }
  if (child.pid !== undefined) sendEvent(id, { event: 'started', pid: child.pid });
  relay(id, STDOUT, child.stdout);
  relay(id, STDERR, child.stderr);
  child.once('error', (error) => sendEvent(id, { event: 'error', ...describe(error), started: child.pid !== undefined }));
  child.once('close', (exitCode, signal) => sendEvent(id, { event: 'closed', exitCode, signal }));
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', start);
process.stdin.once('end', () => process.exit(0));
