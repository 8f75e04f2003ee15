/** Pointer capture keeps a drag going outside the element; a synthetic pointer may refuse it. */
export function capture(el: HTMLElement, pointerId: number) {
  try {
    el.setPointerCapture(pointerId);
  } catch {
    // the drag still works while the pointer stays over the element
  }
}
