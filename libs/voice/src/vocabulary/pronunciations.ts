import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { POCKETSPHINX_MODEL_DIR, runProgram } from '../local/local-programs';
import { espeakToArpabet } from './espeak-arpabet';

/**
 * Pronunciations for the recogniser's vocabulary: CMUdict (shipped with pocketsphinx-en-us)
 * first, espeak-ng's letter-to-sound rules for the words it lacks (model names, brand words).
 */
export class Pronunciations {
  private dictionary: Promise<Map<string, string[]>> | undefined;

  constructor(private readonly espeak: string | undefined) {}

  /** The dictionary lines (`word PH ON ES`, variants as `word(2) …`) for the words that have one. */
  async linesFor(words: Iterable<string>): Promise<{ lines: string[]; known: Set<string> }> {
    const dictionary = await this.load();
    const lines: string[] = [];
    const known = new Set<string>();
    const missing: string[] = [];
    for (const word of words) {
      const entries = dictionary.get(word);
      if (entries) {
        entries.forEach((phones, i) => lines.push(`${i === 0 ? word : `${word}(${i + 1})`} ${phones}`));
        known.add(word);
      } else missing.push(word);
    }
    for (const [word, phones] of await this.guess(missing)) {
      lines.push(`${word} ${phones}`);
      known.add(word);
    }
    return { lines, known };
  }

  private load(): Promise<Map<string, string[]>> {
    this.dictionary ??= readFile(join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict'), 'utf8').then((text) => {
      const map = new Map<string, string[]>();
      for (const line of text.split('\n')) {
        const space = line.indexOf(' ');
        if (space <= 0) continue;
        const word = line.slice(0, space).replace(/\(\d+\)$/, '');
        const phones = line.slice(space + 1).trim();
        const list = map.get(word);
        if (list) list.push(phones);
        else map.set(word, [phones]);
      }
      return map;
    });
    return this.dictionary;
  }

  /** espeak-ng's phonemes for unknown words, one word per line in, one per line out. */
  private async guess(words: string[]): Promise<Map<string, string>> {
    const guessed = new Map<string, string>();
    if (!this.espeak || words.length === 0) return guessed;
    const output = await runProgram(this.espeak, ['-q', '-x', '--sep=_', '-v', 'en-us'], { input: words.join('\n') }).catch(() => undefined);
    if (!output) return guessed;
    const lines = output.toString().split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length !== words.length) return guessed; // espeak joined or split lines: trust nothing
    words.forEach((word, i) => {
      const phones = espeakToArpabet(lines[i].split(/\s+/).join('_'));
      if (phones) guessed.set(word, phones);
    });
    return guessed;
  }
}
