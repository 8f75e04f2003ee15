// The editor's keys, in one place. Listens in the capture phase so that Space never reaches a
// focused button (a browser "clicks" a focused button on Space: "+ Add" would add the clip again).
import { useEffect } from 'react';
import { useVideoStudioStore } from '../store';
import { timelineDuration } from '../timeline-model';

/** Fields where keys type text: the editor keys stay out of them. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['range', 'checkbox', 'button', 'radio', 'file'].includes((el as HTMLInputElement).type);
}

const isSpace = (e: KeyboardEvent) => e.key === ' ' || e.code === 'Space';

export function useEditorKeys() {
  useEffect(() => {
    // J/L pressed again play faster (1x, 2x, 4x), like other editors.
    let shuttle = 0;
    const onKeyDown = (e: KeyboardEvent) => {
      // not while typing, nor behind a dialog (the timelines list)
      if (typing(e.target) || e.altKey || document.querySelector('[role=dialog]')) return;
      const s = useVideoStudioStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const frame = 1 / Math.max(1, s.timeline.fps);
      const handled = () => {
        e.preventDefault();
        e.stopPropagation();
      };
      if (mod) {
        const action =
          key === 'z' && !e.shiftKey
            ? s.undo
            : (key === 'z' && e.shiftKey) || key === 'y'
              ? s.redo
              : key === 'a'
                ? () => s.selectClips(s.timeline.tracks.flatMap((t) => t.clips.map((c) => c.id)))
                : null;
        if (action) {
          handled();
          action();
        }
        return;
      }
      if (isSpace(e)) {
        handled();
        if (!e.repeat) {
          shuttle = 0;
          s.player?.toggle();
        }
        return;
      }
      switch (key) {
        case 'k':
          handled();
          shuttle = 0;
          s.player?.pause();
          return;
        case 'l':
        case 'j': {
          handled();
          const dir = key === 'l' ? 1 : -1;
          shuttle = Math.sign(shuttle) === dir ? Math.max(-4, Math.min(4, shuttle * 2)) : dir;
          s.player?.play(shuttle);
          return;
        }
        case 'ArrowLeft':
        case 'ArrowRight': {
          handled();
          s.player?.pause();
          const n = Math.round(s.playhead / frame) + (key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? Math.round(1 / frame) : 1);
          s.setPlayhead(Math.max(0, n * frame));
          return;
        }
        case 'Home':
          handled();
          s.setPlayhead(0);
          return;
        case 'End':
          handled();
          s.setPlayhead(timelineDuration(s.timeline));
          return;
        case 'Escape':
          handled();
          s.selectClip(null);
          return;
        case 's':
          handled();
          s.splitAtPlayhead();
          return;
        case 'Delete':
        case 'Backspace':
          handled();
          s.removeSelection({ ripple: e.shiftKey });
          return;
      }
    };
    // A Space keyup on a focused button would click it even with the keydown prevented.
    const onKeyUp = (e: KeyboardEvent) => {
      if (isSpace(e) && !typing(e.target)) e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
    };
  }, []);
}
