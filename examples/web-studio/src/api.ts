// The HTTP contract of DESIGN.md, as TypeScript types and a thin client. Nothing here keeps state.

export type AssetKind = 'audio' | 'video' | 'image';
export type WaveformStatus = 'idle' | 'processing' | 'ready' | 'failed' | 'unavailable';

export interface Asset {
  asset_id: string;
  filename: string;
  kind: AssetKind;
  content_type: string;
  size_bytes: number;
  duration_s: number | null;
  has_audio: boolean;
  has_video: boolean;
  width: number | null;
  height: number | null;
  fps: number | null;
  sample_rate: number | null;
  channels: number | null;
  url: string;
  waveformStatus: WaveformStatus;
  created_at: string;
}

export interface ErrorDetail {
  path?: string;
  message: string;
  [extra: string]: unknown;
}

export interface ErrorInfo {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/** The audiowaveform JSON format (version 2), plus optional per-pixel band energies. */
export interface WaveformData {
  version: number;
  channels: number;
  sample_rate: number;
  samples_per_pixel: number;
  bits: number;
  length: number;
  data: number[];
  [extra: string]: unknown;
}

export type WaveformResponse =
  | { asset_id: string; status: 'ready'; waveform: WaveformData }
  | { status: 'processing'; job_id: string; progress: number | null }
  | { status: 'failed'; error: ErrorInfo };

export type PreviewStatus = 'none' | 'processing' | 'ready' | 'failed' | 'stale';

export interface ProxyPreview {
  status: PreviewStatus;
  url?: string | null;
  revision?: number | null;
  progress?: number | null;
  error?: ErrorInfo | null;
}

export type TrackKind = 'video' | 'audio';

export interface Clip {
  id: string;
  asset_id: string;
  start: number;
  in: number;
  out: number;
  volume?: number;
  muted?: boolean;
  /** Seconds of fade at the clip's start and end, on its sound. */
  fade_in?: number;
  fade_out?: number;
}

export interface Track {
  id: string;
  kind: TrackKind;
  clips: Clip[];
  /** Its sound is not heard. */
  muted?: boolean;
  /** When any track is solo, only solo tracks are heard. */
  solo?: boolean;
}

export interface TimelineContent {
  name: string;
  width: number;
  height: number;
  fps: number;
  tracks: Track[];
}

export interface SavedTimeline extends TimelineContent {
  timeline_id: string;
  revision: number;
  proxy_preview?: ProxyPreview | null;
}

export interface ProxyState {
  status: 'none' | 'processing' | 'ready' | 'failed' | 'stale';
  url?: string | null;
  job_id?: string | null;
  progress?: number | null;
  cached?: boolean;
  error?: ErrorInfo | null;
}

export interface Job {
  job_id: string;
  type: string;
  status: 'queued' | 'processing' | 'ready' | 'failed' | 'cancelled';
  progress: number | null;
  error?: ErrorInfo | null;
}

/** An error answer of the server (or of the network), with the contract's error object. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = info.code;
    this.details = info.details ?? [];
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiResult<T> {
  status: number;
  body: T;
  /** Seconds from Retry-After, when the server sent one. */
  retryAfter: number | null;
}

/** Calls the API; any status >= 400 or network failure becomes an ApiError. */
export async function call<T>(fetchFn: FetchLike, method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetchFn(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { code: 'network', message: `The server could not be reached (${(e as Error).message}).` });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, errorInfoOf(parsed, response.status));
  }
  const retry = Number(response.headers.get('Retry-After'));
  return { status: response.status, body: parsed as T, retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
}

export function errorInfoOf(body: unknown, status: number): ErrorInfo {
  const error = (body as { error?: ErrorInfo } | null)?.error;
  if (error && typeof error.message === 'string') {
    return { code: String(error.code ?? 'error'), message: error.message, details: error.details ?? [] };
  }
  return { code: `http_${status}`, message: `The server answered ${status}.` };
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, { code: 'client', message: e instanceof Error ? e.message : String(e) });
}

export const paths = {
  assets: '/api/media/video-assets',
  asset: (id: string) => `/api/media/video-assets/${encodeURIComponent(id)}`,
  waveform: (id: string) => `/api/media/video-assets/${encodeURIComponent(id)}/waveform`,
  thumbnails: (id: string) => `/api/media/video-assets/${encodeURIComponent(id)}/thumbnails`,
  timelines: '/api/generate/video/timeline',
  timeline: (id: string) => `/api/generate/video/timeline/${encodeURIComponent(id)}`,
  proxy: (id: string) => `/api/generate/video/timeline/${encodeURIComponent(id)}/proxy`,
  job: (id: string) => `/api/jobs/${encodeURIComponent(id)}`,
};

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** Minimal XMLHttpRequest surface used for uploads (XHR, unlike fetch, reports upload progress). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export function uploadFile(
  makeXhr: () => XhrLike,
  file: Blob,
  filename: string,
  onProgress: (p: UploadProgress) => void,
): { promise: Promise<Asset>; abort: () => void } {
  const xhr = makeXhr();
  const promise = new Promise<Asset>((resolve, reject) => {
    xhr.open('POST', paths.assets);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) {
        resolve(parsed as Asset);
      } else {
        reject(new ApiError(xhr.status, errorInfoOf(parsed, xhr.status)));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { code: 'network', message: 'The upload failed: the server could not be reached.' }));
    xhr.onabort = () => reject(new ApiError(0, { code: 'aborted', message: 'The upload was cancelled.' }));
    const form = new FormData();
    form.append('file', file, filename);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
