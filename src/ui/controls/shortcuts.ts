/** Keyboard and visibility handling shared by every page: space play/pause, → step, r reset. */
import type { RunGroup } from '../runner.svelte';

export function handleRunKeys(event: KeyboardEvent, group: RunGroup): void {
  const target = event.target as HTMLElement | null;
  // Typing in a field, or Space on a focused button (which clicks it), is not a shortcut.
  if (target && (target.closest('input, select, textarea, [contenteditable]') || (event.key === ' ' && target.closest('button')))) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === ' ') {
    event.preventDefault();
    group.toggle();
  } else if (event.key === 'ArrowRight') {
    event.preventDefault();
    void group.step();
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
