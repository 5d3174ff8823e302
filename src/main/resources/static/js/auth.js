// The dashboard's credential when the server has security on: an API key or a JWT, typed in by the user.
//
// Kept in sessionStorage, never in localStorage, a cookie or a URL: sessionStorage belongs to this one tab, survives
// a reload (so a refresh does not ask again) and is wiped when the tab closes; nothing sends it by itself (no
// cookie, hence no CSRF), and it never appears in a URL, a server log or the history. WebSocket and EventSource
// cannot send an Authorization header, so live streams use a short-lived single-use ticket from
// POST security/tickets instead of the credential.

const KEY = 'sluice.credential';
const listeners = new Set();
let principal = null;

export const auth = {
  token: () => sessionStorage.getItem(KEY),
  principal: () => principal,
  signedIn: () => principal !== null,

  /** Checks a credential by asking for a ticket with it; keeps it only if the server accepts it. */
  async signIn(token) {
    const response = await fetch('security/tickets', {
      method: 'POST',
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw new Error(response.status === 401 ? 'The key or token was not accepted.' : `Sign-in failed: HTTP ${response.status}`);
    }
    sessionStorage.setItem(KEY, token);
    principal = (await response.json()).principal;
    notify('signed-in');
  },

  signOut() {
    sessionStorage.removeItem(KEY);
    principal = null;
    notify('signed-out');
  },

  /** The server refused the credential (revoked, expired): forget it and ask again. */
  refused() {
    if (this.token() || principal !== null) this.signOut();
    else notify('signed-out');
  },

  /** Authorization header for REST calls, if signed in. */
  headers() {
    const token = this.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  },

  /**
   * A ticket for one WebSocket or SSE connection: {ticket} when signed in, {open: true} when the server has security
   * off (no ticket endpoint), {signIn: true} when a credential is needed first.
   */
  async streamTicket() {
    const response = await fetch('security/tickets', {
      method: 'POST',
      headers: { Accept: 'application/json', ...this.headers() },
    });
    if (response.status === 404) return { open: true };
    if (response.status === 401) {
      this.refused();
      return { signIn: true };
    }
    if (!response.ok) throw new Error(`ticket: HTTP ${response.status}`);
    const body = await response.json();
    principal = body.principal;
    return { ticket: body.ticket };
  },

  onChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

function notify(event) {
  listeners.forEach((listener) => listener(event));
}
