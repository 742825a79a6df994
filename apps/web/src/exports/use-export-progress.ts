import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ExportProgressEvent, ExportView, Page } from '../api/types';
import { connectRealtime } from '../realtime/realtime-socket';

export const EXPORTS_KEY = ['exports'] as const;

/**
 * Live export progress: `exports.subscribe` on the gateway (one's own exports, or the
 * dealership's for owners and admins), each `export.progress` written into the cached list.
 * As for documents, events are hints: the list is read again on (re)connect and whenever an
 * event names an export the cache does not hold.
 */
export function useExportProgress(): { live: boolean } {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const socket = connectRealtime();
    socket.on('connect', () => {
      socket.emit('exports.subscribe', {}, (ack: { subscribed?: boolean }) => setLive(ack?.subscribed === true));
      void queryClient.invalidateQueries({ queryKey: EXPORTS_KEY });
    });
    socket.on('disconnect', () => setLive(false));
    socket.on('export.progress', (event: ExportProgressEvent) => {
      const page = queryClient.getQueryData<Page<ExportView>>(EXPORTS_KEY);
      if (!page?.items.some((e) => e.id === event.exportId)) {
        void queryClient.invalidateQueries({ queryKey: EXPORTS_KEY });
        return;
      }
      queryClient.setQueryData<Page<ExportView>>(EXPORTS_KEY, {
        ...page,
        items: page.items.map((e) =>
          e.id === event.exportId ? { ...e, status: event.status, progress: event.progress, sizeBytes: event.sizeBytes, error: event.error } : e,
        ),
      });
    });
    return () => {
      socket.disconnect();
    };
  }, [queryClient]);
  return { live };
}
