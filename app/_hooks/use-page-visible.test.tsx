/** @jest-environment jsdom */
import { act, renderHook } from '@testing-library/react';
import { usePageVisible } from './use-page-visible.ts';

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('usePageVisible', () => {
  afterEach(() => setVisibility('visible'));

  it('follows the tab as it is hidden and shown again', () => {
    const { result } = renderHook(() => usePageVisible());
    expect(result.current).toBe(true);

    act(() => setVisibility('hidden'));
    expect(result.current).toBe(false);

    act(() => setVisibility('visible'));
    expect(result.current).toBe(true);
  });
});
