/**
 * Charts as PNG for mail: Gmail and Outlook drop inline <svg>, while an <img> of a PNG shows
 * everywhere (as a data: URI, or as a cid: part when the mailer turns data: images into inline
 * attachments, as nodemailer's `attachDataUrls` does). resvg renders in-process from prebuilt
 * binaries that npm installs, with no browser and no download at run time; the charts draw no
 * text, so no fonts are loaded.
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
