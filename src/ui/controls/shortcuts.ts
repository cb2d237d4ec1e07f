/**
 * Keyboard and visibility handling shared by every page: space play/pause, → step (or forward on the timeline),
 * ← back on the timeline, Home its start, End live again, − and + the speed, e pause at events, r reset.
 */
import type { RunGroup } from '../runner.svelte';

/** Whether a key press is meant for the app: not typing in a field, not a browser or system combination. */
export function isShortcut(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !target?.closest('input, select, textarea, [contenteditable]') && !event.ctrlKey && !event.metaKey && !event.altKey;
}

export function handleRunKeys(event: KeyboardEvent, group: RunGroup): void {
  // Space on a focused button clicks it; it is not also a shortcut.
  if (!isShortcut(event) || (event.key === ' ' && (event.target as HTMLElement | null)?.closest('button'))) return;
  if (event.key === ' ') {
    event.preventDefault();
    group.toggle();
  } else if (event.key === 'ArrowRight') {
    event.preventDefault();
    void (group.scrubbed ? group.moveOnTimeline(1) : group.step());
  } else if (event.key === 'ArrowLeft') {
    event.preventDefault();
    void group.moveOnTimeline(-1);
  } else if (event.key === 'Home') {
    event.preventDefault();
    void group.showStep(0);
  } else if (event.key === 'End') {
    event.preventDefault();
    group.live();
  } else if (event.key === '-' || event.key === '+' || event.key === '=') {
    group.setSpeed(event.key === '-' ? -1 : 1);
  } else if (event.key === 'e' || event.key === 'E') {
    group.togglePauseOnEvent();
  } else if (event.key === 'r' || event.key === 'R') {
    void group.reset();
  }
}

/** Pauses training while the page is hidden and resumes it when it comes back. Returns the handler. */
export function pauseWhileHidden(group: RunGroup): () => void {
  let resume = false;
  return () => {
    if (document.hidden && group.status === 'playing') {
      resume = true;
      void group.pause();
    } else if (!document.hidden && resume) {
      resume = false;
      group.play();
    }
  };
}

/** Writes the page's search string without adding a history entry (a slider must not flood Back). */
export function replaceSearch(search: string): void {
  window.history.replaceState(null, '', `${window.location.pathname}?${search}${window.location.hash}`);
}
