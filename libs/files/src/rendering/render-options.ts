export interface RenderOptions {
  /** Called now and then with the share of the content laid out so far (0..1). */
  onProgress?: (fraction: number) => void;
  /** TrueType fonts for PDF (a Unicode font such as DejaVu Sans, so any script it covers renders). */
  pdfFonts?: { regular: string; bold: string };
}
