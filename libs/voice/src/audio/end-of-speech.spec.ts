import { EndOfSpeech } from './end-of-speech';
import { containsSpeech } from './speech-energy';
import { parseWav, wavHeader, encodeWav, downmixToMono } from './wav';

const RATE = 16_000;
const tone = (ms: number) => {
  const samples = Buffer.alloc((RATE * ms) / 1000 * 2);
  for (let i = 0; i < samples.length / 2; i += 1) samples.writeInt16LE(Math.round(6_000 * Math.sin((2 * Math.PI * 200 * i) / RATE)), i * 2);
  return samples;
};
const quiet = (ms: number) => Buffer.alloc((RATE * ms) / 1000 * 2);

describe('EndOfSpeech', () => {
  it('starts after 100 ms of loud frames and ends after the configured silence, across odd frame boundaries', () => {
    const detector = new EndOfSpeech(RATE, 300);
    const stream = Buffer.concat([quiet(200), tone(400), quiet(250), tone(60), quiet(350)]);
    const events: string[] = [];
    for (let offset = 0; offset < stream.length; offset += 333 * 2) {
      const event = detector.push(stream.subarray(offset, offset + 333 * 2));
      if (event) events.push(event);
    }
    // The 250 ms pause is shorter than the silence needed; the 60 ms blip resets it but is not a new start.
    expect(events).toEqual(['started', 'ended']);
    expect(detector.heardSpeech).toBe(true);
  });

  it('never starts on silence or a click', () => {
    const detector = new EndOfSpeech(RATE, 300);
    expect(detector.push(Buffer.concat([quiet(500), tone(60), quiet(500)]))).toBeUndefined();
    expect(detector.heardSpeech).toBe(false);
    expect(containsSpeech({ sampleRate: RATE, samples: quiet(1000) })).toBe(false);
    expect(containsSpeech({ sampleRate: RATE, samples: tone(200) })).toBe(true);
  });
});

describe('WAV', () => {
  it('round-trips PCM16, reads streamed headers to the end, and downmixes stereo', () => {
    const samples = tone(100);
    expect(parseWav(encodeWav({ sampleRate: RATE, samples }))).toMatchObject({ formatTag: 1, channels: 1, sampleRate: RATE, bitsPerSample: 16, data: samples });
    expect(parseWav(Buffer.concat([wavHeader(24_000), samples]))!.data.length).toBe(samples.length);
    const stereo = Buffer.alloc(8);
    stereo.writeInt16LE(100, 0);
    stereo.writeInt16LE(300, 2);
    stereo.writeInt16LE(-50, 4);
    stereo.writeInt16LE(-150, 6);
    const mono = downmixToMono(stereo, 2);
    expect([mono.readInt16LE(0), mono.readInt16LE(2)]).toEqual([200, -100]);
    expect(parseWav(Buffer.from('RIFF....WAVEjunk'))).toBeUndefined();
  });
});
