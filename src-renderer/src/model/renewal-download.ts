/** Saves bytes that came over the contract as base64: a download in the browser (Electron shows its save dialog for it). */

/** Decodes standard base64 into bytes. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Starts a download of `bytes` named `fileName`; the object URL is revoked once the click has been handled. */
export function downloadFile(fileName: string, mimeType: string, base64: string): void {
  const url = URL.createObjectURL(new Blob([base64Bytes(base64)], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
