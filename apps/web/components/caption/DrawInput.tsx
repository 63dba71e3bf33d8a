'use client';
// Draw your own Shapes scene: stamp up to three shapes, rendered exactly as the generator renders.
import {
  renderLayout,
  SHAPE_COLOURS,
  SHAPE_KINDS,
  SHAPE_SIZES,
  SHAPES_IMAGE_SIZE,
  type ShapeColour,
  type ShapeKind,
  type ShapeObject,
  type ShapeSize,
} from '@seqlab/data';
import { type MouseEvent, useEffect, useRef, useState } from 'react';
import { drawnTruth, MAX_DRAWN_OBJECTS, placeShape } from '@/lib/draw-scene';
import type { InputProps } from './types';

const BACKGROUND: [number, number, number] = [242, 242, 240];

export function DrawInput({ onImage, onError }: InputProps) {
  const [shape, setShape] = useState<ShapeKind>('circle');
  const [colour, setColour] = useState<ShapeColour>('red');
  const [size, setSize] = useState<ShapeSize>('large');
  const [objects, setObjects] = useState<ShapeObject[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const data = renderLayout({ background: BACKGROUND, objects });
    const ctx = canvas.current?.getContext('2d');
    ctx?.putImageData(new ImageData(data.slice(), SHAPES_IMAGE_SIZE, SHAPES_IMAGE_SIZE), 0, 0);
    if (objects.length === 0) return;
    const { captions, ambiguous } = drawnTruth(objects);
    setMessage(
      ambiguous
        ? 'Two shapes sit almost diagonally or in line: the relation word is a close call.'
        : null,
    );
    onImage({
      kind: 'draw',
      pixels: { width: SHAPES_IMAGE_SIZE, height: SHAPES_IMAGE_SIZE, data },
      label: 'your drawing',
      truth: captions,
    });
  }, [objects, onImage]);

  const add = (px: number, py: number) => {
    const r = placeShape(objects, { shape, colour, size }, px, py);
    if (typeof r === 'string') {
      setMessage(r);
      onError(r);
    } else {
      setMessage(null);
      setObjects([...objects, r]);
    }
  };
  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    add(
      ((e.clientX - box.left) / box.width) * SHAPES_IMAGE_SIZE,
      ((e.clientY - box.top) / box.height) * SHAPES_IMAGE_SIZE,
    );
  };
  // Keyboard users place shapes on free spots of a 3×3 grid instead of clicking.
  const addAnywhere = () => {
    const spots = [16, 32, 48].flatMap((y) => [16, 32, 48].map((x) => [x, y] as const));
    for (const [x, y] of spots) {
      if (typeof placeShape(objects, { shape, colour, size }, x, y) !== 'string') return add(x, y);
    }
    add(32, 32);
  };

  return (
    <div className="input-panel draw">
      <div className="controls">
        <label className="field">
          <span>Shape</span>
          <select value={shape} onChange={(e) => setShape(e.target.value as ShapeKind)}>
            {SHAPE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Colour</span>
          <select value={colour} onChange={(e) => setColour(e.target.value as ShapeColour)}>
            {SHAPE_COLOURS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Size</span>
          <select value={size} onChange={(e) => setSize(e.target.value as ShapeSize)}>
            {SHAPE_SIZES.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      <canvas
        ref={canvas}
        width={SHAPES_IMAGE_SIZE}
        height={SHAPES_IMAGE_SIZE}
        className="draw-canvas pixelated"
        onClick={onClick}
        aria-label={`Drawing canvas with ${objects.length} of ${MAX_DRAWN_OBJECTS} shapes; click to place a ${size} ${colour} ${shape}`}
        role="img"
        data-testid="draw-canvas"
      />
      <div className="row">
        <button type="button" onClick={addAnywhere} disabled={objects.length >= MAX_DRAWN_OBJECTS}>
          Add {size} {colour} {shape}
        </button>
        <button
          type="button"
          onClick={() => setObjects(objects.slice(0, -1))}
          disabled={objects.length === 0}
        >
          Undo
        </button>
        <button type="button" onClick={() => setObjects([])} disabled={objects.length === 0}>
          Clear
        </button>
      </div>
      <p className="muted small" aria-live="polite">
        {message ?? `Click the canvas to place a shape (${objects.length}/${MAX_DRAWN_OBJECTS}).`}
      </p>
    </div>
  );
}
