import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';

/** The gateway as the thread sees it: emits recorded, acks answered by `acks`, events pushed by the test. */
const socket = vi.hoisted(() => {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  return {
    emitted: [] as { event: string; payload: unknown }[],
    acks: {} as Record<string, unknown>,
    on(event: string, listener: (payload: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    emit(event: string, payload: unknown) {
      this.emitted.push({ event, payload });
    },
    async emitWithAck(event: string, payload: unknown) {
      this.emitted.push({ event, payload });
      return this.acks[event];
    },
    disconnect() {},
    push(event: string, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    reset() {
      listeners.clear();
      this.emitted = [];
      this.acks = {};
    },
  };
});
vi.mock('../realtime/realtime-socket', () => ({ connectRealtime: () => socket }));

/** The microphone stands in for getUserMedia + the worklet: the test hands it frames. */
const microphone = vi.hoisted(() => ({ onFrame: null as ((frame: ArrayBuffer) => void) | null, stopped: 0 }));
vi.mock('./microphone', () => ({
  startMicrophone: async (onFrame: (frame: ArrayBuffer) => void) => {
    microphone.onFrame = onFrame;
    return { sampleRate: 16000, stop: () => (microphone.stopped += 1) };
  },
}));

/** Web Audio as far as PcmPlayer uses it, recording what is scheduled and stopped. */
const audio = { resumed: 0, started: [] as { samples: Float32Array; at: number; rate: number }[], stopped: 0, sources: [] as { onended: (() => void) | null }[] };
class FakeAudioContext {
  currentTime = 0;
  destination = {};
  resume() {
    audio.resumed += 1;
    return Promise.resolve();
  }
  createBuffer(_channels: number, length: number, rate: number) {
    return { duration: length / rate, rate, samples: new Float32Array(length) as Float32Array, copyToChannel(s: Float32Array) { this.samples = s; } };
  }
  createBufferSource() {
    const source = {
      buffer: null as null | { samples: Float32Array; rate: number },
      onended: null as (() => void) | null,
      connect() {},
      start(at: number) { audio.started.push({ samples: source.buffer!.samples, at, rate: source.buffer!.rate }); },
      stop() { audio.stopped += 1; },
    };
    audio.sources.push(source);
    return source;
  }
}

const pcm = (...samples: number[]) => new Int16Array(samples).buffer;
const conversation = { id: 'c1', title: 'Warranty', createdAt: '', updatedAt: '', userId: 'u1', messages: [] };

function voiceApi() {
  return fakeApi({
    'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }),
    'GET /api/v1/conversations/c1': () => json(200, conversation),
  });
}

describe('push to talk', () => {
  beforeEach(() => {
    socket.reset();
    Object.assign(audio, { resumed: 0, started: [], stopped: 0, sources: [] });
    microphone.stopped = 0;
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('hides the mic and says why when voice.start answers 503 VOICE_NOT_CONFIGURED', async () => {
    signedIn('staff');
    voiceApi();
    socket.acks['voice.start'] = { requestId: 'r1', error: { code: 'VOICE_NOT_CONFIGURED', message: 'Speech-to-text is not configured: no provider is configured (VOICE_STT_PROVIDER).' } };
    renderApp('/chat/c1');
    fireEvent.pointerDown(await screen.findByRole('button', { name: 'Push to talk' }));
    expect(await screen.findByText(/Voice is not configured: Speech-to-text/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Push to talk' })).not.toBeInTheDocument();
    expect(microphone.stopped).toBe(1);
  });

  it('holds to talk: voice.start, PCM frames, voice.stop, then the transcript, the streamed answer and its speech in seq order', async () => {
    signedIn('staff');
    voiceApi();
    socket.acks['voice.start'] = { ok: true, turnId: 't1' };
    renderApp('/chat/c1');
    const button = await screen.findByRole('button', { name: 'Push to talk' });
    fireEvent.pointerDown(button);
    expect(await screen.findByText('Listening… release to send.')).toBeInTheDocument();
    expect(audio.resumed).toBe(1); // unlocked inside the tap
    expect(socket.emitted[0]).toEqual({ event: 'voice.start', payload: { conversationId: 'c1', sampleRate: 16000, format: 'pcm16' } });
    const frame = pcm(1, 2, 3);
    act(() => microphone.onFrame!(frame));
    expect(socket.emitted.at(-1)).toEqual({ event: 'voice.audio', payload: frame });
    fireEvent.pointerUp(button);
    expect(socket.emitted.at(-1)).toEqual({ event: 'voice.stop', payload: { turnId: 't1' } });
    expect(microphone.stopped).toBe(1);

    act(() => socket.push('voice.transcript', { turnId: 't1', text: 'What does the powertrain warranty cover', final: true }));
    expect(await screen.findByText('What does the powertrain warranty cover')).toBeInTheDocument();
    act(() => {
      socket.push('token', { messageId: 'a1', delta: 'The engine ' });
      socket.push('token', { messageId: 'a1', delta: 'and gearbox [1].' });
      socket.push('citations', { messageId: 'a1', citations: [{ documentId: 'd1', documentTitle: 'Warranty terms', chunkId: 'k1', page: 2, snippet: 'Engine and gearbox.' }] });
    });
    expect(await screen.findByRole('button', { name: 'Source 1: Warranty terms, page 2' })).toBeInTheDocument();
    expect(screen.getByText(/The engine and gearbox/)).toBeInTheDocument();

    // seq 1 arrives before seq 0: playback still starts with 0.
    act(() => {
      socket.push('voice.audio', { turnId: 't1', seq: 1, sentence: 1, audio: pcm(16384) });
      socket.push('voice.audio', { turnId: 't1', seq: 0, sentence: 0, audio: pcm(-32768, 0) });
    });
    expect(audio.started.map((s) => Array.from(s.samples))).toEqual([[-1, 0], [0.5]]);
    expect(audio.started.map((s) => s.rate)).toEqual([24000, 24000]);
    expect(audio.started[1].at).toBeCloseTo(2 / 24000); // back to back
    expect(await screen.findByText('Speaking… tap to interrupt.')).toBeInTheDocument();
  });

  it('a tap while the answer plays is barge-in: voice.interrupt and the playback flushed', async () => {
    signedIn('staff');
    voiceApi();
    socket.acks['voice.start'] = { ok: true, turnId: 't1' };
    renderApp('/chat/c1');
    const button = await screen.findByRole('button', { name: 'Push to talk' });
    fireEvent.pointerDown(button);
    await screen.findByText('Listening… release to send.');
    fireEvent.pointerUp(button);
    act(() => socket.push('voice.transcript', { turnId: 't1', text: 'Is rust covered', final: true }));
    act(() => socket.push('voice.audio', { turnId: 't1', seq: 0, sentence: 0, audio: pcm(100, 200) }));
    await screen.findByText('Speaking… tap to interrupt.');

    fireEvent.pointerDown(button);
    fireEvent.pointerUp(button);
    expect(socket.emitted.filter((e) => e.event === 'voice.interrupt')).toEqual([{ event: 'voice.interrupt', payload: { turnId: 't1' } }]);
    expect(audio.stopped).toBe(1);
    expect(socket.emitted.filter((e) => e.event === 'voice.start')).toHaveLength(1); // the tap started no new turn
    act(() => socket.push('voice.done', { turnId: 't1', status: 'interrupted', by: 'client' }));
    await waitFor(() => expect(screen.getByText('This answer was interrupted before it was finished.')).toBeInTheDocument());
  });

  it('shows a voice error in words', async () => {
    signedIn('staff');
    voiceApi();
    socket.acks['voice.start'] = { ok: true, turnId: 't1' };
    renderApp('/chat/c1');
    const button = await screen.findByRole('button', { name: 'Push to talk' });
    fireEvent.pointerDown(button);
    await screen.findByText('Listening… release to send.');
    fireEvent.pointerUp(button);
    act(() => socket.push('error', { event: 'voice.audio', turnId: 't1', requestId: 'r', error: { code: 'NO_SPEECH_DETECTED', message: 'Nothing was heard; hold the button and speak.' } }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nothing was heard; hold the button and speak.');
  });
});
