import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCM_SAMPLE_RATE, type SpeechFormat } from '../audio/audio-format';
import { parseWav, wavHeader } from '../audio/wav';
import { CallDeadlines, VoiceCallAborted } from '../provider-call';
import { ProgramFailed, resamplePcm, runProgram, Semaphore } from '../local/local-programs';
import { voiceErrors } from '../voice-errors';
import type { SpeechRequest, TextToSpeech } from './text-to-speech.port';

export interface LocalTextToSpeechOptions {
  engine: 'flite' | 'espeak-ng';
  program: string;
  sox: string;
  defaultVoice: string;
  maxConcurrent: number;
  timeoutMs: number;
}

const CHUNK_BYTES = 9_600; // 200 ms of PCM16 at 24 kHz

/**
 * Offline text-to-speech: flite (16 kHz, ~40 ms a sentence) or espeak-ng, resampled to the
 * service's 24 kHz PCM16 with sox. WAV and PCM only (no MP3 encoder ships here).
 */
export class LocalTextToSpeech implements TextToSpeech {
  readonly provider = 'local';
  readonly model: string;
  readonly formats = ['wav', 'pcm'] as const;
  readonly defaultVoice: string;
  readonly voices: readonly string[];
  private readonly slots: Semaphore;

  constructor(private readonly options: LocalTextToSpeechOptions) {
    this.model = options.engine;
    this.voices = installedVoices(options.engine, options.program);
    if (!this.voices.includes(options.defaultVoice)) throw new Error(`VOICE_LOCAL_VOICE=${options.defaultVoice} is not a voice of ${options.engine} (${this.voices.join(', ')})`);
    this.defaultVoice = options.defaultVoice;
    this.slots = new Semaphore(options.maxConcurrent);
  }

  async *synthesize(request: SpeechRequest): AsyncGenerator<Buffer> {
    if (!(this.formats as readonly SpeechFormat[]).includes(request.format)) throw voiceErrors.unsupportedFormat(request.format, this.formats, this.provider);
    const deadlines = new CallDeadlines(request.signal, { firstByteTimeoutMs: this.options.timeoutMs, timeoutMs: this.options.timeoutMs });
    let samples: Buffer;
    try {
      samples = await this.slots.run(async () => {
        deadlines.signal.throwIfAborted();
        const wav = parseWav(await this.speakToWav(request, deadlines.signal));
        if (!wav) throw new ProgramFailed(this.options.program, 'no WAV output', 0);
        return resamplePcm(this.options.sox, wav.data, wav.sampleRate, PCM_SAMPLE_RATE, deadlines.signal);
      });
    } catch (error) {
      if (deadlines.abortedByCaller) throw new VoiceCallAborted();
      if (deadlines.expired) throw voiceErrors.timeout(this.provider, `synthesis took longer than ${this.options.timeoutMs} ms`);
      if (error instanceof ProgramFailed) throw voiceErrors.badResponse(this.provider, `${this.options.engine} failed`);
      throw error;
    } finally {
      deadlines.dispose();
    }
    if (request.format === 'wav') yield wavHeader(PCM_SAMPLE_RATE, samples.length);
    for (let offset = 0; offset < samples.length; offset += CHUNK_BYTES) yield samples.subarray(offset, offset + CHUNK_BYTES);
  }

  /** The engine's WAV. Text goes on stdin (espeak-ng) or as the value of -t (flite): never parsed as options. */
  private async speakToWav(request: SpeechRequest, signal: AbortSignal): Promise<Buffer> {
    if (this.options.engine === 'espeak-ng') return runProgram(this.options.program, ['-v', request.voice, '--stdout'], { input: request.text, signal });
    // flite cannot write to Node's stdout (a socket, not a pipe), so it writes a file.
    const dir = await mkdtemp(join(tmpdir(), 'showroom-tts-'));
    try {
      const out = join(dir, 'speech.wav');
      await runProgram(this.options.program, ['-voice', request.voice, '-t', request.text, '-o', out], { signal });
      return await readFile(out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The voices the installed engine offers (flite -lv; espeak-ng --voices=en). */
function installedVoices(engine: 'flite' | 'espeak-ng', program: string): string[] {
  if (engine === 'flite') {
    const out = spawnSync(program, ['-lv'], { encoding: 'utf8' }).stdout ?? '';
    return out.replace(/^.*:/, '').trim().split(/\s+/).filter(Boolean);
  }
  const out = spawnSync(program, ['--voices=en'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]).filter((v): v is string => Boolean(v));
}
