// Uploads through tus (resumable): the official tus-js-client against POST /api/media/uploads.
// A dropped connection is retried from the server's offset; after a page reload, choosing the
// same file again resumes it (tus-js-client keeps its upload URL in localStorage).
import { Upload, type HttpResponse } from 'tus-js-client';
import { ApiError, errorInfoOf, paths, type Asset } from './api';
import { browserTokens, withToken } from './auth';

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes the server already had when this upload resumed an earlier one (after a page reload). */
  resumedFrom?: number;
}

/** One running upload: its outcome and a way to stop it. */
export interface UploadHandle {
  promise: Promise<Asset>;
  abort: () => void;
}

export type Uploader = (file: File, onProgress: (p: UploadProgress) => void) => UploadHandle;

/** Waits between retries after a failure (network drop, 423 while the server still reads the old connection). */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

function errorOf(response: HttpResponse | null | undefined, fallback: string): ApiError {
  if (!response) return new ApiError(0, { code: 'network', message: fallback });
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(response.getBody() ?? '');
  } catch {
    parsed = null;
  }
  return new ApiError(response.getStatus(), errorInfoOf(parsed, response.getStatus()));
}

/** Uploads with tus; resolves with the asset the server made of the file (GET on the upload URL). */
export const tusUploader: Uploader = (file, onProgress) => {
  let upload: Upload | null = null;
  let rejectIt: (e: ApiError) => void = () => undefined;
  const promise = new Promise<Asset>((resolve, reject) => {
    rejectIt = reject;
    let resuming = false;
    upload = new Upload(file, {
      endpoint: paths.uploads,
      retryDelays: RETRY_DELAYS,
      metadata: { filename: file.name, filetype: file.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (loaded, total) => onProgress({ loaded, total }),
      // resuming an upload found in localStorage starts with a HEAD: its Upload-Offset is what the
      // server kept, shown as "resuming from N %"
      onAfterResponse: (req, res) => {
        if (!resuming || req.getMethod() !== 'HEAD') return;
        const offset = Number(res.getHeader('Upload-Offset'));
        if (res.getStatus() === 200 && Number.isFinite(offset)) {
          resuming = false;
          onProgress({ loaded: offset, total: file.size, resumedFrom: offset });
        }
      },
      // with auth on, every tus request carries the tab's token
      onBeforeRequest: (req) => {
        const token = browserTokens()?.get();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onError: (e) => {
        const response = (e as { originalResponse?: HttpResponse | null }).originalResponse;
        reject(errorOf(response, `The upload failed: ${e.message}`));
      },
      onSuccess: async () => {
        try {
          const r = await fetch(upload!.url!, { headers: withToken({ Accept: 'application/json' }, browserTokens()?.get() ?? null) });
          const body: unknown = await r.json().catch(() => null);
          if (!r.ok) reject(new ApiError(r.status, errorInfoOf(body, r.status)));
          else resolve(body as Asset);
        } catch (e) {
          reject(new ApiError(0, { code: 'network', message: `The asset could not be read: ${(e as Error).message}` }));
        }
      },
    });
    const started = upload;
    started
      .findPreviousUploads()
      .then((previous) => {
        if (previous.length > 0) {
          resuming = true;
          started.resumeFromPreviousUpload(previous[0]);
        }
        started.start();
      })
      .catch(() => started.start());
  });
  return {
    promise,
    abort: () => {
      // true: also DELETE the upload on the server (termination), so nothing waits for its expiry
      void (upload as Upload | null)?.abort(true).catch(() => undefined);
      rejectIt(new ApiError(0, { code: 'aborted', message: 'The upload was cancelled.' }));
    },
  };
};
