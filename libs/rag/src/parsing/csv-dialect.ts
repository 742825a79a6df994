import { parse } from 'csv-parse/sync';

const CANDIDATE_DELIMITERS = [',', ';', '\t'] as const;
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_RECORDS = 50;

export interface CsvShape {
  delimiter: string;
  /** Records in the sample, all with the same number of fields. */
  sampledRecords: number;
}

/**
 * The delimiter that splits the start of the text into records with one consistent field count
 * of two or more, found by letting csv-parse read a sample with each candidate (so quoted
 * fields holding delimiters or line breaks count right). Undefined when none does.
 */
export function detectCsvShape(text: string): CsvShape | undefined {
  const sample = sampleWholeLines(text);
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const records = tryParse(sample, delimiter);
    if (!records || records.length < 2) continue;
    const width = records[0].length;
    if (width >= 2 && records.every((record) => record.length === width)) {
      return { delimiter, sampledRecords: records.length };
    }
  }
  return undefined;
}

function sampleWholeLines(text: string): string {
  if (text.length <= SAMPLE_CHARS) return text;
  const cut = text.lastIndexOf('\n', SAMPLE_CHARS);
  return cut > 0 ? text.slice(0, cut) : text.slice(0, SAMPLE_CHARS);
}

function tryParse(sample: string, delimiter: string): string[][] | undefined {
  try {
    return parse(sample, {
      delimiter,
      to: SAMPLE_RECORDS,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch {
    return undefined;
  }
}
