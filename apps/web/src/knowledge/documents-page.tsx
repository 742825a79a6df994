import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { body } from '../api/client';
import type { DocumentView, Page } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';
import { DocumentRow } from './document-row';
import { uploadFiles, type UploadResult } from './upload-files';
import { UploadZone } from './upload-zone';
import { DOCUMENTS_KEY, useDocumentProgress } from './use-document-progress';

export function DocumentsPage() {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const { live } = useDocumentProgress();
  const documents = useQuery({
    queryKey: DOCUMENTS_KEY,
    queryFn: () => body<Page<DocumentView>>(api.GET('/api/v1/documents')),
    // Without the gateway (a proxy that drops WebSockets), poll while anything is still moving.
    refetchInterval: (query) => (!live && query.state.data?.items.some((d) => d.status === 'queued' || d.status === 'processing') ? 2000 : false),
  });
  const [results, setResults] = useState<UploadResult[]>([]);

  const upload = useMutation({
    // Each finished upload shows its row at once; the rest are still on their way.
    mutationFn: (files: File[]) => uploadFiles(api, files, { onEach: () => void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY }) }),
    onSuccess: async (outcome) => {
      setResults(outcome);
      await queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.DELETE('/api/v1/documents/{id}', { params: { path: { id } } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY }),
  });
  const reindex = useMutation({
    mutationFn: (id: string) => api.POST('/api/v1/documents/{id}/reindex', { params: { path: { id } } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY }),
  });

  return (
    <section className="page">
      <h1>Documents</h1>
      <UploadZone onFiles={(files) => upload.mutate(files)} busy={upload.isPending} />
      {upload.isPending && <p role="status">Uploading…</p>}
      <ul className="upload-results">
        {results.map((r) => (
          <li key={r.name}>
            {r.name}:{' '}
            {r.error ? <ErrorText error={r.error} /> : r.duplicate ? 'already in the knowledge base (same file).' : 'uploaded, queued for processing.'}
          </li>
        ))}
      </ul>
      <ErrorText error={documents.error ?? remove.error ?? reindex.error} />
      <p className="muted">{live ? 'Progress is live.' : 'Progress refreshes every few seconds.'}</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Chunks</th>
              <th scope="col">Size</th>
              <th scope="col">Added</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {documents.data?.items.map((doc) => (
              <DocumentRow key={doc.id} doc={doc} onDelete={() => remove.mutate(doc.id)} onReindex={() => reindex.mutate(doc.id)} />
            ))}
          </tbody>
        </table>
      </div>
      {documents.data?.items.length === 0 && <p className="muted">No documents yet: upload the dealership's price lists, warranty terms and FAQs.</p>}
      {documents.data?.nextCursor && <p className="muted">Showing the newest {documents.data.items.length} documents.</p>}
    </section>
  );
}
