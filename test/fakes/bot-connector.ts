/**
 * A fake Bot Connector: the REST API Teams exposes to bots (docs/platforms.md#teams), on a local port. It records every
 * call, answers like the real service (`{ id }` resource responses, `{ id, activityId }` for new conversations), and
 * can be told to fail the next calls (429 with or without Retry-After, 403 roster, 412, 500 …).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** the activity replied to or updated, when the path has one */
  activityId: string | undefined;
  body: Record<string, unknown>;
  authorization: string | undefined;
  /** the status the fake answered */
  status: number;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** how many calls fail this way (default 1) */
  times?: number;
  /** only calls with this method (e.g. PUT: updates) fail; default any */
  method?: string;
}

export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly faults: (Fault & { left: number })[] = [];
  private next = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeBotConnector> {
    const started: { fake?: FakeBotConnector } = {};
    const server = createServer((req, res) => {
      void started.fake?.handle(req, res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    started.fake = new FakeBotConnector(server, `http://127.0.0.1:${port}/`);
    return started.fake;
  }

  /** Make the next call(s) fail. */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Messages posted (new posts and replies), oldest first. */
  posts(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.status < 300);
  }

  /** Messages updated in place. */
  updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT' && c.status < 300);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.length = 0;
  }

  close(): Promise<void> {
    return new Promise((ok) => {
      this.server.closeAllConnections();
      this.server.close(() => {
        ok();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path,
      conversationId: match?.[1] ? decodeURIComponent(match[1]) : '',
      activityId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
      body,
      authorization: req.headers.authorization,
      status: 0,
    };
    this.calls.push(call);

    const fault = this.faults.find((f) => f.method === undefined || f.method === call.method);
    if (fault) {
      fault.left--;
      if (fault.left <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      call.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { error: { code: 'ServiceError', message: 'injected' } }));
      return;
    }
    if (!match) {
      this.answer(res, call, 404, { error: { code: 'NotFound', message: path } });
      return;
    }
    const n = this.next++;
    if (req.method === 'POST' && !match[1]) {
      const channel = (body['channelData'] as { channel?: { id?: string } } | undefined)?.channel?.id ?? 'conv';
      this.answer(res, call, 201, { id: `${channel};messageid=${n}`, activityId: String(n) });
      return;
    }
    if (req.method === 'POST') {
      this.answer(res, call, 200, { id: `msg-${n}` });
      return;
    }
    if (req.method === 'PUT') {
      this.answer(res, call, 200, { id: call.activityId });
      return;
    }
    this.answer(res, call, 405, { error: { code: 'MethodNotAllowed', message: req.method } });
  }

  private answer(res: ServerResponse, call: ConnectorCall, status: number, body: unknown): void {
    call.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
