/** PCM16 little-endian mono samples as the Web Audio API's floats. */
export function pcm16ToFloat32(bytes: ArrayBuffer): Float32Array<ArrayBuffer> {
  const view = new DataView(bytes);
  const samples = new Float32Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < samples.length; i += 1) samples[i] = view.getInt16(i * 2, true) / 0x8000;
  return samples;
}

/**
 * Plays PCM16 chunks back to back through one AudioContext. The context is created (or
 * resumed) by `unlock()`, which must run inside the user's tap: browsers keep audio muted
 * until a gesture. `flush()` stops what is playing and drops what is queued (barge-in).
 */
export class PcmPlayer {
  private context: AudioContext | null = null;
  private playing = new Set<AudioBufferSourceNode>();
  private endsAt = 0;

  unlock(): void {
    this.context ??= new AudioContext();
    void this.context.resume();
  }

  get active(): boolean {
    return this.playing.size > 0;
  }

  /** Queues one chunk after whatever is queued; `sampleRate` of the chunk (24 kHz for voice). */
  play(chunk: ArrayBuffer, sampleRate: number, onIdle?: () => void): void {
    this.unlock();
    const context = this.context!;
    const samples = pcm16ToFloat32(chunk);
    if (samples.length === 0) return;
    const buffer = context.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const startAt = Math.max(context.currentTime, this.endsAt);
    source.start(startAt);
    this.endsAt = startAt + buffer.duration;
    this.playing.add(source);
    source.onended = () => {
      this.playing.delete(source);
      if (this.playing.size === 0) onIdle?.();
    };
  }

  flush(): void {
    for (const source of this.playing) {
      source.onended = null;
      source.stop();
    }
    this.playing.clear();
    this.endsAt = 0;
  }
}
