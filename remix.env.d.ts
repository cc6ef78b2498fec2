/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

/** React's web-streams server renderer (ADR 101); its types are those of `react-dom/server`. */
declare module 'react-dom/server.browser' {
  export { renderToReadableStream } from 'react-dom/server'
}
