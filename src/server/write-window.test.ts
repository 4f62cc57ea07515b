import { Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { WriteWindow } from './write-window.ts';

/** A real Writable that notes each write it is asked to make, as the chunks it carries. */
function recordingSocket() {
  const writes: string[][] = [];
  const socket = new Writable({
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
    write(chunk, _encoding, callback) {
      writes.push([String(chunk)]);
      callback();
    },
  });
  return { socket, writes };
}

/** A clock the test moves by hand; the window's timer still runs on the real one, after the window's length. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const WINDOW_MS = 40;

describe('WriteWindow', () => {
  it("writes a turn's messages at its end, in one write a socket, when nothing was written for a window", async () => {
    const writeWindow = new WriteWindow(WINDOW_MS, manualClock().now);
    const sockets = [recordingSocket(), recordingSocket()];

    for (const message of ['event 1', 'event 2']) {
      for (const { socket } of sockets) {
        writeWindow.hold(socket);
        socket.write(message);
      }
    }
    expect(sockets.map(({ writes }) => writes)).toEqual([[], []]);
    await Promise.resolve();
    await nextTurn();

    expect(sockets.map(({ writes }) => writes)).toEqual([[['event 1', 'event 2']], [['event 1', 'event 2']]]);
    expect(sockets.map(({ socket }) => socket.writableCorked)).toEqual([0, 0]);
  });

  it('holds what comes within the window and sends it in one write when the window closes, which opens the next', async () => {
    const clock = manualClock();
    const writeWindow = new WriteWindow(WINDOW_MS, clock.now);
    const { socket, writes } = recordingSocket();
    const send = (message: string) => {
      writeWindow.hold(socket);
      socket.write(message);
    };

    send('a');
    await nextTurn();
    expect(writes).toEqual([['a']]);
    clock.advance(10);
    send('b');
    await nextTurn();
    clock.advance(10);
    send('c');
    await nextTurn();
    expect(writes).toEqual([['a']]);

    clock.advance(WINDOW_MS);
    await sleep(WINDOW_MS + 20);
    expect(writes).toEqual([['a'], ['b', 'c']]);
    expect(socket.writableCorked).toBe(0);

    // The close was a write: a message soon after it waits for the next window.
    clock.advance(5);
    send('d');
    await nextTurn();
    expect(writes).toEqual([['a'], ['b', 'c']]);
    clock.advance(WINDOW_MS);
    await sleep(WINDOW_MS + 20);
    expect(writes).toEqual([['a'], ['b', 'c'], ['d']]);

    // A window later with nothing written, a message waits only for its turn to end.
    clock.advance(WINDOW_MS);
    send('e');
    await nextTurn();
    expect(writes).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
  });

  it('with a window of 0, holds a message only to the end of its turn', async () => {
    const writeWindow = new WriteWindow(0);
    const { socket, writes } = recordingSocket();

    for (const message of ['a', 'b']) {
      writeWindow.hold(socket);
      socket.write(message);
    }
    await nextTurn();
    expect(writes).toEqual([['a', 'b']]);

    writeWindow.hold(socket);
    socket.write('c');
    await sleep(5);
    expect(writes).toEqual([['a', 'b'], ['c']]);
  });

  it('holds the writes of a socket that another layer corks and uncorks around each frame, as ws does', async () => {
    const clock = manualClock();
    const writeWindow = new WriteWindow(WINDOW_MS, clock.now);
    const { socket, writes } = recordingSocket();

    for (const frame of [['header1', 'body1'], ['header2', 'body2']]) {
      writeWindow.hold(socket);
      socket.cork();
      for (const part of frame) socket.write(part);
      socket.uncork();
    }
    await nextTurn();
    clock.advance(10);
    writeWindow.hold(socket);
    socket.cork();
    for (const part of ['header3', 'body3']) socket.write(part);
    socket.uncork();
    await nextTurn();
    expect(writes).toEqual([['header1', 'body1', 'header2', 'body2']]);

    clock.advance(WINDOW_MS);
    await sleep(WINDOW_MS + 20);
    expect(writes).toEqual([
      ['header1', 'body1', 'header2', 'body2'],
      ['header3', 'body3'],
    ]);
    expect(socket.writableCorked).toBe(0);
  });

  it('leaves a destroyed socket alone', async () => {
    const writeWindow = new WriteWindow(WINDOW_MS, manualClock().now);
    const open = recordingSocket();
    const destroyed = recordingSocket();
    destroyed.socket.destroy();

    writeWindow.hold(destroyed.socket);
    writeWindow.hold(open.socket);
    open.socket.write('a');
    await nextTurn();

    expect(destroyed.socket.writableCorked).toBe(0);
    expect(open.writes).toEqual([['a']]);
  });
});
