import { useCallback, useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { Citation, MessageView } from '../api/types';
import type { ChatMessage } from '../chat/chat-message';
import { connectRealtime } from '../realtime/realtime-socket';
import { startMicrophone, type Microphone } from './microphone';
import { PcmPlayer } from './pcm-player';
import { SeqOrder } from './seq-order';

/** The gateway speaks PCM16 mono at 24 kHz (README "Voice"). */
const SPEECH_SAMPLE_RATE = 24_000;

export type VoiceState = 'idle' | 'starting' | 'listening' | 'thinking' | 'speaking';

interface ErrorPayload {
  turnId?: string;
  messageId?: string;
  error?: { code: string; message: string };
}

let nextKey = 0;
const newKey = () => `voice-${(nextKey += 1)}`;

/**
 * Push-to-talk over the realtime gateway: `voice.start` on press, ~20 ms PCM16 frames as
 * `voice.audio`, `voice.stop` on release; the transcript and chat's token/citations/done
 * become messages shown like a typed question's, and the spoken answer plays in `seq` order.
 * A tap while the answer plays (or is still being written) is barge-in: `voice.interrupt`
 * and the playback is flushed. `unavailable` is set once `voice.start` answers 503
 * VOICE_NOT_CONFIGURED, and the page then hides the mic.
 */
export function useVoiceTurns({ ensureConversation, onFinished }: { ensureConversation: () => Promise<string | null>; onFinished: () => Promise<void> }) {
  const [local, setLocal] = useState<ChatMessage[]>([]);
  const [state, setState] = useState<VoiceState>('idle');
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const socket = useRef<Socket | null>(null);
  const player = useRef(new PcmPlayer());
  const mic = useRef<Microphone | null>(null);
  const holding = useRef(false);
  // True from voice.start's answer until release: only then are frames and voice.stop this turn's.
  const recording = useRef(false);
  const turn = useRef<{ id: string; answerKey?: string; audio: SeqOrder<ArrayBuffer> } | null>(null);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  const update = useCallback((key: string | undefined, patch: (m: ChatMessage) => Partial<ChatMessage>) => {
    if (key) setLocal((all) => all.map((m) => (m.key === key ? { ...m, ...patch(m) } : m)));
  }, []);

  const newTurn = useCallback((id: string) => {
    turn.current = {
      id,
      audio: new SeqOrder<ArrayBuffer>((chunk) => {
        setState('speaking');
        player.current.play(chunk, SPEECH_SAMPLE_RATE, () => setState((s) => (s === 'speaking' ? 'idle' : s)));
      }),
    };
  }, []);

  const connect = useCallback((): Socket => {
    if (socket.current) return socket.current;
    const s = connectRealtime();
    const mine = (payload: { turnId?: string }) => !!turn.current && (!payload.turnId || payload.turnId === turn.current.id);
    s.on('voice.transcript', (p: { turnId: string; text: string }) => {
      if (!mine(p)) return;
      const answerKey = newKey();
      turn.current!.answerKey = answerKey;
      setLocal((all) => [
        ...all,
        { key: newKey(), role: 'user', content: p.text, citations: [], status: 'complete' },
        { key: answerKey, role: 'assistant', content: '', citations: [], status: 'streaming' },
      ]);
      setState('thinking');
    });
    // Chat's own events for the spoken question, exactly as chat.ask sends them.
    s.on('token', (p: { messageId?: string; delta: string }) => update(turn.current?.answerKey, (m) => ({ id: p.messageId ?? m.id, content: m.content + p.delta })));
    s.on('citations', (p: { citations: Citation[] }) => update(turn.current?.answerKey, () => ({ citations: p.citations })));
    s.on('done', (p: { message: MessageView }) =>
      update(turn.current?.answerKey, () => ({ id: p.message.id, content: p.message.content, citations: p.message.citations, status: p.message.status })),
    );
    s.on('voice.audio', (p: { turnId: string; seq: number; audio: ArrayBuffer }) => {
      if (turn.current?.id === p.turnId) turn.current.audio.push(p.seq, p.audio);
    });
    // After barge-in by new speech the gateway starts the next turn itself.
    s.on('voice.listening', (p: { turnId: string }) => {
      player.current.flush();
      newTurn(p.turnId);
      setState('listening');
    });
    s.on('voice.done', (p: { turnId: string; status: 'completed' | 'interrupted' | 'failed' }) => {
      if (!mine(p)) return;
      const key = turn.current?.answerKey;
      if (p.status !== 'completed') update(key, (m) => ({ status: m.status === 'streaming' ? (p.status === 'failed' ? 'failed' : 'interrupted') : m.status }));
      setState((s) => (s === 'speaking' && player.current.active ? s : 'idle'));
      if (p.status === 'completed') void onFinishedRef.current().then(() => setLocal([]));
    });
    s.on('error', (p: ErrorPayload & { event?: string }) => {
      if (p.turnId && turn.current && p.turnId !== turn.current.id) return;
      // A release that raced the server's own end-of-speech stop: the turn goes on regardless.
      if (p.event === 'voice.stop' && p.error?.code === 'VOICE_NO_TURN') return;
      const message = p.error?.message ?? 'Voice failed.';
      const key = turn.current?.answerKey;
      if (key && p.messageId) update(key, () => ({ status: 'failed', error: message }));
      else setError(message);
    });
    socket.current = s;
    return s;
  }, [newTurn, update]);

  useEffect(
    () => () => {
      mic.current?.stop();
      player.current.flush();
      socket.current?.disconnect();
      socket.current = null;
    },
    [],
  );

  const stopListening = useCallback(() => {
    recording.current = false;
    mic.current?.stop();
    mic.current = null;
    if (turn.current) socket.current?.emit('voice.stop', { turnId: turn.current.id });
    setState((s) => (s === 'listening' ? 'thinking' : s));
  }, []);

  const press = useCallback(async () => {
    if (holding.current) return;
    holding.current = true;
    setError(null);
    // Inside the tap: browsers only let audio play in a context unlocked by a gesture.
    player.current.unlock();
    const s = connect();
    // A tap while the answer is written or spoken is barge-in: stop it, start nothing.
    if (turn.current && (state === 'thinking' || state === 'speaking' || player.current.active)) {
      s.emit('voice.interrupt', { turnId: turn.current.id });
      player.current.flush();
      setState('idle');
      return;
    }
    setState('starting');
    try {
      const conversationId = await ensureConversation();
      if (!conversationId) throw new Error('Could not start a conversation.');
      // Frames captured before voice.start is answered wait here, then go in order.
      const early: ArrayBuffer[] = [];
      let started = false;
      mic.current = await startMicrophone((frame) => (started ? s.emit('voice.audio', frame) : early.push(frame)));
      const ack = (await s.emitWithAck('voice.start', { conversationId, sampleRate: mic.current.sampleRate, format: 'pcm16' })) as { turnId?: string } & ErrorPayload;
      if (!ack?.turnId) {
        mic.current?.stop();
        mic.current = null;
        setState('idle');
        if (ack?.error?.code === 'VOICE_NOT_CONFIGURED') setUnavailable(ack.error.message);
        else setError(ack?.error?.message ?? 'Voice could not start.');
        return;
      }
      newTurn(ack.turnId);
      started = true;
      recording.current = true;
      for (const frame of early.splice(0)) s.emit('voice.audio', frame);
      setState('listening');
      if (!holding.current) stopListening();
    } catch (caught) {
      mic.current?.stop();
      mic.current = null;
      setState('idle');
      setError(caught instanceof DOMException && caught.name === 'NotAllowedError' ? 'Microphone access was refused; allow it in the browser to talk.' : caught instanceof Error ? caught.message : String(caught));
    }
  }, [connect, ensureConversation, newTurn, state, stopListening]);

  const release = useCallback(() => {
    if (!holding.current) return;
    holding.current = false;
    if (recording.current) stopListening();
  }, [stopListening]);

  return { local, state, unavailable, error, press: () => void press(), release };
}
