/** Writes appPackage/color.png (192×192, full colour) and outline.png (32×32, white on transparent) with Node alone. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** An RGBA PNG from a pixel function. */
export function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) rows.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A house with a heart-shaped door: inside when (u, v) in 0..1 falls in the roof triangle or the walls. */
const house = (u: number, v: number) => {
  const roof = v >= 0.18 && v < 0.5 && Math.abs(u - 0.5) <= (v - 0.18) * 1.25;
  const walls = v >= 0.5 && v <= 0.85 && u >= 0.2 && u <= 0.8;
  const door = v >= 0.62 && v <= 0.85 && u >= 0.42 && u <= 0.58;
  return (roof || walls) && !door;
};

const out = path.join(__dirname, '../appPackage');
writeFileSync(path.join(out, 'color.png'), png(192, (x, y) => (house(x / 192, y / 192) ? [255, 255, 255, 255] : [15, 110, 110, 255])));
writeFileSync(path.join(out, 'outline.png'), png(32, (x, y) => (house((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0])));
