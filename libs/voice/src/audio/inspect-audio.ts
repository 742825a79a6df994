import { fileTypeFromBuffer } from 'file-type';
import { voiceErrors } from '../voice-errors';
import { AUDIO_FORMATS, type AudioFormat } from './audio-format';
import { downmixToMono, parseWav, type Pcm16, pcmDurationMs } from './wav';

/** An uploaded recording: its container (sniffed from the bytes, never the name) and, for WAV, its samples. */
export interface AudioClip {
  bytes: Buffer;
  format: AudioFormat;
  /** Mono PCM16 when the clip is a PCM16 WAV (what every provider takes). */
  pcm?: Pcm16;
  /** Known without decoding for WAV; compressed clips learn it from the recogniser. */
  durationMs?: number;
}

const BY_EXTENSION: Record<string, AudioFormat> = { wav: 'wav', mp3: 'mp3', ogg: 'ogg', opus: 'ogg', oga: 'ogg', flac: 'flac', webm: 'webm', m4a: 'm4a', mp4: 'm4a' };

export async function inspectAudio(bytes: Buffer): Promise<AudioClip> {
  const type = await fileTypeFromBuffer(bytes);
  const format = type ? BY_EXTENSION[type.ext] : undefined;
  if (!format) throw voiceErrors.notAudio(AUDIO_FORMATS);
  if (format !== 'wav') return { bytes, format };
  const wav = parseWav(bytes);
  if (!wav) throw voiceErrors.invalidAudio('the WAV file has no readable fmt and data chunks');
  if (wav.formatTag !== 1 || wav.bitsPerSample !== 16) throw voiceErrors.invalidAudio('WAV audio must be 16-bit PCM (not float, 8-bit or compressed WAV)');
  if (wav.channels < 1 || wav.channels > 8) throw voiceErrors.invalidAudio(`a WAV with ${wav.channels} channels`);
  if (wav.sampleRate < 8_000 || wav.sampleRate > 48_000) throw voiceErrors.invalidAudio(`a sample rate of ${wav.sampleRate} Hz; 8000 to 48000 Hz are accepted`);
  const pcm = { sampleRate: wav.sampleRate, samples: downmixToMono(wav.data, wav.channels) };
  return { bytes, format, pcm, durationMs: pcmDurationMs(pcm) };
}
