import { expect, it } from 'vitest';

interface Processor {
  port: { postMessage(buffer: ArrayBuffer, transfer: ArrayBuffer[]): void };
  process(inputs: Float32Array[][]): boolean;
}

it('the capture worklet posts one PCM16 frame per 20 ms, clipped, frame after frame', async () => {
  // The AudioWorkletGlobalScope's names, as the browser gives them to the module.
  const posted: ArrayBuffer[] = [];
  let Registered: (new () => Processor) | undefined;
  Object.assign(globalThis, {
    sampleRate: 16000,
    AudioWorkletProcessor: class {
      // A transfer detaches the buffer, as the browser's postMessage does.
      port = { postMessage: (buffer: ArrayBuffer, transfer: ArrayBuffer[]) => posted.push(structuredClone(buffer, { transfer })) };
    },
    registerProcessor: (name: string, processor: new () => Processor) => {
      expect(name).toBe('pcm16-capture');
      Registered = processor;
    },
  });
  await import('./pcm16-capture.worklet.js');
  const processor = new Registered!();
  // 10 render quanta of 128 samples = 1280 samples = 4 frames of 320 (20 ms at 16 kHz).
  for (let q = 0; q < 10; q += 1) processor.process([[new Float32Array(128).fill(q === 0 ? 2 : -0.5)]]);
  expect(posted.map((b) => b.byteLength)).toEqual([640, 640, 640, 640]);
  const first = new Int16Array(posted[0]);
  expect(first[0]).toBe(0x7fff); // 2.0 clipped to full scale
  expect(first[200]).toBe(-0x4000);
  expect(new Int16Array(posted[3])[319]).toBe(-0x4000);
});
