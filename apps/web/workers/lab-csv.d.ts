// CSV files bundled as text into the lab worker (scripts/build-workers.mjs: loader '.csv' → 'text').
declare module '*.csv' {
  const text: string;
  export default text;
}
