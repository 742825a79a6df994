import { ApiError } from '../api/api-error';
import { freshAccessToken } from '../auth/token-refresher';
import type { PcmPlayer } from './pcm-player';
import { WavStream } from './wav-stream';

/**
 * POST /api/v1/voice/speech `{ text, format: 'wav' }` and plays the samples as they arrive
 * (through Web Audio: the CSP's default-src 'self' would refuse an <audio> with a blob: URL).
 * Resolves when the whole answer is received; `signal` stops the download.
 */
export async function readAloud(text: string, player: PcmPlayer, signal: AbortSignal, onIdle: () => void): Promise<void> {
  const token = await freshAccessToken();
  const response = await fetch('/api/v1/voice/speech', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'audio/wav', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ text, format: 'wav' }),
    signal,
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  const wav = new WavStream((pcm, rate) => player.play(pcm, rate, onIdle));
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    wav.push(value);
  }
}
