// One WebSocket to /ws (protocol: docs/websocket.md) shared by every view. Reconnects with backoff and
// resubscribes each live subscription from the last token it saw, so nothing is lost or repeated.
// With security on, every connection first gets a single-use ticket (a browser WebSocket cannot send an
// Authorization header); a connection the server ends for the credential (revoked or expired) asks to sign in again.
import { auth } from './auth.js';

const CREDENTIAL_REFUSED = 40101;

export class LiveSocket {
  constructor(onStatus) {
    this.onStatus = onStatus;
    this.subscriptions = new Map();
    this.pending = new Map();
    this.statsListeners = new Set();
    this.nextCorrelation = 1;
    this.backoff = 500;
    this.attempt = 0;
    this.connect();
  }

  url(ticket) {
    const url = new URL('ws', document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (ticket) url.searchParams.set('ticket', ticket);
    return url.href;
  }

  async connect() {
    const attempt = ++this.attempt;
    this.onStatus('connecting');
    this.ws = null;
    let grant;
    try {
      grant = await auth.streamTicket();
    } catch (error) {
      grant = { failed: true };
    }
    if (attempt !== this.attempt) return; // resumed or stopped meanwhile
    if (grant.failed) {
      this.retry();
      return;
    }
    if (grant.signIn) {
      // Waits for resume(), which the sign-in calls.
      this.onStatus('signed-out');
      return;
    }
    const ws = new WebSocket(this.url(grant.ticket));
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 500;
      this.onStatus('open');
      if (this.statsListeners.size) this.send({ op: 'stats_subscribe' });
      for (const [id, sub] of this.subscriptions) this.sendSubscribe(id, sub);
    };
    ws.onmessage = (event) => this.dispatch(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.onStatus('closed');
      for (const { reject } of this.pending.values()) reject(new Error('connection lost'));
      this.pending.clear();
      if (ws.credentialRefused) {
        auth.refused();
        this.onStatus('signed-out');
        return;
      }
      this.retry();
    };
  }

  retry() {
    const attempt = this.attempt;
    setTimeout(() => {
      if (attempt === this.attempt) this.connect();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, 10000);
  }

  /** Connects again now (after sign-in), dropping the current connection if any. */
  resume() {
    const old = this.ws;
    this.ws = null;
    if (old) old.close();
    this.backoff = 500;
    this.connect();
  }

  /** Closes the connection and stays closed until resume() (sign-out). */
  stop() {
    this.attempt++;
    const old = this.ws;
    this.ws = null;
    if (old) old.close();
    this.onStatus('signed-out');
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  dispatch(frame) {
    if (frame.type === 'error' && frame.fatal && frame.error_code === CREDENTIAL_REFUSED && this.ws) {
      this.ws.credentialRefused = true;
    }
    if (frame.type === 'stats') {
      this.statsListeners.forEach((listener) => listener(frame));
      return;
    }
    if (frame.correlation_id && this.pending.has(frame.correlation_id)) {
      const { resolve, reject } = this.pending.get(frame.correlation_id);
      this.pending.delete(frame.correlation_id);
      if (frame.type === 'error') reject(new Error(frame.message));
      else resolve(frame);
      return;
    }
    const sub = frame.id && this.subscriptions.get(frame.id);
    if (sub) {
      if (frame.token) sub.token = frame.token;
      if (frame.type === 'error') this.subscriptions.delete(frame.id);
      sub.onFrame(frame);
    } else if (frame.type === 'error') {
      console.warn('sluice:', frame.message);
    }
  }

  /** Live records of a topic; options: from, partitions, credit. Returns an object with unsubscribe(). */
  subscribe(id, topic, options, onFrame) {
    const sub = { topic, options, onFrame, token: null };
    this.subscriptions.set(id, sub);
    this.sendSubscribe(id, sub);
    return {
      unsubscribe: () => {
        this.subscriptions.delete(id);
        this.send({ op: 'unsubscribe', id });
      },
      credit: (records) => this.send({ op: 'credit', id, records }),
    };
  }

  sendSubscribe(id, sub) {
    const frame = { op: 'subscribe', id, topic: sub.topic, ...sub.options };
    if (sub.token) {
      frame.from = 'token';
      frame.token = sub.token;
    }
    this.send(frame);
  }

  produce(topic, records, format) {
    const correlation_id = 'p' + this.nextCorrelation++;
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject(new Error('not connected'));
        return;
      }
      this.pending.set(correlation_id, { resolve, reject });
      this.send({ op: 'produce', correlation_id, topic, format, records });
    });
  }

  onStats(listener) {
    this.statsListeners.add(listener);
    if (this.statsListeners.size === 1) this.send({ op: 'stats_subscribe' });
    return () => {
      this.statsListeners.delete(listener);
      if (this.statsListeners.size === 0) this.send({ op: 'stats_unsubscribe' });
    };
  }
}
