import { useEffect, useRef } from 'react';
import type { Citation } from '../api/types';

/** The cited passage, with its document and page; takes focus when it opens, Escape or Close returns it. */
export function CitationPanel({ citation, number, onClose }: { citation: Citation; number: number; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => opener?.focus?.();
  }, [citation]);
  return (
    <section
      ref={ref}
      className="citation-panel"
      role="dialog"
      aria-labelledby="citation-title"
      tabIndex={-1}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <header>
        <h2 id="citation-title">
          Source {number}: {citation.documentTitle}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="citation-page">{citation.page ? `Page ${citation.page}` : 'No page number (the document has no pages)'}</p>
      <blockquote>{citation.snippet}</blockquote>
    </section>
  );
}
