import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DocumentProgressEvent, DocumentView, Page } from '../api/types';
import { connectRealtime } from '../realtime/realtime-socket';

export const DOCUMENTS_KEY = ['documents'] as const;

/**
 * Live progress for the documents list: `documents.subscribe` on the gateway, each
 * `document.progress` written into the cached list. The events are hints; the list is read
 * again on every (re)connect and when an event names a document the cache does not hold.
 */
export function useDocumentProgress(): { live: boolean } {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const socket = connectRealtime();
    socket.on('connect', () => {
      socket.emit('documents.subscribe', {}, (ack: { ok?: boolean }) => setLive(ack?.ok === true));
      void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
    });
    socket.on('disconnect', () => setLive(false));
    socket.on('document.progress', (event: DocumentProgressEvent) => {
      const page = queryClient.getQueryData<Page<DocumentView>>(DOCUMENTS_KEY);
      if (!page?.items.some((d) => d.id === event.documentId)) {
        void queryClient.invalidateQueries({ queryKey: DOCUMENTS_KEY });
        return;
      }
      queryClient.setQueryData<Page<DocumentView>>(DOCUMENTS_KEY, {
        ...page,
        items: page.items.map((d) =>
          d.id === event.documentId ? { ...d, status: event.status, progress: event.progress, chunkCount: event.chunkCount, error: event.error } : d,
        ),
      });
    });
    return () => {
      socket.disconnect();
    };
  }, [queryClient]);
  return { live };
}
