import type { Pcm16 } from './wav';

/** Frames of 20 ms are judged loud or quiet by their RMS level. */
const FRAME_MS = 20;
/** About -40 dBFS: quieter than any speech in a room, louder than line hiss. */
export const SPEECH_RMS = 330;

export function frameRms(samples: Buffer, start: number, end: number): number {
  let sum = 0;
  const count = Math.max(1, (end - start) / 2);
  for (let i = start; i + 1 < end; i += 2) {
    const value = samples.readInt16LE(i);
    sum += value * value;
  }
  return Math.sqrt(sum / count);
}

/**
 * Whether the audio holds anything louder than silence for at least `minSpeechMs`. A light RMS
 * check (no model): enough to refuse an empty recording before a recogniser invents words for
 * it (Whisper's "thank you" on silence).
 */
export function containsSpeech(pcm: Pcm16, minSpeechMs = 100): boolean {
  const frameBytes = Math.max(2, Math.round((pcm.sampleRate * FRAME_MS) / 1000) * 2);
  let loudMs = 0;
  for (let start = 0; start < pcm.samples.length; start += frameBytes) {
    if (frameRms(pcm.samples, start, Math.min(pcm.samples.length, start + frameBytes)) >= SPEECH_RMS) loudMs += FRAME_MS;
    if (loudMs >= minSpeechMs) return true;
  }
  return false;
}
