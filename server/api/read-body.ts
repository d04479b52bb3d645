/**
 * A request body, read the way body-parser's `json` and `raw` read one (the parsers fedrec used
 * under express): only a body of the route's media type is read, gzip, deflate and br bodies are
 * inflated, the limit applies to the inflated bytes and a declared length over it is refused before
 * reading, an empty JSON body is `{}`, and JSON must be an object or array ("strict"). A body of any
 * other media type is not read at all and comes back `undefined`, for zod to reject.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FedrecError } from '../errors/index.ts';

export type BodyType = 'json' | 'binary';

const mediaTypes: Record<BodyType, string> = { json: 'application/json', binary: 'application/octet-stream' };

const tooLarge = () => new FedrecError('payload-too-large', 'request body is larger than this route accepts');

/**
 * @example const body = await readBody(req, 'json', 256 * 1024);
 */
export async function readBody(req: IncomingMessage, type: BodyType, limit: number): Promise<unknown> {
  // No body at all (type-is's rule): neither a length nor a chunked encoding.
  if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return undefined;
  const [media, ...parameters] = (req.headers['content-type'] ?? '').split(';');
  if (media.trim().toLowerCase() !== mediaTypes[type]) return undefined;
  if (type === 'json') {
    const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
    if (charset && !/^charset="?utf-8"?$/.test(charset)) throw new FedrecError('invalid-input', `unsupported request body charset (${charset.slice(8)}); send UTF-8`);
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (encoding === 'identity' && declared > limit) throw tooLarge();
  const bytes = await readAll(req, inflated(req, encoding), limit);
  if (type === 'binary') return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = bytes.toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    return JSON.parse(text);
  } catch {
    throw new FedrecError('invalid-input', 'request body is not valid JSON', [{ path: ['body'], message: 'malformed JSON' }]);
  }
}

function inflated(req: IncomingMessage, encoding: string): Readable {
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
      return req.pipe(createGunzip());
    case 'deflate':
      return req.pipe(createInflate());
    case 'br':
      return req.pipe(createBrotliDecompress());
    default:
      throw new FedrecError('invalid-input', `unsupported request body encoding (${encoding})`);
  }
}

/**
 * Every chunk, or a failure as soon as the bytes pass the limit. The rest of the request is then
 * read and dropped (as body-parser does), so a kept-alive connection stays usable for the next one.
 */
function readAll(req: IncomingMessage, stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const fail = (error: unknown) => {
      stream.removeAllListeners('data');
      if (stream !== req) {
        req.unpipe(stream as unknown as NodeJS.WritableStream);
        stream.destroy();
      }
      req.resume();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) fail(tooLarge());
      else chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks, length)));
    // An inflating stream fails on bytes that are not what the encoding says; the request itself only on a broken connection.
    stream.on('error', (error) => fail(stream === req ? error : new FedrecError('invalid-input', 'request body could not be decoded')));
  });
}
