/**
 * The uploader's file name, made safe to show: no directories, no control characters,
 * bounded length. It is only ever displayed; nothing on disk or in a path is named after it.
 */
export function displayFileName(original: string | undefined): string {
  const base = (original ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}
