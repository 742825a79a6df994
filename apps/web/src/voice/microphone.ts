import workletUrl from './pcm16-capture.worklet.js?url';

export interface Microphone {
  /** The capture context's rate: what `voice.start` announces. */
  sampleRate: number;
  stop(): void;
}

/** Rates the voice gateway accepts; 16 kHz is what the local recogniser wants anyway. */
export const CAPTURE_SAMPLE_RATE = 16_000;

/**
 * Mono PCM16 from the microphone through an AudioWorklet, one ~20 ms ArrayBuffer per
 * `onFrame`. The browser resamples the device to the context's rate.
 */
export async function startMicrophone(onFrame: (frame: ArrayBuffer) => void): Promise<Microphone> {
  // Recognisers want the voice as spoken, so the browser's noise suppression and gain control
  // are off (not measured: the Chromium e2e's recognition varied run to run either way).
  // Echo cancellation stays, so the answer playing aloud does not come back as speech.
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext({ sampleRate: CAPTURE_SAMPLE_RATE });
  try {
    await context.audioWorklet.addModule(workletUrl);
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    void context.close();
    throw error;
  }
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'pcm16-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
  node.port.onmessage = (event: MessageEvent<ArrayBuffer>) => onFrame(event.data);
  source.connect(node);
  // Chromium renders only what leads to the destination: the processor writes no output, so
  // this is silent, but without it the worklet ran once and stopped.
  node.connect(context.destination);
  await context.resume();
  return {
    sampleRate: context.sampleRate,
    stop() {
      node.port.onmessage = null;
      source.disconnect();
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
    },
  };
}
