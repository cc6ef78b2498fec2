// `npm run bench:renderers`: React 18.3's two streaming server renderers on a page-sized Persian
// tree: time per render and NUL bytes sent (ADR 101). Prints figures; asserts nothing.
import { PassThrough } from 'node:stream'
import { renderToPipeableStream } from 'react-dom/server'
import { renderToReadableStream } from 'react-dom/server.browser'

const paragraph = 'در تابستان ۱۳۶۷ هزاران زندانی سیاسی در زندان‌های ایران به‌طور مخفیانه اعدام شدند. '
const Page = () => (
  <html lang="fa" dir="rtl">
    <body>
      {Array.from({ length: 120 }, (_, i) => (
        <p key={i} title={paragraph}>
          {paragraph.repeat(3)}
        </p>
      ))}
    </body>
  </html>
)

function pipeable(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const out = new PassThrough()
    out.on('data', (c: Buffer) => chunks.push(c))
    out.on('end', () => resolve(Buffer.concat(chunks)))
    const { pipe } = renderToPipeableStream(<Page />, { onAllReady: () => pipe(out), onError: reject })
  })
}

async function readable(): Promise<Buffer> {
  const stream = await renderToReadableStream(<Page />)
  await stream.allReady
  return Buffer.from(await new Response(stream).arrayBuffer())
}

const RUNS = Number(process.env.RUNS ?? 200)
for (const [name, render] of [
  ['renderToPipeableStream (node)', pipeable],
  ['renderToReadableStream (web streams, used)', readable],
] as const) {
  for (let i = 0; i < 20; i++) await render()
  const started = performance.now()
  let bytes: Buffer = Buffer.alloc(0)
  for (let i = 0; i < RUNS; i++) bytes = await render()
  const ms = (performance.now() - started) / RUNS
  const nuls = bytes.reduce((n, b) => n + (b === 0 ? 1 : 0), 0)
  console.log(`${name}: ${ms.toFixed(2)} ms per render of ${(bytes.length / 1024).toFixed(0)} kB, ${nuls} NUL bytes`)
}
