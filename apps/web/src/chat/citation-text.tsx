import { Fragment } from 'react';
import type { Citation } from '../api/types';
import { citationIndexByNumber, splitMarkers } from './citation-markers';

/** An answer's text with its `[n]` markers as buttons that open the cited passage; unmatched markers stay text. */
export function CitationText({ text, citations, onOpen }: { text: string; citations: Citation[]; onOpen: (index: number, number: number) => void }) {
  const indexOf = citationIndexByNumber(text, citations.length);
  return (
    <>
      {splitMarkers(text).map((part, i) => {
        if ('text' in part) return <Fragment key={i}>{part.text}</Fragment>;
        return (
          <Fragment key={i}>
            {part.numbers.map((n) => {
              const index = indexOf.get(n);
              const citation = index === undefined ? undefined : citations[index];
              if (index === undefined || !citation) return <Fragment key={n}>[{n}]</Fragment>;
              return (
                <button
                  key={n}
                  type="button"
                  className="citation-marker"
                  aria-label={`Source ${n}: ${citation.documentTitle}${citation.page ? `, page ${citation.page}` : ''}`}
                  onClick={() => onOpen(index, n)}
                >
                  [{n}]
                </button>
              );
            })}
          </Fragment>
        );
      })}
    </>
  );
}
