/* global AudioWorkletProcessor, sampleRate, registerProcessor -- the AudioWorkletGlobalScope's names */
// AudioWorklet processor for push-to-talk: the first input channel (mono) as PCM16
// little-endian, posted to the page as one ArrayBuffer per ~20 ms (sampleRate / 50 samples),
// the size the voice gateway expects. Loaded with audioWorklet.addModule from the console's
// own origin (a hashed file under /assets), so the CSP's script-src 'self' allows it.
class Pcm16CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frameLength = Math.round(sampleRate / 50);
    this.frame = new Int16Array(this.frameLength);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i += 1) {
      const s = Math.max(-1, Math.min(1, channel[i]));
      this.frame[this.filled] = s < 0 ? s * 0x8000 : s * 0x7fff;
      this.filled += 1;
      if (this.filled === this.frameLength) {
        // Transferred, so the buffer is detached here (its length 0): the next frame is new.
        const buffer = this.frame.buffer;
        this.port.postMessage(buffer, [buffer]);
        this.frame = new Int16Array(this.frameLength);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('pcm16-capture', Pcm16CaptureProcessor);
