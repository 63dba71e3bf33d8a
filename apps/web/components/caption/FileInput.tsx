'use client';
// Pick or drop an image file; it is decoded (downscaled) in this tab and never uploaded.
import { type DragEvent, useState } from 'react';
import { decodeImageFile, ImageInputError, squarePixels } from '@/lib/image-decode';
import type { InputProps } from './types';

export function FileInput({ onImage, onError }: InputProps) {
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const { bitmap, original } = await decodeImageFile(file);
      const pixels = squarePixels(bitmap, { width: bitmap.width, height: bitmap.height });
      bitmap.close();
      onImage({
        kind: 'file',
        pixels,
        label: `${file.name} (${original.width}×${original.height}, centre square)`,
      });
    } catch (e) {
      onError(
        e instanceof ImageInputError
          ? e.message
          : `Could not read that file: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse extra; the file input inside is the keyboard path.
    <div
      className={`input-panel dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <label className="field">
        <span>Choose an image, or drop one here</span>
        <input
          type="file"
          accept="image/*"
          data-testid="file"
          onChange={(e) => {
            void take(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </label>
      <p className="muted small">
        {busy
          ? 'Reading the image…'
          : 'Large images are reduced in this tab first; nothing is uploaded.'}
      </p>
    </div>
  );
}
