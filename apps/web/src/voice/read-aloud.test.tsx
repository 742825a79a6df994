import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { envelope, fakeApi, json } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';
import { WavStream } from './wav-stream';

const played: { samples: number[]; rate: number }[] = [];
class FakeAudioContext {
  currentTime = 0;
  destination = {};
  resume() {
    return Promise.resolve();
  }
  createBuffer(_c: number, length: number, rate: number) {
    return { duration: length / rate, rate, samples: [] as number[], copyToChannel(s: Float32Array) { this.samples = Array.from(s); } };
  }
  createBufferSource() {
    const source = { buffer: null as null | { samples: number[]; rate: number }, onended: null, connect() {}, start() { played.push({ samples: source.buffer!.samples, rate: source.buffer!.rate }); }, stop() {} };
    return source;
  }
}

/** A 24 kHz PCM16 WAV header as the api streams it (sizes unknown: 0xffffffff). */
function wavHeader(rate = 24000): Uint8Array {
  const b = new DataView(new ArrayBuffer(44));
  [...'RIFF'].forEach((c, i) => b.setUint8(i, c.charCodeAt(0)));
  b.setUint32(4, 0xffffffff, true);
  [...'WAVEfmt '].forEach((c, i) => b.setUint8(8 + i, c.charCodeAt(0)));
  b.setUint32(16, 16, true);
  b.setUint16(20, 1, true);
  b.setUint16(22, 1, true);
  b.setUint32(24, rate, true);
  b.setUint32(28, rate * 2, true);
  b.setUint16(32, 2, true);
  b.setUint16(34, 16, true);
  [...'data'].forEach((c, i) => b.setUint8(36 + i, c.charCodeAt(0)));
  b.setUint32(40, 0xffffffff, true);
  return new Uint8Array(b.buffer);
}

const answer = { id: 'a1', role: 'assistant', content: 'Five years [1].', citations: [{ documentId: 'd1', documentTitle: 'Warranty', chunkId: 'k1', page: 1, snippet: 'Five years.' }], status: 'complete', createdAt: '' };
const conversation = { id: 'c1', title: 'W', createdAt: '', updatedAt: '', userId: 'u1', messages: [{ ...answer, id: 'q1', role: 'user', content: 'How long?', citations: [] }, answer] };

describe('read aloud', () => {
  beforeEach(() => {
    played.length = 0;
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('posts the answer without its markers and plays the WAV samples as they stream', async () => {
    signedIn('staff');
    const header = wavHeader();
    // The header split across chunks and a sample split across chunks, as a network may deliver them.
    const chunks = [header.slice(0, 30), new Uint8Array([...header.slice(30), 0x00, 0x40, 0x00]), new Uint8Array([0xc0])];
    const api = fakeApi({
      'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }),
      'GET /api/v1/conversations/c1': () => json(200, conversation),
      'POST /api/v1/voice/speech': () => {
        let i = 0;
        const body = new ReadableStream<Uint8Array>({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()) });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'audio/wav' } });
      },
    });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Read aloud' }));
    await waitFor(() => expect(played).toEqual([{ samples: [0.5], rate: 24000 }, { samples: [-0.5], rate: 24000 }]));
    const [request] = api.route('POST /api/v1/voice/speech');
    expect(await request.json()).toEqual({ text: 'Five years.', format: 'wav' });
    expect(request.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('says so when voice is not configured', async () => {
    signedIn('staff');
    fakeApi({
      'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }),
      'GET /api/v1/conversations/c1': () => json(200, conversation),
      'POST /api/v1/voice/speech': () => envelope(503, 'VOICE_NOT_CONFIGURED', 'Text-to-speech is not configured: no provider is configured (VOICE_TTS_PROVIDER).'),
    });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Read aloud' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Text-to-speech is not configured');
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeInTheDocument();
  });

  it('refuses a body that is not WAV', () => {
    const stream = new WavStream(() => undefined);
    expect(() => stream.push(new TextEncoder().encode('{"error":"nope"}'))).toThrow('The speech was not a WAV file.');
  });
});
