import { useCallback, useEffect, useState } from 'react';
import { rememberedTimelineId, useVideoStudioStore } from '../store';
import { AssetLibrary } from './asset-library';
import { FramePreview } from './frame-preview';
import { useEditorKeys } from './keyboard';
import { ProjectsDialog } from './projects';
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

  const opening = useVideoStudioStore((s) => s.opening);
  const loadProjects = useVideoStudioStore((s) => s.loadProjects);
  const newTimeline = useVideoStudioStore((s) => s.newTimeline);
  const [showProjects, setShowProjects] = useState(false);
  const closeProjects = useCallback(() => setShowProjects(false), []);

  // The assets and the remembered timeline load side by side; without a remembered one (a fresh
  // browser), the saved timelines are offered when there are any.
  useEffect(() => {
    void loadAssets();
    const id = rememberedTimelineId(typeof window !== 'undefined' ? window.localStorage : null);
    if (id) void loadTimeline(id);
    else void loadProjects().then((items) => items.length > 0 && setShowProjects(true));
  }, [loadAssets, loadTimeline, loadProjects]);
  useAutosave();
  useEditorKeys();

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ▶
          </span>
          Video Studio
        </div>
        <button className="btn small" onClick={() => setShowProjects(true)} data-testid="open-projects">
          Timelines…
        </button>
        <button className="btn small ghost" onClick={() => void newTimeline()}>
          New
        </button>
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
      {opening ? (
        // Not the empty "Untitled timeline" while the saved one is on its way.
        <div className="opening" data-testid="opening">
          <div className="spinner" aria-hidden />
          Opening the timeline…
        </div>
      ) : (
        <>
          <main className="workspace">
            <AssetLibrary />
            <FramePreview />
          </main>
          <TimelineView />
        </>
      )}
      {showProjects && <ProjectsDialog onClose={closeProjects} />}
    </div>
  );
}

function SaveStatus() {
  const save = useVideoStudioStore((s) => s.save);
  const timeline = useVideoStudioStore((s) => s.timeline);
  const opening = useVideoStudioStore((s) => s.opening);
  const label = opening
    ? 'Opening…'
    : save.status === 'saving'
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
