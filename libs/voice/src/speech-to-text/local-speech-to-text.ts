import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tenant } from '@showroom/auth';
import { CallDeadlines, VoiceCallAborted } from '../provider-call';
import { POCKETSPHINX_MODEL_DIR, ProgramFailed, resamplePcm, runProgram, Semaphore } from '../local/local-programs';
import { encodeWav } from '../audio/wav';
import type { VocabularyFiles } from '../vocabulary/vocabulary-files';
import { voiceErrors } from '../voice-errors';
import type { SpeechToText, Transcription, TranscriptionRequest } from './speech-to-text.port';

/** pocketsphinx's acoustic model is trained on 16 kHz audio. */
const RECOGNISER_RATE = 16_000;

export interface LocalSpeechToTextOptions {
  pocketsphinx: string;
  sox: string;
  maxConcurrent: number;
  timeoutMs: number;
  /** The dealership's language model and dictionary; undefined: the generic English model. */
  vocabularyFor: (tenant: Tenant) => Promise<VocabularyFiles | undefined>;
}

/**
 * Offline speech-to-text with pocketsphinx (Debian pocketsphinx + pocketsphinx-en-us), run as a
 * process per clip on 16 kHz mono WAV (other rates are resampled with sox). With the
 * dealership's vocabulary, model names the generic model turns into other words survive
 * (measured in BENCHMARKS.md, voice quality). English only.
 */
export class LocalSpeechToText implements SpeechToText {
  readonly provider = 'local';
  readonly model = 'pocketsphinx-en-us';
  readonly formats = ['wav'] as const;
  private readonly slots: Semaphore;

  constructor(private readonly options: LocalSpeechToTextOptions) {
    this.slots = new Semaphore(options.maxConcurrent);
  }

  async transcribe(request: TranscriptionRequest): Promise<Transcription> {
    const pcm = request.audio.pcm;
    if (!pcm) throw voiceErrors.unsupportedFormat(request.audio.format, this.formats, this.provider);
    if (request.language && request.language !== 'en') throw voiceErrors.rejected(this.provider, 'the local recogniser understands English (en) only');
    const vocabulary = await this.options.vocabularyFor(request.tenant);
    const deadlines = new CallDeadlines(request.signal, { firstByteTimeoutMs: this.options.timeoutMs, timeoutMs: this.options.timeoutMs });
    try {
      const text = await this.slots.run(async () => {
        deadlines.signal.throwIfAborted();
        const samples = await resamplePcm(this.options.sox, pcm.samples, pcm.sampleRate, RECOGNISER_RATE, deadlines.signal);
        return this.recognise(encodeWav({ sampleRate: RECOGNISER_RATE, samples }), vocabulary, deadlines.signal);
      });
      return { text, language: 'en', durationMs: request.audio.durationMs ?? 0 };
    } catch (error) {
      if (deadlines.abortedByCaller) throw new VoiceCallAborted();
      if (deadlines.expired) throw voiceErrors.timeout(this.provider, `recognition took longer than ${this.options.timeoutMs} ms`);
      if (error instanceof ProgramFailed) throw voiceErrors.badResponse(this.provider, 'the recogniser failed on this audio');
      throw error;
    } finally {
      deadlines.dispose();
    }
  }

  private async recognise(wav: Buffer, vocabulary: VocabularyFiles | undefined, signal: AbortSignal): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'showroom-stt-'));
    try {
      const input = join(dir, 'speech.wav');
      await writeFile(input, wav);
      const model = vocabulary
        ? ['-lm', vocabulary.lm, '-dict', vocabulary.dict]
        : ['-lm', join(POCKETSPHINX_MODEL_DIR, 'en-us.lm.bin'), '-dict', join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict')];
      const out = await runProgram(this.options.pocketsphinx, ['-infile', input, '-hmm', join(POCKETSPHINX_MODEL_DIR, 'en-us'), ...model, '-logfn', '/dev/null'], { signal });
      // One line per utterance pocketsphinx found in the clip.
      return out.toString().split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
