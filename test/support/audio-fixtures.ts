import { encodeWav, parseWav } from '../../libs/voice/src/audio/wav';

/** Test audio: tones, silence and a few containers' first bytes, as real files would start. */
export function toneWav(seconds: number, sampleRate = 16_000, amplitude = 8_000): Buffer {
  const samples = Buffer.alloc(Math.round(seconds * sampleRate) * 2);
  for (let i = 0; i < samples.length / 2; i += 1) samples.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / sampleRate)), i * 2);
  return encodeWav({ sampleRate, samples });
}

export function silenceWav(seconds: number, sampleRate = 16_000): Buffer {
  return encodeWav({ sampleRate, samples: Buffer.alloc(Math.round(seconds * sampleRate) * 2) });
}

/** An 8-bit WAV: RIFF/WAVE, but not the PCM16 every provider takes. */
export function eightBitWav(): Buffer {
  const wav = toneWav(0.5);
  wav.writeUInt16LE(8, 34);
  return wav;
}

/** An MPEG-1 Layer III file's opening: an ID3v2 tag then frame headers (enough for sniffing). */
export function mp3Bytes(): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const frame = Buffer.alloc(417);
  frame.writeUInt32BE(0xfffb9064, 0);
  return Buffer.concat([id3, frame, frame, frame]);
}

/** The PCM16 samples of a WAV, for checks on what came back. */
export function wavSamples(wav: Buffer): { sampleRate: number; samples: Buffer } {
  const info = parseWav(wav);
  if (!info) throw new Error('not a WAV');
  return { sampleRate: info.sampleRate, samples: info.data };
}
