export interface LogChunkData {
  content: string;
  offset: number;
  nextOffset: number;
  size: number;
}

/** The most bytes one UTF-8 character takes. */
export const UTF8_MAX_BYTES = 4;

/**
 * A piece of about `limit` bytes of a log, from `read` (the log's bytes from `start`, which is
 * at most `size`, up to `limit + UTF8_MAX_BYTES - 1` of them), ending on a UTF-8 character
 * boundary so that pieces joined by `nextOffset` decode to the log's text. A piece is shorter
 * than `limit` by the bytes of a character cut at its end, and longer (by at most 3 bytes) only
 * when `limit` is smaller than the one character at `start`. Bytes of an incomplete character at
 * the end of the log wait for the rest unless the log has `ended` (it will not grow): then they
 * are read as they are.
 */
export function logPiece(read: Buffer, start: number, limit: number, size: number, options: { ended: boolean }): LogChunkData {
  const atEnd = start + read.length >= size;
  const end = pieceEnd(read, Math.min(limit, read.length), atEnd && options.ended);
  return { content: read.subarray(0, end).toString('utf8'), offset: start, nextOffset: start + end, size };
}

/** Where a piece of `bytes` no longer than about `limit` ends without cutting a character. */
function pieceEnd(bytes: Buffer, limit: number, final: boolean): number {
  if (final && limit === bytes.length) return limit;
  // Back over the continuation bytes (10xxxxxx) at the end to the lead byte of the last character.
  let start = limit - 1;
  while (start > 0 && limit - start < UTF8_MAX_BYTES && ((bytes[start] ?? 0) & 0xc0) === 0x80) start -= 1;
  if (start < 0 || start + sequenceLength(bytes[start] ?? 0) <= limit) return limit;
  if (start > 0) return start;
  // The one character at the start is longer than limit: the piece is that character, once it is all there.
  const characterEnd = sequenceLength(bytes[0] ?? 0);
  if (characterEnd <= bytes.length) return characterEnd;
  return final ? bytes.length : 0;
}

/** The length of the UTF-8 sequence a lead byte starts; 1 for ASCII and for bytes that start none. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}
