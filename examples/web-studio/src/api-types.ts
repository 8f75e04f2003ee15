// Generated from adapter-helidon/src/main/resources/META-INF/openapi.yaml by
// tools/api-types (npm run gen:api). Do not edit: change the document and regenerate.

export interface paths {
    "/api/media/video-assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every asset, oldest first */
        get: operations["listAssets"];
        put?: never;
        /** Upload a media file (multipart part "file"), streamed to disk and probed */
        post: operations["uploadAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/video-assets/{asset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        get: operations["getAsset"];
        put?: never;
        post?: never;
        delete: operations["deleteAsset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an upload (creation), optionally with its first bytes (creation-with-upload) */
        post: operations["tusCreate"];
        delete?: never;
        /** The server's tus capabilities */
        options: operations["tusOptions"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/uploads/{upload_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        /** The asset a complete upload became */
        get: operations["getUploadAsset"];
        put?: never;
        post?: never;
        delete: operations["tusTerminate"];
        options: operations["tusOptionsUpload"];
        /** Where the upload stands */
        head: operations["tusHead"];
        /** Append bytes at Upload-Offset; the last byte makes the asset */
        patch: operations["tusPatch"];
        trace?: never;
    };
    "/api/media/video-assets/{asset_id}/waveform": {
        parameters: {
            query?: {
                samples_per_pixel?: number;
                pixels_per_second?: number;
                channels?: "merged" | "split";
                bits?: 8 | 16;
                format?: "json" | "dat";
            };
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        /** The waveform when ready, else starts (or joins) its one job */
        get: operations["getWaveform"];
        put?: never;
        /** As GET, but a failed waveform starts a new job */
        post: operations["retryWaveform"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/video-assets/{asset_id}/thumbnails": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        /** A JPEG strip of small frames along a video, made on the first request; its layout in headers */
        get: operations["getThumbnails"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listTimelines"];
        put?: never;
        /** Create (no timeline_id) or update a timeline */
        post: operations["saveTimeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/otio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an OpenTimelineIO timeline as a new timeline */
        post: operations["importOtio"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["getTimeline"];
        put?: never;
        post?: never;
        /** Delete a timeline, its proxy files and its running render; frees its assets */
        delete: operations["deleteTimeline"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}/otio": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["exportOtio"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}/proxy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["getProxyState"];
        put?: never;
        /** Ask for the proxy of the saved content; cached 200 without a job, else 202 with the job */
        post: operations["requestProxy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}/poster": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["getPoster"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}/preview.webp": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["getPreviewWebp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/timeline/{timeline_id}/preview.gif": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        get: operations["getPreviewGif"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Cancel a queued or running job; its ffmpeg runs stop */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        /** Server-sent events, one "job" event (data = the Job JSON) now and at every change, ending with the final state */
        get: operations["jobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{folder}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                folder: "video_assets" | "waveforms" | "video_proxies";
                file: string;
            };
            cookie?: never;
        };
        get: operations["getMediaFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head: operations["headMediaFile"];
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (YAML, or JSON with Accept application/json) */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Id: string;
        ErrorDetail: {
            path: string;
            message: string;
        };
        ErrorInfo: {
            code: string;
            message: string;
            details: components["schemas"]["ErrorDetail"][];
        };
        ErrorBody: {
            error: components["schemas"]["ErrorInfo"];
        };
        Asset: {
            asset_id: components["schemas"]["Id"];
            filename: string;
            /** @enum {string} */
            kind: "audio" | "video" | "image";
            content_type: string;
            size_bytes: number;
            duration_s: number | null;
            has_audio: boolean;
            has_video: boolean;
            width: number | null;
            height: number | null;
            fps: number | null;
            sample_rate: number | null;
            channels: number | null;
            url: string;
            /** @enum {string} */
            waveformStatus: "idle" | "processing" | "ready" | "failed" | "unavailable";
            /** Format: date-time */
            created_at: string;
            /** @description file name under media/video_assets/ */
            stored_name: string;
            /** @description the FFmpeg demuxer found at upload, pinned for every later run */
            demuxer: string;
        };
        /** @enum {string} */
        JobStatus: "queued" | "processing" | "ready" | "failed" | "cancelled";
        Job: {
            job_id: components["schemas"]["Id"];
            /** @enum {string} */
            type: "asset_waveform" | "video_proxy" | "edit_proxy";
            status: components["schemas"]["JobStatus"];
            progress: number;
            error: null | components["schemas"]["ErrorInfo"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description BBC audiowaveform JSON version 2, plus bands and source_channels */
        AudioWaveform: {
            /** @constant */
            version: 2;
            channels: number;
            sample_rate: number;
            samples_per_pixel: number;
            /** @enum {integer} */
            bits: 8 | 16;
            length: number;
            data: number[];
            source_channels?: number;
            bands?: {
                edges_hz?: number[];
                low?: number[];
                mid?: number[];
                high?: number[];
            };
        };
        WaveformReady: {
            asset_id: components["schemas"]["Id"];
            /** @constant */
            status: "ready";
            waveform: components["schemas"]["AudioWaveform"];
        };
        WaveformFailed: {
            asset_id: components["schemas"]["Id"];
            /** @constant */
            status: "failed";
            job_id?: string | null;
            error: components["schemas"]["ErrorInfo"];
        };
        WaveformProcessing: {
            asset_id: components["schemas"]["Id"];
            /** @constant */
            status: "processing";
            job_id: components["schemas"]["Id"];
            progress: number | null;
        };
        /** @enum {string} */
        PreviewStatus: "none" | "processing" | "ready" | "failed" | "stale";
        ProxyState: {
            status: components["schemas"]["PreviewStatus"];
            url?: string;
            cached?: boolean;
            job_id?: components["schemas"]["Id"];
            progress?: number;
            error?: components["schemas"]["ErrorInfo"];
            /** @description while processing, the live HLS playlist (EVENT, fMP4 VP9 + Opus) of the render so far */
            stream_url?: string;
            /** @description the timeline second the stream's first segment starts at (0, or a seek's part) */
            stream_start?: number;
        };
        ProxyPreview: {
            status: components["schemas"]["PreviewStatus"];
            url?: string | null;
            revision?: number | null;
            progress?: number | null;
            /** @description while processing: the live HLS playlist of the render (as in the proxy state) */
            stream_url?: string;
            stream_start?: number;
            error?: null | components["schemas"]["ErrorInfo"];
        };
        Clip: {
            id: string;
            asset_id: components["schemas"]["Id"];
            start: number;
            in: number;
            out: number;
            volume?: number | null;
            muted?: boolean;
            /** @description seconds of fade-in of the clip's sound (with fade_out at most the clip) */
            fade_in?: number;
            /** @description seconds of fade-out of the clip's sound */
            fade_out?: number;
        };
        Track: {
            id: string;
            /** @enum {string} */
            kind: "video" | "audio";
            clips: components["schemas"]["Clip"][];
            /** @description the track's sound is not heard */
            muted?: boolean;
            /** @description when any track is solo, only solo tracks are heard */
            solo?: boolean;
        };
        /** @description what a client sends; timeline_id and revision to update (409 revision_conflict when not the stored revision) */
        TimelineInput: {
            timeline_id?: components["schemas"]["Id"];
            revision?: number;
            name?: string;
            width?: number;
            height?: number;
            fps?: number;
            tracks?: components["schemas"]["Track"][];
        };
        Timeline: {
            timeline_id: components["schemas"]["Id"];
            name: string;
            width: number;
            height: number;
            fps: number;
            tracks: components["schemas"]["Track"][];
            revision: number;
            proxy_preview: components["schemas"]["ProxyPreview"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
    };
    responses: {
        /** @description the contract's error body */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description no valid credentials (studio.auth.mode token or jwt) */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description the job queue or a tenant quota is full; try again after Retry-After seconds */
        Busy: {
            headers: {
                "Retry-After"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description the database of the distributed mode is down, or the server is stopping; try again after Retry-After seconds */
        Unavailable: {
            headers: {
                "Retry-After"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description ready (the audiowaveform JSON, or the .dat with format=dat) or failed */
        WaveformDone: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WaveformReady"] | components["schemas"]["WaveformFailed"];
                "application/octet-stream": string;
            };
        };
        /** @description the job computing it */
        WaveformProcessing: {
            headers: {
                "Retry-After"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WaveformProcessing"];
            };
        };
        /** @description the file (or the asked range) */
        MediaFile: {
            headers: {
                ETag?: string;
                "Accept-Ranges"?: string;
                [name: string]: unknown;
            };
            content: {
                "*/*": string;
            };
        };
        /** @description UP when ffmpeg/ffprobe are found and the media root is writable */
        Health: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "UP" | "DOWN";
                    checks: {
                        name: string;
                        /** @enum {string} */
                        status: "UP" | "DOWN";
                        data?: Record<string, never>;
                    }[];
                };
            };
        };
    };
    parameters: {
        AssetId: components["schemas"]["Id"];
        TimelineId: components["schemas"]["Id"];
        JobId: components["schemas"]["Id"];
        UploadId: components["schemas"]["Id"];
        TusResumable: "1.0.0";
    };
    requestBodies: never;
    headers: {
        TusResumable: "1.0.0";
        UploadOffset: number;
        /** @description RFC 7231 date after which an upload without progress is dropped */
        UploadExpires: string;
        /** @description the asset a complete upload became */
        AssetId: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAssets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the assets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    uploadAsset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    file: string;
                };
            };
        };
        responses: {
            /** @description stored */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            413: components["responses"]["Error"];
            415: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the asset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted with its waveform */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    tusCreate: {
        parameters: {
            query?: never;
            header: {
                "Tus-Resumable": components["parameters"]["TusResumable"];
                "Upload-Length": number;
                /** @description comma-separated "key base64value" pairs; "filename" (or "name") names the asset for display */
                "Upload-Metadata"?: string;
                /** @description "sha1|md5|sha256 BASE64" of the body */
                "Upload-Checksum"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description created; when the body completed the upload, Asset-Id names the asset */
            201: {
                headers: {
                    /** @description /api/media/uploads/{upload_id} */
                    Location?: string;
                    "Upload-Offset": components["headers"]["UploadOffset"];
                    "Upload-Expires": components["headers"]["UploadExpires"];
                    "Tus-Resumable": components["headers"]["TusResumable"];
                    "Asset-Id": components["headers"]["AssetId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            412: components["responses"]["Error"];
            413: components["responses"]["Error"];
            415: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            460: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    tusOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description capabilities */
            204: {
                headers: {
                    "Tus-Resumable": components["headers"]["TusResumable"];
                    "Tus-Version"?: "1.0.0";
                    "Tus-Extension"?: string;
                    "Tus-Max-Size"?: number;
                    "Tus-Checksum-Algorithm"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getUploadAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the asset */
            200: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            410: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    tusTerminate: {
        parameters: {
            query?: never;
            header: {
                "Tus-Resumable": components["parameters"]["TusResumable"];
            };
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the upload and its bytes are gone */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            412: components["responses"]["Error"];
            423: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    tusOptionsUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description capabilities, as on /api/media/uploads */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["Error"];
        };
    };
    tusHead: {
        parameters: {
            query?: never;
            header: {
                "Tus-Resumable": components["parameters"]["TusResumable"];
            };
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the offset to resume from */
            200: {
                headers: {
                    "Upload-Offset": components["headers"]["UploadOffset"];
                    "Upload-Length"?: number;
                    "Upload-Metadata"?: string;
                    "Upload-Expires": components["headers"]["UploadExpires"];
                    "Cache-Control"?: "no-store";
                    "Asset-Id": components["headers"]["AssetId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description malformed id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            /** @description unknown upload */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the upload expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Tus-Resumable missing or not 1.0.0 */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            503: components["responses"]["Unavailable"];
        };
    };
    tusPatch: {
        parameters: {
            query?: never;
            header: {
                "Tus-Resumable": components["parameters"]["TusResumable"];
                "Upload-Offset": number;
                /** @description "sha1|md5|sha256 BASE64" of this body */
                "Upload-Checksum"?: string;
            };
            path: {
                upload_id: components["parameters"]["UploadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description bytes stored (forced to disk); Asset-Id once the upload is complete and accepted */
            204: {
                headers: {
                    "Upload-Offset": components["headers"]["UploadOffset"];
                    "Tus-Resumable": components["headers"]["TusResumable"];
                    "Asset-Id": components["headers"]["AssetId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            410: components["responses"]["Error"];
            412: components["responses"]["Error"];
            413: components["responses"]["Error"];
            415: components["responses"]["Error"];
            423: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            460: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getWaveform: {
        parameters: {
            query?: {
                samples_per_pixel?: number;
                pixels_per_second?: number;
                channels?: "merged" | "split";
                bits?: 8 | 16;
                format?: "json" | "dat";
            };
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["WaveformDone"];
            202: components["responses"]["WaveformProcessing"];
            /** @description not modified (If-None-Match names this answer) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    retryWaveform: {
        parameters: {
            query?: {
                samples_per_pixel?: number;
                pixels_per_second?: number;
                channels?: "merged" | "split";
                bits?: 8 | 16;
                format?: "json" | "dat";
            };
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["WaveformDone"];
            202: components["responses"]["WaveformProcessing"];
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getThumbnails: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: components["parameters"]["AssetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the frames side by side, left to right, in one JPEG */
            200: {
                headers: {
                    /** @description how many frames */
                    "Thumbnail-Frames"?: number;
                    /** @description seconds between frames */
                    "Thumbnail-Interval"?: number;
                    /** @description width of one frame in pixels */
                    "Thumbnail-Width"?: number;
                    /** @description height of one frame in pixels */
                    "Thumbnail-Height"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            422: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    listTimelines: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every saved timeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    saveTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TimelineInput"];
            };
        };
        responses: {
            /** @description updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description created */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            413: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    importOtio: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description created, with what could not be carried over */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"] & {
                        warnings: components["schemas"]["ErrorDetail"][];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            413: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the timeline with its proxy_preview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    exportOtio: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenTimelineIO JSON (Timeline.1), as an attachment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        OTIO_SCHEMA: string;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    getProxyState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description processing, ready, failed, stale or none */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyState"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    requestProxy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default false */
                    force?: boolean;
                    /** @description while a render runs: render the part from this second first */
                    from?: number;
                };
            };
        };
        responses: {
            /** @description ready (from the cache when "cached" is true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyState"];
                };
            };
            /** @description a render runs (a second request joins it). The answer waits up to 1.5 s for the render's stream (or, with "from", the seek's) to list its first segment, so it usually carries stream_url; without it, GET the proxy state until it does. */
            202: {
                headers: {
                    "Retry-After"?: string;
                    /** @description the job */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProxyState"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            413: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getPoster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a JPEG frame at 10 % of the ready proxy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getPreviewWebp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description an animated WebP flip-through (24 frames, 320 px wide) of the ready proxy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/webp": string;
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getPreviewGif: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                timeline_id: components["parameters"]["TimelineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the same flip-through as an animated GIF (palette from its frames) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/gif": string;
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            429: components["responses"]["Busy"];
            503: components["responses"]["Unavailable"];
            507: components["responses"]["Error"];
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the job, now cancelled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    jobEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            503: components["responses"]["Unavailable"];
        };
    };
    getMediaFile: {
        parameters: {
            query?: never;
            header?: {
                Range?: string;
                "If-None-Match"?: string;
            };
            path: {
                folder: "video_assets" | "waveforms" | "video_proxies";
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MediaFile"];
            206: components["responses"]["MediaFile"];
            /** @description not modified */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            416: components["responses"]["Error"];
        };
    };
    headMediaFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                folder: "video_assets" | "waveforms" | "video_proxies";
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the file's headers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: components["responses"]["Error"];
            /** @description no such file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Health"];
            503: components["responses"]["Health"];
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text (Helidon and JVM meters, studio_uploads_total, studio_upload_bytes_total) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Error"];
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.oai.openapi": string;
                    "application/json": Record<string, never>;
                };
            };
        };
    };
}
