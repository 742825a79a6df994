// A fake OpenAI audio API for the voice-turn benchmark, run as its own process: a JS equivalent
// of test/support/fake-voice-servers.ts's OpenAI part with fixed latencies.
// - POST /v1/audio/transcriptions: answers {text, usage} (or verbose_json) after STT_MS;
// - POST /v1/audio/speech: headers and the first audio chunk after TTS_FIRST_BYTE_MS, then
//   TTS_CHUNKS chunks of 100 ms of 24 kHz PCM16, one every TTS_CHUNK_MS.
// `node bench/voice-fake-upstream.mjs`; prints `listening <port>`.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const STT_MS = Number(process.env.STT_MS ?? 300);
const TTS_FIRST_BYTE_MS = Number(process.env.TTS_FIRST_BYTE_MS ?? 200);
const TTS_CHUNKS = Number(process.env.TTS_CHUNKS ?? 10);
const TTS_CHUNK_MS = Number(process.env.TTS_CHUNK_MS ?? 20);
const TRANSCRIPT = process.env.TRANSCRIPT ?? 'What does the powertrain warranty cover?';
const CHUNK = Buffer.alloc(4_800, 1);

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString('latin1');
  if (req.url === '/v1/audio/transcriptions') {
    await sleep(STT_MS);
    const verbose = body.includes('verbose_json');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(verbose ? { text: TRANSCRIPT, language: 'english', duration: 1, segments: [{ text: TRANSCRIPT, no_speech_prob: 0.01 }] } : { text: TRANSCRIPT, usage: { type: 'duration', seconds: 1 } }));
    return;
  }
  if (req.url === '/v1/audio/speech') {
    await sleep(TTS_FIRST_BYTE_MS);
    res.writeHead(200, { 'content-type': 'audio/pcm' });
    for (let i = 0; i < TTS_CHUNKS && !res.destroyed; i += 1) {
      res.write(CHUNK);
      await sleep(TTS_CHUNK_MS);
    }
    res.end();
    return;
  }
  res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
