/** Containers an uploaded recording may come in (what the providers name them). */
export const AUDIO_FORMATS = ['wav', 'mp3', 'ogg', 'flac', 'webm', 'm4a'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** What POST /voice/speech and the spoken turn produce: `pcm` is PCM16 little-endian mono at PCM_SAMPLE_RATE. */
export const SPEECH_FORMATS = ['wav', 'mp3', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];

/** One rate end to end for produced audio (OpenAI `pcm`, ElevenLabs `pcm_24000`, LiveAvatar LITE). */
export const PCM_SAMPLE_RATE = 24_000;

export const SPEECH_CONTENT_TYPES: Record<SpeechFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  pcm: `audio/L16;rate=${PCM_SAMPLE_RATE};channels=1`,
};

export const AUDIO_MIME_TYPES: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  webm: 'audio/webm',
  m4a: 'audio/mp4',
};
