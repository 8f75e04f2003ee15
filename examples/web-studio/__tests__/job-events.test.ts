import { describe, expect, it } from 'vitest';
import { fetchEvents } from '../src/job-events';

/** A response whose body arrives in the given pieces (as a network would cut it). */
function streamOf(pieces: string[], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } });
}

function collect(source: ReturnType<typeof fetchEvents>): Promise<{ data: string[]; error: unknown }> {
  return new Promise((resolve) => {
    const data: string[] = [];
    source.addEventListener('job', (e) => data.push(e.data));
    source.onerror = (error) => resolve({ data, error });
  });
}

describe('fetchEvents', () => {
  it('passes on job events whole, however the stream is cut, and reports the end', async () => {
    const source = fetchEvents('/api/jobs/j/events', async () =>
      streamOf(['event: job\ndata: {"status":"proc', 'essing"}\n\n: comment\n\nevent: other\ndata: x\n\n', 'event: job\r\ndata: {"status":"ready"}\r\n\r\n']),
    );
    const { data, error } = await collect(source);
    expect(data).toEqual(['{"status":"processing"}', '{"status":"ready"}']);
    expect(String(error)).toContain('ended');
  });

  it('fails over (onerror) when the server refuses the stream', async () => {
    const source = fetchEvents('/api/jobs/j/events', async () => new Response('{}', { status: 401 }));
    const { data, error } = await collect(source);
    expect(data).toEqual([]);
    expect(String(error)).toContain('401');
  });

  it('reports nothing after close', async () => {
    let seen = false;
    const data: string[] = [];
    const source = fetchEvents('/api/jobs/j/events', async () => streamOf(['event: job\ndata: {}\n\n']));
    source.addEventListener('job', (e) => data.push(e.data));
    source.onerror = () => (seen = true);
    source.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(data).toEqual([]);
    expect(seen).toBe(false);
  });
});
