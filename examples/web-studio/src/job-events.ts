// A job's server-sent events read with fetch rather than EventSource: EventSource cannot send an
// Authorization header, so with auth on it would always fail over to polling.
import type { EventSourceLike } from './api';
import { browserTokens, withToken } from './auth';

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Opens {@code url} as an event stream carrying the tab's token; only `job` events are passed on. */
export function fetchEvents(url: string, fetchFn: FetchFn = (i, init) => fetch(i, init)): EventSourceLike {
  const listeners: ((e: { data: string }) => void)[] = [];
  const abort = new AbortController();
  const source: EventSourceLike = {
    addEventListener: (_type, listener) => {
      listeners.push(listener);
    },
    onerror: null,
    close: () => abort.abort(),
  };
  const fail = (e: unknown) => {
    if (!abort.signal.aborted) source.onerror?.(e);
  };
  const read = async () => {
    const headers = withToken({ Accept: 'text/event-stream' }, browserTokens()?.get() ?? null);
    const response = await fetchFn(url, { headers, signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`job events answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0 && !abort.signal.aborted; end = buffer.indexOf('\n\n')) {
        dispatch(buffer.slice(0, end), listeners);
        buffer = buffer.slice(end + 2);
      }
    }
    // like EventSource, an ended stream is an error; the store ignores it after the final state
    fail(new Error('the job events ended'));
  };
  read().catch(fail);
  return source;
}

/** One event block: `event:` names it, `data:` lines make its data. */
function dispatch(block: string, listeners: ((e: { data: string }) => void)[]) {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (event === 'job' && data.length > 0) listeners.forEach((l) => l({ data: data.join('\n') }));
}
