// The thumbnails slice of the store: the strip of small frames of each video asset, fetched once
// (GET .../thumbnails answers a JPEG sprite with its layout in headers) and kept as an object URL.
import { paths, type FetchLike } from './api';
import { browserTokens, fetchWithToken } from './auth';
import type { StudioState } from './store';

export type ThumbnailEntry =
  | { status: 'loading' }
  | { status: 'failed' }
  | { status: 'ready'; url: string; frames: number; interval: number; width: number; height: number };

export interface ThumbnailsSlice {
  thumbnails: Record<string, ThumbnailEntry>;
  ensureThumbnails(assetId: string): Promise<void>;
}

type Set = (partial: Partial<StudioState>) => void;
type Get = () => StudioState;

export function thumbnailsSlice(set: Set, get: Get, fetchFn: FetchLike, objectUrl: (blob: Blob) => string): ThumbnailsSlice {
  const put = (assetId: string, entry: ThumbnailEntry) => set({ thumbnails: { ...get().thumbnails, [assetId]: entry } });
  return {
    thumbnails: {},
    async ensureThumbnails(assetId) {
      if (get().thumbnails[assetId]) return;
      put(assetId, { status: 'loading' });
      try {
        // an API route, not a signed media URL: it needs the token when auth is on
        const response = await fetchWithToken(fetchFn, paths.thumbnails(assetId), { method: 'GET', headers: { Accept: 'image/jpeg' } }, browserTokens());
        const n = (name: string) => Number(response.headers.get(name));
        const frames = n('Thumbnail-Frames');
        if (!response.ok || !(frames > 0)) throw new Error(`thumbnails: ${response.status}`);
        put(assetId, { status: 'ready', url: objectUrl(await response.blob()), frames, interval: n('Thumbnail-Interval'), width: n('Thumbnail-Width'), height: n('Thumbnail-Height') });
      } catch {
        put(assetId, { status: 'failed' }); // the clip simply shows no frames
      }
    },
  };
}
