'use client';
// One frame from the webcam; the stream stays in this tab and stops when you leave the tab.
import { useEffect, useRef, useState } from 'react';
import { squarePixels } from '@/lib/image-decode';
import type { InputProps } from './types';

export function WebcamInput({ onImage, onError }: InputProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  useEffect(
    () => () => {
      for (const t of stream?.getTracks() ?? []) t.stop();
    },
    [stream],
  );

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      onError('This browser offers no camera here (it needs a secure https page or localhost).');
      return;
    }
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        video: { width: 640, height: 480 },
        audio: false,
      });
      setStream(s);
      if (video.current) {
        video.current.srcObject = s;
        await video.current.play();
      }
    } catch (e) {
      const name = e instanceof DOMException ? e.name : '';
      onError(
        name === 'NotAllowedError'
          ? 'Camera permission was refused; allow it in the address bar to capture a frame.'
          : name === 'NotFoundError'
            ? 'No camera was found.'
            : `The camera could not start: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  const capture = () => {
    const v = video.current;
    if (!v?.videoWidth)
      return onError('The camera has not delivered a frame yet; try again in a moment.');
    onImage({
      kind: 'camera',
      pixels: squarePixels(v, { width: v.videoWidth, height: v.videoHeight }),
      label: 'webcam frame',
    });
  };
  const stop = () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    setStream(null);
  };
  return (
    <div className="input-panel">
      <video
        ref={video}
        className="webcam"
        muted
        playsInline
        hidden={!stream}
        aria-label="Camera preview"
      />
      <div className="row">
        {stream ? (
          <>
            <button type="button" onClick={capture}>
              Capture frame
            </button>
            <button type="button" onClick={stop}>
              Stop camera
            </button>
          </>
        ) : (
          <button type="button" onClick={start}>
            Start camera
          </button>
        )}
      </div>
    </div>
  );
}
