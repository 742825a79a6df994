import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface VendorCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeVendorSession {
  id: string;
  token: string;
  state: 'created' | 'started' | 'stopped';
  /** The token request's body (LiveAvatar) or streaming.new's (HeyGen). */
  config: Record<string, unknown>;
  keepAlives: number;
  /** What the avatar was asked to say, in order: HeyGen task texts, or LiveAvatar LITE audio decoded by `decodeAudio`. */
  said: string[];
  /** Every other command it got (interrupts, speak ends), by type. */
  commands: string[];
  socket?: WebSocket;
}

/**
 * What both fakes share: an HTTP server that records every call, a table of sessions, and
 * failure injection (`failNext`). Sessions a test drops (`drop`) answer "not found" to every
 * later call, as the vendors do for a session they ended.
 */
abstract class FakeVendor {
  readonly calls: VendorCall[] = [];
  readonly sessions = new Map<string, FakeVendorSession>();
  private readonly failures: { path: string; status: number }[] = [];
  protected readonly server: Server;
  baseUrl = '';

  constructor() {
    this.server = createServer((req, res) => void this.receive(req, res));
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` calls to `path` answer `status`. */
  failNext(path: string, status = 503, times = 1): this {
    for (let i = 0; i < times; i += 1) this.failures.push({ path, status });
    return this;
  }

  callsTo(path: string): VendorCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  /** Every sentence said in any session, in order. */
  get said(): string[] {
    return [...this.sessions.values()].flatMap((s) => s.said);
  }

  only(): FakeVendorSession {
    const all = [...this.sessions.values()];
    if (all.length !== 1) throw new Error(`expected one session, found ${all.length}`);
    return all[0];
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.length = 0;
    for (const s of this.sessions.values()) s.socket?.terminate();
    this.sessions.clear();
  }

  /** The vendor ends a session on its own (its idle limit, an outage). */
  drop(id: string): void {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no session ${id}`);
    session.state = 'stopped';
    session.socket?.send(JSON.stringify({ type: 'session.state_updated', state: 'closed' }));
    session.socket?.close(1000, 'session ended');
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) s.socket?.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract answer(path: string, headers: IncomingHttpHeaders, body: Record<string, unknown>): { status: number; body: unknown };

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      // recorded as empty
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.calls.push({ path, headers: req.headers, body });
    const failure = this.failures.findIndex((f) => f.path === path);
    const { status, body: out } = failure >= 0 ? { status: this.failures.splice(failure, 1)[0].status, body: { message: 'planned failure' } } : this.answer(path, req.headers, body);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  }

  protected sessionByToken(headers: IncomingHttpHeaders, id: unknown): FakeVendorSession | undefined {
    const token = (headers.authorization ?? '').replace(/^Bearer /, '');
    const session = [...this.sessions.values()].find((s) => s.token === token && (id === undefined || s.id === id));
    return session && session.state !== 'stopped' ? session : undefined;
  }
}

/**
 * LiveAvatar (api.liveavatar.com) as its wire format says: `POST /v1/sessions/token` with
 * `X-API-KEY`, then `start`, `keep-alive`, `stop` with the session token, `{ code: 1000, data }`
 * on success; LITE sessions get a `ws_url` on this server where `agent.speak` audio (base64
 * PCM16 24 kHz) arrives. Tests pass `decodeAudio` to turn audio back into the sentence the
 * test's speech stand-in encoded, so what the avatar was asked to say can be asserted exactly.
 */
export class FakeLiveAvatarServer extends FakeVendor {
  static readonly API_KEY = 'la-test-key';
  private readonly wss = new WebSocketServer({ noServer: true });
  decodeAudio: (audio: Buffer) => string = (audio) => audio.toString('utf8');

  static async start(): Promise<FakeLiveAvatarServer> {
    const fake = new FakeLiveAvatarServer();
    fake.server.on('upgrade', (req, socket, head) => {
      const id = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '';
      const session = fake.sessions.get(id);
      if (!session || session.state !== 'started') return socket.destroy();
      fake.wss.handleUpgrade(req, socket, head, (ws) => fake.connected(session, ws));
    });
    await fake.listen();
    return fake;
  }

  protected answer(path: string, headers: IncomingHttpHeaders, body: Record<string, unknown>) {
    const ok = (data: unknown) => ({ status: 200, body: { code: 1000, data, message: 'Success' } });
    if (path === '/v1/sessions/token') {
      if (headers['x-api-key'] !== FakeLiveAvatarServer.API_KEY) return { status: 401, body: { code: 4001, message: 'Invalid API key' } };
      const session: FakeVendorSession = { id: randomUUID(), token: `st-${randomUUID()}`, state: 'created', config: body, keepAlives: 0, said: [], commands: [] };
      this.sessions.set(session.id, session);
      return ok({ session_id: session.id, session_token: session.token });
    }
    const session = this.sessionByToken(headers, undefined);
    if (!session) return { status: 404, body: { code: 4004, message: 'Session not found' } };
    switch (path) {
      case '/v1/sessions/start': {
        session.state = 'started';
        const lite = session.config.mode === 'LITE';
        return ok({
          session_id: session.id,
          livekit_url: 'wss://livekit.fake.example',
          livekit_client_token: `lk-client-${session.id}`,
          ...(lite ? { ws_url: `${this.baseUrl.replace('http', 'ws')}/ws/${session.id}` } : {}),
          max_session_duration: 3600,
        });
      }
      case '/v1/sessions/keep-alive':
        session.keepAlives += 1;
        return ok({});
      case '/v1/sessions/stop':
        session.state = 'stopped';
        session.socket?.close(1000, 'stopped');
        return ok({});
      default:
        return { status: 404, body: { code: 4040, message: 'Unknown path' } };
    }
  }

  private connected(session: FakeVendorSession, ws: WebSocket): void {
    session.socket = ws;
    ws.on('message', (raw) => {
      const event = JSON.parse(raw.toString()) as { type: string; audio?: string; event_id?: string };
      if (event.type === 'agent.speak') session.said.push(this.decodeAudio(Buffer.from(event.audio ?? '', 'base64')));
      else session.commands.push(event.type);
    });
    ws.send(JSON.stringify({ type: 'session.state_updated', state: 'connected' }));
  }
}

/**
 * HeyGen's legacy streaming API: `streaming.create_token` with `x-api-key`, then
 * `streaming.new/start/task/interrupt/keep_alive/stop` with the session token, answers in
 * `{ error: null, data }`. Records each task's text; a task whose task_type is not `repeat`
 * (HeyGen's own LLM) is recorded too, so a test can prove it never happens.
 */
export class FakeHeyGenServer extends FakeVendor {
  static readonly API_KEY = 'hg-test-key';
  readonly taskTypes: string[] = [];
  private readonly issued = new Set<string>();

  static async start(): Promise<FakeHeyGenServer> {
    const fake = new FakeHeyGenServer();
    await fake.listen();
    return fake;
  }

  protected answer(path: string, headers: IncomingHttpHeaders, body: Record<string, unknown>) {
    const ok = (data: unknown) => ({ status: 200, body: { error: null, data } });
    const tokens = this.issued;
    if (path === '/v1/streaming.create_token') {
      if (headers['x-api-key'] !== FakeHeyGenServer.API_KEY) return { status: 401, body: { code: 400112, message: 'Unauthorized' } };
      const token = `hg-session-${randomUUID()}`;
      tokens.add(token);
      return ok({ token });
    }
    const token = (headers.authorization ?? '').replace(/^Bearer /, '');
    if (path === '/v1/streaming.new') {
      if (!tokens.has(token)) return { status: 401, body: { code: 400112, message: 'Unauthorized' } };
      const session: FakeVendorSession = { id: randomUUID(), token, state: 'created', config: body, keepAlives: 0, said: [], commands: [] };
      this.sessions.set(session.id, session);
      return ok({ session_id: session.id, access_token: `lk-client-${session.id}`, url: 'wss://heygen.livekit.fake.example', session_duration_limit: 600 });
    }
    const session = this.sessionByToken(headers, body.session_id);
    if (!session) return { status: 400, body: { code: 10005, message: 'Session not found' } };
    switch (path) {
      case '/v1/streaming.start':
        session.state = 'started';
        return ok(null);
      case '/v1/streaming.task':
        if (session.state !== 'started') return { status: 400, body: { code: 400006, message: 'Session is not in correct state' } };
        this.taskTypes.push(String(body.task_type));
        session.said.push(String(body.text));
        return ok({ duration_ms: 1000, task_id: randomUUID() });
      case '/v1/streaming.interrupt':
        session.commands.push('interrupt');
        return ok(null);
      case '/v1/streaming.keep_alive':
        session.keepAlives += 1;
        return ok(null);
      case '/v1/streaming.stop':
        session.state = 'stopped';
        return ok(null);
      default:
        return { status: 404, body: { code: 404, message: 'Unknown path' } };
    }
  }
}
