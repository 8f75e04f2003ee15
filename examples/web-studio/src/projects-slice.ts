// The projects slice of the store: the server's list of timelines, and rename, duplicate and delete
// of any of them (open and new are the store's, since they replace the timeline being edited).
import { asApiError, call, paths, type ErrorInfo, type FetchLike, type SavedTimeline } from './api';
import { timelineDuration } from './timeline-model';
import type { StudioState } from './store';

export interface ProjectSummary {
  timeline_id: string;
  name: string;
  /** Seconds. */
  duration: number;
  clips: number;
  updated_at: string | null;
  /** A playable proxy of it (for a poster frame), when it has one. */
  proxy_url: string | null;
  /** Asset ids its clips use. */
  asset_ids: string[];
}

export interface ProjectsView {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  items: ProjectSummary[];
  error: ErrorInfo | null;
}

export interface ProjectsSlice {
  projects: ProjectsView;
  loadProjects(): Promise<ProjectSummary[]>;
  renameProject(timelineId: string, name: string): Promise<void>;
  duplicateProject(timelineId: string): Promise<string | null>;
  deleteProject(timelineId: string): Promise<void>;
}

type Set = (partial: Partial<StudioState>) => void;
type Get = () => StudioState;

export function summaryOf(t: SavedTimeline & { updated_at?: string | null }): ProjectSummary {
  const tracks = t.tracks ?? [];
  const proxy = t.proxy_preview;
  return {
    timeline_id: t.timeline_id,
    name: t.name,
    duration: timelineDuration({ ...t, tracks }),
    clips: tracks.reduce((n, tr) => n + tr.clips.length, 0),
    updated_at: t.updated_at ?? null,
    proxy_url: proxy && (proxy.status === 'ready' || proxy.status === 'stale') && proxy.url ? proxy.url : null,
    asset_ids: [...new Set(tracks.flatMap((tr) => tr.clips.map((c) => c.asset_id)))],
  };
}

const body = (t: SavedTimeline) => ({ name: t.name, width: t.width, height: t.height, fps: t.fps, tracks: t.tracks ?? [] });

export function projectsSlice(set: Set, get: Get, fetchFn: FetchLike): ProjectsSlice {
  const fetchOne = async (id: string) => (await call<SavedTimeline>(fetchFn, 'GET', paths.timeline(id))).body;

  return {
    projects: { status: 'idle', items: [], error: null },

    async loadProjects() {
      set({ projects: { ...get().projects, status: 'loading', error: null } });
      try {
        const { body: list } = await call<SavedTimeline[] | { timelines?: SavedTimeline[]; items?: SavedTimeline[] }>(fetchFn, 'GET', paths.timelines);
        const raw = Array.isArray(list) ? list : (list?.timelines ?? list?.items ?? []);
        const items = raw.map(summaryOf).sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? ''));
        set({ projects: { status: 'ready', items, error: null } });
        return items;
      } catch (e) {
        set({ projects: { ...get().projects, status: 'failed', error: asApiError(e).toInfo() } });
        return [];
      }
    },

    async renameProject(timelineId, name) {
      if (get().timeline.timeline_id === timelineId) {
        get().renameTimeline(name);
        await get().saveTimeline();
      } else {
        const t = await fetchOne(timelineId);
        await call(fetchFn, 'POST', paths.timelines, { ...body(t), timeline_id: timelineId, name });
      }
      await get().loadProjects();
    },

    async duplicateProject(timelineId) {
      try {
        if (get().timeline.timeline_id === timelineId) await get().saveTimeline();
        const t = await fetchOne(timelineId);
        const { body: copy } = await call<SavedTimeline>(fetchFn, 'POST', paths.timelines, { ...body(t), name: `${t.name} (copy)` });
        await get().loadProjects();
        return copy.timeline_id;
      } catch (e) {
        set({ notice: asApiError(e).toInfo() });
        return null;
      }
    },

    async deleteProject(timelineId) {
      try {
        await call(fetchFn, 'DELETE', paths.timeline(timelineId));
      } catch (e) {
        const err = asApiError(e);
        if (err.status !== 404) {
          set({ notice: err.toInfo() });
          return;
        }
      }
      if (get().timeline.timeline_id === timelineId) get().newTimeline({ discard: true });
      await get().loadProjects();
    },
  };
}
