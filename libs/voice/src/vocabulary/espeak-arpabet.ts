/**
 * espeak-ng's ASCII phoneme names (American English, `-x --sep=_`) as CMU ARPAbet phones, so a
 * word pocketsphinx's dictionary lacks ("Aldera", "Voltline") gets a pronunciation from
 * espeak-ng's letter-to-sound rules. Stress marks are dropped (the acoustic model has none).
 */
const PHONES: Record<string, string> = {
  a: 'AE', 'a#': 'AH', aa: 'AE', 'A:': 'AA', 'A@': 'AA R', '0': 'AA', 'O:': 'AO', O: 'AO', 'O@': 'AO R', 'o@': 'AO R',
  '@': 'AH', '@2': 'AH', '@5': 'AH', '@L': 'AH L', '@-': 'AH', '3': 'ER', '3:': 'ER', 'i@3': 'IH R', 'i@': 'IH R', 'I@': 'IH R',
  'i:': 'IY', i: 'IY', I: 'IH', I2: 'IH', 'I#': 'IH', E: 'EH', 'e@': 'EH R', eI: 'EY', aI: 'AY', 'aI@': 'AY ER', 'aI3': 'AY ER',
  aU: 'AW', 'aU@': 'AW ER', oU: 'OW', OI: 'OY', U: 'UH', 'U@': 'UH R', 'u:': 'UW', V: 'AH',
  p: 'P', b: 'B', t: 'T', 't#': 'T', d: 'D', k: 'K', g: 'G', f: 'F', v: 'V', T: 'TH', D: 'DH', s: 'S', z: 'Z', S: 'SH', Z: 'ZH',
  h: 'HH', tS: 'CH', dZ: 'JH', m: 'M', n: 'N', 'n-': 'AH N', N: 'NG', l: 'L', 'l-': 'AH L', r: 'R', 'r-': 'R', j: 'Y', w: 'W', x: 'K', '?': '',
};

/** One espeak-ng word (`'O:_l_d_3_r_@`) as ARPAbet (`AO L D ER AH`); undefined when a phone is unknown. */
export function espeakToArpabet(espeakWord: string): string | undefined {
  const phones: string[] = [];
  for (const raw of espeakWord.split('_')) {
    const name = raw.replace(/[',%=]/g, '');
    if (!name) continue;
    const phone = PHONES[name] ?? PHONES[name.replace(/[#0-9]+$/, '')];
    if (phone === undefined) return undefined;
    if (phone) phones.push(phone);
  }
  return phones.length > 0 ? phones.join(' ') : undefined;
}
