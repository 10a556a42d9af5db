/**
 * A fake Slack Web API on a local port, speaking the documented wire format: POST /api/<method> with a form (or JSON)
 * body and `Authorization: Bearer xoxb-…`, answering `{ ok: true, … }` or `{ ok: false, error }`; and response_url
 * endpoints under /response/. It records every call and can be told to fail the next calls of a method.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface SlackCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly at: number;
}

interface Fault {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

function parseBody(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of JSON_FIELDS) {
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key]);
  }
  return fields;
}

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  /** every message posted, kept across `reset` (what conversations.history reads back) */
  readonly history: { channel: string; ts: string; text: unknown; metadata?: unknown }[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly holds = new Map<string, Promise<void>>();
  private nextTs = 1;
  private nextView = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    const started: { fake?: FakeSlackApi } = {};
    const server = createServer((req, res) => {
      void started.fake?.handle(req, res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    started.fake = new FakeSlackApi(server, `http://127.0.0.1:${port}/`);
    return started.fake;
  }

  get apiUrl(): string {
    return `${this.url}api/`;
  }

  /** the scopes the bot token has (the manifest's, with the optional history scopes) */
  scopes = ['commands', 'chat:write', 'chat:write.public', 'app_mentions:read', 'channels:history', 'groups:history'];

  responseUrl(id: string): string {
    return `${this.url}response/${id}`;
  }

  /** The next `times` calls of `method` answer with this instead. */
  fail(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  /** Calls of `method` wait (recorded, unanswered) until the returned function is called. */
  hold(method: string): () => void {
    let release: () => void = () => undefined;
    this.holds.set(
      method,
      new Promise<void>((done) => {
        release = done;
      }),
    );
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.server.closeAllConnections();
      this.server.close(() => {
        done();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    const method = path.startsWith('/api/')
      ? path.slice('/api/'.length)
      : path.startsWith('/response/')
        ? 'response_url'
        : path;
    const body = parseBody(req.headers['content-type'] ?? '', raw);
    this.calls.push({ method, body, authorization: req.headers.authorization, at: Date.now() });
    await this.holds.get(method);
    const fault = this.faults.get(method)?.shift();
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body));
      return;
    }
    if (method === 'response_url') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    // Slack names the token's scopes in every Web API answer
    res.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': this.scopes.join(',') });
    res.end(JSON.stringify(this.answer(method, body)));
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://contoso.slack.com/',
          team: 'Contoso',
          user: 'relbot',
          team_id: 'T0CONTOSO',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      case 'chat.postMessage': {
        const ts = `${Math.floor(Date.now() / 1000)}.${String(this.nextTs++).padStart(6, '0')}`;
        this.history.push({ channel: String(body['channel']), ts, text: body['text'], metadata: body['metadata'] });
        return { ok: true, channel: body['channel'], ts, message: { ts, text: body['text'] } };
      }
      case 'conversations.history': {
        // newest first; metadata only with include_all_metadata (Slack's documented behaviour)
        const oldest = Number(body['oldest'] ?? 0);
        const withMetadata = String(body['include_all_metadata']) === 'true';
        const messages = this.history
          .filter((m) => m.channel === body['channel'] && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'chat.update':
        return { ok: true, channel: body['channel'], ts: body['ts'], text: body['text'] };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(this.nextTs++).padStart(6, '0')}` };
      case 'views.open':
      case 'views.update': {
        const id =
          typeof body['view_id'] === 'string' ? body['view_id'] : `V${String(this.nextView++).padStart(8, '0')}`;
        return { ok: true, view: { ...(body['view'] as object), id } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
