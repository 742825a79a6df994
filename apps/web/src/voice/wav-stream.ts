/**
 * Reads a WAV (PCM16) as it streams: the header is parsed once its `data` chunk starts, then
 * every piece of sample bytes is handed on at once, cut to whole samples (a network chunk can
 * end mid-sample). The api's streamed header has no final sizes, so sizes are not trusted.
 */
export class WavStream {
  private header = new Uint8Array(0);
  private carry: Uint8Array | null = null;
  sampleRate: number | null = null;

  constructor(private readonly onSamples: (pcm: ArrayBuffer, sampleRate: number) => void) {}

  push(bytes: Uint8Array): void {
    if (this.sampleRate === null) {
      const all = new Uint8Array(this.header.length + bytes.length);
      all.set(this.header);
      all.set(bytes, this.header.length);
      const start = this.parseHeader(all);
      if (start === null) {
        this.header = all;
        return;
      }
      bytes = all.subarray(start);
    }
    const joined = this.carry ? concat(this.carry, bytes) : bytes;
    const whole = joined.length - (joined.length % 2);
    this.carry = whole < joined.length ? joined.slice(whole) : null;
    if (whole > 0) this.onSamples(joined.slice(0, whole).buffer, this.sampleRate!);
  }

  /** The offset of the first sample, once `fmt ` and `data` are in; null while more is needed. */
  private parseHeader(all: Uint8Array): number | null {
    if (all.length < 12) return null;
    const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
    const tag = (at: number) => String.fromCharCode(...all.subarray(at, at + 4));
    if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('The speech was not a WAV file.');
    let at = 12;
    while (at + 8 <= all.length) {
      const id = tag(at);
      if (id === 'data') {
        if (this.sampleRate === null) throw new Error('The WAV file had no format chunk.');
        return at + 8;
      }
      const size = view.getUint32(at + 4, true);
      if (id === 'fmt ') {
        if (at + 16 > all.length) return null;
        this.sampleRate = view.getUint32(at + 12, true);
      }
      at += 8 + size + (size % 2);
    }
    // sampleRate may be set already; keep it null until the samples start.
    this.sampleRate = null;
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
