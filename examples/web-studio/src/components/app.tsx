import { useEffect } from 'react';
import { rememberedTimelineId, useVideoStudioStore } from '../store';
import { AssetLibrary } from './asset-library';
import { FramePreview } from './frame-preview';
import { TimelineView } from './timeline';

/** Saves the timeline a moment after the last edit, so the server always has what the page shows. */
function useAutosave() {
  const status = useVideoStudioStore((s) => s.save.status);
  const timeline = useVideoStudioStore((s) => s.timeline);
  const saveTimeline = useVideoStudioStore((s) => s.saveTimeline);
  useEffect(() => {
    const hasClips = timeline.tracks.some((t) => t.clips.length > 0);
    if (status !== 'unsaved' || (!hasClips && !timeline.timeline_id)) return;
    const timer = setTimeout(() => saveTimeline().catch(() => undefined), 800);
    return () => clearTimeout(timer);
  }, [status, timeline, saveTimeline]);
}

export function App() {
  const loadAssets = useVideoStudioStore((s) => s.loadAssets);
  const loadTimeline = useVideoStudioStore((s) => s.loadTimeline);
  const notice = useVideoStudioStore((s) => s.notice);
  const dismissNotice = useVideoStudioStore((s) => s.dismissNotice);

  useEffect(() => {
    void loadAssets().then(() => {
      const id = rememberedTimelineId(typeof window !== 'undefined' ? window.localStorage : null);
      if (id) void loadTimeline(id);
    });
  }, [loadAssets, loadTimeline]);
  useAutosave();

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ▶
          </span>
          Video Studio
        </div>
        <SaveStatus />
      </header>
      {notice && (
        <div className="notice" role="alert">
          <span>{notice.message}</span>
          <button className="btn ghost small" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <main className="workspace">
        <AssetLibrary />
        <FramePreview />
      </main>
      <TimelineView />
    </div>
  );
}

function SaveStatus() {
  const save = useVideoStudioStore((s) => s.save);
  const timeline = useVideoStudioStore((s) => s.timeline);
  const label =
    save.status === 'saving'
      ? 'Saving…'
      : save.status === 'saved'
        ? `Saved · revision ${timeline.revision ?? 0}`
        : save.status === 'invalid'
          ? 'Not saved: the timeline has problems'
          : save.status === 'failed'
            ? `Not saved: ${save.error?.message ?? 'error'}`
            : timeline.timeline_id
              ? 'Unsaved changes'
              : 'Not saved yet';
  return (
    <div className={`save-status ${save.status}`} data-testid="save-status">
      <span className="dot" aria-hidden />
      {label}
    </div>
  );
}
