/** Reads the pixels of a PNG (a screenshot, a rasterised chart) to check what a person would see. */
import { PNG } from 'pngjs';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

function rgb(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match?.[1] || !match[2] || !match[3]) throw new Error(`${hex} is not a #rrggbb colour`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}

export interface Pixels {
  width: number;
  height: number;
  /** Whether the pixel at (x, y) is within `tolerance` (per channel) of the colour. */
  is(x: number, y: number, hex: string, tolerance?: number): boolean;
  /** The opacity of the pixel at (x, y), 0 to 255. */
  alpha(x: number, y: number): number;
  /** How many pixels of the region are each colour (within a tolerance per channel). */
  count(hexes: readonly string[], region?: Region, tolerance?: number): Map<string, number>;
}

export function readPixels(png: Buffer): Pixels {
  const image = PNG.sync.read(png);
  const matches = (x: number, y: number, [r, g, b]: [number, number, number], tolerance: number): boolean => {
    const offset = (y * image.width + x) * 4;
    const alpha = image.data[offset + 3] ?? 0;
    if (alpha < 250) return false;
    return Math.abs((image.data[offset] ?? 0) - r) <= tolerance && Math.abs((image.data[offset + 1] ?? 0) - g) <= tolerance && Math.abs((image.data[offset + 2] ?? 0) - b) <= tolerance;
  };
  return {
    width: image.width,
    height: image.height,
    alpha: (x, y) => image.data[(Math.round(y) * image.width + Math.round(x)) * 4 + 3] ?? 0,
    is: (x, y, hex, tolerance = 24) => matches(Math.round(x), Math.round(y), rgb(hex), tolerance),
    count(hexes, region = { x: 0, y: 0, width: image.width, height: image.height }, tolerance = 24) {
      const targets = hexes.map((hex) => [hex, rgb(hex)] as const);
      const counts = new Map(hexes.map((hex) => [hex, 0]));
      for (let y = Math.max(0, Math.floor(region.y)); y < Math.min(image.height, region.y + region.height); y++) {
        for (let x = Math.max(0, Math.floor(region.x)); x < Math.min(image.width, region.x + region.width); x++) {
          for (const [hex, target] of targets) {
            if (matches(x, y, target, tolerance)) counts.set(hex, (counts.get(hex) ?? 0) + 1);
          }
        }
      }
      return counts;
    },
  };
}
