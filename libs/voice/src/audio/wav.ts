/** Mono PCM16 little-endian samples at a known rate: the one in-process audio shape. */
export interface Pcm16 {
  sampleRate: number;
  samples: Buffer;
}

export interface WavInfo {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  data: Buffer;
}

/** Reads a RIFF/WAVE file's fmt and data chunks; undefined when the bytes are not one. */
export function parseWav(bytes: Buffer): WavInfo | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let fmt: Omit<WavInfo, 'data'> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const declared = bytes.readUInt32LE(offset + 4);
    const start = offset + 8;
    // Streamed WAVs (ours, OpenAI's) declare 0xFFFFFFFF or 0: the data runs to the end.
    const size = id === 'data' && (declared === 0 || declared === 0xffffffff || start + declared > bytes.length) ? bytes.length - start : declared;
    if (id === 'fmt ' && size >= 16) {
      let formatTag = bytes.readUInt16LE(start);
      // WAVE_FORMAT_EXTENSIBLE carries the real tag in its sub-format GUID.
      if (formatTag === 0xfffe && size >= 40) formatTag = bytes.readUInt16LE(start + 24);
      fmt = { formatTag, channels: bytes.readUInt16LE(start + 2), sampleRate: bytes.readUInt32LE(start + 4), bitsPerSample: bytes.readUInt16LE(start + 14) };
    } else if (id === 'data') {
      return fmt ? { ...fmt, data: bytes.subarray(start, start + size) } : undefined;
    }
    offset = start + size + (size % 2);
  }
  return undefined;
}

/**
 * A 44-byte PCM16 mono header. Without `dataBytes` the sizes say "unknown" (0xFFFFFFFF), as
 * streamed WAVs do, so the header can go out before the audio is made.
 */
export function wavHeader(sampleRate: number, dataBytes?: number): Buffer {
  const header = Buffer.alloc(44);
  const data = dataBytes ?? 0xffffffff - 36;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, data + 36), 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data, 40);
  return header;
}

export function encodeWav(pcm: Pcm16): Buffer {
  return Buffer.concat([wavHeader(pcm.sampleRate, pcm.samples.length), pcm.samples]);
}

export function pcmDurationMs(pcm: Pcm16): number {
  return Math.round((pcm.samples.length / 2 / pcm.sampleRate) * 1000);
}

/** Interleaved PCM16 channels averaged into one. */
export function downmixToMono(data: Buffer, channels: number): Buffer {
  if (channels === 1) return data;
  const frames = Math.floor(data.length / 2 / channels);
  const out = Buffer.alloc(frames * 2);
  for (let frame = 0; frame < frames; frame += 1) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel += 1) sum += data.readInt16LE((frame * channels + channel) * 2);
    out.writeInt16LE(Math.round(sum / channels), frame * 2);
  }
  return out;
}
