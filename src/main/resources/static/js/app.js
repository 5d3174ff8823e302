// The dashboard's entry point: one shared WebSocket, a hash router and a toast.
import { LiveSocket } from './socket.js';
import { renderOverview } from './overview.js';
import { renderTopic } from './topic.js';
import { renderGroups } from './groups.js';

const view = document.getElementById('view');
const status = document.getElementById('connection');
let cleanup = null;
let toastTimer = null;

function setStatus(state) {
  const labels = { open: ['live', 'pill-good'], connecting: ['connecting…', 'pill-warn'], closed: ['reconnecting…', 'pill-bad'] };
  const [text, kind] = labels[state];
  status.textContent = text;
  status.className = `pill ${kind}`;
  status.dataset.state = state;
}

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
