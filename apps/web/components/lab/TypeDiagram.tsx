// A small SVG of an RNN type: input boxes at the bottom, cells in the middle (linked left to right
// when recurrent), outputs on top.
export function TypeDiagram({
  inputs,
  outputs,
  recurrent,
  delayed = false,
}: {
  inputs: number;
  outputs: number;
  recurrent: boolean;
  /** Many-to-many with outputs after all inputs (encoder–decoder). */
  delayed?: boolean;
}) {
  const steps = delayed ? inputs + outputs : Math.max(inputs, outputs);
  const w = 44;
  const width = steps * w + 10;
  // Which steps take an input and which give an output.
  const inAt = (t: number) => (delayed ? t < inputs : outputs > inputs ? t === 0 : t < inputs);
  const outAt = (t: number) =>
    delayed ? t >= inputs : inputs > outputs ? t === steps - 1 : t < outputs;
  const label = `${inputs === 1 ? 'one' : 'many'}-to-${outputs === 1 ? 'one' : 'many'} diagram: ${steps} step${steps > 1 ? 's' : ''}`;
  return (
    <svg
      viewBox={`0 0 ${width} 110`}
      width={width}
      height={110}
      role="img"
      aria-label={label}
      className="lab-diagram"
    >
      {Array.from({ length: steps }, (_, t) => {
        const x = 5 + t * w;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional
          <g key={t}>
            {inAt(t) ? (
              <>
                <rect x={x + 8} y={84} width={20} height={20} fill="#E69F00" rx={3} />
                <line x1={x + 18} y1={84} x2={x + 18} y2={68} stroke="#333" />
              </>
            ) : null}
            <rect
              x={x + 4}
              y={40}
              width={28}
              height={28}
              fill={recurrent ? '#56B4E9' : '#999'}
              rx={4}
            />
            {recurrent && t < steps - 1 ? (
              <line x1={x + 32} y1={54} x2={x + 48} y2={54} stroke="#333" markerEnd="url(#arrow)" />
            ) : null}
            {outAt(t) ? (
              <>
                <line x1={x + 18} y1={40} x2={x + 18} y2={26} stroke="#333" />
                <rect x={x + 8} y={6} width={20} height={20} fill="#009E73" rx={3} />
              </>
            ) : null}
          </g>
        );
      })}
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 6 6"
          refX="5"
          refY="3"
          markerWidth="6"
          markerHeight="6"
          orient="auto"
        >
          <path d="M0,0 L6,3 L0,6 z" fill="#333" />
        </marker>
      </defs>
    </svg>
  );
}
