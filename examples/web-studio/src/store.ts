// The studio's state: assets, waveforms per asset, the timeline and its proxy preview. It talks
// only to the HTTP contract (src/api.ts); the components read it and call its actions.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import {
  ApiError,
  asApiError,
  call,
  paths,
  uploadFile,
  type Asset,
  type ErrorDetail,
  type ErrorInfo,
  type ApiResult,
  type FetchLike,
  type Job,
  type ProxyState,
  type SavedTimeline,
  type TimelineContent,
  type TrackKind,
  type WaveformData,
  type WaveformResponse,
  type XhrLike,
} from './api';
import {
  IMAGE_SECONDS,
  clipEnd,
  contentKey,
  emptyTimeline,
  findClip,
  newId,
  placeWithoutOverlap,
  sourceLength,
  trackKindFor,
  trimmed,
  withClip,
} from './timeline-model';

export type WaveformEntry =
  | { status: 'loading' }
  | { status: 'processing'; progress: number | null; jobId: string | null }
  | { status: 'ready'; waveform: WaveformData; source: 'server' | 'local' }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'no_audio'; error: ErrorInfo };

export interface UploadEntry {
  id: string;
  filename: string;
  loaded: number;
  total: number;
  status: 'uploading' | 'failed';
  error?: ErrorInfo;
}

/** The proxy as the page shows it. {@code url} is the last ready render, kept while a new one renders. */
export interface ProxyView {
  status: 'none' | 'processing' | 'ready' | 'failed' | 'stale';
  url: string | null;
  /** contentKey() of the timeline that {@code url} shows. */
  contentKey: string | null;
  progress: number | null;
  jobId: string | null;
  error: ErrorInfo | null;
  /**
   * While rendering: the live HLS stream of the render (it grows in playback order and ends), and
   * the timeline second its time 0 stands for (0, or where a seek asked it to start).
   */
  stream?: LiveStream | null;
}

/** The live stream of a running render. */
export interface LiveStream {
  url: string;
  start: number;
}

/** The proxy answers with the live stream fields of the contract additions. */
type LiveProxyState = ProxyState & { stream_url?: string | null; stream_start?: number | null };

export interface SaveView {
  status: 'unsaved' | 'saving' | 'saved' | 'invalid' | 'failed';
  error: ErrorInfo | null;
  /** 422 details, each naming the JSON path of the problem. */
  details: ErrorDetail[];
}

export interface EditableTimeline extends TimelineContent {
  timeline_id: string | null;
  revision: number | null;
}

export interface StudioState {
  assets: Asset[];
  assetsStatus: 'idle' | 'loading' | 'ready' | 'failed';
  assetsError: ErrorInfo | null;
  uploads: UploadEntry[];
  waveforms: Record<string, WaveformEntry>;
  timeline: EditableTimeline;
  save: SaveView;
  proxy: ProxyView;
  /** Seconds on the timeline, shared by the preview video and the timeline. */
  playhead: number;
  /** Pixels per second of the timeline. */
  zoom: number;
  selectedClipId: string | null;
  /** The last error of an action that has no better place to show it. */
  notice: ErrorInfo | null;

  loadAssets(): Promise<void>;
  uploadFiles(files: File[]): Promise<void>;
  dismissUpload(id: string): void;
  cancelUpload(id: string): void;
  deleteAsset(assetId: string): Promise<void>;

  ensureWaveform(assetId: string): Promise<void>;
  retryWaveform(assetId: string): Promise<void>;
  setLocalWaveform(assetId: string, waveform: WaveformData): void;

  addClip(assetId: string, opts?: { trackId?: string; start?: number }): string | null;
  moveClip(clipId: string, start: number, trackId?: string): void;
  trimClip(clipId: string, edge: 'start' | 'end', time: number): void;
  removeClip(clipId: string): void;
  setClipAudio(clipId: string, audio: { volume?: number; muted?: boolean }): void;
  addTrack(kind: TrackKind): void;
  renameTimeline(name: string): void;
  setFormat(format: { width?: number; height?: number; fps?: number }): void;
  selectClip(clipId: string | null): void;
  setPlayhead(seconds: number): void;
  setZoom(pxPerSecond: number): void;
  dismissNotice(): void;

  saveTimeline(): Promise<SavedTimeline>;
  loadTimeline(timelineId: string): Promise<void>;
  requestProxyPreview(opts?: { force?: boolean }): Promise<string>;
  /**
   * While a render runs: asks it to render the part from {@code seconds} first and switches the
   * live stream to one that plays that moment once its first segment exists.
   */
  seekLiveStream(seconds: number): Promise<void>;
}

export interface StudioDeps {
  fetch: FetchLike;
  makeXhr: () => XhrLike;
  sleep: (ms: number) => Promise<void>;
  /** Where the id of the timeline being edited is remembered across reloads (optional). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

export const ZOOM_MIN = 10;
export const ZOOM_MAX = 400;
const STORAGE_KEY = 'videostudio.timeline_id';

/** Wait between polls: the server's Retry-After (seconds), kept between 0.25 and 5 s. */
function pollDelay(retryAfter: number | null, fallbackMs: number): number {
  const ms = retryAfter != null ? retryAfter * 1000 : fallbackMs;
  return Math.min(5000, Math.max(250, ms));
}

const noProxy: ProxyView = { status: 'none', url: null, contentKey: null, progress: null, jobId: null, error: null, stream: null };

/** Polls while waiting for a live stream's first segment: it should come within a second. */
const STREAM_POLL_MS = 200;
const STREAM_POLLS = 50;

function streamOf(state: LiveProxyState): LiveStream | null {
  return state.status === 'processing' && state.stream_url ? { url: state.stream_url, start: state.stream_start ?? 0 } : null;
}

export function createVideoStudioStore(deps: StudioDeps): UseBoundStore<StoreApi<StudioState>> {
  const { fetch: fetchFn, sleep } = deps;
  // One poll loop per asset: a newer load (retry, delete) makes older loops stop.
  const waveformGeneration = new Map<string, number>();
  const uploadAborts = new Map<string, () => void>();
  let saving: Promise<SavedTimeline> | null = null;
  let proxySeq = 0;
  let proxyInFlight: { key: string; force: boolean; promise: Promise<string> } | null = null;
  let seekSeq = 0;

  return create<StudioState>()((set, get) => {
    /** Applies a timeline edit: unsaved, and the proxy becomes stale when it no longer shows it. */
    const edit = (next: TimelineContent) => {
      const timeline = { ...get().timeline, ...next };
      set({ timeline, save: { ...get().save, status: 'unsaved' }, proxy: proxyFor(get().proxy, contentKey(timeline)) });
    };

    const proxyFor = (proxy: ProxyView, key: string): ProxyView => {
      if (proxy.status === 'ready' && proxy.contentKey !== key) return { ...proxy, status: 'stale' };
      if (proxy.status === 'stale' && proxy.contentKey === key) return { ...proxy, status: 'ready' };
      return proxy;
    };

    const setWaveform = (assetId: string, entry: WaveformEntry) =>
      set({ waveforms: { ...get().waveforms, [assetId]: entry } });

    const followWaveform = async (assetId: string, generation: number, first: () => Promise<unknown>) => {
      const current = () => waveformGeneration.get(assetId) === generation;
      let request = first;
      for (;;) {
        let answer;
        try {
          answer = (await request()) as Awaited<ReturnType<typeof call<WaveformResponse>>>;
        } catch (e) {
          if (!current()) return;
          const err = asApiError(e);
          if (err.status === 422 && err.code === 'no_audio') setWaveform(assetId, { status: 'no_audio', error: err.toInfo() });
          else setWaveform(assetId, { status: 'failed', error: err.toInfo() });
          return;
        }
        if (!current()) return;
        const body = answer.body;
        if (body?.status === 'ready' && body.waveform) {
          setWaveform(assetId, { status: 'ready', waveform: body.waveform, source: 'server' });
          return;
        }
        if (body?.status === 'failed') {
          setWaveform(assetId, { status: 'failed', error: body.error ?? { code: 'failed', message: 'The waveform could not be computed.' } });
          return;
        }
        if (body?.status !== 'processing') {
          setWaveform(assetId, { status: 'failed', error: { code: 'bad_response', message: 'The server sent an answer the page does not understand.' } });
          return;
        }
        setWaveform(assetId, { status: 'processing', progress: body.progress ?? null, jobId: body.job_id ?? null });
        await sleep(pollDelay(answer.retryAfter, 1000));
        if (!current()) return;
        request = () => call<WaveformResponse>(fetchFn, 'GET', paths.waveform(assetId));
      }
    };

    const startWaveform = (assetId: string, first: () => Promise<unknown>) => {
      const generation = (waveformGeneration.get(assetId) ?? 0) + 1;
      waveformGeneration.set(assetId, generation);
      setWaveform(assetId, { status: 'loading' });
      return followWaveform(assetId, generation, first);
    };

    const adoptSaved = (saved: SavedTimeline, sentKey: string) => {
      const { timeline, proxy } = get();
      const stillSame = contentKey(timeline) === sentKey;
      let nextProxy = proxy;
      // A proxy the server already has for this content (after a reload, or rendered elsewhere).
      const p = saved.proxy_preview;
      if (p?.url && proxy.status === 'none') {
        if (p.status === 'ready') nextProxy = { ...noProxy, status: 'ready', url: p.url, contentKey: sentKey };
        // an earlier edit's proxy: playable, but it is not known which content it shows
        else if (p.status === 'stale') nextProxy = { ...noProxy, status: 'stale', url: p.url };
      }
      set({
        timeline: { ...timeline, timeline_id: saved.timeline_id, revision: saved.revision },
        save: { status: stillSame ? 'saved' : 'unsaved', error: null, details: [] },
        proxy: proxyFor(nextProxy, contentKey(timeline)),
      });
      deps.storage?.setItem(STORAGE_KEY, saved.timeline_id);
    };

    const doSave = async (): Promise<SavedTimeline> => {
      const { timeline } = get();
      const key = contentKey(timeline);
      const body = {
        ...(timeline.timeline_id ? { timeline_id: timeline.timeline_id } : {}),
        name: timeline.name,
        width: timeline.width,
        height: timeline.height,
        fps: timeline.fps,
        tracks: timeline.tracks.map((t) => ({ ...t, clips: [...t.clips].sort((a, b) => a.start - b.start) })),
      };
      set({ save: { ...get().save, status: 'saving' } });
      try {
        const { body: saved } = await call<SavedTimeline>(fetchFn, 'POST', paths.timelines, body);
        adoptSaved(saved, key);
        return saved;
      } catch (e) {
        const err = asApiError(e);
        set({ save: { status: err.status === 422 ? 'invalid' : 'failed', error: err.toInfo(), details: err.details } });
        throw err;
      }
    };

    /**
     * Follows the render job (not the timeline's proxy state: after an edit that state describes the
     * newer content, while this job still renders the older one), then reads the proxy's URL.
     */
    const followProxyJob = async (seq: number, timelineId: string, key: string, first: ApiResult<ProxyState>): Promise<string> => {
      const mine = () => seq === proxySeq;
      const progress = (p: number | null | undefined, jobId: string | null) => {
        if (mine()) set({ proxy: { ...get().proxy, status: 'processing', progress: p ?? null, jobId, error: null } });
      };
      const liveStream = (stream: LiveStream | null) => {
        if (mine() && stream && !get().proxy.stream) set({ proxy: { ...get().proxy, stream } });
      };
      const fail = (error: ErrorInfo, status = 200): never => {
        if (mine()) set({ proxy: { ...get().proxy, status: 'failed', progress: null, jobId: null, error, stream: null } });
        throw new ApiError(status, error);
      };
      const ready = (url: string) => {
        if (mine()) set({ proxy: proxyFor({ ...noProxy, status: 'ready', url, contentKey: key }, contentKey(get().timeline)) });
        return url;
      };
      let state = first.body;
      if (state.status === 'ready' && state.url) return ready(state.url);
      if (state.status !== 'processing' || !state.job_id) {
        return fail(state.error ?? { code: 'failed', message: 'The server did not start a render.' });
      }
      const jobId = state.job_id;
      progress(state.progress, jobId);
      liveStream(streamOf(state));
      let wait = pollDelay(first.retryAfter, 1000);
      // Until the live stream shows up (its first segment, within about a second) the proxy state is
      // polled often; not when it names no stream for long or describes another job (then the job
      // is followed as before).
      let streamPolls = get().proxy.stream ? 0 : STREAM_POLLS;
      for (;;) {
        if (streamPolls > 0 && !get().proxy.stream && mine()) {
          streamPolls--;
          await sleep(STREAM_POLL_MS);
          try {
            const s = (await call<LiveProxyState>(fetchFn, 'GET', paths.proxy(timelineId))).body;
            if (s.status === 'processing' && s.job_id === jobId) {
              liveStream(streamOf(s));
              progress(s.progress, jobId);
              continue;
            }
          } catch {
            // the job poll below reports errors
          }
          streamPolls = 0;
        } else {
          await sleep(wait);
        }
        let job: ApiResult<Job>;
        try {
          job = await call<Job>(fetchFn, 'GET', paths.job(jobId));
        } catch (e) {
          const err = asApiError(e);
          return fail(err.toInfo(), err.status);
        }
        wait = pollDelay(job.retryAfter, 1000);
        const j = job.body;
        if (j.status === 'queued' || j.status === 'processing') {
          progress(j.progress, jobId);
          continue;
        }
        if (j.status === 'failed') return fail(j.error ?? { code: 'failed', message: 'The preview could not be rendered.' });
        if (j.status === 'cancelled') return fail({ code: 'cancelled', message: 'The render was cancelled: the timeline changed while it ran.' });
        break;
      }
      // Done: the proxy file is this render (ready), or the last render before a newer edit (stale).
      try {
        state = (await call<ProxyState>(fetchFn, 'GET', paths.proxy(timelineId))).body;
      } catch (e) {
        const err = asApiError(e);
        return fail(err.toInfo(), err.status);
      }
      if ((state.status === 'ready' || state.status === 'stale') && state.url) return ready(state.url);
      return fail(state.error ?? { code: 'failed', message: 'The render finished but the server has no preview.' });
    };

    const render = async (key: string, force: boolean): Promise<string> => {
      const seq = ++proxySeq;
      const before = get().proxy;
      set({ proxy: { ...before, status: 'processing', progress: 0, error: null } });
      try {
        let saved = get().timeline;
        if (get().save.status !== 'saved' || !saved.timeline_id) {
          const s = await get().saveTimeline();
          saved = { ...saved, timeline_id: s.timeline_id };
        }
        set({ proxy: { ...get().proxy, stream: null } });
        const answer = await call<ProxyState>(fetchFn, 'POST', paths.proxy(saved.timeline_id!), { force });
        return await followProxyJob(seq, saved.timeline_id!, key, answer);
      } catch (e) {
        const err = asApiError(e);
        if (seq === proxySeq && get().proxy.status === 'processing') {
          set({ proxy: { ...get().proxy, status: 'failed', progress: null, jobId: null, error: err.toInfo() } });
        }
        throw err;
      }
    };

    return {
      assets: [],
      assetsStatus: 'idle',
      assetsError: null,
      uploads: [],
      waveforms: {},
      timeline: { ...emptyTimeline(), timeline_id: null, revision: null },
      save: { status: 'unsaved', error: null, details: [] },
      proxy: noProxy,
      playhead: 0,
      zoom: 60,
      selectedClipId: null,
      notice: null,

      async loadAssets() {
        set({ assetsStatus: 'loading', assetsError: null });
        try {
          const { body } = await call<Asset[] | { assets?: Asset[]; items?: Asset[] }>(fetchFn, 'GET', paths.assets);
          const list = Array.isArray(body) ? body : (body?.assets ?? body?.items ?? []);
          set({ assets: [...list].sort((a, b) => b.created_at.localeCompare(a.created_at)), assetsStatus: 'ready' });
        } catch (e) {
          set({ assetsStatus: 'failed', assetsError: asApiError(e).toInfo() });
        }
      },

      async uploadFiles(files) {
        await Promise.all(
          files.map(async (file) => {
            const id = newId('up');
            const patch = (p: Partial<UploadEntry>) =>
              set({ uploads: get().uploads.map((u) => (u.id === id ? { ...u, ...p } : u)) });
            set({ uploads: [...get().uploads, { id, filename: file.name, loaded: 0, total: file.size, status: 'uploading' }] });
            try {
              const upload = uploadFile(deps.makeXhr, file, file.name, (p) => patch({ loaded: p.loaded, total: p.total }));
              uploadAborts.set(id, upload.abort);
              const asset = await upload.promise;
              set({
                uploads: get().uploads.filter((u) => u.id !== id),
                assets: [asset, ...get().assets.filter((a) => a.asset_id !== asset.asset_id)],
              });
            } catch (e) {
              const err = asApiError(e);
              if (err.code === 'aborted') set({ uploads: get().uploads.filter((u) => u.id !== id) });
              else patch({ status: 'failed', error: err.toInfo() });
            } finally {
              uploadAborts.delete(id);
            }
          }),
        );
      },

      cancelUpload(id) {
        uploadAborts.get(id)?.();
      },

      dismissUpload(id) {
        set({ uploads: get().uploads.filter((u) => u.id !== id) });
      },

      async deleteAsset(assetId) {
        const used = get().timeline.tracks.some((t) => t.clips.some((c) => c.asset_id === assetId));
        if (used) {
          set({ notice: { code: 'in_use', message: 'Remove this asset’s clips from the timeline before deleting it.' } });
          return;
        }
        try {
          await call(fetchFn, 'DELETE', paths.asset(assetId));
          waveformGeneration.set(assetId, (waveformGeneration.get(assetId) ?? 0) + 1);
          const { [assetId]: _gone, ...waveforms } = get().waveforms;
          set({ assets: get().assets.filter((a) => a.asset_id !== assetId), waveforms });
        } catch (e) {
          set({ notice: asApiError(e).toInfo() });
        }
      },

      ensureWaveform(assetId) {
        const entry = get().waveforms[assetId];
        if (entry) return Promise.resolve();
        return startWaveform(assetId, () => call<WaveformResponse>(fetchFn, 'GET', paths.waveform(assetId)));
      },

      retryWaveform(assetId) {
        return startWaveform(assetId, () => call<WaveformResponse>(fetchFn, 'POST', paths.waveform(assetId)));
      },

      setLocalWaveform(assetId, waveform) {
        waveformGeneration.set(assetId, (waveformGeneration.get(assetId) ?? 0) + 1);
        setWaveform(assetId, { status: 'ready', waveform, source: 'local' });
      },

      addClip(assetId, opts = {}) {
        const asset = get().assets.find((a) => a.asset_id === assetId);
        if (!asset) return null;
        const { timeline } = get();
        const kind = trackKindFor(asset);
        const track =
          timeline.tracks.find((t) => t.id === opts.trackId && t.kind === kind) ?? timeline.tracks.find((t) => t.kind === kind);
        if (!track) return null;
        const length = asset.kind === 'image' ? IMAGE_SECONDS : (asset.duration_s ?? IMAGE_SECONDS);
        const desired = opts.start ?? Math.max(0, ...track.clips.map(clipEnd));
        const clip = {
          id: newId('clip'),
          asset_id: assetId,
          start: placeWithoutOverlap(track.clips, length, desired),
          in: 0,
          out: Math.round(length * 1000) / 1000,
        };
        edit({ ...timeline, tracks: timeline.tracks.map((t) => (t.id === track.id ? { ...t, clips: [...t.clips, clip].sort((a, b) => a.start - b.start) } : t)) });
        set({ selectedClipId: clip.id });
        return clip.id;
      },

      moveClip(clipId, start, trackId) {
        const { timeline } = get();
        const found = findClip(timeline, clipId);
        if (!found) return;
        const target = timeline.tracks.find((t) => t.id === (trackId ?? found.track.id));
        if (!target || target.kind !== found.track.kind) return;
        const others = target.clips.filter((c) => c.id !== clipId);
        const placed = placeWithoutOverlap(others, found.clip.out - found.clip.in, start);
        if (placed === found.clip.start && target.id === found.track.id) return;
        edit(withClip(timeline, clipId, { ...found.clip, start: placed }, target.id));
      },

      trimClip(clipId, edge, time) {
        const { timeline, assets } = get();
        const found = findClip(timeline, clipId);
        if (!found) return;
        const asset = assets.find((a) => a.asset_id === found.clip.asset_id);
        const next = trimmed(found.track, found.clip, edge, time, sourceLength(asset));
        if (next.start === found.clip.start && next.in === found.clip.in && next.out === found.clip.out) return;
        edit(withClip(timeline, clipId, next));
      },

      removeClip(clipId) {
        const { timeline } = get();
        edit({ ...timeline, tracks: timeline.tracks.map((t) => ({ ...t, clips: t.clips.filter((c) => c.id !== clipId) })) });
        if (get().selectedClipId === clipId) set({ selectedClipId: null });
      },

      setClipAudio(clipId, audio) {
        const found = findClip(get().timeline, clipId);
        if (!found) return;
        edit(withClip(get().timeline, clipId, { ...found.clip, ...audio }));
      },

      addTrack(kind) {
        const { timeline } = get();
        const n = timeline.tracks.filter((t) => t.kind === kind).length + 1;
        let id = `${kind === 'video' ? 'v' : 'a'}${n}`;
        while (timeline.tracks.some((t) => t.id === id)) id = `${id}x`;
        edit({ ...timeline, tracks: [...timeline.tracks, { id, kind, clips: [] }] });
      },

      renameTimeline(name) {
        set({ timeline: { ...get().timeline, name }, save: { ...get().save, status: 'unsaved' } });
      },

      setFormat(format) {
        edit({ ...get().timeline, ...format });
      },

      selectClip(clipId) {
        set({ selectedClipId: clipId });
      },

      setPlayhead(seconds) {
        set({ playhead: Math.max(0, seconds) });
      },

      setZoom(pxPerSecond) {
        set({ zoom: Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, pxPerSecond)) });
      },

      dismissNotice() {
        set({ notice: null });
      },

      async saveTimeline() {
        // Saves run one at a time so that a first save's id is used by the next one.
        while (saving) {
          try {
            await saving;
          } catch {
            // the next save reports its own error
          }
        }
        const { save, timeline } = get();
        if (save.status === 'saved' && timeline.timeline_id) {
          return { ...timeline, timeline_id: timeline.timeline_id, revision: timeline.revision ?? 0 };
        }
        saving = doSave();
        try {
          return await saving;
        } finally {
          saving = null;
        }
      },

      async loadTimeline(timelineId) {
        try {
          const { body } = await call<SavedTimeline>(fetchFn, 'GET', paths.timeline(timelineId));
          const content: TimelineContent = { name: body.name, width: body.width, height: body.height, fps: body.fps, tracks: body.tracks ?? [] };
          set({ timeline: { ...content, timeline_id: body.timeline_id, revision: body.revision }, proxy: noProxy });
          adoptSaved(body, contentKey(content));
          // A render was running when the page was left: join it (the server joins, never restarts).
          if (body.proxy_preview?.status === 'processing') get().requestProxyPreview().catch(() => undefined);
        } catch (e) {
          const err = asApiError(e);
          if (err.status === 404) deps.storage?.removeItem(STORAGE_KEY);
          else set({ notice: err.toInfo() });
        }
      },

      requestProxyPreview(opts = {}) {
        const force = !!opts.force;
        const { timeline, proxy } = get();
        const key = contentKey(timeline);
        if (!timeline.tracks.some((t) => t.clips.length > 0)) {
          const err = new ApiError(0, { code: 'empty_timeline', message: 'Add a clip to the timeline first.' });
          set({ proxy: { ...proxy, status: proxy.url ? proxy.status : 'failed', error: err.toInfo() } });
          return Promise.reject(err);
        }
        // The cache: the proxy already shows exactly this timeline, no call to the server.
        if (!force && proxy.status === 'ready' && proxy.contentKey === key && proxy.url) return Promise.resolve(proxy.url);
        if (proxyInFlight && proxyInFlight.key === key && (proxyInFlight.force || !force)) return proxyInFlight.promise;
        const promise = render(key, force);
        const entry = { key, force, promise };
        proxyInFlight = entry;
        const clear = () => {
          if (proxyInFlight === entry) proxyInFlight = null;
        };
        promise.then(clear, clear);
        return promise;
      },

      async seekLiveStream(seconds: number) {
        const { timeline, proxy } = get();
        const id = timeline.timeline_id;
        // only for the render of the timeline as it is: a POST for edited content would start another
        if (proxy.status !== 'processing' || !id || !proxyInFlight || proxyInFlight.key !== contentKey(timeline)) return;
        const seq = ++seekSeq;
        const from = Math.max(0, seconds);
        while (seq === seekSeq && get().proxy.status === 'processing') {
          let state: LiveProxyState;
          try {
            state = (await call<LiveProxyState>(fetchFn, 'POST', paths.proxy(id), { force: false, from })).body;
          } catch {
            return;
          }
          const stream = streamOf(state);
          if (state.status !== 'processing' || (stream && seq !== seekSeq)) return;
          if (stream && get().proxy.status === 'processing') {
            const now = get().proxy.stream;
            if (!now || now.url !== stream.url) set({ proxy: { ...get().proxy, stream } });
            return;
          }
          await sleep(STREAM_POLL_MS);
        }
      },
    };
  });
}

/** The remembered timeline id (if any) of the last session. */
export function rememberedTimelineId(storage: StudioDeps['storage']): string | null {
  return storage?.getItem(STORAGE_KEY) ?? null;
}

const browser = typeof window !== 'undefined';

export const useVideoStudioStore = createVideoStudioStore({
  fetch: (input, init) => fetch(input, init),
  makeXhr: () => new XMLHttpRequest() as unknown as XhrLike,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  storage: browser ? window.localStorage : null,
});
