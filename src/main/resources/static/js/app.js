// The dashboard's entry point: one shared WebSocket, a hash router, a toast and (security on) sign-in / sign-out.
import { auth } from './auth.js';
import { LiveSocket } from './socket.js';
import { renderOverview } from './overview.js';
import { renderTopic } from './topic.js';
import { renderGroups } from './groups.js';

const view = document.getElementById('view');
const status = document.getElementById('connection');
let cleanup = null;
let toastTimer = null;

function setStatus(state) {
  const labels = {
    open: ['live', 'pill-good'],
    connecting: ['connecting…', 'pill-warn'],
    closed: ['reconnecting…', 'pill-bad'],
    'signed-out': ['signed out', 'pill-bad'],
  };
  const [text, kind] = labels[state];
  status.textContent = text;
  status.className = `pill ${kind}`;
  status.dataset.state = state;
  if (state === 'open') showIdentity();
  if (state === 'signed-out') showSignIn();
}

function showIdentity() {
  const who = document.getElementById('whoami');
  const name = auth.principal();
  who.hidden = name === null;
  who.textContent = name === null ? '' : `signed in as ${name}`;
  document.getElementById('signout').hidden = name === null;
}

function showSignIn() {
  showIdentity();
  const dialog = document.getElementById('signin');
  if (!dialog.hidden) return;
  dialog.hidden = false;
  document.getElementById('signin-token').focus();
}

document.getElementById('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('signin-token');
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    await auth.signIn(input.value.trim());
  } catch (failure) {
    error.textContent = failure.message;
  }
});

document.getElementById('signout').addEventListener('click', () => auth.signOut());

auth.onChange((event) => {
  if (event === 'signed-in') {
    document.getElementById('signin').hidden = true;
    document.getElementById('signin-token').value = '';
    showIdentity();
    socket.resume();
    route();
  } else {
    socket.stop();
    if (cleanup) cleanup();
    cleanup = null;
    view.innerHTML = '';
  }
});

function toast(message, error = false) {
  const element = document.getElementById('toast');
  element.textContent = message;
  element.className = error ? 'toast error' : 'toast';
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, 4000);
}

const socket = new LiveSocket(setStatus);

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route() {
  if (cleanup) cleanup();
  const hash = location.hash || '#/';
  const context = { socket, toast, navigate };
  const topicMatch = hash.match(/^#\/topics\/(.+)$/);
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.remove('active'));
  if (topicMatch) {
    document.querySelector('[data-nav=topics]').classList.add('active');
    cleanup = renderTopic(view, context, decodeURIComponent(topicMatch[1]));
  } else if (hash.startsWith('#/groups')) {
    document.querySelector('[data-nav=groups]').classList.add('active');
    cleanup = renderGroups(view, context);
  } else {
    document.querySelector('[data-nav=topics]').classList.add('active');
    cleanup = renderOverview(view, context);
  }
}

window.addEventListener('hashchange', route);
route();
