// The list of timelines on the server: open, new, rename, duplicate, delete.
import { useEffect, useState } from 'react';
import { formatTime } from '../format';
import { useVideoStudioStore } from '../store';
import type { ProjectSummary } from '../projects-slice';

export function ProjectsDialog({ onClose }: { onClose: () => void }) {
  const projects = useVideoStudioStore((s) => s.projects);
  const loadProjects = useVideoStudioStore((s) => s.loadProjects);
  const newTimeline = useVideoStudioStore((s) => s.newTimeline);
  useEffect(() => {
    void loadProjects();
  }, [loadProjects]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="dialog-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-label="Timelines" data-testid="projects">
        <div className="panel-head">
          <h2>Timelines</h2>
          <button
            className="btn primary small"
            onClick={() => {
              void newTimeline();
              onClose();
            }}
          >
            New timeline
          </button>
          <button className="btn ghost small" onClick={onClose}>
            Close
          </button>
        </div>
        <div className="dialog-body">
          {projects.status === 'loading' && projects.items.length === 0 && <div className="empty muted">Loading…</div>}
          {projects.status === 'failed' && <div className="empty error-text">The timelines could not be listed: {projects.error?.message}</div>}
          {projects.status === 'ready' && projects.items.length === 0 && <div className="empty muted">No saved timeline yet.</div>}
          <ul className="project-list">
            {projects.items.map((p) => (
              <ProjectRow key={p.timeline_id} project={p} onOpened={onClose} />
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function ProjectRow({ project, onOpened }: { project: ProjectSummary; onOpened: () => void }) {
  const current = useVideoStudioStore((s) => s.timeline.timeline_id === project.timeline_id);
  const openTimeline = useVideoStudioStore((s) => s.openTimeline);
  const renameProject = useVideoStudioStore((s) => s.renameProject);
  const duplicateProject = useVideoStudioStore((s) => s.duplicateProject);
  const deleteProject = useVideoStudioStore((s) => s.deleteProject);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const changed = project.updated_at ? new Date(project.updated_at) : null;
  return (
    <li className={`project ${current ? 'current' : ''}`} data-testid="project" data-timeline-id={project.timeline_id}>
      {project.proxy_url ? (
        <video className="poster" src={`${project.proxy_url}#t=0.5`} preload="metadata" muted playsInline />
      ) : (
        <div className="poster empty-poster" aria-hidden>
          {project.clips ? `${project.clips} clips` : 'empty'}
        </div>
      )}
      <div className="project-text">
        {renaming !== null ? (
          <input
            className="rename"
            autoFocus
            value={renaming}
            aria-label="New name"
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && renaming.trim()) {
                void renameProject(project.timeline_id, renaming.trim());
                setRenaming(null);
              } else if (e.key === 'Escape') {
                e.stopPropagation();
                setRenaming(null);
              }
            }}
            onBlur={() => setRenaming(null)}
          />
        ) : (
          <div className="name" title={project.name}>
            {project.name} {current && <span className="muted small-text">(open)</span>}
          </div>
        )}
        <div className="meta">
          {formatTime(project.duration, 1)} · {project.clips} clip{project.clips === 1 ? '' : 's'}
          {changed ? ` · changed ${changed.toLocaleString()}` : ''}
        </div>
      </div>
      <div className="project-actions">
        {confirm ? (
          <>
            <span className="small-text">Delete it and its preview?</span>
            <button className="btn small danger" onClick={() => void deleteProject(project.timeline_id).then(() => setConfirm(false))}>
              Delete
            </button>
            <button className="btn small ghost" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button
              className="btn small primary"
              disabled={current}
              onClick={() => {
                void openTimeline(project.timeline_id);
                onOpened();
              }}
            >
              Open
            </button>
            <button className="btn small ghost" onClick={() => setRenaming(project.name)}>
              Rename
            </button>
            <button className="btn small ghost" onClick={() => void duplicateProject(project.timeline_id)}>
              Duplicate
            </button>
            <button className="btn small ghost danger" onClick={() => setConfirm(true)} aria-label={`Delete ${project.name}`}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}
