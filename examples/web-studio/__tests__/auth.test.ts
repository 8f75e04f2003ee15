import { describe, expect, it } from 'vitest';
import { fetchWithToken, type TokenStore } from '../src/auth';

function store(initial: string | null, answers: (string | null)[]): TokenStore & { asked: number } {
  let token = initial;
  const s = {
    asked: 0,
    get: () => token,
    set: (t: string | null) => {
      token = t;
    },
    ask: () => {
      s.asked++;
      return answers.shift() ?? null;
    },
  };
  return s;
}

/** A server that accepts only "good" and records the Authorization headers it saw. */
function server(seen: (string | undefined)[]) {
  return async (_input: string, init?: RequestInit) => {
    const auth = (init?.headers as Record<string, string>)?.Authorization;
    seen.push(auth);
    return new Response('{}', { status: auth === 'Bearer good' ? 200 : 401 });
  };
}

describe('fetchWithToken', () => {
  it('asks once on a 401, keeps the token and sends it from then on', async () => {
    const seen: (string | undefined)[] = [];
    const tokens = store(null, ['good']);
    expect((await fetchWithToken(server(seen), '/api/x', { headers: {} }, tokens)).status).toBe(200);
    expect((await fetchWithToken(server(seen), '/api/y', { headers: {} }, tokens)).status).toBe(200);
    expect(tokens.asked).toBe(1);
    expect(seen).toEqual([undefined, 'Bearer good', 'Bearer good']);
  });

  it('forgets a refused token and gives the 401 back when the person cancels', async () => {
    const tokens = store('stale', [null]);
    const r = await fetchWithToken(server([]), '/api/x', { headers: {} }, tokens);
    expect(r.status).toBe(401);
    expect(tokens.get()).toBeNull();
  });

  it('does not ask again when another request already got a new token', async () => {
    const seen: (string | undefined)[] = [];
    const tokens = store('old', []);
    const racing = async (input: string, init?: RequestInit) => {
      const r = await server(seen)(input, init);
      tokens.set('good'); // the other request's prompt answered meanwhile
      return r;
    };
    expect((await fetchWithToken(racing, '/api/x', { headers: {} }, tokens)).status).toBe(200);
    expect(tokens.asked).toBe(0);
  });

  it('without a browser it sends the request as it is', async () => {
    const seen: (string | undefined)[] = [];
    await fetchWithToken(server(seen), '/api/x', { headers: {} }, null);
    expect(seen).toEqual([undefined]);
  });
});
