import { useRef, useState, type DragEvent } from 'react';
import type { Asset } from '../api';
import { formatBytes, formatTime, percent } from '../format';
import { useVideoStudioStore } from '../store';

export const ASSET_DRAG_TYPE = 'application/x-videostudio-asset';
/** The asset being dragged: dataTransfer can't be read during dragover, only its types. */
export const dragging: { asset: Asset | null } = { asset: null };

export function AssetLibrary() {
  const assets = useVideoStudioStore((s) => s.assets);
  const status = useVideoStudioStore((s) => s.assetsStatus);
  const error = useVideoStudioStore((s) => s.assetsError);
  const uploads = useVideoStudioStore((s) => s.uploads);
  const uploadFiles = useVideoStudioStore((s) => s.uploadFiles);
  const loadAssets = useVideoStudioStore((s) => s.loadAssets);
  const dismissUpload = useVideoStudioStore((s) => s.dismissUpload);
  const cancelUpload = useVideoStudioStore((s) => s.cancelUpload);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const isFileDrag = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDrop = (e: DragEvent) => {
    if (!isFileDrag(e)) return;
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length) void uploadFiles(files);
  };

  return (
    <section
      className={`panel library ${over ? 'drop-target' : ''}`}
      aria-label="Media library"
      onDragOver={(e) => {
        if (isFileDrag(e)) {
          e.preventDefault();
          setOver(true);
        }
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setOver(false);
      }}
      onDrop={onDrop}
    >
      <div className="panel-head">
        <h2>Media</h2>
        <button className="btn primary small" onClick={() => input.current?.click()}>
          Upload…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="upload-input"
          accept="audio/*,video/*,image/*,.mkv,.flac,.webm"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = '';
            if (files.length) void uploadFiles(files);
          }}
        />
      </div>
      <div className="library-body">
        {uploads.map((u) => (
          <div key={u.id} className={`upload ${u.status}`} data-testid="upload">
            <div className="upload-line">
              <span className="name" title={u.filename}>
                {u.filename}
              </span>
              {u.status === 'uploading' && u.resumedFrom !== undefined && u.total > 0 && (
                // after a page reload: the server kept this much of the earlier upload
                <span className="muted small-text" data-testid="upload-resumed">
                  resuming from {percent(u.resumedFrom / u.total)}
                </span>
              )}
              {u.status === 'uploading' && u.total > 0 && u.loaded >= u.total ? (
                // Sent: the server now probes the file; there is nothing left to cancel.
                <span className="muted small-text" data-testid="upload-checking">
                  Checking the file…
                </span>
              ) : u.status === 'uploading' ? (
                <span className="upload-actions">
                  <span className="muted tabular">{u.total ? percent(u.loaded / u.total) : ''}</span>
                  <button className="btn ghost tiny" onClick={() => cancelUpload(u.id)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button className="btn ghost small" onClick={() => dismissUpload(u.id)}>
                  Dismiss
                </button>
              )}
            </div>
            {u.status === 'uploading' ? (
              <div className="progress">
                <div style={{ width: percent(u.total ? u.loaded / u.total : 0) || '0%' }} />
              </div>
            ) : (
              <div className="error-text">{u.error?.message}</div>
            )}
          </div>
        ))}
        {status === 'failed' && (
          <div className="empty error-text">
            The media list could not be loaded: {error?.message}{' '}
            <button className="btn ghost small" onClick={() => void loadAssets()}>
              Retry
            </button>
          </div>
        )}
        {status === 'loading' && assets.length === 0 && <div className="empty muted">Loading media…</div>}
        {status === 'ready' && assets.length === 0 && uploads.length === 0 && (
          <div className="empty dropzone">
            <strong>Drop audio, video or image files here</strong>
            <span className="muted">or use Upload…</span>
          </div>
        )}
        <ul className="asset-list">
          {assets.map((a) => (
            <AssetRow key={a.asset_id} asset={a} />
          ))}
        </ul>
      </div>
      {over && <div className="drop-overlay">Drop to upload</div>}
    </section>
  );
}

function AssetRow({ asset }: { asset: Asset }) {
  const addClip = useVideoStudioStore((s) => s.addClip);
  const deleteAsset = useVideoStudioStore((s) => s.deleteAsset);
  const meta = [asset.kind, asset.kind !== 'image' ? formatTime(asset.duration_s, 1) : null].filter(Boolean);
  const details = [
    asset.width && asset.height ? `${asset.width}×${asset.height}` : null,
    asset.kind === 'audio' && asset.sample_rate ? `${(asset.sample_rate / 1000).toFixed(1)} kHz` : null,
    formatBytes(asset.size_bytes),
    asset.kind === 'video' && !asset.has_audio ? 'no audio' : null,
  ].filter(Boolean);
  return (
    <li
      className="asset"
      draggable
      data-testid="asset"
      data-asset-id={asset.asset_id}
      onDragStart={(e) => {
        dragging.asset = asset;
        e.dataTransfer.setData(ASSET_DRAG_TYPE, asset.asset_id);
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onDragEnd={() => {
        dragging.asset = null;
      }}
    >
      <Thumb asset={asset} />
      <div className="asset-text">
        <div className="name" title={asset.filename}>
          {asset.filename}
        </div>
        <div className="meta">{meta.join(' · ')}</div>
        <div className="meta">{details.join(' · ')}</div>
      </div>
      <div className="asset-actions">
        <button className="btn small" title="Add to the end of the timeline" onClick={() => addClip(asset.asset_id)} aria-label={`Add ${asset.filename} to the timeline`}>
          + Add
        </button>
        <button className="btn ghost small icon" title="Delete" aria-label={`Delete ${asset.filename}`} onClick={() => void deleteAsset(asset.asset_id)}>
          ✕
        </button>
      </div>
    </li>
  );
}

function Thumb({ asset }: { asset: Asset }) {
  if (asset.kind === 'image') return <img className="thumb" src={asset.url} alt="" loading="lazy" />;
  if (asset.kind === 'video') return <video className="thumb" src={`${asset.url}#t=0.5`} preload="metadata" muted playsInline />;
  return (
    <div className="thumb audio-thumb" aria-hidden>
      <svg viewBox="0 0 40 24" width="40" height="24">
        {[3, 8, 14, 6, 18, 10, 4, 12, 16, 7, 3].map((h, i) => (
          <rect key={i} x={i * 3.6 + 1} y={12 - h / 2} width="2" height={h} rx="1" fill="currentColor" />
        ))}
      </svg>
    </div>
  );
}
