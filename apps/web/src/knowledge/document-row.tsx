import { useState } from 'react';
import type { DocumentView } from '../api/types';
import { formatBytes, formatDate } from './format';

const STATUS_LABEL: Record<DocumentView['status'], string> = { queued: 'Queued', processing: 'Processing', ready: 'Ready', failed: 'Failed' };

export function DocumentRow({ doc, onDelete, onReindex }: { doc: DocumentView; onDelete: () => void; onReindex: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <tr>
      <th scope="row">{doc.title}</th>
      <td>
        <span className={`status status-${doc.status}`}>{STATUS_LABEL[doc.status]}</span>
        {doc.status !== 'failed' && <progress max={100} value={doc.status === 'ready' ? 100 : doc.progress} aria-label={`${doc.title} progress`} />}
        {doc.status === 'failed' && doc.error && <span className="error-text">{doc.error}</span>}
      </td>
      <td>{doc.chunkCount}</td>
      <td>{formatBytes(doc.sizeBytes)}</td>
      <td>{formatDate(doc.createdAt)}</td>
      <td>
        <div className="row-actions">
        <button type="button" onClick={onReindex} disabled={doc.status === 'queued' || doc.status === 'processing'} aria-label={`Reindex ${doc.title}`}>
          Reindex
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={onDelete} aria-label={`Confirm delete ${doc.title}`}>
              Confirm delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${doc.title}`}>
            Delete
          </button>
        )}
        </div>
      </td>
    </tr>
  );
}
