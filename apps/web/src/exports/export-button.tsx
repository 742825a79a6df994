import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { body } from '../api/client';
import type { ExportFormat, ExportView } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';
import { EXPORTS_KEY } from './use-export-progress';

/** Export a conversation as PDF, DOCX or CSV; the file is made by the worker and listed on Exports. */
export function ExportButton({ conversationId }: { conversationId: string }) {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const create = useMutation({
    mutationFn: () =>
      body<ExportView>(
        api.POST('/api/v1/conversations/{id}/exports', {
          params: { path: { id: conversationId } },
          body: { format },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: EXPORTS_KEY }),
  });
  return (
    <div className="export-controls row">
      <label>
        Export format
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          <option value="pdf">PDF</option>
          <option value="docx">DOCX</option>
          <option value="csv">CSV</option>
        </select>
      </label>
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Export
      </button>
      {create.isSuccess && (
        <p role="status">
          Export started. <Link to="/exports">See Exports</Link>
        </p>
      )}
      <ErrorText error={create.error} />
    </div>
  );
}
