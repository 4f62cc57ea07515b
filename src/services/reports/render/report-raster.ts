/**
 * Charts as PNG for mail: Gmail and Outlook drop inline <svg>, while an <img> of a PNG shows
 * everywhere. The HTML carries each chart as a data: URI so that it stands alone (the in-app
 * view, a download); Gmail shows no data: images either, so the mail sender turns them into
 * inline cid: parts, as nodemailer does with `attachDataUrls: true`. resvg renders in-process
 * from the prebuilt binary npm installs for the platform, with no browser and no download at run
 * time; the charts draw no text, so no fonts are loaded.
 */
import { Resvg } from '@resvg/resvg-js';

/** Twice the CSS size, so the images stay sharp on high-density screens. */
const PIXEL_RATIO = 2;

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: PIXEL_RATIO }, font: { loadSystemFonts: false } });
  return resvg.render().asPng();
}

export function svgToPngDataUri(svg: string): string {
  return `data:image/png;base64,${svgToPng(svg).toString('base64')}`;
}
