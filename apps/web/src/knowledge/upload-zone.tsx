import { useState, type DragEvent } from 'react';

/** The file picker (labelled Upload) inside a drop zone: several files at once, either way. */
export function UploadZone({ onFiles, busy }: { onFiles: (files: File[]) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };
  return (
    <div
      className={`upload-zone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      <label htmlFor="upload" className="button-like">
        Upload
      </label>
      <input
        id="upload"
        type="file"
        multiple
        disabled={busy}
        accept=".pdf,.docx,.xlsx,.csv,.html,.htm,.md,.markdown,.txt,application/pdf,text/*"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <p className="muted">Choose files or drop them here: PDF, Word, Excel, CSV, HTML, Markdown or text.</p>
    </div>
  );
}
