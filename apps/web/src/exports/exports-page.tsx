import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { body } from '../api/client';
import type { ExportView, Page } from '../api/types';
import { isAdmin, useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';
import { formatBytes, formatDate } from '../knowledge/format';
import { downloadExport } from './download-export';
import { REPORT_LABELS, ReportForm } from './report-form';
import { EXPORTS_KEY, useExportProgress } from './use-export-progress';

const moving = (e: ExportView) => e.status === 'queued' || e.status === 'processing';

export function describeExport(e: ExportView): string {
  const what = e.kind === 'conversation' ? 'Conversation' : `${REPORT_LABELS[e.kind]} report${e.from && e.to ? ` ${e.from} – ${e.to}` : ''}`;
  return `${what} (${e.format.toUpperCase()})`;
}

export function ExportsPage() {
  const { api, session } = useAuth();
  const admin = isAdmin(session);
  const queryClient = useQueryClient();
  const { live } = useExportProgress();
  const exports = useQuery({
    queryKey: EXPORTS_KEY,
    queryFn: () => body<Page<ExportView>>(api.GET('/api/v1/exports', { params: { query: admin ? { scope: 'dealership' } : {} } })),
    // Without the gateway, poll while anything is still being made.
    refetchInterval: (query) => (!live && query.state.data?.items.some(moving) ? 2000 : false),
  });
  // Exports whose download answered 410: the file is gone even if the list has not caught up.
  const [expired, setExpired] = useState<Set<string>>(new Set());
  const download = useMutation({
    mutationFn: (e: ExportView) => downloadExport(e.id, `export-${e.id}.${e.format}`),
    onError: (error, e) => {
      if (error instanceof ApiError && error.status === 410) setExpired((s) => new Set(s).add(e.id));
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.DELETE('/api/v1/exports/{id}', { params: { path: { id } } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: EXPORTS_KEY }),
  });
  const items = exports.data?.items ?? [];
  const downloadError = download.error instanceof ApiError && download.error.status === 410 ? null : download.error;

  return (
    <section className="page">
      <h1>Exports</h1>
      <p className="muted">Conversations and reports as files. Files are kept for a limited time, then expire.</p>
      {admin && <ReportForm />}
      <ErrorText error={exports.error ?? downloadError ?? remove.error} />
      {items.length === 0 && !exports.isLoading && <p className="muted">No exports yet. Export a conversation from the chat.</p>}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Export</th>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => {
              const name = describeExport(e);
              const status = expired.has(e.id) ? 'expired' : e.status;
              return (
                <tr key={e.id}>
                  <th scope="row">{name}</th>
                  <td>{formatDate(e.createdAt)}</td>
                  <td>
                    {moving(e) ? (
                      <>
                        {e.status === 'queued' ? 'Queued' : 'Processing'}{' '}
                        <progress max={100} value={e.progress} aria-label={`${name} progress`}>
                          {e.progress}%
                        </progress>
                      </>
                    ) : status === 'ready' ? (
                      `Ready until ${formatDate(e.expiresAt)}`
                    ) : status === 'failed' ? (
                      <span className="error-text">Failed: {e.error}</span>
                    ) : (
                      'Expired'
                    )}
                  </td>
                  <td>{e.sizeBytes === null ? '—' : formatBytes(e.sizeBytes)}</td>
                  <td className="row">
                    {status === 'ready' && (
                      <button type="button" onClick={() => download.mutate(e)} disabled={download.isPending} aria-label={`Download ${name}`}>
                        Download
                      </button>
                    )}
                    <button type="button" onClick={() => remove.mutate(e.id)} aria-label={`Delete ${name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
