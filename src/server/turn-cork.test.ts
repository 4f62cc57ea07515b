import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnCork } from './turn-cork.ts';

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

describe('TurnCork', () => {
  it('writes the first message a socket is given in a turn at once, before the turn ends', () => {
    const cork = new TurnCork();
    const { socket, writes } = recordingSocket();

    cork.hold(socket);
    socket.write('first');

    expect(writes).toEqual([['first']]);
  });

  it('sends what one turn wrote to a socket after its first message in one write, and holds every message while it catches up', async () => {
    const cork = new TurnCork();
    const { socket, writes } = recordingSocket();
    const turn = async (messages: string[]) => {
      for (const message of messages) {
        cork.hold(socket);
        socket.write(message);
      }
      const atOnce = writes.length;
      await nextTurn();
      return atOnce;
    };

    // Keeping up: the first at once, the rest of the turn together.
    expect(await turn(['a', 'b', 'c'])).toBe(1);
    // Catching up: a socket was given several messages in the last turn, so all wait for the end of this one.
    expect(await turn(['d', 'e'])).toBe(2);
    expect(await turn(['f'])).toBe(3);
    // Caught up: one message in the last turn, so this one goes at once again.
    expect(await turn(['g'])).toBe(5);

    expect(writes).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f'], ['g']]);
  });

  it('has written to every socket held in a turn by its end, and left none corked', async () => {
    const cork = new TurnCork();
    const sockets = [recordingSocket(), recordingSocket()];

    for (const { socket } of sockets) {
      cork.hold(socket);
      socket.write('event');
    }
    await Promise.resolve();
    await nextTurn();

    expect(sockets.map(({ writes }) => writes)).toEqual([[['event']], [['event']]]);
    expect(sockets.map(({ socket }) => socket.writableCorked)).toEqual([0, 0]);
  });

  it('holds the writes of a socket that another layer corks and uncorks inside the turn, as ws does per frame', async () => {
    const cork = new TurnCork();
    const { socket, writes } = recordingSocket();

    for (const frame of [['header1', 'body1'], ['header2', 'body2'], ['header3', 'body3']]) {
      cork.hold(socket);
      socket.cork();
      for (const part of frame) socket.write(part);
      socket.uncork();
    }
    await nextTurn();

    expect(writes).toEqual([
      ['header1', 'body1'],
      ['header2', 'body2', 'header3', 'body3'],
    ]);
  });
});
