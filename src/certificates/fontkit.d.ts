/** The little of fontkit 2 (pdfkit's own font parser) that the certificate renderer uses. */
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
