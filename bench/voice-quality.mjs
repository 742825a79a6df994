// Offline voice quality: every question of bench/data/voice-questions.json (34 things staff ask
// about demo/knowledge) is spoken by the local text-to-speech in two voices (flite slt and rms,
// plus espeak-ng for comparison), then transcribed by the local recogniser (pocketsphinx) with:
// - generic: pocketsphinx-en-us's own English language model and dictionary;
// - documents: a language model made of the dealership's documents only (their words and word
//   pairs, pronunciations from CMUdict or espeak-ng for words it lacks, "Aldera", "Voltline");
// - documents + frames: the same plus generic question phrasing (what the api ships:
//   libs/voice/src/vocabulary).
// Reported per voice and model: word error rate (word-level edit distance / reference words),
// sentences recognised exactly, and the share of the dealership's names (models, trims, terms)
// that come back intact, plus the recogniser's latency. The code is the api's build (dist/).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './lib.mjs';
import { percentiles, snapshotDist } from './knowledge-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const words = (text) => text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];

/** Word-level Levenshtein distance. */
function editDistance(ref, hyp) {
  const row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i += 1) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= hyp.length; j += 1) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return row[hyp.length];
}

const contains = (hyp, phrase) => ` ${hyp.join(' ')} `.includes(` ${words(phrase).join(' ')} `);

function documentsText() {
  const dir = `${ROOT}/demo/knowledge`;
  return ['price-list.csv', 'warranty.md', 'service-faq.txt', 'financing.html'].map((name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    return name.endsWith('.html') ? text.replace(/<[^>]*>/g, ' ') : text.replace(/,/g, ' , ');
  });
}

export async function voiceQuality() {
  const dist = await snapshotDist(`voicequality${process.pid}`);
  try {
    const load = (file) => require(`${dist.dir}apps/api/libs/voice/src/${file}`);
    const { LocalTextToSpeech } = load('text-to-speech/local-text-to-speech.js');
    const { LocalSpeechToText } = load('speech-to-text/local-speech-to-text.js');
    const { Pronunciations } = load('vocabulary/pronunciations.js');
    const { buildVocabularyFiles } = load('vocabulary/vocabulary-files.js');
    const { findProgram } = load('local/local-programs.js');
    const { parseWav } = load('audio/wav.js');
    const [sox, flite, espeak, pocketsphinx] = ['sox', 'flite', 'espeak-ng', 'pocketsphinx_continuous'].map(findProgram);
    if (!sox || !flite || !pocketsphinx) throw new Error('voice-quality needs sox, flite and pocketsphinx (see .ci/run)');

    const questions = JSON.parse(readFileSync(`${ROOT}/bench/data/voice-questions.json`, 'utf8')).questions;
    const texts = documentsText();
    const pronunciations = new Pronunciations(espeak);
    const models = {
      generic: undefined,
      documents: await buildVocabularyFiles(texts, pronunciations, { questionFrames: false }),
      'documents + frames': await buildVocabularyFiles(texts, pronunciations),
    };
    const voices = [
      { label: 'flite slt', tts: new LocalTextToSpeech({ engine: 'flite', program: flite, sox, defaultVoice: 'slt', maxConcurrent: 1, timeoutMs: 30_000 }), voice: 'slt' },
      { label: 'flite rms', tts: new LocalTextToSpeech({ engine: 'flite', program: flite, sox, defaultVoice: 'rms', maxConcurrent: 1, timeoutMs: 30_000 }), voice: 'rms' },
      ...(espeak ? [{ label: 'espeak-ng en-us', tts: new LocalTextToSpeech({ engine: 'espeak-ng', program: espeak, sox, defaultVoice: 'en-us', maxConcurrent: 1, timeoutMs: 30_000 }), voice: 'en-us' }] : []),
    ];

    const rows = [];
    const perQuestion = [];
    for (const { label, tts, voice } of voices) {
      const clips = [];
      for (const question of questions) {
        const chunks = [];
        for await (const chunk of tts.synthesize({ text: question.text, voice, format: 'wav' })) chunks.push(chunk);
        const bytes = Buffer.concat(chunks);
        const wav = parseWav(bytes);
        const pcm = { sampleRate: wav.sampleRate, samples: wav.data };
        clips.push({ question, audio: { bytes, format: 'wav', pcm, durationMs: Math.round((wav.data.length / 2 / wav.sampleRate) * 1000) } });
      }
      for (const [model, files] of Object.entries(models)) {
        const stt = new LocalSpeechToText({ pocketsphinx, sox, maxConcurrent: 1, timeoutMs: 60_000, vocabularyFor: async () => files });
        let errors = 0;
        let refWords = 0;
        let exact = 0;
        let names = 0;
        let namesKept = 0;
        const latencies = [];
        for (const { question, audio } of clips) {
          const started = performance.now();
          const { text } = await stt.transcribe({ tenant: { dealershipId: 'bench' }, audio });
          latencies.push(performance.now() - started);
          const ref = words(question.text);
          const hyp = words(text);
          errors += editDistance(ref, hyp);
          refWords += ref.length;
          if (ref.join(' ') === hyp.join(' ')) exact += 1;
          for (const name of question.names) {
            names += 1;
            if (contains(hyp, name)) namesKept += 1;
          }
          perQuestion.push({ voice: label, model, said: question.text, heard: text });
        }
        const p = percentiles(latencies);
        rows.push({
          label: `${label} / ${model}`,
          wordErrorRate: Number((errors / refWords).toFixed(3)),
          exactSentences: `${exact}/${clips.length}`,
          namesKept: `${namesKept}/${names} (${Math.round((100 * namesKept) / names)}%)`,
          vocabularyWords: files?.words ?? 'cmudict (134k)',
          recogniseP50Ms: Math.round(p.p50Ms),
        });
      }
    }
    return { machine: machine(), questions: questions.length, rows, perQuestion };
  } finally {
    dist.remove();
  }
}
