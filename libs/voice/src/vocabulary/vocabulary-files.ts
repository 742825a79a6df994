import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArpa, spokenSentences } from './language-model';
import type { Pronunciations } from './pronunciations';
import { QUESTION_FRAMES } from './question-frames';

/** A language model and its dictionary on disk, for pocketsphinx's `-lm` and `-dict`. */
export interface VocabularyFiles {
  lm: string;
  dict: string;
  words: number;
}

const DIR = join(tmpdir(), 'showroom-voice-vocabulary');
/** The question frames count this many times over, so their phrasing is not drowned by long documents. */
const FRAME_WEIGHT = 3;

/**
 * The recogniser's vocabulary made of a dealership's documents (model names, trims, terms)
 * plus the generic question phrasing: only words with a pronunciation are kept. Files are
 * named by their content's hash, so the same knowledge is written once per machine.
 */
export async function buildVocabularyFiles(texts: readonly string[], pronunciations: Pronunciations, options: { questionFrames?: boolean } = {}): Promise<VocabularyFiles> {
  // Without the frames (measured in the voice-quality bench) only the documents' own sentences shape the model.
  const frames = options.questionFrames === false ? [] : spokenSentences(QUESTION_FRAMES);
  const documents = texts.flatMap(spokenSentences);
  const words = new Set([...frames, ...documents].flat());
  const { lines, known } = await pronunciations.linesFor([...words].sort());
  // A sentence keeps its known words only: an unknown word must not appear in the model.
  const sentences = [...Array.from({ length: FRAME_WEIGHT }, () => frames).flat(), ...documents]
    .map((sentence) => sentence.filter((word) => known.has(word)))
    .filter((sentence) => sentence.length > 0);
  const arpa = buildArpa(sentences);
  const dict = `${lines.join('\n')}\n`;
  const hash = createHash('sha256').update(arpa).update(dict).digest('hex').slice(0, 24);
  await mkdir(DIR, { recursive: true });
  const files = { lm: join(DIR, `${hash}.lm`), dict: join(DIR, `${hash}.dict`), words: known.size };
  // Written under a unique name and moved into place would be safer across processes; the
  // content is identical by construction, so a concurrent writer writes the same bytes.
  await Promise.all([writeFile(files.lm, arpa), writeFile(files.dict, dict)]);
  return files;
}
