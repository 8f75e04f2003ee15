// The studio's state: assets, waveforms per asset, the timeline and its proxy preview. It talks
// only to the HTTP contract (src/api.ts); the components read it and call its actions.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import {
  ApiError,
  asApiError,
  call,
  paths,
  type Asset,
  type ErrorDetail,
  type ErrorInfo,
  type ApiResult,
  type FetchLike,
  type Job,
  type ProxyState,
  type SavedTimeline,
  type TimelineContent,
  type WaveformData,
  type EventSourceLike,
} from './api';
import { contentKey, emptyTimeline, newId } from './timeline-model';
import { editingSlice, noHistory, type EditingSlice } from './editing-slice';
import { projectsSlice, type ProjectsSlice } from './projects-slice';
import { thumbnailsSlice, type ThumbnailsSlice } from './thumbnails-slice';
import { fetchWaveform, parseTile, tileKey, tileUrl, type Tile, type WaveformAnswer } from './waveform-tiles';
import { tusUploader, type Uploader } from './uploads';
import { fetchEvents } from './job-events';

export type WaveformEntry =
  | { status: 'loading' }
  | { status: 'processing'; progress: number | null; jobId: string | null }
  | { status: 'ready'; waveform: WaveformData; source: 'server' | 'local' }
  /** Ready on the server, drawn from tiles ({@code tileOf}), fetched as the view needs them. */
  | { status: 'ready'; waveform: null; source: 'tiles' }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'no_audio'; error: ErrorInfo };

/** One tile of one level of an asset's waveform. */
export interface TileRef {
  level: number;
  index: number;
  sampleRate: number;
}

export interface UploadEntry {
  id: string;
  filename: string;
  loaded: number;
  total: number;
  /** Set when the upload resumed one a reload interrupted: bytes the server already had. */
  resumedFrom?: number;
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

/** What the keyboard and the transport ask of the preview's player (registered by the preview). */
export interface PlayerControls {
  /** Plays from the playhead (from the start when it is at or past the end) or pauses. */
  toggle(): void;
  play(rate?: number): void;
  pause(): void;
  playing(): boolean;
}

export interface StudioState extends EditingSlice, ProjectsSlice, ThumbnailsSlice {
  assets: Asset[];
  assetsStatus: 'idle' | 'loading' | 'ready' | 'failed';
  assetsError: ErrorInfo | null;
  uploads: UploadEntry[];
  waveforms: Record<string, WaveformEntry>;
  /** Tiles fetched per asset: changes whenever one arrives (the tiles themselves: {@code tileOf}). */
  waveformTiles: Record<string, number>;
  timeline: EditableTimeline;
  save: SaveView;
  proxy: ProxyView;
  /** Seconds on the timeline, shared by the preview video and the timeline. */
  playhead: number;
  /** Pixels per second of the timeline. */
  zoom: number;
  /** True while the remembered timeline is being opened: the page shows it is opening, not an empty one. */
  opening: boolean;
  player: PlayerControls | null;
  /** The last error of an action that has no better place to show it. */
  notice: ErrorInfo | null;

  loadAssets(): Promise<void>;
  uploadFiles(files: File[]): Promise<void>;
  dismissUpload(id: string): void;
  cancelUpload(id: string): void;
  deleteAsset(assetId: string): Promise<void>;

  /** Follows an asset's waveform until ready or failed; with {@code first}, asks for that tile (the view's). */
  ensureWaveform(assetId: string, first?: TileRef): Promise<void>;
  retryWaveform(assetId: string, first?: TileRef): Promise<void>;
  /** Fetches the tiles of one level not fetched yet (a ready waveform). */
  loadWaveformTiles(assetId: string, level: number, indexes: number[], sampleRate: number): Promise<void>;
  tileOf(assetId: string, level: number, index: number): Tile | undefined;
  tilesOf(assetId: string): Tile[];
  setLocalWaveform(assetId: string, waveform: WaveformData): void;

  setPlayer(player: PlayerControls | null): void;
  setPlayhead(seconds: number): void;
  setZoom(pxPerSecond: number): void;
  dismissNotice(): void;

  saveTimeline(): Promise<SavedTimeline>;
  loadTimeline(timelineId: string): Promise<void>;
  /** Saves the current timeline (when it has changes), then opens another one. */
  openTimeline(timelineId: string): Promise<void>;
  /** Starts an empty timeline (after saving the current one, unless {@code discard}). */
  newTimeline(opts?: { discard?: boolean }): Promise<void>;
  requestProxyPreview(opts?: { force?: boolean }): Promise<string>;
  /** Cancels the running render (DELETE on its job); the previous preview stays. */
  cancelRender(): Promise<void>;
  /**
   * While a render runs: asks it to render the part from {@code seconds} first and switches the
   * live stream to one that plays that moment once its first segment exists.
   */
  seekLiveStream(seconds: number): Promise<void>;
}

export interface StudioDeps {
  fetch: FetchLike;
  /** Opens a job's server-sent events; without it (or when the stream fails) jobs are polled. */
  events?: ((url: string) => EventSourceLike) | null;
  /** Sends one file and resolves with its asset (tus in the browser). */
  upload: Uploader;
  sleep: (ms: number) => Promise<void>;
  /** Where the id of the timeline being edited is remembered across reloads (optional). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

/** Lowest zoom: an hour fits in about 1800 px. */
export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 400;
const STORAGE_KEY = 'videostudio.timeline_id';

/** Wait between polls: the server's Retry-After (seconds), kept between 0.25 and 5 s. */
function pollDelay(retryAfter: number | null, fallbackMs: number): number {
  const ms = retryAfter != null ? retryAfter * 1000 : fallbackMs;
  return Math.min(5000, Math.max(250, ms));
}

const noProxy: ProxyView = { status: 'none', url: null, contentKey: null, progress: null, jobId: null, error: null, stream: null };

/**
 * Polls while waiting for a live stream's first segment, when the POST's answer (which waits up to
 * 1.5 s for it on the server) came without it: a cheap GET, so often (10 s at most).
 */
const STREAM_POLL_MS = 100;
const STREAM_POLLS = 100;

function streamOf(state: LiveProxyState): LiveStream | null {
  return state.status === 'processing' && state.stream_url ? { url: state.stream_url, start: state.stream_start ?? 0 } : null;
}

export function createVideoStudioStore(deps: StudioDeps): UseBoundStore<StoreApi<StudioState>> {
  const { fetch: fetchFn, sleep } = deps;
  // One poll loop per asset: a newer load (retry, delete) makes older loops stop.
  const waveformGeneration = new Map<string, number>();
  // Waveform tiles per asset (by tileKey) and the ones being fetched: kept out of the state, which
  // only counts them, so that a tile arriving does not copy every other.
  const tiles = new Map<string, Map<string, Tile>>();
  const tilesInFlight = new Set<string>();
  const uploadAborts = new Map<string, () => void>();
  let saving: Promise<SavedTimeline> | null = null;
  let proxySeq = 0;
  let proxyInFlight: { key: string; force: boolean; promise: Promise<string> } | null = null;
  let seekSeq = 0;

  return create<StudioState>()((set, get) => {
    /** Applies a timeline edit: unsaved, and the proxy becomes stale when it no longer shows it. */
    const apply = (next: TimelineContent) => {
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

    const addTile = (assetId: string, tile: Tile) => {
      let map = tiles.get(assetId);
      if (!map) tiles.set(assetId, (map = new Map()));
      map.set(tileKey(tile.level, tile.index), tile);
      set({ waveformTiles: { ...get().waveformTiles, [assetId]: map.size } });
    };

    const followWaveform = async (assetId: string, generation: number, first: () => Promise<WaveformAnswer>, again: () => Promise<WaveformAnswer>, tile?: TileRef) => {
      const current = () => waveformGeneration.get(assetId) === generation;
      let request = first;
      for (;;) {
        let answer: WaveformAnswer;
        try {
          answer = await request();
        } catch (e) {
          if (!current()) return;
          const err = asApiError(e);
          if (err.status === 422 && err.code === 'no_audio') setWaveform(assetId, { status: 'no_audio', error: err.toInfo() });
          else setWaveform(assetId, { status: 'failed', error: err.toInfo() });
          return;
        }
        if (!current()) return;
        if (answer.kind === 'tile') {
          try {
            if (tile) addTile(assetId, parseTile(answer.buffer, tile.level, tile.index));
            setWaveform(assetId, { status: 'ready', waveform: null, source: 'tiles' });
          } catch (e) {
            setWaveform(assetId, { status: 'failed', error: { code: 'bad_response', message: (e as Error).message } });
          }
          return;
        }
        const body = answer.result.body;
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
        await sleep(pollDelay(answer.result.retryAfter, 1000));
        if (!current()) return;
        request = again;
      }
    };

    const startWaveform = (assetId: string, method: 'GET' | 'POST', tile?: TileRef) => {
      const generation = (waveformGeneration.get(assetId) ?? 0) + 1;
      waveformGeneration.set(assetId, generation);
      setWaveform(assetId, { status: 'loading' });
      const url = tile ? tileUrl(paths.waveform(assetId), tile.level, tile.index, tile.sampleRate) : paths.waveform(assetId);
      return followWaveform(assetId, generation, () => fetchWaveform(fetchFn, method, url), () => fetchWaveform(fetchFn, 'GET', url), tile);
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
      // Until the live stream shows up (its first segment, within about a second) the proxy state is
      // polled often; not when it names no stream for long or describes another job.
      const streamPoll = async (): Promise<boolean> => {
        await sleep(STREAM_POLL_MS);
        try {
          const s = (await call<LiveProxyState>(fetchFn, 'GET', paths.proxy(timelineId))).body;
          if (s.status === 'processing' && s.job_id === jobId) {
            liveStream(streamOf(s));
            progress(s.progress, jobId);
            return true;
          }
        } catch {
          // following the job reports errors
        }
        return false;
      };
      /** Without job events: the stream polls stand in for the job's first waits, then the job is polled. */
      const pollJob = async (): Promise<Job> => {
        let wait = pollDelay(first.retryAfter, 1000);
        let streamPolls = get().proxy.stream ? 0 : STREAM_POLLS;
        for (;;) {
          if (streamPolls > 0 && !get().proxy.stream && mine()) {
            streamPolls = (await streamPoll()) ? streamPolls - 1 : 0;
            if (streamPolls > 0) continue;
          } else {
            await sleep(wait);
          }
          const job = await call<Job>(fetchFn, 'GET', paths.job(jobId));
          wait = pollDelay(job.retryAfter, 1000);
          if (job.body.status === 'queued' || job.body.status === 'processing') {
            progress(job.body.progress, jobId);
            continue;
          }
          return job.body;
        }
      };
      /** With job events: the stream is looked for beside them until it shows up or the job ends. */
      const followEvents = async (): Promise<Job> => {
        let finished = false;
        void (async () => {
          for (let polls = STREAM_POLLS; polls > 0 && !finished && !get().proxy.stream && mine(); polls--) {
            if (!(await streamPoll())) return;
          }
        })();
        try {
          return await untilFinal(jobId, first.retryAfter, (p) => progress(p, jobId));
        } finally {
          finished = true;
        }
      };
      let j: Job;
      try {
        j = deps.events ? await followEvents() : await pollJob();
      } catch (e) {
        const err = asApiError(e);
        return fail(err.toInfo(), err.status);
      }
      if (j.status === 'failed') return fail(j.error ?? { code: 'failed', message: 'The preview could not be rendered.' });
      if (j.status === 'cancelled') {
        return fail(cancelledByUser.delete(jobId)
          ? { code: 'cancelled', message: 'The render was cancelled.' }
          : { code: 'cancelled', message: 'The render was cancelled: the timeline changed while it ran.' });
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

    /** Before another timeline replaces this one: its last edits reach the server (a failure is shown, not thrown). */
    const saveIfChanged = async () => {
      const { timeline, save } = get();
      const hasClips = timeline.tracks.some((t) => t.clips.length > 0);
      if (save.status === 'saved' || (!hasClips && !timeline.timeline_id)) return;
      await get().saveTimeline().catch(() => undefined);
    };

    /** Jobs the user cancelled (so the message says so rather than blaming an edit). */
    const cancelledByUser = new Set<string>();

    /** Polls a job until it is final, waiting what the server's Retry-After says. */
    const pollUntilFinal = async (jobId: string, retryAfter: number | null, onProgress: (p: number | null) => void): Promise<Job> => {
      let wait = pollDelay(retryAfter, 1000);
      for (;;) {
        await sleep(wait);
        const job = await call<Job>(fetchFn, 'GET', paths.job(jobId));
        wait = pollDelay(job.retryAfter, 1000);
        if (job.body.status === 'queued' || job.body.status === 'processing') {
          onProgress(job.body.progress);
          continue;
        }
        return job.body;
      }
    };

    /**
     * Follows a job through its server-sent events (a render shows as ready as soon as it is),
     * falling back to polling when there is no EventSource or the stream fails before the end.
     */
    const untilFinal = (jobId: string, retryAfter: number | null, onProgress: (p: number | null) => void): Promise<Job> => {
      if (!deps.events) return pollUntilFinal(jobId, retryAfter, onProgress);
      return new Promise<Job>((resolve, reject) => {
        let source: EventSourceLike;
        try {
          source = deps.events!(paths.jobEvents(jobId));
        } catch {
          pollUntilFinal(jobId, retryAfter, onProgress).then(resolve, reject);
          return;
        }
        let done = false;
        source.addEventListener('job', (e) => {
          if (done) return;
          let job: Job;
          try {
            job = JSON.parse(e.data) as Job;
          } catch {
            return;
          }
          if (job.status === 'queued' || job.status === 'processing') {
            onProgress(job.progress);
            return;
          }
          done = true;
          source.close();
          resolve(job);
        });
        source.onerror = () => {
          if (done) return;
          done = true;
          source.close();
          pollUntilFinal(jobId, retryAfter, onProgress).then(resolve, reject);
        };
      });
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
      waveformTiles: {},
      timeline: { ...emptyTimeline(), timeline_id: null, revision: null },
      save: { status: 'unsaved', error: null, details: [] },
      proxy: noProxy,
      playhead: 0,
      zoom: 60,
      opening: !!rememberedTimelineId(deps.storage),
      player: null,
      notice: null,
      ...editingSlice(set, get, { apply }),
      ...projectsSlice(set, get, fetchFn),
      ...thumbnailsSlice(set, get, fetchFn, (blob) => URL.createObjectURL(blob)),

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
              const upload = deps.upload(file, (p) =>
                patch({ loaded: p.loaded, total: p.total, ...(p.resumedFrom !== undefined ? { resumedFrom: p.resumedFrom } : {}) }),
              );
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
          // The server refuses to delete an asset a saved timeline uses: the removal of its last
          // clip must reach the server first.
          if (get().timeline.timeline_id && get().save.status !== 'saved') await get().saveTimeline();
          await call(fetchFn, 'DELETE', paths.asset(assetId));
          waveformGeneration.set(assetId, (waveformGeneration.get(assetId) ?? 0) + 1);
          tiles.delete(assetId);
          const { [assetId]: _gone, ...waveforms } = get().waveforms;
          set({ assets: get().assets.filter((a) => a.asset_id !== assetId), waveforms });
        } catch (e) {
          const err = asApiError(e);
          if (err.status === 409) {
            // The server names no timeline; the list of timelines does.
            const users = (await get().loadProjects()).filter((p) => p.asset_ids.includes(assetId)).map((p) => `“${p.name}”`);
            const which = users.length ? `the timeline${users.length > 1 ? 's' : ''} ${users.join(', ')}` : 'another timeline';
            set({ notice: { code: err.code, message: `This file is used by ${which}. Open it from Projects and remove its clips, or delete that timeline, then delete the file.` } });
          } else set({ notice: err.toInfo() });
        }
      },

      ensureWaveform(assetId, first) {
        const entry = get().waveforms[assetId];
        if (entry) return Promise.resolve();
        return startWaveform(assetId, 'GET', first);
      },

      retryWaveform(assetId, first) {
        return startWaveform(assetId, 'POST', first);
      },

      async loadWaveformTiles(assetId, level, indexes, sampleRate) {
        const generation = waveformGeneration.get(assetId);
        const wanted = indexes.filter((i) => {
          const key = `${assetId}/${tileKey(level, i)}`;
          return !tiles.get(assetId)?.has(tileKey(level, i)) && !tilesInFlight.has(key);
        });
        await Promise.all(
          wanted.map(async (index) => {
            const key = `${assetId}/${tileKey(level, index)}`;
            tilesInFlight.add(key);
            try {
              const answer = await fetchWaveform(fetchFn, 'GET', tileUrl(paths.waveform(assetId), level, index, sampleRate));
              if (answer.kind === 'tile' && waveformGeneration.get(assetId) === generation) {
                addTile(assetId, parseTile(answer.buffer, level, index));
              }
            } catch {
              // a tile that failed is asked again when the view next needs it
            } finally {
              tilesInFlight.delete(key);
            }
          }),
        );
      },

      tileOf(assetId, level, index) {
        return tiles.get(assetId)?.get(tileKey(level, index));
      },

      tilesOf(assetId) {
        return [...(tiles.get(assetId)?.values() ?? [])];
      },

      setLocalWaveform(assetId, waveform) {
        waveformGeneration.set(assetId, (waveformGeneration.get(assetId) ?? 0) + 1);
        setWaveform(assetId, { status: 'ready', waveform, source: 'local' });
      },

      setPlayer(player) {
        set({ player });
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
        set({ opening: true });
        try {
          const { body } = await call<SavedTimeline>(fetchFn, 'GET', paths.timeline(timelineId));
          const content: TimelineContent = { name: body.name, width: body.width, height: body.height, fps: body.fps, tracks: body.tracks ?? [] };
          proxySeq++;
          set({
            timeline: { ...content, timeline_id: body.timeline_id, revision: body.revision },
            proxy: noProxy,
            history: noHistory,
            selectedClipId: null,
            selectedClipIds: [],
            playhead: 0,
          });
          adoptSaved(body, contentKey(content));
          // A render was running when the page was left: join it (the server joins, never restarts).
          if (body.proxy_preview?.status === 'processing') get().requestProxyPreview().catch(() => undefined);
        } catch (e) {
          const err = asApiError(e);
          if (err.status === 404) deps.storage?.removeItem(STORAGE_KEY);
          else set({ notice: err.toInfo() });
        } finally {
          set({ opening: false });
        }
      },

      async openTimeline(timelineId) {
        await saveIfChanged();
        await get().loadTimeline(timelineId);
      },

      async newTimeline(opts = {}) {
        if (!opts.discard) await saveIfChanged();
        proxySeq++;
        deps.storage?.removeItem(STORAGE_KEY);
        set({
          timeline: { ...emptyTimeline(), timeline_id: null, revision: null },
          save: { status: 'unsaved', error: null, details: [] },
          proxy: noProxy,
          history: noHistory,
          selectedClipId: null,
          selectedClipIds: [],
          playhead: 0,
          opening: false,
        });
      },

      async cancelRender() {
        const { proxy } = get();
        if (proxy.status !== 'processing' || !proxy.jobId) return;
        cancelledByUser.add(proxy.jobId);
        try {
          await call<Job>(fetchFn, 'DELETE', paths.job(proxy.jobId));
        } catch (e) {
          const err = asApiError(e);
          cancelledByUser.delete(proxy.jobId);
          // 409: it had finished meanwhile, and the job follower shows that result
          if (err.status !== 409) set({ notice: err.toInfo() });
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
  // fetch-based, so the events carry the token when auth is on
  events: browser && typeof ReadableStream !== 'undefined' ? (url) => fetchEvents(url) : null,
  upload: tusUploader,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  storage: browser ? window.localStorage : null,
});
