/**
 * The playground's Bot Connector: the part of the REST API Teams exposes to bots (docs/platforms.md#teams) that this
 * bot uses — post a message, reply to one, update one, delete one. Activities the page sends carry this endpoint as
 * their `serviceUrl`, so the bot's botbuilder client talks to it exactly as it would to Teams.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { jsonObjectBody, rawBody } from '../http/body.js';
import { param } from '../emulator/params.js';
import { baseConversationId, type CardAttachment, type PlaygroundMessage, type Transcript } from './transcript.js';

export const CONNECTOR_PATH = '/playground/connector';

/** The Bot Connector's error shape, which botbuilder reads the code from. */
function connectorError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function attachmentsOf(body: Record<string, unknown>): CardAttachment[] {
  const raw = body['attachments'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((a: unknown) => {
    const contentType = (a as { contentType?: unknown } | null)?.contentType;
    return typeof contentType === 'string' ? [{ contentType, content: (a as { content?: unknown }).content }] : [];
  });
}

function textOf(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

export function connectorRoutes(transcript: Transcript, now: () => Date): Router {
  const router = Router();
  const json = [...rawBody, jsonObjectBody];
  // Ids differ from one run to the next: a card id the store kept from an earlier run never names a new message.
  const run = randomBytes(3).toString('hex');
  let next = 1;

  const post = (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    const conversationId = baseConversationId(param(req, 'conversationId'));
    const id = `pg-${run}-${next++}`;
    if (body['type'] !== 'message') {
      // typing indicators and the like: accepted, nothing to show
      res.status(200).json({ id });
      return;
    }
    const from = (body['from'] ?? {}) as { id?: unknown; name?: unknown };
    const replyToId = param(req, 'activityId') || textOf(body, 'replyToId');
    const message: PlaygroundMessage = {
      id,
      conversationId,
      from: {
        id: typeof from.id === 'string' ? from.id : 'bot',
        name: typeof from.name === 'string' && from.name ? from.name : 'Partner Relationship Bot',
        role: 'bot',
      },
      text: textOf(body, 'text'),
      summary: textOf(body, 'summary'),
      attachments: attachmentsOf(body),
      replyToId: replyToId || undefined,
      timestamp: now().toISOString(),
    };
    transcript.add(message);
    res.status(200).json({ id });
  };

  router.post(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities`, ...json, post);
  router.post(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`, ...json, post);

  router.put(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`, ...json, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const id = param(req, 'activityId');
    // A message from before a restart is no longer shown; Teams would update it, so the answer is the same.
    transcript.update(baseConversationId(param(req, 'conversationId')), id, (old) => ({
      ...old,
      text: textOf(body, 'text'),
      summary: textOf(body, 'summary') ?? old.summary,
      attachments: attachmentsOf(body),
      updatedAt: now().toISOString(),
    }));
    res.status(200).json({ id });
  });

  router.delete(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`, (req, res) => {
    transcript.remove(baseConversationId(param(req, 'conversationId')), param(req, 'activityId'));
    res.status(200).end();
  });

  router.all(`${CONNECTOR_PATH}/*rest`, (req, res) => {
    connectorError(res, 404, 'NotSupported', `The playground's connector does not serve ${req.method} ${req.path}.`);
  });
  return router;
}
