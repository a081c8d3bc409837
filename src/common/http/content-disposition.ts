import { foldForSearch } from '../text/vietnamese';

/**
 * `attachment` with an ASCII name for old clients and the Vietnamese one (RFC 5987 filename*)
 * for the others: "Mẫu nhập - Cán bộ, đoàn viên.xlsx". Shared by every download (imports'
 * templates and exports, a question bank's QTI package, in the API and in the portal).
 */
export function attachment(name: string): string {
  const ascii = foldForSearch(name)
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const encoded = encodeURIComponent(name.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
