import { describe, expect, it } from 'vitest';
import { createAuthedApi } from '../api/client';
import { envelope, fakeApi, json } from '../test/fake-api';
import { uploadFiles } from './upload-files';

describe('uploadFiles', () => {
  it('sends one request per file, at most three at once, and waits out a 429 instead of failing the file', async () => {
    let inFlight = 0;
    let peak = 0;
    let limited = 0;
    fakeApi({
      'POST /api/v1/documents': async (request) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        const file = (await request.formData()).get('file') as File;
        if (file.name === 'busy.txt' && limited++ === 0) return envelope(429, 'RATE_LIMITED', 'Too many requests; slow down.');
        if (file.name === 'bad.exe') return envelope(415, 'UNSUPPORTED_MEDIA_TYPE', 'This file type is not supported.');
        return json(file.name === 'again.txt' ? 200 : 202, { id: file.name });
      },
    });
    const names = ['a.txt', 'b.txt', 'busy.txt', 'c.txt', 'bad.exe', 'again.txt', 'd.txt'];
    const done: string[] = [];
    const results = await uploadFiles(createAuthedApi(async () => 'tok'), names.map((n) => new File(['x'], n)), { retryDelayMs: 1, onEach: (r) => done.push(r.name) });

    expect(peak).toBe(3);
    expect(results.map((r) => r.name)).toEqual(names);
    expect(done.sort()).toEqual([...names].sort());
    expect(results.find((r) => r.name === 'busy.txt')).toEqual({ name: 'busy.txt', duplicate: false });
    expect(results.find((r) => r.name === 'again.txt')?.duplicate).toBe(true);
    expect(String(results.find((r) => r.name === 'bad.exe')?.error)).toContain('This file type is not supported.');
  });
});
