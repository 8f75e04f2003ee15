// Access to a server started with studio.auth.mode=token or jwt. The token is asked once and kept
// for the tab in sessionStorage (never a cookie: nothing is sent unasked, so there is no CSRF). Media
// URLs the API hands out are signed by the server, so <video> and <img> need no token.

const KEY = 'videostudio.token';

/** Where the page keeps its token, and how it asks for one. */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
  /** Asks the person for a token; null when they cancel. */
  ask(): string | null;
}

/** The tab's store (sessionStorage and a prompt), or null outside a browser (tests, node). */
export function browserTokens(): TokenStore | null {
  if (typeof window === 'undefined' || typeof sessionStorage === 'undefined') return null;
  return {
    get: () => sessionStorage.getItem(KEY),
    set: (token) => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY)),
    ask: () => {
      const answer = window.prompt('This Video Studio server needs an access token (API key or JWT):');
      return answer && answer.trim() ? answer.trim() : null;
    },
  };
}

/** {@code headers} plus {@code Authorization: Bearer} when there is a token. */
export function withToken(headers: Record<string, string>, token: string | null): Record<string, string> {
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

/**
 * Sends a request with the tab's token. On a 401 it asks for a token once (unless another request
 * already got a new one meanwhile) and sends the request again; a refused token is forgotten.
 */
export async function fetchWithToken(
  fetchFn: (input: string, init?: RequestInit) => Promise<Response>,
  input: string,
  init: RequestInit & { headers: Record<string, string> },
  tokens: TokenStore | null,
): Promise<Response> {
  if (!tokens) return fetchFn(input, init);
  const used = tokens.get();
  const first = await fetchFn(input, { ...init, headers: withToken(init.headers, used) });
  if (first.status !== 401) return first;
  let next = tokens.get();
  if (next === used) {
    tokens.set(null);
    next = tokens.ask();
    if (!next) return first;
    tokens.set(next);
  }
  return fetchFn(input, { ...init, headers: withToken(init.headers, next) });
}
