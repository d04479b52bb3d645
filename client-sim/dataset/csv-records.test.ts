import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedrecError } from '../../server/errors/index.ts';
import { csvRecords, type CsvRecord, type CsvSource } from './csv-records.ts';

async function readAll(source: CsvSource | (string | Uint8Array)[], maxFieldChars?: number): Promise<CsvRecord[]> {
  const input = Array.isArray(source) ? chunksOf(source) : source;
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(input, { maxFieldChars })) records.push(record);
  return records;
}

async function* chunksOf(chunks: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  yield* chunks;
}

const fieldsOf = (records: CsvRecord[]): string[][] => records.map((r) => (r.ok ? r.fields : [`BAD: ${r.reason}`]));

/** RFC 4180 writer: quotes what must be quoted, and more when asked (quoting is always allowed). */
function writeCsv(rows: { text: string; quote: boolean }[][], eol: string, trailingEol: boolean): string {
  const lines = rows.map((row) =>
    row
      .map(({ text, quote }) => (quote || /[",\r\n]/.test(text) || (row.length === 1 && text === '') ? `"${text.replaceAll('"', '""')}"` : text))
      .join(','),
  );
  return lines.join(eol) + (trailingEol ? eol : '');
}

describe('csvRecords', () => {
  it('reads quoted fields with commas, escaped quotes and embedded newlines, with start lines', async () => {
    const text = 'a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,"",last\n';
    const records = await readAll([text]);
    expect(fieldsOf(records)).to.deep.equal([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines'], ['plain', '', 'last']]);
    expect(records.map((r) => r.line)).to.deep.equal([1, 2, 4]);
  });

  it('accepts CRLF, LF, a UTF-8 BOM and no trailing newline', async () => {
    const bytes = Buffer.from('\uFEFFid,name\r\n1,"a\r\nb"\r\n2,é\n3,z', 'utf8');
    const oneByteAtATime = [...bytes].map((b) => Uint8Array.of(b)); // splits the BOM and é
    for (const source of [[bytes], oneByteAtATime]) {
      expect(fieldsOf(await readAll(source))).to.deep.equal([['id', 'name'], ['1', 'a\r\nb'], ['2', 'é'], ['3', 'z']]);
    }
  });

  it('keeps a trailing empty field, skips blank lines and keeps quotes inside unquoted fields', async () => {
    const records = await readAll(['a,b\n\n1,\r\n\r\n2,5" pipe\n""\n']);
    expect(fieldsOf(records)).to.deep.equal([['a', 'b'], ['1', ''], ['2', '5" pipe'], ['BAD: expected 2 fields, found 1']]);
    expect(records.map((r) => r.line)).to.deep.equal([1, 3, 5, 6]);
  });

  it('reports a wrong field count and text after a closing quote as bad records, and reads on', async () => {
    const records = await readAll(['a,b\n1,2,3\n"x"y,2\n"x"\r,2\n4,5\n6\n']);
    expect(fieldsOf(records)).to.deep.equal([
      ['a', 'b'],
      ['BAD: expected 2 fields, found 3'],
      ['BAD: unexpected "y" after a closing quote'],
      ['BAD: unexpected "\\r" after a closing quote'],
      ['4', '5'],
      ['BAD: expected 2 fields, found 1'],
    ]);
  });

  it('reports a quote left open at the end of the file as a bad record instead of throwing', async () => {
    const records = await readAll(['a,b\n1,2\n3,"never closed\n4,5\n']);
    expect(records.at(-1)).to.deep.equal({ ok: false, line: 3, reason: 'a quoted field is never closed before the end of the file' });
    expect(records).to.have.length(3);
  });

  it('throws rather than buffer a runaway quoted field past maxFieldChars', async () => {
    const run = readAll(['a,b\n1,"', 'x'.repeat(50), 'y'.repeat(50)], 80);
    await run.then(
      () => expect.fail('should have thrown'),
      (err: unknown) => expect(err).to.be.instanceOf(FedrecError).with.property('message').that.matches(/line 2.*80 characters/),
    );
  });

  it('reads a file path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedrec-csv-'));
    try {
      await writeFile(join(dir, 'small.csv'), 'a,b\n1,2\n');
      expect(fieldsOf(await readAll(join(dir, 'small.csv')))).to.deep.equal([['a', 'b'], ['1', '2']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('yields records while the source is still being read (streaming, not slurping)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'a,b\n';
      for (;;) {
        pulled++;
        yield `${pulled},x\n`;
      }
    }
    const seen: CsvRecord[] = [];
    for await (const record of csvRecords(endless())) if (seen.push(record) === 10) break;
    expect(seen.map((r) => r.line)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pulled).to.equal(9);
  });

  it('round-trips any fields written by an RFC 4180 writer, in any chunking (property)', async () => {
    const unit = fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '€', '😀');
    const cell = fc.record({ text: fc.string({ unit, maxLength: 8 }), quote: fc.boolean() });
    const table = fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }));
    const layout = fc.record({ eol: fc.constantFrom('\n', '\r\n'), trailingEol: fc.boolean(), bom: fc.boolean(), cuts: fc.array(fc.nat(), { maxLength: 12 }) });
    await fc.assert(
      fc.asyncProperty(table, layout, async (rows, { eol, trailingEol, bom, cuts }) => {
        const text = (bom ? '\uFEFF' : '') + writeCsv(rows, eol, trailingEol);
        const expected = rows.map((row) => row.map((c) => c.text));
        const bytes = Buffer.from(text, 'utf8');
        const byteChunks = splitAt(bytes.length, cuts).map(([from, to]) => bytes.subarray(from, to));
        const textChunks = splitAt(text.length, cuts).map(([from, to]) => text.slice(from, to));
        expect(fieldsOf(await readAll(byteChunks))).to.deep.equal(expected);
        expect(fieldsOf(await readAll(textChunks))).to.deep.equal(expected);
      }),
      { numRuns: 300 },
    );
  });
});

/** Random cut points → consecutive [from, to) ranges covering 0..length. */
function splitAt(length: number, cuts: number[]): [number, number][] {
  const points = [...new Set(cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points, length];
  return bounds.slice(1).map((to, i) => [bounds[i], to]);
}
