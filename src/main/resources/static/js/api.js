// The public HTTP API, with relative URLs only, so the page works under any path prefix behind a proxy.
// When signed in (security on), every call carries the credential as a Bearer header; a 401 asks for it again.
import { auth } from './auth.js';

async function call(method, path, body, accept = 'application/json') {
  const options = { method, headers: { Accept: accept, ...auth.headers() } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401) auth.refused();
  if (!response.ok) {
    const error = new Error(data?.message || `${method} ${path}: HTTP ${response.status}`);
    error.status = response.status;
    error.code = data?.error_code;
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;

export const api = {
  topics: () => call('GET', 'topics'),
  topic: (name) => call('GET', `topics/${enc(name)}`),
  createTopic: (name, partitions) => call('POST', 'topics', { name, partitions }),
  deleteTopic: (name) => call('DELETE', `topics/${enc(name)}`),
  offsetForTimestamp: (topic, partition, timestamp) =>
    call('GET', `topics/${enc(topic)}/partitions/${partition}/offsets?timestamp=${timestamp}`),
  // Text format shows any UTF-8 payload (JSON included); binary payloads fall back to base64.
  read: async (topic, partition, offset, maxRecords) => {
    const path = `topics/${enc(topic)}/partitions/${partition}/records?offset=${offset}&max_records=${maxRecords}&timeout=0`;
    try {
      return await call('GET', path, undefined, 'application/vnd.sluice.text.v2+json');
    } catch (error) {
      if (error.status !== 406) throw error;
      return call('GET', path, undefined, 'application/vnd.kafka.binary.v2+json');
    }
  },
  groups: () => call('GET', 'consumers'),
  group: (name) => call('GET', `consumers/${enc(name)}`),
};
