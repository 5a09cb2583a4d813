// WebSocket sessions with server.py's routing: one socket per client id, broadcast to the map only.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { JsonObject, JsonValue } from './types.ts';

type Session = { ws: WebSocket; flags: JsonObject; negotiationOpen: boolean };

export type HubHooks = {
  queueRemaining: () => number;
  /** Client id of the running prompt and its executing node, for the bare `executing` replay. */
  current: () => { clientId: string | null; lastNodeId: string | null };
  serverFlags: () => JsonObject;
};

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly all = new Set<WebSocket>();
  private readonly hooks: HubHooks;
  private readonly closeRace: boolean;

  constructor(hooks: HubHooks, closeRace: boolean) {
    this.hooks = hooks;
    this.closeRace = closeRace;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, clientId: string | null): void {
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.accept(ws, clientId || randomUUID().replace(/-/g, '')),
    );
  }

  private accept(ws: WebSocket, sid: string): void {
    const session: Session = { ws, flags: {}, negotiationOpen: true };
    this.all.add(ws);
    // A reconnect with the same id replaces the entry; the old socket stays open and is never addressed again.
    this.sessions.set(sid, session);
    ws.on('close', () => {
      this.all.delete(ws);
      if (this.closeRace || this.sessions.get(sid) === session) this.sessions.delete(sid);
    });
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      if (isBinary || !session.negotiationOpen) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return; // logged by the real server; negotiation stays open
      }
      session.negotiationOpen = false;
      const m = msg as { type?: unknown; data?: unknown };
      if (m && m.type === 'feature_flags') {
        session.flags = (typeof m.data === 'object' && m.data !== null ? m.data : {}) as JsonObject;
        this.sendTo(session, 'feature_flags', this.hooks.serverFlags());
      }
    });
    this.sendTo(session, 'status', {
      status: { exec_info: { queue_remaining: this.hooks.queueRemaining() } },
      sid,
    });
    const { clientId, lastNodeId } = this.hooks.current();
    if (clientId === sid && lastNodeId !== null) this.sendTo(session, 'executing', { node: lastNodeId });
  }

  private sendTo(session: Session, type: string, data: JsonValue): void {
    if (session.ws.readyState === session.ws.OPEN) session.ws.send(JSON.stringify({ type, data }));
  }

  /** server.send_sync: sid null → every socket in the map; otherwise only that client's current socket. */
  send(type: string, data: JsonValue, sid: string | null): void {
    if (sid === null) {
      for (const s of this.sessions.values()) this.sendTo(s, type, data);
      return;
    }
    const s = this.sessions.get(sid);
    if (s) this.sendTo(s, type, data);
  }

  sendBinary(frame: Buffer, sid: string | null): void {
    const targets = sid === null ? [...this.sessions.values()] : [this.sessions.get(sid)].filter((s) => s);
    for (const s of targets as Session[]) if (s.ws.readyState === s.ws.OPEN) s.ws.send(frame);
  }

  supportsPreviewMetadata(sid: string | null): boolean {
    return sid !== null && this.sessions.get(sid)?.flags.supports_preview_metadata === true;
  }

  connectedIds(): string[] {
    return [...this.sessions.keys()];
  }

  dropAll(): void {
    for (const ws of this.all) ws.terminate();
  }

  /** Forget every session at once (restart), not waiting for the close events. */
  reset(): void {
    this.dropAll();
    this.sessions.clear();
  }
}
