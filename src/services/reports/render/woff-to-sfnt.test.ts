import { readFileSync } from 'node:fs';
import { woffToSfnt } from './woff-to-sfnt';

describe('woffToSfnt', () => {
  const woff = readFileSync(require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff'));

  it('unpacks every table of a WOFF font into a TrueType file of the size the WOFF header gives', () => {
    const sfnt = woffToSfnt(woff);
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    expect(sfnt.readUInt16BE(4)).toBe(woff.readUInt16BE(12));
    expect(sfnt.length).toBe(woff.readUInt32BE(16));
    const tags = Array.from({ length: sfnt.readUInt16BE(4) }, (_, index) => sfnt.toString('latin1', 12 + index * 16, 16 + index * 16));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'hmtx', 'loca', 'name']));
    // The 'head' table's magic number sits 12 bytes into it.
    const head = tags.indexOf('head');
    const headOffset = sfnt.readUInt32BE(12 + head * 16 + 8);
    expect(sfnt.readUInt32BE(headOffset + 12)).toBe(0x5f0f3cf5);
  });

  it('refuses what is not WOFF 1.0', () => {
    expect(() => woffToSfnt(Buffer.from('wOF2 and the rest'))).toThrow('Not a WOFF 1.0 font');
  });
});
